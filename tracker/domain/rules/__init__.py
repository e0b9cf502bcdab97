"""The rules checked before an event is appended, and what they may ask of the log."""
