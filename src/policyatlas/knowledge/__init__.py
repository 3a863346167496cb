"""Regions and industries: the gazetteer and the taxonomy, loaded from data files."""
