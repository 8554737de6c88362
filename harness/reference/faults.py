"""Named faults ("mutants") of the reference SUTs: each changes exactly one behaviour.

Every OCA test case names the faults it must kill (``@oca(..., kills=(...))``); the mutant matrix
self-test runs the case against the reference SUT with each of them and requires a FAIL on the
requirement the fault targets (:meth:`Fault.expects`, judged by :meth:`Fault.killed`): a FAIL in
set-up, on a precondition or on an unrelated check proves nothing about the case's own check.
Select them for a built-in SUT with ``--ocpp-fault NAME`` (repeatable).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

#: A failed requirement starting with this is set-up, never a kill.
PRECONDITION = "precondition"


@dataclass(frozen=True, slots=True)
class Fault:
    """One seeded fault: which reference SUT it applies to, what it breaks, and the requirement
    a case killing it must fail on.

    ``requirement`` is a requirement id or a distinctive part of the check's text that must
    appear in the case's ``failed_requirement`` (results.json); ``per_case`` overrides it for a
    case (``"TC_001_CS"``) or a case in one version (``"RB_01_CS@1.6"``) that checks the same
    behaviour under another requirement.
    """

    name: str
    sut: str  # "reference-station" | "reference-csms"
    versions: tuple[str, ...]
    breaks: str
    requirement: str = ""
    per_case: tuple[tuple[str, str], ...] = ()

    def expects(self, case_id: str, version: str) -> str:
        """The requirement ``case_id`` (in OCPP ``version``) must fail on to kill this fault."""
        overrides = dict(self.per_case)
        return overrides.get(f"{case_id}@{version}", overrides.get(case_id, self.requirement))

    def killed(
        self, case_id: str, version: str, verdict: str, failed_requirement: str | None
    ) -> bool:
        """Whether a case's result kills this fault: a FAIL (not ERROR or INCONCLUSIVE) on the
        expected requirement, not in set-up or on a precondition."""
        expected = self.expects(case_id, version)
        failed = failed_requirement or ""
        return (
            verdict == "fail"
            and bool(expected)
            and not failed.startswith(PRECONDITION)
            and expected in failed
        )


_ALL = ("1.6", "2.0.1", "2.1")
_V2 = ("2.0.1", "2.1")
_V21 = ("2.1",)
_STATION = "reference-station"
_CSMS = "reference-csms"

#: Distinctive parts of the robustness cases' requirement texts (testcases/robustness/).
_UNREADABLE = "an unreadable frame"
_MALFORMED = "a malformed CALL gets a CALLERROR"
_UNKNOWN_ACTION = "an unknown action gets NotImplemented"
_FOREIGN = "a known action the receiver does not take gets NotSupported"
_SCHEMA = "a schema violation gets"
_BINARY = "OCPP-J is JSON text"
_KEPT = "a bad message does not cost the connection"
_RECOVERY = "is reachable again"


@dataclass(frozen=True, slots=True)
class _RpcRule:
    """An RPC-framework rule both reference SUTs can break, and what the robustness cases that
    kill it fail on (``per_case`` keys are OCA ids without the role suffix: ``RB_05``)."""

    rule: str
    versions: tuple[str, ...]
    breaks: str
    requirement: str = ""
    per_case: tuple[tuple[str, str], ...] = ()

    def fault(self, prefix: str, sut: str, suffix: str) -> Fault:
        """The rule as the fault of one reference SUT (its cases end in ``suffix``)."""
        cases = tuple((_with_suffix(key, suffix), req) for key, req in self.per_case)
        return Fault(
            f"{prefix}{self.rule}", sut, self.versions, self.breaks, self.requirement, cases
        )


def _with_suffix(key: str, suffix: str) -> str:
    """``RB_01@1.6`` -> ``RB_01_CS@1.6``; ``RB_05`` -> ``RB_05_CSMS``."""
    case, at, version = key.partition("@")
    return f"{case}{suffix}{at}{version}"


#: RPC-framework rules both reference SUTs can break (``harness.reference.rpc_faults``): the
#: station's fault is ``rpc-<rule>``, the CSMS's ``csms-rpc-<rule>``.
_RPC_RULES: tuple[_RpcRule, ...] = (
    _RpcRule(
        "closes-on-invalid-json",
        _ALL,
        "closes the connection (1002) when a message is not valid JSON instead of answering it",
        _UNREADABLE,
        (("RB_01@1.6", _KEPT),),  # 1.6 need not answer it: the close is what fails
    ),
    _RpcRule(
        "closes-on-unknown-message-type",
        _ALL,
        "closes the connection when a frame carries a MessageTypeId it does not know",
        "a frame with an unknown MessageTypeId is ignored",
    ),
    _RpcRule(
        "wrong-error-code",
        _ALL,
        "answers with the wrong CALLERROR code: GenericError for frames it cannot parse, "
        "NotSupported for unknown actions, NotImplemented for known unsupported ones, "
        "FormatViolation for every schema violation",
        per_case=(
            ("RB_01", _UNREADABLE),
            ("RB_02", _UNREADABLE),
            ("RB_03", _MALFORMED),
            ("RB_05", _UNKNOWN_ACTION),
            ("RB_06", _FOREIGN),
            ("RB_07", _SCHEMA),
            ("RB_08", _SCHEMA),
            ("RB_09", _SCHEMA),
            ("RB_10", _SCHEMA),
            ("RB_14", _BINARY),
        ),
    ),
    _RpcRule(
        "silent-on-malformed",
        _ALL,
        "sends no CALLERROR for a CALL it rejects (malformed frame, unknown action, bad payload)",
        per_case=(
            ("RB_03", _MALFORMED),
            ("RB_05", _UNKNOWN_ACTION),
            ("RB_06", _FOREIGN),
            ("RB_07", _SCHEMA),
            ("RB_08", _SCHEMA),
            ("RB_09", _SCHEMA),
            ("RB_10", _SCHEMA),
        ),
    ),
    _RpcRule(
        "wrong-id-in-error",
        _ALL,
        "answers a CALL it rejects with a CALLERROR under a fresh unique id, not the CALL's",
        per_case=(
            ("RB_03", _MALFORMED),
            ("RB_05", _UNKNOWN_ACTION),
            ("RB_06", _FOREIGN),
            ("RB_07", _SCHEMA),
            ("RB_08", _SCHEMA),
            ("RB_09", _SCHEMA),
            ("RB_10", _SCHEMA),
            ("RB_14", _BINARY),
        ),
    ),
    _RpcRule(
        "closes-on-duplicate-id",
        _ALL,
        "closes the connection when a CALL reuses a unique id",
        _KEPT,  # the first CALL is answered: the close is what fails
    ),
    _RpcRule(
        "errors-unknown-result",
        _ALL,
        "answers a CALLRESULT for a unique id it never sent with a CALLERROR",
        "an unknown CALLRESULT is ignored",
    ),
    _RpcRule(
        "drops-concurrent-call",
        _ALL,
        "never answers a CALL that arrives while an earlier one is still unanswered",
        "a CALL sent while another is open is answered",
    ),
    _RpcRule(
        "drops-on-binary",
        _ALL,
        "drops the TCP connection without a close frame when a binary message arrives",
        _KEPT,
    ),
    _RpcRule(
        "crashes-on-invalid-utf8",
        _ALL,
        "stops for good after failing a connection over text that is not UTF-8 (1007): the "
        "station never reconnects, the CSMS accepts no new connection",
        _RECOVERY,
    ),
    _RpcRule(
        "crashes-on-oversized",
        _ALL,
        "stops for good after failing a connection over a message above 1 MiB (1009): the "
        "station never reconnects, the CSMS accepts no new connection",
        _RECOVERY,
    ),
    _RpcRule(
        "rejects-late-response",
        _V2,  # 1.6 §4.1.1: a new CALL while one is open is only a SHOULD NOT
        "gives up on its CALL after 0.3 s, ignores the late answer and sends its next CALL",
        "no new CALL while one is unanswered",
    ),
    _RpcRule(
        "answers-send",
        _V21,
        "answers a SEND (which is never answered) with a CALLRESULT",
        "a SEND is never answered",
    ),
    _RpcRule(
        "no-callresulterror",
        _V21,
        "answers an invalid CALLRESULT with a CALLERROR instead of a CALLRESULTERROR",
        "an invalid CALLRESULT gets a CALLRESULTERROR",
    ),
    _RpcRule(
        "answers-callresulterror",
        _V21,
        "answers a CALLRESULTERROR (which is never answered) with a CALLERROR",
        "a CALLRESULTERROR is never answered",
    ),
)

#: What the schema fuzzer's cases (RB_FUZZ_01/02) fail on (harness.fuzz.targets.REQUIREMENTS).
_FUZZ_VALID = "a schema-valid request is answered with a schema-valid CALLRESULT"
_FUZZ_NEAR_VALID = "a request that breaks its schema gets a validation CALLERROR"

FAULTS: dict[str, Fault] = {
    f.name: f
    for f in (
        # -- reference charging station --------------------------------------------------------
        Fault(
            "boot-ignores-interval",
            _STATION,
            _ALL,
            "heartbeats every 300 s whatever interval the BootNotification response gives",
            "B01.FR.04",
            (("TC_001_CS", "1.6 §4.6: Heartbeat at the interval"),),
        ),
        Fault(
            "boot-skips-status",
            _STATION,
            _ALL,
            "sends no StatusNotification for its connectors after an accepted boot",
            "B01.FR.05",
            (("TC_001_CS", "1.6 §4.9: connectors reported Available after boot"),),
        ),
        Fault(
            "pending-sends-status",
            _STATION,
            _ALL,
            "sends StatusNotification while its boot is still Pending",
            "B02.FR.02: no StatusNotification while Pending",
            (("TC_002_CS", "1.6 §4.2: no StatusNotification while Pending"),),
        ),
        Fault(
            "rejected-sends-status",
            _STATION,
            _V2,
            "sends StatusNotification while its boot is Rejected",
            "B03.FR.02: no StatusNotification while Rejected",
        ),
        Fault(
            "pending-never-retries",
            _STATION,
            _ALL,
            "never sends another BootNotification after one answered Pending",
            "B02: BootNotification retried after the interval",
            (("TC_002_CS", "1.6 §4.2: BootNotification retried after the interval"),),
        ),
        Fault(
            "pending-retries-immediately",
            _STATION,
            _ALL,
            "retries a Pending BootNotification at once instead of after the interval",
            "B02: no BootNotification before the interval has passed",
            (("TC_002_CS", "1.6 §4.2: no BootNotification before the interval has passed"),),
        ),
        Fault(
            "rejected-retries-immediately",
            _STATION,
            _V2,
            "retries a Rejected BootNotification at once instead of after the interval",
            "B03.FR.02: no BootNotification before the interval",
        ),
        Fault(
            "getvariables-rejects-known",
            _STATION,
            _V2,
            "answers GetVariables for a known variable with UnknownVariable",
            "B06.FR.10: a known variable is Accepted",
        ),
        Fault(
            "getvariables-reads-boot-value",
            _STATION,
            _V2,
            "answers GetVariables with the value a variable had when the station started, not "
            "the one set since (a stale read cache)",
            "B06.FR.04/10: the value set is returned",
        ),
        Fault(
            "config-change-not-applied",
            _STATION,
            _ALL,
            "accepts SetVariables/ChangeConfiguration but keeps the old value",
            "B05.FR.10: the new value is in effect",
            (("TC_021_CS", "1.6 §5.3: the new value is in effect"),),
        ),
        Fault(
            "config-change-rejected",
            _STATION,
            _ALL,
            "answers SetVariables/ChangeConfiguration of a writable key with a valid value "
            "Rejected",
            "1.6 §5.3: ChangeConfiguration Accepted",
        ),
        Fault(
            "getconfiguration-missing-keys",
            _STATION,
            ("1.6",),
            "leaves required keys (HeartbeatInterval...) out of GetConfiguration",
            "1.6 §9.1: the required Core configuration keys are reported",
        ),
        Fault(
            "status-skips-preparing",
            _STATION,
            ("1.6",),
            "stays Available when a cable is plugged in or an idTag presented (no Preparing)",
            "1.6 §4.9: Preparing on plug-in",
        ),
        Fault(
            "status-skips-finishing",
            _STATION,
            ("1.6",),
            "reports Available, not Finishing, when a transaction ends with the cable still in",
            "1.6 §4.9: Finishing",
        ),
        Fault(
            "status-skips-charging",
            _STATION,
            ("1.6",),
            "reports Preparing, not Charging, while a transaction runs",
            "1.6 §4.9: Charging",
        ),
        Fault(
            "tx-never-charging",
            _STATION,
            _V2,
            "never reports chargingState Charging (EVConnected while energy flows)",
            "E01.FR.18",
        ),
        Fault(
            "tx-no-evse",
            _STATION,
            _V2,
            "leaves evse out of the TransactionEvent that starts a transaction",
            "E01.FR.16",
        ),
        Fault(
            "tx-plugin-wrong-trigger",
            _STATION,
            _V2,
            "reports triggerReason Authorized for a transaction the cable started",
            "E01.FR.15",
        ),
        Fault(
            "tx-reports-wrong-token",
            _STATION,
            _ALL,
            "reports a different idToken/idTag than the one presented in its transaction",
            "E01.FR.10",
            (("TC_003_CS", "1.6 §4.8: StartTransaction carries the presented idTag"),),
        ),
        Fault(
            "tx-stopped-reason-other",
            _STATION,
            _ALL,
            "reports stoppedReason (1.6 reason) Other whatever ended the transaction",
            "E06: a local stop has stoppedReason Local",
            (
                ("TC_F_08_CS", "stoppedReason Remote"),
                ("TC_003_CS", "1.6 §4.10: reason Local"),
                ("TC_012_CS", "1.6 §5.12: reason Remote"),
            ),
        ),
        Fault(
            "stop-transaction-wrong-id",
            _STATION,
            ("1.6",),
            "sends StopTransaction with transactionId -1, not the one the Central System gave",
            "1.6 §4.10: the transactionId the central system gave",
        ),
        Fault(
            "tx-seqno-repeats",
            _STATION,
            _V2,
            "sends every TransactionEvent of a transaction with seqNo 0",
            "E02.FR.07: seqNo increases",
        ),
        Fault(
            "remote-start-id-missing",
            _STATION,
            _V2,
            "leaves the remoteStartId out of the transaction a remote start began",
            "F01.FR.13/F02.FR.01: the remoteStartId of the request",
        ),
        Fault(
            "local-stop-ignored",
            _STATION,
            _ALL,
            "keeps a transaction running when the token that started it is presented again",
            "E06.FR.03: the local stop ends the transaction",
            (("TC_003_CS", "1.6 §4.10: StopTransaction on local stop"),),
        ),
        Fault(
            "remote-start-rejected",
            _STATION,
            _ALL,
            "answers a remote start on an idle, plugged-in connector with Rejected",
            "F01: RequestStartTransaction Accepted",
            (("TC_010_CS", "1.6 §5.11: RemoteStartTransaction Accepted"),),
        ),
        Fault(
            "remote-start-no-transaction-id",
            _STATION,
            _V2,
            "leaves transactionId out of its RequestStartTransaction answer although a "
            "transaction already runs on the EVSE",
            "F01.FR.13: the answer names the transaction already started",
        ),
        Fault(
            "remote-stop-wrong-trigger",
            _STATION,
            _V2,
            "reports a remote stop with triggerReason StopAuthorized instead of RemoteStop",
            "triggerReason RemoteStop",
        ),
        Fault(
            "remote-start-ignored",
            _STATION,
            _ALL,
            "accepts a remote start but never starts a transaction",
            "F01.FR.19",
            (("TC_010_CS", "1.6 §5.11: the remote start starts a transaction"),),
        ),
        Fault(
            "remote-stop-ignored",
            _STATION,
            _ALL,
            "accepts a remote stop but keeps the transaction running",
            "F03.FR.03: the remote stop ends the transaction",
            (("TC_012_CS", "1.6 §5.12: the transaction stops"),),
        ),
        Fault(
            "remote-stop-rejected",
            _STATION,
            _ALL,
            "answers a remote stop for its running transaction with Rejected",
            "F03.FR.07: RequestStopTransaction Accepted",
            (("TC_012_CS", "1.6 §5.12: RemoteStopTransaction Accepted"),),
        ),
        Fault(
            "availability-rejected",
            _STATION,
            _V2,
            "answers ChangeAvailability for an idle EVSE with Rejected",
            "G03.FR.01/02: ChangeAvailability Inoperative Accepted",
        ),
        Fault(
            "availability-no-status",
            _STATION,
            _V2,
            "accepts ChangeAvailability but reports no status change",
            "G03.FR.04/G01.FR.07: the EVSE's connectors are reported Unavailable",
        ),
        Fault(
            "datatransfer-accepts-unknown-vendor",
            _STATION,
            _ALL,
            "answers DataTransfer from an unknown vendor with Accepted",
            "P01: an unknown vendor's DataTransfer is not Accepted",
        ),
        # -- both: what the schema fuzzer finds (RB_FUZZ_*, harness.reference.fuzz_faults) --
        Fault(
            "drops-on-long-string",
            _STATION,
            _ALL,
            "drops the connection when a CALL carries a string longer than 64 characters",
            _FUZZ_VALID,
        ),
        Fault(
            "accepts-invalid-payload",
            _STATION,
            _ALL,
            "does not validate inbound CALLs: a payload that breaks its schema gets no "
            "validation CALLERROR",
            _FUZZ_NEAR_VALID,
        ),
        Fault(
            "csms-fails-on-long-string",
            _CSMS,
            _ALL,
            "answers InternalError to a CALL carrying a string longer than 64 characters",
            _FUZZ_VALID,
        ),
        Fault(
            "csms-accepts-invalid-payload",
            _CSMS,
            _ALL,
            "does not validate inbound CALLs: a payload that breaks its schema gets no "
            "validation CALLERROR",
            _FUZZ_NEAR_VALID,
        ),
        # -- reference CSMS -------------------------------------------------------------------
        Fault(
            "csms-boot-rejects",
            _CSMS,
            _ALL,
            "rejects every BootNotification",
            "B01.FR.02: a known station is Accepted",
            (
                ("TC_001_CSMS", "1.6 §4.2: a known charge point is Accepted"),
                ("TC_A_01_CSMS", "B01: boot accepted after authentication"),
                ("TC_B_58_CSMS", "B01: boot accepted on the negotiated connection"),
            ),
        ),
        Fault(
            "csms-boot-stale-time",
            _CSMS,
            _ALL,
            "answers BootNotification and Heartbeat with a currentTime one hour off",
            "B01: currentTime is the CSMS's current time",
            (("TC_001_CSMS", "1.6 §6.4: currentTime is the central system's time"),),
        ),
        Fault(
            "csms-boot-no-interval",
            _CSMS,
            _ALL,
            "accepts a BootNotification with interval 0 (no heartbeat interval)",
            "B01: a heartbeat interval is given",
            (("TC_001_CSMS", "1.6 §6.4: a heartbeat interval is given"),),
        ),
        Fault(
            "csms-heartbeat-stale-time",
            _CSMS,
            _ALL,
            "answers Heartbeat (only) with a currentTime one hour off",
            "G02: Heartbeat carries the current time",
            (("TC_001_CSMS", "1.6 §4.6: Heartbeat carries the current time"),),
        ),
        Fault(
            "csms-subprotocol-first-offered",
            _CSMS,
            _V2,
            "selects the first subprotocol a station offers, even one it does not support",
            "Part 4 §3.1.2: the CSMS selects a subprotocol it supports",
        ),
        Fault(
            "csms-auth-rejects-all",
            _CSMS,
            _V2,
            "refuses every connection, even with valid credentials",
            "A01: valid Basic credentials are accepted",
        ),
        Fault(
            "csms-auth-ignores-username",
            _CSMS,
            _V2,
            "accepts Basic credentials whose username is not the station identity",
            "A00: username must equal the station identity",
        ),
        Fault(
            "csms-auth-accepts-any-password",
            _CSMS,
            _V2,
            "accepts any Basic auth password",
            "A00: a wrong password is refused",
        ),
        Fault(
            "csms-accepts-unknown-token",
            _CSMS,
            _ALL,
            "authorizes tokens that are not in its list",
            "C01: an unknown token is not Accepted",
            (("TC_023_1_CSMS", "1.6 §4.1: an unknown idTag is Invalid"),),
        ),
        Fault(
            "csms-authorize-rejects-valid",
            _CSMS,
            _ALL,
            "answers Authorize for every token, valid ones included, with Invalid",
            "C01: a valid token is Accepted",
            (("TC_003_CSMS", "1.6 §4.1: a valid idTag is Accepted"),),
        ),
        Fault(
            "csms-tx-rejects-valid-token",
            _CSMS,
            _ALL,
            "answers a transaction with a valid token as Invalid",
            "E02: the transaction's token is Accepted",
            (("TC_003_CSMS", "1.6 §4.8: the transaction's idTag is Accepted"),),
        ),
        Fault(
            "csms-fails-transaction-end",
            _CSMS,
            _ALL,
            "answers StopTransaction / TransactionEvent Ended with CALLERROR InternalError",
            "E06: TransactionEvent Ended answered",
            (("TC_003_CSMS", "1.6 §4.10: StopTransaction answered"),),
        ),
        Fault(
            "csms-commands-dropped",
            _CSMS,
            _ALL,
            "tells the operator a command went out and was Accepted, but never sends it",
            "F01: the CSMS sends RequestStartTransaction",
            (
                ("TC_010_CSMS", "1.6 §5.11: RemoteStartTransaction sent"),
                ("TC_G_03_CSMS", "G03: the CSMS sends ChangeAvailability"),
            ),
        ),
        Fault(
            "csms-remote-start-wrong-token",
            _CSMS,
            _ALL,
            "sends a remote start with a different token than the operator asked for",
            "F01: the operator's token is requested",
            (("TC_010_CSMS", "1.6 §5.11: for the operator's idTag"),),
        ),
        Fault(
            "csms-remote-start-wrong-evse",
            _CSMS,
            _ALL,
            "sends a remote start for the next EVSE (1.6 connector) after the one the operator "
            "chose",
            "F01: for the operator's EVSE",
            (("TC_010_CSMS", "1.6 §5.11: for the operator's connector"),),
        ),
        Fault(
            "csms-availability-wrong-status",
            _CSMS,
            _ALL,
            "sends ChangeAvailability Operative when asked to make the EVSE inoperative",
            "G03: operationalStatus Inoperative",
        ),
        Fault(
            "csms-availability-wrong-evse",
            _CSMS,
            _ALL,
            "sends ChangeAvailability for the next EVSE after the one the operator chose",
            "G03: for the chosen EVSE",
        ),
        # -- both: the RPC framework under malformed input (robustness profile) -------------
        *(rule.fault("rpc-", _STATION, "_CS") for rule in _RPC_RULES),
        *(rule.fault("csms-rpc-", _CSMS, "_CSMS") for rule in _RPC_RULES),
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
