"""The OCA reusable transaction states of the station cases (Part 6 §2.18), in our own words and
per the station's TxStartPoint/TxStopPoint (:class:`~testcases.v201.states.TxPoints`), and the
same states played by the harness as the station for the CSMS cases (§3.18: :class:`StationTx`).

A :class:`Session` collects the TransactionEvents of one transaction so that a case can check the
transactionId and the seqNo order (E01/E02.FR.07) across the states it went through.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

from harness import CsmsPeer, StationPeer, SutActions
from harness.checks import applicable_unless, require, require_fields
from harness.config import SutProfile
from harness.peers.defaults import now_iso
from harness.peers.exchange import CallOutcome, InboundCall
from harness.peers.matching import one_of
from testcases.v201.states import (
    COMBINED,
    TxPoints,
    connector_status,
    get_variable,
    set_variable,
    tx_points,
)

#: triggerReasons the reusable state EVConnectedPreSession accepts for the event at plug-in.
PLUG_IN_TRIGGERS = ("CablePluggedIn", "ChargingStateChanged", "RemoteStart")


@dataclass
class Session:
    """One transaction as the case saw it: its id (once known) and its events in order."""

    points: TxPoints
    evse_id: int = 1
    connector_id: int = 1
    tx_id: str | None = None
    events: list[InboundCall] = field(default_factory=list)
    #: The first TransactionEvent after the EV connected (E01.FR.16 checks it).
    after_plug_in: InboundCall | None = None
    #: The EV is connected (the case plugged it in and has not unplugged it).
    plugged: bool = False

    def add(self, event: InboundCall, req: str) -> InboundCall:
        """Record ``event``; it belongs to this session's transaction (same transactionId)."""
        tx_id = str(event["transactionInfo"].get("transactionId"))
        if self.tx_id is None:
            self.tx_id = tx_id
        require(
            tx_id == self.tx_id,
            req=f"{req}: the same transactionId",
            expected=repr(self.tx_id),
            actual=repr(tx_id),
        )
        self.events.append(event)
        return event

    def check_evse_known(self) -> None:
        """E01.FR.16: the first TransactionEvent after the EV connected names evse.id and
        evse.connectorId."""
        event = self.after_plug_in
        if event is None:
            return
        require_fields(
            event.get("evse") or {},
            id=self.evse_id,
            connectorId=self.connector_id,
            req="E01.FR.16: the first TransactionEvent after plug-in names the EVSE and connector",
        )

    def check_seq_nos(self) -> None:
        """E02.FR.07 (E01 sequence numbers): each event of the transaction has a higher seqNo."""
        seqs = [e["seqNo"] for e in self.events]
        require(
            all(b > a for a, b in itertools.pairwise(seqs)),
            req="E02.FR.07: seqNo increases per TransactionEvent",
            expected="strictly increasing seqNo",
            actual=str(seqs),
        )


async def ev_connected_pre_session(csms: CsmsPeer, sut: SutActions, session: Session) -> None:
    """State EVConnectedPreSession: plug in; the connector is reported Occupied (E02.FR.05,
    G01.FR.03); where TxStartPoint holds EVConnected/ParkingBayOccupancy a transaction starts
    (E01.FR.02, E02.FR.06) with one of the plug-in trigger reasons."""
    await sut.plug_in(evse_id=session.evse_id, connector_id=session.connector_id)
    session.plugged = True
    await connector_status(
        csms,
        evse_id=session.evse_id,
        connector_id=session.connector_id,
        status="Occupied",
        req="E02.FR.05/G01.FR.03: the connector is reported Occupied on plug-in",
    )
    if session.tx_id is not None:
        event = await csms.expect(
            "TransactionEvent",
            trigger_reason="CablePluggedIn",
            req="E03: the plug-in is reported in the running transaction (CablePluggedIn)",
        )
        session.after_plug_in = session.add(event, "E03")
        return
    if not session.points.starts_at_plug_in:
        return
    started = await csms.expect(
        "TransactionEvent",
        event_type="Started",
        req="E02.FR.06: plug-in starts the transaction (TxStartPoint EVConnected)",
    )
    require(
        started.get("triggerReason") in PLUG_IN_TRIGGERS,
        req="E01.FR.15: triggerReason of the plug-in event",
        expected=" or ".join(PLUG_IN_TRIGGERS),
        actual=repr(started.get("triggerReason")),
    )
    session.after_plug_in = session.add(started, "E02")


