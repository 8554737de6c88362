"""Robustness RB_05-RB_10: well-formed CALLs the SUT must refuse, both SUT roles, 1.6/2.0.1/2.1.

Our own cases beyond the OCA catalogue (profile ``robustness``). A CALL for an action the receiver
does not know gets NotImplemented, one it knows but does not take NotSupported, and a payload that
breaks its JSON schema the CALLERROR code of the broken rule (OCPP-J 1.6 §4.2.3 Table 7; OCPP
2.0.1/2.1 Part 4 §4.3, Part 2 §3 FR.03), always under the CALL's own unique id. The SUT keeps its
connection and keeps working. The payloads and the codes each case accepts (some table rows
overlap): :mod:`testcases.robustness.probes`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from harness import CsmsPeer, StationPeer, oca
from harness.config import Role
from harness.ocppj import ErrorKind
from testcases.robustness.probes import (
    ALL,
    BAD_VALUE,
    EXTRA,
    MISSING,
    WRONG_TYPE,
    Probe,
    Probes,
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
    require_working,
)

UNKNOWN_ACTION_REQ = "1.6 §4.2.3, Part 4 §4.3: an unknown action gets NotImplemented"
FOREIGN_REQ = "1.6 §4.2.3, Part 4 §4.3: a known action the receiver does not take gets NotSupported"
PAYLOAD_REQ = "1.6 §4.2.3, Part 4 §4.3 (2.x Part 2 FR.03): a schema violation gets its CALLERROR"


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
    require_open(peer, link)
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
    kills=("rpc-wrong-error-code", "rpc-wrong-id-in-error"),
)
async def test_missing_field_station(csms: CsmsPeer) -> None:
    """A required field left out: OccurrenceConstraintViolation (1.6: OccurenceConstraint...)
    or ProtocolError."""
    await _refused(csms, [_probes(csms).missing], MISSING, PAYLOAD_REQ)


@oca(
    "RB_07_CSMS",
    "Missing required field",
    profile="robustness",
    versions=ALL,
    kills=(
        "csms-rpc-wrong-error-code",
        "csms-rpc-wrong-id-in-error",
    ),
)
async def test_missing_field_csms(station: StationPeer) -> None:
    """A required field left out: OccurrenceConstraintViolation (1.6: OccurenceConstraint...)
    or ProtocolError."""
    await _refused(station, [_probes(station).missing], MISSING, PAYLOAD_REQ)


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
