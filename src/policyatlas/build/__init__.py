"""Corpus → store: the build that loads, extracts and writes."""
