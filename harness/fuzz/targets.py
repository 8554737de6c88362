"""What schema fuzzing sends to a SUT, and how its answers are judged (cases RB_FUZZ_01/02).

Only actions the SUT must accept in any state the OCA preconditions leave it in are fuzzed, with
the few fields that would change that state pinned (availability only ever set Operative, triggers
only for Heartbeat/StatusNotification, connector status only Available on the profile's
connectors); BootNotification is left out (a rejected boot changes everything after it).

Valid examples keep the rules the specification adds to the schemas for ids (:func:`id_pins`):
EVSE and connector ids are ones the SUT profile's ``evses`` declare (an EVSE id is > 0, 2.0.1
Part 2 §2.23 EVSEType; a 1.6 connectorId of TriggerMessage is > 0, 1.6 §6.51), and 0 appears only
where it means the whole station or its main meter (1.6 ChangeAvailability/MeterValues, §6.6/§6.31;
2.x MeterValues evseId). A 2.x trigger for StatusNotification names a connector (F06.FR.13). Fields
whose content is a format the schema cannot express are left out: a 1.6 MeterValues transactionId
(a random one names no transaction), 2.x signed meter values (Base64 of a signed format) and the
ISO 15118 certificate data of Authorize (a PEM chain, hashes of real certificates).

* **valid** examples must get a CALLRESULT whose payload is schema-valid — a business-level
  rejection (``Rejected``, ``UnknownVendorId``, ``Invalid``...) is a fine answer — never a CALLERROR,
  silence or a closed connection;
* **near-valid** examples (exactly one schema violation, :mod:`~harness.fuzz.mutations`) must get a
  CALLERROR of the validation family echoing the CALL's unique id, with the connection kept.

A SUT that drops the connection is given back its connection (the station reconnects; the
harness station connects and boots again) before the next example.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from harness.fuzz import engine
from harness.fuzz.engine import Example, FuzzResult, Problem
from harness.fuzz.mutations import breaks, candidates
from harness.fuzz.strategies import ABSENT, Omittable, Pins, payloads
from harness.ocppj.errors import ErrorKind, error_code, kind_of
from harness.ocppj.frames import CallError
from harness.peers.base import Exchange, Peer
from harness.peers.csms import CsmsPeer
from harness.peers.station import StationPeer
from harness.verdicts import HarnessError, SutFailure

VALID = "valid"
NEAR_VALID = "near-valid"
#: CALLERROR codes that say "your payload breaks the schema" (OCPP-J 1.6 §4.2.3, Part 4 §4.3).
VALIDATION_KINDS = frozenset(
    {
        ErrorKind.FORMAT_VIOLATION,
        ErrorKind.PROPERTY_CONSTRAINT_VIOLATION,
        ErrorKind.OCCURRENCE_CONSTRAINT_VIOLATION,
        ErrorKind.TYPE_CONSTRAINT_VIOLATION,
        ErrorKind.PROTOCOL_ERROR,
    }
)
REQUIREMENTS = {
    VALID: "a schema-valid request is answered with a schema-valid CALLRESULT "
    "(Part 2 FR.02, SHALL; OCPP-J 1.6 §4.2.2)",
    NEAR_VALID: "a request that breaks its schema gets a validation CALLERROR with its unique id "
    "(Part 2 FR.03, SHALL; Part 4 §4.3 / OCPP-J 1.6 §4.2.3, MUST: a code of the table)",
}
_VALIDATION_ORDER = (
    ErrorKind.FORMAT_VIOLATION,
    ErrorKind.PROPERTY_CONSTRAINT_VIOLATION,
    ErrorKind.OCCURRENCE_CONSTRAINT_VIOLATION,
    ErrorKind.TYPE_CONSTRAINT_VIOLATION,
    ErrorKind.PROTOCOL_ERROR,
)


def validation_codes(version: str) -> tuple[str, ...]:
    """The validation-family codes as ``version`` spells them (1.6: FormationViolation,
    OccurenceConstraintViolation; OCPP-J 1.6 §4.2.3 Table 7, kept by its errata)."""
    return tuple(error_code(kind, version) for kind in _VALIDATION_ORDER)


def expected(mode: str, version: str) -> str:
    """The Expected of a fuzz failure, with the error codes spelled as ``version`` spells them."""
    if mode == VALID:
        return (
            "a schema-valid CALLRESULT (a business-level rejection is fine) to every generated "
            "request, the connection kept"
        )
    *head, last = validation_codes(version)
    return (
        f"CALLERROR {', '.join(head)} or {last} echoing the CALL's unique id, the connection kept"
    )


@dataclass(frozen=True)
class Target:
    """One action to fuzz, with the fields pinned to keep the SUT's state."""

    action: str
    pins: Pins = field(default_factory=dict)


