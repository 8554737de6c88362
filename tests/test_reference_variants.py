"""The legal variants of the reference SUTs: the registry and CLI list them, and each variant
really changes the reference SUT's behaviour the way it says (driven by the harness's own peers).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from harness.config import builtin_profile_names
from harness.peers import StationPeer
from harness.peers.csms import CsmsPeer
from harness.reference.csms import ReferenceCsms
from harness.reference.station import ReferenceStation
from harness.reference.variants import (
    SLOW_SHARE,
    VARIANTS,
    Seeded,
    UnknownVariant,
    profile_name,
    select_variants,
)
from harness.transport.client import open_link
from harness.verdicts import SutFailure

ROOT = Path(__file__).resolve().parents[1]
ALL = ("1.6", "2.0.1", "2.1")
V2 = ("2.0.1", "2.1")
TOKEN = "VALID001"
pytest_plugins = ["pytester"]
TX_START = {"component": {"name": "TxCtrlr"}, "variable": {"name": "TxStartPoint"}}


# -- the registry and the CLI --------------------------------------------------------------------
def test_every_variant_names_builtin_suts_a_change_and_a_rule() -> None:
    builtin = set(builtin_profile_names())
    for variant in VARIANTS.values():
        assert variant.suts, variant.name
        assert set(variant.suts) <= builtin, variant.name
        assert variant.changes, variant.name
        assert variant.rule, variant.name


def test_select_variants_validates_name_and_sut() -> None:
    assert select_variants(["trigger-rejected"], "reference-station", "1.6") == {"trigger-rejected"}
    with pytest.raises(UnknownVariant, match="Did you mean trigger-rejected"):
        select_variants(["trigger-rejectd"], "reference-station", "1.6")
    with pytest.raises(UnknownVariant, match="does not apply to reference-station-v201"):
        select_variants(["two-calls-back-to-back"], "reference-station", "2.0.1")
    assert profile_name("reference-csms", "2.0.1") == "reference-csms-v201"


def test_cli_lists_the_variants_as_json_and_text() -> None:
    def cli(*args: str) -> str:
        proc = subprocess.run(
            [sys.executable, "-m", "harness.cli", "variants", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return proc.stdout

    listed = json.loads(cli("--format", "json"))
    assert {v["name"] for v in listed} == set(VARIANTS)
    assert all({"name", "suts", "changes", "rule"} <= set(v) for v in listed)
    assert all(set(v) <= {"name", "suts", "changes", "rule", "cases"} for v in listed)
    scoped = {v["name"]: v["cases"] for v in listed if "cases" in v}
    assert scoped == {n: list(v.cases) for n, v in VARIANTS.items() if v.cases}
    text = cli()
    assert all(name in text for name in VARIANTS)
    assert "rule:" in text


def test_plugin_rejects_a_variant_for_the_wrong_sut(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess(
        "--ocpp-sut", "reference-station-v201", "--ocpp-variant", "boot-pending-first"
    )
    result.stderr.fnmatch_lines(["*variant 'boot-pending-first' does not apply*"])
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def test_ini_key_seeds_a_variant(pytester: pytest.Pytester) -> None:
    """``ocpp_variants`` in the ini file is the twin of ``--ocpp-variant`` (validated alike)."""
    pytester.makeini("[pytest]\nocpp_variants = trigger-rejectd\n")
    result = pytester.runpytest_subprocess("--ocpp-sut", "reference-station-v16")
    result.stderr.fnmatch_lines(["*unknown variant 'trigger-rejectd'*"])
    assert result.ret == pytest.ExitCode.USAGE_ERROR


# -- the reference station -----------------------------------------------------------------------
@contextlib.asynccontextmanager
async def station_up(
    version: str, *names: str, response_s: float = 2.0, interval: int = 300
) -> AsyncIterator[tuple[CsmsPeer, ReferenceStation]]:
    """A CsmsPeer and a reference station with ``names`` seeded, booted and its status sent."""
    csms = CsmsPeer(version, host="127.0.0.1", port=0, response_s=2, action_s=3)
    await csms.start()
    csms.begin_case("variant self-test")
    station = ReferenceStation(
        version=version,
        csms_url=csms.url,
        identity="REF-VARIANT",
        variants=Seeded(frozenset(names), response_s),
        reconnect_s=0.05,
    )
    try:
        await station.start()
        boot = await csms.expect("BootNotification")
        await boot.reply(status="Accepted", interval=interval)
        assert await station.wait_ready(5)
        yield csms, station
    finally:
        await station.stop()
        await csms.stop()


@pytest.mark.parametrize("version", ALL)
async def test_trigger_rejected(version: str) -> None:
    """F06.FR.05 / 1.6 §5.17: the station may refuse to send a triggered message (2.x: not a
    Heartbeat, which OCA TC_F_20 asks of every station)."""
    async with station_up(version, "trigger-rejected") as (csms, _):
        result = await csms.call("TriggerMessage", requested_message="MeterValues")
        result.must(status="Rejected")
        await csms.expect_none("MeterValues", for_s=0.3)


@pytest.mark.parametrize("version", ALL)
async def test_close_1011_on_binary(version: str) -> None:
    """RFC 6455 §7.4.1: a binary message ends the connection with 1011, not an answer."""
    async with station_up(version, "close-1011") as (csms, _):
        link = await csms.wait_connected()
        await csms.send_raw(b'[2,"bin-1","Heartbeat",{}]')
        async with asyncio.timeout(3):
            await link.closed.wait()
        received = link.ws.protocol.close_rcvd
        assert received is not None
        assert received.code == 1011


async def test_slow_answers_take_most_of_the_response_time() -> None:
    """Part 4 §4.1.1: an answer within the declared response time is in time, however late."""
    async with station_up("2.0.1", "slow-answers", response_s=0.5) as (csms, _):
        t0 = time.monotonic()
        (await csms.call("GetVariables", get_variable_data=[TX_START])).must()
        assert SLOW_SHARE * 0.5 <= time.monotonic() - t0 < 2.0


async def test_optional_variables_absent() -> None:
    """Part 2 Appendix 3: HeartbeatInterval is not required; absent, it is UnknownVariable."""
    heartbeat = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}}
    async with station_up("2.0.1", "optional-variables-absent") as (csms, _):
        result = await csms.call("GetVariables", get_variable_data=[heartbeat, TX_START])
        statuses = [r["attributeStatus"] for r in result.must()["getVariableResult"]]
        assert statuses == ["UnknownVariable", "Accepted"]


@pytest.mark.parametrize(
    ("name", "point"),
    [("tx-start-powerpathclosed", "PowerPathClosed"), ("tx-start-authorized", "Authorized")],
)
@pytest.mark.parametrize("version", V2)
async def test_tx_start_point(version: str, name: str, point: str) -> None:
    """E01: with TxStartPoint PowerPathClosed/Authorized plugging in starts nothing; the
    authorization does."""
    async with station_up(version, name) as (csms, station):
        result = await csms.call("GetVariables", get_variable_data=[TX_START])
        assert result.must()["getVariableResult"][0]["attributeValue"] == point
        await station.plug_in(1, 1)
        await csms.expect("StatusNotification", evse_id=1, connector_status="Occupied")
        await csms.expect_none("TransactionEvent", for_s=0.4)
        await station.present_token(TOKEN, 1)
        await csms.expect("Authorize")
        started = await csms.expect("TransactionEvent", event_type="Started")
        assert started["evse"] == {"id": 1, "connectorId": 1}


@pytest.mark.parametrize("version", V2)
async def test_tx_stop_evconnected(version: str) -> None:
    """E06.FR.02, F03.FR.02: with TxStopPoint EVConnected a remote stop only stops the energy
    offer (Updated RemoteStop); unplugging ends the transaction."""
    async with station_up(version, "tx-stop-evconnected") as (csms, station):
        await station.plug_in(1, 1)
        started = await csms.expect("TransactionEvent", event_type="Started")
        await station.present_token(TOKEN, 1)
        await csms.expect("TransactionEvent", trigger_reason="Authorized")
        tx_id = started["transactionInfo"]["transactionId"]
        (await csms.call("RequestStopTransaction", transaction_id=tx_id)).must(status="Accepted")
        await csms.expect("TransactionEvent", event_type="Updated", trigger_reason="RemoteStop")
        await csms.expect_none("TransactionEvent", for_s=0.3, event_type="Ended")
        await station.unplug(1, 1)
        await csms.expect(
            "TransactionEvent", event_type="Ended", trigger_reason="EVCommunicationLost"
        )


@pytest.mark.parametrize("version", V2)
async def test_status_via_notify_event(version: str) -> None:
    """G01.FR.03: plugging in is reported with a NotifyEvent of the Connector's
    AvailabilityState (trigger Delta) instead of a StatusNotification."""
    async with station_up(version, "status-via-notifyevent") as (csms, station):
        await station.plug_in(1, 1)
        event = await csms.expect("NotifyEvent", event_data=_occupied)
        (data,) = event["eventData"]
        assert data["component"] == {"name": "Connector", "evse": {"id": 1, "connectorId": 1}}
        assert (data["variable"]["name"], data["actualValue"], data["trigger"]) == (
            "AvailabilityState",
            "Occupied",
            "Delta",
        )
        await csms.expect_none("StatusNotification", for_s=0.3, connector_status="Occupied")


def _occupied(data: Any) -> bool:
    return bool(data[0]["actualValue"] == "Occupied")


async def test_status_via_notify_event_after_boot_in_21_only() -> None:
    """2.1 B01.FR.05: after a boot the connectors come as NotifyEvent (2.0.1: StatusNotification,
    which ``station_up`` already waited for)."""
    async with station_up("2.1", "status-via-notifyevent") as (csms, _):
        await csms.expect("NotifyEvent")
        with pytest.raises(SutFailure):
            await csms.expect("StatusNotification", within_s=0.2)


async def test_two_calls_back_to_back() -> None:
    """OCPP-J 1.6 §4.1.1 (SHOULD NOT): the second CALL goes out before the first is answered."""
    async with station_up("1.6", "two-calls-back-to-back") as (csms, station):
        csms.tolerate_violations = True
        csms.hold("StatusNotification")
        await station.plug_in(1, 1)
        await station.plug_in(2, 1)
        first = await csms.expect("StatusNotification", connector_id=1, status="Preparing")
        second = await csms.expect("StatusNotification", connector_id=2, status="Preparing")
        await first.reply()
        await second.reply()


@pytest.mark.parametrize("version", ALL)
async def test_unavailable_before_reboot(version: str) -> None:
    """B11 / 1.6 §5.14: before it goes down for a reboot the station may report its connectors
    Unavailable; then it boots again."""
    async with station_up(version, "unavailable-before-reboot") as (csms, station):
        csms.hold("BootNotification")
        await station.reboot()
        key = "status" if version == "1.6" else "connector_status"
        await csms.expect("StatusNotification", within_s=3, **{key: "Unavailable"})
        boot = await csms.expect("BootNotification", within_s=5)
        await boot.reply(status="Accepted", interval=300)


@pytest.mark.parametrize("version", ALL)
async def test_heartbeat_reset_on_traffic(version: str) -> None:
    """G02.FR.05 / 1.6 §4.6: no Heartbeat while other messages keep flowing; one after."""
    async with station_up(version, "heartbeat-reset-on-traffic", interval=1) as (csms, station):

        async def traffic() -> None:
            for n in range(6):
                await asyncio.sleep(0.35)
                await (station.plug_in(1, 1) if n % 2 == 0 else station.unplug(1, 1))

        busy = asyncio.ensure_future(traffic())
        await csms.expect_none("Heartbeat", for_s=2.0)
        await busy
        await csms.expect("Heartbeat", within_s=2)


@pytest.mark.parametrize("version", ALL)
async def test_authorize_remote_start(version: str) -> None:
    """F01.FR.01 / 1.6 §5.11: a remote start's token is authorized before the start."""
    async with station_up(version, "authorize-remote-start") as (csms, station):
        await station.plug_in(1, 1)
        if version == "1.6":
            await csms.call("RemoteStartTransaction", id_tag=TOKEN, connector_id=1)
        else:
            token = {"idToken": TOKEN, "type": "ISO14443"}
            await csms.call("RequestStartTransaction", id_token=token, remote_start_id=7)
        await csms.expect("Authorize")


