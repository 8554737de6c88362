"""OCA block B (Provisioning), OCPP 2.0.1 and 2.1: booting, device model, subprotocol.

Steps and verdict criteria are written in our own words after OCPP 2.0.1 Part 6; ids and titles
are the OCA's.
"""

from __future__ import annotations

import asyncio

from harness import CsmsPeer, StationPeer, SutActions, oca
from harness.checks import (
    require,
    require_fields,
    require_recent_time,
    should,
)
from harness.config import SutProfile
from harness.transport import ConnectFailed
from harness.verdicts import Inconclusive
from testcases.v201.states import (
    boot_until_accepted,
    connector_status,
    get_variable,
    no_error_info,
    set_variable,
)

V2 = ("2.0.1", "2.1")
#: Heartbeat interval handed out in the boot cases, and the slack allowed on it.
INTERVAL_S = 1
SLACK_S = 1.5
#: The variable TC_B_02/06/09 and others name: OCPPCommCtrlr.OfflineThreshold (required, ReadWrite).
OFFLINE = ("OCPPCommCtrlr", "OfflineThreshold")
#: The value the OCA sets (TC_B_06 preparation, TC_B_09 step 1).
OCA_VALUE = "300"
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
    """Every connector's state after an Accepted boot: a StatusNotification (B01.FR.05), or the
    NotifyEvent of its AvailabilityState that 2.1's B01.FR.05 prefers and the OCA's reusable
    state Booted (Part 6 §2.18) accepts in 2.0.1 as well."""
    for evse in profile.sut.evses:
        for connector in range(1, evse.connectors + 1):
            await connector_status(
                csms, evse_id=evse.id, connector_id=connector, status="Available", req=req
            )


