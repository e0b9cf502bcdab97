"""Reports: read-only views of the log rendered as text, Markdown, HTML, CSV, JSON and charts.

``model.timeline_of`` reads; the renderers only format. Charts (matplotlib) and HTML
(Jinja2) are imported by the renderers that need them, never at package import.
"""