@pytest.mark.parametrize("version", ALL)
async def test_local_pre_authorize(version: str) -> None:
    """C12 / 1.6 §3.5.1: a token the CSMS accepted once starts the next time without Authorize."""
    async with station_up(version, "local-pre-authorize") as (csms, station):
        await station.present_token(TOKEN, 1)
        await csms.expect("Authorize")
        assert await station.wait_ready(2)  # the answer has been processed: the token is cached
        assert TOKEN in station.auth_cache
        await station.plug_in(2, 1)
        await station.present_token(TOKEN, 2)
        await csms.expect_none("Authorize", for_s=0.5)
        if version == "1.6":
            await csms.expect("StartTransaction", connector_id=2, id_tag=TOKEN)
        else:
            await csms.expect("TransactionEvent", event_type="Updated", id_token={"idToken": TOKEN})


async def test_ev_disconnect_keeps_transaction() -> None:
    """1.6 §4.10/§4.9: with StopTransactionOnEVSideDisconnect false an unplug suspends."""
    async with station_up("1.6", "ev-disconnect-keeps-transaction") as (csms, station):
        await station.plug_in(1, 1)
        await station.present_token(TOKEN, 1)
        await csms.expect("StartTransaction")
        await station.unplug(1, 1)
        await csms.expect("StatusNotification", connector_id=1, status="SuspendedEV")
        await csms.expect_none("StopTransaction", for_s=0.3)


