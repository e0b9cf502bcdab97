"""Value types: fuzzy dates and their text forms, money, quantities, estimates, sources,
parties, refs, units."""
