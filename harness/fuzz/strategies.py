"""Hypothesis strategies for OCPP payloads, built from the official schemas.

:func:`payloads` turns an action's request (or response) schema into a strategy of payloads that
are valid by the schema *and* by the primitive rules the schemas leave out (:mod:`harness.strict`):
RFC 3339 date-times (at most 3 fractional digits), ``identifierString`` characters for 2.x
identifiers, 32-bit integers, decimals with at most six places (one for the 1.6 ``multipleOf 0.1``
fields). A SUT must accept every one of them, so a CALLERROR to any is its fault, not the
generator's.

The OCPP schemas use a small part of JSON schema (``type``, ``properties``, ``required``,
``additionalProperties``, ``enum``, ``maxLength``, ``minimum``/``maximum``, ``minItems``/``maxItems``,
``format``, ``$ref`` into ``definitions``), which is all this module reads; ``hypothesis-jsonschema``
is not used (its last release breaks with current hypothesis, NOTES-dependencies §7). Strings lean
towards the edges: empty, short, and exactly ``maxLength`` long. ``pins`` replace the strategy of a
field (by dotted path, array indices left out) where a random value would change the SUT's state.
"""

from __future__ import annotations

import math
import string
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

from harness.ocppj.schemas import Direction, schema_document


class Omittable:
    """A pin for an optional field that may also be left out (``pins={"evse": Omittable(...)}``):
    when present, its value comes from ``strategy``."""

    __slots__ = ("strategy",)

    def __init__(self, strategy: st.SearchStrategy[Any]) -> None:
        self.strategy = strategy


Pins = Mapping[str, "st.SearchStrategy[Any] | Omittable"]

#: Longest array generated (schemas often allow thousands of items).
MAX_ITEMS = 3
#: Short strings are at most this long; long ones are exactly ``maxLength``.
SHORT_TEXT = 12
_INT32 = (-(2**31), 2**31 - 1)
_IDENTIFIER = string.ascii_letters + string.digits + "*-_=:+|@."
#: Printable ASCII and a few multi-byte characters: valid in any OCPP ``string``.
_TEXT = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from(
    string.ascii_letters + string.digits + " .-_"
)
_V2_IDENTIFIERS = frozenset({"idToken", "additionalIdToken", "transactionId"})
_OFFSETS = ("Z", "+00:00", "+01:00", "-05:30", "+14:00")


def _date_time(max_fraction: int) -> st.SearchStrategy[str]:
    def render(moment: datetime, offset: str, digits: int) -> str:
        if offset != "Z":
            sign = 1 if offset[0] == "+" else -1
            delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6])) * sign
            moment = moment.astimezone(timezone(delta))
        text = moment.strftime("%Y-%m-%dT%H:%M:%S")
        if digits:
            text += "." + f"{moment.microsecond:06d}"[:digits]
        return text + offset

    moments = st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2099, 12, 31),
        timezones=st.just(UTC),
    )
    return st.builds(render, moments, st.sampled_from(_OFFSETS), st.integers(0, max_fraction))


def _text(
    max_length: int, alphabet: st.SearchStrategy[str] | str, min_size: int = 0
) -> st.SearchStrategy[str]:
    short = st.text(
        alphabet, min_size=min_size, max_size=max(min_size, min(max_length, SHORT_TEXT))
    )
    if max_length <= SHORT_TEXT:
        return short

    def full(head: str, fill: str, length: int) -> str:  # one draw for the bulk: no overrun
        return (head + fill * length)[:length]

    heads = st.text(alphabet, max_size=SHORT_TEXT)
    fills = st.text(alphabet, min_size=1, max_size=1)
    lengths = st.integers(SHORT_TEXT + 1, max_length)
    return short | st.builds(full, heads, fills, lengths)


#: A 1.6 Raw sampled value: a decimal number as text.
_RAW_VALUES = st.builds(
    lambda whole, fraction: f"{whole}.{fraction}" if fraction is not None else str(whole),
    st.integers(-(10**9), 10**9),
    st.none() | st.integers(0, 999),
)


def _number(node: dict[str, Any], version: str) -> st.SearchStrategy[float]:
    places = 1 if version == "1.6" and "multipleOf" in node else 3
    scale = 10**places
    low = node.get("minimum", -1_000_000)
    high = node.get("maximum", 1_000_000)
    return st.integers(math.ceil(low * scale), math.floor(high * scale)).map(lambda n: n / scale)