#: (EVSE id, connector count) of the SUT profile; a 1.6 profile's EVSE ids are its connector ids.
Evses = Sequence[tuple[int, int]]


def _pairs(evses: Evses) -> list[tuple[int, int]]:
    """(EVSE id, connector id) of every connector the profile declares (EVSE 1 with one
    connector when it declares none)."""
    pairs = [(evse, connector) for evse, count in evses for connector in range(1, count + 1)]
    return [pair for pair in pairs if pair[0] > 0] or [(1, 1)]


def _evse_objects(evses: Evses) -> st.SearchStrategy[dict[str, int]]:
    """An EVSEType the SUT has: an EVSE id (> 0), alone or with one of its connector ids."""
    pairs = _pairs(evses)
    whole = sorted({evse for evse, _ in pairs})
    options = [{"id": evse} for evse in whole] + [{"id": e, "connectorId": c} for e, c in pairs]
    return st.sampled_from(options)


def id_pins(version: str, action: str, evses: Evses) -> dict[str, Any]:
    """Pins that keep the ids of ``action`` to values the specification allows for this SUT (see
    the module docstring); empty for actions without such ids."""
    pairs = _pairs(evses)
    if version == "1.6":
        connectors = sorted({evse for evse, _ in pairs})
        with_zero = st.sampled_from([0, *connectors])
        pins: dict[str, Any] = {
            "TriggerMessage": {"connectorId": Omittable(st.sampled_from(connectors))},
            "ChangeAvailability": {"connectorId": with_zero},
            "StatusNotification": {"connectorId": st.sampled_from(connectors)},
            "MeterValues": {"connectorId": with_zero, "transactionId": ABSENT},
        }
    else:
        evse_ids = sorted({evse for evse, _ in pairs})
        pins = {  # connector 1 exists on every EVSE
            "GetVariables": {"getVariableData.component.evse": Omittable(_evse_objects(evses))},
            "TriggerMessage": {"evse": Omittable(_evse_objects(evses))},
            "ChangeAvailability": {"evse": Omittable(_evse_objects(evses))},
            "StatusNotification": {
                "evseId": st.sampled_from(evse_ids),
                "connectorId": st.just(1),
            },
            "MeterValues": {
                "evseId": st.sampled_from([0, *evse_ids]),
                # signed meter data is Base64 of a signed format (2.0.1 Part 2 §2.46 SignedMeterValueType)
                "meterValue.sampledValue.signedMeterValue": ABSENT,
            },
            # a PEM certificate chain and the hashes of real certificates (C07, ISO 15118)
            "Authorize": {"certificate": ABSENT, "iso15118CertificateHashData": ABSENT},
        }
    return dict(pins.get(action, {}))


def _target(version: str, action: str, evses: Evses, **pins: Any) -> Target:
    return Target(action, {**id_pins(version, action, evses), **pins})


