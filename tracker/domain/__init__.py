"""The pure domain: events, value types, per-stream state, rules and views. No I/O.

Imports only the standard library, pydantic, pendulum, pycountry and tracker.errors.

- values: dates (FuzzyDate), money (Money), quantity, sources (Source), parties, refs
- events: the catalogue (events, contract_events, event_base), codec (encode/decode, upcasters)
- log: envelope (Recorded), state (per-stream states), fold (evolve, fold)
- reading: contracts (derived contract figures), ledger (running totals), views/
- deciding: rules (check), lookup (the Lookup protocol), invariants, corrections
"""
