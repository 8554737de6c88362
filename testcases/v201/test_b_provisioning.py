"""OCA block B (Provisioning), OCPP 2.0.1 and 2.1, both roles: booting (B01-B03), offline
status reports (B04), the device model (B05-B07: Get/SetVariables, base reports, in
:mod:`testcases.v201.reports`), network profiles (B09), resets (B11/B12), reconnection back-off
and subprotocol negotiation (Part 4).

Steps and verdict criteria are written in our own words after OCPP 2.0.1 Part 6; ids and titles
are the OCA's.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from harness import CsmsPeer, StationPeer, SutActions, oca
from harness.checks import (
    require,
    require_fields,
    require_int_text,
    require_recent_time,
    should,
)
from harness.config import SutProfile
from harness.peers.defaults import now_iso
from harness.peers.exchange import InboundCall
from harness.transport import ConnectFailed
from harness.verdicts import Inconclusive, SutFailure
from testcases.v201 import reports
from testcases.v201.reset_states import connectors_after_boot, rebooted
from testcases.v201.states import (
    boot_until_accepted,
    connector_status,
    connectors_reported,
    get_variable,
    no_error_info,
    set_variable,
    tx_points,
)
from testcases.v201.tx_states import (
    Session,
    StationTx,
    authorized_local,
    charging,
    ended,
    energy_transfer_started,
    ev_connected_pre_session,
    station_charging,
    station_ev_disconnected,
    unplugged,
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
    await connectors_reported(csms, profile, req=req)


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
#: How long TC_B_02_CS watches for a BootNotification before the Pending interval (seconds).
EARLY_WATCH_S = 1.0
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
    connection stays open (B02.FR.06: a close ends the case at the next step). Beyond the OCA,
    the harness watches for an early BootNotification for :data:`EARLY_WATCH_S` before its
    first request (the steps take milliseconds, and an early retry would be seen by chance).
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
    # the steps below take milliseconds on a fast station: one that retries before the interval
    # would only be seen by chance, so the harness first watches for a second
    await csms.expect_none("BootNotification", for_s=EARLY_WATCH_S, req=early)

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


@oca(
    "TC_B_30_CS",
    "Cold Boot Charging Station - Pending/Rejected - SecurityError",
    profile="core",
    versions=V2,
    kills=("rejected-answers-requests",),
)
async def test_cold_boot_rejected_security_error(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_B_30_CS (B03.FR.08): after a reboot the station sends BootNotification, answered
    Rejected; unless it closed the connection, a GetBaseReport FullInventory is answered with
    CALLERROR SecurityError (B03.FR.08). Beyond the document, so that the station is left
    booted: its next BootNotification (after the interval) is answered Accepted and every
    connector's state is reported."""
    csms.hold("BootNotification")
    await sut.reboot()
    boot = await csms.expect(
        "BootNotification", within_s=csms.action_s, req="B03: BootNotification at boot"
    )
    await boot.reply(status="Rejected", interval=INTERVAL_S)
    csms.forbid("NotifyReport", "B03.FR.08: no report while Rejected")
    if csms.link is not None and not csms.link.closed.is_set():
        refused = await csms.call(
            "GetBaseReport",
            request_id=REPORT_REQUEST_ID,
            report_base="FullInventory",
            req="B03.FR.08: GetBaseReport answered while Rejected",
        )
        refused.must_error(
            "SecurityError",
            req="B03.FR.08: a request while Rejected is answered CALLERROR SecurityError",
        )
    retry = await csms.expect(
        "BootNotification",
        within_s=INTERVAL_S + SLACK_S + csms.action_s,
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


#: The names the OCA uses for "no such component / variable" (TC_B_32/33/35/36).
UNKNOWN_COMPONENT = "UnknownComponent"
UNKNOWN_VARIABLE = "UnknownVariable"


def _no_value(item: Mapping[str, Any], req: str) -> None:
    require(
        "attributeValue" not in item,
        req=req,
        expected="attributeValue omitted",
        actual=repr(item.get("attributeValue")),
    )


@oca(
    "TC_B_32_CS",
    "Get Variables - Unknown component",
    profile="core",
    versions=V2,
    kills=("dm-unknown-component-as-variable",),
)
async def test_get_variables_unknown_component(csms: CsmsPeer) -> None:
    """TC_B_32_CS (B06.FR.06): GetVariables OfflineThreshold of a component the station does not
    have ("UnknownComponent"), attributeType omitted: attributeStatus UnknownComponent, the
    component and variable named as asked (B06.FR.02) and, as B06.FR.06 requires, no
    attributeValue."""
    item = await get_variable(
        csms, UNKNOWN_COMPONENT, OFFLINE[1], attribute_type=None, req="B06: GetVariables answered"
    )
    require_fields(
        item,
        attributeStatus="UnknownComponent",
        req="B06.FR.06: an unknown component is UnknownComponent",
    )
    _no_value(item, "B06.FR.06: no attributeValue for an unknown component")


@oca(
    "TC_B_33_CS",
    "Get Variables - Unknown variable",
    profile="core",
    versions=V2,
    kills=("dm-unknown-variable-rejected",),
)
async def test_get_variables_unknown_variable(csms: CsmsPeer) -> None:
    """TC_B_33_CS (B06.FR.07): GetVariables of a variable OCPPCommCtrlr does not have
    ("UnknownVariable"), attributeType omitted: attributeStatus UnknownVariable, the component
    and variable named as asked and no attributeValue (B06.FR.07)."""
    item = await get_variable(
        csms, OFFLINE[0], UNKNOWN_VARIABLE, attribute_type=None, req="B06: GetVariables answered"
    )
    require_fields(
        item,
        attributeStatus="UnknownVariable",
        req="B06.FR.07: an unknown variable is UnknownVariable",
    )
    _no_value(item, "B06.FR.07: no attributeValue for an unknown variable")


@oca(
    "TC_B_34_CS",
    "Get Variables - Not supported attribute type",
    profile="core",
    versions=V2,
    kills=("dm-attribute-type-ignored",),
)
async def test_get_variables_unsupported_attribute(csms: CsmsPeer) -> None:
    """TC_B_34_CS (B06.FR.08): GetVariables OCPPCommCtrlr.OfflineThreshold with attributeType
    Target: attributeStatus NotSupportedAttributeType, the component, variable and attributeType
    Target named as asked (B06.FR.02/03) and no attributeValue (B06.FR.08). Deviation: the OCA
    writes the component "OCPPCommCtrl"; Part 2 names it "OCPPCommCtrlr". A station that
    supports a Target for OfflineThreshold (Part 2 does not define one) would need another
    variable; none is known, so the case stays on this one."""
    item = await get_variable(
        csms, *OFFLINE, attribute_type="Target", req="B06: GetVariables answered"
    )
    require_fields(
        item,
        attributeStatus="NotSupportedAttributeType",
        req="B06.FR.08: an unsupported attributeType is NotSupportedAttributeType",
    )
    _no_value(item, "B06.FR.08: no attributeValue for an unsupported attributeType")


@oca(
    "TC_B_35_CS",
    "Set Variables - Unknown component",
    profile="core",
    versions=V2,
    kills=("dm-unknown-component-as-variable",),
)
async def test_set_variables_unknown_component(csms: CsmsPeer) -> None:
    """TC_B_35_CS (B05.FR.04): SetVariables OfflineThreshold of component "UnknownComponent",
    attributeType omitted: attributeStatus UnknownComponent, the component and variable named as
    asked (B05.FR.02). The OCA gives no value; "300" (the value of TC_B_09) is sent, the field
    being required."""
    item = await set_variable(
        csms,
        UNKNOWN_COMPONENT,
        OFFLINE[1],
        OCA_VALUE,
        attribute_type=None,
        req="B05: SetVariables answered",
    )
    require_fields(
        item,
        attributeStatus="UnknownComponent",
        req="B05.FR.04: an unknown component is UnknownComponent",
    )


@oca(
    "TC_B_36_CS",
    "Set Variables - Unknown variable",
    profile="core",
    versions=V2,
    kills=("dm-unknown-variable-rejected",),
)
async def test_set_variables_unknown_variable(csms: CsmsPeer) -> None:
    """TC_B_36_CS (B05.FR.05): SetVariables variable "UnknownVariable" of OCPPCommCtrlr,
    attributeType omitted: attributeStatus UnknownVariable, the component and variable named as
    asked. Deviation: the OCA writes "OCPPCommCtrl" (see TC_B_34); the value is "300"."""
    item = await set_variable(
        csms,
        OFFLINE[0],
        UNKNOWN_VARIABLE,
        OCA_VALUE,
        attribute_type=None,
        req="B05: SetVariables answered",
    )
    require_fields(
        item,
        attributeStatus="UnknownVariable",
        req="B05.FR.05: an unknown variable is UnknownVariable",
    )


@oca(
    "TC_B_37_CS",
    "Set Variables - Not supported attribute type",
    profile="core",
    versions=V2,
    kills=("dm-attribute-type-ignored",),
)
async def test_set_variables_unsupported_attribute(csms: CsmsPeer) -> None:
    """TC_B_37_CS (B05.FR.06): SetVariables OCPPCommCtrlr.OfflineThreshold with attributeType
    Target: attributeStatus NotSupportedAttributeType, the component, variable and attributeType
    Target named as asked (B05.FR.02/03). Deviation: "OCPPCommCtrl" as in TC_B_34; the value is
    "300"."""
    item = await set_variable(
        csms, *OFFLINE, OCA_VALUE, attribute_type="Target", req="B05: SetVariables answered"
    )
    require_fields(
        item,
        attributeStatus="NotSupportedAttributeType",
        req="B05.FR.06: an unsupported attributeType is NotSupportedAttributeType",
    )


@oca(
    "TC_B_39_CS",
    "Set Variables - Read-only",
    profile="core",
    versions=V2,
    kills=("dm-read-only-set-accepted",),
)
async def test_set_variables_read_only(csms: CsmsPeer) -> None:
    """TC_B_39_CS (B05.FR.09): SetVariables OCPPCommCtrlr.MessageTimeout instance Default (ReadOnly
    in Part 2 Appendix 3), attributeType omitted: attributeStatus Rejected, the component,
    variable and instance named as asked (B05.FR.02). Deviation: "OCPPCommCtrl" as in TC_B_34;
    the OCA gives no value, "30" is sent."""
    item = await set_variable(
        csms,
        OFFLINE[0],
        "MessageTimeout",
        "30",
        attribute_type=None,
        instance="Default",
        req="B05: SetVariables answered",
    )
    require_fields(
        item, attributeStatus="Rejected", req="B05.FR.09: a ReadOnly variable is Rejected"
    )


#: TC_B_07/TC_B_10's second variable: AuthCtrlr.LocalAuthorizationOffline (required, ReadWrite).
OFFLINE_AUTH = ("AuthCtrlr", "LocalAuthorizationOffline")


def _results_by_name(
    results: Any, asked: list[tuple[str, str]], rule: str, frames: str
) -> dict[tuple[str, str], Mapping[str, Any]]:
    """One result per item asked, matched by component and variable in any order (rule.01/02),
    each with attributeType Actual (rule.03)."""
    require(
        isinstance(results, list) and len(results) == len(asked),
        req=f"{rule}.01: one result per item",
        expected=f"{len(asked)} results",
        actual=repr(results),
        frames=frames,
    )
    found: dict[tuple[str, str], Mapping[str, Any]] = {}
    for item in results:
        if isinstance(item, Mapping):
            name = (
                str((item.get("component") or {}).get("name")),
                str((item.get("variable") or {}).get("name")),
            )
            found[name] = item
    for name in asked:
        require(
            name in found,
            req=f"{rule}.02: a result for each component and variable asked",
            expected=".".join(name),
            actual=repr(sorted(found)),
            frames=frames,
        )
        require_fields(
            found[name],
            attributeType="Actual",
            req=f"{rule}.03: attributeType Actual",
            frames=frames,
        )
    return found


@oca(
    "TC_B_07_CS",
    "Get Variables - multiple values",
    profile="core",
    versions=V2,
    kills=("dm-first-item-only",),
)
async def test_get_variables_multiple(csms: CsmsPeer) -> None:
    """TC_B_07_CS (B06): preparation OCPPCommCtrlr.OfflineThreshold 300 and
    AuthCtrlr.LocalAuthorizationOffline true; one GetVariables of both (attributeType Actual):
    two results, in any order (B06.FR.01/02), each Accepted with attributeType Actual, the value
    set ("300", "true": B06.FR.04/10) and no error info. Deviation: the OCA writes
    "OCPPCommCtrl"/"AuthCtrl"; Part 2 names them "OCPPCommCtrlr"/"AuthCtrlr". The values are put
    back after the case."""
    wanted = {OFFLINE: OCA_VALUE, OFFLINE_AUTH: "true"}
    for (component, variable), value in wanted.items():
        prepared = await set_variable(csms, component, variable, value, req="TC_B_07 preparation")
        if prepared.get("attributeStatus") != "Accepted":
            raise Inconclusive(f"preparation: {component}.{variable} could not be set to {value}")
    data = [
        {"component": {"name": c}, "variable": {"name": v}, "attributeType": "Actual"}
        for c, v in wanted
    ]
    result = await csms.call(
        "GetVariables", get_variable_data=data, req="B06: GetVariables answered"
    )
    found = _results_by_name(
        result.must(req="B06: GetVariables answered").get("getVariableResult"),
        list(wanted),
        "B06.FR",
        result.frames,
    )
    for name, value in wanted.items():
        require_fields(
            found[name], attributeStatus="Accepted", req="B06.FR.10: a known variable is Accepted"
        )
        require_fields(
            found[name], attributeValue=value, req="B06.FR.04/10: the value set is returned"
        )
        no_error_info(found[name], req="B06: attributeStatusInfo absent or NoError")


@oca(
    "TC_B_10_CS",
    "Set Variables - multiple values",
    profile="core",
    versions=V2,
    kills=("dm-first-item-only",),
)
async def test_set_variables_multiple(csms: CsmsPeer) -> None:
    """TC_B_10_CS (B05): one SetVariables of OCPPCommCtrlr.OfflineThreshold "300" and
    AuthCtrlr.LocalAuthorizationOffline "true" (attributeType Actual): two results, in any order
    (B05.FR.01/02), each Accepted (B05.FR.10) with attributeType Actual (B05.FR.03) and no error
    info. Deviation: the component names as in TC_B_07. The values are put back after the
    case."""
    wanted = {OFFLINE: OCA_VALUE, OFFLINE_AUTH: "true"}
    data = [
        {
            "component": {"name": c},
            "variable": {"name": v},
            "attributeValue": value,
            "attributeType": "Actual",
        }
        for (c, v), value in wanted.items()
    ]
    result = await csms.call(
        "SetVariables", set_variable_data=data, req="B05: SetVariables answered"
    )
    found = _results_by_name(
        result.must(req="B05: SetVariables answered").get("setVariableResult"),
        list(wanted),
        "B05.FR",
        result.frames,
    )
    for name in wanted:
        require_fields(
            found[name], attributeStatus="Accepted", req="B05.FR.10: the variable is set"
        )
        no_error_info(found[name], req="B05: attributeStatusInfo absent or NoError")


#: TC_B_11's variables (component, variable) and the data type the check assumes for each;
#: steps 3-8 are left out when the station does not have the variable (the OCA's notes).
B11_VARIABLES = (
    ("OCPPCommCtrlr", "OfflineThreshold", "integer"),
    ("SmartChargingCtrlr", "LimitChangeSignificance", "decimal"),
    ("AuthCtrlr", "AuthorizeRemoteStart", "boolean"),
    ("ClockCtrlr", "NextTimeOffsetTransitionDateTime", "dateTime"),
)


def _b11_values(offline: int) -> list[tuple[str, frozenset[str]]]:
    """TC_B_11's five values, each with the data types it is a valid value of."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return [
        (str(offline), frozenset({"integer", "decimal"})),
        (f"{offline}.1", frozenset({"decimal"})),
        ("true", frozenset({"boolean"})),
        (now, frozenset({"dateTime"})),
        ("abc", frozenset()),
    ]


@oca(
    "TC_B_11_CS",
    "Set Variables - invalidly formatted values",
    profile="core",
    versions=V2,
    kills=("dm-badly-formatted-accepted",),
)
async def test_set_variables_badly_formatted(csms: CsmsPeer) -> None:
    """TC_B_11_CS (B05.FR.07): for each of the values <OfflineThreshold>, <OfflineThreshold +
    0.1>, true, the current time and "abc", SetVariables of OCPPCommCtrlr.OfflineThreshold, then
    SmartChargingCtrlr.LimitChangeSignificance, AuthCtrlr.AuthorizeRemoteStart and
    ClockCtrlr.NextTimeOffsetTransitionDateTime (each of the last three only when the station
    has it): a value of the variable's data type is Accepted, any other Rejected (B05.FR.07),
    with attributeType Actual, the component and variable named as asked, and statusInfo, when
    given, InvalidValue (a warning: the OCA marks it not required). Deviation: Part 2's
    component names ("OCPPCommCtrlr", "SmartChargingCtrlr", "AuthCtrlr", "ClockCtrlr") for the
    OCA's abbreviated ones; a variable is "supported" when its first SetVariables does not
    answer UnknownComponent/UnknownVariable; a ReadOnly one (Rejected whatever the value) is
    left out as the OCA leaves out a variable that is not ReadWrite. Values are put back after
    the case."""
    offline = require_int_text(
        (await get_variable(csms, *OFFLINE, req="B06: GetVariables answered")).get(
            "attributeValue"
        ),
        req="TC_B_11: OfflineThreshold readable as an integer",
    )
    skipped: set[str] = set()
    for value, types in _b11_values(offline):
        for component, variable, data_type in B11_VARIABLES:
            if variable in skipped:
                continue
            item = await set_variable(
                csms, component, variable, value, req="B05: SetVariables answered"
            )
            status = item.get("attributeStatus")
            if variable != OFFLINE[1] and (
                status in ("UnknownComponent", "UnknownVariable")
                or (status == "Rejected" and data_type in types)
            ):
                skipped.add(variable)  # not supported, or not writable: the OCA skips it
                continue
            valid = data_type in types
            require(
                status == ("Accepted" if valid else "Rejected"),
                req=f"B05.FR.07: a badly formatted value is Rejected, a valid one Accepted"
                f" ({component}.{variable} = {value!r})",
                expected="Accepted" if valid else "Rejected",
                actual=f"attributeStatus {status!r}",
            )
            if not valid:
                info = item.get("attributeStatusInfo")
                code = info.get("reasonCode") if isinstance(info, Mapping) else None
                should(
                    csms,
                    info is None or str(code).lower() == "invalidvalue",
                    req="B05.FR.07: statusInfo InvalidValue",
                    expected="attributeStatusInfo absent or reasonCode InvalidValue",
                    actual=repr(info),
                )


#: Request ids of the GetBaseReport cases (any value; one per case for the trace's sake).
REPORT_IDS = {"TC_B_12_CS": 1201, "TC_B_13_CS": 1301, "TC_B_53_CS": 5301}


@oca(
    "TC_B_12_CS",
    "Get Base Report - ConfigurationInventory",
    profile="core",
    versions=V2,
    kills=("report-never-sent", "report-configuration-with-read-only"),
)
async def test_base_report_configuration(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_B_12_CS (B07): GetBaseReport ConfigurationInventory is Accepted with no error info
    (B07.FR.01); NotifyReport parts follow with the requestId (B07.FR.04), generatedAt and seqNo
    0, then +1 each until tbc is false (B07.FR.03/10), a valuesList for every list variable;
    post-scenario: every variable reported has variableCharacteristics and mutability ReadWrite or
    WriteOnly (B07.FR.07), and the required writable variables of the Core blocks are there."""
    entries = await reports.base_report(
        csms, "ConfigurationInventory", REPORT_IDS["TC_B_12_CS"], rule="B07"
    )
    reports.list_types_have_values(entries, req="B07: a valuesList for every list variable")
    reports.characteristics_present(entries, req="B07.FR.07: variableCharacteristics reported")
    read_only = [
        ".".join(str(p) for p in reports.key_of(e) if p is not None)
        for e in entries
        if any(
            isinstance(a, Mapping) and a.get("mutability", "ReadWrite") == "ReadOnly"
            for a in e.get("variableAttribute") or []
        )
    ]
    require(
        not read_only,
        req="B07.FR.07: the ConfigurationInventory reports ReadWrite/WriteOnly variables only",
        expected="no ReadOnly variable",
        actual=str(read_only),
    )
    missing = reports.missing_required(entries, reports.required_keys(sut_profile, True))
    require(
        not missing,
        req="B07.FR.07: the required writable variables are reported",
        expected="every required ReadWrite variable of Part 2 Appendix 3 (Core blocks)",
        actual=f"missing {missing}",
    )


@oca(
    "TC_B_13_CS",
    "Get Base Report - FullInventory",
    profile="core",
    versions=V2,
    kills=("report-never-sent", "report-configuration-as-full"),
)
async def test_base_report_full(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_B_13_CS (B07): GetBaseReport FullInventory, checked as TC_B_12 (Accepted, parts with
    the requestId, generatedAt, seqNo 0 then +1 up to tbc false, a valuesList for every list
    variable); post-scenario: every variable has variableCharacteristics and the required
    variables of the Core blocks and of the charging infrastructure (ChargingStation, each EVSE
    and connector) are reported (B07.FR.08)."""
    entries = await reports.base_report(csms, "FullInventory", REPORT_IDS["TC_B_13_CS"], rule="B07")
    reports.list_types_have_values(entries, req="B07: a valuesList for every list variable")
    reports.characteristics_present(entries, req="B07.FR.08: variableCharacteristics reported")
    missing = reports.missing_required(entries, reports.required_keys(sut_profile))
    require(
        not missing,
        req="B07.FR.08: the required variables are reported",
        expected="every required variable of Part 2 Appendix 3 (Core blocks)",
        actual=f"missing {missing}",
    )


@oca(
    "TC_B_53_CS",
    "Get Base Report - Test mandatory DM variables via FullInventory",
    profile="core",
    versions=V2,
    kills=("report-never-sent", "report-configuration-as-full"),
)
async def test_base_report_mandatory_variables(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_B_53_CS (Part 2 Appendix 3): GetBaseReport FullInventory Accepted, its parts checked as
    in TC_B_13; post-scenario: the required variables (Core blocks, charging infrastructure) are
    reported; every list variable has a non-empty valuesList and a value among it (each member,
    for a MemberList or SequenceList); a WriteOnly variable's value is omitted, every other
    one's given (EVSE.Power excepted: errata 2025-04)."""
    entries = await reports.base_report(csms, "FullInventory", REPORT_IDS["TC_B_53_CS"], rule="B07")
    missing = reports.missing_required(entries, reports.required_keys(sut_profile))
    require(
        not missing,
        req="Referenced Components and Variables: the required variables are reported",
        expected="every required variable of Part 2 Appendix 3 (Core blocks)",
        actual=f"missing {missing}",
    )
    reports.list_types_have_values(
        entries, req="Referenced Components and Variables: a valuesList for every list variable"
    )
    reports.list_values_allowed(
        entries, req="Referenced Components and Variables: list values among the valuesList"
    )
    reports.write_only_without_value(
        entries, req="Referenced Components and Variables: no value for a WriteOnly variable"
    )
    reports.values_present(
        entries, req="Referenced Components and Variables: a value for every readable variable"
    )


@oca(
    "TC_B_20_CS",
    "Reset Charging Station - Without ongoing transaction - OnIdle",
    profile="core",
    versions=V2,
    kills=("reset-no-reboot", "boot-skips-status"),
)
async def test_reset_on_idle_without_transaction(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_B_20_CS (B11): Reset OnIdle with no transaction is answered Accepted (B11.FR.01); the
    station reboots (B11.FR.03) and sends BootNotification (B01.FR.03, B11.FR.04), answered
    Accepted; it then reports every connector Available (a StatusNotification or a NotifyEvent,
    post-scenario validation). The BootNotification is held so that the case answers it."""
    csms.hold("BootNotification")
    reset = await csms.call("Reset", type="OnIdle", req="B11.FR.01: Reset answered")
    reset.must(status="Accepted", req="B11.FR.03: Reset OnIdle without transaction Accepted")
    boot = await csms.expect(
        "BootNotification",
        within_s=csms.action_s,
        req="B11.FR.03/B01.FR.03: the station reboots and sends BootNotification",
    )
    await boot.reply(status="Accepted", interval=300)
    await _boot_connectors_available(
        csms, sut_profile, "B01.FR.05: every connector's state reported after the reset"
    )


@oca(
    "TC_B_21_CS",
    "Reset Charging Station - With Ongoing Transaction - OnIdle",
    profile="core",
    versions=V2,
    kills=("reset-onidle-immediate",),
)
async def test_reset_on_idle_with_transaction(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_B_21_CS (B12): in state EnergyTransferStarted, Reset OnIdle is answered Scheduled
    (B12.FR.01); the driver ends the session (state StopAuthorized: the same token again) and,
    where that does not end the transaction (TxStopPoint EVConnected), unplugs (states
    EVConnectedPostSession, EVDisconnected); the transaction ends normally before the reboot
    (B12.FR.03); the station then sends BootNotification with reason ScheduledReset and reports
    its connector Occupied when the transaction ended with the cable still in, else Available,
    and every other connector Available. Deviations: the OCA notes the unplug steps under
    TxStartPoint; what decides them is where the transaction stops (TxStopPoint), which the case
    follows. The SecurityEventNotification of the reboot (step 11) is not checked: it belongs to
    the security profiles (block A), which the reference station does not implement."""
    session = await charging(csms, sut, sut_profile)
    csms.hold("BootNotification")
    reset = await csms.call("Reset", type="OnIdle", req="B11.FR.01: Reset answered")
    reset.must(status="Scheduled", req="B12.FR.01: Reset OnIdle during a transaction Scheduled")
    await sut.present_token(sut_profile.sut.tokens.valid, evse_id=session.evse_id)
    if session.points.stops_at_deauthorization:
        await ended(csms, session, req="B12.FR.03: the transaction ends normally before the reboot")
        plugged = "Occupied"
    else:
        await unplugged(csms, sut, session)
        await ended(csms, session, req="B12.FR.03: the transaction ends normally before the reboot")
        plugged = "Available"
    await rebooted(csms, "ScheduledReset", "B12: BootNotification reason ScheduledReset")
    await connectors_after_boot(
        csms,
        sut_profile,
        {(session.evse_id, session.connector_id): plugged},
        "B01.FR.05: every connector's state reported after the reset",
    )


@oca(
    "TC_B_41_CS",
    "Reset Charging Station - With multiple ongoing transactions - OnIdle",
    profile="core",
    versions=V2,
    kills=("reset-onidle-immediate",),
    condition="HFS-8 > 1",
)
async def test_reset_on_idle_with_transactions(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_B_41_CS (B12; more than one EVSE): in state EnergyTransferStarted on the first two
    EVSEs, Reset OnIdle is answered Scheduled (B12.FR.01); the first EVSE's session ends
    (StopAuthorized: the same token again, then unplugged: its transaction has ended either
    way), then the second's (the same token again; unplugged only where that does not end the
    transaction, TxStopPoint EVConnected); both transactions end normally before the reboot
    (B12.FR.03); BootNotification with reason ScheduledReset follows, and the second EVSE's
    connector is reported Occupied when its transaction ended with the cable in, else
    Available, every other connector Available. ParkingBayUnoccupied is not played (no parking
    bay sensor in the Core features); the SecurityEventNotification is not checked (see
    TC_B_21_CS)."""
    points = await tx_points(csms, sut_profile)
    token = sut_profile.sut.tokens.valid
    first, second = (Session(points, evse_id=e.id) for e in sut_profile.sut.evses[:2])
    for session in (first, second):
        await ev_connected_pre_session(csms, sut, session)
        await authorized_local(csms, sut, session, token)
        await energy_transfer_started(csms, session)
    csms.hold("BootNotification")
    reset = await csms.call("Reset", type="OnIdle", req="B11.FR.01: Reset answered")
    reset.must(status="Scheduled", req="B12.FR.01: Reset OnIdle during a transaction Scheduled")
    ending = "B12.FR.03: the transaction ends normally before the reboot"
    await sut.present_token(token, evse_id=first.evse_id)
    if points.stops_at_deauthorization:
        await ended(csms, first, req=ending)
        await unplugged(csms, sut, first)
    else:
        await unplugged(csms, sut, first)
        await ended(csms, first, req=ending)
    await sut.present_token(token, evse_id=second.evse_id)
    if points.stops_at_deauthorization:
        await ended(csms, second, req=ending)
        plugged = "Occupied"
    else:
        await unplugged(csms, sut, second)
        await ended(csms, second, req=ending)
        plugged = "Available"
    await rebooted(csms, "ScheduledReset", "B12: BootNotification reason ScheduledReset")
    await connectors_after_boot(
        csms,
        sut_profile,
        {(second.evse_id, second.connector_id): plugged},
        "B01.FR.05: every connector's state reported after the reset",
    )


@oca(
    "TC_B_22_CS",
    "Reset Charging Station - With Ongoing Transaction - Immediate",
    profile="core",
    versions=V2,
    kills=("reset-immediate-wrong-reason",),
)
async def test_reset_immediate_with_transaction(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_B_22_CS (B12, E07): in state EnergyTransferStarted, Reset Immediate is answered
    Accepted (B12.FR.02); the transaction ends (B12.FR.04) with a TransactionEvent Ended,
    triggerReason ResetCommand, chargingState EVConnected, stoppedReason ImmediateReset and no
    idToken (E07.FR.03); the station reboots and sends BootNotification with reason RemoteReset
    (B01.FR.03), answered Accepted; it reports the connector of the transaction Occupied (the
    cable is still in) and every other connector Available."""
    session = await charging(csms, sut, sut_profile)
    csms.hold("BootNotification")
    reset = await csms.call("Reset", type="Immediate", req="B11.FR.01: Reset answered")
    reset.must(status="Accepted", req="B12.FR.02: Reset Immediate during a transaction Accepted")
    end = await ended(csms, session, req="B12.FR.04: the transaction ends before the reboot")
    require_fields(
        end.payload, triggerReason="ResetCommand", req="E07.FR.03: triggerReason ResetCommand"
    )
    require_fields(
        end["transactionInfo"],
        stoppedReason="ImmediateReset",
        req="E07.FR.03: stoppedReason ImmediateReset",
    )
    require_fields(
        end["transactionInfo"],
        chargingState="EVConnected",
        req="E07.FR.03: chargingState EVConnected (the cable is still in)",
    )
    require(
        "idToken" not in end.payload,
        req="E07.FR.03: no idToken in the Ended event of a reset",
        expected="idToken omitted",
        actual=repr(end.get("idToken")),
    )
    await rebooted(csms, "RemoteReset", "B01.FR.03: BootNotification reason RemoteReset")
    await connectors_after_boot(
        csms,
        sut_profile,
        {(session.evse_id, session.connector_id): "Occupied"},
        "B01.FR.05: every connector's state reported after the reset",
    )


@oca(
    "TC_B_23_CS",
    "Reset Charging Station - Unavailable persists reset",
    profile="core",
    versions=V2,
    kills=("reset-forgets-unavailable",),
)
async def test_reset_keeps_unavailable(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_B_23_CS (B11): memory state Unavailable for the first EVSE's connector 1
    (ChangeAvailability Inoperative Accepted and the connector reported Unavailable); Reset OnIdle
    is answered Accepted (B11.FR.01/03); the station reboots and sends BootNotification with
    reason RemoteReset (B11.FR.04, B01.FR.03), answered Accepted; it reports that connector
    Unavailable (B11.FR.02) and every other one Available. The connector is made Operative
    again before the next case (precondition restore)."""
    evse_id = sut_profile.sut.evses[0].id
    made = await csms.call(
        "ChangeAvailability",
        operational_status="Inoperative",
        evse={"id": evse_id, "connectorId": 1},
        req="memory state Unavailable: ChangeAvailability answered",
    )
    if made.error is not None or made.get("status") != "Accepted":
        raise Inconclusive(
            f"memory state Unavailable: ChangeAvailability Inoperative answered {made.payload}"
        )
    await connector_status(
        csms,
        evse_id=evse_id,
        connector_id=1,
        status="Unavailable",
        req="G03: memory state Unavailable: the connector reported Unavailable",
    )
    csms.hold("BootNotification")
    reset = await csms.call("Reset", type="OnIdle", req="B11.FR.01: Reset answered")
    reset.must(status="Accepted", req="B11.FR.03: Reset OnIdle without transaction Accepted")
    await rebooted(csms, "RemoteReset", "B11.FR.04/B01.FR.03: BootNotification reason RemoteReset")
    await connectors_after_boot(
        csms,
        sut_profile,
        {(evse_id, 1): "Unavailable"},
        "B11.FR.02: the connector set Unavailable stays so after the reboot",
    )


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
        boot["currentTime"],
        req="B01: currentTime is the CSMS's current time",
        frames=boot.frames,
        deviation_s=station.clock_deviation_s,
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
        beat["currentTime"],
        req="G02: Heartbeat carries the current time",
        frames=beat.frames,
        deviation_s=station.clock_deviation_s,
    )


#: OfflineThreshold set for TC_B_51 (the harness keeps the station offline longer) and TC_B_52
#: (the harness lets it back well within it), in seconds.
SHORT_THRESHOLD_S = 1
LONG_THRESHOLD_S = 30
#: How long TC_B_52 watches for reports of connectors that did not change.
QUIET_S = 0.5


async def _offline_with_plug_in(
    csms: CsmsPeer, sut: SutActions, threshold_s: int, offline_s: float, where: tuple[int, int]
) -> None:
    """Preparation OfflineThreshold = ``threshold_s``; the harness closes the connection and
    refuses reconnections for ``offline_s``; meanwhile the EV is plugged in at ``where``; the
    station reconnects (within the profile's action time after the refusals end)."""
    prepared = await set_variable(
        csms, *OFFLINE, str(threshold_s), req="B04 preparation: OfflineThreshold set"
    )
    if prepared.get("attributeStatus") != "Accepted":
        raise Inconclusive(
            f"preparation: OfflineThreshold could not be set to {threshold_s} "
            f"(attributeStatus {prepared.get('attributeStatus')!r})"
        )
    csms.refuse_for(offline_s)
    link = csms.link
    if link is not None:
        await link.close()
    await sut.plug_in(evse_id=where[0], connector_id=where[1])
    await csms.wait_connected(within_s=offline_s + csms.action_s, req="B04: the station reconnects")


@oca(
    "TC_B_51_CS",
    "Status change during offline period - > Offline Threshold",
    profile="core",
    versions=V2,
    kills=("offline-reports-changed",),
)
async def test_offline_longer_than_threshold(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_B_51_CS (B04.FR.01): with OfflineThreshold 1 s, the harness closes the connection and
    refuses reconnections for longer than that; meanwhile the EV is plugged in on the first
    EVSE's connector 1; once back, the station reports that connector Occupied and every other
    connector Available (a StatusNotification, or the NotifyEvent of its AvailabilityState).
    Deviation: the OCA sets RetryBackOffWaitMinimum/RandomRange so that the station itself
    comes back late; the harness refuses the reconnections instead, which needs no optional
    variable and holds the station offline just as long."""
    where = (sut_profile.sut.evses[0].id, 1)
    await _offline_with_plug_in(csms, sut, SHORT_THRESHOLD_S, SHORT_THRESHOLD_S + 1.0, where)
    await connectors_after_boot(
        csms,
        sut_profile,
        {where: "Occupied"},
        "B04.FR.01: every connector reported after more than OfflineThreshold offline",
    )


@oca(
    "TC_B_52_CS",
    "Status change during offline period - < Offline Threshold",
    profile="core",
    versions=V2,
    kills=("offline-reports-all",),
)
async def test_offline_shorter_than_threshold(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_B_52_CS (B04.FR.02): with OfflineThreshold 30 s, the harness closes the connection and
    refuses reconnections for 0.5 s; meanwhile the EV is plugged in on the first EVSE's connector
    1; once back, the station reports that connector Occupied (the tool validation). Beyond the
    document, as B04.FR.02 requires: no other connector is reported (watched for 0.5 s).
    Deviation: the reconnection is timed by refusals, not RetryBackOff* (see TC_B_51_CS)."""
    where = (sut_profile.sut.evses[0].id, 1)
    await _offline_with_plug_in(csms, sut, LONG_THRESHOLD_S, 0.5, where)
    await connector_status(
        csms,
        evse_id=where[0],
        connector_id=where[1],
        status="Occupied",
        req="B04.FR.02: the connector that changed is reported",
    )
    for evse in sut_profile.sut.evses:
        for connector in range(1, evse.connectors + 1):
            if (evse.id, connector) == where:
                continue
            await csms.expect_none(
                "StatusNotification",
                for_s=QUIET_S / max(1, len(sut_profile.sut.evses)),
                req="B04.FR.02: only the connectors that changed are reported",
                evse_id=evse.id,
                connector_id=connector,
            )


#: TC_B_57's <Configured RetryBackOffWaitMinimum>, and the slack allowed on each measured wait
#: (the harness sees an attempt only once its upgrade request arrives).
BACKOFF_S = 1
BACKOFF_SLACK_S = 0.1
#: How often the harness looks for a new connection attempt.
_POLL_S = 0.02


async def _next_attempt(csms: CsmsPeer, seen: int, within_s: float, req: str) -> float:
    """When the station's next upgrade request (after the ``seen`` first ones) arrived."""
    deadline = time.monotonic() + within_s
    while len(csms.server.handshakes) <= seen:
        if time.monotonic() > deadline:
            raise SutFailure(
                req,
                f"a connection attempt within {within_s:g} s",
                "none",
                csms.trace.render(last=6),
            )
        await asyncio.sleep(_POLL_S)
    return time.monotonic()


async def _closed_by_harness(csms: CsmsPeer) -> tuple[int, float]:
    """Close the station's connection: the number of upgrade requests so far, and when."""
    seen = len(csms.server.handshakes)
    link = csms.link
    closed_at = time.monotonic()
    if link is not None:
        await link.close()
    return seen, closed_at


@oca(
    "TC_B_57_CS",
    "Network Reconnection - After connection loss",
    profile="core",
    versions=V2,
    kills=("backoff-not-doubled", "backoff-ignores-minimum"),
)
async def test_reconnect_back_off(csms: CsmsPeer) -> None:
    """TC_B_57_CS (Part 4 §5.3), with the errata 2025-02 preparation
    (NetworkProfileConnectionAttempts 3, RetryBackOffRepeatTimes 2, RetryBackOffRandomRange 0,
    RetryBackOffWaitMinimum 1 s): the harness closes the connection; the station's next attempt
    comes no earlier than RetryBackOffWaitMinimum (step 2) and is accepted; closed again, its
    next attempt comes no earlier than RetryBackOffWaitMinimum (step 5) and is refused; the
    attempt after that comes no earlier than twice that wait (step 7) and is accepted.
    Deviation: step 7 is measured against twice the configured RetryBackOffWaitMinimum rather
    than twice the wait measured at step 5, which includes the station's connection set-up time;
    each wait is allowed 0.1 s of measuring slack."""
    settings = {
        "NetworkProfileConnectionAttempts": "3",
        "RetryBackOffRepeatTimes": "2",
        "RetryBackOffRandomRange": "0",
        "RetryBackOffWaitMinimum": str(BACKOFF_S),
    }
    for name, value in settings.items():
        item = await set_variable(csms, "OCPPCommCtrlr", name, value, req="TC_B_57 preparation")
        if item.get("attributeStatus") != "Accepted":
            raise Inconclusive(f"preparation: OCPPCommCtrlr.{name} could not be set to {value}")
    within = 2 * BACKOFF_S + csms.action_s
    minimum = "Part 4 §5.3: the first attempt after RetryBackOffWaitMinimum"
    seen, closed_at = await _closed_by_harness(csms)
    first = await _next_attempt(csms, seen, within, "Part 4 §5.3: the station reconnects")
    require(
        first - closed_at >= BACKOFF_S - BACKOFF_SLACK_S,
        req=minimum,
        expected=f"at least {BACKOFF_S} s after the connection loss",
        actual=f"{first - closed_at:.2f} s",
    )
    await csms.wait_connected(within_s=csms.action_s, req="Part 4 §5.3: the station reconnects")
    csms.refuse_for(3600)  # until the station's next attempt is in
    seen, closed_at = await _closed_by_harness(csms)
    refused = await _next_attempt(csms, seen, within, "Part 4 §5.3: the station reconnects")
    csms.server.accept_again()
    require(
        refused - closed_at >= BACKOFF_S - BACKOFF_SLACK_S,
        req=minimum,
        expected=f"at least {BACKOFF_S} s after the connection loss",
        actual=f"{refused - closed_at:.2f} s",
    )
    again = await _next_attempt(
        csms, seen + 1, within, "Part 4 §5.3: the station tries again after a failed attempt"
    )
    require(
        again - refused >= 2 * BACKOFF_S - BACKOFF_SLACK_S,
        req="Part 4 §5.3: the back-off doubles after a failed attempt",
        expected=f"at least {2 * BACKOFF_S} s after the refused attempt",
        actual=f"{again - refused:.2f} s",
    )
    await csms.wait_connected(within_s=csms.action_s, req="Part 4 §5.3: the station reconnects")


@oca(
    "TC_B_28_CS",
    "Reset EVSE - Not Supported",
    profile="core",
    versions=V2,
    kills=("reset-evse-accepted",),
    condition="NOT C-13",
)
async def test_reset_evse_not_supported(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_B_28_CS (B11.FR.09; NOT C-13: the station cannot reset a single EVSE): Reset OnIdle
    of the first EVSE is answered Rejected (B11.FR.01/09)."""
    reset = await csms.call(
        "Reset",
        type="OnIdle",
        evse_id=sut_profile.sut.evses[0].id,
        req="B11.FR.01: Reset answered",
    )
    reset.must(status="Rejected", req="B11.FR.09: a Reset of one EVSE is Rejected")


@oca(
    "TC_B_29_CS",
    "Reset EVSE - With ongoing transaction - Not Supported",
    profile="core",
    versions=V2,
    kills=("reset-evse-accepted-during-transaction",),
    condition="NOT C-13",
)
async def test_reset_evse_with_transaction_not_supported(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_B_29_CS (B12.FR.09; NOT C-13): in state EnergyTransferStarted, Reset OnIdle of the
    EVSE of the transaction is answered Rejected (B12.FR.01/09); the transaction goes on (it is
    ended by the precondition restore after the case)."""
    session = await charging(csms, sut, sut_profile)
    reset = await csms.call(
        "Reset", type="OnIdle", evse_id=session.evse_id, req="B12.FR.01: Reset answered"
    )
    reset.must(
        status="Rejected", req="B12.FR.09: a Reset of one EVSE during a transaction is Rejected"
    )


@oca(
    "TC_B_43_CS",
    "Set new NetworkConnectionProfile - Rejected",
    profile="core",
    versions=V2,
    kills=("network-profile-any-slot",),
)
async def test_set_network_profile_rejected(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_B_43_CS (B09.FR.02): SetNetworkProfile for configuration slot 999 (one the station does
    not have) with the configured connectionData (the harness CSMS's URL, the profile's security
    profile, message timeout 30 s, interface Wired0, OCPP-J, ocppVersion OCPP20) is answered
    Rejected."""
    data = {
        "ocppVersion": "OCPP20",
        "ocppTransport": "JSON",
        "ocppCsmsUrl": csms.url,
        "messageTimeout": NETWORK_MESSAGE_TIMEOUT_S,
        "securityProfile": sut_profile.sut.security_profile,
        "ocppInterface": NETWORK_INTERFACE,
    }
    answer = await csms.call(
        "SetNetworkProfile",
        configuration_slot=999,
        connection_data=data,
        req="B09: SetNetworkProfile answered",
    )
    answer.must(status="Rejected", req="B09.FR.02: a profile for an unknown slot is Rejected")


def _dead_url(profile: SutProfile) -> str:
    """A URL on 127.0.0.1 where nothing listens (a port just freed): every attempt there fails,
    as the OCA's unanswered first slot does (wss:// under security profile 2/3)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    scheme = "wss" if profile.sut.security_profile >= 2 else "ws"
    return f"{scheme}://127.0.0.1:{port}/ocpp"


async def _migrate(
    csms: CsmsPeer, profile: SutProfile, url: str
) -> tuple[Mapping[str, Any], InboundCall]:
    """TC_B_45/46 steps 1-6: a profile for a slot other than the one in use pointing at ``url``
    (SetNetworkProfile Accepted), that slot put first and the one in use second (SetVariables
    Accepted or RebootRequired), Reset OnIdle unless the station reboots by itself within the
    response time (Accepted); the next BootNotification (held) is returned with the upgrade
    request of the connection it came on."""
    item = await get_variable(
        csms, "OCPPCommCtrlr", "NetworkConfigurationPriority", req="B10: priority read"
    )
    in_use = [s.strip() for s in str(item.get("attributeValue") or "").split(",") if s.strip()]
    if item.get("attributeStatus") != "Accepted" or not in_use:
        raise Inconclusive(f"NetworkConfigurationPriority not readable: {dict(item)}")
    slot = int(in_use[0]) % 9 + 1  # another slot than the one in use (1-9)
    data = {
        "ocppVersion": "OCPP20",
        "ocppTransport": "JSON",
        "ocppCsmsUrl": url,
        "messageTimeout": NETWORK_MESSAGE_TIMEOUT_S,
        "securityProfile": profile.sut.security_profile,
        "ocppInterface": NETWORK_INTERFACE,
    }
    answer = await csms.call(
        "SetNetworkProfile",
        configuration_slot=slot,
        connection_data=data,
        req="B09: SetNetworkProfile answered",
    )
    answer.must(status="Accepted", req="B09.FR.01: SetNetworkProfile Accepted")
    priority = await set_variable(
        csms,
        "OCPPCommCtrlr",
        "NetworkConfigurationPriority",
        f"{slot},{in_use[0]}",
        req="B10: SetVariables answered",
    )
    status = priority.get("attributeStatus")
    require(
        status in ("Accepted", "RebootRequired"),
        req="B10.FR.01: the new priority Accepted or RebootRequired",
        expected="Accepted or RebootRequired",
        actual=repr(status),
    )
    csms.hold("BootNotification")
    old = csms.link
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(csms.response_s):
            if old is not None:
                await old.closed.wait()
    if old is not None and not old.closed.is_set():
        reset = await csms.call("Reset", type="OnIdle", req="B11.FR.01: Reset answered")
        reset.must(status="Accepted", req="B11.FR.03: Reset OnIdle Accepted")
    return item, await csms.expect(
        "BootNotification",
        within_s=csms.action_s + 2 * csms.response_s,
        req="B10.FR.03/04: BootNotification after the reboot",
    )


def _last_path(csms: CsmsPeer) -> str:
    accepted = [h for h in csms.server.handshakes if h.status == UPGRADED]
    return accepted[-1].path if accepted else ""


#: TC_B_45's second endpoint: the harness CSMS under another path (the station's URL plus its
#: identity must lead there).
ALT_PATH = "/alt"


@oca(
    "TC_B_45_CS",
    "Migrate to new ConnectionProfile - Success - Same CSMS Root",
    profile="core",
    versions=V2,
    kills=("network-priority-ignored",),
)
async def test_migrate_network_profile(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_B_45_CS (B09.FR.01, B10.FR.01/04/06), with the errata 2025-04 slot choice: the harness
    reads NetworkConfigurationPriority (its first slot is the one in use) and sets a profile
    for another slot the station has (step 1: SetNetworkProfile Accepted) pointing at its
    second endpoint (the same listener under the path /alt); it then puts that slot first,
    the one in use second (step 3: SetVariables Accepted or RebootRequired); unless the station
    reboots by itself within the response time, Reset OnIdle (step 5: Accepted); the station
    reconnects to the second endpoint (B10.FR.04; the old connection is closed first:
    B10.FR.06) and boots (reusable state Booted: BootNotification Accepted, every connector
    reported). Deviations: the configured slots are the first two NetworkConfigurationPriority
    may name (its valuesList), the connection data the harness CSMS's own; the case restores
    the priority afterwards, and the station connects back to the first endpoint at its next
    reconnection (the harness listens under both paths)."""
    _, boot = await _migrate(csms, sut_profile, csms.url + ALT_PATH)
    path = _last_path(csms)
    require(
        path.startswith(ALT_PATH + "/"),
        req="B10.FR.04: the station connects to the first entry of NetworkConfigurationPriority",
        expected=f"a connection to {csms.url + ALT_PATH}/<identity>",
        actual=f"a connection to {path!r}",
    )
    await boot.reply(status="Accepted", interval=300)
    await _boot_connectors_available(
        csms, sut_profile, "B01.FR.05: every connector's state reported after the migration"
    )


@oca(
    "TC_B_46_CS",
    "Migrate to new ConnectionProfile - Fallback mechanism - Same CSMS Root",
    profile="core",
    versions=V2,
    kills=("network-no-fallback",),
)
async def test_migrate_network_profile_fallback(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_B_46_CS (B10.FR.03/04): as TC_B_45_CS (SetNetworkProfile Accepted, the new slot first
    in NetworkConfigurationPriority: Accepted or RebootRequired, Reset OnIdle Accepted where
    needed), but the new profile's endpoint does not answer (a port where nothing listens);
    after its NetworkProfileConnectionAttempts the station falls back to the second entry, the
    slot it used before, and connects to the harness there (B10.FR.03) and boots (reusable
    state Booted). Deviation: the OCA's unanswered attempts are refused connections here (the
    harness cannot listen on the station's first slot without accepting); how many attempts the
    station made there is not visible to the harness."""
    _, boot = await _migrate(csms, sut_profile, _dead_url(sut_profile))
    path = _last_path(csms)
    require(
        not path.startswith(ALT_PATH + "/"),
        req="B10.FR.03: the station falls back to the next entry of NetworkConfigurationPriority",
        expected="a connection to the station's own URL",
        actual=f"a connection to {path!r}",
    )
    await boot.reply(status="Accepted", interval=300)
    await _boot_connectors_available(
        csms, sut_profile, "B01.FR.05: every connector's state reported after the fallback"
    )


#: The setting the CSMS cases ask the CSMS under test to read and set (TC_B_06/09_CSMS).
OFFLINE_KEY = "OCPPCommCtrlr.OfflineThreshold"
#: Attribute types TC_B_06_CSMS allows in the GetVariablesRequest (absent: Actual).
READABLE_TYPES = ("Actual", "Target", "MinSet", "MaxSet")


def _item_for(items: Any, component: str, variable: str) -> Mapping[str, Any] | None:
    """The GetVariableData/SetVariableData entry for ``component``.``variable``, if any."""
    for item in items if isinstance(items, list) else []:
        if (
            isinstance(item, Mapping)
            and (item.get("component") or {}).get("name") == component
            and (item.get("variable") or {}).get("name") == variable
        ):
            return item
    return None


@oca(
    "TC_B_06_CSMS",
    "Get Variables - single value",
    profile="core",
    versions=V2,
    kills=("csms-getvariables-swapped",),
)
async def test_csms_get_variables(station: StationPeer, sut: SutActions) -> None:
    """TC_B_06_CSMS (B06): asked by its operator (action ``get_setting``) to read
    OCPPCommCtrlr.OfflineThreshold, the CSMS sends GetVariablesRequest with an entry for that
    component and variable (in any position) whose attributeType is absent, Actual, Target,
    MinSet or MaxSet (step 1, the tool validation); the harness answers Accepted with "300"
    (step 2). Deviation: the OCA writes "OCPPCommCtrl" (Part 2: "OCPPCommCtrlr"); its manual
    post-scenario check that the CSMS shows the value read is left to the operator."""
    station.hold("GetVariables")
    await sut.get_setting(OFFLINE_KEY)
    request = await station.expect("GetVariables", req="B06: the CSMS sends GetVariablesRequest")
    items = request.get("getVariableData")
    item = _item_for(items, *OFFLINE)
    require(
        item is not None,
        req="B06: the CSMS asks for OCPPCommCtrlr.OfflineThreshold",
        expected="a getVariableData entry for OCPPCommCtrlr.OfflineThreshold",
        actual=repr(items),
    )
    assert item is not None
    require(
        item.get("attributeType", "Actual") in READABLE_TYPES,
        req="B06: attributeType absent, Actual, Target, MinSet or MaxSet",
        expected=" or ".join(READABLE_TYPES) + " (or absent)",
        actual=repr(item.get("attributeType")),
    )
    results = []
    for entry in items:
        known = entry is item
        result = {
            "attributeStatus": "Accepted" if known else "UnknownVariable",
            "attributeType": entry.get("attributeType", "Actual"),
            "component": entry.get("component", {}),
            "variable": entry.get("variable", {}),
        }
        if known:
            result["attributeValue"] = OCA_VALUE
        results.append(result)
    await request.reply(get_variable_result=results)


@oca(
    "TC_B_09_CSMS",
    "Set Variables - single value",
    profile="core",
    versions=V2,
    kills=("csms-setvariables-target",),
)
async def test_csms_set_variables(station: StationPeer, sut: SutActions) -> None:
    """TC_B_09_CSMS (B05): asked by its operator (action ``change_setting``) to set
    OCPPCommCtrlr.OfflineThreshold to "123", the CSMS sends SetVariablesRequest with an entry
    for that component and variable (in any position) with attributeValue "123" and
    attributeType absent or Actual (step 1, the tool validation); the harness answers every
    entry Accepted (step 2). Deviation: "OCPPCommCtrl" as in TC_B_06_CSMS; the manual
    post-scenario check is left to the operator."""
    station.hold("SetVariables")
    await sut.change_setting(OFFLINE_KEY, "123")
    request = await station.expect("SetVariables", req="B05: the CSMS sends SetVariablesRequest")
    items = request.get("setVariableData")
    item = _item_for(items, *OFFLINE)
    require(
        item is not None,
        req="B05: the CSMS sets OCPPCommCtrlr.OfflineThreshold",
        expected="a setVariableData entry for OCPPCommCtrlr.OfflineThreshold",
        actual=repr(items),
    )
    assert item is not None
    require_fields(item, attributeValue="123", req="B05: attributeValue is the value asked for")
    require(
        item.get("attributeType", "Actual") == "Actual",
        req="B05.FR.12: attributeType absent or Actual",
        expected="attributeType absent or Actual",
        actual=repr(item.get("attributeType")),
    )
    results = [
        {
            "attributeStatus": "Accepted",
            "attributeType": entry.get("attributeType", "Actual"),
            "component": entry.get("component", {}),
            "variable": entry.get("variable", {}),
        }
        for entry in items
    ]
    await request.reply(set_variable_result=results)


async def _csms_base_report(
    station: StationPeer, sut: SutActions, report_base: str, rule: str
) -> None:
    """The operator has the CSMS retrieve a ``report_base`` report (action ``get_base_report``):
    GetBaseReportRequest with an integer requestId >= 0 and that reportBase (the tool
    validation), answered Accepted; the harness then sends the report (one NotifyReport with
    the requestId, seqNo 0, tbc false: the OfflineThreshold variable), which the CSMS answers."""
    station.hold("GetBaseReport")
    await sut.get_base_report(report_base)
    request = await station.expect("GetBaseReport", req="B07: the CSMS sends GetBaseReportRequest")
    request_id = request.get("requestId")
    require(
        isinstance(request_id, int) and request_id >= 0,
        req="B07: requestId an integer >= 0",
        expected="an integer >= 0",
        actual=repr(request_id),
    )
    require_fields(
        request.payload, reportBase=report_base, req="B07: GetBaseReport of the report asked for"
    )
    await request.reply(status="Accepted")
    entry = {
        "component": {"name": OFFLINE[0]},
        "variable": {"name": OFFLINE[1]},
        "variableAttribute": [{"type": "Actual", "value": "60", "mutability": "ReadWrite"}],
        "variableCharacteristics": {"dataType": "integer", "supportsMonitoring": False},
    }
    await station.call(
        "NotifyReport",
        request_id=request_id,
        generated_at=now_iso(),
        seq_no=0,
        tbc=False,
        report_data=[entry],
        req=f"{rule}: NotifyReport answered",
    ).must(req=f"{rule}: NotifyReport answered")


@oca(
    "TC_B_12_CSMS",
    "Get Base Report - ConfigurationInventory",
    profile="core",
    versions=V2,
    kills=("csms-base-report-wrong-base",),
    condition="C-17",
)
async def test_csms_base_report_configuration(station: StationPeer, sut: SutActions) -> None:
    """TC_B_12_CSMS (B07.FR.07; C-17): asked by its operator for the ConfigurationInventory, the
    CSMS sends GetBaseReportRequest with an integer requestId >= 0 and reportBase
    ConfigurationInventory (step 1, the tool validation); the harness answers Accepted (step 2)
    and reports, and the CSMS answers the NotifyReport. Showing the report to an operator (the
    post-scenario validation) is left to the operator."""
    await _csms_base_report(station, sut, "ConfigurationInventory", "B07.FR.07")


@oca(
    "TC_B_13_CSMS",
    "Get Base Report - FullInventory",
    profile="core",
    versions=V2,
    kills=("csms-base-report-wrong-base",),
    condition="C-50.2",
)
async def test_csms_base_report_full(station: StationPeer, sut: SutActions) -> None:
    """TC_B_13_CSMS (B07.FR.08; C-50.2): as TC_B_12_CSMS with reportBase FullInventory."""
    await _csms_base_report(station, sut, "FullInventory", "B07.FR.08")


async def _csms_resets(station: StationPeer, sut: SutActions, kind: str, answer: str) -> None:
    """The operator asks the CSMS for a ``kind`` reset (action ``request_reset``): the CSMS sends
    ResetRequest of that type, answered ``answer``."""
    station.hold("Reset")
    await sut.request_reset(kind)
    request = await station.expect("Reset", req="B11/B12: the CSMS sends ResetRequest")
    require_fields(
        request.payload, type=kind, req="B11/B12: Reset of the type the operator asked for"
    )
    await request.reply(status=answer)


async def _station_reboots(
    station: StationPeer, profile: SutProfile, reason: str, occupied: tuple[int, int] | None = None
) -> None:
    """The harness station reboots: a new connection, BootNotification with ``reason`` (the
    CSMS answers Accepted: the tool validation), every connector reported Available but the
    ``occupied`` one (a cable still in)."""
    await station.disconnect()
    await station.connect(req="B01: the CSMS accepts the station's connection after the reboot")
    boot = await station.boot(reason=reason, req="B01: BootNotification answered")
    boot.must(status="Accepted", req="B01: the BootNotification after the reset is Accepted")
    for evse in profile.sut.evses:
        for connector in range(1, evse.connectors + 1):
            await station.call(
                "StatusNotification",
                timestamp=now_iso(),
                connector_status="Occupied" if (evse.id, connector) == occupied else "Available",
                evse_id=evse.id,
                connector_id=connector,
                req="G01: StatusNotification answered",
            ).must(req="G01: StatusNotification answered")


@oca(
    "TC_B_20_CSMS",
    "Reset Charging Station - Without ongoing transaction - OnIdle",
    profile="core",
    versions=V2,
    kills=("csms-reset-wrong-type",),
)
async def test_csms_reset_on_idle(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_B_20_CSMS (B11.FR.04): asked by its operator for an OnIdle reset, the CSMS sends
    ResetRequest (type OnIdle, as asked); the harness answers Accepted, reboots (a new
    connection) and sends BootNotification with reason RemoteReset, which the CSMS answers
    Accepted (the tool validation); every connector is then reported Available and answered."""
    await _csms_resets(station, sut, "OnIdle", "Accepted")
    await _station_reboots(station, sut_profile, "RemoteReset")


@oca(
    "TC_B_21_CSMS",
    "Reset Charging Station - With Ongoing Transaction - OnIdle",
    profile="core",
    versions=V2,
    kills=("csms-reset-wrong-type",),
)
async def test_csms_reset_on_idle_with_transaction(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_B_21_CSMS (B12.FR.01/03, E07.FR.03): in state EnergyTransferStarted (played by the
    harness), asked for an OnIdle reset, the CSMS sends ResetRequest type OnIdle (step 1, the
    tool validation), answered Scheduled; the harness reports the driver's stop
    (TransactionEvent Updated StopAuthorized, chargingState EVConnected, with the idToken) and the
    end of the transaction (Ended, EVCommunicationLost, Idle, stoppedReason EVDisconnected), both
    answered; it then reboots and sends BootNotification with reason ScheduledReset, which the
    CSMS answers Accepted (the tool validation); every connector is reported Available."""
    tx = StationTx.of(station, sut_profile)
    await station_charging(tx)
    await _csms_resets(station, sut, "OnIdle", "Scheduled")
    await tx.event(
        "Updated",
        "StopAuthorized",
        charging_state="EVConnected",
        id_token=tx.token,
        req="E06: TransactionEvent StopAuthorized answered",
    )
    await station_ev_disconnected(tx, req="E06: TransactionEvent Ended answered")
    await _station_reboots(station, sut_profile, "ScheduledReset")


@oca(
    "TC_B_22_CSMS",
    "Reset Charging Station - With Ongoing Transaction - Immediate",
    profile="core",
    versions=V2,
    kills=("csms-reset-wrong-type",),
)
async def test_csms_reset_immediate_with_transaction(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_B_22_CSMS: in state EnergyTransferStarted (played by the harness), asked for an
    Immediate reset, the CSMS sends ResetRequest type Immediate (step 1, the tool validation),
    answered Accepted; the harness ends the transaction (TransactionEvent Ended, ResetCommand,
    chargingState EVConnected, stoppedReason ImmediateReset, no idToken), answered; it reboots
    and sends BootNotification with reason RemoteReset, which the CSMS answers Accepted (the
    tool validation); its connector is reported Occupied (the cable is still in), every other
    one Available."""
    tx = StationTx.of(station, sut_profile)
    await station_charging(tx)
    await _csms_resets(station, sut, "Immediate", "Accepted")
    await tx.event(
        "Ended",
        "ResetCommand",
        charging_state="EVConnected",
        transaction_info={"stoppedReason": "ImmediateReset"},
        req="E07: TransactionEvent Ended answered",
    )
    await _station_reboots(
        station, sut_profile, "RemoteReset", occupied=(tx.evse_id, tx.connector_id)
    )


#: The network connection profile the CSMS cases have the CSMS send (TC_B_42/44_CSMS): slot,
#: message timeout and interface as configured here; the URL and security profile the harness
#: station's own.
NETWORK_SLOT = 1
NETWORK_MESSAGE_TIMEOUT_S = 30
NETWORK_INTERFACE = "Wired0"


async def _csms_sets_network_profile(
    station: StationPeer, sut: SutActions, profile: SutProfile, answer: str
) -> InboundCall:
    """The operator has the CSMS set a network connection profile (action
    ``set_network_profile``); the CSMS sends SetNetworkProfileRequest, answered ``answer``."""
    station.hold("SetNetworkProfile")
    await sut.set_network_profile(
        slot=NETWORK_SLOT,
        csms_url=station.base_url,
        security_profile=profile.sut.security_profile,
        message_timeout=NETWORK_MESSAGE_TIMEOUT_S,
        interface=NETWORK_INTERFACE,
    )
    request = await station.expect(
        "SetNetworkProfile", req="B09: the CSMS sends SetNetworkProfileRequest"
    )
    await request.reply(status=answer)
    return request


@oca(
    "TC_B_42_CSMS",
    "Set new NetworkConnectionProfile - Accepted",
    profile="core",
    versions=V2,
    kills=("csms-network-profile-wrong-security", "csms-network-profile-not-sent"),
)
async def test_csms_set_network_profile(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_B_42_CSMS (B09.FR.01): asked by its operator, the CSMS sends SetNetworkProfileRequest
    with the configured slot and connectionData: message timeout, CSMS URL, interface,
    ocppTransport JSON, ocppVersion OCPP20 (2.0.1; 2.1 deprecates the field: absent or an OCPP
    2.x value) and security profile (step 1, the tool validation); the harness answers
    Accepted (step 2). The configured values are the ones the case gives the operator."""
    request = await _csms_sets_network_profile(station, sut, sut_profile, "Accepted")
    req = "B09.FR.01: connectionData as configured"
    require_fields(request.payload, configurationSlot=NETWORK_SLOT, req=f"{req} (slot)")
    data = request.get("connectionData") or {}
    require_fields(
        data,
        messageTimeout=NETWORK_MESSAGE_TIMEOUT_S,
        ocppCsmsUrl=station.base_url,
        ocppInterface=NETWORK_INTERFACE,
        ocppTransport="JSON",
        securityProfile=sut_profile.sut.security_profile,
        req=req,
    )
    versions = ("OCPP20",) if station.version == "2.0.1" else (None, "OCPP20", "OCPP201", "OCPP21")
    require(
        data.get("ocppVersion") in versions,
        req=f"{req} (ocppVersion)",
        expected=" or ".join(str(v) for v in versions),
        actual=repr(data.get("ocppVersion")),
    )


@oca(
    "TC_B_44_CSMS",
    "Set new NetworkConnectionProfile - Failed",
    profile="core",
    versions=V2,
    kills=("csms-network-profile-not-sent",),
)
async def test_csms_set_network_profile_failed(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_B_44_CSMS (B09.FR.03): the CSMS sends SetNetworkProfileRequest (step 1) and the harness
    answers Failed (step 2). The document has no tool validation: the request being sent, and
    the connection staying usable (a Heartbeat is answered), is what is checked."""
    await _csms_sets_network_profile(station, sut, sut_profile, "Failed")
    (await station.call("Heartbeat")).must(req="B09.FR.03: the CSMS takes the Failed in its stride")


#: HTTP status of a WebSocket upgrade (RFC 6455 §4.2.2).
UPGRADED = 101


@oca(
    "TC_B_58_CSMS",
    "WebSocket Subprotocol validation / negotiation",
    profile="core",
    versions=V2,
    kills=("csms-subprotocol-first-offered", "csms-boot-rejects"),
    own_connection=True,
)
async def test_csms_selects_supported_subprotocol(station: StationPeer) -> None:
    """TC_B_58_CSMS (errata 2025-04, Part 4 §3.1.2), in the errata's order: offered only an
    unsupported subprotocol ("ocpp0.1"), the CSMS refuses the connection (no WebSocket
    upgrade); offered that one first and its own version second, it accepts and echoes its
    version in Sec-WebSocket-Protocol (the tool validation). Beyond the errata: the boot on the
    negotiated connection is Accepted."""
    own = {"2.0.1": "ocpp2.0.1", "2.1": "ocpp2.1"}[station.version]
    req = "Part 4 §3.1.2: the CSMS selects a subprotocol it supports"
    refused = await station.try_connect(subprotocols=["ocpp0.1"])
    require(
        isinstance(refused, ConnectFailed) and refused.status != UPGRADED,
        req=f"{req} (offered none it supports: the connection is refused)",
        expected="no WebSocket upgrade",
        actual=f"upgraded: {refused}",
        frames=station.trace.render(),
    )
    link = await station.try_connect(subprotocols=["ocpp0.1", own])
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
