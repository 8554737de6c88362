"""The reference CSMS, driven by the harness's own StationPeer: correct OCPP, and each fault bites."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pytest

from harness.ocppj.errors import ErrorKind
from harness.peers import StationPeer, present
from harness.peers.exchange import CallOutcome
from harness.reference.csms import (
    CommandFailed,
    CommandTimeout,
    ReferenceCsms,
    StationNotConnected,
)
from harness.reference.csms import server as csms_server
from harness.reference.csms.handlers_common import rfc3339
from harness.transport import ConnectFailed, Link

VERSIONS = ("1.6", "2.0.1", "2.1")
V2 = ("2.0.1", "2.1")
OWN = {"1.6": "ocpp1.6", "2.0.1": "ocpp2.0.1", "2.1": "ocpp2.1"}
PASSWORD = "correct-horse-battery-staple"
T = TypeVar("T")


@contextlib.asynccontextmanager
async def csms_and_station(
    version: str, *, password: str | None = None, **options: Any
) -> AsyncIterator[tuple[ReferenceCsms, StationPeer]]:
    """A started reference CSMS and an unconnected harness station "CS1" pointed at it."""
    csms = ReferenceCsms(version=version, **options)
    await csms.start()
    peer = StationPeer(
        version, url=csms.url, identity="CS1", response_s=2, action_s=3, password=password
    )
    peer.begin_case("reference-csms")
    try:
        yield csms, peer
    finally:
        await peer.stop()
        await csms.stop()
    assert csms.internal_errors == []


async def booted(peer: StationPeer) -> None:
    await peer.connect()
    (await peer.boot()).must(status="Accepted")


async def command(peer: StationPeer, action: str, operation: Awaitable[T], **subset: Any) -> T:
    """Run an operator command, require the station to receive ``action`` with ``subset``."""
    task = asyncio.ensure_future(operation)
    try:
        await peer.expect(action, **subset)
    except BaseException:
        with contextlib.suppress(Exception):
            await task  # finish the command, keep the expectation's failure
        raise
    return await task


async def authorize(peer: StationPeer, token: str) -> str:
    if peer.version == "1.6":
        return str((await peer.call("Authorize", id_tag=token)).must()["idTagInfo"]["status"])
    outcome = await peer.call("Authorize", id_token={"idToken": token, "type": "ISO14443"})
    return str(outcome.must()["idTokenInfo"]["status"])


def stamp(offset_s: int = 0) -> str:
    return rfc3339(datetime.now(UTC) + timedelta(seconds=offset_s))


def energy(wh: float, context: str, offset_s: int, unit: str = "Wh") -> list[dict[str, Any]]:
    sample = {"value": wh, "context": context, "unitOfMeasure": {"unit": unit}}
    return [{"timestamp": stamp(offset_s), "sampledValue": [sample]}]


async def tx_event(
    peer: StationPeer, event: str, seq_no: int, tx: str, **fields: Any
) -> CallOutcome:
    reason = {"Started": "Authorized", "Updated": "MeterValuePeriodic", "Ended": "StopAuthorized"}
    info = {"transactionId": tx, **fields.pop("info", {})}
    return await peer.call(
        "TransactionEvent",
        event_type=event,
        timestamp=stamp(),
        trigger_reason=reason[event],
        seq_no=seq_no,
        transaction_info=info,
        evse={"id": 1, "connectorId": 1},
        **fields,
    )


def token(value: str = "VALID001") -> dict[str, str]:
    return {"idToken": value, "type": "ISO14443"}


async def start_transaction(peer: StationPeer, id_tag: str = "VALID001") -> CallOutcome:
    """A transaction start in the version's own terms (1.6 StartTransaction, 2.x Started)."""
    if peer.version == "1.6":
        return await peer.call(
            "StartTransaction", connector_id=1, id_tag=id_tag, meter_start=1000, timestamp=stamp()
        )
    meter = energy(1000, "Transaction.Begin", 0)
    return await tx_event(peer, "Started", 0, "TX1", id_token=token(id_tag), meter_value=meter)


