"""Named faults ("mutants") of the reference SUTs: each changes exactly one behaviour.

Every OCA test case names the faults it must kill (``@oca(..., kills=(...))``); the mutant matrix
self-test runs the case against the reference SUT with each of them and requires a FAIL. Select
them for a built-in SUT with ``--ocpp-fault NAME`` (repeatable).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Fault:
    """One seeded fault: which reference SUT it applies to and what it breaks."""

    name: str
    sut: str  # "reference-station" | "reference-csms"
    versions: tuple[str, ...]
    breaks: str


_ALL = ("1.6", "2.0.1", "2.1")
_V2 = ("2.0.1", "2.1")
_V21 = ("2.1",)
_STATION = "reference-station"
_CSMS = "reference-csms"

#: RPC-framework rules both reference SUTs can break (``harness.reference.rpc_faults``): the
#: station's fault is ``rpc-<rule>``, the CSMS's ``csms-rpc-<rule>``.
_RPC_RULES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        "closes-on-invalid-json",
        _ALL,
        "closes the connection (1002) when a message is not valid JSON instead of answering it",
    ),
    (
        "closes-on-unknown-message-type",
        _ALL,
        "closes the connection when a frame carries a MessageTypeId it does not know",
    ),
    (
        "wrong-error-code",
        _ALL,
        "answers with the wrong CALLERROR code: GenericError for frames it cannot parse, "
        "NotSupported for unknown actions, NotImplemented for known unsupported ones, "
        "FormatViolation for every schema violation",
    ),
    (
        "silent-on-malformed",
        _ALL,
        "sends no CALLERROR for a CALL it rejects (malformed frame, unknown action, bad payload)",
    ),
    (
        "wrong-id-in-error",
        _ALL,
        "answers a CALL it rejects with a CALLERROR under a fresh unique id, not the CALL's",
    ),
    (
        "closes-on-duplicate-id",
        _ALL,
        "closes the connection when a CALL reuses a unique id",
    ),
    (
        "errors-unknown-result",
        _ALL,
        "answers a CALLRESULT for a unique id it never sent with a CALLERROR",
    ),
    (
        "drops-concurrent-call",
        _ALL,
        "never answers a CALL that arrives while an earlier one is still unanswered",
    ),
    (
        "drops-on-binary",
        _ALL,
        "drops the TCP connection without a close frame when a binary message arrives",
    ),
    (
        "crashes-on-invalid-utf8",
        _ALL,
        "stops for good after failing a connection over text that is not UTF-8 (1007): the "
        "station never reconnects, the CSMS accepts no new connection",
    ),
    (
        "crashes-on-oversized",
        _ALL,
        "stops for good after failing a connection over a message above 1 MiB (1009): the "
        "station never reconnects, the CSMS accepts no new connection",
    ),
    (
        "rejects-late-response",
        _ALL,
        "gives up on its CALL after 0.3 s, ignores the late answer and sends its next CALL",
    ),
    ("answers-send", _V21, "answers a SEND (which is never answered) with a CALLRESULT"),
    (
        "no-callresulterror",
        _V21,
        "answers an invalid CALLRESULT with a CALLERROR instead of a CALLRESULTERROR",
    ),
)

FAULTS: dict[str, Fault] = {
    f.name: f
    for f in (
        # -- reference charging station --------------------------------------------------------
        Fault(
            "boot-ignores-interval",
            _STATION,
            _ALL,
            "heartbeats every 300 s whatever interval the BootNotification response gives",
        ),
        Fault(
            "boot-skips-status",
            _STATION,
            _ALL,
            "sends no StatusNotification for its connectors after an accepted boot",
        ),
        Fault(
            "pending-sends-status",
            _STATION,
            _ALL,
            "sends StatusNotification while its boot is still Pending",
        ),
        Fault(
            "rejected-retries-immediately",
            _STATION,
            _V2,
            "retries a Rejected BootNotification at once instead of after the interval",
        ),
        Fault(
            "getvariables-rejects-known",
            _STATION,
            _V2,
            "answers GetVariables for a known variable with UnknownVariable",
        ),
        Fault(
            "config-change-not-applied",
            _STATION,
            _ALL,
            "accepts SetVariables/ChangeConfiguration but keeps the old value",
        ),
        Fault(
            "getconfiguration-missing-keys",
            _STATION,
            ("1.6",),
            "leaves required keys (HeartbeatInterval...) out of GetConfiguration",
        ),
        Fault(
            "tx-reports-wrong-token",
            _STATION,
            _ALL,
            "reports a different idToken/idTag than the one presented in its transaction",
        ),
        Fault(
            "remote-start-ignored",
            _STATION,
            _ALL,
            "accepts a remote start but never starts a transaction",
        ),
        Fault(
            "remote-stop-ignored",
            _STATION,
            _ALL,
            "accepts a remote stop but keeps the transaction running",
        ),
        Fault(
            "availability-no-status",
            _STATION,
            _V2,
            "accepts ChangeAvailability but reports no status change",
        ),
        Fault(
            "datatransfer-accepts-unknown-vendor",
            _STATION,
            _ALL,
            "answers DataTransfer from an unknown vendor with Accepted",
        ),
        # -- both: what the schema fuzzer finds (RB_FUZZ_*, harness.reference.fuzz_faults) --
        Fault(
            "drops-on-long-string",
            _STATION,
            _ALL,
            "drops the connection when a CALL carries a string longer than 64 characters",
        ),
        Fault(
            "accepts-invalid-payload",
            _STATION,
            _ALL,
            "does not validate inbound CALLs: a payload that breaks its schema gets no "
            "validation CALLERROR",
        ),
        Fault(
            "csms-fails-on-long-string",
            _CSMS,
            _ALL,
            "answers InternalError to a CALL carrying a string longer than 64 characters",
        ),
        Fault(
            "csms-accepts-invalid-payload",
            _CSMS,
            _ALL,
            "does not validate inbound CALLs: a payload that breaks its schema gets no "
            "validation CALLERROR",
        ),
        # -- reference CSMS -------------------------------------------------------------------
        Fault("csms-boot-rejects", _CSMS, _ALL, "rejects every BootNotification"),
        Fault(
            "csms-boot-stale-time",
            _CSMS,
            _ALL,
            "answers BootNotification and Heartbeat with a currentTime one hour off",
        ),
        Fault(
            "csms-subprotocol-first-offered",
            _CSMS,
            _V2,
            "selects the first subprotocol a station offers, even one it does not support",
        ),
        Fault(
            "csms-auth-rejects-all",
            _CSMS,
            _V2,
            "refuses every connection, even with valid credentials",
        ),
        Fault(
            "csms-auth-ignores-username",
            _CSMS,
            _V2,
            "accepts Basic credentials whose username is not the station identity",
        ),
        Fault("csms-auth-accepts-any-password", _CSMS, _V2, "accepts any Basic auth password"),
        Fault(
            "csms-accepts-unknown-token", _CSMS, _ALL, "authorizes tokens that are not in its list"
        ),
        Fault(
            "csms-tx-rejects-valid-token",
            _CSMS,
            _ALL,
            "answers a transaction with a valid token as Invalid",
        ),
        Fault(
            "csms-remote-start-wrong-token",
            _CSMS,
            _ALL,
            "sends a remote start with a different token than the operator asked for",
        ),
        Fault(
            "csms-availability-wrong-status",
            _CSMS,
            _ALL,
            "sends ChangeAvailability Operative when asked to make the EVSE inoperative",
        ),
        # -- both: the RPC framework under malformed input (robustness profile) -------------
        *(
            Fault(f"rpc-{rule}", _STATION, versions, breaks)
            for rule, versions, breaks in _RPC_RULES
        ),
        *(
            Fault(f"csms-rpc-{rule}", _CSMS, versions, breaks)
            for rule, versions, breaks in _RPC_RULES
        ),
    )
}


class UnknownFault(ValueError):
    """A ``--ocpp-fault`` name that does not exist or does not fit the SUT."""


def select_faults(names: list[str] | tuple[str, ...], sut: str, version: str) -> frozenset[str]:
    """Validate fault names for a built-in SUT and OCPP version."""
    for name in names:
        fault = FAULTS.get(name)
        if fault is None:
            close = difflib.get_close_matches(name, FAULTS, n=3)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise UnknownFault(f"unknown fault {name!r}.{hint} Known: {', '.join(sorted(FAULTS))}")
        if fault.sut != sut:
            raise UnknownFault(f"fault {name!r} applies to the {fault.sut}, not the {sut}")
        if version not in fault.versions:
            raise UnknownFault(f"fault {name!r} does not exist for OCPP {version}")
    return frozenset(names)
