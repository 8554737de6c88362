"""Self-tests of the reference charging station, driven by the harness's own CsmsPeer.

Each test boots a fresh station against a fresh CsmsPeer on loopback and checks one behaviour of
OCPP 1.6 / 2.0.1 / 2.1 (the requirement in the test's docstring), then each seeded fault shows that
it changes exactly the behaviour it names.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest

from harness.peers.csms import CsmsPeer
from harness.peers.matching import one_of
from harness.reference.station import ReferenceStation
from harness.verdicts import SutFailure

ALL = ("1.6", "2.0.1", "2.1")
V2 = ("2.0.1", "2.1")
TOKEN = "VALID001"
HB = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}}

pytestmark = pytest.mark.asyncio


async def _connectors_reported(csms: CsmsPeer, version: str, status: str = "Available") -> None:
    """Every connector's status after an accepted boot (1.6: connector 0 too)."""
    if version == "1.6":
        for connector in (0, 1, 2):
            await csms.expect("StatusNotification", connector_id=connector, status=status)
    else:
        for evse in (1, 2):
            await csms.expect(
                "StatusNotification", evse_id=evse, connector_id=1, connector_status=status
            )


@contextlib.asynccontextmanager
async def station_up(
    version: str,
    *,
    faults: frozenset[str] = frozenset(),
    interval: int = 300,
    boot: bool = True,
) -> AsyncIterator[tuple[CsmsPeer, ReferenceStation]]:
    """A CsmsPeer and a started station; with ``boot``, Accepted and its connectors reported."""
    csms = CsmsPeer(version, host="127.0.0.1", port=0, response_s=2, action_s=3)
    await csms.start()
    csms.begin_case("reference-station self-test")
    station = ReferenceStation(
        version=version,
        csms_url=csms.url,
        identity="REF-SELFTEST",
        faults=faults,
        reconnect_s=0.05,
    )
    try:
        await station.start()
        if boot:
            request = await csms.expect("BootNotification")
            await request.reply(status="Accepted", interval=interval)
            if "boot-skips-status" not in faults:
                await _connectors_reported(csms, version)
        yield csms, station
        await csms.end_case()
    finally:
        await station.stop()
        await csms.stop()


# -- boot (1.6 §4.2; B01-B03) --------------------------------------------------------------------------
@pytest.mark.parametrize("version", ALL)
async def test_boot_accepted_reports_connectors_then_heartbeats(version: str) -> None:
    """B01 (B01.FR.05), 1.6 §4.2/§4.6: status for every connector, Heartbeat at the interval."""
    async with station_up(version, boot=False) as (csms, station):
        boot = await csms.expect("BootNotification")
        if version == "1.6":
            assert boot["chargePointVendor"] == "ocpp-harness"
            assert boot["chargePointModel"] == "reference-station"
        else:
            assert boot["reason"] == "PowerUp"
            assert boot["chargingStation"]["model"] == "reference-station"
        await boot.reply(status="Accepted", interval=1)
        await _connectors_reported(csms, version)
        await csms.expect("Heartbeat", within_s=1.6)
        assert station.boot_status == "Accepted"
        assert station.heartbeat_interval == 1


@pytest.mark.parametrize("version", ALL)
async def test_pending_sends_only_boot_until_accepted(version: str) -> None:
    """B02 (B02.FR.01/02), 1.6 §4.2: while Pending only BootNotification (after the interval);
    configuration calls are answered; remote start is Rejected (B02.FR.05)."""
    async with station_up(version, boot=False) as (csms, station):
        csms.forbid("StatusNotification")
        csms.forbid("Heartbeat")
        await (await csms.expect("BootNotification")).reply(status="Pending", interval=1)
        if version == "1.6":
            (await csms.call("GetConfiguration", key=["HeartbeatInterval"])).must()
            start = await csms.call("RemoteStartTransaction", id_tag=TOKEN)
        else:
            (await csms.call("GetVariables", get_variable_data=[HB])).must()
            token = {"idToken": TOKEN, "type": "ISO14443"}
            start = await csms.call("RequestStartTransaction", id_token=token, remote_start_id=1)
        start.must(status="Rejected")
        await csms.expect_none("BootNotification", for_s=0.5)
        retry = await csms.expect("BootNotification", within_s=1.5)
        csms.allow()
        await retry.reply(status="Accepted", interval=300)
        await _connectors_reported(csms, version)
        assert station.boot_status == "Accepted"


