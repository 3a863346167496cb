"""Sources → documents: loaders by file type, cleaning of web leftovers, metadata."""
