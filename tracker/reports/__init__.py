"""Reports: read-only views of the log rendered as text, Markdown, HTML, CSV, JSON and charts.

``model.timeline_of`` reads a report whole; ``stream.stream_timeline`` reads it a
programme at a time (the CLI's way, for any number of contracts). The renderers only
format, the same code either way (``pieces``). Charts (matplotlib) and HTML (Jinja2) are
imported by the renderers that need them, never at package import.
"""
