"""Benchmarks: scripts measuring Joined Up at scale; results in bench/RESULTS.md."""