# -- boot, heartbeat, gating ---------------------------------------------------------------------
@pytest.mark.asyncio
@pytest.mark.parametrize("version", VERSIONS)
async def test_boot_accepted_and_heartbeat(version: str) -> None:
    async with csms_and_station(version, heartbeat_interval=42) as (csms, peer):
        await peer.connect()
        boot = (await peer.boot()).must(status="Accepted", interval=42)
        clock = datetime.fromisoformat(boot["currentTime"].replace("Z", "+00:00"))
        assert boot["currentTime"].endswith("Z")
        assert abs((datetime.now(UTC) - clock).total_seconds()) < 60
        beat = (await peer.call("Heartbeat")).must(current_time=present)
        assert beat["currentTime"].endswith("Z")
        record = csms.stations["CS1"]
        assert record.boot_status == "Accepted"
        assert record.last_heartbeat is not None
        assert record.subprotocol == OWN[version]


@pytest.mark.asyncio
@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("policy", ["Pending", "Rejected"])
async def test_messages_before_acceptance_get_security_error(version: str, policy: str) -> None:
    """B01.FR.10 / B02.FR.09 / B03.FR.07 (TC_B_30_CSMS): only BootNotification until Accepted."""
    async with csms_and_station(version, boot_status=policy) as (csms, peer):
        await peer.connect()
        (await peer.boot()).must(status=policy, interval=60)
        (await peer.call("Heartbeat")).must_error(ErrorKind.SECURITY_ERROR)
        csms.boot_status = "Accepted"
        (await peer.boot()).must(status="Accepted")
        (await peer.call("Heartbeat")).must()


@pytest.mark.asyncio
@pytest.mark.parametrize("version", VERSIONS)
async def test_pending_station_may_send_what_the_csms_triggered(version: str) -> None:
    """B02: a message the CSMS triggered is processed while Pending, once."""
    async with csms_and_station(version, boot_status="Pending") as (csms, peer):
        await peer.connect()
        (await peer.boot()).must(status="Pending")
        await command(peer, "TriggerMessage", csms.trigger("CS1", "Heartbeat"))
        (await peer.call("Heartbeat")).must(current_time=present)
        (await peer.call("Heartbeat")).must_error(ErrorKind.SECURITY_ERROR)


@pytest.mark.asyncio
@pytest.mark.parametrize("version", VERSIONS)
async def test_reconnect_keeps_acceptance_and_replaces_old_connection(version: str) -> None:
    async with csms_and_station(version) as (csms, peer):
        await booted(peer)
        other = StationPeer(version, url=csms.url, identity="CS1", response_s=2, action_s=3)
        try:
            await other.connect()
            old = peer.link
            assert old is not None
            async with asyncio.timeout(3):
                await old.closed.wait()
            (await other.call("Heartbeat")).must(current_time=present)
            assert csms.is_connected("CS1")
            assert csms.stations["CS1"].connections == 2
        finally:
            await other.stop()


# -- connection: Basic auth and subprotocols -------------------------------------------------------
@pytest.mark.asyncio
@pytest.mark.parametrize("version", VERSIONS)
async def test_basic_auth(version: str) -> None:
    """TC_A_01/02/03_CSMS: username must be the identity and the password must match."""
    passwords = {"CS1": PASSWORD, "CS2": "another-station-password"}
    async with csms_and_station(version, password=PASSWORD, passwords=passwords) as (_, peer):
        await booted(peer)
        for attempt in (
            {"username": "CS2"},
            {"password": "not-the-password"},
            {"use_auth": False},
            {"identity": "CS9"},
        ):
            refused = await peer.try_connect(**attempt)
            assert isinstance(refused, ConnectFailed), attempt
            assert refused.status == 401, attempt


@pytest.mark.asyncio
@pytest.mark.parametrize("version", VERSIONS)
async def test_subprotocol_selection(version: str) -> None:
    """TC_B_58_CSMS / TC_088_CSMS: the supported subprotocol is selected among several."""
    async with csms_and_station(version) as (_, peer):
        offered = ["ocpp0.9", *[p for p in OWN.values() if p != OWN[version]], OWN[version]]
        link = await peer.try_connect(subprotocols=offered)
        assert isinstance(link, Link)
        assert link.subprotocol == OWN[version]
        (await peer.boot()).must(status="Accepted")
        refused = await peer.try_connect(subprotocols=["ocpp0.9"])
        assert isinstance(refused, ConnectFailed)
        assert refused.status == 400


