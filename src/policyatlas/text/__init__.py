"""Documents as text with spans: sections, sentences and clauses (character offsets)."""
