"""Readers for outside data sources. Pure: they parse files into plain values, nothing more.

An importer never touches the database or the CLI; the service turns what it reads into events.
"""
