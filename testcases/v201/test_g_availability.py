"""OCA block G (Availability), OCPP 2.0.1 and 2.1. Steps and criteria in our own words after
OCPP 2.0.1 Part 6."""

from __future__ import annotations

from harness import CsmsPeer, StationPeer, SutActions, oca
from harness.config import SutProfile
from testcases.v201.states import connector_status

V2 = ("2.0.1", "2.1")


@oca(
    "TC_G_03_CS",
    "Change Availability EVSE - Operative to inoperative",
    profile="core",
    versions=V2,
    kills=("availability-no-status", "availability-rejected"),
)
async def test_change_availability_evse(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_G_03 (G03), reusable state Unavailable: ChangeAvailability Inoperative for an idle
    EVSE is Accepted (G03.FR.01/02) and each of its connectors is reported Unavailable
    (G03.FR.04; a StatusNotification, or a NotifyEvent of the Connector's AvailabilityState as
    G01.FR.07 allows). Beyond the OCA: Operative brings them back to Available, so the case
    leaves the station as it found it."""
    evse = next(e for e in sut_profile.sut.evses if e.id == 1)
    for operational, status in (("Inoperative", "Unavailable"), ("Operative", "Available")):
        result = await csms.call(
            "ChangeAvailability", operational_status=operational, evse={"id": evse.id}
        )
        result.must(
            status="Accepted", req=f"G03.FR.01/02: ChangeAvailability {operational} Accepted"
        )
        for connector in range(1, evse.connectors + 1):
            await connector_status(
                csms,
                evse_id=evse.id,
                connector_id=connector,
                status=status,
                req=f"G03.FR.04/G01.FR.07: the EVSE's connectors are reported {status}",
            )


@oca(
    "TC_G_03_CSMS",
    "Change Availability EVSE - Operative to inoperative",
    profile="core",
    versions=V2,
    kills=(
        "csms-availability-wrong-status",
        "csms-availability-wrong-evse",
        "csms-commands-dropped",
    ),
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