def _integer(node: dict[str, Any]) -> st.SearchStrategy[int]:
    return st.integers(node.get("minimum", _INT32[0]), node.get("maximum", _INT32[1]))


_EXTRA_KEYS = st.text(string.ascii_letters, min_size=1, max_size=8)
_EXTRA_VALUES: st.SearchStrategy[Any] = (
    st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(_TEXT, max_size=SHORT_TEXT)
)


class _Builder:
    def __init__(self, version: str, definitions: dict[str, Any], pins: Pins) -> None:
        self.version = version
        self.definitions = definitions
        self.pins = pins

    def node(self, node: dict[str, Any], path: str, name: str) -> st.SearchStrategy[Any]:
        ref = node.get("$ref")
        if isinstance(ref, str):
            node = self.definitions[ref.rsplit("/", 1)[1]]
        if "enum" in node:
            return st.sampled_from(node["enum"])
        kind = node.get("type")
        if kind == "object":
            return self.object(node, path)
        if kind == "array":
            item = self.node(node.get("items", {}), path, name)
            low = int(node.get("minItems", 0))
            high = min(int(node.get("maxItems", low + MAX_ITEMS)), low + MAX_ITEMS)
            return st.lists(item, min_size=low, max_size=high)
        if kind == "string":
            return self.string(node, name)
        if kind == "integer":
            return _integer(node)
        if kind == "number":
            return _number(node, self.version)
        if kind == "boolean":
            return st.booleans()
        return _EXTRA_VALUES

    def string(self, node: dict[str, Any], name: str) -> st.SearchStrategy[str]:
        if node.get("format") == "date-time":
            return _date_time(6 if self.version == "1.6" else 3)
        if node.get("format") == "uri":
            return st.sampled_from(["https://example.com/file.bin", "ftp://127.0.0.1/logs"])
        if name in ("startTimeOfDay", "endTimeOfDay"):  # 2.1 tariffs: hh:mm
            return st.builds("{:02d}:{:02d}".format, st.integers(0, 23), st.integers(0, 59))
        if name in ("validFromDate", "validToDate"):  # 2.1 tariffs: RFC 3339 full-date
            return st.dates(date(2000, 1, 1), date(2099, 12, 31)).map(date.isoformat)
        limit = int(node.get("maxLength", 64))
        if self.version != "1.6" and name in _V2_IDENTIFIERS:
            return _text(limit, _IDENTIFIER, min_size=1)
        if name in ("idTag", "parentIdTag"):
            return _text(limit, string.ascii_uppercase + string.digits, min_size=1)
        if self.version == "1.6" and name == "value" and "maxLength" not in node:  # SampledValue
            return _RAW_VALUES
        return _text(limit, _TEXT)

    def object(self, node: dict[str, Any], path: str) -> st.SearchStrategy[dict[str, Any]]:
        properties: dict[str, Any] = node.get("properties", {})
        required = set(node.get("required", []))
        always: dict[str, st.SearchStrategy[Any]] = {}
        maybe: dict[str, st.SearchStrategy[Any]] = {}
        for key, sub in properties.items():
            where = f"{path}.{key}" if path else key
            pin = self.pins.get(where)
            if pin is ABSENT or isinstance(pin, Omittable):
                if key in required:
                    raise ValueError(f"{where} is required: it cannot be left out")
                if isinstance(pin, Omittable):
                    maybe[key] = pin.strategy
                continue
            if pin is not None:
                always[key] = pin
            elif key in required:
                always[key] = self.node(sub, where, key)
            else:
                maybe[key] = self.node(sub, where, key)
        base = st.fixed_dictionaries(always, optional=maybe)
        if node.get("additionalProperties", True) is False:
            return base
        extra = st.dictionaries(
            _EXTRA_KEYS.filter(lambda k: k not in properties), _EXTRA_VALUES, max_size=2
        )
        return st.builds(lambda known, more: {**more, **known}, base, extra)


#: Pin value that leaves an optional field out entirely (``pins={"customData": ABSENT}``).
ABSENT: st.SearchStrategy[Any] = st.nothing()


def payloads(
    version: str, action: str, direction: Direction = Direction.REQUEST, pins: Pins | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """Payloads of ``action`` valid by its schema and by the strict primitive rules."""
    schema = schema_document(version, action, direction)
    if schema is None:
        raise ValueError(f"OCPP {version} has no {direction.value} schema for {action!r}")
    builder = _Builder(version, schema.get("definitions", {}), dict(pins or {}))
    strategy: st.SearchStrategy[dict[str, Any]] = builder.object(schema, "")
    return strategy