def station_targets(version: str, evses: Evses = ((1, 1),)) -> list[Target]:
    """CALLs a charging station under test must accept (the harness plays the CSMS);
    ``evses``: the station's (EVSE id, connector count) from its profile."""
    if version == "1.6":
        triggers = st.sampled_from(["Heartbeat", "StatusNotification"])
        return [
            _target(version, "GetConfiguration", evses),
            _target(version, "DataTransfer", evses),
            _target(version, "TriggerMessage", evses, requestedMessage=triggers),
            _target(version, "ChangeAvailability", evses, type=st.just("Operative")),
        ]
    connector = st.sampled_from([{"id": e, "connectorId": c} for e, c in _pairs(evses)])
    return [
        _target(version, "GetVariables", evses),
        _target(version, "DataTransfer", evses),
        _target(version, "TriggerMessage", evses, requestedMessage=st.just("Heartbeat")),
        # F06.FR.13 (SHALL): a trigger for StatusNotification names the connector
        _target(
            version,
            "TriggerMessage",
            evses,
            requestedMessage=st.just("StatusNotification"),
            evse=connector,
        ),
        _target(version, "ChangeAvailability", evses, operationalStatus=st.just("Operative")),
    ]


def csms_targets(version: str, evses: Evses) -> list[Target]:
    """CALLs a CSMS under test must accept from a booted station (the harness plays it).

    ``evses``: (EVSE id, connector count) of the profile; status reports stay on its connectors
    (2.x: connector 1 of one of its EVSEs, which every EVSE has) and say Available.
    """
    if version == "1.6":
        status = {"status": st.just("Available"), "errorCode": st.just("NoError")}
    else:
        status = {"connectorStatus": st.just("Available")}
    return [
        _target(version, "Heartbeat", evses),
        _target(version, "StatusNotification", evses, **status),
        _target(version, "Authorize", evses),
        _target(version, "MeterValues", evses),
        _target(version, "DataTransfer", evses),
    ]


def examples(version: str, targets: Sequence[Target], mode: str) -> st.SearchStrategy[Example]:
    """Valid or near-valid examples spread over ``targets``."""
    if mode == VALID:
        return st.one_of(
            [payloads(version, t.action, pins=t.pins).map(_as_example(t.action)) for t in targets]
        )
    return st.one_of([_near_valid(version, t) for t in targets])


def _as_example(action: str) -> Any:
    return lambda payload: Example(action, payload)


def _near_valid(version: str, target: Target) -> st.SearchStrategy[Example]:
    valid = payloads(version, target.action, pins=target.pins)

    @st.composite
    def build(draw: st.DrawFn) -> Example:
        payload = draw(valid)
        options = candidates(version, target.action, payload)
        if not options:  # cannot happen for OCPP schemas: every object forbids extras
            return Example(target.action, payload)
        start = draw(st.integers(0, len(options) - 1))
        for offset in range(len(options)):  # the first one from ``start`` that really breaks it
            mutation = options[(start + offset) % len(options)]
            broken = breaks(version, target.action, payload, mutation)
            if broken is not None:
                return Example(target.action, broken, mutation.describe())
        return Example(target.action, payload)

    strategy: st.SearchStrategy[Example] = build()
    return strategy


def judge(mode: str, answer: Exchange, timeout_s: float, version: str = "2.0.1") -> Problem | None:
    """The problem with the SUT's answer to one example (None: a good answer); error codes are
    judged in ``version``'s spelling. A malformed answer is reported as such, at once (a
    CALLERROR has five elements, OCPP-J 1.6 §4.2.3 / Part 4 §4.2.3), not as "no answer"."""
    if answer.closed is not None:
        return Problem("disconnect", f"the connection closed ({answer.closed})")
    if answer.response is None and answer.problem and not answer.timed_out:
        return Problem(
            "malformed answer",
            f"a malformed answer under unique id {answer.unique_id!r}: {answer.problem}",
        )
    if answer.timed_out or answer.response is None:
        return Problem(
            "no answer", f"no answer with unique id {answer.unique_id!r} within {timeout_s:g} s"
        )
    response = answer.response
    if mode == VALID:
        if isinstance(response, CallError):
            return Problem(
                "CALLERROR", f"CALLERROR {response.code}: {response.description[:200]!r}"
            )
        if answer.problem:
            return Problem("invalid CALLRESULT", f"invalid CALLRESULT: {answer.problem}")
        return None
    if not isinstance(response, CallError):
        shown = json.dumps(response.payload)[:300]
        return Problem("accepted", f"CALLRESULT {shown} to a request that breaks the schema")
    if response.code not in validation_codes(version):
        kind = kind_of(response.code)
        if kind in VALIDATION_KINDS:
            why = (
                f"not an error code of OCPP {version}, which spells it {error_code(kind, version)}"
            )
        else:
            why = answer.problem or "not a code of the validation family"
        return Problem("wrong error code", f"CALLERROR {response.code}: {why}")
    return None


