"""The Risk Assessment Matrix and the Joint Problem Solving plans a high risk raises (ADR 0011)."""
