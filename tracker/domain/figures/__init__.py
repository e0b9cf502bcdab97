"""Figures derived from a contract's facts: ordered, delivered, running totals."""
