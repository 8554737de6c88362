"""The sans-IO OCPP-J core driven as an in-memory pair: two sessions passing frame text back and forth.

No sockets and no clocks: one :class:`RpcSession` plays the station, the other the CSMS, and each
test checks the events and the CALLERROR codes OCPP-J 1.6 §4 and OCPP 2.0.1/2.1 Part 4 §4 require.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from harness.ocppj import (
    Call,
    CallError,
    CallResult,
    CallResultError,
    Direction,
    ErrorKind,
    LocalProtocolError,
    Received,
    RpcSession,
    Send,
    check,
    error_code,
    known_actions,
    parse_frame,
    serialize,
    valid_codes,
)
from harness.ocppj.errors import kind_of
from harness.ocppj.frames import MAX_UNIQUE_ID_LENGTH, UNREADABLE_ID, FrameError
from harness.ocppj.schemas import validator

VERSIONS = ("1.6", "2.0.1", "2.1")
V2 = ("2.0.1", "2.1")
NOW = "2025-01-01T12:00:00.000Z"

BOOT: dict[str, dict[str, Any]] = {
    "1.6": {"chargePointVendor": "Acme", "chargePointModel": "AC22"},
    "2.0.1": {"reason": "PowerUp", "chargingStation": {"model": "AC22", "vendorName": "Acme"}},
    "2.1": {"reason": "PowerUp", "chargingStation": {"model": "AC22", "vendorName": "Acme"}},
}
BOOT_ACCEPTED = {"status": "Accepted", "currentTime": NOW, "interval": 300}


def pair(version: str) -> tuple[RpcSession, RpcSession]:
    """(station, csms): the two ends of one connection."""
    return RpcSession(version), RpcSession(version)


def deliver(
    frame: Call | Send | CallResult | CallError | CallResultError, to: RpcSession
) -> Received:
    """Put ``frame`` on the wire as text and let ``to`` receive it."""
    return to.receive(serialize(frame))


def boot_request(version: str, **changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = copy.deepcopy(BOOT[version])
    payload.update(changes)
    return payload


def assert_replied(event: Received, kind: ErrorKind, version: str, unique_id: str) -> CallError:
    """``event`` is a problem the receiver answers with a CALLERROR of ``kind`` for ``version``."""
    assert event.problem, "the frame should have been flagged"
    assert event.kind is kind
    reply = event.reply
    assert isinstance(reply, CallError), f"expected a CALLERROR reply, got {reply!r}"
    assert reply.code == error_code(kind, version)
    assert reply.unique_id == unique_id
    assert reply.code in valid_codes(version)
    return reply


# -- happy paths -------------------------------------------------------------------------------
@pytest.mark.parametrize("version", VERSIONS)
def test_call_and_callresult_correlate_by_unique_id(version: str) -> None:
    station, csms = pair(version)
    call = station.call("BootNotification", BOOT[version])
    inbound = deliver(call, csms)
    assert inbound.ok
    assert inbound.reply is None
    assert inbound.frame == call
    assert csms.open_inbound == (call,)

    answer = deliver(csms.result(call.unique_id, BOOT_ACCEPTED), station)
    assert answer.ok
    assert answer.request == call
    assert isinstance(answer.frame, CallResult)
    assert answer.frame.unique_id == call.unique_id
    assert answer.frame.payload == BOOT_ACCEPTED
    assert not station.open_outbound
    assert not csms.open_inbound


@pytest.mark.parametrize("version", VERSIONS)
def test_callerror_round_trip(version: str) -> None:
    station, csms = pair(version)
    call = station.call("Heartbeat", {})
    deliver(call, csms)
    error = csms.error(call.unique_id, ErrorKind.NOT_SUPPORTED, "not today", {"hint": "later"})
    assert error.code == "NotSupported"
    answer = deliver(error, station)
    assert answer.ok
    assert answer.request == call
    assert answer.frame == CallError(call.unique_id, "NotSupported", "not today", {"hint": "later"})
    assert not station.open_outbound
    assert not csms.open_inbound


@pytest.mark.parametrize("version", VERSIONS)
def test_callerror_spells_the_code_for_the_version(version: str) -> None:
    _, csms = pair(version)
    error = csms.error("abc", ErrorKind.OCCURRENCE_CONSTRAINT_VIOLATION)
    expected = (
        "OccurenceConstraintViolation" if version == "1.6" else "OccurrenceConstraintViolation"
    )
    assert error.code == expected
    assert csms.error("abc", "VendorCode").code == "VendorCode"  # a string goes out as given


@pytest.mark.parametrize("version", VERSIONS)
def test_one_open_call_per_direction(version: str) -> None:
    station, csms = pair(version)
    first = station.call("Heartbeat", {})
    with pytest.raises(LocalProtocolError, match="still unanswered"):
        station.call("Heartbeat", {})
    second = station.call("Heartbeat", {}, concurrent=True)  # a deliberate violation
    assert station.open_outbound == (first, second)
    assert first.unique_id != second.unique_id

    assert deliver(first, csms).ok
    late = deliver(second, csms)
    # not a problem of the frame: the peer grades it (1.6 SHOULD NOT, 2.x SHALL NOT)
    assert late.ok
    assert late.warning is not None
    assert "still unanswered" in late.warning
    assert late.reply is None


@pytest.mark.parametrize("version", VERSIONS)
def test_outbound_payloads_are_validated_unless_told_not_to(version: str) -> None:
    station, csms = pair(version)
    with pytest.raises(LocalProtocolError, match="not schema-valid"):
        station.call("BootNotification", {})
    assert not station.open_outbound
    call = station.call("BootNotification", {}, validate=False)
    assert deliver(call, csms).kind is ErrorKind.OCCURRENCE_CONSTRAINT_VIOLATION

    station, csms = pair(version)
    call = station.call("BootNotification", BOOT[version])
    deliver(call, csms)
    with pytest.raises(LocalProtocolError):
        csms.result(call.unique_id, {"status": "Accepted"})
    assert csms.open_inbound == (call,)  # still owed an answer
    assert csms.result(call.unique_id, {"status": "Maybe"}, validate=False).payload == {
        "status": "Maybe"
    }


# -- malformed inbound frames: the version-correct CALLERROR ------------------------------------
UNPARSABLE = {
    "invalid JSON": '[2, "abc", "Heartbeat", {',
    "not an array": '{"messageTypeId": 2}',
    "empty array": "[]",
    "string message type": '["2", "abc", "Heartbeat", {}]',
    "boolean message type": '[true, "abc", "Heartbeat", {}]',
    "id not a string": '[2, 17, "Heartbeat", {}]',
    "empty id": '[2, "", "Heartbeat", {}]',
    "id too long": json.dumps([2, "x" * (MAX_UNIQUE_ID_LENGTH + 1), "Heartbeat", {}]),
    "id missing": "[2]",
}


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("text", UNPARSABLE.values(), ids=UNPARSABLE.keys())
def test_unreadable_frames_get_rpc_framework_error_with_id_minus_one(
    version: str, text: str
) -> None:
    _, csms = pair(version)
    event = csms.receive(text)
    assert event.frame is None
    reply = assert_replied(event, ErrorKind.RPC_FRAMEWORK_ERROR, version, UNREADABLE_ID)
    assert reply.code == ("FormationViolation" if version == "1.6" else "RpcFrameworkError")


@pytest.mark.parametrize("version", VERSIONS)
def test_binary_frame_is_refused(version: str) -> None:
    _, csms = pair(version)
    event = csms.receive(b'[2,"abc","Heartbeat",{}]')
    assert event.frame is None
    assert event.problem
    assert "binary" in event.problem
    assert_replied(event, ErrorKind.RPC_FRAMEWORK_ERROR, version, UNREADABLE_ID)


@pytest.mark.parametrize("version", VERSIONS)
def test_unknown_message_type_is_ignored_except_in_2_0_1(version: str) -> None:
    """1.6 §4.1.3 and 2.1 Part 4 §4.1.3 ignore it; 2.0.1 answers MessageTypeNotSupported."""
    _, csms = pair(version)
    event = csms.receive('[9, "abc", "Heartbeat", {}]')
    assert event.frame is None
    assert event.kind is ErrorKind.MESSAGE_TYPE_NOT_SUPPORTED
    assert event.problem
    if version == "2.0.1":
        reply = assert_replied(event, ErrorKind.MESSAGE_TYPE_NOT_SUPPORTED, version, "abc")
        assert reply.code == "MessageTypeNotSupported"
    else:
        assert event.reply is None


@pytest.mark.parametrize("type_id", [5, 6])
def test_message_types_5_and_6_exist_only_in_2_1(type_id: int) -> None:
    frame = (
        [6, "abc", "Heartbeat", {}]
        if type_id == 6
        else [5, "abc", "OccurrenceConstraintViolation", "", {}]
    )
    text = json.dumps(frame)
    _, old = pair("2.0.1")
    assert_replied(old.receive(text), ErrorKind.MESSAGE_TYPE_NOT_SUPPORTED, "2.0.1", "abc")

    _, new = pair("2.1")
    event = new.receive(text)
    assert event.ok
    assert event.reply is None
    assert isinstance(event.frame, Send if type_id == 6 else CallResultError)


@pytest.mark.parametrize("version", VERSIONS)
def test_wrong_element_count_keeps_the_readable_id(version: str) -> None:
    _, csms = pair(version)
    event = csms.receive('[2, "abc", "Heartbeat"]')
    assert_replied(event, ErrorKind.RPC_FRAMEWORK_ERROR, version, "abc")
    event = csms.receive('[2, "abd", "Heartbeat", {}, {}]')
    assert_replied(event, ErrorKind.RPC_FRAMEWORK_ERROR, version, "abd")


@pytest.mark.parametrize("version", VERSIONS)
def test_payload_not_an_object_is_a_format_violation(version: str) -> None:
    _, csms = pair(version)
    reply = assert_replied(
        csms.receive('[2, "abc", "Heartbeat", []]'), ErrorKind.FORMAT_VIOLATION, version, "abc"
    )
    assert reply.code == ("FormationViolation" if version == "1.6" else "FormatViolation")


@pytest.mark.parametrize("version", VERSIONS)
def test_unknown_action_is_not_implemented_not_not_supported(version: str) -> None:
    _, csms = pair(version)
    event = csms.receive('[2, "abc", "FlyToTheMoon", {}]')
    reply = assert_replied(event, ErrorKind.NOT_IMPLEMENTED, version, "abc")
    assert reply.code == "NotImplemented"
    assert not csms.open_inbound  # answered: nothing left open


def schema_cases(version: str) -> dict[str, tuple[dict[str, Any], ErrorKind]]:
    """BootNotification payloads that break one schema rule each, with the kind they deserve."""
    long_name = "x" * 60
    if version == "1.6":
        return {
            "missing required": (
                {"chargePointVendor": "Acme"},
                ErrorKind.OCCURRENCE_CONSTRAINT_VIOLATION,
            ),
            "wrong type": (
                boot_request(version, chargePointModel=22),
                ErrorKind.TYPE_CONSTRAINT_VIOLATION,
            ),
            "too long": (
                boot_request(version, chargePointVendor=long_name),
                ErrorKind.PROPERTY_CONSTRAINT_VIOLATION,
            ),
            "extra property": (boot_request(version, colour="red"), ErrorKind.FORMAT_VIOLATION),
        }
    station = {"model": "AC22", "vendorName": "Acme"}
    return {
        "missing required": ({"reason": "PowerUp"}, ErrorKind.OCCURRENCE_CONSTRAINT_VIOLATION),
        "wrong type": (
            boot_request(version, chargingStation={**station, "model": 22}),
            ErrorKind.TYPE_CONSTRAINT_VIOLATION,
        ),
        "bad enum": (
            boot_request(version, reason="Bored"),
            ErrorKind.PROPERTY_CONSTRAINT_VIOLATION,
        ),
        "too long": (
            boot_request(version, chargingStation={**station, "vendorName": long_name}),
            ErrorKind.PROPERTY_CONSTRAINT_VIOLATION,
        ),
        "extra property": (boot_request(version, colour="red"), ErrorKind.FORMAT_VIOLATION),
    }


SCHEMA_CASES = [
    pytest.param(version, name, id=f"{version}-{name}")
    for version in VERSIONS
    for name in schema_cases(version)
]


@pytest.mark.parametrize(("version", "case"), SCHEMA_CASES)
def test_schema_violations_map_to_the_spec_error_codes(version: str, case: str) -> None:
    payload, kind = schema_cases(version)[case]
    _, csms = pair(version)
    event = csms.receive(json.dumps([2, "abc", "BootNotification", payload]))
    assert isinstance(event.frame, Call)
    reply = assert_replied(event, kind, version, "abc")
    if version == "1.6":
        spelled = {
            ErrorKind.OCCURRENCE_CONSTRAINT_VIOLATION: "OccurenceConstraintViolation",
            ErrorKind.FORMAT_VIOLATION: "FormationViolation",
        }
        assert reply.code == spelled.get(kind, kind.value)
    else:
        assert reply.code == kind.value


def test_1_6_enum_violation_is_a_property_constraint_violation() -> None:
    _, csms = pair("1.6")
    payload = {"connectorId": 1, "errorCode": "NoError", "status": "Sleepy"}
    event = csms.receive(json.dumps([2, "abc", "StatusNotification", payload]))
    assert_replied(event, ErrorKind.PROPERTY_CONSTRAINT_VIOLATION, "1.6", "abc")


# -- responses -----------------------------------------------------------------------------------
@pytest.mark.parametrize("version", VERSIONS)
def test_callresult_for_an_unknown_id_is_flagged(version: str) -> None:
    station, _ = pair(version)
    event = station.receive(json.dumps([3, "never-sent", {}]))
    assert isinstance(event.frame, CallResult)
    assert event.request is None
    assert event.kind is ErrorKind.PROTOCOL_ERROR
    assert event.problem
    assert "unknown unique id" in event.problem
    assert event.reply is None  # a result is never answered with a CALLERROR


@pytest.mark.parametrize("version", VERSIONS)
def test_invalid_callresult_payload(version: str) -> None:
    station, csms = pair(version)
    call = station.call("BootNotification", BOOT[version])
    deliver(call, csms)
    bad = csms.result(call.unique_id, {"status": "Accepted"}, validate=False)
    event = deliver(bad, station)
    assert event.request == call
    assert event.kind is ErrorKind.OCCURRENCE_CONSTRAINT_VIOLATION
    assert event.problem
    assert not station.open_outbound  # answered, however badly
    if version == "2.1":
        assert isinstance(event.reply, CallResultError)
        assert event.reply.unique_id == call.unique_id
        assert event.reply.code == "OccurrenceConstraintViolation"
    else:
        assert event.reply is None  # 1.6 and 2.0.1 have no way to answer a CALLRESULT


@pytest.mark.parametrize(
    ("version", "code", "defined"),
    [
        ("1.6", "FormationViolation", True),
        ("1.6", "OccurenceConstraintViolation", True),
        ("1.6", "RpcFrameworkError", False),
        ("1.6", "MessageTypeNotSupported", False),
        ("2.0.1", "FormatViolation", True),
        ("2.0.1", "FormationViolation", False),
        ("2.0.1", "OccurenceConstraintViolation", False),
        ("2.1", "MessageTypeNotSupported", True),
        ("2.1", "Oops", False),
    ],
)
def test_callerror_code_must_be_defined_in_the_version(
    version: str, code: str, defined: bool
) -> None:
    station, _ = pair(version)
    call = station.call("Heartbeat", {})
    event = station.receive(json.dumps([4, call.unique_id, code, "", {}]))
    assert event.request == call
    assert isinstance(event.frame, CallError)
    if defined:
        assert event.ok
    else:
        assert event.kind is ErrorKind.PROTOCOL_ERROR
        assert event.problem
        assert code in event.problem
    assert event.reply is None


@pytest.mark.parametrize("version", VERSIONS)
def test_forget_makes_a_late_answer_unknown(version: str) -> None:
    station, csms = pair(version)
    call = station.call("Heartbeat", {})
    deliver(call, csms)
    assert station.forget(call.unique_id) == call
    assert station.forget(call.unique_id) is None
    station.call("Heartbeat", {})  # the slot is free again
    late = deliver(csms.result(call.unique_id, {"currentTime": NOW}), station)
    assert late.request is None
    assert late.problem
    assert "unknown unique id" in late.problem


# -- SEND and ids -----------------------------------------------------------------------------------
STREAM = {"id": 1, "pending": 0, "basetime": NOW, "data": [{"t": 0, "v": "21.5"}]}


def test_send_in_2_1_is_never_answered() -> None:
    station, csms = pair("2.1")
    send = station.send("NotifyPeriodicEventStream", STREAM)
    assert isinstance(send, Send)
    assert not station.open_outbound
    event = deliver(send, csms)
    assert event.ok
    assert event.reply is None
    assert event.frame == send
    assert not csms.open_inbound

    bad = csms.receive(json.dumps([6, "s-2", "NotifyPeriodicEventStream", {"id": 1}]))
    assert bad.kind is ErrorKind.OCCURRENCE_CONSTRAINT_VIOLATION
    assert bad.reply is None  # a SEND is never answered, not even when it is wrong
    unknown = csms.receive(json.dumps([6, "s-3", "Teleport", {}]))
    assert unknown.kind is ErrorKind.NOT_IMPLEMENTED
    assert unknown.reply is None


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
def test_send_is_refused_before_2_1(version: str) -> None:
    station, _ = pair(version)
    with pytest.raises(LocalProtocolError, match="SEND"):
        station.send("Heartbeat", {})


@pytest.mark.parametrize("version", VERSIONS)
def test_duplicate_unique_id_is_flagged(version: str) -> None:
    _, csms = pair(version)
    assert csms.receive('[2, "dup", "Heartbeat", {}]').ok
    again = csms.receive('[2, "dup", "Heartbeat", {}]')
    assert again.kind is ErrorKind.PROTOCOL_ERROR
    assert again.problem
    assert "duplicate unique id" in again.problem


@pytest.mark.parametrize("version", VERSIONS)
def test_generated_ids_are_unique_and_short_enough(version: str) -> None:
    station, other = pair(version)
    ids = {station.new_id() for _ in range(1000)} | {other.new_id() for _ in range(1000)}
    assert len(ids) == 2000
    assert all(0 < len(uid) <= MAX_UNIQUE_ID_LENGTH for uid in ids)


# -- frames ----------------------------------------------------------------------------------------
def test_serialize_is_compact_and_keeps_unicode() -> None:
    text = serialize(Call("u-1", "DataTransfer", {"vendorId": "Ünïcode", "data": "€"}))
    assert text == '[2,"u-1","DataTransfer",{"vendorId":"Ünïcode","data":"€"}]'
    assert parse_frame(text, "2.0.1") == Call(
        "u-1", "DataTransfer", {"vendorId": "Ünïcode", "data": "€"}
    )
    assert serialize(CallError("u-1", "GenericError")) == '[4,"u-1","GenericError","",{}]'


def test_serialize_refuses_a_circular_payload() -> None:
    payload: dict[str, Any] = {}
    payload["self"] = payload
    with pytest.raises(ValueError, match="Circular"):
        serialize(Call("u-1", "DataTransfer", payload))


def test_parse_frame_raises_only_frame_error() -> None:
    with pytest.raises(FrameError) as info:
        parse_frame('[4, "abc", 17, "", {}]', "2.0.1")
    assert info.value.kind is ErrorKind.RPC_FRAMEWORK_ERROR
    assert info.value.unique_id == "abc"


# -- error-code tables -----------------------------------------------------------------------------
def test_kind_of_reads_both_spellings() -> None:
    assert kind_of("FormationViolation") is ErrorKind.FORMAT_VIOLATION
    assert kind_of("FormatViolation") is ErrorKind.FORMAT_VIOLATION
    assert kind_of("OccurenceConstraintViolation") is ErrorKind.OCCURRENCE_CONSTRAINT_VIOLATION
    assert kind_of("OccurrenceConstraintViolation") is ErrorKind.OCCURRENCE_CONSTRAINT_VIOLATION
    assert kind_of("NotImplemented") is ErrorKind.NOT_IMPLEMENTED
    assert kind_of("NotSupported") is ErrorKind.NOT_SUPPORTED
    assert kind_of("MessageTypeNotSupported") is ErrorKind.MESSAGE_TYPE_NOT_SUPPORTED
    assert kind_of("Bogus") is None


@pytest.mark.parametrize("kind", list(ErrorKind))
def test_error_code_is_valid_in_every_version(kind: ErrorKind) -> None:
    for version in VERSIONS:
        code = error_code(kind, version)
        assert code in valid_codes(version)
        if version != "1.6" or kind not in (
            ErrorKind.RPC_FRAMEWORK_ERROR,
            ErrorKind.MESSAGE_TYPE_NOT_SUPPORTED,
        ):
            assert kind_of(code) is kind


def test_valid_codes_per_version() -> None:
    v16, v2 = valid_codes("1.6"), valid_codes("2.0.1")
    assert v2 == valid_codes("2.1")
    assert {"FormationViolation", "OccurenceConstraintViolation"} <= v16
    assert not {"RpcFrameworkError", "MessageTypeNotSupported", "FormatViolation"} & v16
    assert {"RpcFrameworkError", "MessageTypeNotSupported", "FormatViolation"} <= v2
    assert not {"FormationViolation", "OccurenceConstraintViolation"} & v2
    assert len(v16) == 10
    assert len(v2) == 12


# -- schemas -----------------------------------------------------------------------------------------
#: The only action with a request schema and no response schema: the 2.1 SEND-only message.
SEND_ONLY = {("2.1", "NotifyPeriodicEventStream")}

ALL_ACTIONS = [
    pytest.param(version, action, id=f"{version}-{action}")
    for version in VERSIONS
    for action in sorted(known_actions(version))
]


@pytest.mark.parametrize(("version", "action"), ALL_ACTIONS)
def test_every_known_action_compiles(version: str, action: str) -> None:
    assert validator(version, action, Direction.REQUEST) is not None
    response = validator(version, action, Direction.RESPONSE)
    assert (response is None) == ((version, action) in SEND_ONLY)


def test_known_actions_per_version() -> None:
    assert {"BootNotification", "Heartbeat", "StartTransaction"} <= known_actions("1.6")
    assert "TransactionEvent" in known_actions("2.0.1")
    assert "StartTransaction" not in known_actions("2.0.1")
    assert "NotifyPeriodicEventStream" in known_actions("2.1")
    assert known_actions("2.0.1") < known_actions("2.1")
    with pytest.raises(ValueError, match="unsupported OCPP version"):
        known_actions("3.0")


def test_1_6_multiple_of_accepts_one_decimal_limits() -> None:
    """21.4 is not an exact multiple of 0.1 in binary floating point; it is valid all the same."""
    profile = {
        "connectorId": 1,
        "csChargingProfiles": {
            "chargingProfileId": 1,
            "stackLevel": 0,
            "chargingProfilePurpose": "TxDefaultProfile",
            "chargingProfileKind": "Absolute",
            "chargingSchedule": {
                "chargingRateUnit": "A",
                "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 21.4}],
            },
        },
    }
    assert check("1.6", "SetChargingProfile", Direction.REQUEST, profile) is None
    station, csms = pair("1.6")
    event = deliver(csms.call("SetChargingProfile", profile), station)
    assert event.ok


def test_validation_never_writes_defaults_into_the_payload() -> None:
    """The schemas' ``default`` values are documentation: a checked payload stays as it was."""
    event = {
        "eventType": "Updated",
        "timestamp": NOW,
        "triggerReason": "MeterValuePeriodic",
        "seqNo": 1,
        "transactionInfo": {"transactionId": "tx-1"},
        "meterValue": [{"timestamp": NOW, "sampledValue": [{"value": 1.5, "unitOfMeasure": {}}]}],
    }
    before = json.dumps(event)
    assert check("2.0.1", "TransactionEvent", Direction.REQUEST, event) is None
    assert json.dumps(event) == before
    station, csms = pair("2.0.1")
    call = station.call("TransactionEvent", event)
    assert '"offline"' not in serialize(call)
    received = deliver(call, csms)
    assert isinstance(received.frame, Call)
    assert received.frame.payload == json.loads(before)


@pytest.mark.parametrize("version", VERSIONS)
def test_validate_false_skips_inbound_checks(version: str) -> None:
    station = RpcSession(version)
    csms = RpcSession(version, validate=False)
    event = deliver(station.call("BootNotification", {}, validate=False), csms)
    assert event.ok
    assert csms.receive('[2, "x", "Teleport", {}]').kind is ErrorKind.NOT_IMPLEMENTED
