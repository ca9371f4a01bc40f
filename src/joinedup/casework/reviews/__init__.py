"""ASB case reviews (the community trigger): requests, threshold, timeline, appeals, statistics, and the
public's online applications."""
