"""Faults of both reference SUTs that the robustness cases kill: RPC-framework rules under
malformed input (``rpc-<rule>`` for the station, ``csms-rpc-<rule>`` for the CSMS, behaviour in
:mod:`harness.reference.rpc_faults`) and what the schema fuzzer finds (RB_FUZZ_*,
:mod:`harness.reference.fuzz_faults`)."""

from __future__ import annotations

from dataclasses import dataclass

from harness.reference.fault_model import ALL, CSMS, STATION, V2, V21, Fault

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
RPC_RULES: tuple[_RpcRule, ...] = (
    _RpcRule(
        "closes-on-invalid-json",
        ALL,
        "closes the connection (1002) when a message is not valid JSON instead of answering it",
        _UNREADABLE,
        (("RB_01@1.6", _KEPT),),  # 1.6 need not answer it: the close is what fails
    ),
    _RpcRule(
        "closes-on-unknown-message-type",
        ALL,
        "closes the connection when a frame carries a MessageTypeId it does not know",
        "a frame with an unknown MessageTypeId is ignored",
    ),
    _RpcRule(
        "wrong-error-code",
        ALL,
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
        ALL,
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
        ALL,
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
        ALL,
        "closes the connection when a CALL reuses a unique id",
        _KEPT,  # the first CALL is answered: the close is what fails
    ),
    _RpcRule(
        "errors-unknown-result",
        ALL,
        "answers a CALLRESULT for a unique id it never sent with a CALLERROR",
        "an unknown CALLRESULT is ignored",
    ),
    _RpcRule(
        "drops-concurrent-call",
        ALL,
        "never answers a CALL that arrives while an earlier one is still unanswered",
        "a CALL sent while another is open is answered",
    ),
    _RpcRule(
        "drops-on-binary",
        ALL,
        "drops the TCP connection without a close frame when a binary message arrives",
        _KEPT,
    ),
    _RpcRule(
        "crashes-on-invalid-utf8",
        ALL,
        "stops for good after failing a connection over text that is not UTF-8 (1007): the "
        "station never reconnects, the CSMS accepts no new connection",
        _RECOVERY,
    ),
    _RpcRule(
        "crashes-on-oversized",
        ALL,
        "stops for good after failing a connection over a message above 1 MiB (1009): the "
        "station never reconnects, the CSMS accepts no new connection",
        _RECOVERY,
    ),
    _RpcRule(
        "rejects-late-response",
        V2,  # 1.6 §4.1.1: a new CALL while one is open is only a SHOULD NOT
        "gives up on its CALL after 0.3 s, ignores the late answer and sends its next CALL",
        "no new CALL while one is unanswered",
    ),
    _RpcRule(
        "answers-send",
        V21,
        "answers a SEND (which is never answered) with a CALLRESULT",
        "a SEND is never answered",
    ),
    _RpcRule(
        "no-callresulterror",
        V21,
        "answers an invalid CALLRESULT with a CALLERROR instead of a CALLRESULTERROR",
        "an invalid CALLRESULT gets a CALLRESULTERROR",
    ),
    _RpcRule(
        "answers-callresulterror",
        V21,
        "answers a CALLRESULTERROR (which is never answered) with a CALLERROR",
        "a CALLRESULTERROR is never answered",
    ),
)

#: What the schema fuzzer's cases (RB_FUZZ_01/02) fail on (harness.fuzz.targets.REQUIREMENTS).
_FUZZ_VALID = "a schema-valid request is answered with a schema-valid CALLRESULT"
_FUZZ_NEAR_VALID = "a request that breaks its schema gets a validation CALLERROR"

FUZZ_FAULTS: tuple[Fault, ...] = (
    Fault(
        "drops-on-long-string",
        STATION,
        ALL,
        "drops the connection when a CALL carries a string longer than 64 characters",
        _FUZZ_VALID,
    ),
    Fault(
        "accepts-invalid-payload",
        STATION,
        ALL,
        "does not validate inbound CALLs: a payload that breaks its schema gets no "
        "validation CALLERROR",
        _FUZZ_NEAR_VALID,
    ),
    Fault(
        "csms-fails-on-long-string",
        CSMS,
        ALL,
        "answers InternalError to a CALL carrying a string longer than 64 characters",
        _FUZZ_VALID,
    ),
    Fault(
        "csms-accepts-invalid-payload",
        CSMS,
        ALL,
        "does not validate inbound CALLs: a payload that breaks its schema gets no "
        "validation CALLERROR",
        _FUZZ_NEAR_VALID,
    ),
)

#: Every robustness fault: the RPC rules for both reference SUTs, then the fuzzer's.
ROBUSTNESS_FAULTS: tuple[Fault, ...] = (
    *(rule.fault("rpc-", STATION, "_CS") for rule in RPC_RULES),
    *(rule.fault("csms-rpc-", CSMS, "_CSMS") for rule in RPC_RULES),
    *FUZZ_FAULTS,
)
