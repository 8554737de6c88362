"""OCA block G (Availability), OCPP 2.0.1 and 2.1. Steps and criteria in our own words after
OCPP 2.0.1 Part 6."""

from __future__ import annotations

from harness import CsmsPeer, StationPeer, SutActions, oca

V2 = ("2.0.1", "2.1")


@oca(
    "TC_G_03_CS",
    "Change Availability EVSE - Operative to inoperative",
    profile="core",
    versions=V2,
    kills=("availability-no-status",),
)
async def test_change_availability_evse(csms: CsmsPeer) -> None:
    """G03: ChangeAvailability Inoperative for an idle EVSE is Accepted and its connector is
    reported Unavailable; Operative brings it back to Available."""
    result = await csms.call("ChangeAvailability", operational_status="Inoperative", evse={"id": 1})
    result.must(status="Accepted", req="G03: ChangeAvailability Accepted for an idle EVSE")
    await csms.expect(
        "StatusNotification",
        evse_id=1,
        connector_status="Unavailable",
        req="G03: the EVSE's connector is reported Unavailable",
    )
    back = await csms.call("ChangeAvailability", operational_status="Operative", evse={"id": 1})
    back.must(status="Accepted", req="G03: ChangeAvailability Operative Accepted")
    await csms.expect(
        "StatusNotification",
        evse_id=1,
        connector_status="Available",
        req="G03: the connector is Available again",
    )


@oca(
    "TC_G_03_CSMS",
    "Change Availability EVSE - Operative to inoperative",
    profile="core",
    versions=V2,
    kills=("csms-availability-wrong-status",),
)
async def test_csms_change_availability(station: StationPeer, sut: SutActions) -> None:
    """G03: asked by its operator, the CSMS sends ChangeAvailability Inoperative for that EVSE."""
    station.hold("ChangeAvailability")
    await sut.change_availability(1, operative=False)
    request = await station.expect(
        "ChangeAvailability", req="G03: the CSMS sends ChangeAvailability"
    )
    await request.reply(status="Accepted")
    from harness.checks import require_fields

    require_fields(
        request.payload, operationalStatus="Inoperative", req="G03: operationalStatus Inoperative"
    )
    require_fields(request.get("evse", {}), id=1, req="G03: for the chosen EVSE")
