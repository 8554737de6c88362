"""OCA block G (Availability), OCPP 2.0.1 and 2.1. Steps and criteria in our own words after
OCPP 2.0.1 Part 6 §2.8 (station under test) and §3.8 (CSMS under test).

The reusable state Unavailable (Part 6 §2.18) is :func:`unavailable`; the OCA's memory state
"Unavailable for <evse/connector>" (which §2.19 does not define further) is reached the same way.
Each connector in scope may be reported by a StatusNotification or by a NotifyEvent of its
AvailabilityState (G01.FR.03-07, :func:`~testcases.v201.states.connector_status`).
"""

from __future__ import annotations

from harness import CsmsPeer, StationPeer, SutActions, oca
from harness.checks import require, require_fields
from harness.config import SutProfile
from harness.peers.defaults import now_iso
from testcases.v201.states import connector_status, tx_points
from testcases.v201.tx_states import (
    Session,
    StationTx,
    authorized_local,
    ended,
    energy_transfer_started,
    ev_connected_pre_session,
    station_charging,
    station_stop_authorized,
)

V2 = ("2.0.1", "2.1")
#: Faults of the plain (no transaction) availability changes.
CHANGE_KILLS = ("availability-no-status", "availability-rejected")
#: Faults of a change to the state a connector already has (G03.FR.03, G04.FR.04).
SAME_KILLS = ("availability-same-state-rejected",)
#: Faults of a change during a transaction (G03.FR.05, G04.FR.06, G01.FR.05).
SCHEDULED_KILLS = ("availability-not-scheduled", "availability-schedule-lost")


def _scope(
    profile: SutProfile, evse_id: int | None, connector_id: int | None
) -> list[tuple[int, int]]:
    """The (evse, connector) pairs a ChangeAvailability for ``evse_id``/``connector_id`` covers
    (no EVSE: the whole station)."""
    pairs = [(e.id, c) for e in profile.sut.evses for c in range(1, e.connectors + 1)]
    if evse_id is not None:
        pairs = [p for p in pairs if p[0] == evse_id]
    if connector_id is not None:
        pairs = [p for p in pairs if p[1] == connector_id]
    return pairs


async def change_availability(
    csms: CsmsPeer,
    operational: str,
    *,
    evse_id: int | None = None,
    connector_id: int | None = None,
    status: str = "Accepted",
    req: str,
) -> None:
    """ChangeAvailability for the station (no ``evse_id``), an EVSE or a connector; the answer
    must be ``status`` (``req`` names the rule)."""
    fields: dict[str, object] = {"operational_status": operational}
    if evse_id is not None:
        evse: dict[str, int] = {"id": evse_id}
        if connector_id is not None:
            evse["connectorId"] = connector_id
        fields["evse"] = evse
    result = await csms.call("ChangeAvailability", **fields)
    result.must(status=status, req=req)


async def reported(
    csms: CsmsPeer,
    profile: SutProfile,
    status: str,
    *,
    evse_id: int | None = None,
    connector_id: int | None = None,
    req: str,
) -> None:
    """Every connector in scope is reported ``status`` (a StatusNotification or a NotifyEvent)."""
    for evse, connector in _scope(profile, evse_id, connector_id):
        await connector_status(
            csms,
            evse_id=evse,
            connector_id=connector,
            status=status,
            req=f"{req}: connector {evse}/{connector} reported {status}",
        )


async def unavailable(
    csms: CsmsPeer,
    profile: SutProfile,
    *,
    evse_id: int | None = None,
    connector_id: int | None = None,
    rules: str = "G03.FR.01/02",
) -> None:
    """Reusable state Unavailable: ChangeAvailability Inoperative (for the station, an EVSE or
    a connector) is Accepted and every connector in scope is reported Unavailable (G01.FR.07)."""
    await change_availability(
        csms,
        "Inoperative",
        evse_id=evse_id,
        connector_id=connector_id,
        req=f"{rules}: ChangeAvailability Inoperative answered Accepted",
    )
    await reported(
        csms, profile, "Unavailable", evse_id=evse_id, connector_id=connector_id, req="G01.FR.07"
    )