# -- authorization and transactions ---------------------------------------------------------------
@pytest.mark.asyncio
@pytest.mark.parametrize("version", VERSIONS)
async def test_authorize(version: str) -> None:
    """1.6 §4.1 / C01 (TC_C_02_CSMS): valid tokens accepted (case-insensitively), others not."""
    async with csms_and_station(version, valid_tokens=("VALID001", "VALID002")) as (_, peer):
        await booted(peer)
        assert await authorize(peer, "VALID002") == "Accepted"
        assert await authorize(peer, "valid001") == "Accepted"
        assert await authorize(peer, "NOPE0001") == ("Invalid" if version == "1.6" else "Unknown")


@pytest.mark.asyncio
async def test_v16_transaction_records_energy() -> None:
    async with csms_and_station("1.6") as (csms, peer):
        await booted(peer)
        first = (await start_transaction(peer)).must(id_tag_info={"status": "Accepted"})
        second = (await start_transaction(peer, "NOPE0001")).must(id_tag_info={"status": "Invalid"})
        assert (first["transactionId"], second["transactionId"]) == (1, 2)
        stop = await peer.call(
            "StopTransaction",
            transaction_id=1,
            meter_stop=4500,
            timestamp=stamp(),
            id_tag="VALID001",
        )
        stop.must(id_tag_info={"status": "Accepted"})
        assert (
            await peer.call("StopTransaction", transaction_id=2, meter_stop=1000, timestamp=stamp())
        ).must().payload == {}
        record = csms.transactions[1]
        assert (record.status, record.token, record.energy_wh) == ("Ended", "VALID001", 3500)


@pytest.mark.asyncio
@pytest.mark.parametrize("version", V2)
async def test_v2_transaction_records_energy_and_accepts_seqno_reset(version: str) -> None:
    """E01-E07 with energy from the register; TC_E_53_CSMS: the next transaction restarts at 0."""
    async with csms_and_station(version) as (csms, peer):
        await booted(peer)
        (await start_transaction(peer)).must(id_token_info={"status": "Accepted"})
        updated = await tx_event(
            peer, "Updated", 1, "TX1", meter_value=energy(2.5, "Sample.Periodic", 60, "kWh")
        )
        assert updated.must().payload == {}
        end = energy(4500, "Transaction.End", 120)
        ended = await tx_event(
            peer, "Ended", 2, "TX1", meter_value=end, info={"stoppedReason": "Local"}
        )
        assert ended.must().payload == {}
        record = csms.transactions["TX1"]
        assert (record.status, record.token, record.seq_nos) == ("Ended", "VALID001", [0, 1, 2])
        assert record.energy_wh == 3500
        (await tx_event(peer, "Started", 0, "TX2", id_token=token("NOPE0001"))).must(
            id_token_info={"status": "Unknown"}
        )
        assert csms.transactions["TX2"].seq_nos == [0]


@pytest.mark.asyncio
@pytest.mark.parametrize("version", VERSIONS)
async def test_notifications_data_transfer_and_unsupported(version: str) -> None:
    async with csms_and_station(version) as (csms, peer):
        await booted(peer)
        if version == "1.6":
            await peer.call(
                "StatusNotification", connector_id=1, error_code="NoError", status="Available"
            )
            (await peer.call("Reset", type="Hard")).must_error(ErrorKind.NOT_SUPPORTED)
        else:
            await peer.call(
                "StatusNotification",
                timestamp=stamp(),
                connector_status="Available",
                evse_id=1,
                connector_id=1,
            )
            (await peer.call("Reset", type="Immediate")).must_error(ErrorKind.NOT_SUPPORTED)
        assert csms.stations["CS1"].connectors == {(1, 1): "Available"}
        (await peer.call("DataTransfer", vendor_id="acme")).must(status="UnknownVendorId")
        (
            await peer.call(
                "SecurityEventNotification", type="StartupOfTheDevice", timestamp=stamp()
            )
        ).must()
        (await peer.call("FooBar", validate=False)).must_error(ErrorKind.NOT_IMPLEMENTED)


