"""OCA block F (Remote control), OCPP 2.0.1 and 2.1: remote start and stop. Steps and criteria
in our own words after OCPP 2.0.1 Part 6."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness import CsmsPeer, StationPeer, SutActions, oca
from harness.checks import require, require_fields
from harness.config import SutProfile
from testcases.v201.states import connector_status, tx_points
from testcases.v201.tx_states import (
    Session,
    authorized_local,
    authorized_remote,
    ended,
    energy_transfer_started,
    ev_connected_pre_session,
    unplugged,
)

V2 = ("2.0.1", "2.1")


@oca(
    "TC_F_01_CS",
    "Remote start transaction - Cable plugin first",
    profile="core",
    versions=V2,
    condition="NOT AQ-2 AND (C-36 - C-39)",
    kills=(
        "remote-start-ignored",
        "remote-start-id-missing",
        "remote-start-rejected",
        "remote-start-no-transaction-id",
        "tx-reports-wrong-token",
    ),
)
async def test_remote_start_cable_first(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_F_01 (F01), per the station's TxStartPoint (read first): state EVConnectedPreSession
    (plug in: Occupied; a transaction starts where TxStartPoint holds EVConnected), state
    Authorized (remote: RequestStartTransaction Accepted, naming the running transaction
    (F01.FR.13); triggerReason RemoteStart (F01.FR.19) with the remoteStartId and idToken, in
    the same transaction or Started now), state EnergyTransferStarted (Charging). Beyond the
    OCA: a remote stop ends it and unplugging frees the connector."""
    token = {"idToken": sut_profile.sut.tokens.valid, "type": sut_profile.sut.tokens.type}
    session = Session(await tx_points(csms, sut_profile))
    await ev_connected_pre_session(csms, sut, session)
    await authorized_remote(csms, session, token, remote_start_id=4711)
    session.check_evse_known()
    await energy_transfer_started(csms, session)
    await _stop_and_unplug(csms, sut, session)


