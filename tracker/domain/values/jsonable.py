"""Turn domain values into plain JSON values (for correction payloads typed as Any)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from tracker.domain.values.dates import FuzzyDate


def jsonable(value: Any) -> Any:
    """JSON-ready form of a value; a FuzzyDate becomes its canonical string, not its fields."""
    if isinstance(value, FuzzyDate):
        return str(value)
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return to_jsonable_python(value)
