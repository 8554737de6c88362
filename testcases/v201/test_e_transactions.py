"""OCA block E (Transactions), OCPP 2.0.1 and 2.1: the start options (TxStartPoint EVConnected,
Authorized local and remote, PowerPathClosed, EnergyTransfer, DataSigned), the stop options
(TxStopPoint Authorized local and remote, PowerPathClosed, EnergyTransfer, EVConnected) and the
EVConnectionTimeOut, as the station does them (``_CS``: the harness is the CSMS and sets the
start/stop point a case needs, NOT-APPLICABLE where the station cannot) and as the CSMS answers
them (``_CSMS``: the harness is the station, :class:`~testcases.v201.tx_states.StationTx`).
The transaction-status, offline and retry rows (E_28-E_34, E_40-E_45, E_50, E_51, E_53) live
with the offline cases. Steps and criteria in our own words after OCPP 2.0.1 Part 6."""

from __future__ import annotations

import asyncio
import contextlib

from harness import CsmsPeer, StationPeer, SutActions, oca
from harness.checks import applicable_unless, require, require_fields
from harness.config import SutProfile
from harness.verdicts import SutFailure
from testcases.v201.states import connector_status, get_variable, set_variable, tx_points
from testcases.v201.tx_states import (
    Session,
    StationTx,
    auth_preparation,
    authorized_local,
    authorized_remote,
    charging,
    ended,
    energy_transfer_started,
    ev_connected_pre_session,
    reading,
    signed,
    station_charging,
    station_ev_connected,
    station_ev_disconnected,
    station_stop_authorized,
    station_suspended,
    stop_charging,
    tx_point_contains,
    tx_point_only,
    unplugged,
)

V2 = ("2.0.1", "2.1")