@pytest.mark.parametrize("version", V2)
async def test_rejected_waits_and_answers_security_error(version: str) -> None:
    """B03, TC_B_30_CS: nothing but a BootNotification after the interval; CSMS CALLs get
    SecurityError, except TriggerMessage(BootNotification) (B03.FR.08), which boots at once."""
    async with station_up(version, boot=False) as (csms, _station):
        csms.forbid("StatusNotification")
        await (await csms.expect("BootNotification")).reply(status="Rejected", interval=30)
        refused = await csms.call("GetBaseReport", request_id=1, report_base="FullInventory")
        refused.must_error("SecurityError")
        await csms.expect_none("BootNotification", for_s=0.5)
        # the triggered boot may arrive in the same read as the trigger's answer: held for the
        # script, not answered by default before it asks
        csms.hold("BootNotification")
        trigger = await csms.call("TriggerMessage", requested_message="BootNotification")
        trigger.must(status="Accepted")
        boot = await csms.expect("BootNotification", within_s=1, reason="Triggered")
        csms.allow()
        await boot.reply(status="Accepted", interval=300)
        await _connectors_reported(csms, version)


async def test_rejected_v16_answers_nothing() -> None:
    """1.6 §4.2: while Rejected the charge point does not respond to Central System CALLs."""
    async with station_up("1.6", boot=False) as (csms, _station):
        await (await csms.expect("BootNotification")).reply(status="Rejected", interval=1)
        with pytest.raises(SutFailure, match="no answer"):
            await csms.call("GetConfiguration", within_s=0.4)
        retry = await csms.expect("BootNotification", within_s=1.5)
        await retry.reply(status="Accepted", interval=300)
        await _connectors_reported(csms, "1.6")


@pytest.mark.parametrize("version", ALL)
async def test_reconnect_does_not_boot_again_and_flushes_queue(version: str) -> None:
    """E12 / 1.6 §4.2: after a network drop an Accepted station resumes without booting and
    delivers what happened offline (2.x: TransactionEvent with offline=true)."""
    async with station_up(version) as (csms, station):
        await station.plug_in()
        if version == "1.6":
            await csms.expect("StatusNotification", connector_id=1, status="Preparing")
        else:
            await csms.expect("TransactionEvent", event_type="Started")
        await station.go_offline()
        await station.unplug()
        await station.go_online()
        csms.forbid("BootNotification")
        if version == "1.6":
            await csms.expect("StatusNotification", connector_id=1, status="Available")
        else:
            ended = await csms.expect("TransactionEvent", event_type="Ended", offline=True)
            assert ended["transactionInfo"]["stoppedReason"] == "EVDisconnected"
            await csms.expect("StatusNotification", evse_id=1, connector_status="Available")
        assert station.connected
        assert csms.connections == 2


# -- transactions ----------------------------------------------------------------------------------------
async def test_v16_plug_in_first_session() -> None:
    """1.6 §4.1/§4.8/§4.10/§4.9: Preparing, Authorize, StartTransaction, Charging; the same idTag
    stops it (Local, no Authorize), Finishing; unplug, Available."""
    async with station_up("1.6") as (csms, station):
        await station.plug_in()
        await csms.expect("StatusNotification", connector_id=1, status="Preparing")
        await station.present_token(TOKEN)
        await csms.expect("Authorize", id_tag=TOKEN)
        csms.hold("StartTransaction")
        start = await csms.expect("StartTransaction", connector_id=1, id_tag=TOKEN)
        assert isinstance(start["meterStart"], int)
        await start.reply(transaction_id=77, id_tag_info={"status": "Accepted"})
        await csms.expect("StatusNotification", connector_id=1, status="Charging")
        csms.forbid("Authorize")
        await station.present_token(TOKEN)
        stop = await csms.expect("StopTransaction", transaction_id=77, reason="Local", id_tag=TOKEN)
        assert stop["meterStop"] >= start["meterStart"]
        await csms.expect("StatusNotification", connector_id=1, status="Finishing")
        await station.unplug()
        await csms.expect("StatusNotification", connector_id=1, status="Available")
        assert not station.transactions


async def test_v16_token_first_and_unplug_stops() -> None:
    """1.6 §4.9/§4.10: an idTag first makes the connector Preparing; plug-in starts the
    transaction; unplugging stops it with reason EVDisconnected."""
    async with station_up("1.6") as (csms, station):
        await station.present_token(TOKEN)
        await csms.expect("Authorize", id_tag=TOKEN)
        await csms.expect("StatusNotification", connector_id=1, status="Preparing")
        await station.plug_in()
        await csms.expect("StartTransaction", connector_id=1, id_tag=TOKEN)
        await csms.expect("StatusNotification", connector_id=1, status="Charging")
        await station.unplug()
        await csms.expect("StopTransaction", reason="EVDisconnected")
        await csms.expect("StatusNotification", connector_id=1, status="Available")