# -- G01: connector status on plug-in and unplug -------------------------------------------------


@oca(
    "TC_G_01_CS",
    "Connector status Notification - Available to Occupied",
    profile="core",
    versions=V2,
    kills=("status-silent-on-plug-in",),
)
async def test_status_available_to_occupied(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_G_01 (G01.FR.01/03): state EVConnectedPreSession: plugging in is reported Occupied
    (StatusNotification or AvailabilityState NotifyEvent); where TxStartPoint holds EVConnected
    the transaction starts too."""
    session = Session(await tx_points(csms, sut_profile))
    await ev_connected_pre_session(csms, sut, session)


@oca(
    "TC_G_02_CS",
    "Connector status Notification - Occupied to Available",
    profile="core",
    versions=V2,
    kills=("status-silent-on-unplug",),
)
async def test_status_occupied_to_available(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_G_02 (G01.FR.01/04): from state EVConnectedPreSession, unplugging is reported
    Available for the connector (StatusNotification or AvailabilityState NotifyEvent)."""
    session = Session(await tx_points(csms, sut_profile))
    await ev_connected_pre_session(csms, sut, session)
    await sut.unplug(evse_id=session.evse_id, connector_id=session.connector_id)
    await connector_status(
        csms,
        evse_id=session.evse_id,
        connector_id=session.connector_id,
        status="Available",
        req="G01.FR.04: the connector is reported Available after unplug",
    )


# -- G03/G04: changes without a transaction --------------------------------------------------------


@oca(
    "TC_G_03_CS",
    "Change Availability EVSE - Operative to inoperative",
    profile="core",
    versions=V2,
    kills=CHANGE_KILLS,
)
async def test_evse_operative_to_inoperative(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_G_03 (G03.FR.01/02/04/06): reusable state Unavailable for EVSE 1: ChangeAvailability
    Inoperative is Accepted and each of its connectors is reported Unavailable."""
    await unavailable(csms, sut_profile, evse_id=1)


@oca(
    "TC_G_04_CS",
    "Change Availability EVSE - Inoperative to operative",
    profile="core",
    versions=V2,
    kills=CHANGE_KILLS,
)
async def test_evse_inoperative_to_operative(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_G_04 (G03.FR.01/02/04/07): EVSE 1 Unavailable first; ChangeAvailability Operative
    for it is Accepted and each of its connectors is reported Available again."""
    await unavailable(csms, sut_profile, evse_id=1)
    await change_availability(
        csms, "Operative", evse_id=1, req="G03.FR.01/02: ChangeAvailability Operative Accepted"
    )
    await reported(csms, sut_profile, "Available", evse_id=1, req="G03.FR.07/G01.FR.07")


@oca(
    "TC_G_05_CS",
    "Change Availability Charging Station - Operative to inoperative",
    profile="core",
    versions=V2,
    kills=CHANGE_KILLS,
)
async def test_station_operative_to_inoperative(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_G_05 (G04.FR.01/02/03/05/07): reusable state Unavailable for the whole station
    (no evse): Accepted, and every connector is reported Unavailable."""
    await unavailable(csms, sut_profile, rules="G04.FR.02/03")


@oca(
    "TC_G_06_CS",
    "Change Availability Charging Station - Inoperative to operative",
    profile="core",
    versions=V2,
    kills=CHANGE_KILLS,
)
async def test_station_inoperative_to_operative(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_G_06 (G04.FR.01/02/03/05/08): from state Unavailable (whole station), ChangeAvailability
    Operative without evse is Accepted and every connector is reported Available."""
    await unavailable(csms, sut_profile, rules="G04.FR.02/03")
    await change_availability(
        csms, "Operative", req="G04.FR.02/03: ChangeAvailability Operative Accepted"
    )
    await reported(csms, sut_profile, "Available", req="G04.FR.08/G01.FR.07")


@oca(
    "TC_G_07_CS",
    "Change Availability Connector - Operative to inoperative",
    profile="core",
    versions=V2,
    kills=CHANGE_KILLS,
)
async def test_connector_operative_to_inoperative(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_G_07 (G03.FR.01/02/04/06): reusable state Unavailable for connector 1 of EVSE 1:
    Accepted, and that connector is reported Unavailable."""
    await unavailable(csms, sut_profile, evse_id=1, connector_id=1)


@oca(
    "TC_G_08_CS",
    "Change Availability Connector - Inoperative to operative",
    profile="core",
    versions=V2,
    kills=CHANGE_KILLS,
)
async def test_connector_inoperative_to_operative(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_G_08 (G03.FR.01/02/04/07): connector 1 of EVSE 1 Unavailable first; ChangeAvailability
    Operative for it is Accepted and it is reported Available (evse and connector named)."""
    await unavailable(csms, sut_profile, evse_id=1, connector_id=1)
    await change_availability(
        csms,
        "Operative",
        evse_id=1,
        connector_id=1,
        req="G03.FR.01/02: ChangeAvailability Operative Accepted",
    )
    await reported(
        csms, sut_profile, "Available", evse_id=1, connector_id=1, req="G03.FR.07/G01.FR.07"
    )


# -- G03/G04: a change to the state already in force -----------------------------------------------


async def _same_state(
    csms: CsmsPeer,
    profile: SutProfile,
    operational: str,
    rule: str,
    *,
    evse_id: int | None = None,
    connector_id: int | None = None,
) -> None:
    """From Operative (the general preconditions) or the state Unavailable, ChangeAvailability
    to that same state is Accepted (``rule``: G03.FR.03 or G04.FR.04)."""
    if operational == "Inoperative":
        rules = "G04.FR.02/03" if evse_id is None else "G03.FR.01/02"
        await unavailable(csms, profile, evse_id=evse_id, connector_id=connector_id, rules=rules)
    await change_availability(
        csms,
        operational,
        evse_id=evse_id,
        connector_id=connector_id,
        req=f"{rule}: ChangeAvailability {operational} for the state it is already in answered "
        "Accepted",
    )


@oca(
    "TC_G_09_CS",
    "Change Availability EVSE - Operative to operative",
    profile="core",
    versions=V2,
    kills=SAME_KILLS,
)
async def test_evse_operative_to_operative(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_G_09 (G03.FR.01-04): ChangeAvailability Operative for the operative EVSE 1 is
    Accepted."""
    await _same_state(csms, sut_profile, "Operative", "G03.FR.03", evse_id=1)


@oca(
    "TC_G_10_CS",
    "Change Availability EVSE - Inoperative to inoperative",
    profile="core",
    versions=V2,
    kills=SAME_KILLS,
)
async def test_evse_inoperative_to_inoperative(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_G_10 (G03.FR.01-04): from state Unavailable for EVSE 1 (its connectors reported
    Unavailable: the OCA's post-scenario check), ChangeAvailability Inoperative for it again is
    Accepted."""
    await _same_state(csms, sut_profile, "Inoperative", "G03.FR.03", evse_id=1)


@oca(
    "TC_G_12_CS",
    "Change Availability Charging Station - Operative to operative",
    profile="core",
    versions=V2,
    kills=SAME_KILLS,
)
async def test_station_operative_to_operative(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_G_12 (G04.FR.01-05): ChangeAvailability Operative without evse for the operative
    station is Accepted."""
    await _same_state(csms, sut_profile, "Operative", "G04.FR.04")


@oca(
    "TC_G_13_CS",
    "Change Availability Charging Station - Inoperative to inoperative",
    profile="core",
    versions=V2,
    kills=SAME_KILLS,
)
async def test_station_inoperative_to_inoperative(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_G_13 (G04.FR.01-05): from state Unavailable (every connector reported Unavailable),
    ChangeAvailability Inoperative without evse is Accepted. Deviation: the OCA's step 3 asks for
    the connectors' status once more; nothing changed, and G04.FR.05/G01.FR.07 ask for a report
    of changed connectors only, so the Unavailable reports of the state are what is checked."""
    await _same_state(csms, sut_profile, "Inoperative", "G04.FR.04")


@oca(
    "TC_G_15_CS",
    "Change Availability Connector - Operative to operative",
    profile="core",
    versions=V2,
    kills=SAME_KILLS,
)
async def test_connector_operative_to_operative(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_G_15 (G03.FR.01-04): ChangeAvailability Operative for the operative connector 1 of
    EVSE 1 is Accepted."""
    await _same_state(csms, sut_profile, "Operative", "G03.FR.03", evse_id=1, connector_id=1)


@oca(
    "TC_G_16_CS",
    "Change Availability Connector - Inoperative to inoperative",
    profile="core",
    versions=V2,
    kills=SAME_KILLS,
)
async def test_connector_inoperative_to_inoperative(
    csms: CsmsPeer, sut_profile: SutProfile
) -> None:
    """TC_G_16 (G03.FR.01-04): from state Unavailable for connector 1 of EVSE 1,
    ChangeAvailability Inoperative for it again is Accepted."""
    await _same_state(csms, sut_profile, "Inoperative", "G03.FR.03", evse_id=1, connector_id=1)


# -- G03/G04: a change during a transaction ---------------------------------------------------------


async def _scheduled(
    csms: CsmsPeer,
    sut: SutActions,
    profile: SutProfile,
    rule: str,
    *,
    evse_id: int | None = None,
    connector_id: int | None = None,
) -> None:
    """From state EnergyTransferStarted on EVSE 1 (cable first, local authorization, per the
    station's TxStartPoint): ChangeAvailability Inoperative is Scheduled (``rule``); the other
    connectors in scope are reported Unavailable at once (G04 only); then state StopAuthorized
    (remote stop: the OCTT's RequestStopTransaction option) and EVDisconnected: once the
    transaction has ended, the connectors of EVSE 1 in scope are reported Unavailable
    (G01.FR.05: not Available)."""
    session = Session(await tx_points(csms, profile))
    await ev_connected_pre_session(csms, sut, session)
    await authorized_local(csms, sut, session, profile.sut.tokens.valid)
    await energy_transfer_started(csms, session)
    await change_availability(
        csms,
        "Inoperative",
        evse_id=evse_id,
        connector_id=connector_id,
        status="Scheduled",
        req=f"{rule}: ChangeAvailability Inoperative during a transaction answered Scheduled",
    )
    others = [p for p in _scope(profile, evse_id, connector_id) if p[0] != session.evse_id]
    for evse, connector in others:
        await connector_status(
            csms,
            evse_id=evse,
            connector_id=connector,
            status="Unavailable",
            req=f"G04.FR.05/G01.FR.07: connector {evse}/{connector} without a transaction "
            "reported Unavailable at once",
        )
    stop = await csms.call("RequestStopTransaction", transaction_id=session.tx_id)
    stop.must(status="Accepted", req="F03.FR.07: RequestStopTransaction Accepted")
    if session.points.stops_at_deauthorization:
        await ended(csms, session, req="F03.FR.03: the remote stop ends the transaction")
        await _unavailable_after(csms, profile, session.evse_id, connector_id)
        await sut.unplug(evse_id=session.evse_id, connector_id=session.connector_id)
        return
    event = await csms.expect(
        "TransactionEvent",
        event_type="Updated",
        trigger_reason="RemoteStop",
        req="F03.FR.02: the remote stop is reported (Updated, triggerReason RemoteStop)",
    )
    session.add(event, "F03")
    await sut.unplug(evse_id=session.evse_id, connector_id=session.connector_id)
    await ended(csms, session, req="E06.FR.02: unplugging ends the transaction")
    await _unavailable_after(csms, profile, session.evse_id, connector_id)


async def _unavailable_after(
    csms: CsmsPeer, profile: SutProfile, evse_id: int, connector_id: int | None
) -> None:
    for evse, connector in _scope(profile, evse_id, connector_id):
        await connector_status(
            csms,
            evse_id=evse,
            connector_id=connector,
            status="Unavailable",
            req=f"G03.FR.05/G01.FR.05: the scheduled change applies when the transaction has "
            f"ended (connector {evse}/{connector} Unavailable)",
        )


@oca(
    "TC_G_11_CS",
    "Change Availability EVSE - With ongoing transaction",
    profile="core",
    versions=V2,
    kills=SCHEDULED_KILLS,
)
async def test_evse_with_transaction(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_G_11 (G03.FR.01/02/04/05): during a transaction on EVSE 1, ChangeAvailability
    Inoperative for EVSE 1 is Scheduled; once the transaction has ended (remote stop, and the
    cable where only that ends it), its connectors are reported Unavailable."""
    await _scheduled(csms, sut, sut_profile, "G03.FR.05", evse_id=1)


@oca(
    "TC_G_14_CS",
    "Change Availability Charging Station - With ongoing transaction",
    profile="core",
    versions=V2,
    kills=SCHEDULED_KILLS,
)
async def test_station_with_transaction(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_G_14 (G04.FR.01/02/03/05/06): during a transaction on EVSE 1, ChangeAvailability
    Inoperative for the station is Scheduled; the connectors of the other EVSEs are reported
    Unavailable at once; once the transaction has ended, those of EVSE 1 too."""
    await _scheduled(csms, sut, sut_profile, "G04.FR.06")


@oca(
    "TC_G_17_CS",
    "Change Availability Connector - With ongoing transaction",
    profile="core",
    versions=V2,
    kills=SCHEDULED_KILLS,
)
async def test_connector_with_transaction(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_G_17 (G03.FR.01/02/04/05): during a transaction on EVSE 1, ChangeAvailability
    Inoperative for its connector 1 is Scheduled; once the transaction has ended the connector
    is reported Unavailable (evse and connector named)."""
    await _scheduled(csms, sut, sut_profile, "G03.FR.05", evse_id=1, connector_id=1)


# -- G03.FR.08/G04.FR.09: availability persists across a reboot ------------------------------------


async def _persists_reboot(
    csms: CsmsPeer,
    profile: SutProfile,
    rule: str,
    *,
    evse_id: int | None = None,
    connector_id: int | None = None,
) -> None:
    """State Unavailable for the scope; then Reset Immediate (the OCA's Booting / Booted state:
    Accepted, BootNotification answered Accepted); after the boot the connectors in scope are
    reported Unavailable and all others Available (``rule``). The SecurityEventNotification of
    the reboot is not checked: it belongs to the security profiles (block A), which the
    reference station does not implement (as in TC_B_21_CS)."""
    rules = "G04.FR.02/03" if evse_id is None else "G03.FR.01/02"
    await unavailable(csms, profile, evse_id=evse_id, connector_id=connector_id, rules=rules)
    csms.hold("BootNotification")
    reset = await csms.call("Reset", type="Immediate", req="B11.FR.01: Reset answered")
    reset.must(status="Accepted", req="B11: Reset Immediate Accepted")
    boot = await csms.expect(
        "BootNotification",
        within_s=csms.action_s,
        req="B11.FR.03/B01.FR.03: the station reboots and sends BootNotification",
    )
    await boot.reply(status="Accepted", interval=300)
    inoperative = set(_scope(profile, evse_id, connector_id))
    for evse, connector in _scope(profile, None, None):
        status = "Unavailable" if (evse, connector) in inoperative else "Available"
        await connector_status(
            csms,
            evse_id=evse,
            connector_id=connector,
            status=status,
            within_s=csms.action_s,
            req=f"{rule}: the availability set persists across the reboot ({evse}/{connector} "
            f"{status})",
        )


@oca(
    "TC_G_18_CS",
    "Change Availability EVSE - state persists across reboot",
    profile="core",
    versions=V2,
    kills=("availability-forgotten-on-reboot",),
)
async def test_evse_unavailable_persists(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_G_18 (G03.FR.08, G01.FR.01): ChangeAvailability Inoperative for EVSE 1 is Accepted
    and its connectors reported Unavailable; after a reboot (Reset Immediate) EVSE 1's
    connectors are reported Unavailable, every other connector Available."""
    await _persists_reboot(csms, sut_profile, "G03.FR.08", evse_id=1)


@oca(
    "TC_G_19_CS",
    "Change Availability Connector - state persists across reboot",
    profile="core",
    versions=V2,
    kills=("availability-forgotten-on-reboot",),
)
async def test_connector_unavailable_persists(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_G_19 (G03.FR.08): from state Unavailable for connector 1 of EVSE 1, a reboot (Reset
    Immediate: state Booting) is followed by BootNotification and the connector reported
    Unavailable, every other connector Available."""
    await _persists_reboot(csms, sut_profile, "G03.FR.08", evse_id=1, connector_id=1)


@oca(
    "TC_G_21_CS",
    "Change Availability Charging Station - state persists across reboot",
    profile="core",
    versions=V2,
    kills=("availability-forgotten-on-reboot",),
)
async def test_station_unavailable_persists(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_G_21 (G04.FR.09): from state Unavailable for the whole station, a reboot (Reset
    Immediate: state Booting) is followed by BootNotification and every connector reported
    Unavailable."""
    await _persists_reboot(csms, sut_profile, "G04.FR.09")


# -- CSMS under test -------------------------------------------------------------------------------


#: Faults every CSMS availability case kills.
CSMS_KILLS = (
    "csms-availability-wrong-status",
    "csms-availability-wrong-evse",
    "csms-commands-dropped",
)


async def _csms_change(
    station: StationPeer,
    sut: SutActions,
    evse_id: int,
    *,
    operative: bool,
    connector_id: int | None = None,
    answer: str = "Accepted",
) -> None:
    """Asked by its operator, the CSMS sends ChangeAvailability (``evse_id`` 0: the whole
    station; ``connector_id``: one connector) with the operational status asked for; the
    harness answers ``answer``."""
    operational = "Operative" if operative else "Inoperative"
    station.hold("ChangeAvailability")
    if connector_id is None:
        await sut.change_availability(evse_id, operative=operative)
    else:
        await sut.change_connector_availability(evse_id, connector_id, operative=operative)
    request = await station.expect(
        "ChangeAvailability", req="G03/G04: the CSMS sends ChangeAvailability"
    )
    await request.reply(status=answer)
    require_fields(
        request.payload,
        operationalStatus=operational,
        req=f"G03/G04: operationalStatus {operational}",
    )
    where = request.get("evse")
    if evse_id == 0:
        require(
            where is None,
            req="G04.FR.01: for the chosen EVSE (none: the whole station) evse omitted",
            expected="no evse",
            actual=repr(where),
        )
        return
    require_fields(where or {}, id=evse_id, req=f"G03: for the chosen EVSE, evse.id {evse_id}")
    if connector_id is not None:
        require_fields(
            where or {},
            connectorId=connector_id,
            req=f"G03: evse.connectorId {connector_id} for a connector",
        )
        return
    require(
        "connectorId" not in (where or {}),
        req="G03: evse.connectorId omitted for an EVSE",
        expected="no connectorId",
        actual=repr(where),
    )


async def _csms_statuses(
    station: StationPeer, profile: SutProfile, status: str, evse_id: int = 0
) -> None:
    """The harness reports the connectors in scope (``evse_id`` 0: all) ``status``; the CSMS
    answers each StatusNotification."""
    for evse, connector in _scope(profile, evse_id or None, None):
        req = f"G01: StatusNotification {status} answered"
        await station.call(
            "StatusNotification",
            timestamp=now_iso(),
            connector_status=status,
            evse_id=evse,
            connector_id=connector,
            req=req,
        ).must(req=req)


@oca(
    "TC_G_03_CSMS",
    "Change Availability EVSE - Operative to inoperative",
    profile="core",
    versions=V2,
    kills=CSMS_KILLS,
)
async def test_csms_evse_inoperative(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_G_03 (G03), reusable state Unavailable for EVSE 1: asked by its operator, the CSMS
    sends ChangeAvailability Inoperative for EVSE 1 (no connectorId); the harness answers
    Accepted and reports the EVSE's connectors Unavailable, which the CSMS answers."""
    await _csms_change(station, sut, 1, operative=False)
    await _csms_statuses(station, sut_profile, "Unavailable", 1)


@oca(
    "TC_G_04_CSMS",
    "Change Availability EVSE - Inoperative to operative",
    profile="core",
    versions=V2,
    kills=CSMS_KILLS,
)
async def test_csms_evse_operative(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_G_04 (G03): EVSE 1 Unavailable first (the harness reports its connectors so); asked
    by its operator, the CSMS sends ChangeAvailability Operative for EVSE 1 with no
    connectorId; the harness answers Accepted and reports the connectors Available, which the
    CSMS answers."""
    await _csms_statuses(station, sut_profile, "Unavailable", 1)
    await _csms_change(station, sut, 1, operative=True)
    await _csms_statuses(station, sut_profile, "Available", 1)


@oca(
    "TC_G_05_CSMS",
    "Change Availability Charging Station - Operative to inoperative",
    profile="core",
    versions=V2,
    kills=CSMS_KILLS,
)
async def test_csms_station_inoperative(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_G_05 (G04): asked by its operator, the CSMS sends ChangeAvailability Inoperative
    without evse; the harness answers Accepted and reports every connector Unavailable, which
    the CSMS answers."""
    await _csms_change(station, sut, 0, operative=False)
    await _csms_statuses(station, sut_profile, "Unavailable")


@oca(
    "TC_G_06_CSMS",
    "Change Availability Charging Station - Inoperative to operative",
    profile="core",
    versions=V2,
    kills=CSMS_KILLS,
)
async def test_csms_station_operative(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_G_06 (G04): the station Unavailable first (the harness reports every connector so);
    asked by its operator, the CSMS sends ChangeAvailability Operative without evse; the
    harness answers Accepted and reports every connector Available, which the CSMS answers."""
    await _csms_statuses(station, sut_profile, "Unavailable")
    await _csms_change(station, sut, 0, operative=True)
    await _csms_statuses(station, sut_profile, "Available")


async def _csms_scheduled(
    station: StationPeer,
    sut: SutActions,
    profile: SutProfile,
    evse_id: int,
    connector_id: int | None = None,
) -> None:
    """As the station, state EnergyTransferStarted on EVSE 1; asked by its operator, the CSMS
    sends ChangeAvailability Inoperative (``evse_id`` 0: the whole station) and the harness
    answers Scheduled (other EVSEs it reports Unavailable at once); states StopAuthorized,
    EVConnectedPostSession and EVDisconnected follow, then EVSE 1's connector is reported
    Unavailable; the CSMS answers every message."""
    tx = StationTx.of(station, profile)
    await station_charging(tx)
    await _csms_change(
        station, sut, evse_id, operative=False, connector_id=connector_id, answer="Scheduled"
    )
    if evse_id == 0:
        for evse, connector in _scope(profile, None, None):
            if evse != tx.evse_id:
                req = "G01: StatusNotification Unavailable answered"
                await station.call(
                    "StatusNotification",
                    timestamp=now_iso(),
                    connector_status="Unavailable",
                    evse_id=evse,
                    connector_id=connector,
                    req=req,
                ).must(req=req)
    await station_stop_authorized(tx, req="E06: TransactionEvent Updated (StopAuthorized) answered")
    await tx.event(
        "Ended",
        "EVCommunicationLost",
        charging_state="Idle",
        transaction_info={"stoppedReason": "EVDisconnected"},
        req="E06: TransactionEvent Ended answered",
    )
    await tx.status("Unavailable", req="G01.FR.05: StatusNotification Unavailable answered")


@oca(
    "TC_G_11_CSMS",
    "Change Availability EVSE - With ongoing transaction",
    profile="core",
    versions=V2,
    kills=CSMS_KILLS,
)
async def test_csms_evse_with_transaction(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_G_11 (G03), as the station: during a transaction on EVSE 1 the CSMS sends
    ChangeAvailability Inoperative for EVSE 1 (no connectorId), answered Scheduled; the session
    ends (StopAuthorized, EVConnectedPostSession, EVDisconnected) and the connector is reported
    Unavailable; the CSMS answers each message."""
    await _csms_scheduled(station, sut, sut_profile, 1)


@oca(
    "TC_G_14_CSMS",
    "Change Availability Charging Station - With ongoing transaction",
    profile="core",
    versions=V2,
    kills=CSMS_KILLS,
)
async def test_csms_station_with_transaction(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_G_14 (G04), as the station: during a transaction on EVSE 1 the CSMS sends
    ChangeAvailability Inoperative without evse, answered Scheduled; the other EVSEs' connectors
    are reported Unavailable at once; the session ends and EVSE 1's connector is reported
    Unavailable; the CSMS answers each message."""
    await _csms_scheduled(station, sut, sut_profile, 0)


@oca(
    "TC_G_17_CSMS",
    "Change Availability Connector - With ongoing transaction",
    profile="core",
    versions=V2,
    kills=CSMS_KILLS,
)
async def test_csms_connector_with_transaction(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_G_17 (G03), as the station: during a transaction on connector 1 of EVSE 1 the CSMS
    sends ChangeAvailability Inoperative for that connector (evse.id and connectorId), answered
    Scheduled; the session ends and the connector is reported Unavailable; the CSMS answers each
    message."""
    await _csms_scheduled(station, sut, sut_profile, 1, 1)


@oca(
    "TC_G_07_CSMS",
    "Change Availability Connector - Operative to inoperative",
    profile="core",
    versions=V2,
    kills=CSMS_KILLS,
)
async def test_csms_connector_inoperative(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_G_07 (G03): asked by its operator, the CSMS sends ChangeAvailability Inoperative for
    connector 1 of EVSE 1 (evse.id and connectorId); the harness answers Accepted and reports
    the connector Unavailable, which the CSMS answers."""
    await _csms_change(station, sut, 1, operative=False, connector_id=1)
    await _csms_connector_status(station, "Unavailable")


@oca(
    "TC_G_08_CSMS",
    "Change Availability Connector - Inoperative to operative",
    profile="core",
    versions=V2,
    kills=CSMS_KILLS,
)
async def test_csms_connector_operative(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_G_08 (G03): connector 1 of EVSE 1 Unavailable first (the harness reports it so);
    asked by its operator, the CSMS sends ChangeAvailability Operative for it (evse.id and
    connectorId); the harness answers Accepted and reports it Available, which the CSMS
    answers."""
    await _csms_connector_status(station, "Unavailable")
    await _csms_change(station, sut, 1, operative=True, connector_id=1)
    await _csms_connector_status(station, "Available")


async def _csms_connector_status(station: StationPeer, status: str) -> None:
    req = f"G01: StatusNotification {status} answered"
    await station.call(
        "StatusNotification",
        timestamp=now_iso(),
        connector_status=status,
        evse_id=1,
        connector_id=1,
        req=req,
    ).must(req=req)


@oca(
    "TC_G_20_CSMS",
    "Connector status Notification - Lock Failure",
    profile="core",
    versions=V2,
    kills=("csms-notify-event-refused",),
)
async def test_csms_lock_failure(station: StationPeer) -> None:
    """TC_G_20 (G05.FR.03): the harness reports a connector lock failure — NotifyEvent with
    trigger Delta, component ConnectorPlugRetentionLock, variable Problem, actualValue true —
    and the CSMS answers it."""
    event = {
        "eventId": 1,
        "timestamp": now_iso(),
        "trigger": "Delta",
        "actualValue": "true",
        "eventNotificationType": "HardWiredNotification",
        "component": {"name": "ConnectorPlugRetentionLock", "evse": {"id": 1, "connectorId": 1}},
        "variable": {"name": "Problem"},
    }
    req = "G05.FR.03: the lock failure's NotifyEvent answered"
    await station.call(
        "NotifyEvent", generated_at=now_iso(), seq_no=0, event_data=[event], req=req
    ).must(req=req)
