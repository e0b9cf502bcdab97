"""`tracker serve`: read-only pages over the service, on either axis of time.

Starlette routes, Jinja2 templates (the reports' macros and stylesheet included), served by
uvicorn. Nothing here writes: see ``readonly``.
"""