@oca(
    "TC_B_01_CS",
    "Cold Boot Charging Station - Accepted",
    profile="core",
    versions=V2,
    kills=("boot-ignores-interval", "boot-skips-status"),
)
async def test_cold_boot_accepted(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """Reusable state Booted (B01): after a power cycle the station sends BootNotification
    (B01.FR.01); once Accepted it reports every connector Available (B01.FR.05, the post-scenario
    validation). Beyond the OCA: it then sends Heartbeats at the interval given (B01.FR.04,
    G02.FR.02). The BootNotification is held before the reboot, so no automatic reply answers
    it first; the security event of the reusable state is not checked (security profile 0/1)."""
    csms.hold("BootNotification")
    await sut.reboot()
    boot = await csms.expect(
        "BootNotification", within_s=csms.action_s, req="B01.FR.01: BootNotification at boot"
    )
    await boot.reply(status="Accepted", interval=INTERVAL_S)
    await _boot_connectors_available(
        csms, sut_profile, "B01.FR.05: every connector's state reported after Accepted"
    )
    await csms.expect(
        "Heartbeat", within_s=INTERVAL_S + SLACK_S, req="B01.FR.04/G02: Heartbeat at the interval"
    )
    await csms.expect(
        "Heartbeat", within_s=INTERVAL_S + SLACK_S, req="B01.FR.04/G02: Heartbeat at the interval"
    )


#: The interval TC_B_02 answers Pending with: long enough that the steps in Pending fit in it.
PENDING_INTERVAL_S = 5
#: Ids the harness gives its GetBaseReport and RequestStartTransaction requests.
REPORT_REQUEST_ID = 202
REMOTE_START_ID = 203


async def _notify_report_complete(csms: CsmsPeer, request_id: int, *, req: str) -> None:
    """NotifyReport parts of ``request_id`` until one with tbc false (B07.FR.04/05)."""
    while True:
        part = await csms.expect(
            "NotifyReport", within_s=csms.response_s, req=req, request_id=request_id
        )
        if not part.payload.get("tbc", False):
            return


@oca(
    "TC_B_02_CS",
    "Cold Boot Charging Station - Pending",
    profile="core",
    versions=V2,
    kills=(
        "pending-sends-status",
        "pending-retries-immediately",
        "pending-refuses-requests",
        "pending-accepts-remote-start",
        "pending-ignores-trigger-boot",
    ),
)
async def test_cold_boot_pending(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_B_02_CS (B02, F06), in the OCA's order: after a reboot the station sends
    BootNotification, answered Pending; while Pending it answers SetVariables and GetVariables
    of OCPPCommCtrlr.OfflineThreshold without attributeType (both Accepted, B02.FR.01),
    GetBaseReport FullInventory (Accepted, then its NotifyReport parts up to tbc false),
    RequestStartTransaction (Rejected, B02.FR.05) and TriggerMessage BootNotification
    (Accepted or NotImplemented, F06.FR.17); after an Accepted trigger it sends BootNotification
    with reason Triggered at once, else after the interval (B02.FR.08); answered Accepted, it
    reports every connector (post-scenario validation).

    Throughout Pending: no CALL other than BootNotification and the NotifyReport asked for
    (B02.FR.02), no BootNotification before the interval unless triggered (B02.FR.04); the
    connection stays open (B02.FR.06: a close ends the case at the next step).
    Deviations: the OCA writes the component "OCPPCommCtrl"; Part 2 names it "OCPPCommCtrlr". A
    trigger answered Rejected, which F06.FR.05 leaves to the station, is a warning rather than a
    FAIL, and the case goes on with the retry after the interval. The value set is put back
    after the case (OCA Part 6 §2.1). Every BootNotification is answered Pending until the
    trigger (a station slower than the interval retries during the steps), Accepted from then."""
    pending = {"status": "Pending", "interval": PENDING_INTERVAL_S}
    csms.set_reply("BootNotification", **pending)  # also every retry after the interval
    await sut.reboot()
    boot = await csms.expect(
        "BootNotification", within_s=csms.action_s, req="B02: BootNotification at boot"
    )
    if not boot.replied:
        await boot.reply(**pending)
    for action in PENDING_FORBIDDEN:
        csms.forbid(action, f"B02.FR.02: no {action} while Pending")
    early = "B02: no BootNotification before the interval has passed (B02.FR.04, none triggered)"
    csms.forbid("BootNotification", early)
    asyncio.get_running_loop().call_later(PENDING_INTERVAL_S, csms.allow, "BootNotification")

    item = await set_variable(
        csms,
        *OFFLINE,
        OCA_VALUE,
        attribute_type=None,
        req="B02.FR.01: SetVariables answered while Pending",
    )
    require_fields(
        item, attributeStatus="Accepted", req="B02.FR.01: SetVariables Accepted while Pending"
    )
    item = await get_variable(
        csms, *OFFLINE, attribute_type=None, req="B02.FR.01: GetVariables answered while Pending"
    )
    require_fields(
        item, attributeStatus="Accepted", req="B02.FR.01: GetVariables Accepted while Pending"
    )
    request_id = REPORT_REQUEST_ID
    report = await csms.call(
        "GetBaseReport",
        request_id=request_id,
        report_base="FullInventory",
        req="B02.FR.01: GetBaseReport answered while Pending",
    )
    report.must(status="Accepted", req="B02.FR.01: GetBaseReport Accepted while Pending")
    await _notify_report_complete(
        csms, request_id, req="B02.FR.01/B07: the full report sent while Pending"
    )
    start = await csms.call(
        "RequestStartTransaction",
        id_token={"idToken": "OCA-PENDING", "type": "ISO14443"},
        remote_start_id=REMOTE_START_ID,
        req="B02.FR.05: RequestStartTransaction answered while Pending",
    )
    start.must(status="Rejected", req="B02.FR.05: RequestStartTransaction Rejected while Pending")

    accepted = {"status": "Accepted", "interval": 300}
    csms.set_reply("BootNotification", **accepted)
    csms.allow("BootNotification")  # the triggered one may come right after the answer
    trigger = await csms.call(
        "TriggerMessage",
        requested_message="BootNotification",
        req="F06.FR.17: TriggerMessage BootNotification answered while Pending",
    )
    status = trigger.must(req="F06.FR.17: TriggerMessage BootNotification answered").get("status")
    if status == "Rejected":
        should(
            csms,
            False,
            req="F06.FR.17: TriggerMessage BootNotification while Pending",
            expected="Accepted or NotImplemented (the OCA's validation)",
            actual="Rejected (F06.FR.05 leaves it to the station)",
        )
    else:
        require(
            status in ("Accepted", "NotImplemented"),
            req="F06.FR.17: TriggerMessage BootNotification Accepted or NotImplemented while Pending",
            expected="status Accepted or NotImplemented",
            actual=f"status {status!r}",
            frames=trigger.frames,
        )
    if status == "Accepted":
        again = await csms.expect(
            "BootNotification",
            within_s=csms.response_s,
            req="F06.FR.17: BootNotification sent at once when triggered",
            reason="Triggered",
        )
    else:
        again = await csms.expect(
            "BootNotification",
            within_s=PENDING_INTERVAL_S + SLACK_S,
            req="B02.FR.08: BootNotification retried after the interval",
        )
        while again.replied:  # a retry answered Pending during the steps (a slow station)
            again = await csms.expect(
                "BootNotification",
                within_s=PENDING_INTERVAL_S + SLACK_S,
                req="B02.FR.08: BootNotification retried after the interval",
            )
    csms.allow()
    if not again.replied:
        await again.reply(**accepted)
    await _boot_connectors_available(
        csms, sut_profile, "B01.FR.05: every connector's state reported once Accepted"
    )


@oca(
    "TC_B_03_CS",
    "Cold Boot Charging Station - Rejected",
    profile="core",
    versions=V2,
    kills=("rejected-retries-immediately", "rejected-sends-status"),
)
async def test_cold_boot_rejected(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """B03: after a reboot the station sends BootNotification; answered Rejected, it sends
    nothing else and retries no earlier than the interval (B03.FR.02/06); once Accepted it
    reports every connector Available (a StatusNotification or a NotifyEvent, as the OCA
    validates step 5). The forbid window opens once Rejected is answered."""
    csms.hold("BootNotification")
    await sut.reboot()
    boot = await csms.expect(
        "BootNotification", within_s=csms.action_s, req="B03: BootNotification at boot"
    )
    await boot.reply(status="Rejected", interval=2 * INTERVAL_S)
    for action in PENDING_FORBIDDEN:
        csms.forbid(action, f"B03.FR.02: no {action} while Rejected")
    await csms.expect_none(
        "BootNotification",
        for_s=2 * INTERVAL_S * 0.75,
        req="B03.FR.02: no BootNotification before the interval has passed",
    )
    retry = await csms.expect(
        "BootNotification",
        within_s=2 * INTERVAL_S + SLACK_S,
        req="B03.FR.02: BootNotification retried after the interval",
    )
    csms.allow()
    await retry.reply(status="Accepted", interval=300)
    await _boot_connectors_available(csms, sut_profile, "B03: connectors reported once Accepted")


async def _original(csms: CsmsPeer) -> str | None:
    """The current OfflineThreshold (None: not readable)."""
    item = await get_variable(csms, *OFFLINE, req="B06: GetVariables answered")
    value = item.get("attributeValue")
    return str(value) if item.get("attributeStatus") == "Accepted" and value is not None else None


@oca(
    "TC_B_06_CS",
    "Get Variables - single value",
    profile="core",
    versions=V2,
    kills=("getvariables-rejects-known", "getvariables-reads-boot-value"),
)
async def test_get_variables_single(csms: CsmsPeer) -> None:
    """TC_B_06 (B06): preparation OCPPCommCtrlr.OfflineThreshold = 300 (a required variable);
    GetVariables for it with attributeType Actual is Accepted (B06.FR.10) with attributeType
    Actual (B06.FR.03), the same component and variable (B06.FR.02), the value "300"
    (B06.FR.04/10) and no error info. The harness puts the original value back after the case
    (it reads it before the change; OCA Part 6 §2.1), so a failure here is never masked by a
    clean-up step."""
    prepared = await set_variable(csms, *OFFLINE, OCA_VALUE, req="TC_B_06 preparation")
    if prepared.get("attributeStatus") != "Accepted":
        raise Inconclusive(
            f"preparation: OfflineThreshold could not be set to {OCA_VALUE} "
            f"(attributeStatus {prepared.get('attributeStatus')!r})"
        )
    item = await get_variable(csms, *OFFLINE, req="B06: GetVariables answered")
    require_fields(item, attributeStatus="Accepted", req="B06.FR.10: a known variable is Accepted")
    require_fields(item, attributeValue=OCA_VALUE, req="B06.FR.04/10: the value set is returned")
    no_error_info(item, req="B06: attributeStatusInfo absent or NoError")


@oca(
    "TC_B_09_CS",
    "Set Variables - single value",
    profile="core",
    versions=V2,
    kills=("config-change-not-applied",),
)
async def test_set_variables_single(csms: CsmsPeer) -> None:
    """TC_B_09 (B05): SetVariables OCPPCommCtrlr.OfflineThreshold = "300" (a required variable)
    is Accepted (B05.FR.10) with attributeType Actual (B05.FR.03/12), the same component and
    variable (B05.FR.02) and no error info. Beyond the OCA: a GetVariables then returns the new
    value (B05.FR.10: Accepted means it was set); when the value already is 300, 299 is set so
    that the change shows. The harness puts the original value back after the case (OCA Part 6
    §2.1)."""
    original = await _original(csms)
    value = "299" if original == OCA_VALUE else OCA_VALUE
    item = await set_variable(csms, *OFFLINE, value, req="B05: SetVariables answered")
    require_fields(item, attributeStatus="Accepted", req="B05.FR.10: the variable is set")
    no_error_info(item, req="B05: attributeStatusInfo absent or NoError")
    read = await get_variable(csms, *OFFLINE, req="B06: GetVariables answered")
    require_fields(read, attributeValue=value, req="B05.FR.10: the new value is in effect")


@oca(
    "TC_B_01_CSMS",
    "Cold Boot Charging Station - Accepted",
    profile="core",
    versions=V2,
    kills=(
        "csms-boot-rejects",
        "csms-boot-stale-time",
        "csms-boot-no-interval",
        "csms-heartbeat-stale-time",
    ),
    own_connection=True,
)
async def test_csms_accepts_cold_boot(station: StationPeer) -> None:
    """Reusable state Booted (B01.FR.02): the CSMS accepts a known station's BootNotification
    (status Accepted) with its current time and a heartbeat interval. A CSMS that first answers
    Pending (B02 allows it) is asked again after its interval, for up to the profile's action
    time. Beyond the OCA: a Heartbeat is answered with the current time (G02.FR.03)."""
    await station.connect(req="B01: the CSMS accepts the station's connection")
    boot = await boot_until_accepted(station, req="B01: BootNotification answered")
    boot.must(status="Accepted", req="B01.FR.02: a known station is Accepted")
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
    kills=("csms-subprotocol-first-offered", "csms-boot-rejects"),
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
    (await boot_until_accepted(station, req="B01: BootNotification answered")).must(
        status="Accepted", req="B01: boot accepted on the negotiated connection"
    )
