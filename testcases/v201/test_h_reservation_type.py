"""OCA block H (Reservation), OCPP 2.0.1 and 2.1, the charging station under test, reservations
of a connector type (H01 S3, PICS R-1): TC_H_15/16_CS. Steps and criteria in our own words after
OCPP 2.0.1 Part 6 §2.9 and its errata (2025-06: only a connectorType of Part 2's
ConnectorEnumType); shared steps in :mod:`testcases.v201.reservation_states` (see
:mod:`.test_h_reservation` for what every case does before and after).

The OCA's "Configured connectorType" is what the station reports for EVSE 1's connector 1
(Connector.ConnectorType, GetVariables): INCONCLUSIVE where it cannot be read, NOT-APPLICABLE
where it is not a ConnectorEnumType value (errata 2025-06)."""

from __future__ import annotations

from harness import CsmsPeer, SutActions, oca
from harness.checks import applicable_unless
from harness.config import SutProfile
from harness.verdicts import Inconclusive
from testcases.v201.reservation_states import (
    RESERVATION,
    V2,
    answer_is,
    cancel_quietly,
    charged,
    connectors_are,
    reservation_applies,
    reservations_enabled,
    reserve,
    token,
)

#: Part 2 ConnectorEnumType (2.0.1; 2.1 makes it an open string).
CONNECTOR_TYPES = frozenset(
    [
        "cCCS1",
        "cCCS2",
        "cG105",
        "cTesla",
        "cType1",
        "cType2",
        "s309-1P-16A",
        "s309-1P-32A",
        "s309-3P-16A",
        "s309-3P-32A",
        "sBS1361",
        "sCEE-7-7",
        "sType2",
        "sType3",
        "Other1PhMax16A",
        "Other1PhOver16A",
        "Other3Ph",
        "Pan",
        "wInductive",
        "wResonant",
        "Undetermined",
        "Unknown",
    ]
)


async def _connector_type(csms: CsmsPeer) -> str:
    """Connector.ConnectorType of EVSE 1 connector 1 (see the module docstring)."""
    data = {
        "component": {"name": "Connector", "evse": {"id": 1, "connectorId": 1}},
        "variable": {"name": "ConnectorType"},
    }
    req = "B06.FR.01: GetVariables answered"
    result = (await csms.call("GetVariables", get_variable_data=[data], req=req)).must(req=req)
    items = result.get("getVariableResult") or [{}]
    item = items[0] if isinstance(items, list) and items else {}
    value = item.get("attributeValue") if isinstance(item, dict) else None
    if not isinstance(value, str) or item.get("attributeStatus") != "Accepted":
        raise Inconclusive("precondition: EVSE 1 connector 1's Connector.ConnectorType unreadable")
    applicable_unless(
        value not in CONNECTOR_TYPES or value in ("Undetermined", "Unknown"),
        f"connector type {value!r} is not a ConnectorEnumType one (errata 2025-06)",
    )
    return value


async def _reserve_type(csms: CsmsPeer, profile: SutProfile, rid: int, kind: str) -> str:
    """ReserveNow of connector type ``kind`` (no evseId) for the valid idToken."""
    payload = {
        "id": rid,
        "expiryDateTime": "2099-01-01T00:00:00Z",
        "connectorType": kind,
        "idToken": token(profile),
    }
    req = "H01: ReserveNow answered"
    result = await csms.call_payload("ReserveNow", payload, req=req)
    return str(result.must(req=req).get("status"))


@oca(
    "TC_H_15_CS",
    "Reserve a connector with a specific type - Success",
    profile=RESERVATION,
    versions=V2,
    kills=("reservation-type-rejected",),
    applies=reservation_applies,
    condition="R-1",
)
async def test_reserve_type(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_H_15_CS (H01.FR.06/09/24, H03.FR.02, H01.FR.15): a ReserveNow of the configured
    connectorType for the valid idToken is Accepted (steps 1-2); where the station has one EVSE
    its connectors are Reserved (step 3, H01.FR.24); the valid idToken then charges on EVSE 1
    with the reservationId (steps 5-6)."""
    await reservations_enabled(csms)
    kind = await _connector_type(csms)
    valid = sut_profile.sut.tokens.valid
    try:
        status = await _reserve_type(csms, sut_profile, 815, kind)
        answer_is(status, "Accepted", "H01.FR.06: a connector of the type is available")
        if len(sut_profile.sut.evses) == 1:
            await connectors_are(
                csms, sut_profile, 1, "Reserved", req="H01.FR.24: the only EVSE's connectors"
            )
        await charged(
            csms,
            sut,
            sut_profile,
            valid,
            req="H03.FR.02: the reserved idToken charges on an EVSE with the connector type",
            reservation_id=815,
        )
    finally:
        await cancel_quietly(csms, (815,))


@oca(
    "TC_H_16_CS",
    "Reserve a connector with a specific type - Amount of available connectors of a type equals "
    "the amount of reservations",
    profile=RESERVATION,
    versions=V2,
    kills=("reservation-reserved-accepted",),
    applies=reservation_applies,
    condition="R-1",
)
async def test_reserve_type_all_reserved(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_H_16_CS (H01.FR.11): every EVSE reserved (each for its own idToken, specific
    reservations); a ReserveNow of the configured connectorType is answered Occupied."""
    await reservations_enabled(csms)
    kind = await _connector_type(csms)
    evses = [e.id for e in sut_profile.sut.evses]
    ids = [1600 + evse for evse in evses]
    try:
        for evse, rid in zip(evses, ids, strict=True):
            other = {"idToken": f"RESV-TYPE-{evse:02d}", "type": "ISO14443"}
            answer_is(await reserve(csms, rid, other, evse_id=evse), "Accepted", "precondition")
        status = await _reserve_type(csms, sut_profile, 816, kind)
        answer_is(status, "Occupied", "H01.FR.11: Occupied when every EVSE is reserved")
    finally:
        await cancel_quietly(csms, (*ids, 816))
