"""Schema fuzzing: the generators (valid, near-valid), the engine (deterministic by seed, one
send per payload, bounded shrinking) and the verdict on a SUT's answers."""

from __future__ import annotations

import asyncio
from collections import Counter
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.fuzz import engine
from harness.fuzz.engine import Example, Problem
from harness.fuzz.mutations import mutations
from harness.fuzz.strategies import ABSENT, Omittable, payloads
from harness.fuzz.targets import (
    NEAR_VALID,
    VALID,
    budget,
    csms_targets,
    examples,
    expected,
    judge,
    station_targets,
)
from harness.ocppj.frames import CallError, CallResult
from harness.ocppj.schemas import Direction, check, known_actions
from harness.peers.base import Exchange
from harness.strict import check_payload
from harness.verdicts import HarnessError

VERSIONS = ("1.6", "2.0.1", "2.1")


def _draw(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    found: list[Any] = []

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        derandomize=True,  # the same draws on every run: a self-test must not flake
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: Any) -> None:
        found.append(value)

    collect()
    return found


@pytest.mark.parametrize("version", VERSIONS)
def test_every_schema_yields_valid_payloads(version: str) -> None:
    """Every request and response schema: generated payloads pass the schema and strict rules."""
    for action in sorted(known_actions(version)):
        for direction in Direction:
            try:
                strategy = payloads(version, action, direction)
            except ValueError:
                continue  # e.g. the 2.1 SEND-only message has no response
            for payload in _draw(strategy, 3):
                assert check(version, action, direction, payload) is None, (action, payload)
                strict = check_payload(version, action, direction, payload, toward_station=True)
                assert strict == [], (action, strict)


@pytest.mark.parametrize("version", VERSIONS)
def test_fuzz_targets_yield_valid_and_near_valid_examples(version: str) -> None:
    targets = station_targets(version) + csms_targets(version, [(1, 2), (2, 1)])
    for example in _draw(examples(version, targets, VALID), 60):
        assert check(version, example.action, Direction.REQUEST, example.payload) is None
        assert example.mutation is None
    kinds: Counter[str] = Counter()
    for example in _draw(examples(version, targets, NEAR_VALID), 60):
        violation = check(version, example.action, Direction.REQUEST, example.payload)
        assert violation is not None, example
        assert example.mutation
        kinds[example.mutation.split(":")[0]] += 1
    assert len(kinds) >= 3, kinds


def test_pins_fix_state_changing_fields() -> None:
    for example in _draw(examples("2.0.1", csms_targets("2.0.1", [(2, 1)]), VALID), 80):
        if example.action == "StatusNotification":
            payload = example.payload
            assert (payload["evseId"], payload["connectorId"]) == (2, 1)
            assert payload["connectorStatus"] == "Available"
    for example in _draw(examples("1.6", station_targets("1.6"), VALID), 80):
        if example.action == "ChangeAvailability":
            assert example.payload["type"] == "Operative"
        if example.action == "TriggerMessage":
            assert example.payload["requestedMessage"] in ("Heartbeat", "StatusNotification")
    for payload in _draw(payloads("2.0.1", "Heartbeat", pins={"customData": ABSENT}), 20):
        assert payload == {}
    with pytest.raises(ValueError, match="required"):
        payloads("1.6", "Authorize", pins={"idTag": ABSENT})


def test_long_strings_reach_max_length_without_overrun() -> None:
    lengths = {len(p["vendorId"]) for p in _draw(payloads("1.6", "DataTransfer"), 120)}
    assert max(lengths) > 64, sorted(lengths)
    assert min(lengths) <= 12


def test_mutations_each_break_exactly_the_schema() -> None:
    payload: dict[str, Any] = {
        "reason": "PowerUp",
        "chargingStation": {"model": "M", "vendorName": "V", "modem": {"iccid": "1"}},
    }
    found = mutations("2.0.1", "BootNotification", payload)
    described = {m.describe() for m in found}
    assert "missing required field: chargingStation.model removed" in described
    assert "unknown property: unexpectedField = 1" in described
    assert "not in enumeration: reason = 'powerup'" in described
    assert "wrong type: chargingStation.vendorName = 42" in described
    assert any(d.startswith("too long: chargingStation.modem.iccid") for d in described)
    for mutation in found:
        broken = mutation.apply(payload)
        assert check("2.0.1", "BootNotification", Direction.REQUEST, broken) is not None
    assert payload["chargingStation"]["model"] == "M", "apply must not change its input"


