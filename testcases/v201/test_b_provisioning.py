"""OCA block B (Provisioning), OCPP 2.0.1 and 2.1: booting, device model, subprotocol.

Steps and verdict criteria are written in our own words after OCPP 2.0.1 Part 6; ids and titles
are the OCA's.
"""

from __future__ import annotations

from harness import CsmsPeer, StationPeer, SutActions, oca
from harness.checks import (
    require,
    require_fields,
    require_int_text,
    require_one,
    require_recent_time,
)
from harness.config import SutProfile
from harness.transport import ConnectFailed

V2 = ("2.0.1", "2.1")
#: Heartbeat interval handed out in the boot cases, and the slack allowed on it.
INTERVAL_S = 1
SLACK_S = 1.5
#: Station-initiated requests other than BootNotification, none of which may come while Pending.
PENDING_FORBIDDEN = (
    "StatusNotification",
    "Heartbeat",
    "Authorize",
    "MeterValues",
    "NotifyEvent",
    "TransactionEvent",
)


async def _boot_connectors_available(csms: CsmsPeer, profile: SutProfile, req: str) -> None:
    for evse in profile.sut.evses:
        for connector in range(1, evse.connectors + 1):
            await csms.expect(
                "StatusNotification",
                evse_id=evse.id,
                connector_id=connector,
                connector_status="Available",
                req=req,
            )


@oca(
    "TC_B_01_CS",
    "Cold Boot Charging Station - Accepted",
    profile="core",
    versions=V2,
    kills=("boot-ignores-interval", "boot-skips-status"),
)
async def test_cold_boot_accepted(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """B01: after a power cycle the station boots, and once Accepted reports the state of every
    connector and sends Heartbeats at the interval from the BootNotificationResponse."""
    await sut.reboot()
    boot = await csms.expect(
        "BootNotification", within_s=csms.action_s, req="B01: BootNotification at boot"
    )
    await boot.reply(status="Accepted", interval=INTERVAL_S)
    await _boot_connectors_available(
        csms, sut_profile, "B01: every connector's state reported after Accepted"
    )
    await csms.expect(
        "Heartbeat", within_s=INTERVAL_S + SLACK_S, req="B01/G02: Heartbeat at the given interval"
    )
    await csms.expect(
        "Heartbeat", within_s=INTERVAL_S + SLACK_S, req="B01/G02: Heartbeat at the given interval"
    )


@oca(
    "TC_B_02_CS",
    "Cold Boot Charging Station - Pending",
    profile="core",
    versions=V2,
    kills=("pending-sends-status",),
)
async def test_cold_boot_pending(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """B02: while its boot is Pending the station sends nothing but BootNotification retries
    (no earlier than the interval); once Accepted it reports its connectors."""
    for action in PENDING_FORBIDDEN:
        csms.forbid(action, f"B02: no {action} while Pending")
    await sut.reboot()
    boot = await csms.expect(
        "BootNotification", within_s=csms.action_s, req="B02: BootNotification at boot"
    )
    await boot.reply(status="Pending", interval=INTERVAL_S)
    await csms.expect_none(
        "BootNotification",
        for_s=INTERVAL_S * 0.75,
        req="B02: no BootNotification before the interval has passed",
    )
    retry = await csms.expect(
        "BootNotification",
        within_s=INTERVAL_S + SLACK_S,
        req="B02: BootNotification retried after the interval",
    )
    csms.allow()
    await retry.reply(status="Accepted", interval=300)
    await _boot_connectors_available(csms, sut_profile, "B02: connectors reported once Accepted")


@oca(
    "TC_B_03_CS",
    "Cold Boot Charging Station - Rejected",
    profile="core",
    versions=V2,
    kills=("rejected-retries-immediately",),
)
async def test_cold_boot_rejected(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """B03: a Rejected station sends nothing and retries its BootNotification no earlier than the
    interval given."""
    csms.forbid("StatusNotification", "B03: no StatusNotification while Rejected")
    csms.forbid("Heartbeat", "B03: no Heartbeat while Rejected")
    await sut.reboot()
    boot = await csms.expect(
        "BootNotification", within_s=csms.action_s, req="B03: BootNotification at boot"
    )
    await boot.reply(status="Rejected", interval=2 * INTERVAL_S)
    await csms.expect_none(
        "BootNotification",
        for_s=2 * INTERVAL_S * 0.75,
        req="B03: no BootNotification before the interval has passed",
    )
    retry = await csms.expect(
        "BootNotification",
        within_s=2 * INTERVAL_S + SLACK_S,
        req="B03: BootNotification retried after the interval",
    )
    csms.allow()
    await retry.reply(status="Accepted", interval=300)
    await _boot_connectors_available(csms, sut_profile, "B03: connectors reported once Accepted")


@oca(
    "TC_B_06_CS",
    "Get Variables - single value",
    profile="core",
    versions=V2,
    kills=("getvariables-rejects-known",),
)
async def test_get_variables_single(csms: CsmsPeer) -> None:
    """B06: GetVariables for OCPPCommCtrlr.HeartbeatInterval (a required variable) is Accepted
    and returns the value."""
    result = await csms.call(
        "GetVariables",
        get_variable_data=[
            {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}}
        ],
        req="B06: GetVariables answered",
    )
    item = require_one(
        result.must(req="B06: GetVariables answered").get("getVariableResult"),
        req="B06: one GetVariableResult per requested variable",
        what="getVariableResult",
        frames=result.frames,
    )
    require_fields(
        item,
        attributeStatus="Accepted",
        req="B06: a known variable is Accepted",
        frames=result.frames,
    )
    require_int_text(
        item.get("attributeValue"),
        req="B06: HeartbeatInterval has an integer value",
        frames=result.frames,
    )


@oca(
    "TC_B_09_CS",
    "Set Variables - single value",
    profile="core",
    versions=V2,
    kills=("config-change-not-applied",),
)
async def test_set_variables_single(csms: CsmsPeer) -> None:
    """B05 / TC_B_09: SetVariables of a writable variable is Accepted and a following
    GetVariables returns the new value."""
    target = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}}
    before = await csms.call("GetVariables", get_variable_data=[target])
    current = require_one(
        before.must(req="B06: GetVariables answered").get("getVariableResult"),
        req="B06: one GetVariableResult per requested variable",
        what="getVariableResult",
        frames=before.frames,
    )
    original = current.get("attributeValue")
    # Set and check; then restore and check, but only when the original value could be read.
    values = ("297",) if original is None else ("297", str(original))
    for value in values:
        result = await csms.call(
            "SetVariables",
            set_variable_data=[{**target, "attributeValue": value}],
            req="B05: SetVariables answered",
        )
        item = require_one(
            result.must().get("setVariableResult"),
            req="B05: one SetVariableResult per variable set",
            what="setVariableResult",
            frames=result.frames,
        )
        require_fields(
            item, attributeStatus="Accepted", req="B05: writable variable set", frames=result.frames
        )
        read = await csms.call("GetVariables", get_variable_data=[target])
        got = require_one(
            read.must().get("getVariableResult"),
            req="B06: one GetVariableResult per requested variable",
            what="getVariableResult",
            frames=read.frames,
        )
        require_fields(
            got, attributeValue=value, req="B05: the new value is in effect", frames=read.frames
        )