@pytest.mark.parametrize("version", ALL)
async def test_periodic_meter_values(version: str) -> None:
    """E02/J02 TxUpdatedInterval, 1.6 §4.7 MeterValueSampleInterval: samples every second."""
    async with station_up(version, "periodic-meter-values") as (csms, station):
        await station.plug_in(1, 1)
        await station.present_token(TOKEN, 1)
        if version == "1.6":
            await csms.expect("MeterValues", within_s=2.5)
        else:
            await csms.expect("TransactionEvent", trigger_reason="MeterValuePeriodic", within_s=2.5)


# -- the reference CSMS --------------------------------------------------------------------------
@contextlib.asynccontextmanager
async def csms_up(version: str, *names: str) -> AsyncIterator[StationPeer]:
    csms = ReferenceCsms(version=version, variants=Seeded(frozenset(names), 2.0))
    await csms.start()
    peer = StationPeer(version, url=csms.url, identity="CS1", response_s=2, action_s=3)
    peer.begin_case("variant self-test")
    try:
        yield peer
    finally:
        await peer.stop()
        await csms.stop()


@pytest.mark.parametrize("version", ALL)
async def test_boot_pending_first(version: str) -> None:
    """B02 / 1.6 §4.2: the first BootNotification is Pending with a short interval."""
    async with csms_up(version, "boot-pending-first") as peer:
        await peer.connect()
        (await peer.boot()).must(status="Pending", interval=1)
        (await peer.boot()).must(status="Accepted")


