"""OCPP 1.6 cold boot (test case document section 01), both roles. Steps and criteria in our own
words after the OCA 1.6 test case document; behaviour per OCPP 1.6 §4.2 (BootNotification)."""

from __future__ import annotations

import time

from harness import CsmsPeer, StationPeer, SutActions, oca
from harness.checks import require, require_recent_time, should
from harness.config import SutProfile
from harness.verdicts import SutFailure
from testcases.v16.states import connectors_available
from testcases.v201.states import boot_until_accepted

V16 = ("1.6",)
INTERVAL_S = 1
SLACK_S = 1.5
#: Retry intervals given with Rejected and Pending (long enough for the calls while Pending).
REJECTED_S = 2
PENDING_S = 3
#: The SHOULD of §4.2 on answering the Central System's requests while Pending.
PENDING_ANSWERS = "1.6 §4.2: requests answered while Pending (SHOULD)"
#: Charge point requests other than BootNotification, none of which may come while Pending.
PENDING_FORBIDDEN = (
    "StatusNotification",
    "Heartbeat",
    "Authorize",
    "MeterValues",
    "StartTransaction",
    "StopTransaction",
)


@oca(
    "TC_001_CS",
    "Cold Boot Charge Point",
    profile="core",
    versions=V16,
    kills=(
        "boot-ignores-interval",
        "boot-skips-status",
        "rejected-retries-immediately",
        "rejected-sends-status",
    ),
)
async def test_cold_boot(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """The 1.6 test case document is not public; the steps follow TC_B_01_CS / TC_B_03_CS of
    2.0.1. §4.2: after a reboot the charge point sends BootNotification. The first one is
    answered Rejected: until its interval has passed the charge point sends no OCPP message
    (§4.2 SHALL NOT), then it boots again; that one is Accepted, and it reports each connector
    Available (§4.9) and heartbeats at the interval given (§4.6). The BootNotification is held
    before the reboot, so no automatic reply answers it first."""
    csms.hold("BootNotification")
    await sut.reboot()
    boot = await csms.expect(
        "BootNotification", within_s=csms.action_s, req="1.6 §4.2: BootNotification at boot"
    )
    for action in PENDING_FORBIDDEN:
        csms.forbid(action, f"1.6 §4.2: no {action} while Rejected")
    await boot.reply(status="Rejected", interval=REJECTED_S)
    await csms.expect_none(
        "BootNotification",
        for_s=REJECTED_S * 0.75,
        req="1.6 §4.2: no BootNotification before the Rejected interval has passed",
    )
    retry = await csms.expect(
        "BootNotification",
        within_s=REJECTED_S + SLACK_S,
        req="1.6 §4.2: BootNotification again after the Rejected interval",
    )
    csms.allow()
    await retry.reply(status="Accepted", interval=INTERVAL_S)
    await connectors_available(
        csms, sut_profile, "1.6 §4.9: connectors reported Available after boot"
    )
    await csms.expect(
        "Heartbeat", within_s=INTERVAL_S + SLACK_S, req="1.6 §4.6: Heartbeat at the interval"
    )
    await csms.expect(
        "Heartbeat", within_s=INTERVAL_S + SLACK_S, req="1.6 §4.6: Heartbeat at the interval"
    )


@oca(
    "TC_002_CS",
    "Cold Boot Charge Point - Pending",
    profile="core",
    versions=V16,
    kills=("pending-sends-status", "pending-never-retries", "pending-retries-immediately"),
)
async def test_cold_boot_pending(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """The 1.6 test case document is not public; the steps follow TC_B_02_CS of 2.0.1. §4.2:
    while Pending the Central System may read and change the configuration, which the charge
    point SHOULD answer (a warning otherwise); it sends no requests of its own and retries
    BootNotification no earlier than the interval, and reports its connectors once Accepted.
    The configuration calls are a GetConfiguration of HeartbeatInterval and a
    ChangeConfiguration of it to the value read (the harness restores any change). The forbid
    window opens once Pending is answered: what it sends while going down for the reboot is not
    "while Pending"."""
    csms.hold("BootNotification")
    await sut.reboot()
    boot = await csms.expect(
        "BootNotification", within_s=csms.action_s, req="1.6 §4.2: BootNotification at boot"
    )
    for action in PENDING_FORBIDDEN:
        csms.forbid(action, f"1.6 §4.2: no {action} while Pending")
    await boot.reply(status="Pending", interval=PENDING_S)
    pending_at = time.monotonic()
    await _configure_while_pending(csms)
    retry = await csms.expect(
        "BootNotification",
        within_s=PENDING_S + SLACK_S,
        req="1.6 §4.2: BootNotification retried after the interval",
    )
    # Measured when the retry is seen (no earlier than it came): an early one cannot pass.
    waited = time.monotonic() - pending_at
    require(
        waited >= PENDING_S * 0.75,
        req="1.6 §4.2: no BootNotification before the interval has passed",
        expected=f"the next BootNotification no earlier than {PENDING_S} s after Pending",
        actual=f"after {waited:.2f} s",
        frames=retry.link.trace.render(last=12),
    )
    csms.allow()
    await retry.reply(status="Accepted", interval=300)
    await connectors_available(csms, sut_profile, "1.6 §4.9: connectors reported once Accepted")


async def _configure_while_pending(csms: CsmsPeer) -> None:
    """§4.2: GetConfiguration and ChangeConfiguration while Pending; the charge point SHOULD
    answer them (a missing or refused answer is a warning, not a failure)."""
    key = "HeartbeatInterval"
    try:
        read = await csms.call("GetConfiguration", key=[key])
        items = read.must().get("configurationKey") or []
    except SutFailure as exc:
        should(
            csms, False, req=PENDING_ANSWERS, expected="GetConfiguration answered", actual=str(exc)
        )
        return
    value = next(
        (i.get("value") for i in items if isinstance(i, dict) and i.get("key") == key), None
    )
    if value is None:
        should(csms, False, req=PENDING_ANSWERS, expected=f"{key} reported", actual=repr(items))
        return
    try:
        changed = await csms.call("ChangeConfiguration", key=key, value=str(value))
        status = changed.must().get("status")
    except SutFailure as exc:
        should(
            csms,
            False,
            req=PENDING_ANSWERS,
            expected="ChangeConfiguration answered",
            actual=str(exc),
        )
        return
    should(
        csms, status == "Accepted", req=PENDING_ANSWERS, expected="Accepted", actual=repr(status)
    )


@oca(
    "TC_001_CSMS",
    "Cold Boot Charge Point",
    profile="core",
    versions=V16,
    kills=(
        "csms-boot-rejects",
        "csms-boot-stale-time",
        "csms-boot-no-interval",
        "csms-heartbeat-stale-time",
    ),
    own_connection=True,
)
async def test_central_system_accepts_boot(station: StationPeer) -> None:
    """§4.2 / §6.4: the central system accepts a known charge point with its current time and a
    heartbeat interval, and answers StatusNotification and Heartbeat. A central system that
    first answers Pending (§4.2 allows it) is asked again after its interval, for up to the
    profile's action time."""
    await station.connect(req="the central system accepts the connection")
    boot = await boot_until_accepted(station, req="1.6 §4.2: BootNotification answered")
    boot.must(status="Accepted", req="1.6 §4.2: a known charge point is Accepted")
    require_recent_time(
        boot["currentTime"],
        req="1.6 §6.4: currentTime is the central system's time",
        frames=boot.frames,
        deviation_s=station.clock_deviation_s,
    )
    interval = boot.get("interval")
    require(
        isinstance(interval, int) and interval > 0,
        req="1.6 §6.4: a heartbeat interval is given",
        expected="interval > 0",
        actual=repr(interval),
        frames=boot.frames,
    )
    for connector in (0, 1):
        await station.call(
            "StatusNotification",
            connector_id=connector,
            error_code="NoError",
            status="Available",
            req="1.6 §4.9: StatusNotification answered",
        ).must()
    beat = (await station.call("Heartbeat", req="1.6 §4.6: Heartbeat answered")).must()
    require_recent_time(
        beat["currentTime"],
        req="1.6 §4.6: Heartbeat carries the current time",
        frames=beat.frames,
        deviation_s=station.clock_deviation_s,
    )
