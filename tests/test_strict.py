"""Stricter-than-schema checks: each rule on its own, their wiring into the peers' background
receive (warnings on the spec axis, once per place and case), and that they never raise."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.ocppj.schemas import Direction
from harness.ocppj.session import RpcSession
from harness.peers import CsmsPeer, StationPeer
from harness.strict import MAX_FINDINGS, check_payload, plan_for
from harness.verdicts import Axis

REQ, RESP = Direction.REQUEST, Direction.RESPONSE


def _problems(
    version: str,
    action: str,
    payload: dict[str, Any],
    direction: Direction = REQ,
    *,
    toward_station: bool = False,
) -> dict[str, str]:
    found = check_payload(version, action, direction, payload, toward_station=toward_station)
    return {p.path: p.problem for p in found}


def _heartbeat_response(current_time: str) -> dict[str, str]:
    return {"currentTime": current_time}


@pytest.mark.parametrize(
    "stamp",
    [
        "2024-02-29T23:59:59Z",
        "2024-01-01T00:00:00.123+02:00",
        "2024-01-01t00:00:00z",  # RFC 3339 §5.6 allows lower case
        "2016-12-31T23:59:60Z",  # a leap second
    ],
)
@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"])
def test_good_date_times_pass(version: str, stamp: str) -> None:
    assert _problems(version, "Heartbeat", _heartbeat_response(stamp), RESP) == {}


@pytest.mark.parametrize(
    ("stamp", "why"),
    [
        ("2024-01-01T12:00:00", "not an RFC 3339"),  # no offset
        ("2024-01-01 12:00:00Z", "not an RFC 3339"),
        ("2024-01-01T12:00Z", "not an RFC 3339"),  # no seconds
        ("2024-01-01T24:00:00Z", "hour 24"),
        ("2023-02-29T10:00:00Z", "no such calendar date"),
        ("2024-01-01T10:61:00Z", "out of range"),
        ("2024-01-01T10:00:00+25:00", "offset out of range"),
        ("yesterday", "not an RFC 3339"),
    ],
)
def test_bad_date_times_are_reported(stamp: str, why: str) -> None:
    for version in ("1.6", "2.0.1"):
        problems = _problems(version, "Heartbeat", _heartbeat_response(stamp), RESP)
        assert why in problems["currentTime"], (version, problems)


def test_fraction_limit_is_2x_only() -> None:
    payload = _heartbeat_response("2024-01-01T12:00:00.123456Z")
    assert "4" not in str(_problems("1.6", "Heartbeat", payload, RESP))
    assert _problems("1.6", "Heartbeat", payload, RESP) == {}
    assert "6 fractional digits" in _problems("2.0.1", "Heartbeat", payload, RESP)["currentTime"]


def _transaction_event(token: str, tx_id: str, token_type: str = "ISO14443") -> dict[str, Any]:
    return {
        "eventType": "Started",
        "timestamp": "2024-01-01T12:00:00Z",
        "triggerReason": "Authorized",
        "seqNo": 0,
        "transactionInfo": {"transactionId": tx_id},
        "idToken": {"idToken": token, "type": token_type},
        "meterValue": [
            {"timestamp": "2024-01-01T12:00:00Z", "sampledValue": [{"value": 0.1 + 0.2}]},
            {"timestamp": "2024-01-01T12:00:00", "sampledValue": [{"value": 1}]},
        ],
    }


def test_identifier_strings_and_paths() -> None:
    problems = _problems("2.0.1", "TransactionEvent", _transaction_event("AB CD", "tx/1"))
    assert "' '" in problems["idToken.idToken"]
    assert "'/'" in problems["transactionInfo.transactionId"]
    assert "not an RFC 3339" in problems["meterValue[1].timestamp"]
    assert "meterValue[0].timestamp" not in problems
    # decimals from the station keep their full resolution (no six-places rule that way)
    assert not any("sampledValue" in path for path in problems)


def test_empty_identifiers() -> None:
    problems = _problems("2.0.1", "TransactionEvent", _transaction_event("", ""))
    assert problems["transactionInfo.transactionId"] == "empty identifier"
    assert "only NoAuthorization may be empty" in problems["idToken"]
    quiet = _problems("2.0.1", "TransactionEvent", _transaction_event("", "t1", "NoAuthorization"))
    assert list(quiet) == ["meterValue[1].timestamp"]


def test_v16_identifiers_whitespace_and_control_characters() -> None:
    assert "whitespace" in _problems("1.6", "Authorize", {"idTag": " TAG1"})["idTag"]
    assert "control" in _problems("1.6", "Authorize", {"idTag": "TA\x07G"})["idTag"]
    assert _problems("1.6", "Authorize", {"idTag": "any thing"}) == {}


def _v201_profile(limit: float) -> dict[str, Any]:
    return {
        "evseId": 1,
        "chargingProfile": {
            "id": 1,
            "stackLevel": 0,
            "chargingProfilePurpose": "TxDefaultProfile",
            "chargingProfileKind": "Absolute",
            "chargingSchedule": [
                {
                    "id": 1,
                    "chargingRateUnit": "A",
                    "chargingSchedulePeriod": [{"startPeriod": 0, "limit": limit}],
                }
            ],
        },
    }


def test_six_decimals_only_towards_the_station() -> None:
    payload = _v201_profile(16.1234567)
    found = _problems("2.0.1", "SetChargingProfile", payload, toward_station=True)
    path = "chargingProfile.chargingSchedule[0].chargingSchedulePeriod[0].limit"
    assert "7 decimal places" in found[path]
    assert _problems("2.0.1", "SetChargingProfile", payload, toward_station=False) == {}
    assert (
        _problems("2.0.1", "SetChargingProfile", _v201_profile(16.123456), toward_station=True)
        == {}
    )


def test_v16_charging_limits_take_one_decimal() -> None:
    def profile(limit: float) -> dict[str, Any]:
        return {
            "connectorId": 1,
            "csChargingProfiles": {
                "chargingProfileId": 1,
                "stackLevel": 0,
                "chargingProfilePurpose": "TxDefaultProfile",
                "chargingProfileKind": "Absolute",
                "chargingSchedule": {
                    "chargingRateUnit": "A",
                    "chargingSchedulePeriod": [{"startPeriod": 0, "limit": limit}],
                },
            },
        }

    found = _problems("1.6", "SetChargingProfile", profile(8.15), toward_station=True)
    assert list(found.values()) == ["more than one decimal place"]
    assert _problems("1.6", "SetChargingProfile", profile(21.4), toward_station=True) == {}
    assert _problems("1.6", "SetChargingProfile", profile(16), toward_station=True) == {}


def test_int32_range_in_2x() -> None:
    payload = _transaction_event("T1", "t1")
    payload["seqNo"] = 2**31
    assert "32-bit" in _problems("2.0.1", "TransactionEvent", payload)["seqNo"]
    assert _problems("1.6", "StartTransaction", _v16_start(2**40)) == {}


def _v16_start(meter: int) -> dict[str, Any]:
    return {
        "connectorId": 1,
        "idTag": "T1",
        "meterStart": meter,
        "timestamp": "2024-01-01T00:00:00Z",
    }


def test_v16_raw_sampled_value_is_a_decimal() -> None:
    def meter_values(value: str, fmt: str | None = None) -> dict[str, Any]:
        sample: dict[str, Any] = {"value": value}
        if fmt:
            sample["format"] = fmt
        return {
            "connectorId": 1,
            "meterValue": [{"timestamp": "2024-01-01T00:00:00Z", "sampledValue": [sample]}],
        }

    found = _problems("1.6", "MeterValues", meter_values("12,5"))
    assert "not a decimal number" in found["meterValue[0].sampledValue[0]"]
    assert _problems("1.6", "MeterValues", meter_values("12.5")) == {}
    assert _problems("1.6", "MeterValues", meter_values("-3")) == {}
    assert _problems("1.6", "MeterValues", meter_values("a0b1", "SignedData")) == {}


def test_boolean_and_key_case() -> None:
    response = {
        "getVariableResult": [
            {
                "attributeStatus": "Accepted",
                "attributeValue": "True",
                "component": {"name": "AuthCtrlr"},
                "variable": {"name": "Enabled"},
            }
        ]
    }
    found = _problems("2.0.1", "GetVariables", response, RESP)
    assert "spelled 'true'" in found["getVariableResult[0].attributeValue"]
    config = {
        "configurationKey": [{"key": "heartbeatInterval", "readonly": False, "value": "60"}],
        "unknownKey": ["VendorKey"],
    }
    found = _problems("1.6", "GetConfiguration", config, RESP)
    assert found == {
        "configurationKey[0].key": "differs only in case from the standard key 'HeartbeatInterval'"
    }


def test_v21_tariff_formats() -> None:
    plan = plan_for("2.1", "SetDefaultTariff", REQ, True)
    assert plan is not None
    assert plan_for("2.0.1", "ClearCache", REQ, True) is None  # nothing to check: no walk at all


def test_findings_reach_the_case_once_per_place() -> None:
    peer = CsmsPeer("2.0.1", host="127.0.0.1", port=0, response_s=1, action_s=1)
    peer.begin_case("strict")
    peer.hold("TransactionEvent")
    session = RpcSession("2.0.1")

    class _Link:
        version = "2.0.1"

    for unique_id in ("a1", "a2"):
        raw = json.dumps([2, unique_id, "TransactionEvent", _transaction_event("A B", "t1")])
        event = session.receive(raw)
        assert event.ok
        peer._inspect(_Link(), event)  # type: ignore[arg-type]
        peer._on_receive(_Link(), event)  # type: ignore[arg-type]
        session.result(unique_id, {})
    assert [f.axis for f in peer.findings] == [Axis.SPEC, Axis.SPEC]
    assert {f.message.split(" = ")[0] for f in peer.findings} == {
        "TransactionEvent request idToken.idToken",
        "TransactionEvent request meterValue[1].timestamp",
    }
    peer.begin_case("next")
    assert peer.findings == []


def test_finding_count_is_capped() -> None:
    station = StationPeer("2.0.1", url="ws://x", identity="S", response_s=1, action_s=1)
    station.begin_case("cap")
    session = RpcSession("2.0.1")

    def bad_heartbeat(unique_id: str) -> list[str]:
        session.call("Heartbeat", {}, unique_id=unique_id)
        event = session.receive(json.dumps([3, unique_id, {"currentTime": "bad"}]))
        return [f.message for f in station.strict.inspect("2.0.1", event)]

    assert len(bad_heartbeat("h0")) == 1
    assert bad_heartbeat("h1") == []  # same place, same rule: already reported
    station.strict.reset()
    station.strict._seen.update(("filler", str(i), "") for i in range(MAX_FINDINGS))
    (note,) = bad_heartbeat("h2")
    assert "are not listed" in note
    assert bad_heartbeat("h3") == []


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)
_KEYS = st.sampled_from(
    ["timestamp", "idToken", "transactionInfo", "meterValue", "sampledValue", "value", "seqNo"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["1.6", "2.0.1", "2.1"]),
    st.sampled_from(["TransactionEvent", "MeterValues", "GetVariables", "SetChargingProfile"]),
    st.dictionaries(_KEYS, _JSON, max_size=5),
    st.booleans(),
)
def test_checks_never_raise_on_any_json(
    version: str, action: str, payload: dict[str, Any], toward: bool
) -> None:
    for direction in (REQ, RESP):
        check_payload(version, action, direction, payload, toward_station=toward)