# -- operator commands ------------------------------------------------------------------------------
Operation = Callable[[ReferenceCsms], Awaitable[dict[str, Any]]]
SETTING = {
    "attributeValue": "30",
    "component": {"name": "OCPPCommCtrlr"},
    "variable": {"name": "HeartbeatInterval"},
}
#: version family -> (operator action, CALL the station must receive, with these fields)
COMMANDS: dict[str, list[tuple[Operation, str, dict[str, Any]]]] = {
    "1.6": [
        (
            lambda c: c.remote_start("CS1", "VALID001", 2),
            "RemoteStartTransaction",
            {"id_tag": "VALID001", "connector_id": 2},
        ),
        (lambda c: c.remote_stop("CS1", 7), "RemoteStopTransaction", {"transaction_id": 7}),
        (
            lambda c: c.change_availability("CS1", 1, False),
            "ChangeAvailability",
            {"connector_id": 1, "type": "Inoperative"},
        ),
        (
            lambda c: c.change_setting("CS1", "HeartbeatInterval", "30"),
            "ChangeConfiguration",
            {"key": "HeartbeatInterval", "value": "30"},
        ),
        (lambda c: c.reset("CS1"), "Reset", {"type": "Hard"}),
        (lambda c: c.reset("CS1", "OnIdle"), "Reset", {"type": "Soft"}),
        (
            lambda c: c.trigger("CS1", "StatusNotification"),
            "TriggerMessage",
            {"requested_message": "StatusNotification"},
        ),
    ],
    "2.x": [
        (
            lambda c: c.remote_start("CS1", "VALID001", 2),
            "RequestStartTransaction",
            {"id_token": token(), "evse_id": 2, "remote_start_id": present},
        ),
        (
            lambda c: c.remote_stop("CS1", "TX1"),
            "RequestStopTransaction",
            {"transaction_id": "TX1"},
        ),
        (
            lambda c: c.change_availability("CS1", 1, False),
            "ChangeAvailability",
            {"operational_status": "Inoperative", "evse": {"id": 1}},
        ),
        (
            lambda c: c.change_setting("CS1", "OCPPCommCtrlr.HeartbeatInterval", "30"),
            "SetVariables",
            {"set_variable_data": [SETTING]},
        ),
        (lambda c: c.reset("CS1"), "Reset", {"type": "Immediate"}),
        (
            lambda c: c.trigger("CS1", "StatusNotification"),
            "TriggerMessage",
            {"requested_message": "StatusNotification"},
        ),
    ],
}


@pytest.mark.asyncio
@pytest.mark.parametrize("version", VERSIONS)
async def test_operator_commands_reach_the_station(version: str) -> None:
    """1.6 §5 / 2.x B05, B11, F01-F03, F06, G03: each command arrives as the right CALL."""
    async with csms_and_station(version) as (csms, peer):
        await booted(peer)
        for operation, action, fields in COMMANDS["1.6" if version == "1.6" else "2.x"]:
            response = await command(peer, action, operation(csms), **fields)
            assert response.get("status") == "Accepted" or "setVariableResult" in response


@pytest.mark.asyncio
async def test_command_errors_are_clear(monkeypatch: pytest.MonkeyPatch) -> None:
    async with csms_and_station("2.0.1") as (csms, peer):
        with pytest.raises(StationNotConnected):
            await csms.reset("CS1")
        await booted(peer)
        peer.hold("Reset")
        task = asyncio.ensure_future(csms.reset("CS1"))
        await (await peer.expect("Reset")).reply_error(ErrorKind.NOT_SUPPORTED, "no")
        with pytest.raises(CommandFailed) as failed:
            await task
        assert failed.value.code == "NotSupported"
        monkeypatch.setattr(csms_server, "COMMAND_TIMEOUT_S", 0.3)
        with pytest.raises(CommandTimeout):
            await csms.reset("CS1")


# -- faults: each changes one behaviour -------------------------------------------------------------
@pytest.mark.asyncio
@pytest.mark.parametrize("version", VERSIONS)
async def test_fault_boot_rejects(version: str) -> None:
    async with csms_and_station(version, faults=frozenset({"csms-boot-rejects"})) as (_, peer):
        await peer.connect()
        (await peer.boot()).must(status="Rejected")


