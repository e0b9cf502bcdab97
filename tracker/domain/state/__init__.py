"""Per-stream state, the envelope of a recorded event, the fold, and the world axis."""