@pytest.mark.parametrize("version", ALL)
async def test_csms_endpoint_trailing_slash(version: str) -> None:
    """Part 4 §3.1.1: the endpoint ends with "/"; /ocpp/<id> connects, /ocpp//<id> is closed."""
    csms = ReferenceCsms(version=version, variants=Seeded(frozenset({"endpoint-trailing-slash"})))
    await csms.start()
    try:
        assert csms.url.endswith("/ocpp/")
        peer = StationPeer(version, url=csms.url, identity="CS1", response_s=2, action_s=3)
        peer.begin_case("variant self-test")
        try:
            await peer.connect()
            (await peer.boot()).must(status="Accepted")
        finally:
            await peer.stop()
        subprotocol = {"1.6": "ocpp1.6", "2.0.1": "ocpp2.0.1", "2.1": "ocpp2.1"}[version]
        link = await open_link(
            csms.url + "/CS2", identity="CS2", subprotocols=[subprotocol], timeout=3
        )
        reader = asyncio.ensure_future(link.run())
        async with asyncio.timeout(3):
            await link.closed.wait()
        await reader
        received = link.ws.protocol.close_rcvd
        assert received is not None
        assert received.code == 1008
    finally:
        await csms.stop()


async def test_csms_two_calls_back_to_back() -> None:
    """OCPP-J 1.6 §4.1.1 (SHOULD NOT): two GetConfiguration CALLs open at once after the boot."""
    async with csms_up("1.6", "two-calls-back-to-back") as peer:
        peer.tolerate_violations = True
        peer.hold("GetConfiguration")
        await peer.connect()
        (await peer.boot()).must(status="Accepted")
        first = await peer.expect("GetConfiguration", within_s=1)
        second = await peer.expect("GetConfiguration", within_s=1)
        await first.reply(configuration_key=[])
        await second.reply(configuration_key=[])


@pytest.mark.parametrize("version", ALL)
async def test_csms_close_1011_on_binary(version: str) -> None:
    async with csms_up(version, "close-1011") as peer:
        link = await peer.connect()
        await peer.send_raw(b'[2,"bin-1","Heartbeat",{}]')
        async with asyncio.timeout(3):
            await link.closed.wait()
        received = link.ws.protocol.close_rcvd
        assert received is not None
        assert received.code == 1011


async def test_csms_slow_answers() -> None:
    async with csms_up("2.0.1", "slow-answers") as peer:
        await peer.connect()
        t0 = time.monotonic()
        (await peer.boot()).must(status="Accepted")
        assert time.monotonic() - t0 >= SLOW_SHARE * 2.0
