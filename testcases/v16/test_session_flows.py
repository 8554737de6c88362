"""OCPP 1.6 charging sessions with the charge point under test beyond plug-in first (test case
document sections 02 start, 03 stop, 05 remote actions, 10-12 non happy). The 1.6 test case
document is not public: steps and criteria in our own words after OCPP 1.6 edition 2 and its
errata (§4.1, §4.8-§4.10, §5.2, §5.11, §9.1 ConnectionTimeOut, StopTransactionOnEVSideDisconnect,
UnlockConnectorOnEVSideDisconnect with the errata 3.84/3.85, AuthorizeRemoteTxRequests)."""

from __future__ import annotations

from harness import CsmsPeer, SutActions, oca
from harness.checks import require, require_fields, should
from harness.config import SutProfile
from harness.verdicts import SutFailure
from testcases.v16.states import charging, drain, key_value, with_key

V16 = ("1.6",)
#: ConnectionTimeOut for the time-out cases (seconds; the harness restores the original).
TIMEOUT_S = 2
SLACK_S = 2.0
FOLLOWS = "the transaction starts when the cable follows"
TIMED_OUT = "1.6 §9.1 ConnectionTimeOut: back to Available"
NOT_STARTED = "1.6 §4.1: no transaction for an idTag that is not Accepted"
PREPARING = "1.6 §4.9: Preparing while the idTag waits for the cable (A2)"


async def _preauthorized(csms: CsmsPeer) -> bool:
    """LocalPreAuthorize true: a cached idTag may start without Authorize (1.6 §3.5.1)."""
    return (await key_value(csms, "LocalPreAuthorize")) == "true"


async def _preparing(csms: CsmsPeer) -> None:
    """The connector waits for the cable: Preparing (§4.9 transition A2, after the idTag's
    answer). Not a SHALL of its own: a charge point that stays Available gets a warning, and the
    case goes on to plug in (the step that decides)."""
    try:
        await csms.expect(
            "StatusNotification", connector_id=1, status="Preparing", within_s=SLACK_S
        )
    except SutFailure as exc:
        should(csms, False, req=PREPARING, expected="Preparing before the cable", actual=str(exc))


async def _stop_locally(csms: CsmsPeer, sut: SutActions, tag: str, tx_id: int) -> None:
    """The idTag that started the transaction stops it (§4.10, reason Local), then unplug."""
    await sut.present_token(tag)
    stop = await csms.expect(
        "StopTransaction", transaction_id=tx_id, req="1.6 §4.10: the same idTag stops it"
    )
    require(
        stop.get("reason", "Local") == "Local",
        req="1.6 §6.47: reason Local (or omitted)",
        expected="Local",
        actual=repr(stop.get("reason")),
        frames=stop.link.trace.render(last=12),
    )
    await sut.unplug(evse_id=1)
    await csms.expect(
        "StatusNotification", connector_id=1, status="Available", req="1.6 §4.9: Available"
    )


