"""The frame path's JSON (orjson, harness/ocppj/frames.py) reads and writes every frame as the
standard library does: what orjson rejects or reads differently (NaN, infinities, integers
outside 64 bits, lone surrogates, duplicate keys, deep nesting) goes to the stdlib, so a frame is
classified exactly as before (OCPP-J Part 4 §4 / OCPP-J 1.6 §4: malformed JSON is an
RpcFrameworkError / FormationViolation)."""

from __future__ import annotations

import datetime
import json
import math
from typing import Any

import pytest

from harness.ocppj.errors import ErrorKind
from harness.ocppj.frames import Call, FrameError, dumps, loads, parse_frame, serialize
from harness.ocppj.session import RpcSession

TEXTS = [
    '[2,"a","Heartbeat",{}]',
    '[2,"a","DataTransfer",{"vendorId":"v","data":"Ünïcode €"}]',
    '[1,{"a":1,"a":2}]',  # duplicate keys: the last value wins
    "[NaN]",
    "[Infinity]",
    "[-Infinity]",
    "[1e400]",  # beyond the double range: the stdlib reads infinity
    "[18446744073709551615]",  # the largest 64-bit unsigned integer
    "[18446744073709551616]",  # one more: orjson would give a float
    "[-9223372036854775808]",
    "[-9223372036854775809]",
    "[123456789012345678901234567890]",
    "[1234567890123456789.5]",
    '["\\ud800"]',  # a lone surrogate, escaped
    '["\\udc00\\ud800"]',
    '["\\ud83d\\ude00"]',  # a valid pair
    '["\\u0000"]',
    "[-0.0, -0, 1E2, 1.5e-7, 0.1]",
]


@pytest.mark.parametrize("text", TEXTS)
def test_loads_reads_as_the_standard_library(text: str) -> None:
    ours, reference = loads(text), json.loads(text)
    assert repr(ours) == repr(reference)  # repr: NaN != NaN, and 1 == 1.0
    assert [type(v) for v in ours] == [type(v) for v in reference]


BAD_TEXTS = [
    "\ufeff[1]",  # a byte-order mark
    '["a\tb"]',  # a raw control character in a string
    "[01]",
    "[1,]",
    "[" * 5000 + "]" * 5000,  # deeper than either parser goes
    '["\ud800"]',  # a lone surrogate in the text itself (not valid UTF-8)
]


@pytest.mark.parametrize("text", BAD_TEXTS, ids=range(len(BAD_TEXTS)))
def test_loads_rejects_what_the_standard_library_rejects(text: str) -> None:
    try:
        reference: Any = json.loads(text)
    except (ValueError, RecursionError) as exc:
        with pytest.raises(type(exc)):
            loads(text)
    else:
        assert repr(loads(text)) == repr(reference)


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        (2**64, "18446744073709551616"),
        (-(2**70), "-1180591620717411303424"),
        (float("nan"), "NaN"),
        (float("inf"), "Infinity"),
        (-math.inf, "-Infinity"),
        ("\ud800", '"\ud800"'),
        ({1: "a"}, '{"1":"a"}'),  # a key that is not a string
        (None, "null"),
        ("null and void", '"null and void"'),
    ],
)
def test_dumps_writes_what_orjson_cannot_as_the_standard_library(value: Any, wire: str) -> None:
    assert dumps({"v": value}) == '{"v":' + wire + "}"


def test_dumps_keeps_text_as_utf8_and_compact() -> None:
    text = serialize(Call("u-1", "DataTransfer", {"vendorId": "Ünïcode", "data": "€"}))
    assert text == '[2,"u-1","DataTransfer",{"vendorId":"Ünïcode","data":"€"}]'
    assert json.loads(dumps({"x": [1.5, 12345.6, 1e-07, 1e16]})) == {
        "x": [1.5, 12345.6, 1e-07, 1e16]
    }


def test_dumps_refuses_what_the_standard_library_refuses() -> None:
    with pytest.raises(TypeError):
        dumps({"when": datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)})
    circular: dict[str, Any] = {}
    circular["self"] = circular
    with pytest.raises(ValueError, match="Circular reference"):
        dumps(circular)


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
def test_frames_orjson_reads_differently_are_classified_as_before(version: str) -> None:
    """NaN and a >64-bit integer parse (the schema judges them); a lone surrogate is kept;
    of duplicate keys the last counts."""
    big = parse_frame(
        '[2,"a","DataTransfer",{"vendorId":"v","data":18446744073709551616}]', version
    )
    assert isinstance(big, Call)
    assert big.payload["data"] == 2**64
    nan = parse_frame('[2,"a","DataTransfer",{"vendorId":"v","data":NaN}]', version)
    assert isinstance(nan, Call)
    assert math.isnan(nan.payload["data"])
    lone = parse_frame('[2,"a","DataTransfer",{"vendorId":"\\ud800"}]', version)
    assert isinstance(lone, Call)
    assert lone.payload["vendorId"] == "\ud800"
    duplicate = parse_frame('[2,"a","Heartbeat",{"x":1,"x":2}]', version)
    assert isinstance(duplicate, Call)
    assert duplicate.payload == {"x": 2}
    event = RpcSession(version).receive('[2,"a","Heartbeat",{"x":Infinity}]')
    assert event.kind is ErrorKind.FORMAT_VIOLATION  # an unknown property, as before


def test_deep_nesting_is_still_not_valid_json() -> None:
    with pytest.raises(FrameError) as caught:
        parse_frame("[" * 5000 + "]" * 5000, "2.0.1")
    assert caught.value.kind is ErrorKind.RPC_FRAMEWORK_ERROR
