"""Mentions → commitments and targets: the per-document extraction pipeline."""