def _longest(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return max((_longest(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return max((_longest(v) for v in value), default=0)
    return 0


async def _fuzz(
    seed_value: int, limit: int = 40, **kwargs: Any
) -> tuple[engine.FuzzResult, list[str]]:
    sent: list[str] = []

    async def probe(example: Example) -> Problem | None:
        sent.append(example.key())
        await asyncio.sleep(0)
        if _longest(example.payload) > limit:
            return Problem("disconnect", "string too long")
        return None

    strategy = examples("1.6", csms_targets("1.6", [(1, 1)]), VALID)
    result = await engine.run(
        strategy, probe, examples=25, seed_value=seed_value, timeout_s=5, **kwargs
    )
    return result, sent


async def test_engine_is_deterministic_by_seed_and_sends_each_payload_once() -> None:
    first, sent = await _fuzz(7)
    again, sent_again = await _fuzz(7)
    _other, sent_other = await _fuzz(8)
    assert sent == sent_again
    assert sent != sent_other
    assert len(sent) == len(set(sent)) == first.sent
    assert first.failure is not None
    assert again.failure is not None
    assert first.failure[0] == again.failure[0]


async def test_engine_shrinks_to_a_minimal_failure() -> None:
    result, _ = await _fuzz(0)
    assert result.failure is not None
    example, problem = result.failure
    assert problem.kind == "disconnect"
    assert _longest(example.payload) == 41, example  # just over the limit
    assert result.first is not None


async def test_shrinking_is_bounded() -> None:
    result, sent = await _fuzz(0, shrink_calls=3)
    assert result.failure is not None
    assert result.shrink_calls <= 3
    assert len(sent) == result.sent
    quick, _ = await _fuzz(0, shrink_s=0.0)
    assert quick.shrink_calls <= 1


async def test_a_passing_sut_passes() -> None:
    result, _sent = await _fuzz(0, limit=10**6)
    assert result.failure is None
    assert result.error is None
    assert 0 < result.sent <= 25
    assert result.rate > 0


async def test_probe_bug_is_an_error_not_a_failure() -> None:
    async def probe(example: Example) -> Problem | None:
        raise KeyError("oops")

    strategy = examples("2.0.1", csms_targets("2.0.1", []), VALID)
    result = await engine.run(strategy, probe, examples=5, seed_value=0, timeout_s=5)
    assert result.failure is None
    assert result.error is not None
    assert "KeyError" in result.error


def _answer(response: Any = None, **kwargs: Any) -> Exchange:
    return Exchange("id-1", response, **kwargs)


def test_judge_valid_and_near_valid_answers() -> None:
    ok = CallResult("id-1", {})
    format_error = CallError("id-1", "FormatViolation", "bad")
    v16_occurrence = CallError("id-1", "OccurenceConstraintViolation", "bad")
    internal = CallError("id-1", "InternalError", "boom")
    assert judge(VALID, _answer(ok), 1) is None
    assert judge(VALID, _answer(ok, problem="schema"), 1) == Problem(
        "invalid CALLRESULT", "invalid CALLRESULT: schema"
    )
    assert judge(VALID, _answer(format_error), 1).kind == "CALLERROR"  # type: ignore[union-attr]
    assert judge(VALID, _answer(closed="code 1011"), 1).kind == "disconnect"  # type: ignore[union-attr]
    assert judge(VALID, _answer(timed_out=True), 1).kind == "no answer"  # type: ignore[union-attr]
    assert judge(NEAR_VALID, _answer(format_error), 1) is None
    assert judge(NEAR_VALID, _answer(v16_occurrence), 1, "1.6") is None
    assert judge(NEAR_VALID, _answer(internal), 1).kind == "wrong error code"  # type: ignore[union-attr]
    assert judge(NEAR_VALID, _answer(ok), 1).kind == "accepted"  # type: ignore[union-attr]


def test_near_valid_codes_are_judged_in_the_versions_spelling() -> None:
    """OCPP-J 1.6 keeps FormationViolation/OccurenceConstraintViolation; 2.x must not use them."""
    v16_occurrence = CallError("id-1", "OccurenceConstraintViolation", "bad")
    v16_formation = CallError("id-1", "FormationViolation", "bad")
    v2_format = CallError("id-1", "FormatViolation", "bad")
    assert judge(NEAR_VALID, _answer(v16_formation), 1, "1.6") is None
    assert judge(NEAR_VALID, _answer(v2_format), 1, "2.1") is None
    wrong = judge(NEAR_VALID, _answer(v16_occurrence), 1, "2.0.1")
    assert wrong is not None
    assert wrong.kind == "wrong error code"
    assert "spells it OccurrenceConstraintViolation" in wrong.detail
    wrong = judge(NEAR_VALID, _answer(v2_format), 1, "1.6")
    assert wrong is not None
    assert "spells it FormationViolation" in wrong.detail


def test_expected_text_uses_the_versions_spellings() -> None:
    v16 = expected(NEAR_VALID, "1.6")
    assert "FormationViolation" in v16
    assert "OccurenceConstraintViolation" in v16
    assert "FormatViolation" not in v16
    assert "OccurrenceConstraintViolation" not in v16
    v2 = expected(NEAR_VALID, "2.0.1")
    assert "FormatViolation" in v2
    assert "OccurrenceConstraintViolation" in v2
    assert "FormationViolation" not in v2
    assert "CALLRESULT" in expected(VALID, "1.6")


def test_a_malformed_answer_is_reported_as_malformed() -> None:
    """A malformed CALLERROR under the CALL's id comes back at once with ``problem`` set and no
    response: that is a malformed answer, not "no answer"."""
    broken = _answer(problem="CALLERROR must have 5 elements, got 4")
    found = judge(NEAR_VALID, broken, 30)
    assert found is not None
    assert found.kind == "malformed answer"
    assert "5 elements" in found.detail
    assert judge(VALID, broken, 30).kind == "malformed answer"  # type: ignore[union-attr]
    assert judge(VALID, _answer(timed_out=True), 30).kind == "no answer"  # type: ignore[union-attr]


_EVSES = [(1, 2), (3, 1)]
_PAIRS = {(1, 1), (1, 2), (3, 1)}


def _ids_of(example: Example) -> list[tuple[str, Any]]:
    """(field, value) of every EVSE/connector id in a generated example."""
    payload = example.payload
    found: list[tuple[str, Any]] = []
    for item in payload.get("getVariableData", []):
        evse = item.get("component", {}).get("evse")
        if evse is not None:
            found.append(("evse", evse))
    for key in ("evse",):
        if key in payload:
            found.append((key, payload[key]))
    for key in ("evseId", "connectorId", "transactionId"):
        if key in payload:
            found.append((key, payload[key]))
    return found


@pytest.mark.parametrize("version", ["2.0.1", "2.1"])
def test_valid_examples_use_ids_the_sut_has_v2(version: str) -> None:
    """EVSE ids > 0 and of the profile, connectors of that EVSE; 0 only as the main meter; a
    StatusNotification trigger names its connector (F06.FR.13)."""
    targets = station_targets(version, _EVSES) + csms_targets(version, _EVSES)
    seen: set[str] = set()
    for example in _draw(examples(version, targets, VALID), 300):
        for key, value in _ids_of(example):
            seen.add(f"{example.action}.{key}")
            if key == "evse":
                assert value["id"] in (1, 3), example
                if "connectorId" in value:
                    assert (value["id"], value["connectorId"]) in _PAIRS, example
            elif key == "evseId" and example.action == "MeterValues":
                assert value in (0, 1, 3), example
            elif key == "evseId":
                assert value in (1, 3), example
            elif key == "connectorId":
                assert (example.payload["evseId"], value) in _PAIRS, example
        trigger = example.payload.get("requestedMessage")
        if example.action == "TriggerMessage" and trigger == "StatusNotification":
            assert "connectorId" in example.payload["evse"], example
        if example.action == "Authorize":  # no PEM chain or certificate hashes made up
            assert not {"certificate", "iso15118CertificateHashData"} & set(example.payload)
        for meter in (
            example.payload.get("meterValue", []) if example.action == "MeterValues" else []
        ):
            assert all("signedMeterValue" not in sampled for sampled in meter["sampledValue"])
    assert {"TriggerMessage.evse", "MeterValues.evseId", "StatusNotification.evseId"} <= seen


def test_valid_examples_use_ids_the_sut_has_v16() -> None:
    """1.6: TriggerMessage connectorId > 0; 0 only for the whole Charge Point or its main meter;
    no MeterValues transactionId (a random one names no transaction)."""
    targets = station_targets("1.6", _EVSES) + csms_targets("1.6", _EVSES)
    trigger_ids: set[int] = set()
    for example in _draw(examples("1.6", targets, VALID), 300):
        ids = dict(_ids_of(example))
        assert "transactionId" not in ids, example
        if "connectorId" not in ids:
            continue
        if example.action == "TriggerMessage":
            trigger_ids.add(ids["connectorId"])
            assert ids["connectorId"] in (1, 3), example
        elif example.action in ("ChangeAvailability", "MeterValues"):
            assert ids["connectorId"] in (0, 1, 3), example
        else:
            assert ids["connectorId"] in (1, 3), example
    assert trigger_ids


def test_an_omittable_pin_is_sometimes_left_out() -> None:
    strategy = payloads("2.0.1", "TriggerMessage", pins={"evse": Omittable(st.just({"id": 1}))})
    drawn = _draw(strategy, 40)
    assert any("evse" in p for p in drawn)
    assert any("evse" not in p for p in drawn)
    assert all(p.get("evse", {"id": 1}) == {"id": 1} for p in drawn)


def test_budget_options() -> None:
    def config(options: dict[str, Any], ini: dict[str, str]) -> Any:
        return SimpleNamespace(getoption=options.get, getini=lambda name: ini.get(name, ""))

    assert budget(config({}, {})) == (25, 0)
    assert budget(config({"ocpp_fuzz_examples": 5}, {"ocpp_fuzz_seed": "9"})) == (5, 9)
    with pytest.raises(HarnessError, match="non-negative"):
        budget(config({}, {"ocpp_fuzz_examples": "many"}))