@pytest.mark.parametrize("version", V2)
async def test_v2_plug_in_first_transaction(version: str) -> None:
    """E02/E07 (E01.FR.02, E06.FR.03): Occupied + Started (CablePluggedIn, seqNo 0, evse), token
    Authorized (Charging), same token ends it (StopAuthorized, Local); unplug: Available."""
    async with station_up(version) as (csms, station):
        await station.plug_in()
        await csms.expect("StatusNotification", evse_id=1, connector_status="Occupied")
        started = await csms.expect(
            "TransactionEvent",
            event_type="Started",
            trigger_reason="CablePluggedIn",
            seq_no=0,
            evse={"id": 1, "connectorId": 1},
            transaction_info={"chargingState": "EVConnected"},
        )
        tx_id = started["transactionInfo"]["transactionId"]
        assert started["meterValue"][0]["sampledValue"][0]["context"] == "Transaction.Begin"
        await station.present_token(TOKEN)
        await csms.expect("Authorize", id_token={"idToken": TOKEN, "type": "ISO14443"})
        await csms.expect(
            "TransactionEvent",
            event_type="Updated",
            trigger_reason="Authorized",
            seq_no=1,
            id_token={"idToken": TOKEN},
            transaction_info={"transactionId": tx_id, "chargingState": "Charging"},
        )
        assert list(station.transactions) == [tx_id]
        csms.forbid("Authorize")
        await station.present_token(TOKEN)
        await csms.expect(
            "TransactionEvent",
            event_type="Ended",
            trigger_reason="StopAuthorized",
            seq_no=2,
            transaction_info={"stoppedReason": "Local", "chargingState": "EVConnected"},
        )
        await station.unplug()
        await csms.expect("StatusNotification", evse_id=1, connector_status="Available")
        assert not station.transactions


@pytest.mark.parametrize("version", V2)
async def test_v2_token_first_then_unplug(version: str) -> None:
    """E03 (E01.FR.03), E10 (E06.FR.02): Started on authorization (Idle), plug-in is reported
    with the connector and Charging, unplug ends it with EVDisconnected."""
    async with station_up(version) as (csms, station):
        await station.present_token(TOKEN, evse_id=2)
        await csms.expect("Authorize")
        await csms.expect(
            "TransactionEvent",
            event_type="Started",
            trigger_reason="Authorized",
            evse={"id": 2},
            id_token={"idToken": TOKEN},
            transaction_info={"chargingState": "Idle"},
        )
        await station.plug_in(evse_id=2)
        await csms.expect("StatusNotification", evse_id=2, connector_status="Occupied")
        await csms.expect(
            "TransactionEvent",
            trigger_reason="CablePluggedIn",
            seq_no=1,
            evse={"id": 2, "connectorId": 1},
            transaction_info={"chargingState": "Charging"},
        )
        await station.unplug(evse_id=2)
        await csms.expect(
            "TransactionEvent",
            event_type="Ended",
            trigger_reason="EVCommunicationLost",
            transaction_info={"stoppedReason": "EVDisconnected"},
        )
        await csms.expect("StatusNotification", evse_id=2, connector_status="Available")


@pytest.mark.parametrize("version", ["2.0.1"])
async def test_v2_periodic_meter_values(version: str) -> None:
    """E02: with SampledDataCtrlr.TxUpdatedInterval set, Updated (MeterValuePeriodic) events
    carry a growing energy register while charging."""
    async with station_up(version) as (csms, station):
        setting = {
            "component": {"name": "SampledDataCtrlr"},
            "variable": {"name": "TxUpdatedInterval"},
            "attributeValue": "1",
        }
        result = await csms.call("SetVariables", set_variable_data=[setting])
        assert result.must()["setVariableResult"][0]["attributeStatus"] == "Accepted"
        await station.plug_in()
        await station.present_token(TOKEN)
        await csms.expect("TransactionEvent", trigger_reason="Authorized")
        first = await csms.expect("TransactionEvent", trigger_reason="MeterValuePeriodic")
        second = await csms.expect("TransactionEvent", trigger_reason="MeterValuePeriodic")
        values = [e["meterValue"][0]["sampledValue"][0]["value"] for e in (first, second)]
        assert values[1] > values[0]


async def test_v16_remote_start_and_stop() -> None:
    """1.6 §5.11/§5.12: RemoteStart without cable: Preparing, start on plug-in (no Authorize
    with AuthorizeRemoteTxRequests false); RemoteStop: Accepted, reason Remote; unknown: Rejected."""
    async with station_up("1.6") as (csms, station):
        csms.forbid("Authorize")
        (await csms.call("RemoteStartTransaction", id_tag=TOKEN, connector_id=1)).must(
            status="Accepted"
        )
        await csms.expect("StatusNotification", connector_id=1, status="Preparing")
        busy = await csms.call("RemoteStartTransaction", id_tag=TOKEN, connector_id=1)
        busy.must(status="Rejected")
        await station.plug_in()
        await csms.expect("StartTransaction", connector_id=1, id_tag=TOKEN)
        await csms.expect("StatusNotification", connector_id=1, status="Charging")
        tx_id = csms.last_transaction_id
        (await csms.call("RemoteStopTransaction", transaction_id=tx_id + 1)).must(status="Rejected")
        (await csms.call("RemoteStopTransaction", transaction_id=tx_id)).must(status="Accepted")
        await csms.expect("StopTransaction", transaction_id=tx_id, reason="Remote")
        await csms.expect("StatusNotification", connector_id=1, status="Finishing")


