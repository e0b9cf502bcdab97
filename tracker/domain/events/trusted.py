"""Models rebuilt from stored JSON without validating it again (the replay's hot path).

Everything in the log was validated, and normalised, on its way in, and ``encode`` stores
each field in its JSON form. Turning that JSON back into the same models only needs each
field converted by its declared type (a date string to a FuzzyDate, a dict to a Source, a
string to a Decimal), which costs a fraction of pydantic's validation, whose checks are
mostly Python callbacks. A payload that does not have its class's shape (a missing or an
unknown field, a field type this module does not know) goes through ``model_validate``.
tests/unit/test_events_and_codec.py checks that both give equal events.

``given`` is the same shortcut for values that are already valid, such as those the SIPRI
importer makes of a register: its caller checks what validation would (see
importers/sipri/built.py).
"""

from __future__ import annotations

import copy
import functools
import operator
import types
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel

from tracker.domain.values.date_fields import coerce_date
from tracker.domain.values.dates import FuzzyDate

Convert = Callable[[Any], Any]
M = TypeVar("M", bound=BaseModel)

_AS_IS = (str, int, bool, Any)


def build(cls: type[M], data: dict[str, Any], known: dict[str, Any] | None = None) -> M | None:
    """An instance of ``cls`` from the JSON form of its fields; None if it lacks the shape.

    ``known`` holds fields already converted, each the value its converter made of the same
    JSON form for an earlier instance (a caller's memo): taken as they are.
    """
    plan = _plan(cls)
    if plan is None:
        return None
    if data.keys() != plan.names:
        # encode() writes every field; anything else (an old payload that left a default
        # out, an unknown field) gets the cross-field checks of a full validation.
        return None
    # The JSON values in declaration order, then the few fields that need converting.
    values = dict(zip(plan.order, plan.get(data), strict=True))
    for name, convert in plan.converting:
        if known and name in known:
            values[name] = known[name]
        else:
            values[name] = convert(values[name])
    return construct(cls, values, set(data))


def given(cls: type[M], values: dict[str, Any]) -> M:
    """``cls(**values)`` for ``values`` its validation would keep exactly as they are (each
    of its field's type, normalised, passing every field and model check: the caller's
    promise); the fields left out take their defaults, in declaration order as pydantic's
    instances hold them."""
    fields = _fields(cls)
    if not values.keys() <= fields.names or not fields.required <= values.keys():
        unknown = ", ".join(sorted(values.keys() - fields.names))
        missing = ", ".join(sorted(fields.required - values.keys()))
        raise TypeError(f"{cls.__name__}: unknown fields {unknown}; missing fields {missing}")
    data = fields.template.copy()  # every field, in order: updating keeps the order
    data.update(values)
    for name, fresh in fields.fresh:
        if name not in values:
            data[name] = fresh()
    return construct(cls, data, set(values))


def construct(cls: type[M], values: dict[str, Any], fields_set: set[str]) -> M:
    """An instance of ``cls`` holding ``values`` (already valid, every field given)."""
    new = cls.__new__(cls)
    _set_dict(new, values)
    _set_fields_set(new, fields_set)
    _set_extra(new, None)
    _set_private(new, None)
    return new


# BaseModel's slots, set through their descriptors: what object.__setattr__ does, without
# looking each name up again (half the cost of a construct).
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


@dataclass(frozen=True, slots=True)
class _Fields:
    """A model's fields: each in declaration order with its default (None for a required
    one or one made ``fresh`` per instance: by its factory, or a deep copy of a default
    that cannot be hashed, as pydantic-core copies those)."""

    template: dict[str, Any]
    fresh: tuple[tuple[str, Callable[[], Any]], ...]
    names: frozenset[str]
    required: frozenset[str]


@functools.cache
def _fields(cls: type[BaseModel]) -> _Fields:
    template: dict[str, Any] = {}
    fresh: list[tuple[str, Callable[[], Any]]] = []
    for name, info in cls.model_fields.items():
        template[name] = None
        if info.default_factory is not None:
            assert not info.default_factory_takes_validated_data  # none in the catalogue
            fresh.append((name, info.default_factory))  # type: ignore[arg-type]
        elif not info.is_required():
            try:
                hash(info.default)
                template[name] = info.default
            except TypeError:
                fresh.append((name, functools.partial(copy.deepcopy, info.default)))
    required = frozenset(n for n, info in cls.model_fields.items() if info.is_required())
    return _Fields(template, tuple(fresh), frozenset(template), required)


@dataclass(frozen=True, slots=True)
class _Plan:
    """How to build one model: its fields in declaration order, each with its converter
    (None: the JSON value is the field's value)."""

    converters: tuple[tuple[str, Convert | None], ...]
    names: frozenset[str]
    order: tuple[str, ...]
    get: Callable[[dict[str, Any]], tuple[Any, ...]]
    converting: tuple[tuple[str, Convert], ...]


@functools.cache
def _plan(cls: type[BaseModel]) -> _Plan | None:
    generic = bool(cls.__pydantic_generic_metadata__["parameters"])
    if generic or cls.model_config.get("extra") != "forbid":
        return None
    converters: list[tuple[str, Convert | None]] = []
    for name, info in cls.model_fields.items():
        convert = _converter(info.annotation)
        if convert is None or info.alias not in (None, name):
            return None
        converters.append((name, None if convert is _same else convert))
    order = tuple(n for n, _ in converters)
    get = operator.itemgetter(*order)
    return _Plan(
        tuple(converters),
        frozenset(order),
        order,
        get if len(order) > 1 else lambda data: (get(data),),
        tuple((n, c) for n, c in converters if c is not None),
    )


def _converter(annotation: Any) -> Convert | None:
    """How to turn a field's JSON form into its value; None for a type not handled here."""
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is Annotated:
        return _converter(args[0])
    if origin in (Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        inner = _converter(rest[0]) if len(rest) == 1 else None
        return None if inner is None else _optional(inner)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _converter(args[0])
        return None if item is None else _tuple_of(item)
    if origin is dict and len(args) == 2:
        key, value = _converter(args[0]), _converter(args[1])
        return None if key is not _same or value is None else _dict_of(value)
    if origin is Literal or annotation in _AS_IS:
        return _same
    if annotation is FuzzyDate:
        return coerce_date
    if annotation is Decimal:
        return _decimal
    if annotation is date:
        return _date
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return functools.partial(_model, annotation)
    return None


def _same(value: Any) -> Any:
    return value


def _optional(convert: Convert) -> Convert:
    if convert is _same:
        return _same
    return lambda value: None if value is None else convert(value)


def _tuple_of(convert: Convert) -> Convert:
    if convert is _same:
        return tuple
    return lambda value: tuple(convert(v) for v in value)


def _dict_of(convert: Convert) -> Convert:
    if convert is _same:
        return dict
    return lambda value: {k: convert(v) for k, v in value.items()}


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value)


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _model(cls: type[M], value: Any) -> M:
    if isinstance(value, dict) and (built := build(cls, value)) is not None:
        return built
    # A model instance, or another stored form (Money as 'USD 5m' text): let it validate.
    return cls.model_validate(value)