@oca(
    "TC_F_08_CS",
    "Remote stop transaction - Success",
    profile="core",
    versions=V2,
    kills=(
        "remote-stop-ignored",
        "tx-stopped-reason-other",
        "remote-stop-rejected",
        "remote-stop-wrong-trigger",
    ),
)
async def test_remote_stop(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_F_08 (F03): from state EnergyTransferStarted (cable first, local authorization, per
    the station's TxStartPoint), state StopAuthorized (remote): RequestStopTransaction is
    Accepted (F03.FR.07) and the transaction reports triggerReason RemoteStop: Ended with
    stoppedReason Remote where TxStopPoint ends it on deauthorization (F03.FR.03), else Updated
    (F03.FR.02). Beyond the OCA: unplugging frees the connector (and ends the transaction
    where only the cable stops it); seqNo increases over the transaction's events."""
    session = Session(await tx_points(csms, sut_profile))
    await ev_connected_pre_session(csms, sut, session)
    await authorized_local(csms, sut, session, sut_profile.sut.tokens.valid)
    await energy_transfer_started(csms, session)
    await _stop_and_unplug(csms, sut, session)


async def _stop_and_unplug(csms: CsmsPeer, sut: SutActions, session: Session) -> None:
    """State StopAuthorized (remote), then EVDisconnected: RequestStopTransaction is Accepted
    (F03.FR.07); where TxStopPoint ends the transaction on deauthorization it ends at once
    (Ended, triggerReason RemoteStop, stoppedReason Remote: F03.FR.03), otherwise the stop is
    reported (Updated, RemoteStop: F03.FR.02) and unplugging ends it (E06.FR.02)."""
    result = await csms.call("RequestStopTransaction", transaction_id=session.tx_id)
    result.must(status="Accepted", req="F03.FR.07: RequestStopTransaction Accepted")
    if session.points.stops_at_deauthorization:
        event = await ended(csms, session, req="F03.FR.03: the remote stop ends the transaction")
        require_fields(
            event["transactionInfo"], stoppedReason="Remote", req="F03.FR.03: stoppedReason Remote"
        )
        require_fields(
            event.payload, triggerReason="RemoteStop", req="F03.FR.03: triggerReason RemoteStop"
        )
        await unplugged(csms, sut, session)
    else:
        event = await csms.expect(
            "TransactionEvent",
            event_type="Updated",
            trigger_reason="RemoteStop",
            req="F03.FR.02: the remote stop is reported (Updated, triggerReason RemoteStop)",
        )
        session.add(event, "F03")
        await unplugged(csms, sut, session)
        await ended(csms, session, req="E06.FR.02: unplugging ends the transaction")
    session.check_seq_nos()


@oca(
    "TC_F_01_CSMS",
    "Remote start transaction - Cable plugin first",
    profile="core",
    versions=V2,
    kills=(
        "csms-remote-start-wrong-token",
        "csms-remote-start-wrong-evse",
        "csms-commands-dropped",
    ),
)
async def test_csms_remote_start(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """F01: asked by its operator, the CSMS sends RequestStartTransaction for the token and EVSE
    the operator chose."""
    token = sut_profile.sut.tokens.valid
    station.hold("RequestStartTransaction")
    await sut.remote_start(id_token=token, evse_id=1)
    request = await station.expect(
        "RequestStartTransaction", req="F01: the CSMS sends RequestStartTransaction"
    )
    await request.reply(status="Accepted")
    require_fields(
        request.get("idToken", {}), idToken=token, req="F01: the operator's token is requested"
    )
    require_fields(request.payload, evseId=1, req="F01: for the operator's EVSE")


# -- F06: TriggerMessage (station under test) -------------------------------------------------------


async def _trigger(
    csms: CsmsPeer,
    message: str,
    *,
    evse_id: int | None = None,
    connector_id: int | None = None,
    status: str = "Accepted",
    rule: str = "F06.FR.05",
) -> None:
    """TriggerMessage for ``message`` (for an EVSE / connector when given); the answer must be
    ``status`` (``rule`` names the requirement)."""
    fields: dict[str, object] = {"requested_message": message}
    if evse_id is not None:
        evse: dict[str, int] = {"id": evse_id}
        if connector_id is not None:
            evse["connectorId"] = connector_id
        fields["evse"] = evse
    result = await csms.call("TriggerMessage", **fields)
    result.must(status=status, req=f"{rule}: TriggerMessage {message} answered {status}")


def _first_sample(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    """meterValue[0].sampledValue[0] of a MeterValues or TransactionEvent (empty if absent)."""
    values = payload.get("meterValue") or [{}]
    samples = values[0].get("sampledValue") or [{}]
    first: Mapping[str, Any] = samples[0]
    return first


@oca(
    "TC_F_20_CS",
    "Trigger message - Heartbeat",
    profile="core",
    versions=V2,
    kills=("trigger-accepted-not-sent",),
)
async def test_trigger_heartbeat(csms: CsmsPeer) -> None:
    """TC_F_20 (F06.FR.04/05/10): TriggerMessage Heartbeat is Accepted and a Heartbeat
    follows."""
    await _trigger(csms, "Heartbeat")
    await csms.expect("Heartbeat", req="F06.FR.10: the triggered Heartbeat is sent")


@oca(
    "TC_F_11_CS",
    "Trigger message - MeterValues - Specific EVSE",
    profile="core",
    versions=V2,
    condition="C-29.1",
    kills=("trigger-accepted-not-sent", "trigger-meter-context-wrong"),
)
async def test_trigger_meter_values_evse(csms: CsmsPeer) -> None:
    """TC_F_11 (F06.FR.02/04/05/06/10): TriggerMessage MeterValues for EVSE 1 is Accepted; a
    MeterValues for EVSE 1 follows whose first sampled value has context Trigger."""
    await _trigger(csms, "MeterValues", evse_id=1)
    values = await csms.expect(
        "MeterValues", evse_id=1, req="F06.FR.10: the triggered MeterValues (EVSE 1) is sent"
    )
    require_fields(
        _first_sample(values.payload),
        context="Trigger",
        req="F06.FR.06: meterValue[0].sampledValue[0] has context Trigger",
    )


@oca(
    "TC_F_12_CS",
    "Trigger message - MeterValues - All EVSE",
    profile="core",
    versions=V2,
    condition="C-29.1",
    kills=("trigger-accepted-not-sent", "trigger-meter-context-wrong"),
)
async def test_trigger_meter_values_all(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_F_12 (F06.FR.04/05/06/10/11): TriggerMessage MeterValues without evse is Accepted;
    a MeterValues follows for every EVSE, each with context Trigger in its first sampled
    value."""
    await _trigger(csms, "MeterValues")
    for evse in sut_profile.sut.evses:
        values = await csms.expect(
            "MeterValues",
            evse_id=evse.id,
            req=f"F06.FR.10/F06.FR.11: the triggered MeterValues of EVSE {evse.id} is sent",
        )
        require_fields(
            _first_sample(values.payload),
            context="Trigger",
            req="F06.FR.06: meterValue[0].sampledValue[0] has context Trigger",
        )


@oca(
    "TC_F_13_CS",
    "Trigger message - TransactionEvent - Specific EVSE",
    profile="core",
    versions=V2,
    condition="C-29.2",
    kills=(
        "trigger-accepted-not-sent",
        "trigger-meter-context-wrong",
        "trigger-tx-wrong-reason",
    ),
)
async def test_trigger_transaction_event_evse(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_F_13 (F06.FR.02/04/05/07/10): from state EnergyTransferStarted on EVSE 1,
    TriggerMessage TransactionEvent for EVSE 1 is Accepted; a TransactionEvent of that
    transaction follows with triggerReason Trigger, evse omitted or 1, chargingState Charging,
    and meter values whose first sampled value has context Trigger."""
    session = Session(await tx_points(csms, sut_profile))
    await ev_connected_pre_session(csms, sut, session)
    await authorized_local(csms, sut, session, sut_profile.sut.tokens.valid)
    await energy_transfer_started(csms, session)
    await _trigger(csms, "TransactionEvent", evse_id=session.evse_id)
    await _triggered_event(csms, session)


async def _triggered_event(csms: CsmsPeer, session: Session) -> None:
    """The triggered TransactionEvent of ``session`` (F06.FR.07/10)."""
    event = await csms.expect(
        "TransactionEvent",
        transaction_info={"transactionId": session.tx_id},
        req=f"F06.FR.10: the triggered TransactionEvent (EVSE {session.evse_id}) is sent",
    )
    session.add(event, "F06")
    require_fields(event.payload, triggerReason="Trigger", req="F06.FR.07: triggerReason Trigger")
    where = event.get("evse")
    require(
        where is None or where.get("id") == session.evse_id,
        req="F06.FR.07: evse omitted or the transaction's EVSE",
        expected=f"no evse or evse.id {session.evse_id}",
        actual=repr(where),
    )
    require_fields(
        event["transactionInfo"],
        chargingState="Charging",
        req="F06.FR.07: transactionInfo.chargingState Charging",
    )
    require(
        bool(event.get("meterValue")),
        req="F06.FR.07: meterValue present",
        expected="meterValue",
        actual="none",
    )
    require_fields(
        _first_sample(event.payload),
        context="Trigger",
        req="F06.FR.07: meterValue[0].sampledValue[0] has context Trigger",
    )


@oca(
    "TC_F_15_CS",
    "Trigger message - LogStatusNotification - Idle",
    profile="core",
    versions=V2,
    condition="C-29.3",
    kills=("trigger-accepted-not-sent", "trigger-status-not-idle"),
)
async def test_trigger_log_status_idle(csms: CsmsPeer) -> None:
    """TC_F_15 (F06.FR.04/05/10/15): with no log upload running, TriggerMessage
    LogStatusNotification is Accepted and a LogStatusNotification with status Idle follows."""
    await _trigger(csms, "LogStatusNotification")
    note = await csms.expect(
        "LogStatusNotification", req="F06.FR.10: the triggered LogStatusNotification is sent"
    )
    require_fields(
        note.payload,
        status="Idle",
        req="F06.FR.15: LogStatusNotification status Idle when nothing runs",
    )


async def _firmware_idle(csms: CsmsPeer, evse_id: int | None) -> None:
    await _trigger(csms, "FirmwareStatusNotification", evse_id=evse_id)
    note = await csms.expect(
        "FirmwareStatusNotification",
        req="F06.FR.10: the triggered FirmwareStatusNotification is sent",
    )
    require_fields(
        note.payload,
        status="Idle",
        req="F06.FR.16: FirmwareStatusNotification status Idle when nothing runs",
    )


@oca(
    "TC_F_17_CS",
    "Trigger message - FirmwareStatusNotification - Specific EVSE not relevant",
    profile="core",
    versions=V2,
    condition="C-29.4",
    kills=("trigger-accepted-not-sent", "trigger-status-not-idle"),
)
async def test_trigger_firmware_status_evse(csms: CsmsPeer) -> None:
    """TC_F_17 (F06.FR.03/04/05/10): TriggerMessage FirmwareStatusNotification for EVSE 1 (an
    EVSE the message has no use for) is Accepted and the message is still sent, status Idle."""
    await _firmware_idle(csms, 1)


@oca(
    "TC_F_18_CS",
    "Trigger message - FirmwareStatusNotification - Idle",
    profile="core",
    versions=V2,
    condition="C-29.4",
    kills=("trigger-accepted-not-sent", "trigger-status-not-idle"),
)
async def test_trigger_firmware_status_idle(csms: CsmsPeer) -> None:
    """TC_F_18 (F06.FR.04/05/10/16, L01.FR.25): with no firmware update running, TriggerMessage
    FirmwareStatusNotification is Accepted and a FirmwareStatusNotification status Idle
    follows."""
    await _firmware_idle(csms, None)


@oca(
    "TC_F_23_CS",
    "Trigger message - StatusNotification - Specific EVSE - Available",
    profile="core",
    versions=V2,
    condition="C-29.5",
    kills=("trigger-accepted-not-sent",),
)
async def test_trigger_status_available(csms: CsmsPeer) -> None:
    """TC_F_23 (F06.FR.02/04/05/10): TriggerMessage StatusNotification for connector 1 of
    EVSE 1 is Accepted and the connector is reported Available (a StatusNotification or a
    NotifyEvent of its AvailabilityState)."""
    await _trigger(csms, "StatusNotification", evse_id=1, connector_id=1)
    await connector_status(
        csms,
        evse_id=1,
        connector_id=1,
        status="Available",
        req="F06.FR.10: the triggered status is sent (Available)",
    )


@oca(
    "TC_F_24_CS",
    "Trigger message - StatusNotification - Specific EVSE - Occupied",
    profile="core",
    versions=V2,
    condition="C-29.5",
    kills=("trigger-accepted-not-sent", "trigger-connector-status-stale"),
)
async def test_trigger_status_occupied(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_F_24 (F06.FR.02/04/05/10): from state EVConnectedPreSession, TriggerMessage
    StatusNotification for that connector is Accepted and it is reported Occupied (F06.FR.09:
    current information)."""
    session = Session(await tx_points(csms, sut_profile))
    await ev_connected_pre_session(csms, sut, session)
    await _trigger(
        csms, "StatusNotification", evse_id=session.evse_id, connector_id=session.connector_id
    )
    await connector_status(
        csms,
        evse_id=session.evse_id,
        connector_id=session.connector_id,
        status="Occupied",
        req="F06.FR.09/F06.FR.10: the triggered status is sent and the triggered status is the "
        "current one (Occupied)",
    )


@oca(
    "TC_F_26_CS",
    "Trigger message - BootNotification - Rejected",
    profile="core",
    versions=V2,
    condition="C-29.6",
    kills=("trigger-boot-accepted",),
)
async def test_trigger_boot_rejected(csms: CsmsPeer) -> None:
    """TC_F_26 (F06.FR.04/05/17): once its boot was Accepted, the station answers
    TriggerMessage BootNotification with Rejected."""
    await _trigger(csms, "BootNotification", status="Rejected", rule="F06.FR.17")


@oca(
    "TC_F_27_CS",
    "Trigger message - NotImplemented",
    profile="core",
    versions=V2,
    condition="NOT AQ-11",
    kills=("trigger-unknown-rejected",),
)
async def test_trigger_not_implemented(csms: CsmsPeer) -> None:
    """TC_F_27 (F06.FR.08): a station without a combined certificate answers TriggerMessage
    SignCombinedCertificate with NotImplemented."""
    await _trigger(csms, "SignCombinedCertificate", status="NotImplemented", rule="F06.FR.08")
