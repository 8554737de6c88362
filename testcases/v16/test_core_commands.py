"""OCPP 1.6 Central System commands to the charge point under test (test case document sections
06 resetting, 07 and 13 unlocking, 12 remote actions non happy, 24 data transfer). The 1.6 test
case document is not public: steps and criteria in our own words after OCPP 1.6 edition 2 and
its errata (§5.6, §5.11, §5.12, §5.14, §5.18, §6.33).

The unlock cases here need a cable lock: with a fixed cable declared (PICS HFS-2,
:mod:`testcases.v16.cable`) they are NOT-APPLICABLE and their fixed-cable twins, TC_017_2_CS and
TC_018_2_CS (:mod:`testcases.v16.test_fixed_cable`), apply instead."""

from __future__ import annotations

from harness import CsmsPeer, SutActions, oca
from harness.checks import applicable_unless, require, should
from harness.config import SutProfile
from testcases.v16.cable import with_cable_lock
from testcases.v16.states import charging, connectors_available

V16 = ("1.6",)
#: A vendorId no charge point implements (TC_062_CS).
UNKNOWN_VENDOR = "org.ocpp-harness.no-such-extension"


async def _reset_accepted(csms: CsmsPeer, kind: str) -> None:
    """§5.14: Reset of ``kind``; Rejected is a legal answer (the charge point will not try), which
    makes the case NOT-APPLICABLE."""
    result = await csms.call("Reset", type=kind, req="1.6 §5.14: Reset answered")
    status = result.must(req="1.6 §5.14: Reset answered").get("status")
    applicable_unless(status == "Rejected", f"the charge point answered the {kind} Reset Rejected")
    require(
        status == "Accepted",
        req="1.6 §5.14: Reset answered Accepted or Rejected",
        expected="Accepted",
        actual=repr(status),
        frames=result.frames,
    )


