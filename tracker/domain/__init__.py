"""The pure domain: events, value types, per-stream state, rules, figures and views. No I/O.

Imports only the standard library, pydantic, pendulum, pycountry (the ISO country and
currency lists) and tracker.errors.

- values/: fuzzy dates and their text forms, money, quantities and estimates, sources,
  parties, refs, units
- events/: the catalogue (catalogue, contract_events, venture_events, event_base), the codec
  and upcasters, models rebuilt from stored JSON (trusted), planned milestones
- state/: per-stream state, the envelope of a recorded event, the fold, the world axis
- rules/: ``check`` (checks), the checks it is made of (parts), corrections and retractions
  (fixes), invariants, milestone matching, party rules, the Lookup protocol
- figures/: figures derived from a contract's facts (contracts), running totals (ledger)
- views/: what the read commands show (status, schedule, production, timeline, trends)
"""
