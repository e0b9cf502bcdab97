"""Every use case, one module per family, behind the thin `Tracker` facade (`service.app`).

- `app`: the facade: open a database, then log, read, import, check.
- `writes`: logging events through the rules, one transaction per call.
- `views`: status, schedules, production, agreements, programmes (read-only).
- `eventlog`: the log as recorded, with each event's fixes.
- `sipri`: a SIPRI release in, as history (one transaction per file).
- `seeds`: the bundled seed files.
- `transfer`: JSONL export and import of the whole log.
- `schema`: creating and migrating the schema, database roles, verifying, backups.
- `readmodels`: the projections' lag, catching them up, rebuilding them (reads never do).

This package imports nothing at load time, so a command pays only for what it uses.
"""