async def tx_point_contains(csms: CsmsPeer, name: str, point: str) -> None:
    """The OCA's Before "TxCtrlr.<name> contains <point>": kept when it does, else set to
    ``point``; NOT-APPLICABLE when the station does not accept that (read-only, or a point it
    does not support)."""
    item = await get_variable(csms, "TxCtrlr", name, req=f"E01: TxCtrlr.{name} read")
    current = {p.strip() for p in str(item.get("attributeValue") or "").split(",")}
    if item.get("attributeStatus") == "Accepted" and point in current:
        return
    result = await set_variable(csms, "TxCtrlr", name, point, req=f"E01: TxCtrlr.{name} set")
    applicable_unless(
        result.get("attributeStatus") != "Accepted",
        f"TxCtrlr.{name} does not contain {point} and cannot be set to it "
        f"(SetVariables {result.get('attributeStatus')})",
    )


async def auth_preparation(csms: CsmsPeer) -> None:
    """The OCA's Before for a local authorization: AuthCtrlr.Enabled true (if implemented and
    writable) and AuthCtrlr.DisableRemoteAuthorization false (if implemented); set where they
    differ, NOT-APPLICABLE where they differ and cannot be set."""
    for variable, wanted in (("Enabled", "true"), ("DisableRemoteAuthorization", "false")):
        item = await get_variable(csms, "AuthCtrlr", variable, req=f"C01: AuthCtrlr.{variable}")
        if item.get("attributeStatus") != "Accepted":
            continue  # not implemented
        if str(item.get("attributeValue")).lower() == wanted:
            continue
        result = await set_variable(
            csms, "AuthCtrlr", variable, wanted, req=f"C01: AuthCtrlr.{variable} set"
        )
        applicable_unless(
            result.get("attributeStatus") != "Accepted",
            f"AuthCtrlr.{variable} is {item.get('attributeValue')!r} and cannot be set to "
            f"{wanted} (SetVariables {result.get('attributeStatus')})",
        )


async def tx_point_only(csms: CsmsPeer, name: str, point: str) -> None:
    """The OCA's Before "TxCtrlr.<name> is <point>" where the prerequisite rules out the other
    points: kept when it is exactly that, else set; NOT-APPLICABLE when the station does not
    accept it."""
    item = await get_variable(csms, "TxCtrlr", name, req=f"E01: TxCtrlr.{name} read")
    current = {p.strip() for p in str(item.get("attributeValue") or "").split(",") if p.strip()}
    if item.get("attributeStatus") == "Accepted" and current == {point}:
        return
    result = await set_variable(csms, "TxCtrlr", name, point, req=f"E01: TxCtrlr.{name} set")
    applicable_unless(
        result.get("attributeStatus") != "Accepted",
        f"TxCtrlr.{name} is {sorted(current)} and cannot be set to {point} only "
        f"(SetVariables {result.get('attributeStatus')})",
    )


async def authorized_local(csms: CsmsPeer, sut: SutActions, session: Session, token: str) -> None:
    """State Authorized (local): present the token; Authorize for it (C01.FR.01) unless
    AuthCtrlr.LocalPreAuthorize is true (the token may then come from the authorization cache,
    C12, and the OCA's reusable state skips the Authorize); a TransactionEvent with the idToken
    (E01.FR.10) and triggerReason Authorized (E02.FR.01) — Started where the transaction starts
    now (TxStartPoint Authorized, or a combined point with the cable in: the OCA's reusable
    state lets that one be ChargingStateChanged)."""
    pre = await get_variable(csms, "AuthCtrlr", "LocalPreAuthorize", req="C12: read")
    cached_ok = pre.get("attributeStatus") == "Accepted" and pre.get("attributeValue") == "true"
    await sut.present_token(token, evse_id=session.evse_id)
    if not cached_ok:
        await csms.expect(
            "Authorize", id_token={"idToken": token}, req="C01: the token is authorized"
        )
    start = session.points.start
    if session.tx_id is None and not (
        "Authorized" in start or (session.plugged and start & COMBINED)
    ):
        return  # no start point reached yet: the authorization waits for the cable (E03)
    combined = session.tx_id is None and bool(session.points.start & COMBINED)
    triggers = ("Authorized", "ChargingStateChanged") if combined else ("Authorized",)
    event = await csms.expect(
        "TransactionEvent",
        id_token={"idToken": token},
        trigger_reason=one_of(*triggers),
        req="E02.FR.01/E01.FR.10: the authorization is reported with the idToken",
    )
    if session.tx_id is None:
        require_fields(event.payload, eventType="Started", req="E01: the transaction starts")
        session.after_plug_in = event
    session.add(event, "E02")


