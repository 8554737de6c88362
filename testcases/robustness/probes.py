"""What the robustness cases send, per SUT role and OCPP version, and which answers they accept.

Every probe is a CALL with exactly one thing wrong, sent to a SUT of a given role: a harmless read
the SUT always answers (``benign``), an action the protocol defines but only for the other
direction (``foreign``: the SUT knows it and does not take it), and payloads that break one schema
rule of an action every SUT of that role supports. ``tests/test_robustness_probes.py`` checks each
payload against the official schema, so a probe never breaks a rule other than the one it names.

Which CALLERROR codes a case accepts, per version (OCPP-J 1.6 §4.2.3 Table 7; OCPP 2.0.1/2.1
Part 4 §4.3), and why where the tables overlap:

* unreadable frame (invalid JSON, not an array): 2.x RpcFrameworkError, the table's own example
  ("MessageId could not be read"), under MessageId ``-1``; 1.6 has neither that code nor ``-1``, so
  FormationViolation or ProtocolError under any id, or no answer at all;
* malformed frame with a readable id (element count, binary content): 2.x RpcFrameworkError,
  FormatViolation or ProtocolError; 1.6 FormationViolation or ProtocolError; the id echoed;
* missing required field: OccurrenceConstraintViolation, or ProtocolError, whose table text
  ("payload ... incomplete" in 1.6, "not conform the PDU structure" in 2.x) covers it too; in 1.6
  also FormationViolation, whose 1.6 text includes a payload that does not conform to the PDU
  structure (as for an unknown extra property); 2.x FormatViolation only means "syntactically
  incorrect", so 2.x does not take it for a missing field;
* wrong JSON type: TypeConstraintViolation; bad value or too long: PropertyConstraintViolation;
* unknown extra property (the schemas say ``additionalProperties: false``): FormatViolation,
  ProtocolError or OccurrenceConstraintViolation — a field that may occur zero times;
* each code in the version's own spelling: 1.6 keeps FormationViolation and
  OccurenceConstraintViolation (OCPP-J 1.6 errata §5.2: "do not fix"), 2.x must not use them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from harness.config import Role
from harness.ocppj import ErrorKind, error_code

ALL = ("1.6", "2.0.1", "2.1")
V21 = ("2.1",)
NOW = "2025-01-01T00:00:00.000Z"
#: Size of the oversized message: twice the 1 MiB most WebSocket stacks accept by default.
OVERSIZE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Probe:
    """One CALL to send: ``action`` with ``payload``; ``breaks`` says what is wrong with it."""

    action: str
    payload: dict[str, Any]
    breaks: str = ""
    kind: ErrorKind | None = None  # the violation the schema check finds (None: none)


@dataclass(frozen=True, slots=True)
class Probes:
    """The probes for one SUT role and version."""

    benign: Probe
    foreign: Probe
    missing: Probe
    wrong_type: Probe
    bad_values: tuple[Probe, ...]
    extra: Probe

    def invalid(self) -> tuple[Probe, ...]:
        return (self.missing, self.wrong_type, *self.bad_values, self.extra)


_OCC = ErrorKind.OCCURRENCE_CONSTRAINT_VIOLATION
_TYPE = ErrorKind.TYPE_CONSTRAINT_VIOLATION
_PROP = ErrorKind.PROPERTY_CONSTRAINT_VIOLATION
_FORMAT = ErrorKind.FORMAT_VIOLATION


def _csms_probes(version: str) -> Probes:
    """For a CSMS under test: the harness station sends Heartbeat, Authorize, StatusNotification."""
    if version == "1.6":
        return Probes(
            benign=Probe("Heartbeat", {}),
            foreign=Probe("Reset", {"type": "Soft"}, "a Central System never takes a Reset"),
            missing=Probe("Authorize", {}, "idTag missing", _OCC),
            wrong_type=Probe("Authorize", {"idTag": 12345}, "idTag is a number", _TYPE),
            bad_values=(
                Probe(
                    "StatusNotification",
                    {"connectorId": 1, "errorCode": "NoError", "status": "Exploded"},
                    "status not in its enumeration",
                    _PROP,
                ),
                Probe("Authorize", {"idTag": "X" * 21}, "idTag longer than 20", _PROP),
            ),
            extra=Probe(
                "Authorize", {"idTag": "VALID001", "unexpected": True}, "unknown property", _FORMAT
            ),
        )
    token = {"idToken": "VALID001", "type": "ISO14443"}
    return Probes(
        benign=Probe("Heartbeat", {}),
        foreign=Probe("Reset", {"type": "Immediate"}, "a CSMS never takes a Reset"),
        missing=Probe("Authorize", {}, "idToken missing", _OCC),
        wrong_type=Probe("Authorize", {"idToken": "VALID001"}, "idToken is a string", _TYPE),
        bad_values=(
            Probe(
                "StatusNotification",
                {"timestamp": NOW, "connectorStatus": "Exploded", "evseId": 1, "connectorId": 1},
                "connectorStatus not in its enumeration",
                _PROP,
            ),
            Probe(
                "Authorize",
                {"idToken": {"idToken": "X" * 300, "type": "ISO14443"}},
                "idToken longer than its maxLength",
                _PROP,
            ),
        ),
        extra=Probe(
            "Authorize", {"idToken": token, "unexpected": True}, "unknown property", _FORMAT
        ),
    )


def _variable(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "component": {"name": "OCPPCommCtrlr"},
        "variable": {"name": "HeartbeatInterval"},
    }
    data.update(overrides)
    return data


def _station_probes(version: str) -> Probes:
    """For a station under test: the harness CSMS reads and changes configuration."""
    if version == "1.6":
        return Probes(
            benign=Probe("GetConfiguration", {"key": ["HeartbeatInterval"]}),
            foreign=Probe(
                "BootNotification",
                {"chargePointVendor": "ocpp-harness", "chargePointModel": "robustness"},
                "a Charge Point never takes a BootNotification",
            ),
            missing=Probe(
                "ChangeConfiguration", {"key": "HeartbeatInterval"}, "value missing", _OCC
            ),
            wrong_type=Probe(
                "GetConfiguration", {"key": "HeartbeatInterval"}, "key is not an array", _TYPE
            ),
            bad_values=(
                Probe(
                    "ChangeAvailability",
                    {"connectorId": 0, "type": "Sideways"},
                    "type not in its enumeration",
                    _PROP,
                ),
                Probe("GetConfiguration", {"key": ["X" * 51]}, "key longer than 50", _PROP),
            ),
            extra=Probe(
                "GetConfiguration",
                {"key": ["HeartbeatInterval"], "unexpected": True},
                "unknown property",
                _FORMAT,
            ),
        )
    return Probes(
        benign=Probe("GetVariables", {"getVariableData": [_variable()]}),
        foreign=Probe(
            "BootNotification",
            {"reason": "PowerUp", "chargingStation": {"model": "robustness", "vendorName": "x"}},
            "a charging station never takes a BootNotification",
        ),
        missing=Probe("GetVariables", {}, "getVariableData missing", _OCC),
        wrong_type=Probe(
            "GetVariables",
            {"getVariableData": "HeartbeatInterval"},
            "getVariableData is a string",
            _TYPE,
        ),
        bad_values=(
            Probe(
                "GetVariables",
                {"getVariableData": [_variable(attributeType="Bogus")]},
                "attributeType not in its enumeration",
                _PROP,
            ),
            Probe(
                "GetVariables",
                {"getVariableData": [_variable(component={"name": "X" * 51})]},
                "component name longer than 50",
                _PROP,
            ),
        ),
        extra=Probe(
            "GetVariables",
            {"getVariableData": [_variable()], "unexpected": True},
            "unknown property",
            _FORMAT,
        ),
    )


def probes(role: Role, version: str) -> Probes:
    """The probes for a SUT of ``role`` speaking ``version``."""
    return _csms_probes(version) if role is Role.CSMS else _station_probes(version)


def spelled(version: str, kinds: Iterable[ErrorKind]) -> frozenset[str]:
    """The wire codes of ``kinds`` in ``version`` (1.6 spells RpcFrameworkError FormationViolation)."""
    return frozenset(error_code(kind, version) for kind in kinds)


#: Accepted CALLERROR codes per situation (see the module docstring).
UNREADABLE = (ErrorKind.RPC_FRAMEWORK_ERROR,)
UNREADABLE_V16 = (ErrorKind.FORMAT_VIOLATION, ErrorKind.PROTOCOL_ERROR)
BAD_FRAME = (ErrorKind.RPC_FRAMEWORK_ERROR, ErrorKind.FORMAT_VIOLATION, ErrorKind.PROTOCOL_ERROR)
MISSING = (ErrorKind.OCCURRENCE_CONSTRAINT_VIOLATION, ErrorKind.PROTOCOL_ERROR)
#: 1.6 FormationViolation also covers "not conform the PDU structure" (OCPP-J 1.6 Table 7).
MISSING_V16 = (*MISSING, ErrorKind.FORMAT_VIOLATION)
WRONG_TYPE = (ErrorKind.TYPE_CONSTRAINT_VIOLATION,)
BAD_VALUE = (ErrorKind.PROPERTY_CONSTRAINT_VIOLATION,)
EXTRA = (
    ErrorKind.FORMAT_VIOLATION,
    ErrorKind.PROTOCOL_ERROR,
    ErrorKind.OCCURRENCE_CONSTRAINT_VIOLATION,
)
#: A CALL the receiver may refuse for how it arrived (reused id, a second one open at once).
REFUSED_EXCHANGE = (
    ErrorKind.PROTOCOL_ERROR,
    ErrorKind.GENERIC_ERROR,
    ErrorKind.RPC_FRAMEWORK_ERROR,
)
#: 2.1 CALLRESULTERROR for a CALLRESULT with a required field missing.
RESULT_MISSING = (
    ErrorKind.OCCURRENCE_CONSTRAINT_VIOLATION,
    ErrorKind.FORMAT_VIOLATION,
    ErrorKind.PROTOCOL_ERROR,
)


def missing_kinds(version: str) -> tuple[ErrorKind, ...]:
    """The kinds a CALL with a required field missing may get in ``version``."""
    return MISSING_V16 if version == "1.6" else MISSING


#: The kinds a rule-breaking payload may get, by the kind its schema violation has (2.x; for 1.6
#: a missing field may also get FormationViolation: :func:`missing_kinds`).
FOR_VIOLATION: dict[ErrorKind, tuple[ErrorKind, ...]] = {
    _OCC: MISSING,
    _TYPE: WRONG_TYPE,
    _PROP: BAD_VALUE,
    _FORMAT: EXTRA,
}