@oca(
    "TC_004_1_CS",
    "Regular Charging Session - Identification First",
    profile="core",
    versions=V16,
    kills=("cp16-authorized-without-cable-forgotten", "tx-reports-wrong-token"),
)
async def test_identification_first(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """Follows TC_E_02_CS of 2.0.1 (authorization first). §4.1/§4.8: the idTag presented before
    the cable is authorized (no Authorize needed for a cached one with LocalPreAuthorize, §3.5.1);
    plugging in within ConnectionTimeOut starts the transaction for that idTag (Charging); the
    same idTag stops it."""
    tag = sut_profile.sut.tokens.valid
    cached_ok = await _preauthorized(csms)
    await sut.present_token(tag)
    if not cached_ok:
        await csms.expect("Authorize", id_tag=tag, req="1.6 §4.1: the idTag is authorized")
    await _preparing(csms)
    await sut.plug_in(evse_id=1)
    start = await csms.expect(
        "StartTransaction", connector_id=1, req=f"1.6 §4.8: {FOLLOWS} the idTag"
    )
    require_fields(
        start.payload, idTag=tag, req="1.6 §4.8: StartTransaction carries the presented idTag"
    )
    await csms.expect(
        "StatusNotification", connector_id=1, status="Charging", req="1.6 §4.9: Charging"
    )
    await _stop_locally(csms, sut, tag, csms.last_transaction_id)


@oca(
    "TC_004_2_CS",
    "Regular Charging Session - Identification First - ConnectionTimeOut",
    profile="core",
    versions=V16,
    kills=("cp16-connection-timeout-ignored",),
)
async def test_identification_first_timeout(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """Follows TC_E_03_CS of 2.0.1. §9.1 ConnectionTimeOut (set to a few seconds): an idTag
    presented without a cable (Preparing, §4.9) lapses when no cable comes in time: the
    connector is Available again and no transaction starts."""
    await with_key(csms, "ConnectionTimeOut", str(TIMEOUT_S))
    csms.forbid("StartTransaction", "1.6 §9.1 ConnectionTimeOut: no transaction without a cable")
    await sut.present_token(sut_profile.sut.tokens.valid)
    await _lapses(csms)


async def _lapses(csms: CsmsPeer) -> None:
    await csms.expect(
        "StatusNotification",
        connector_id=1,
        status="Preparing",
        req="1.6 §4.9: Preparing while waiting for the cable",
    )
    await csms.expect(
        "StatusNotification",
        connector_id=1,
        status="Available",
        within_s=TIMEOUT_S + SLACK_S,
        req=TIMED_OUT,
    )


@oca(
    "TC_005_1_CS",
    "EV Side Disconnected - StopTransactionOnEVSideDisconnect = true (unlock true)",
    profile="core",
    versions=V16,
    kills=("cp16-ev-disconnect-no-stop",),
)
async def test_ev_disconnect_stops(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """No 2.0.1 case has the same steps. §4.10 / §9.1 with StopTransactionOnEVSideDisconnect and
    UnlockConnectorOnEVSideDisconnect true (set for the case; NOT-APPLICABLE if the charge point
    will not take them): unplugging at the EV stops the transaction (reason EVDisconnected
    SHOULD), the connector reports Finishing (SHOULD, §4.9) and then Available."""
    await with_key(csms, "StopTransactionOnEVSideDisconnect", "true")
    await with_key(csms, "UnlockConnectorOnEVSideDisconnect", "true")
    tx_id = await charging(csms, sut, sut_profile)
    await sut.unplug(evse_id=1)
    stop = await csms.expect(
        "StopTransaction",
        transaction_id=tx_id,
        req="1.6 §9.1 StopTransactionOnEVSideDisconnect true: the transaction stops",
    )
    should(
        csms,
        stop.get("reason") == "EVDisconnected",
        req="1.6 §7.36: reason EVDisconnected",
        expected="EVDisconnected",
        actual=repr(stop.get("reason")),
    )
    await csms.expect(
        "StatusNotification", connector_id=1, status="Available", req="1.6 §4.9: Available"
    )


#: What TC_005_2_CS owes after the EV-side disconnect (1.6 §4.10, §9.1).
LOCKED_STOPS = (
    "1.6 §4.10: StopTransactionOnEVSideDisconnect true stops the transaction, "
    "UnlockConnectorOnEVSideDisconnect false notwithstanding"
)
STAYS_LOCKED = (
    "1.6 §4.10, §4.9 C6: the cable stays locked until the identifier is presented: Finishing"
)
RELEASED = "1.6 §4.10: the identifier presented releases the locked cable: Available"


@oca(
    "TC_005_2_CS",
    "EV Side Disconnected - StopTransactionOnEVSideDisconnect = true (unlock false)",
    profile="core",
    versions=V16,
    kills=("cp16-ev-disconnect-locked-no-stop",),
)
async def test_ev_disconnect_stops_locked(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """No 2.0.1 case has the same steps. §4.10 / §9.1 with StopTransactionOnEVSideDisconnect true
    and UnlockConnectorOnEVSideDisconnect false (set for the case; NOT-APPLICABLE if the charge
    point will not take them; a fixed cable reports false, read-only: errata 3.84/3.85):
    unplugging at the EV stops the transaction all the same (reason EVDisconnected SHOULD). The
    cable stays locked at the charge point until the user presents the identifier: the connector
    is Finishing (§4.9 C6, user action needed; a warning if it is Available at once, unless the
    profile declares a fixed cable, HFS-2, where C1 applies). The idTag then releases it and, the
    cable taken out, the connector is Available."""
    await with_key(csms, "StopTransactionOnEVSideDisconnect", "true")
    await with_key(csms, "UnlockConnectorOnEVSideDisconnect", "false")
    tag = sut_profile.sut.tokens.valid
    tx_id = await charging(csms, sut, sut_profile)
    await drain(csms, "StatusNotification")  # the statuses before the disconnect
    await sut.unplug(evse_id=1)
    stop = await csms.expect("StopTransaction", transaction_id=tx_id, req=LOCKED_STOPS)
    should(
        csms,
        stop.get("reason") == "EVDisconnected",
        req="1.6 §7.36: reason EVDisconnected",
        expected="EVDisconnected",
        actual=repr(stop.get("reason")),
    )
    status = ""
    for _ in range(3):  # SuspendedEV may come first
        report = await csms.expect(
            "StatusNotification",
            connector_id=1,
            req="1.6 §4.9 (errata 3.19): the status after the stop is reported",
        )
        status = str(report.get("status"))
        if status in ("Finishing", "Available"):
            break
    if status == "Available":
        should(
            csms,
            "HFS-2" in sut_profile.sut.features,
            req=STAYS_LOCKED,
            expected="Finishing until the idTag is presented",
            actual="Available at once (and no fixed cable, HFS-2, declared)",
        )
        return
    await sut.present_token(tag)
    await sut.unplug(evse_id=1)  # the released cable taken out at the charge point
    await csms.expect("StatusNotification", connector_id=1, status="Available", req=RELEASED)


@oca(
    "TC_005_3_CS",
    "EV Side Disconnected - StopTransactionOnEVSideDisconnect = false",
    profile="core",
    versions=V16,
    kills=("cp16-ev-disconnect-always-stops",),
)
async def test_ev_disconnect_continues(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """No 2.0.1 case has the same steps. §4.10 / §9.1 with StopTransactionOnEVSideDisconnect
    false (set for the case; NOT-APPLICABLE if refused): unplugging at the EV does not stop the
    transaction (SuspendedEV, §4.9), plugging in again resumes it, and the idTag stops it."""
    await with_key(csms, "StopTransactionOnEVSideDisconnect", "false")
    tag = sut_profile.sut.tokens.valid
    tx_id = await charging(csms, sut, sut_profile)
    await sut.unplug(evse_id=1)
    kept = "1.6 §9.1 StopTransactionOnEVSideDisconnect false: the transaction goes on"
    await csms.expect_none("StopTransaction", for_s=SLACK_S, req=kept)
    await sut.plug_in(evse_id=1)
    await csms.expect_none("StopTransaction", for_s=0.5, req=kept)
    await _stop_locally(csms, sut, tag, tx_id)


@oca(
    "TC_011_1_CS",
    "Remote Start Charging Session - Remote Start First",
    profile="core",
    versions=V16,
    kills=("cp16-authorized-without-cable-forgotten",),
)
async def test_remote_start_first(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """Follows TC_F_02_CS of 2.0.1. §5.11: RemoteStartTransaction without a cable is Accepted
    (with AuthorizeRemoteTxRequests true the idTag is authorized first); the cable plugged in
    within ConnectionTimeOut starts the transaction for the given idTag, which a
    RemoteStopTransaction then stops (§5.12)."""
    tag = sut_profile.sut.tokens.valid
    result = await csms.call("RemoteStartTransaction", id_tag=tag, connector_id=1)
    result.must(status="Accepted", req="1.6 §5.11: RemoteStartTransaction Accepted")
    await _preparing(csms)
    await sut.plug_in(evse_id=1)
    await csms.expect(
        "StartTransaction",
        connector_id=1,
        id_tag=tag,
        req=f"1.6 §5.11: {FOLLOWS} the remote start",
    )
    await csms.expect(
        "StatusNotification", connector_id=1, status="Charging", req="1.6 §4.9: Charging"
    )
    tx_id = csms.last_transaction_id
    stopped = await csms.call("RemoteStopTransaction", transaction_id=tx_id)
    stopped.must(status="Accepted", req="1.6 §5.12: RemoteStopTransaction Accepted")
    await csms.expect("StopTransaction", transaction_id=tx_id, req="1.6 §5.12: it stops")
    await sut.unplug(evse_id=1)


@oca(
    "TC_011_2_CS",
    "Remote Start Charging Session - Time Out",
    profile="core",
    versions=V16,
    kills=("cp16-remote-start-never-lapses",),
)
async def test_remote_start_timeout(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """Follows TC_F_03_CS of 2.0.1. §5.11 / §9.1 ConnectionTimeOut (a few seconds): an Accepted
    RemoteStartTransaction without a cable lapses: Available again, no transaction."""
    await with_key(csms, "ConnectionTimeOut", str(TIMEOUT_S))
    csms.forbid("StartTransaction", "1.6 §9.1 ConnectionTimeOut: no transaction without a cable")
    tag = sut_profile.sut.tokens.valid
    result = await csms.call("RemoteStartTransaction", id_tag=tag, connector_id=1)
    result.must(status="Accepted", req="1.6 §5.11: RemoteStartTransaction Accepted")
    await _lapses(csms)


@oca(
    "TC_023_4_CS",
    "Start local Charging Session - Authorize invalid",
    profile="core",
    versions=V16,
    kills=("cp16-starts-unauthorized",),
)
async def test_local_start_invalid(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """Follows TC_C_02_CS of 2.0.1. §4.1: with the cable plugged in, an idTag the Central System
    answers Invalid starts no transaction (checked first, so that a charge point starting without
    asking fails on it), and was sent in an Authorize."""
    tag = sut_profile.sut.tokens.invalid
    csms.set_reply("Authorize", id_tag_info={"status": "Invalid"})
    csms.set_reply("StartTransaction", id_tag_info={"status": "Invalid"})
    await sut.plug_in(evse_id=1)
    await sut.present_token(tag)
    await csms.expect_none("StartTransaction", for_s=SLACK_S, req=NOT_STARTED)
    await csms.expect("Authorize", id_tag=tag, within_s=0.1, req="1.6 §4.1: Authorize first")
    await sut.unplug(evse_id=1)


@oca(
    "TC_023_5_CS",
    "Start remote Charging Session - Authorize invalid",
    profile="core",
    versions=V16,
    kills=("cp16-starts-unauthorized",),
)
async def test_remote_start_invalid(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """Follows TC_F_01_CS of 2.0.1 with an invalid idToken. §5.11 with AuthorizeRemoteTxRequests
    true (set for the case; NOT-APPLICABLE if refused): the remote start's idTag is authorized as
    a local one; answered Invalid, no transaction starts."""
    await with_key(csms, "AuthorizeRemoteTxRequests", "true")
    tag = sut_profile.sut.tokens.invalid
    csms.set_reply("Authorize", id_tag_info={"status": "Invalid"})
    csms.set_reply("StartTransaction", id_tag_info={"status": "Invalid"})
    await sut.plug_in(evse_id=1)
    result = await csms.call("RemoteStartTransaction", id_tag=tag, connector_id=1)
    result.must(req="1.6 §5.11: RemoteStartTransaction answered")
    await csms.expect_none("StartTransaction", for_s=SLACK_S, req=NOT_STARTED)
    await sut.unplug(evse_id=1)


@oca(
    "TC_026_CS",
    "Remote Start Charging Session - Rejected",
    profile="core",
    versions=V16,
    kills=("cp16-remote-start-unavailable-accepted",),
)
async def test_remote_start_rejected(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """No 2.0.1 case has the same steps. §5.2 / §5.11: with connector 1 made Unavailable
    (ChangeAvailability Inoperative) a RemoteStartTransaction for it is Rejected (the charge
    point cannot start there); the connector is made Operative again at the end."""
    changed = await csms.call("ChangeAvailability", connector_id=1, type="Inoperative")
    changed.must(status="Accepted", req="1.6 §5.2: ChangeAvailability Accepted")
    try:
        await csms.expect(
            "StatusNotification", connector_id=1, status="Unavailable", req="1.6 §5.2: Unavailable"
        )
        tag = sut_profile.sut.tokens.valid
        result = await csms.call("RemoteStartTransaction", id_tag=tag, connector_id=1)
        result.must(status="Rejected", req="1.6 §5.11: Rejected for an Unavailable connector")
    finally:
        back = await csms.call("ChangeAvailability", connector_id=1, type="Operative")
        back.must(status="Accepted", req="1.6 §5.2: ChangeAvailability Accepted")
    await csms.expect(
        "StatusNotification", connector_id=1, status="Available", req="1.6 §5.2: Available"
    )
