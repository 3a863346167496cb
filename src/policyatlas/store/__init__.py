"""The DuckDB store: schema, bulk writes, atomic publication."""