async def _rebooted(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """After an accepted Reset: BootNotification (answered Accepted), then every connector."""
    boot = await csms.expect(
        "BootNotification",
        within_s=csms.action_s * 2,
        req="1.6 §5.14: the charge point resets after accepting",
    )
    if not boot.replied:
        await boot.reply(status="Accepted", interval=300)
    await connectors_after_reset(csms, sut_profile)


async def connectors_after_reset(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """Errata §4.2: after the accepted boot every connector's status is reported."""
    for connector in range(1, sum(e.connectors for e in sut_profile.sut.evses) + 1):
        await csms.expect(
            "StatusNotification",
            connector_id=connector,
            req="1.6 §4.9: connector status reported after the reset",
        )


@oca(
    "TC_013_CS",
    "Hard Reset Without transaction",
    profile="core",
    versions=V16,
    kills=("cp16-reset-accepted-no-reboot",),
)
async def test_hard_reset_idle(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """No 2.0.1 case has the same steps (TC_B_20_CS resets OnIdle). §5.14: a hard Reset without a
    transaction is Accepted, the charge point reboots (BootNotification) and reports its
    connectors Available once Accepted (§4.9)."""
    csms.hold("BootNotification")
    await _reset_accepted(csms, "Hard")
    await _rebooted_available(csms, sut_profile)


@oca(
    "TC_014_CS",
    "Soft Reset Without Transaction",
    profile="core",
    versions=V16,
    kills=("cp16-soft-reset-ignored",),
)
async def test_soft_reset_idle(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """No 2.0.1 case has the same steps (TC_B_20_CS resets OnIdle). §5.14: a soft Reset without a
    transaction is Accepted, the charge point restarts (BootNotification) and reports its
    connectors Available once Accepted (§4.9)."""
    csms.hold("BootNotification")
    await _reset_accepted(csms, "Soft")
    await _rebooted_available(csms, sut_profile)


async def _rebooted_available(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    boot = await csms.expect(
        "BootNotification",
        within_s=csms.action_s * 2,
        req="1.6 §5.14: the charge point resets after accepting",
    )
    await boot.reply(status="Accepted", interval=300)
    await connectors_available(csms, sut_profile, "1.6 §4.9: connectors Available after reset")


@oca(
    "TC_015_CS",
    "Hard Reset With Transaction",
    profile="core",
    versions=V16,
    kills=("cp16-reset-drops-transaction",),
)
async def test_hard_reset_charging(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """No 2.0.1 case has the same steps (TC_B_21_CS resets Immediate). §5.14: a hard Reset during
    a transaction is Accepted; the transaction's StopTransaction comes before the reset or, a
    hard reset need not stop gracefully, after the reboot; its reason SHOULD be HardReset.
    The charge point reboots and reports its connectors."""
    tx_id = await charging(csms, sut, sut_profile)
    await _reset_accepted(csms, "Hard")
    stop = await csms.expect(
        "StopTransaction",
        transaction_id=tx_id,
        within_s=csms.action_s * 2,
        req="1.6 §5.14: StopTransaction for the ongoing transaction",
    )
    should(
        csms,
        stop.get("reason") == "HardReset",
        req="1.6 §7.36: reason HardReset",
        expected="HardReset",
        actual=repr(stop.get("reason")),
    )
    await _rebooted(csms, sut_profile)
    await sut.unplug(evse_id=1)


@oca(
    "TC_016_CS",
    "Soft Reset With Transaction",
    profile="core",
    versions=V16,
    kills=("cp16-reset-drops-transaction",),
)
async def test_soft_reset_charging(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """No 2.0.1 case has the same steps (TC_B_21_CS resets Immediate). §5.14: a soft Reset during
    a transaction is Accepted and the transaction is stopped gracefully: StopTransaction before
    the restart (the BootNotification is held, so a StopTransaction only sent after the reboot
    cannot come), reason SoftReset (SHOULD). The charge point then reboots and reports its
    connectors."""
    tx_id = await charging(csms, sut, sut_profile)
    csms.hold("BootNotification")
    await _reset_accepted(csms, "Soft")
    stop = await csms.expect(
        "StopTransaction",
        transaction_id=tx_id,
        within_s=csms.action_s,
        req="1.6 §5.14: StopTransaction for the ongoing transaction before the soft reset",
    )
    should(
        csms,
        stop.get("reason") == "SoftReset",
        req="1.6 §7.36: reason SoftReset",
        expected="SoftReset",
        actual=repr(stop.get("reason")),
    )
    await _rebooted(csms, sut_profile)
    await sut.unplug(evse_id=1)


@oca(
    "TC_017_1_CS",
    "Unlock connector - no session (Not fixed cable)",
    profile="core",
    versions=V16,
    kills=("cp16-unlock-idle-failed",),
    applies=with_cable_lock,
)
async def test_unlock_idle(csms: CsmsPeer) -> None:
    """Follows TC_F_05_CS of 2.0.1 (UnlockConnector). §5.18: UnlockConnector for a connector
    without a transaction is answered Unlocked (a charge point with a fixed cable is TC_017_2_CS,
    not this case)."""
    result = await csms.call("UnlockConnector", connector_id=1)
    result.must(status="Unlocked", req="1.6 §5.18: an idle connector is Unlocked")


@oca(
    "TC_018_1_CS",
    "Unlock Connector - With Charging Session (Not fixed cable)",
    profile="core",
    versions=V16,
    kills=("cp16-unlock-keeps-transaction",),
    applies=with_cable_lock,
)
async def test_unlock_charging(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """Follows TC_F_06_CS of 2.0.1. §5.18: UnlockConnector for a connector with a transaction
    finishes the transaction first (StopTransaction, reason UnlockCommand SHOULD) and is answered
    Unlocked."""
    tx_id = await charging(csms, sut, sut_profile)
    result = await csms.call("UnlockConnector", connector_id=1)
    result.must(status="Unlocked", req="1.6 §5.18: the connector is Unlocked")
    stop = await csms.expect(
        "StopTransaction",
        transaction_id=tx_id,
        req="1.6 §5.18: the transaction is finished first",
    )
    should(
        csms,
        stop.get("reason") == "UnlockCommand",
        req="1.6 §7.36: reason UnlockCommand",
        expected="UnlockCommand",
        actual=repr(stop.get("reason")),
    )
    await sut.unplug(evse_id=1)
    await csms.expect(
        "StatusNotification",
        connector_id=1,
        status="Available",
        req="1.6 §4.9: Available after unplug",
    )


@oca(
    "TC_031_CS",
    "Unlock Connector - Unknown Connector",
    profile="core",
    versions=V16,
    kills=("cp16-unlock-unknown-failed",),
)
async def test_unlock_unknown_connector(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """Follows TC_F_07_CS of 2.0.1 (unknown connector). Errata 3.87 (UnlockStatus, §7.42): for a
    connectorId the charge point does not have the answer is NotSupported (not UnlockFailed)."""
    unknown = sum(e.connectors for e in sut_profile.sut.evses) + 1
    result = await csms.call("UnlockConnector", connector_id=unknown)
    result.must(status="NotSupported", req="errata 3.87: an unknown connectorId is NotSupported")


@oca(
    "TC_027_CS",
    "Remote start transaction - connector id shall not be 0",
    profile="core",
    versions=V16,
    kills=("cp16-remote-start-connector-zero",),
)
async def test_remote_start_connector_zero(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """No 2.0.1 case has the same steps. §6.33: connectorId of RemoteStartTransaction is > 0; with
    a cable plugged in (a start would be possible) a request for connector 0 is not accepted
    (Rejected, or a CALLERROR for the out-of-range value) and no transaction starts."""
    await sut.plug_in(evse_id=1)
    await csms.expect(
        "StatusNotification", connector_id=1, status="Preparing", req="1.6 §4.9: Preparing"
    )
    result = await csms.call(
        "RemoteStartTransaction", id_tag=sut_profile.sut.tokens.valid, connector_id=0
    )
    status = None if result.error is not None else result.get("status")
    require(
        status != "Accepted",
        req="1.6 §6.33: connectorId 0 is Rejected",
        expected="Rejected (or a CALLERROR)",
        actual=repr(status),
        frames=result.frames,
    )
    await csms.expect_none(
        "StartTransaction", for_s=2, req="1.6 §6.33: connectorId 0 is Rejected: no transaction"
    )
    await sut.unplug(evse_id=1)


@oca(
    "TC_028_CS",
    "Remote Stop Transaction - Rejected",
    profile="core",
    versions=V16,
    kills=("cp16-remote-stop-unknown-accepted",),
)
async def test_remote_stop_unknown(csms: CsmsPeer) -> None:
    """Follows TC_F_04_CS of 2.0.1 (unknown transaction). §5.12: RemoteStopTransaction for a
    transactionId that is not ongoing is answered Rejected."""
    unknown = csms.last_transaction_id + 1000
    result = await csms.call("RemoteStopTransaction", transaction_id=unknown)
    result.must(status="Rejected", req="1.6 §5.12: an unknown transactionId is Rejected")


@oca(
    "TC_062_CS",
    "Data Transfer to a Charge Point",
    profile="core",
    versions=V16,
    kills=("datatransfer-accepts-unknown-vendor",),
)
async def test_data_transfer(csms: CsmsPeer) -> None:
    """Follows TC_P_01_CS of 2.0.1. §5.6 / §4.3, §7.23: a DataTransfer for a vendorId the charge
    point does not implement is answered (UnknownVendorId expected), never Accepted."""
    result = await csms.call("DataTransfer", vendor_id=UNKNOWN_VENDOR, message_id="probe")
    status = result.must(req="1.6 §5.6: DataTransfer answered").get("status")
    require(
        status != "Accepted",
        req="1.6 §5.6: an unknown vendor's DataTransfer is not Accepted",
        expected="UnknownVendorId",
        actual=repr(status),
        frames=result.frames,
    )
    should(
        csms,
        status == "UnknownVendorId",
        req="1.6 §7.23: UnknownVendorId for an unknown vendorId",
        expected="UnknownVendorId",
        actual=repr(status),
    )