async def _reconnect(peer: Peer) -> str | None:
    """Give a SUT that dropped the connection its connection back; why not, if that fails."""
    try:
        if isinstance(peer, CsmsPeer):
            await peer.wait_connected(req="the station reconnects")
        elif isinstance(peer, StationPeer):
            await peer.ensure_ready()
    except SutFailure as exc:
        return exc.actual
    return None


async def fuzz(
    peer: Peer, targets: Sequence[Target], *, mode: str, examples_n: int, seed_value: int
) -> FuzzResult:
    """Fuzz the SUT behind ``peer``; a misbehaving SUT is a :class:`SutFailure` naming the
    minimal failing payload and the seed, a fuzzer that cannot run a :class:`HarnessError`."""
    version = peer.version
    actions = ", ".join(t.action for t in targets)
    peer.trace.event(
        f"schema fuzzing ({mode}): up to {examples_n} examples over {actions}, seed {seed_value}"
    )

    async def probe(example: Example) -> Problem | None:
        link = peer.link
        if link is None or link.closed.is_set():
            gone = await _reconnect(peer)
            if gone is not None:
                return Problem(
                    "gone", f"the SUT did not come back after a dropped connection: {gone}"
                )
        answer = await peer.exchange(example.action, example.payload)
        return judge(mode, answer, peer.response_s, version)

    result = await engine.run(
        examples(version, targets, mode),
        probe,
        examples=examples_n,
        seed_value=seed_value,
        timeout_s=peer.response_s + peer.action_s + 5,
    )
    peer.trace.event(
        f"schema fuzzing: {result.sent} payloads sent in {result.elapsed_s:.2f} s "
        f"({result.rate:.0f}/s), seed {seed_value}"
        + (f", {result.shrink_calls} while shrinking" if result.first else "")
    )
    if result.error is not None:
        raise HarnessError(result.error)
    if result.failure is not None:
        example, problem = result.failure
        broken = f" ({example.mutation})" if example.mutation else ""
        raise SutFailure(
            REQUIREMENTS[mode],
            expected(mode, version),
            f"{problem.detail}; minimal failing {example.action}{broken} "
            f"[seed {seed_value}, {result.sent} payloads sent]: {example.show()}",
            peer.trace.render(last=12),
        )
    if _reconnect_needed(peer):
        gone = await _reconnect(peer)
        if gone is not None:
            raise SutFailure(
                REQUIREMENTS[mode], expected(mode, version), gone, peer.trace.render(last=12)
            )
    return result


def _reconnect_needed(peer: Peer) -> bool:
    return peer.link is None or peer.link.closed.is_set()


DEFAULT_EXAMPLES = 25
DEFAULT_SEED = 0


def budget(config: Any) -> tuple[int, int]:
    """(examples per case, seed) from ``--ocpp-fuzz-examples``/``--ocpp-fuzz-seed`` or their ini
    keys; a usage error for anything but a non-negative integer."""
    values: list[int] = []
    for dest, default in (
        ("ocpp_fuzz_examples", DEFAULT_EXAMPLES),
        ("ocpp_fuzz_seed", DEFAULT_SEED),
    ):
        raw = config.getoption(dest)
        if raw is None:
            raw = config.getini(dest) or default
        try:
            value = int(raw)
        except ValueError:
            value = -1
        if value < 0:
            raise HarnessError(f"{dest}: {raw!r} is not a non-negative integer")
        values.append(value)
    return values[0], values[1]