@pytest.mark.asyncio
@pytest.mark.parametrize("version", VERSIONS)
async def test_fault_boot_stale_time(version: str) -> None:
    async with csms_and_station(version, faults=frozenset({"csms-boot-stale-time"})) as (_, peer):
        await peer.connect()
        for outcome in (await peer.boot(), await peer.call("Heartbeat")):
            sent = datetime.fromisoformat(outcome.must()["currentTime"].replace("Z", "+00:00"))
            assert abs((datetime.now(UTC) - sent).total_seconds() - 3600) < 60


@pytest.mark.asyncio
@pytest.mark.parametrize("version", V2)
async def test_fault_subprotocol_first_offered(version: str) -> None:
    fault = frozenset({"csms-subprotocol-first-offered"})
    async with csms_and_station(version, faults=fault) as (_, peer):
        wrong = await peer.try_connect(subprotocols=["ocpp0.9", OWN[version]])
        assert isinstance(wrong, ConnectFailed)
        assert "'ocpp0.9'" in str(wrong)
        other = await peer.try_connect(subprotocols=["ocpp1.6", OWN[version]])
        assert isinstance(other, Link)
        assert other.subprotocol == "ocpp1.6"


@pytest.mark.asyncio
@pytest.mark.parametrize("version", V2)
@pytest.mark.parametrize(
    ("fault", "attempt", "accepted"),
    [
        ("csms-auth-rejects-all", {}, False),
        ("csms-auth-ignores-username", {"username": "CS2"}, True),
        ("csms-auth-accepts-any-password", {"password": "not-the-password"}, True),
    ],
)
async def test_fault_basic_auth(
    version: str, fault: str, attempt: dict[str, Any], accepted: bool
) -> None:
    passwords = {"CS1": PASSWORD}
    async with csms_and_station(
        version, password=PASSWORD, passwords=passwords, faults=frozenset({fault})
    ) as (_, peer):
        result = await peer.try_connect(**attempt)
        assert isinstance(result, Link) is accepted, result


@pytest.mark.asyncio
@pytest.mark.parametrize("version", VERSIONS)
async def test_fault_accepts_unknown_token(version: str) -> None:
    async with csms_and_station(version, faults=frozenset({"csms-accepts-unknown-token"})) as (
        _,
        peer,
    ):
        await booted(peer)
        assert await authorize(peer, "NOPE0001") == "Accepted"


@pytest.mark.asyncio
@pytest.mark.parametrize("version", VERSIONS)
async def test_fault_tx_rejects_valid_token(version: str) -> None:
    async with csms_and_station(version, faults=frozenset({"csms-tx-rejects-valid-token"})) as (
        _,
        peer,
    ):
        await booted(peer)
        assert await authorize(peer, "VALID001") == "Accepted"
        info = "idTagInfo" if version == "1.6" else "idTokenInfo"
        assert (await start_transaction(peer)).must()[info] == {"status": "Invalid"}


@pytest.mark.asyncio
@pytest.mark.parametrize("version", VERSIONS)
async def test_fault_remote_start_wrong_token(version: str) -> None:
    async with csms_and_station(version, faults=frozenset({"csms-remote-start-wrong-token"})) as (
        csms,
        peer,
    ):
        await booted(peer)
        if version == "1.6":
            await command(
                peer,
                "RemoteStartTransaction",
                csms.remote_start("CS1", "VALID001"),
                id_tag="VALID001X",
            )
        else:
            await command(
                peer,
                "RequestStartTransaction",
                csms.remote_start("CS1", "VALID001"),
                id_token={"idToken": "VALID001X"},
            )


@pytest.mark.asyncio
@pytest.mark.parametrize("version", VERSIONS)
async def test_fault_availability_wrong_status(version: str) -> None:
    async with csms_and_station(version, faults=frozenset({"csms-availability-wrong-status"})) as (
        csms,
        peer,
    ):
        await booted(peer)
        field = "type" if version == "1.6" else "operational_status"
        await command(
            peer,
            "ChangeAvailability",
            csms.change_availability("CS1", 1, False),
            **{field: "Operative"},
        )