@pytest.mark.parametrize("version", V2)
async def test_v2_remote_start_first_and_stop(version: str) -> None:
    """F02 (F02.FR.01, F01.FR.02), F03 (F03.FR.08): Started with RemoteStart, remoteStartId and
    the token; plug-in makes it Charging; RequestStop ends it (RemoteStop, Remote)."""
    async with station_up(version) as (csms, station):
        token = {"idToken": TOKEN, "type": "Central"}
        (await csms.call("RequestStartTransaction", id_token=token, remote_start_id=42)).must(
            status="Accepted"
        )
        started = await csms.expect(
            "TransactionEvent",
            event_type="Started",
            trigger_reason="RemoteStart",
            id_token=token,
            transaction_info={"remoteStartId": 42, "chargingState": "Idle"},
        )
        tx_id = started["transactionInfo"]["transactionId"]
        await station.plug_in()
        await csms.expect("TransactionEvent", transaction_info={"chargingState": "Charging"})
        status = await csms.call("GetTransactionStatus", transaction_id=tx_id)
        status.must(ongoing_indicator=True)
        (await csms.call("RequestStopTransaction", transaction_id="nope")).must(status="Rejected")
        (await csms.call("RequestStopTransaction", transaction_id=tx_id)).must(status="Accepted")
        await csms.expect(
            "TransactionEvent",
            event_type="Ended",
            trigger_reason="RemoteStop",
            transaction_info={"transactionId": tx_id, "stoppedReason": "Remote"},
        )


@pytest.mark.parametrize("version", V2)
async def test_v2_remote_start_with_cable_plugged(version: str) -> None:
    """F01: the cable-first transaction gets Updated (RemoteStart, remoteStartId, Charging) and
    the response names its transactionId."""
    async with station_up(version) as (csms, station):
        await station.plug_in()
        started = await csms.expect("TransactionEvent", event_type="Started")
        tx_id = started["transactionInfo"]["transactionId"]
        token = {"idToken": TOKEN, "type": "ISO14443"}
        result = await csms.call(
            "RequestStartTransaction", id_token=token, remote_start_id=7, evse_id=1
        )
        result.must(status="Accepted", transaction_id=tx_id)
        await csms.expect(
            "TransactionEvent",
            event_type="Updated",
            trigger_reason="RemoteStart",
            transaction_info={
                "transactionId": tx_id,
                "remoteStartId": 7,
                "chargingState": "Charging",
            },
        )


async def test_v2_ev_connection_timeout_ends_transaction() -> None:
    """E03: no cable within TxCtrlr.EVConnectionTimeOut after the authorization ends the
    transaction (EVConnectTimeout, stoppedReason Timeout)."""
    async with station_up("2.0.1") as (csms, _station):
        timeout = {
            "component": {"name": "TxCtrlr"},
            "variable": {"name": "EVConnectionTimeOut"},
            "attributeValue": "1",
        }
        (await csms.call("SetVariables", set_variable_data=[timeout])).must()
        token = {"idToken": TOKEN, "type": "Central"}
        (await csms.call("RequestStartTransaction", id_token=token, remote_start_id=9)).must(
            status="Accepted"
        )
        await csms.expect("TransactionEvent", event_type="Started", trigger_reason="RemoteStart")
        await csms.expect(
            "TransactionEvent",
            within_s=1.8,
            event_type="Ended",
            trigger_reason="EVConnectTimeout",
            transaction_info={"stoppedReason": "Timeout"},
        )


async def test_v16_connection_timeout_returns_to_available() -> None:
    """1.6 §9.1 ConnectionTimeOut: an authorized idTag without a cable expires; the connector
    goes back from Preparing to Available without a transaction."""
    async with station_up("1.6") as (csms, station):
        (await csms.call("ChangeConfiguration", key="ConnectionTimeOut", value="1")).must(
            status="Accepted"
        )
        csms.forbid("StartTransaction")
        await station.present_token(TOKEN)
        await csms.expect("StatusNotification", connector_id=1, status="Preparing")
        await csms.expect("StatusNotification", within_s=1.8, connector_id=1, status="Available")


