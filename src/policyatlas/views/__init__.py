"""Thin faces over the core: the CLI and the web app."""
