"""Robustness RB_05-RB_10: well-formed CALLs the SUT must refuse, both SUT roles, 1.6/2.0.1/2.1.

Our own cases beyond the OCA catalogue (profile ``robustness``). A CALL for an action the receiver
does not know gets NotImplemented, one it knows but does not take NotSupported, and a payload that
breaks its JSON schema the CALLERROR code of the broken rule (OCPP-J 1.6 §4.2.3 Table 7; OCPP
2.0.1/2.1 Part 4 §4.3, Part 2 §3 FR.03), always under the CALL's own unique id. The SUT keeps its
connection and keeps working. The payloads and the codes each case accepts (some table rows
overlap): :mod:`testcases.robustness.probes`.

Strength: answering an invalid CALL with a CALLERROR is Part 2 FR.03 (SHALL) and Part 4 §4.1.7
(SHALL, for an unknown action, a missing field, a wrong type); its id is the CALL's (Part 4/1.6
§4.1.4, MUST) and its code one of the version's table (MUST) whose meaning fits. All FAIL. A code
the version does not define is named as such, with the version's spelling where 1.6 and 2.x differ
(e.g. ``OccurenceConstraintViolation`` from a 2.x SUT).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from harness import CsmsPeer, StationPeer, oca
from harness.config import Role
from harness.ocppj import ErrorKind
from testcases.robustness.follow_up import KEPT, require_working
from testcases.robustness.probes import (
    ALL,
    BAD_VALUE,
    EXTRA,
    WRONG_TYPE,
    Probe,
    Probes,
    missing_kinds,
    probes,
    spelled,
)
from testcases.robustness.reactions import (
    Peer,
    begin,
    mark,
    new_id,
    require_answer,
    require_error,
    require_open,
)

UNKNOWN_ACTION_REQ = (
    "Part 4 §4.1.7 (SHALL), §4.3 / OCPP-J 1.6 §4.2.3 (MUST: a code of the table): an unknown "
    "action gets NotImplemented"
)
FOREIGN_REQ = (
    "Part 2 FR.03 (SHALL), Part 4 §4.3 / OCPP-J 1.6 §4.2.3 (MUST: a code of the table): a known "
    "action the receiver does not take gets NotSupported"
)
PAYLOAD_REQ = (
    "Part 2 FR.03 (SHALL), Part 4 §4.3 / OCPP-J 1.6 §4.2.3 (MUST: a code of the table): a schema "
    "violation gets the CALLERROR for it"
)


def _probes(peer: Peer) -> Probes:
    role = Role.CHARGING_STATION if isinstance(peer, CsmsPeer) else Role.CSMS
    return probes(role, peer.version)


async def _refused(
    peer: Peer, calls: Iterable[Probe], kinds: tuple[ErrorKind, ...], req: str
) -> None:
    """Each CALL gets a CALLERROR with one of ``kinds`` under its own id; the SUT stays up."""
    link = await begin(peer)
    for probe in calls:
        uid = new_id("rb")
        since = mark(peer)
        await peer.send_raw(json.dumps([2, uid, probe.action, probe.payload]))
        why = f"{req} ({probe.action}: {probe.breaks})" if probe.breaks else req
        entry = await require_answer(peer, link, since, req=why)
        require_error(peer, entry, codes=spelled(peer.version, kinds), ids=(uid,), req=why)
    require_open(peer, link, KEPT)
    await require_working(peer)


UNKNOWN_ACTION = Probe("FlyToTheMoon", {}, "no such action in any OCPP version")


@oca(
    "RB_05_CS",
    "Unknown action",
    profile="robustness",
    versions=ALL,
    kills=("rpc-wrong-error-code", "rpc-silent-on-malformed", "rpc-wrong-id-in-error"),
)
async def test_unknown_action_station(csms: CsmsPeer) -> None:
    """An action no OCPP version defines: CALLERROR NotImplemented."""
    await _refused(csms, [UNKNOWN_ACTION], (ErrorKind.NOT_IMPLEMENTED,), UNKNOWN_ACTION_REQ)


@oca(
    "RB_05_CSMS",
    "Unknown action",
    profile="robustness",
    versions=ALL,
    kills=(
        "csms-rpc-wrong-error-code",
        "csms-rpc-silent-on-malformed",
        "csms-rpc-wrong-id-in-error",
    ),
)
async def test_unknown_action_csms(station: StationPeer) -> None:
    """An action no OCPP version defines: CALLERROR NotImplemented."""
    await _refused(station, [UNKNOWN_ACTION], (ErrorKind.NOT_IMPLEMENTED,), UNKNOWN_ACTION_REQ)


@oca(
    "RB_06_CS",
    "Known action not supported",
    profile="robustness",
    versions=ALL,
    kills=("rpc-wrong-error-code",),
)
async def test_known_action_not_supported_station(csms: CsmsPeer) -> None:
    """A valid BootNotification sent to the station (only a station sends it): NotSupported."""
    await _refused(csms, [_probes(csms).foreign], (ErrorKind.NOT_SUPPORTED,), FOREIGN_REQ)


@oca(
    "RB_06_CSMS",
    "Known action not supported",
    profile="robustness",
    versions=ALL,
    kills=("csms-rpc-wrong-error-code",),
)
async def test_known_action_not_supported_csms(station: StationPeer) -> None:
    """A valid Reset sent to the CSMS (only a CSMS sends it): NotSupported."""
    await _refused(station, [_probes(station).foreign], (ErrorKind.NOT_SUPPORTED,), FOREIGN_REQ)


@oca(
    "RB_07_CS",
    "Missing required field",
    profile="robustness",
    versions=ALL,
    kills=("rpc-wrong-id-in-error", "rpc-silent-on-malformed"),
)
async def test_missing_field_station(csms: CsmsPeer) -> None:
    """A required field left out: OccurrenceConstraintViolation (1.6: OccurenceConstraint...)
    or ProtocolError; in 1.6 also FormationViolation."""
    kinds = missing_kinds(csms.version)
    await _refused(csms, [_probes(csms).missing], kinds, PAYLOAD_REQ)


@oca(
    "RB_07_CSMS",
    "Missing required field",
    profile="robustness",
    versions=ALL,
    kills=(
        "csms-rpc-wrong-id-in-error",
        "csms-rpc-silent-on-malformed",
    ),
)
async def test_missing_field_csms(station: StationPeer) -> None:
    """A required field left out: OccurrenceConstraintViolation (1.6: OccurenceConstraint...)
    or ProtocolError; in 1.6 also FormationViolation."""
    kinds = missing_kinds(station.version)
    await _refused(station, [_probes(station).missing], kinds, PAYLOAD_REQ)


@oca(
    "RB_08_CS",
    "Field of the wrong type",
    profile="robustness",
    versions=ALL,
    kills=("rpc-wrong-error-code", "rpc-wrong-id-in-error"),
)
async def test_wrong_type_station(csms: CsmsPeer) -> None:
    """A string where the schema wants an array or object: TypeConstraintViolation."""
    await _refused(csms, [_probes(csms).wrong_type], WRONG_TYPE, PAYLOAD_REQ)


@oca(
    "RB_08_CSMS",
    "Field of the wrong type",
    profile="robustness",
    versions=ALL,
    kills=(
        "csms-rpc-wrong-error-code",
        "csms-rpc-wrong-id-in-error",
    ),
)
async def test_wrong_type_csms(station: StationPeer) -> None:
    """A number or string where the schema wants another type: TypeConstraintViolation."""
    await _refused(station, [_probes(station).wrong_type], WRONG_TYPE, PAYLOAD_REQ)


@oca(
    "RB_09_CS",
    "Value out of range or too long",
    profile="robustness",
    versions=ALL,
    kills=("rpc-wrong-error-code", "rpc-wrong-id-in-error"),
)
async def test_bad_value_station(csms: CsmsPeer) -> None:
    """A value outside its enumeration, then a string over its maxLength:
    PropertyConstraintViolation for each."""
    await _refused(csms, _probes(csms).bad_values, BAD_VALUE, PAYLOAD_REQ)


@oca(
    "RB_09_CSMS",
    "Value out of range or too long",
    profile="robustness",
    versions=ALL,
    kills=(
        "csms-rpc-wrong-error-code",
        "csms-rpc-wrong-id-in-error",
    ),
)
async def test_bad_value_csms(station: StationPeer) -> None:
    """A value outside its enumeration, then a string over its maxLength:
    PropertyConstraintViolation for each."""
    await _refused(station, _probes(station).bad_values, BAD_VALUE, PAYLOAD_REQ)


@oca(
    "RB_10_CS",
    "Unknown extra property",
    profile="robustness",
    versions=ALL,
    kills=("rpc-wrong-id-in-error",),
)
async def test_extra_property_station(csms: CsmsPeer) -> None:
    """A property the schema does not define (``additionalProperties: false``): FormatViolation
    (1.6: FormationViolation), ProtocolError or OccurrenceConstraintViolation."""
    await _refused(csms, [_probes(csms).extra], EXTRA, PAYLOAD_REQ)


@oca(
    "RB_10_CSMS",
    "Unknown extra property",
    profile="robustness",
    versions=ALL,
    kills=("csms-rpc-wrong-id-in-error",),
)
async def test_extra_property_csms(station: StationPeer) -> None:
    """A property the schema does not define (``additionalProperties: false``): FormatViolation
    (1.6: FormationViolation), ProtocolError or OccurrenceConstraintViolation."""
    await _refused(station, [_probes(station).extra], EXTRA, PAYLOAD_REQ)