async def test_v2_transaction_message_retried_after_callerror() -> None:
    """E13: a TransactionEvent answered with CALLERROR is sent again after
    MessageAttemptInterval (same seqNo), later messages wait behind it."""
    async with station_up("2.0.1") as (csms, station):
        csms.hold("TransactionEvent")
        await station.plug_in()
        first = await csms.expect("TransactionEvent", event_type="Started")
        await first.reply_error("InternalError")
        again = await csms.expect("TransactionEvent", within_s=1.8, event_type="Started")
        assert again["seqNo"] == first["seqNo"] == 0
        assert again.call.unique_id != first.call.unique_id
        await again.reply()
        (await csms.call("GetTransactionStatus")).must(messages_in_queue=False)


async def test_v2_reset_on_idle_waits_for_the_transaction() -> None:
    """B12: Reset OnIdle during a transaction is Scheduled; the station reboots (ScheduledReset,
    as TC_B_21_CS validates) once the transaction has ended."""
    async with station_up("2.0.1") as (csms, station):
        await station.plug_in()
        await csms.expect("TransactionEvent", event_type="Started")
        (await csms.call("Reset", type="OnIdle")).must(status="Scheduled")
        await csms.expect_none("BootNotification", for_s=0.3)
        await station.unplug()
        await csms.expect("TransactionEvent", event_type="Ended")
        await csms.expect("BootNotification", reason="ScheduledReset")


# -- configuration ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("version", V2)
async def test_v2_get_and_set_variables(version: str) -> None:
    """B05/B06: Accepted with the value, UnknownComponent/UnknownVariable,
    NotSupportedAttributeType, Rejected for read-only or mistyped values; the change applies."""
    async with station_up(version) as (csms, station):
        get = await csms.call(
            "GetVariables",
            get_variable_data=[
                HB,
                {"component": {"name": "NoSuchCtrlr"}, "variable": {"name": "X"}},
                {"component": {"name": "TxCtrlr"}, "variable": {"name": "NoSuchVariable"}},
                {**HB, "attributeType": "Target"},
                {
                    "component": {"name": "Connector", "evse": {"id": 2, "connectorId": 1}},
                    "variable": {"name": "AvailabilityState"},
                },
            ],
        )
        results = get.must()["getVariableResult"]
        assert [r["attributeStatus"] for r in results] == [
            "Accepted",
            "UnknownComponent",
            "UnknownVariable",
            "NotSupportedAttributeType",
            "Accepted",
        ]
        assert results[0]["attributeValue"] == "300"
        assert results[4]["attributeValue"] == "Available"
        stop_on_ev = {
            "component": {"name": "TxCtrlr"},
            "variable": {"name": "StopTxOnEVSideDisconnect"},
        }
        start_point = {"component": {"name": "TxCtrlr"}, "variable": {"name": "TxStartPoint"}}
        setting = await csms.call(
            "SetVariables",
            set_variable_data=[
                {**HB, "attributeValue": "abc"},
                {**stop_on_ev, "attributeValue": "false"},
                {**start_point, "attributeValue": "Sometime"},
                {**HB, "attributeValue": "1"},
            ],
        )
        statuses = [r["attributeStatus"] for r in setting.must()["setVariableResult"]]
        assert statuses == ["Rejected", "Rejected", "Rejected", "Accepted"]
        assert station.heartbeat_interval == 1
        await csms.expect("Heartbeat", within_s=1.6)


@pytest.mark.parametrize("version", V2)
async def test_v2_get_base_report_in_parts(version: str) -> None:
    """B07: GetBaseReport Accepted, then NotifyReport with seqNo 0.. and tbc on all but the last."""
    async with station_up(version) as (csms, _station):
        result = await csms.call("GetBaseReport", request_id=5, report_base="FullInventory")
        result.must(status="Accepted")
        names: set[str] = set()
        seq = 0
        while True:
            part = await csms.expect("NotifyReport", request_id=5, seq_no=seq)
            names |= {d["variable"]["name"] for d in part["reportData"]}
            if not part.get("tbc", False):
                break
            seq += 1
        assert seq >= 1
        assert {"HeartbeatInterval", "TxStartPoint", "AvailabilityState"} <= names
        custom = await csms.call(
            "GetReport", request_id=6, component_variable=[{"component": {"name": "Nope"}}]
        )
        custom.must(status="EmptyResultSet")