@oca(
    "TC_B_01_CSMS",
    "Cold Boot Charging Station - Accepted",
    profile="core",
    versions=V2,
    kills=("csms-boot-rejects", "csms-boot-stale-time"),
    own_connection=True,
)
async def test_csms_accepts_cold_boot(station: StationPeer) -> None:
    """B01: the CSMS accepts a known station's BootNotification with its current time and a
    heartbeat interval, then answers Heartbeat and StatusNotification."""
    await station.connect(req="B01: the CSMS accepts the station's connection")
    boot = await station.boot(req="B01: BootNotification answered")
    boot.must(status="Accepted", req="B01: a known station is Accepted")
    require_recent_time(
        boot["currentTime"], req="B01: currentTime is the CSMS's current time", frames=boot.frames
    )
    interval = boot.get("interval")
    require(
        isinstance(interval, int) and interval > 0,
        req="B01: a heartbeat interval is given",
        expected="interval > 0",
        actual=repr(interval),
        frames=boot.frames,
    )
    beat = (await station.call("Heartbeat", req="G02: Heartbeat answered")).must()
    require_recent_time(
        beat["currentTime"], req="G02: Heartbeat carries the current time", frames=beat.frames
    )


@oca(
    "TC_B_58_CSMS",
    "WebSocket Subprotocol validation / negotiation",
    profile="core",
    versions=V2,
    kills=("csms-subprotocol-first-offered",),
    own_connection=True,
)
async def test_csms_selects_supported_subprotocol(station: StationPeer) -> None:
    """Part 4 §3.1.2 (errata 2025-04): offered an unsupported subprotocol first and its own
    version second, the CSMS selects its version and echoes it in Sec-WebSocket-Protocol."""
    own = {"2.0.1": "ocpp2.0.1", "2.1": "ocpp2.1"}[station.version]
    req = "Part 4 §3.1.2: the CSMS selects a subprotocol it supports"
    link = await station.try_connect(subprotocols=["ocpp0.9-unsupported", own])
    require(
        not isinstance(link, ConnectFailed),
        req=req,
        expected=f"connection with {own!r} selected",
        actual=str(link),
        frames=station.trace.render(),
    )
    assert not isinstance(link, ConnectFailed)
    require(link.subprotocol == own, req=req, expected=own, actual=repr(link.subprotocol))
    (await station.boot()).must(
        status="Accepted", req="B01: boot accepted on the negotiated connection"
    )