async def authorized_remote(
    csms: CsmsPeer, session: Session, token: dict[str, str], remote_start_id: int
) -> None:
    """State Authorized (remote): RequestStartTransaction is Accepted (F01), with the
    transactionId of a transaction already started (F01.FR.13); an Authorize may come
    (AuthorizeRemoteStart); the next TransactionEvent has triggerReason RemoteStart (F01.FR.19),
    the remoteStartId (F01.FR.13/F02.FR.01) and the idToken (E01.FR.10)."""
    result = await csms.call(
        "RequestStartTransaction",
        id_token=token,
        remote_start_id=remote_start_id,
        evse_id=session.evse_id,
    )
    result.must(status="Accepted", req="F01: RequestStartTransaction Accepted")
    if session.tx_id is not None:
        require_fields(
            result.payload,
            transactionId=session.tx_id,
            req="F01.FR.13: the answer names the transaction already started",
            frames=result.frames,
        )
    event = await csms.expect(
        "TransactionEvent",
        trigger_reason="RemoteStart",
        req="F01.FR.19: the next TransactionEvent reports the remote start",
    )
    if session.tx_id is None:
        require_fields(event.payload, eventType="Started", req="F02: the transaction starts")
        session.after_plug_in = event
    session.add(event, "F01")
    require_fields(
        event["transactionInfo"],
        remoteStartId=remote_start_id,
        req="F01.FR.13/F02.FR.01: the remoteStartId of the request",
    )
    require_fields(
        event.get("idToken") or {},
        idToken=token["idToken"],
        req="E01.FR.10: the RemoteStart event carries the requested idToken",
    )


async def energy_transfer_started(csms: CsmsPeer, session: Session) -> None:
    """State EnergyTransferStarted: the transaction reaches chargingState Charging (E01.FR.18).
    Deviation: the OCA expects a separate ChargingStateChanged event; a station that reports
    Charging in the authorization event itself already told the CSMS, so that event counts."""
    if any(_charging(e) for e in session.events[-1:]):
        return
    event = await csms.expect(
        "TransactionEvent",
        transaction_info={"chargingState": "Charging"},
        req="E01.FR.18: the transaction reports chargingState Charging",
    )
    if session.tx_id is None:
        session.after_plug_in = event  # the start point was the energy transfer itself
    session.add(event, "E01")


def _charging(event: InboundCall) -> bool:
    info: Any = event.get("transactionInfo") or {}
    return bool(info.get("chargingState") == "Charging")


async def ended(csms: CsmsPeer, session: Session, *, req: str, **subset: Any) -> InboundCall:
    """The transaction's Ended event (same transactionId)."""
    event = await csms.expect("TransactionEvent", event_type="Ended", req=req, **subset)
    return session.add(event, req.split(":")[0])


async def unplugged(csms: CsmsPeer, sut: SutActions, session: Session) -> None:
    """State EVDisconnected: unplug; the connector is reported Available (G01.FR.04)."""
    await sut.unplug(evse_id=session.evse_id, connector_id=session.connector_id)
    session.plugged = False
    await connector_status(
        csms,
        evse_id=session.evse_id,
        connector_id=session.connector_id,
        status="Available",
        req="G01.FR.04: the connector is Available after unplug",
    )


async def charging(csms: CsmsPeer, sut: SutActions, profile: SutProfile) -> Session:
    """States EVConnectedPreSession, Authorized (local, the profile's valid token) and
    EnergyTransferStarted, per the station's TxStartPoint/TxStopPoint (read first)."""
    session = Session(await tx_points(csms, profile))
    await ev_connected_pre_session(csms, sut, session)
    await authorized_local(csms, sut, session, profile.sut.tokens.valid)
    await energy_transfer_started(csms, session)
    return session


async def stop_charging(
    csms: CsmsPeer, sut: SutActions, profile: SutProfile, session: Session, *, req: str
) -> InboundCall:
    """End a running transaction at the station's TxStopPoint and free the connector: the same
    token stops it where the stop point holds the authorization (E06.FR.03), else unplugging
    does (E06.FR.02); the Ended event is returned."""
    if session.points.stops_at_deauthorization:
        await sut.present_token(profile.sut.tokens.valid, evse_id=session.evse_id)
        event = await ended(csms, session, req=req)
        await unplugged(csms, sut, session)
        return event
    await unplugged(csms, sut, session)
    return await ended(csms, session, req=req)


@dataclass
class StationTx:
    """One transaction the harness (as the station) reports to the CSMS under test: its
    transactionId and the next seqNo (E01 sequence numbers)."""

    station: StationPeer
    token: dict[str, str]
    evse_id: int = 1
    connector_id: int = 1
    tx_id: str = field(default_factory=lambda: f"HARNESS-{uuid.uuid4().hex[:12]}")
    seq_no: int = 0

    @classmethod
    def of(cls, station: StationPeer, profile: SutProfile) -> StationTx:
        token = {"idToken": profile.sut.tokens.valid, "type": profile.sut.tokens.type}
        return cls(station, token)

    async def event(
        self,
        event_type: str,
        trigger: str,
        *,
        req: str,
        charging_state: str = "Charging",
        meter: list[dict[str, Any]] | None = None,
        timestamp: str | None = None,
        **fields: Any,
    ) -> CallOutcome:
        """Send one TransactionEvent of this transaction; require its TransactionEventResponse."""
        info: dict[str, Any] = {"transactionId": self.tx_id, "chargingState": charging_state}
        info.update(fields.pop("transaction_info", {}))
        if meter:
            fields["meter_value"] = meter
        outcome = await self.station.call(
            "TransactionEvent",
            event_type=event_type,
            timestamp=timestamp or now_iso(),
            trigger_reason=trigger,
            seq_no=self.seq_no,
            transaction_info=info,
            req=req,
            **fields,
        ).must(req=req)
        self.seq_no += 1
        return outcome

    async def status(self, status: str, *, req: str) -> None:
        """A StatusNotification of this transaction's connector (G01)."""
        await self.station.call(
            "StatusNotification",
            timestamp=now_iso(),
            connector_status=status,
            evse_id=self.evse_id,
            connector_id=self.connector_id,
            req=req,
        ).must(req=req)