async def test_v16_get_and_change_configuration() -> None:
    """1.6 §5.8/§5.3/§9.1: every Core key listed; unknown keys in unknownKey; ChangeConfiguration
    Accepted (applied), Rejected (read-only, invalid value), NotSupported (unknown key)."""
    async with station_up("1.6") as (csms, station):
        every = (await csms.call("GetConfiguration")).must()["configurationKey"]
        keys = {item["key"]: item for item in every}
        assert {"HeartbeatInterval", "MeterValueSampleInterval", "NumberOfConnectors"} <= set(keys)
        assert keys["NumberOfConnectors"] == {
            "key": "NumberOfConnectors",
            "readonly": True,
            "value": "2",
        }
        some = await csms.call("GetConfiguration", key=["ConnectionTimeOut", "Bogus"])
        some.must(unknown_key=["Bogus"])
        assert [k["key"] for k in some["configurationKey"]] == ["ConnectionTimeOut"]
        changes = [
            ("NumberOfConnectors", "5", "Rejected"),
            ("MeterValueSampleInterval", "abc", "Rejected"),
            ("MeterValuesSampledData", "Voltage.Bogus", "Rejected"),
            ("Bogus", "1", "NotSupported"),
            ("HeartbeatInterval", "2", "Accepted"),
        ]
        for key, value, expected in changes:
            (await csms.call("ChangeConfiguration", key=key, value=value)).must(status=expected)
        assert station.heartbeat_interval == 2
        read = await csms.call("GetConfiguration", key=["HeartbeatInterval"])
        assert read.must()["configurationKey"][0]["value"] == "2"


# -- commands --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("version", ALL)
async def test_trigger_message(version: str) -> None:
    """F06 (F06.FR.04/12/17), 1.6 §5.17: the response first, then the message; BootNotification
    once Accepted is Rejected in 2.x; StatusNotification without a connector is Rejected."""
    async with station_up(version) as (csms, _station):
        if version == "1.6":
            (
                await csms.call(
                    "TriggerMessage", requested_message="StatusNotification", connector_id=2
                )
            ).must(status="Accepted")
            await csms.expect("StatusNotification", connector_id=2, status="Available")
            (
                await csms.call("TriggerMessage", requested_message="MeterValues", connector_id=9)
            ).must(status="Rejected")
        else:
            (
                await csms.call(
                    "TriggerMessage",
                    requested_message="StatusNotification",
                    evse={"id": 2, "connectorId": 1},
                )
            ).must(status="Accepted")
            await csms.expect("StatusNotification", evse_id=2, connector_status="Available")
            (await csms.call("TriggerMessage", requested_message="StatusNotification")).must(
                status="Rejected"
            )
            (await csms.call("TriggerMessage", requested_message="BootNotification")).must(
                status="Rejected"
            )
            (await csms.call("TriggerMessage", requested_message="TransactionEvent")).must(
                status="Rejected"
            )
        (await csms.call("TriggerMessage", requested_message="Heartbeat")).must(status="Accepted")
        await csms.expect("Heartbeat", within_s=1)
        (await csms.call("TriggerMessage", requested_message="MeterValues")).must(status="Accepted")
        await csms.expect("MeterValues")


@pytest.mark.parametrize("version", ALL)
async def test_change_availability(version: str) -> None:
    """G03/G04, 1.6 §5.2: Inoperative → Unavailable, Operative → Available; Scheduled while a
    transaction runs, applied when it ends."""
    async with station_up(version) as (csms, station):
        where: dict[str, Any]
        off: dict[str, Any]
        on: dict[str, Any]
        unavailable: dict[str, Any]
        available: dict[str, Any]
        if version == "1.6":
            where = {"connector_id": 1}
            off, on = {"type": "Inoperative"}, {"type": "Operative"}
            unavailable = {"connector_id": 1, "status": "Unavailable"}
            available = {"connector_id": 1, "status": "Available"}
        else:
            where = {"evse": {"id": 1}}
            off, on = {"operational_status": "Inoperative"}, {"operational_status": "Operative"}
            unavailable = {"evse_id": 1, "connector_status": "Unavailable"}
            available = {"evse_id": 1, "connector_status": "Available"}
        (await csms.call("ChangeAvailability", **where, **off)).must(status="Accepted")
        await csms.expect("StatusNotification", **unavailable)
        (await csms.call("ChangeAvailability", **where, **on)).must(status="Accepted")
        await csms.expect("StatusNotification", **available)
        await station.plug_in()
        await station.present_token(TOKEN)
        if version == "1.6":
            await csms.expect("StartTransaction")
        else:
            await csms.expect("TransactionEvent", trigger_reason="Authorized")
        (await csms.call("ChangeAvailability", **where, **off)).must(status="Scheduled")
        await station.present_token(TOKEN)
        if version == "1.6":
            await csms.expect("StopTransaction", reason="Local")
        else:
            await csms.expect("TransactionEvent", event_type="Ended")
        await csms.expect("StatusNotification", **unavailable)


