"""Quick paths: read commands answered on the bare database driver, without SQLAlchemy,
SQLModel or pydantic, when the read models are level with the log.

A quick path answers only what it knows it answers exactly as the full path would (byte
for byte); for anything else it declines and the full path runs (tests/cli/test_quick_status.py
compares the two).
"""