def reading(context: str, wh: float, *, timestamp: str | None = None) -> dict[str, Any]:
    """One meterValue of the energy register with ``context`` (J02 SampledValueType)."""
    return {
        "timestamp": timestamp or now_iso(),
        "sampledValue": [
            {
                "value": wh,
                "context": context,
                "measurand": "Energy.Active.Import.Register",
                "unitOfMeasure": {"unit": "Wh"},
            }
        ],
    }


async def station_ev_connected(
    tx: StationTx,
    *,
    meter: list[dict[str, Any]] | None = None,
    req: str = "E02: TransactionEvent Started answered",
) -> None:
    """State EVConnectedPreSession as the station: the connector Occupied, a transaction
    Started by the plug-in (CablePluggedIn, EVConnected), with ``meter`` if given."""
    await tx.status("Occupied", req="G01: StatusNotification Occupied answered")
    await tx.event(
        "Started",
        "CablePluggedIn",
        charging_state="EVConnected",
        meter=meter,
        evse={"id": tx.evse_id, "connectorId": tx.connector_id},
        req=req,
    )


async def station_charging(tx: StationTx) -> None:
    """States EVConnectedPreSession, Authorized and EnergyTransferStarted as the station:
    Authorize for the token (Accepted), then an Updated event with the idToken and
    chargingState Charging (E02)."""
    await station_ev_connected(tx)
    auth = await tx.station.call("Authorize", id_token=tx.token, req="C01: Authorize answered")
    auth.must(id_token_info={"status": "Accepted"}, req="C01: a valid token is Accepted")
    await tx.event(
        "Updated", "Authorized", id_token=tx.token, req="E02: TransactionEvent Updated answered"
    )


async def station_ev_disconnected(
    tx: StationTx, *, meter: list[dict[str, Any]] | None = None, req: str, ends: bool = True
) -> None:
    """State EVDisconnected as the station: Ended (EVCommunicationLost, EVDisconnected) with
    ``meter`` if given, then the connector Available. ``ends=False``: a TxStopPoint other than
    the cable's keeps the transaction (Updated EVCommunicationLost, E02)."""
    if ends:
        await tx.event(
            "Ended",
            "EVCommunicationLost",
            charging_state="Idle",
            meter=meter,
            transaction_info={"stoppedReason": "EVDisconnected"},
            req=req,
        )
    else:
        await tx.event(
            "Updated", "EVCommunicationLost", charging_state="Idle", meter=meter, req=req
        )
    await tx.status("Available", req="G01: StatusNotification Available answered")


async def station_suspended(tx: StationTx, *, req: str) -> None:
    """State EnergyTransferSuspended as the station: Updated (ChargingStateChanged,
    chargingState SuspendedEV)."""
    await tx.event("Updated", "ChargingStateChanged", charging_state="SuspendedEV", req=req)


async def station_stop_authorized(tx: StationTx, *, req: str) -> None:
    """State StopAuthorized as the station (TxStopPoint not at the authorization): Updated
    (StopAuthorized, the idToken, chargingState EVConnected)."""
    await tx.event(
        "Updated", "StopAuthorized", charging_state="EVConnected", id_token=tx.token, req=req
    )


def signed(meter_value: dict[str, Any]) -> dict[str, Any]:
    """``meter_value`` with a signedMeterValue on each sampledValue (J01.FR.21/J02.FR.21; the
    data is opaque to the CSMS, its format is the signing method's)."""
    signature = {
        "signedMeterData": "SGFybmVzcyBzaWduZWQgbWV0ZXIgZGF0YQ==",
        "signingMethod": "ECDSA-secp256r1-SHA256",
        "encodingMethod": "OCMF",
        "publicKey": "SGFybmVzcyBwdWJsaWMga2V5",
    }
    values = [dict(v, signedMeterValue=signature) for v in meter_value["sampledValue"]]
    return {**meter_value, "sampledValue": values}