@pytest.mark.parametrize("version", ALL)
async def test_reset_ends_transaction_and_boots(version: str) -> None:
    """B12 (ImmediateReset, boot reason RemoteReset), 1.6 §5.14 (HardReset): the transaction
    ends before the station reboots; the reconnect boots again."""
    async with station_up(version) as (csms, station):
        await station.plug_in()
        await station.present_token(TOKEN)
        if version == "1.6":
            await csms.expect("StartTransaction")
            (await csms.call("Reset", type="Hard")).must(status="Accepted")
            await csms.expect("StopTransaction", reason="HardReset")
            boot = await csms.expect("BootNotification")
        else:
            await csms.expect("TransactionEvent", trigger_reason="Authorized")
            (await csms.call("Reset", type="Immediate", evse_id=1)).must(status="Rejected")
            (await csms.call("Reset", type="Immediate")).must(status="Accepted")
            await csms.expect(
                "TransactionEvent",
                event_type="Ended",
                trigger_reason="ResetCommand",
                transaction_info={"stoppedReason": "ImmediateReset"},
            )
            boot = await csms.expect("BootNotification", reason="RemoteReset")
        await boot.reply(status="Accepted", interval=300)
        status = "Preparing" if version == "1.6" else "Occupied"  # the cable stays plugged
        if version == "1.6":
            await csms.expect("StatusNotification", connector_id=1, status=status)
        else:
            await csms.expect("StatusNotification", evse_id=1, connector_status=status)
        assert not station.transactions
        assert csms.connections == 2


@pytest.mark.parametrize("version", ALL)
async def test_reboot_ends_transaction_with_reason_reboot(version: str) -> None:
    """B01, 1.6 §4.2: a power cycle ends the transaction (Reboot) and boots again."""
    async with station_up(version) as (csms, station):
        await station.plug_in()
        if version == "1.6":
            await station.present_token(TOKEN)
            await csms.expect("StartTransaction")
        else:
            await csms.expect("TransactionEvent", event_type="Started")
        await station.reboot()
        if version == "1.6":
            await csms.expect("StopTransaction", reason="Reboot")
        else:
            await csms.expect(
                "TransactionEvent", event_type="Ended", transaction_info={"stoppedReason": "Reboot"}
            )
        boot = await csms.expect("BootNotification")
        assert version == "1.6" or boot["reason"] == "PowerUp"


@pytest.mark.parametrize("version", ALL)
async def test_misc_commands(version: str) -> None:
    """P01 (UnknownVendorId), C11 ClearCache, F05/1.6 §5.18 UnlockConnector, NotSupported for a
    known but unhandled action (OCPP-J: NotImplemented is for unknown actions)."""
    async with station_up(version) as (csms, _station):
        (await csms.call("DataTransfer", vendor_id="org.example")).must(status="UnknownVendorId")
        (await csms.call("ClearCache")).must(status="Accepted")
        if version == "1.6":
            (await csms.call("UnlockConnector", connector_id=1)).must(status="Unlocked")
            (await csms.call("UnlockConnector", connector_id=7)).must(status="NotSupported")
            # 1.6 §5.10: the Local Authorization List is supported (v16_auth), empty: version 0
            (await csms.call("GetLocalListVersion")).must(list_version=0)
        else:
            (await csms.call("UnlockConnector", evse_id=1, connector_id=1)).must(status="Unlocked")
            unknown = await csms.call("UnlockConnector", evse_id=9, connector_id=1)
            unknown.must(status="UnknownConnector")
            (await csms.call("GetTransactionStatus")).must(messages_in_queue=False)
            # D02.FR.02: the Local Authorization List (block_d) has had no update yet: version 0
            (await csms.call("GetLocalListVersion")).must(version_number=0)


# -- seeded faults: each changes its one behaviour -------------------------------------------------------
@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
async def test_fault_boot_ignores_interval(version: str) -> None:
    async with station_up(version, faults=frozenset({"boot-ignores-interval"}), interval=1) as (
        csms,
        station,
    ):
        await csms.expect_none("Heartbeat", for_s=1.4)
        assert station.heartbeat_interval == 300


@pytest.mark.parametrize("version", ALL)
async def test_fault_boot_skips_status(version: str) -> None:
    async with station_up(version, faults=frozenset({"boot-skips-status"})) as (csms, _station):
        await csms.expect_none("StatusNotification", for_s=0.4)


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
async def test_fault_pending_sends_status(version: str) -> None:
    faults = frozenset({"pending-sends-status"})
    async with station_up(version, faults=faults, boot=False) as (csms, _station):
        await (await csms.expect("BootNotification")).reply(status="Pending", interval=5)
        await csms.expect("StatusNotification", within_s=1)


async def test_fault_rejected_retries_immediately() -> None:
    faults = frozenset({"rejected-retries-immediately"})
    async with station_up("2.0.1", faults=faults, boot=False) as (csms, _station):
        await (await csms.expect("BootNotification")).reply(status="Rejected", interval=5)
        await csms.expect("BootNotification", within_s=0.5)