@oca(
    "TC_E_03_CS",
    "Local start transaction - Cable plugin first - Success",
    profile="core",
    versions=V2,
    condition="NOT AQ-2 AND (C-30 - C-35 OR ISO 15118 support)",
    kills=(
        "tx-reports-wrong-token",
        "tx-stopped-reason-other",
        "tx-seqno-repeats",
        "local-stop-ignored",
        "tx-never-charging",
        "tx-no-evse",
        "tx-plugin-wrong-trigger",
    ),
)
async def test_local_start_cable_first(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_03 (E02), per the station's TxStartPoint/TxStopPoint (read first). Before:
    AuthCtrlr.Enabled true and DisableRemoteAuthorization false where implemented. State
    EVConnectedPreSession (plug in: Occupied; a transaction starts where TxStartPoint holds
    EVConnected), state Authorized (local: Authorize, then the idToken in the transaction,
    Started where TxStartPoint is Authorized or PowerPathClosed), state EnergyTransferStarted
    (chargingState Charging). The first TransactionEvent after plug-in names the EVSE and
    connector (E01.FR.16). Beyond the OCA: the same token stops it (E06/E07; Ended with
    stoppedReason Local or none where TxStopPoint holds Authorized, else at unplug), seqNo
    increases over the transaction's events (E02.FR.07), and unplugging frees the connector."""
    token = sut_profile.sut.tokens.valid
    await auth_preparation(csms)
    session = Session(await tx_points(csms, sut_profile))
    await ev_connected_pre_session(csms, sut, session)
    await authorized_local(csms, sut, session, token)
    session.check_evse_known()
    await energy_transfer_started(csms, session)
    await sut.present_token(token)
    if session.points.stops_at_deauthorization:
        event = await ended(csms, session, req="E06.FR.03: the local stop ends the transaction")
        reason = event["transactionInfo"].get("stoppedReason", "Local")
        require(
            reason == "Local",
            req="E06: a local stop has stoppedReason Local (or none)",
            expected="Local",
            actual=repr(reason),
        )
        await unplugged(csms, sut, session)
    else:
        await unplugged(csms, sut, session)
        await ended(csms, session, req="E06.FR.02: unplugging ends the transaction")
    session.check_seq_nos()


@oca(
    "TC_E_01_CS",
    "Start transaction options - PowerPathClosed",
    profile="core",
    versions=V2,
    condition="C-09.4 AND (C-51 OR NOT (C-09.1 OR C-09.2 OR C-09.3 OR C-09.6))",
    kills=("tx-no-evse", "tx-reports-wrong-token"),
)
async def test_start_power_path_closed(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_01 (E01 S4, errata 2025-02 extends it until charging): Before: TxStartPoint
    contains PowerPathClosed (set where it does not; NOT-APPLICABLE where it cannot be); state
    Authorized (local, no cable). Steps: EVConnectedPreSession, EnergyTransferStarted: the
    transaction starts once both hold (E01.FR.05), its Started event names the EVSE and
    connector (E01.FR.16) and carries the idToken (E01.FR.10). Beyond the OCA: the transaction is
    ended again."""
    await _start_with_both(csms, sut, sut_profile, "PowerPathClosed")


@oca(
    "TC_E_02_CS",
    "Start transaction options - EnergyTransfer",
    profile="core",
    versions=V2,
    condition="C-09.5 AND (C-51 OR NOT (C-09.1 OR C-09.2 OR C-09.3 OR C-09.4 OR C-09.6))",
    kills=("tx-no-evse", "tx-reports-wrong-token", "tx-never-charging"),
)
async def test_start_energy_transfer(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_02 (E01 S5): Before: TxStartPoint contains EnergyTransfer (set where it does not;
    NOT-APPLICABLE where it cannot be); state Authorized (local, no cable). Plug in: the
    connector Occupied (G01.FR.03); TransactionEvent Started with triggerReason
    ChargingStateChanged or Authorized (E01.FR.06), the idToken (E01.FR.10), evse.id and
    connectorId (E01.FR.16), chargingState Charging (E01.FR.18). Beyond the OCA: the transaction
    is ended again."""
    session = await _start_with_both(csms, sut, sut_profile, "EnergyTransfer")
    started = session.events[0]
    require(
        started.get("triggerReason") in ("ChargingStateChanged", "Authorized"),
        req="E01.FR.06: the energy transfer starts the transaction",
        expected="triggerReason ChargingStateChanged or Authorized",
        actual=repr(started.get("triggerReason")),
    )


async def _start_with_both(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile, point: str
) -> Session:
    """Token first, then the cable, with TxStartPoint ``point`` (a combined one): the Started
    event checked (Started, EVSE known, idToken, Charging); the transaction ended again."""
    await tx_point_contains(csms, "TxStartPoint", point)
    token = sut_profile.sut.tokens.valid
    session = Session(await tx_points(csms, sut_profile))
    await authorized_local(csms, sut, session, token)
    await ev_connected_pre_session(csms, sut, session)
    await energy_transfer_started(csms, session)
    session.check_evse_known()
    started = session.events[0]
    require_fields(started.payload, eventType="Started", req="E01.FR.05: the transaction starts")
    require_fields(
        started.get("idToken") or {},
        idToken=token,
        req="E01.FR.10: the Started event carries the presented idToken",
    )
    await stop_charging(csms, sut, sut_profile, session, req="E06: the transaction ends")
    return session


@oca(
    "TC_E_04_CS",
    "Local start transaction - Authorization first - Success",
    profile="core",
    versions=V2,
    condition="C-30 OR C-31 OR C-32 OR C-33 OR C-35",
    kills=("tx-reports-wrong-token", "tx-never-charging"),
)
async def test_local_start_token_first(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_04 (E03), per the station's TxStartPoint/TxStopPoint (read first): state Authorized
    (local: Authorize, and where the authorization starts the transaction, Started with the
    idToken, E01.FR.10), state EnergyTransferStarted (the cable plugged in: Occupied, then
    chargingState Charging, E01.FR.18). Before: AuthCtrlr.Enabled true and
    DisableRemoteAuthorization false where implemented. Deviation: the optional state
    ParkingBayOccupied is left out (no bay sensor). Beyond the OCA: the transaction is ended
    again."""
    await auth_preparation(csms)
    session = Session(await tx_points(csms, sut_profile))
    await authorized_local(csms, sut, session, sut_profile.sut.tokens.valid)
    await ev_connected_pre_session(csms, sut, session)
    await energy_transfer_started(csms, session)
    await stop_charging(csms, sut, sut_profile, session, req="E06: the transaction ends")


@oca(
    "TC_E_05_CS",
    "Local start transaction - Authorization first - Cable plugin timeout",
    profile="core",
    versions=V2,
    condition="C-30 - C-35 OR ISO 15118 support",
    kills=("ev-timeout-ignored",),
)
async def test_local_start_cable_timeout(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_05 (E03): Before: TxCtrlr.EVConnectionTimeOut short, AuthCtrlr.Enabled true and
    DisableRemoteAuthorization false where implemented, AuthCacheCtrlr.Enabled and
    AuthCtrlr.LocalPreAuthorize false where they are not; state Authorized (local, no cable).
    Step 1, only where the authorization started a transaction (TxStartPoint Authorized or
    ParkingBayOccupancy): after the timeout TransactionEvent with triggerReason
    EVConnectTimeout (E03.FR.05), Ended with stoppedReason Timeout where TxStopPoint contains
    Authorized, else Updated. Deviation: where TxStopPoint lacks Authorized an Ended (Timeout)
    passes too, as Part 2 E03.FR.05 has the station end the transaction then. Steps 3-4: state Authorized (local) again and
    EnergyTransferStarted: the EVSE is ready for another session. Beyond the OCA: the
    transaction is ended again."""
    timeout_s = 2
    token = sut_profile.sut.tokens.valid
    await auth_preparation(csms)
    for component, variable in (("AuthCacheCtrlr", "Enabled"), ("AuthCtrlr", "LocalPreAuthorize")):
        item = await get_variable(csms, component, variable, req=f"C: {component}.{variable}")
        if item.get("attributeStatus") == "Accepted" and item.get("attributeValue") != "false":
            done = await set_variable(
                csms, component, variable, "false", req=f"C: {component}.{variable} set"
            )
            applicable_unless(
                done.get("attributeStatus") != "Accepted",
                f"{component}.{variable} cannot be set to false ({done.get('attributeStatus')})",
            )
    item = await set_variable(
        csms, "TxCtrlr", "EVConnectionTimeOut", str(timeout_s), req="E03: EVConnectionTimeOut set"
    )
    applicable_unless(
        item.get("attributeStatus") != "Accepted",
        f"TxCtrlr.EVConnectionTimeOut cannot be set ({item.get('attributeStatus')})",
    )
    session = Session(await tx_points(csms, sut_profile))
    await authorized_local(csms, sut, session, token)
    if session.tx_id is not None:
        event = await csms.expect(
            "TransactionEvent",
            trigger_reason="EVConnectTimeout",
            within_s=timeout_s + csms.response_s,
            req="E03.FR.05: the transaction is deauthorized at EVConnectionTimeOut",
        )
        session.add(event, "E03.FR.05")
        if "Authorized" in session.points.stop or event.get("eventType") == "Ended":
            require_fields(
                event.payload,
                eventType="Ended",
                req="E03.FR.05: Ended at the timeout (TxStopPoint Authorized)",
            )
            require_fields(
                event["transactionInfo"],
                stoppedReason="Timeout",
                req="E03.FR.05: stoppedReason Timeout",
            )
            session = Session(session.points)
    else:
        await asyncio.sleep(timeout_s + 0.5)
    await authorized_local(csms, sut, session, token)
    await ev_connected_pre_session(csms, sut, session)
    await energy_transfer_started(csms, session)
    await stop_charging(csms, sut, sut_profile, session, req="E06: the transaction ends")


@oca(
    "TC_E_06_CS",
    "Local Stop Transaction - Accepted",
    profile="core",
    versions=V2,
    condition="C-30 OR C-31 OR C-32 OR C-35",
    kills=("local-stop-ignored",),
)
async def test_local_stop(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_E_06 (E07), per the station's TxStopPoint (read first): Before: AuthCtrlr.Enabled
    true and DisableRemoteAuthorization false where implemented; state EnergyTransferStarted;
    state StopAuthorized (local: the same token, TransactionEvent StopAuthorized; Ended where
    TxStopPoint holds the authorization, E06.FR.03), state EVConnectedPostSession and state
    EVDisconnected (unplug: Available, and Ended where only the cable stops it, E06.FR.02).
    Deviation: the OCA's last state ParkingBayUnoccupied is left out (no bay sensor)."""
    await auth_preparation(csms)
    session = await charging(csms, sut, sut_profile)
    event = await stop_charging(
        csms, sut, sut_profile, session, req="E06.FR.03: the local stop ends the transaction"
    )
    del event
    session.check_seq_nos()


@oca(
    "TC_E_07_CS",
    "Stop transaction options - PowerPathClosed - Local stop",
    profile="core",
    versions=V2,
    condition="C-10.3 AND (C-52 OR NOT C-10.2) AND (C-30 OR C-31 OR C-32 OR C-35)",
    kills=("local-stop-ignored", "tx-stopped-reason-other"),
)
async def test_stop_power_path_local(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_07 (E06): Before: TxStopPoint contains PowerPathClosed (set where it does not;
    NOT-APPLICABLE where it cannot be); state EnergyTransferStarted; the same token presented:
    state StopAuthorized, the power path opens and the transaction ends (E06.FR.03/07): Ended
    with triggerReason StopAuthorized and stoppedReason Local. Beyond the OCA: unplugging frees
    the connector."""
    await _stop_local_at(csms, sut, sut_profile, "PowerPathClosed")


@oca(
    "TC_E_08_CS",
    "Stop transaction options - EnergyTransfer stopped - StopAuthorized",
    profile="core",
    versions=V2,
    condition="C-10.4 AND (C-52 OR NOT (C-10.2 OR C-10.3))",
    kills=("local-stop-ignored", "tx-stopped-reason-other"),
)
async def test_stop_energy_transfer_local(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_08 (E06): Before: TxStopPoint contains EnergyTransfer (set where it does not;
    NOT-APPLICABLE where it cannot be); state EnergyTransferStarted; state StopAuthorized (the
    same token presented): the energy transfer stops and the transaction ends (E06.FR.03/08),
    Ended with triggerReason StopAuthorized and stoppedReason Local. Beyond the OCA: unplugging
    frees the connector."""
    await _stop_local_at(csms, sut, sut_profile, "EnergyTransfer")


async def _stop_local_at(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile, point: str
) -> None:
    """TxStopPoint ``point``; charging; a local stop ends the transaction (Ended, StopAuthorized,
    Local); unplug."""
    await tx_point_contains(csms, "TxStopPoint", point)
    session = await charging(csms, sut, sut_profile)
    await sut.present_token(sut_profile.sut.tokens.valid, evse_id=session.evse_id)
    event = await ended(csms, session, req="E06.FR.03: the local stop ends the transaction")
    require(
        event.get("triggerReason") in ("StopAuthorized", "ChargingStateChanged"),
        req="E06.FR.03: the local stop has triggerReason StopAuthorized",
        expected="StopAuthorized (or ChargingStateChanged as the energy transfer stops)",
        actual=repr(event.get("triggerReason")),
    )
    require_fields(
        event["transactionInfo"],
        stoppedReason="Local",
        req="E06: a local stop has stoppedReason Local",
    )
    await unplugged(csms, sut, session)


@oca(
    "TC_E_09_CS",
    "Start transaction options - EVConnected",
    profile="core",
    versions=V2,
    condition="C-09.1 AND (C-51 OR NOT C-09.6)",
    kills=("tx-plugin-wrong-trigger", "tx-no-evse"),
)
async def test_start_ev_connected(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_E_09 (E01 S1, errata 2025-02 extends it until charging): Before: TxStartPoint
    contains EVConnected (set where it does not; NOT-APPLICABLE where it cannot be). Plug in:
    the connector Occupied (StatusNotification or NotifyEvent, G01.FR.03), then TransactionEvent
    Started with triggerReason CablePluggedIn or ChargingStateChanged (E01.FR.02/15), evse.id and
    evse.connectorId (E01.FR.16), chargingState EVConnected; state Authorized (local), state
    EnergyTransferStarted. Deviation: the OCA starts from state ParkingBayOccupied; a station
    without a bay sensor has none. Beyond the OCA: the transaction is ended again."""
    await tx_point_contains(csms, "TxStartPoint", "EVConnected")
    session = Session(await tx_points(csms, sut_profile))
    await ev_connected_pre_session(csms, sut, session)
    session.check_evse_known()
    started = session.after_plug_in
    assert started is not None  # TxStartPoint contains EVConnected
    require_fields(
        started["transactionInfo"],
        chargingState="EVConnected",
        req="E01.FR.02: the plug-in event has chargingState EVConnected",
    )
    await authorized_local(csms, sut, session, sut_profile.sut.tokens.valid)
    await energy_transfer_started(csms, session)
    await stop_charging(csms, sut, sut_profile, session, req="E06: the transaction ends")


@oca(
    "TC_E_10_CS",
    "Start transaction options - Authorized - Local",
    profile="core",
    versions=V2,
    condition="C-09.2 AND (C-30 - C-35 OR ISO 15118 support)",
    kills=("tx-reports-wrong-token",),
)
async def test_start_authorized_local(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_10 (E01 S2, errata 2025-02 extends it until charging): Before: TxStartPoint
    contains Authorized (set where it does not; NOT-APPLICABLE where it cannot be). Present the
    token with no cable: Authorize with the token's idToken and type (C01.FR.01; skipped where
    LocalPreAuthorize serves it from the cache), then TransactionEvent Started with triggerReason
    Authorized and the idToken (E01.FR.03/10); state EVConnectedPreSession (the plug-in reported
    in the running transaction), state EnergyTransferStarted. Before also: AuthCtrlr.Enabled
    true and DisableRemoteAuthorization false where implemented. Beyond the OCA: the
    transaction is ended again."""
    await tx_point_contains(csms, "TxStartPoint", "Authorized")
    await auth_preparation(csms)
    session = Session(await tx_points(csms, sut_profile))
    await authorized_local(csms, sut, session, sut_profile.sut.tokens.valid)
    first = session.events[0]
    require_fields(
        first.payload,
        eventType="Started",
        triggerReason="Authorized",
        req="E01.FR.03: the authorization starts the transaction (Started, Authorized)",
    )
    require_fields(
        first.get("idToken") or {},
        idToken=sut_profile.sut.tokens.valid,
        type=sut_profile.sut.tokens.type,
        req="E01.FR.10: the Started event carries the presented idToken",
    )
    await ev_connected_pre_session(csms, sut, session)
    await energy_transfer_started(csms, session)
    await stop_charging(csms, sut, sut_profile, session, req="E06: the transaction ends")


@oca(
    "TC_E_11_CS",
    "Start transaction options - DataSigned",
    profile="core",
    versions=V2,
    condition="C-09.3 AND (C-51 OR NOT (C-09.1 OR C-09.2 OR C-09.6))",
    kills=("readings-unsigned", "tx-started-no-meter-values"),
)
async def test_start_data_signed(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_E_11 (E01 S6): Before: TxStartPoint contains DataSigned and
    SampledDataCtrlr.SignReadings true (set where they differ; NOT-APPLICABLE where they cannot
    be); state Authorized (local, no cable). Plug in: the connector Occupied (G01.FR.03);
    TransactionEvent Started with triggerReason SignedDataReceived (E01.FR.04), the idToken
    (E01.FR.10), evse.id and connectorId (E01.FR.16), a Transaction.Begin reading whose sampled
    values carry signedMeterValue with signedMeterData, signingMethod, encodingMethod and
    publicKey (J02.FR.21); then chargingState Charging (E01.FR.18). Deviation: the OCA wants
    Charging in a separate Updated ChargingStateChanged; a Started event already Charging
    counts (as in the reusable state EnergyTransferStarted). Beyond the OCA: the transaction is
    ended again."""
    await tx_point_contains(csms, "TxStartPoint", "DataSigned")
    item = await set_variable(
        csms, "SampledDataCtrlr", "SignReadings", "true", req="J02: SignReadings set"
    )
    applicable_unless(
        item.get("attributeStatus") != "Accepted",
        f"SampledDataCtrlr.SignReadings cannot be set to true ({item.get('attributeStatus')})",
    )
    token = sut_profile.sut.tokens.valid
    session = Session(await tx_points(csms, sut_profile))
    await authorized_local(csms, sut, session, token)
    await ev_connected_pre_session(csms, sut, session)
    started = await csms.expect(
        "TransactionEvent",
        event_type="Started",
        req="E01.FR.04: the signed meter data starts the transaction",
    )
    session.after_plug_in = session.add(started, "E01.FR.04")
    require(
        started.get("triggerReason") in ("SignedDataReceived", "RemoteStart"),
        req="E01.FR.04: triggerReason SignedDataReceived",
        expected="SignedDataReceived",
        actual=repr(started.get("triggerReason")),
    )
    require_fields(
        started.get("idToken") or {},
        idToken=token,
        req="E01.FR.10: the Started event carries the presented idToken",
    )
    session.check_evse_known()
    meter = started.get("meterValue") or []
    require(
        bool(meter),
        req="E02.FR.09: the Started event carries meterValue",
        expected="a Transaction.Begin reading",
        actual=repr(started.payload)[:300],
    )
    values = meter[0].get("sampledValue") or [{}]
    require_fields(
        values[0], context="Transaction.Begin", req="E02.FR.09: context Transaction.Begin"
    )
    fields = ("signedMeterData", "signingMethod", "encodingMethod", "publicKey")
    unsigned = [
        v for v in values if not all((v.get("signedMeterValue") or {}).get(f) for f in fields)
    ]
    require(
        not unsigned,
        req="J02.FR.21: signed readings carry signedMeterValue",
        expected="signedMeterValue with " + ", ".join(fields),
        actual=repr(unsigned[:1]),
    )
    await energy_transfer_started(csms, session)
    await stop_charging(csms, sut, sut_profile, session, req="E06: the transaction ends")


@oca(
    "TC_E_13_CS",
    "Start transaction options - Authorized - Remote",
    profile="core",
    versions=V2,
    condition="C-09.2",
    kills=("remote-start-id-missing", "tx-reports-wrong-token"),
)
async def test_start_authorized_remote(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_13 (E01 S2, F01; errata 2025-02 extends it until charging): Before: TxStartPoint
    contains Authorized (set where it does not; NOT-APPLICABLE where it cannot be),
    AuthCtrlr.Enabled true and DisableRemoteAuthorization false where implemented.
    RequestStartTransaction for the valid token and EVSE 1: Accepted; an Authorize where the
    station sends one; TransactionEvent Started with triggerReason RemoteStart, the idToken
    (E01.FR.10) and the remoteStartId (F01.FR.13/F02.FR.01); then state EVConnectedPreSession
    (the plug-in reported in the running transaction) and EnergyTransferStarted. Beyond the
    OCA: the transaction is ended again."""
    await tx_point_contains(csms, "TxStartPoint", "Authorized")
    await auth_preparation(csms)
    token = {"idToken": sut_profile.sut.tokens.valid, "type": sut_profile.sut.tokens.type}
    session = Session(await tx_points(csms, sut_profile))
    await authorized_remote(csms, session, token, remote_start_id=1313)
    await ev_connected_pre_session(csms, sut, session)
    await energy_transfer_started(csms, session)
    await stop_charging(csms, sut, sut_profile, session, req="E06: the transaction ends")


@oca(
    "TC_E_14_CS",
    "Stop transaction options - EVDisconnected - Charging Station side",
    profile="core",
    versions=V2,
    condition="HFS-1 AND C-10.1 AND (C-52 OR NOT (C-10.2 OR C-10.3 OR C-10.4))",
    kills=("unplug-keeps-transaction",),
)
async def test_stop_ev_disconnected(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_14 (E06, E10): Before: TxStopPoint is EVConnected (the prerequisite rules out the
    other points; set where it is not, NOT-APPLICABLE where it cannot be); state
    EVConnectedPostSession (charging, then the same token: StopAuthorized, the transaction goes
    on). Unplug: the connector Available (G01.FR.04); TransactionEvent Ended (E06.FR.02) with
    triggerReason EVCommunicationLost, chargingState Idle and stoppedReason Local, EVDisconnected
    or none."""
    await tx_point_only(csms, "TxStopPoint", "EVConnected")
    session = await charging(csms, sut, sut_profile)
    await sut.present_token(sut_profile.sut.tokens.valid, evse_id=session.evse_id)
    stop = await csms.expect(
        "TransactionEvent",
        trigger_reason="StopAuthorized",
        req="E06: state StopAuthorized (the authorization ends, the transaction goes on)",
    )
    session.add(stop, "E06")
    await unplugged(csms, sut, session)
    event = await ended(csms, session, req="E06.FR.02: unplugging ends the transaction")
    require_fields(
        event.payload,
        triggerReason="EVCommunicationLost",
        req="E06.FR.02: unplugging ends the transaction with triggerReason EVCommunicationLost",
    )
    require_fields(
        event["transactionInfo"],
        chargingState="Idle",
        req="E06.FR.02: unplugging ends the transaction in chargingState Idle",
    )
    reason = event["transactionInfo"].get("stoppedReason", "Local")
    require(
        reason in ("Local", "EVDisconnected"),
        req="E06.FR.02: unplugging ends the transaction (stoppedReason Local or EVDisconnected)",
        expected="Local, EVDisconnected or none",
        actual=repr(reason),
    )


@oca(
    "TC_E_15_CS",
    "Stop transaction options - StopAuthorized - Local",
    profile="core",
    versions=V2,
    condition="C-10.2 AND (C-30 OR C-31 OR C-32 OR C-35)",
    kills=("local-stop-ignored", "tx-stopped-reason-other"),
)
async def test_stop_authorized_local(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_15 (E06): Before: TxStopPoint contains Authorized (set where it does not;
    NOT-APPLICABLE where it cannot be); state EnergyTransferStarted. Present the same token:
    TransactionEvent Ended (E06.FR.03) with triggerReason StopAuthorized and stoppedReason
    Local. Deviation: the OCA waits a configured transaction duration first; nothing it checks
    depends on it. Beyond the OCA: unplugging frees the connector."""
    await tx_point_contains(csms, "TxStopPoint", "Authorized")
    session = await charging(csms, sut, sut_profile)
    await sut.present_token(sut_profile.sut.tokens.valid, evse_id=session.evse_id)
    event = await ended(csms, session, req="E06.FR.03: the local stop ends the transaction")
    require_fields(
        event.payload,
        triggerReason="StopAuthorized",
        req="E06.FR.03: the local stop has triggerReason StopAuthorized",
    )
    require_fields(
        event["transactionInfo"],
        stoppedReason="Local",
        req="E06: a local stop has stoppedReason Local",
    )
    await unplugged(csms, sut, session)


@oca(
    "TC_E_16_CS",
    "Stop transaction options - Deauthorized - Invalid idToken",
    profile="core",
    versions=V2,
    condition="(C-10.2 OR C-10.3) AND (C-30 - C-32 OR ISO 15118 support) AND C-01",
    kills=("invalid-id-keeps-transaction",),
)
async def test_deauthorized_invalid_token(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_16 (E05, E06.FR.04, E12): Before: TxStopPoint contains Authorized (set where it
    does not; NOT-APPLICABLE where it cannot be), TxCtrlr.StopTxOnInvalidId true,
    AuthCtrlr.OfflineTxForUnknownIdEnabled true where implemented. State
    StartOfflineTransaction: the harness closes the connection and refuses reconnections, the
    token is presented and the EV plugged in, then the station may reconnect. Step 1: the
    queued TransactionEvents come with offline true (E12); the harness answers the token
    Invalid. Step 3: TransactionEvent Ended with triggerReason Deauthorized and stoppedReason
    DeAuthorized (E06.FR.04). Deviation: the OCA's memory states (token cached or in the local
    list) are not set up; a station that starts no transaction offline for the token is
    NOT-APPLICABLE. Beyond the OCA: unplugging frees the connector."""
    offline_s = 2.0
    await tx_point_contains(csms, "TxStopPoint", "Authorized")
    item = await set_variable(csms, "TxCtrlr", "StopTxOnInvalidId", "true", req="E05: set")
    applicable_unless(
        item.get("attributeStatus") != "Accepted",
        f"TxCtrlr.StopTxOnInvalidId cannot be set to true ({item.get('attributeStatus')})",
    )
    await set_variable(
        csms, "AuthCtrlr", "OfflineTxForUnknownIdEnabled", "true", req="C15: set (if implemented)"
    )
    session = Session(await tx_points(csms, sut_profile))
    csms.refuse_for(offline_s)
    link = csms.link
    if link is not None:
        await link.close()
    await sut.present_token(sut_profile.sut.tokens.valid, evse_id=session.evse_id)
    await sut.plug_in(evse_id=session.evse_id, connector_id=session.connector_id)
    session.plugged = True
    csms.set_reply("TransactionEvent", id_token_info={"status": "Invalid"})
    await csms.wait_connected(within_s=offline_s + csms.action_s, req="E12: the station reconnects")
    try:
        queued = await csms.expect(
            "TransactionEvent",
            offline=True,
            within_s=csms.action_s,
            req="E12: a transaction started offline (looking)",
        )
    except SutFailure:
        queued = None
    applicable_unless(queued is None, "the station started no transaction while offline")
    assert queued is not None
    session.add(queued, "E12")
    event = await ended(
        csms, session, req="E06.FR.04: a token the CSMS rejects ends the transaction"
    )
    require_fields(
        event.payload,
        triggerReason="Deauthorized",
        req="E06.FR.04: a token the CSMS rejects ends the transaction (Deauthorized)",
    )
    require_fields(
        event["transactionInfo"],
        stoppedReason="DeAuthorized",
        req="E06.FR.04: a token the CSMS rejects ends the transaction (DeAuthorized)",
    )
    await unplugged(csms, sut, session)


@oca(
    "TC_E_21_CS",
    "Stop transaction options - StopAuthorized - Remote",
    profile="core",
    versions=V2,
    condition="C-10.2",
    kills=("remote-stop-wrong-trigger", "remote-stop-ignored"),
)
async def test_stop_authorized_remote(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_21 (E06, F03): Before: TxStopPoint contains Authorized (set where it does not;
    NOT-APPLICABLE where it cannot be); state EnergyTransferStarted. RequestStopTransaction for
    the transaction: Accepted (F03.FR.07), then TransactionEvent Ended (F03.FR.03) with
    triggerReason RemoteStop and stoppedReason Remote. Beyond the OCA: unplugging frees the
    connector."""
    await _stop_remote_at(csms, sut, sut_profile, "Authorized")


@oca(
    "TC_E_35_CS",
    "Stop transaction options - PowerPathClosed - Remote stop",
    profile="core",
    versions=V2,
    condition="C-10.3 AND (C-52 OR NOT C-10.2)",
    kills=("remote-stop-wrong-trigger", "remote-stop-ignored"),
)
async def test_stop_power_path_remote(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_35 (E06, F03): as TC_E_21_CS with TxStopPoint containing PowerPathClosed (set
    where it does not; NOT-APPLICABLE where it cannot be): the remote stop opens the power
    path and ends the transaction (Ended, RemoteStop, stoppedReason Remote)."""
    await _stop_remote_at(csms, sut, sut_profile, "PowerPathClosed")


async def _stop_remote_at(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile, point: str
) -> None:
    """TxStopPoint ``point``; charging; RequestStopTransaction Accepted (F03.FR.07); Ended with
    RemoteStop and Remote (F03.FR.03); unplug."""
    await tx_point_contains(csms, "TxStopPoint", point)
    session = await charging(csms, sut, sut_profile)
    result = await csms.call(
        "RequestStopTransaction", transaction_id=session.tx_id, req="F03: RequestStopTransaction"
    )
    result.must(status="Accepted", req="F03.FR.07: RequestStopTransaction Accepted")
    event = await ended(csms, session, req="F03.FR.03: the remote stop ends the transaction")
    require_fields(
        event.payload,
        triggerReason="RemoteStop",
        req="F03.FR.03: triggerReason RemoteStop",
    )
    require_fields(
        event["transactionInfo"],
        stoppedReason="Remote",
        req="F03.FR.03: stoppedReason Remote",
    )
    await unplugged(csms, sut, session)


@oca(
    "TC_E_39_CS",
    "Stop transaction options - Deauthorized - timeout",
    profile="core",
    versions=V2,
    kills=("ev-timeout-ignored",),
)
async def test_deauthorized_timeout(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_39 (E03, E06; errata 2024-11): Before: TxStopPoint contains Authorized (where it
    cannot be set and does not, NOT-APPLICABLE), TxCtrlr.EVConnectionTimeOut short; state
    Authorized (local, no cable). Step 1, only where the authorization started a transaction
    (TxStartPoint Authorized or ParkingBayOccupancy): after the timeout a TransactionEvent with
    triggerReason EVConnectTimeout (E03.FR.05: a SHOULD in Part 2, a tool validation of the OCA),
    stoppedReason Timeout, Updated where TxStartPoint holds ParkingBayOccupancy, else Ended. Then
    plug in: the connector Occupied; a TransactionEvent for it, if any, has triggerReason
    CablePluggedIn and chargingState not Charging (the authorization is gone). Beyond the OCA:
    unplugging frees the connector."""
    timeout_s = 2
    await tx_point_contains(csms, "TxStopPoint", "Authorized")
    item = await set_variable(
        csms, "TxCtrlr", "EVConnectionTimeOut", str(timeout_s), req="E03: EVConnectionTimeOut set"
    )
    applicable_unless(
        item.get("attributeStatus") != "Accepted",
        f"TxCtrlr.EVConnectionTimeOut cannot be set ({item.get('attributeStatus')})",
    )
    session = Session(await tx_points(csms, sut_profile))
    await authorized_local(csms, sut, session, sut_profile.sut.tokens.valid)
    if session.tx_id is not None:
        bay = "ParkingBayOccupancy" in session.points.start
        event = await csms.expect(
            "TransactionEvent",
            trigger_reason="EVConnectTimeout",
            within_s=timeout_s + csms.response_s,
            req="E03.FR.05: the transaction is deauthorized at EVConnectionTimeOut",
        )
        session.add(event, "E03.FR.05")
        require_fields(
            event.payload,
            eventType="Updated" if bay else "Ended",
            req="E03.FR.05: Ended at the timeout (Updated with ParkingBayOccupancy)",
        )
        require_fields(
            event["transactionInfo"],
            stoppedReason="Timeout",
            req="E03.FR.05: stoppedReason Timeout",
        )
    else:
        await asyncio.sleep(timeout_s + 0.5)
    await sut.plug_in(evse_id=session.evse_id, connector_id=session.connector_id)
    await connector_status(
        csms,
        evse_id=session.evse_id,
        connector_id=session.connector_id,
        status="Occupied",
        req="G01.FR.03: the connector is reported Occupied on plug-in",
    )
    ended_tx = session.tx_id if "ParkingBayOccupancy" not in session.points.start else None

    def new_event(tx_id: object) -> bool:
        """another transaction than the one that timed out"""
        return ended_tx is None or tx_id != ended_tx

    def not_metering(trigger: object) -> bool:
        """not a meter-value trigger"""
        return trigger not in ("MeterValuePeriodic", "MeterValueClock")

    try:
        after = await csms.expect(
            "TransactionEvent",
            within_s=1.0,
            trigger_reason=not_metering,
            transaction_info={"transactionId": new_event},
            req="E03: plug-in after the timeout (looking)",
        )
    except SutFailure:
        after = None
    if after is not None:
        require_fields(
            after.payload,
            triggerReason="CablePluggedIn",
            req="E03.FR.05: the plug-in after the timeout is only a CablePluggedIn event",
        )
        require(
            after["transactionInfo"].get("chargingState") != "Charging",
            req="E03.FR.05: no charging once the authorization timed out",
            expected="chargingState not Charging",
            actual=repr(after["transactionInfo"].get("chargingState")),
        )
    await sut.unplug(evse_id=session.evse_id, connector_id=session.connector_id)
    await connector_status(
        csms,
        evse_id=session.evse_id,
        connector_id=session.connector_id,
        status="Available",
        req="G01.FR.04: the connector is Available after unplug",
    )
    # a transaction the plug-in started (TxStartPoint EVConnected) has no stop point left once
    # the cable is gone; stopped while TxStopPoint still holds Authorized (F03.FR.03 ends it),
    # so the next case does not inherit it
    for tx_id in list(csms.state.transactions):
        with contextlib.suppress(SutFailure):
            await csms.call_payload(
                "RequestStopTransaction", {"transactionId": tx_id}, req="F03: clean-up"
            )


@oca(
    "TC_E_03_CSMS",
    "Local start transaction - Cable plugin first - Success",
    profile="core",
    versions=V2,
    kills=(
        "csms-tx-rejects-valid-token",
        "csms-authorize-rejects-valid",
        "csms-fails-transaction-end",
    ),
)
async def test_csms_local_start_cable_first(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_E_03 (E02): state EVConnectedPreSession (the connector Occupied, TransactionEvent
    Started CablePluggedIn / EVConnected, answered), state Authorized (Authorize for the valid
    token Accepted, C01.FR.02; Updated Authorized with the idToken whose idTokenInfo is
    Accepted), state EnergyTransferStarted (Updated ChargingStateChanged to Charging, answered).
    Beyond the OCA: the transaction is ended again (StopAuthorized, Local) and the connector
    reported Available."""
    tx = StationTx.of(station, sut_profile)
    await station_ev_connected(tx)
    auth = await station.call("Authorize", id_token=tx.token, req="C01: Authorize answered")
    auth.must(id_token_info={"status": "Accepted"}, req="C01: a valid token is Accepted")
    upd = await tx.event(
        "Updated",
        "Authorized",
        charging_state="EVConnected",
        id_token=tx.token,
        req="E02: TransactionEvent Updated answered",
    )
    upd.must(id_token_info={"status": "Accepted"}, req="E02: the transaction's token is Accepted")
    await tx.event("Updated", "ChargingStateChanged", req="E02: TransactionEvent Updated answered")
    await _csms_end(tx, "StopAuthorized", "Local", "EVConnected")


@oca(
    "TC_E_01_CSMS",
    "Start transaction options - PowerPathClosed",
    profile="core",
    versions=V2,
    kills=("csms-authorize-rejects-valid", "csms-tx-rejects-valid-token"),
)
async def test_csms_start_power_path_closed(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_E_01 (E01 S4): Authorize for the valid token, Accepted (C01.FR.02); the connector
    Occupied; TransactionEvent Started (ChargingStateChanged, the idToken, the EVSE,
    chargingState SuspendedEVSE) whose idTokenInfo is Accepted (E01, C01); Updated
    ChargingStateChanged to Charging, answered. Beyond the OCA: the transaction is ended
    again (EVDisconnected)."""
    await _csms_token_first_start(station, sut_profile, "SuspendedEVSE")


@oca(
    "TC_E_02_CSMS",
    "Start transaction options - EnergyTransfer",
    profile="core",
    versions=V2,
    kills=("csms-authorize-rejects-valid", "csms-tx-rejects-valid-token"),
)
async def test_csms_start_energy_transfer(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_E_02 (E01 S5): Authorize for the valid token, Accepted (C01.FR.02); the connector
    Occupied; TransactionEvent Started (ChargingStateChanged, the idToken, the EVSE,
    chargingState Charging) whose idTokenInfo is Accepted. Beyond the OCA: the transaction is
    ended again (EVDisconnected)."""
    await _csms_token_first_start(station, sut_profile, "Charging")


async def _csms_token_first_start(
    station: StationPeer, sut_profile: SutProfile, first_state: str
) -> None:
    tx = StationTx.of(station, sut_profile)
    auth = await station.call("Authorize", id_token=tx.token, req="C01: Authorize answered")
    auth.must(id_token_info={"status": "Accepted"}, req="C01: a valid token is Accepted")
    await tx.status("Occupied", req="G01: StatusNotification Occupied answered")
    started = await tx.event(
        "Started",
        "ChargingStateChanged",
        charging_state=first_state,
        id_token=tx.token,
        evse={"id": tx.evse_id, "connectorId": tx.connector_id},
        req="E01: TransactionEvent Started answered",
    )
    started.must(
        id_token_info={"status": "Accepted"}, req="E02: the transaction's token is Accepted"
    )
    if first_state != "Charging":
        await tx.event("Updated", "ChargingStateChanged", req="E01: TransactionEvent Updated")
    await station_ev_disconnected(tx, req="E06: TransactionEvent Ended answered")


@oca(
    "TC_E_09_CSMS",
    "Start transaction options - EVConnected",
    profile="core",
    versions=V2,
    kills=("csms-tx-started-error",),
)
async def test_csms_start_ev_connected(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_E_09 (E01 S1): the connector Occupied (StatusNotification answered), then
    TransactionEvent Started (CablePluggedIn, the EVSE and connector, chargingState
    EVConnected) answered with TransactionEventResponse. Beyond the OCA: the transaction is
    ended again (EVDisconnected)."""
    tx = StationTx.of(station, sut_profile)
    await station_ev_connected(tx, req="E01: TransactionEvent Started answered")
    await station_ev_disconnected(tx, req="E06: TransactionEvent Ended answered")


@oca(
    "TC_E_10_CSMS",
    "Start transaction options - Authorized - Local",
    profile="core",
    versions=V2,
    kills=("csms-authorize-rejects-valid", "csms-tx-rejects-valid-token"),
)
async def test_csms_start_authorized(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_E_10 (E01 S2): Authorize for the valid token, Accepted (C01.FR.02); TransactionEvent
    Started (Authorized, the idToken) whose idTokenInfo is Accepted. Beyond the OCA: the
    transaction is ended again (StopAuthorized, Local)."""
    tx = StationTx.of(station, sut_profile)
    auth = await station.call("Authorize", id_token=tx.token, req="C01: Authorize answered")
    auth.must(id_token_info={"status": "Accepted"}, req="C01: a valid token is Accepted")
    started = await tx.event(
        "Started",
        "Authorized",
        charging_state="Idle",
        id_token=tx.token,
        req="E01: TransactionEvent Started answered",
    )
    started.must(
        id_token_info={"status": "Accepted"}, req="E02: the transaction's token is Accepted"
    )
    await tx.event(
        "Ended",
        "StopAuthorized",
        charging_state="Idle",
        transaction_info={"stoppedReason": "Local"},
        req="E06: TransactionEvent Ended answered",
    )


@oca(
    "TC_E_15_CSMS",
    "Stop transaction options - StopAuthorized - Local",
    profile="core",
    versions=V2,
    kills=("csms-fails-transaction-end",),
)
async def test_csms_stop_authorized_local(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_E_15 (E06): state EnergyTransferStarted, then TransactionEvent Ended (StopAuthorized,
    stoppedReason Local) answered with TransactionEventResponse. Beyond the OCA: the connector
    is reported Available again."""
    tx = StationTx.of(station, sut_profile)
    await station_charging(tx)
    await tx.event(
        "Ended",
        "StopAuthorized",
        charging_state="EVConnected",
        transaction_info={"stoppedReason": "Local"},
        req="E06: TransactionEvent Ended answered",
    )
    await tx.status("Available", req="G01: StatusNotification Available answered")


@oca(
    "TC_E_21_CSMS",
    "Stop transaction options - StopAuthorized - Remote",
    profile="core",
    versions=V2,
    kills=("csms-remote-stop-wrong-tx",),
)
async def test_csms_stop_authorized_remote(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_21 (E06, F03): state EnergyTransferStarted; the CSMS, asked by its operator (SUT
    action remote_stop), sends RequestStopTransaction naming the transaction of the state
    (F03.FR.01), answered Accepted; TransactionEvent Ended (RemoteStop, stoppedReason Remote)
    answered. Beyond the OCA: the connector is reported Available again."""
    tx = StationTx.of(station, sut_profile)
    await station_charging(tx)
    station.hold("RequestStopTransaction")
    await sut.remote_stop(tx.tx_id)
    request = await station.expect(
        "RequestStopTransaction", req="F03: the CSMS sends RequestStopTransaction"
    )
    await request.reply(status="Accepted")
    require_fields(
        request.payload, transactionId=tx.tx_id, req="F03: the ongoing transaction is stopped"
    )
    await tx.event(
        "Ended",
        "RemoteStop",
        charging_state="EVConnected",
        transaction_info={"stoppedReason": "Remote"},
        req="E06: TransactionEvent Ended answered",
    )
    await tx.status("Available", req="G01: StatusNotification Available answered")


@oca(
    "TC_E_39_CSMS",
    "Stop transaction options - Deauthorized - timeout",
    profile="core",
    versions=V2,
    kills=("csms-fails-transaction-end",),
)
async def test_csms_deauthorized_timeout(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_E_39 (E03.FR.04/05, E06.FR.04): state Authorized (Authorize, TransactionEvent Started
    with the idToken, no cable), then TransactionEvent Ended (EVConnectTimeout, stoppedReason
    Timeout) answered with TransactionEventResponse. Deviation: sent right away, not after a
    configured timeout (the CSMS's answer does not depend on it)."""
    tx = StationTx.of(station, sut_profile)
    auth = await station.call("Authorize", id_token=tx.token, req="C01: Authorize answered")
    auth.must(id_token_info={"status": "Accepted"}, req="C01: a valid token is Accepted")
    await tx.event(
        "Started",
        "Authorized",
        charging_state="Idle",
        id_token=tx.token,
        req="E01: TransactionEvent Started answered",
    )
    await tx.event(
        "Ended",
        "EVConnectTimeout",
        charging_state="Idle",
        transaction_info={"stoppedReason": "Timeout"},
        req="E06: TransactionEvent Ended answered",
    )


# -- CSMS under test: the stop and start options as the station reports them ---------------------
@oca(
    "TC_E_04_CSMS",
    "Local start transaction - Authorization first - Success",
    profile="core",
    versions=V2,
    kills=("csms-authorize-rejects-valid", "csms-tx-rejects-valid-token"),
)
async def test_csms_local_start_token_first(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_E_04 (E03): state Authorized (Authorize Accepted, C01.FR.02; TransactionEvent Started
    with the idToken, Accepted), then state EnergyTransferStarted (the connector Occupied,
    Updated CablePluggedIn with chargingState Charging), each answered. Beyond the OCA: the
    transaction is ended again (EVDisconnected)."""
    tx = StationTx.of(station, sut_profile)
    auth = await station.call("Authorize", id_token=tx.token, req="C01: Authorize answered")
    auth.must(id_token_info={"status": "Accepted"}, req="C01: a valid token is Accepted")
    started = await tx.event(
        "Started",
        "Authorized",
        charging_state="Idle",
        id_token=tx.token,
        req="E01: TransactionEvent Started answered",
    )
    started.must(
        id_token_info={"status": "Accepted"}, req="E02: the transaction's token is Accepted"
    )
    await tx.status("Occupied", req="G01: StatusNotification Occupied answered")
    await tx.event(
        "Updated",
        "CablePluggedIn",
        evse={"id": tx.evse_id, "connectorId": tx.connector_id},
        req="E02: TransactionEvent Updated answered",
    )
    await station_ev_disconnected(tx, req="E06: TransactionEvent Ended answered")


@oca(
    "TC_E_07_CSMS",
    "Stop transaction options - PowerPathClosed - Local stop",
    profile="core",
    versions=V2,
    kills=("csms-fails-transaction-end",),
)
async def test_csms_stop_power_path_local(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_E_07 (E06): state EnergyTransferStarted, then TransactionEvent Ended (StopAuthorized,
    stoppedReason Local) answered. Beyond the OCA: the connector Available again."""
    tx = StationTx.of(station, sut_profile)
    await station_charging(tx)
    await _csms_end(tx, "StopAuthorized", "Local", "EVConnected")


@oca(
    "TC_E_08_CSMS",
    "Stop transaction options - EnergyTransfer stopped - StopAuthorized",
    profile="core",
    versions=V2,
    kills=("csms-fails-transaction-end", "csms-tx-updated-error"),
)
async def test_csms_stop_energy_transfer(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_E_08 (E06): state StopAuthorized (Updated StopAuthorized with the idToken, answered),
    then TransactionEvent Ended (ChargingStateChanged, chargingState EVConnected, stoppedReason
    Local) answered. Beyond the OCA: the connector Available again."""
    tx = StationTx.of(station, sut_profile)
    await station_charging(tx)
    await station_stop_authorized(tx, req="E02: TransactionEvent Updated answered")
    await _csms_end(tx, "ChargingStateChanged", "Local", "EVConnected")


@oca(
    "TC_E_11_CSMS",
    "Start transaction options - DataSigned",
    profile="core",
    versions=V2,
    kills=("csms-authorize-rejects-valid", "csms-tx-rejects-valid-token"),
)
async def test_csms_start_data_signed(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_E_11 (E01 S6): Authorize Accepted (C01.FR.02); the connector Occupied; Started
    (SignedDataReceived, the idToken, the EVSE, a Transaction.Begin reading 0.0 with a
    signedMeterValue) whose idTokenInfo is Accepted; Updated ChargingStateChanged to Charging,
    answered. Beyond the OCA: the transaction is ended again (EVDisconnected)."""
    tx = StationTx.of(station, sut_profile)
    auth = await station.call("Authorize", id_token=tx.token, req="C01: Authorize answered")
    auth.must(id_token_info={"status": "Accepted"}, req="C01: a valid token is Accepted")
    await tx.status("Occupied", req="G01: StatusNotification Occupied answered")
    started = await tx.event(
        "Started",
        "SignedDataReceived",
        charging_state="EVConnected",
        id_token=tx.token,
        evse={"id": tx.evse_id, "connectorId": tx.connector_id},
        meter=[signed(reading("Transaction.Begin", 0.0))],
        req="E01: TransactionEvent Started answered",
    )
    started.must(
        id_token_info={"status": "Accepted"}, req="E02: the transaction's token is Accepted"
    )
    await tx.event("Updated", "ChargingStateChanged", req="E02: TransactionEvent Updated answered")
    await station_ev_disconnected(tx, req="E06: TransactionEvent Ended answered")


@oca(
    "TC_E_12_CSMS",
    "Start transaction options - ParkingBayOccupied",
    profile="core",
    versions=V2,
    kills=("csms-tx-started-error",),
)
async def test_csms_start_parking_bay(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_E_12 (E01 S1, ParkingBayOccupancy): TransactionEvent Started (EVDetected) answered.
    Beyond the OCA: the transaction is ended again (EVDeparted, Local)."""
    tx = StationTx.of(station, sut_profile)
    await tx.event(
        "Started",
        "EVDetected",
        charging_state="Idle",
        evse={"id": tx.evse_id},
        req="E01: TransactionEvent Started answered",
    )
    await tx.event(
        "Ended",
        "EVDeparted",
        charging_state="Idle",
        transaction_info={"stoppedReason": "Local"},
        req="E06: TransactionEvent Ended answered",
    )


@oca(
    "TC_E_14_CSMS",
    "Stop transaction options - EVDisconnected - Charging Station side",
    profile="core",
    versions=V2,
    kills=("csms-fails-transaction-end",),
)
async def test_csms_stop_ev_disconnected(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_E_14 (E06, E10): state EVConnectedPostSession (charging, then StopAuthorized), then
    state EVDisconnected: Ended (EVCommunicationLost, EVDisconnected) and the connector
    Available, answered."""
    tx = StationTx.of(station, sut_profile)
    await station_charging(tx)
    await station_stop_authorized(tx, req="E02: TransactionEvent Updated answered")
    await station_ev_disconnected(tx, req="E06: TransactionEvent Ended answered")


@oca(
    "TC_E_16_CSMS",
    "Stop transaction options - Deauthorized - Invalid idToken",
    profile="core",
    versions=V2,
    kills=("csms-accepts-unknown-token", "csms-fails-transaction-end"),
)
async def test_csms_deauthorized_invalid(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_E_16 (E05): TransactionEvent Started (Authorized) with the invalid idToken: its
    idTokenInfo is Invalid or Unknown (E05.FR.01/C01); then Ended (Deauthorized, stoppedReason
    DeAuthorized) answered."""
    tx = StationTx.of(station, sut_profile)
    tx.token = {"idToken": sut_profile.sut.tokens.invalid, "type": sut_profile.sut.tokens.type}
    started = await tx.event(
        "Started",
        "Authorized",
        charging_state="Idle",
        id_token=tx.token,
        req="E01: TransactionEvent Started answered",
    )
    status = (started.get("idTokenInfo") or {}).get("status")
    require(
        status in ("Invalid", "Unknown"),
        req="C01: an unknown token is not Accepted (E05: in the TransactionEventResponse)",
        expected="idTokenInfo.status Invalid or Unknown",
        actual=repr(status),
        frames=started.frames,
    )
    await tx.event(
        "Ended",
        "Deauthorized",
        charging_state="Idle",
        transaction_info={"stoppedReason": "DeAuthorized"},
        req="E06: TransactionEvent Ended answered",
    )


@oca(
    "TC_E_17_CSMS",
    "Stop transaction options - Deauthorized - EV side disconnect",
    profile="core",
    versions=V2,
    kills=("csms-fails-transaction-end",),
)
async def test_csms_deauthorized_ev_side(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_E_17 (E06): state EnergyTransferSuspended (SuspendedEV), then Ended
    (EVCommunicationLost, chargingState Idle, stoppedReason EVDisconnected) answered. Beyond the
    OCA: the connector Available again."""
    tx = StationTx.of(station, sut_profile)
    await station_charging(tx)
    await station_suspended(tx, req="E02: TransactionEvent Updated answered")
    await station_ev_disconnected(tx, req="E06: TransactionEvent Ended answered")


@oca(
    "TC_E_19_CSMS",
    "Stop transaction options - ParkingBayUnoccupied",
    profile="core",
    versions=V2,
    kills=("csms-fails-transaction-end",),
)
async def test_csms_stop_parking_bay(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_E_19 (E06, TxStopPoint ParkingBayOccupancy): state EVDisconnected reached without
    ending the transaction (Updated EVCommunicationLost, the connector Available), then Ended
    (EVDeparted, stoppedReason Local) answered."""
    tx = StationTx.of(station, sut_profile)
    await station_charging(tx)
    await station_ev_disconnected(tx, req="E02: TransactionEvent Updated answered", ends=False)
    await tx.event(
        "Ended",
        "EVDeparted",
        charging_state="Idle",
        transaction_info={"stoppedReason": "Local"},
        req="E06: TransactionEvent Ended answered",
    )


@oca(
    "TC_E_20_CSMS",
    "Stop transaction options - EVDisconnected - EV side (able to charge IEC 61851-1 EV)",
    profile="core",
    versions=V2,
    kills=("csms-fails-transaction-end",),
)
async def test_csms_stop_ev_side(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_E_20 (E06, E10): state EnergyTransferSuspended, then state EVDisconnected (Ended
    EVCommunicationLost / EVDisconnected, the connector Available), answered."""
    tx = StationTx.of(station, sut_profile)
    await station_charging(tx)
    await station_suspended(tx, req="E02: TransactionEvent Updated answered")
    await station_ev_disconnected(tx, req="E06: TransactionEvent Ended answered")


@oca(
    "TC_E_22_CSMS",
    "Stop transaction options - EnergyTransfer stopped - SuspendedEV",
    profile="core",
    versions=V2,
    kills=("csms-fails-transaction-end",),
)
async def test_csms_stop_suspended_ev(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_E_22 (E06, TxStopPoint EnergyTransfer): state EnergyTransferStarted, then Ended
    (ChargingStateChanged, chargingState SuspendedEV, stoppedReason StoppedByEV) answered.
    Beyond the OCA: the connector Available again."""
    tx = StationTx.of(station, sut_profile)
    await station_charging(tx)
    await _csms_end(tx, "ChargingStateChanged", "StoppedByEV", "SuspendedEV")


@oca(
    "TC_E_26_CSMS",
    "Disconnect cable on EV-side - Suspend transaction",
    profile="core",
    versions=V2,
    kills=("csms-tx-updated-error",),
)
async def test_csms_ev_side_suspend(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_E_26 (E10): state EnergyTransferSuspended; Updated (EVCommunicationLost, Idle); the
    connector Available; Updated (CablePluggedIn, EVConnected); Updated (ChargingStateChanged,
    Charging) — each answered. Beyond the OCA: the transaction is ended again."""
    tx = StationTx.of(station, sut_profile)
    await station_charging(tx)
    await station_suspended(tx, req="E02: TransactionEvent Updated answered")
    await station_ev_disconnected(tx, req="E02: TransactionEvent Updated answered", ends=False)
    await tx.status("Occupied", req="G01: StatusNotification Occupied answered")
    await tx.event(
        "Updated",
        "CablePluggedIn",
        charging_state="EVConnected",
        req="E02: TransactionEvent Updated answered",
    )
    await tx.event("Updated", "ChargingStateChanged", req="E02: TransactionEvent Updated answered")
    await station_ev_disconnected(tx, req="E06: TransactionEvent Ended answered")


@oca(
    "TC_E_38_CSMS",
    "Local start transaction - EV not ready",
    profile="core",
    versions=V2,
    kills=("csms-tx-updated-error",),
)
async def test_csms_ev_not_ready(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_E_38 (E02): state Authorized (Authorize Accepted, Started Authorized with the
    idToken), state EVConnectedPreSession (Occupied, Updated CablePluggedIn), then Updated
    (ChargingStateChanged, SuspendedEV) answered. Beyond the OCA: the transaction is ended
    again (EVDisconnected)."""
    tx = StationTx.of(station, sut_profile)
    auth = await station.call("Authorize", id_token=tx.token, req="C01: Authorize answered")
    auth.must(id_token_info={"status": "Accepted"}, req="C01: a valid token is Accepted")
    await tx.event(
        "Started",
        "Authorized",
        charging_state="Idle",
        id_token=tx.token,
        req="E01: TransactionEvent Started answered",
    )
    await tx.status("Occupied", req="G01: StatusNotification Occupied answered")
    await tx.event(
        "Updated",
        "CablePluggedIn",
        charging_state="EVConnected",
        evse={"id": tx.evse_id, "connectorId": tx.connector_id},
        req="E02: TransactionEvent Updated answered",
    )
    await station_suspended(tx, req="E02: TransactionEvent Updated answered")
    await station_ev_disconnected(tx, req="E06: TransactionEvent Ended answered")


async def _csms_end(tx: StationTx, trigger: str, reason: str, charging_state: str) -> None:
    """Ended with ``trigger`` and ``reason``, answered; then the connector Available."""
    await tx.event(
        "Ended",
        trigger,
        charging_state=charging_state,
        transaction_info={"stoppedReason": reason},
        req="E06: TransactionEvent Ended answered",
    )
    await tx.status("Available", req="G01: StatusNotification Available answered")