async def test_fault_getvariables_rejects_known() -> None:
    async with station_up("2.0.1", faults=frozenset({"getvariables-rejects-known"})) as (csms, _):
        result = await csms.call("GetVariables", get_variable_data=[HB])
        assert result.must()["getVariableResult"][0]["attributeStatus"] == "UnknownVariable"


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
async def test_fault_config_change_not_applied(version: str) -> None:
    async with station_up(version, faults=frozenset({"config-change-not-applied"})) as (
        csms,
        station,
    ):
        if version == "1.6":
            change = await csms.call("ChangeConfiguration", key="HeartbeatInterval", value="7")
            change.must(status="Accepted")
            read = await csms.call("GetConfiguration", key=["HeartbeatInterval"])
            assert read.must()["configurationKey"][0]["value"] == "300"
        else:
            change = await csms.call(
                "SetVariables", set_variable_data=[{**HB, "attributeValue": "7"}]
            )
            assert change.must()["setVariableResult"][0]["attributeStatus"] == "Accepted"
            read = await csms.call("GetVariables", get_variable_data=[HB])
            assert read.must()["getVariableResult"][0]["attributeValue"] == "300"
        assert station.heartbeat_interval == 300


async def test_fault_getconfiguration_missing_keys() -> None:
    async with station_up("1.6", faults=frozenset({"getconfiguration-missing-keys"})) as (csms, _):
        keys = {k["key"] for k in (await csms.call("GetConfiguration")).must()["configurationKey"]}
        assert "HeartbeatInterval" not in keys
        assert "MeterValueSampleInterval" not in keys
        assert "ConnectionTimeOut" in keys


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
async def test_fault_tx_reports_wrong_token(version: str) -> None:
    async with station_up(version, faults=frozenset({"tx-reports-wrong-token"})) as (csms, station):
        await station.plug_in()
        await station.present_token(TOKEN)
        if version == "1.6":
            await csms.expect("Authorize", id_tag=TOKEN)
            await csms.expect("StartTransaction", id_tag=TOKEN + "X")
        else:
            await csms.expect("Authorize", id_token={"idToken": TOKEN})
            await csms.expect("TransactionEvent", id_token={"idToken": TOKEN + "X"})


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
async def test_fault_remote_start_ignored(version: str) -> None:
    async with station_up(version, faults=frozenset({"remote-start-ignored"})) as (csms, station):
        await station.plug_in()
        if version == "1.6":
            start = await csms.call("RemoteStartTransaction", id_tag=TOKEN, connector_id=1)
            start.must(status="Accepted")
            await csms.expect_none("StartTransaction", for_s=0.4)
        else:
            await csms.expect("TransactionEvent", event_type="Started")
            token = {"idToken": TOKEN, "type": "ISO14443"}
            start = await csms.call("RequestStartTransaction", id_token=token, remote_start_id=3)
            start.must(status="Accepted")
            await csms.expect_none("TransactionEvent", for_s=0.4, trigger_reason="RemoteStart")


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
async def test_fault_remote_stop_ignored(version: str) -> None:
    async with station_up(version, faults=frozenset({"remote-stop-ignored"})) as (csms, station):
        await station.plug_in()
        await station.present_token(TOKEN)
        if version == "1.6":
            await csms.expect("StartTransaction")
            await csms.expect("StatusNotification", status="Charging")
            stop = await csms.call("RemoteStopTransaction", transaction_id=csms.last_transaction_id)
            stop.must(status="Accepted")
            await csms.expect_none("StopTransaction", for_s=0.4)
        else:
            started = await csms.expect("TransactionEvent", event_type="Started")
            tx_id = started["transactionInfo"]["transactionId"]
            (await csms.call("RequestStopTransaction", transaction_id=tx_id)).must(
                status="Accepted"
            )
            await csms.expect_none("TransactionEvent", for_s=0.4, event_type="Ended")
        assert len(station.transactions) == 1


async def test_fault_availability_no_status() -> None:
    async with station_up("2.0.1", faults=frozenset({"availability-no-status"})) as (csms, _):
        change = await csms.call(
            "ChangeAvailability", operational_status="Inoperative", evse={"id": 1}
        )
        change.must(status="Accepted")
        await csms.expect_none("StatusNotification", for_s=0.4)


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
async def test_fault_datatransfer_accepts_unknown_vendor(version: str) -> None:
    faults = frozenset({"datatransfer-accepts-unknown-vendor"})
    async with station_up(version, faults=faults) as (csms, _station):
        result = await csms.call("DataTransfer", vendor_id="org.example.unknown")
        result.must(status=one_of("Accepted"))


async def test_unknown_fault_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        ReferenceStation(
            version="2.0.1", csms_url="ws://127.0.0.1:1", identity="X", faults=frozenset({"nope"})
        )
