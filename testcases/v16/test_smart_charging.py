"""OCPP 1.6 Smart Charging with the charge point under test (test case document section 23:
TC_056_CS, TC_057_CS, TC_058_1/2_CS, TC_059_CS, TC_060_CS, TC_066_CS, TC_067_CS, TC_072_CS,
TC_082_CS). The 1.6 test case document is not public: steps and criteria are ours, after the
2.0.1 block K cases named in each docstring and OCPP 1.6 §3.13, §5.5, §5.7, §5.11, §5.16 (with
the 1.6 errata on TxProfile/TxDefaultProfile, §7.10). Composite schedules are checked against
the :mod:`harness.smart_charging` oracle in its 1.6 dialect. Every case clears the profiles
before and after itself. Limits are written in A and sent in W to a charge point that allows
Power only (:mod:`testcases.v16.sc16_states`: units).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from harness import CsmsPeer, SutActions, oca
from harness.config import SutProfile
from testcases.v16.auth_states import V16
from testcases.v16.reservation_states import stop_and_unplug
from testcases.v16.sc16_states import (
    SMART,
    check_composite,
    clear,
    composite,
    drawn_within,
    in_unit,
    profile16,
    profiles_cleared,
    set_profile,
)
from testcases.v16.states import charging

PROFILE = "smart-charging"
SET_OK = "1.6 §5.16: SetChargingProfile Accepted for a valid profile"
COMPOSITE = "1.6 §3.13.4, §5.7: the composite schedule merges the installed profiles"


F = TypeVar("F", bound=Callable[..., object])


def _case(case_id: str, title: str, *kills: str) -> Callable[[F], F]:
    return oca(case_id, title, profile=PROFILE, versions=V16, kills=kills, applies=SMART)


@_case("TC_056_CS", "Central Smart Charging - TxDefaultProfile", "cp16-sc-txdefault-not-applied")
async def test_txdefault_profile(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """After 2.0.1 TC_K_01_CS / TC_K_15_CS. §3.13.1, §5.16: a TxDefaultProfile (10 A) on connector
    1 is Accepted; a transaction then starts and the composite of connector 1 is that profile's."""
    default = profile16(561, "TxDefaultProfile", 10.0)
    async with profiles_cleared(csms):
        await set_profile(csms, 1, default, status="Accepted", req=SET_OK)
        tx = await charging(csms, sut, sut_profile)
        try:
            got = await composite(csms, 1, req=COMPOSITE)
            check_composite(
                got,
                [(1, default)],
                1,
                (1, tx),
                req="1.6 §3.13.1: TxDefaultProfile used for the transaction",
            )
        finally:
            await stop_and_unplug(csms, sut, sut_profile.sut.tokens.valid)


@_case(
    "TC_057_CS",
    "Central Smart Charging - TxProfile",
    "cp16-sc-txprofile-ignored",
    "cp16-sc-limit-not-enforced",
)
async def test_txprofile(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """After 2.0.1 TC_K_02/K_10_CS. §3.13.1, §5.16: with a TxDefaultProfile (10 A) and a running
    transaction, a TxProfile (6 A) for that transaction is Accepted and overrules the default;
    beyond the OCA (issue 13 item 5), the energy the EV then draws (two triggered register
    readings, §5.17) stays within 6 A on 3 phases (§7.11: Accepted means executed)."""
    default = profile16(571, "TxDefaultProfile", 10.0)
    async with profiles_cleared(csms):
        await set_profile(csms, 1, default, status="Accepted", req=SET_OK)
        tx = await charging(csms, sut, sut_profile)
        try:
            own = profile16(572, "TxProfile", 6.0, transaction_id=tx)
            await set_profile(csms, 1, own, status="Accepted", req=SET_OK)
            got = await composite(csms, 1, req=COMPOSITE)
            check_composite(
                got,
                [(1, default), (1, own)],
                1,
                (1, tx),
                req="1.6 §3.13.1: the TxProfile overrules the default",
            )
            await drawn_within(csms, 1, 6.0)
        finally:
            await stop_and_unplug(csms, sut, sut_profile.sut.tokens.valid)


@_case(
    "TC_058_1_CS",
    "Central Smart Charging - No ongoing transaction",
    "cp16-sc-txprofile-without-tx-accepted",
)
async def test_txprofile_without_transaction(csms: CsmsPeer) -> None:
    """After 2.0.1 TC_K_03_CS. §3.13.1, §5.16: a TxProfile for connector 1 without a transaction
    there is discarded with an error status (Rejected)."""
    async with profiles_cleared(csms):
        await set_profile(
            csms,
            1,
            profile16(581, "TxProfile", 6.0),
            status="Rejected",
            req="1.6 §3.13.1: a TxProfile without a transaction is discarded (error status)",
        )


@_case(
    "TC_058_2_CS",
    "Central Smart Charging - Wrong transactionId",
    "cp16-sc-wrong-transaction-accepted",
)
async def test_txprofile_wrong_transaction(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """After 2.0.1 TC_K_03_CS (unknown transaction). §3.13.1, §5.16: with a transaction on
    connector 1, a TxProfile naming another transactionId is Rejected."""
    async with profiles_cleared(csms):
        tx = await charging(csms, sut, sut_profile)
        try:
            await set_profile(
                csms,
                1,
                profile16(582, "TxProfile", 6.0, transaction_id=tx + 1000),
                status="Rejected",
                req="1.6 §3.13.1: no such transaction on the connector: discarded (error status)",
            )
        finally:
            await stop_and_unplug(csms, sut, sut_profile.sut.tokens.valid)


@_case(
    "TC_059_CS",
    "Remote Start Transaction with Charging Profile",
    "cp16-sc-remote-start-profile-dropped",
)
async def test_remote_start_with_profile(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """After 2.0.1 TC_K_37_CS. §5.11: a RemoteStartTransaction with a TxProfile (6 A) is
    Accepted; the transaction starts and its composite is that profile's."""
    tag = sut_profile.sut.tokens.valid
    own = profile16(591, "TxProfile", 6.0)
    async with profiles_cleared(csms):
        await sut.plug_in(evse_id=1)
        result = await csms.call_payload(
            "RemoteStartTransaction",
            {"connectorId": 1, "idTag": tag, "chargingProfile": in_unit(own)},
            req="1.6 §5.11: RemoteStartTransaction answered",
        )
        result.must(status="Accepted", req="1.6 §5.11: RemoteStartTransaction Accepted")
        await csms.expect(
            "StartTransaction", connector_id=1, req="1.6 §5.11: the transaction starts"
        )
        try:
            tx = csms.last_transaction_id
            got = await composite(csms, 1, req=COMPOSITE)
            check_composite(
                got, [(1, own)], 1, (1, tx), req="1.6 §5.11: the accepted profile is used"
            )
        finally:
            await stop_and_unplug(csms, sut, tag)


@_case(
    "TC_060_CS",
    "Remote Start Transaction with Charging Profile - Rejected",
    "cp16-sc-remote-start-any-purpose",
)
async def test_remote_start_wrong_purpose(csms: CsmsPeer, sut: SutActions) -> None:
    """After 2.0.1 TC_K_37_CS, negative. §5.11, §6.33: a RemoteStartTransaction whose
    chargingProfile is a TxDefaultProfile (the purpose MUST be TxProfile) is Rejected and no
    transaction starts."""
    wrong = profile16(601, "TxDefaultProfile", 6.0)
    async with profiles_cleared(csms):
        result = await csms.call_payload(
            "RemoteStartTransaction",
            {"connectorId": 1, "idTag": "SC16-REMOTE", "chargingProfile": in_unit(wrong)},
            req="1.6 §5.11: RemoteStartTransaction answered",
        )
        try:
            result.must(status="Rejected", req="1.6 §5.11: a chargingProfile MUST be a TxProfile")
            await csms.expect_none(
                "StartTransaction", for_s=csms.response_s, req="1.6 §5.11: nothing starts"
            )
        finally:
            if result.get("status") == "Accepted":  # withdraw the waiting start (§5.2)
                await csms.call("ChangeAvailability", connector_id=1, type="Inoperative")
                await csms.call("ChangeAvailability", connector_id=1, type="Operative")


@_case("TC_066_CS", "Get Composite Schedule", "cp16-sc-composite-ignores-max")
async def test_composite_schedule(csms: CsmsPeer) -> None:
    """After 2.0.1 TC_K_41_CS. §3.13.4, §5.7: a ChargePointMaxProfile on connector 0 (8 A, then
    16 A after 20 s) and a TxDefaultProfile on connector 1 (10 A): the composite of connector 1
    is their minimum per period."""
    cap = profile16(661, "ChargePointMaxProfile", 8.0, periods=[(20, 16.0)])
    default = profile16(662, "TxDefaultProfile", 10.0)
    async with profiles_cleared(csms):
        await set_profile(csms, 0, cap, status="Accepted", req=SET_OK)
        await set_profile(csms, 1, default, status="Accepted", req=SET_OK)
        got = await composite(csms, 1, req=COMPOSITE)
        check_composite(got, [(0, cap), (1, default)], 1, req=COMPOSITE)


@_case(
    "TC_067_CS",
    "Clear Charging Profile",
    "cp16-sc-clear-unknown-accepted",
    "cp16-sc-clear-keeps-profile",
)
async def test_clear_charging_profile(csms: CsmsPeer) -> None:
    """After 2.0.1 TC_K_05/K_06_CS. §5.5: a ChargePointMaxProfile (12 A) and a TxDefaultProfile
    (6 A) installed; clearing the TxDefaultProfile by id is Accepted and the composite then
    follows the ChargePointMaxProfile alone; clearing it again is Unknown."""
    cap = profile16(671, "ChargePointMaxProfile", 12.0)
    default = profile16(672, "TxDefaultProfile", 6.0)
    async with profiles_cleared(csms):
        await set_profile(csms, 0, cap, status="Accepted", req=SET_OK)
        await set_profile(csms, 1, default, status="Accepted", req=SET_OK)
        await clear(csms, id=672, status="Accepted", req="1.6 §5.5: Accepted for a known id")
        got = await composite(csms, 1, req=COMPOSITE)
        check_composite(
            got,
            [(0, cap)],
            1,
            req="1.6 §5.5: the cleared profile no longer applies",
        )
        await clear(csms, id=672, status="Unknown", req="1.6 §5.5: Unknown when no profile matches")


@_case("TC_072_CS", "Stacking Charging Profiles", "cp16-sc-composite-ignores-stack-level")
async def test_stacking(csms: CsmsPeer) -> None:
    """After 2.0.1 TC_K_41_CS (stacking). §3.13.2: two TxDefaultProfiles on connector 1, stack
    level 0 (10 A) and stack level 1 (6 A for 20 s, then 8 A): the higher stack level prevails."""
    low = profile16(721, "TxDefaultProfile", 10.0)
    high = profile16(722, "TxDefaultProfile", 6.0, stack=1, periods=[(20, 8.0)])
    async with profiles_cleared(csms):
        await set_profile(csms, 1, low, status="Accepted", req=SET_OK)
        await set_profile(csms, 1, high, status="Accepted", req=SET_OK)
        got = await composite(csms, 1, req=COMPOSITE)
        check_composite(
            got,
            [(1, low), (1, high)],
            1,
            req="1.6 §3.13.2: the profile with the highest stackLevel prevails",
        )


@_case(
    "TC_082_CS",
    "Central Smart Charging - TxDefaultProfile - with ongoing transaction",
    "cp16-sc-txdefault-not-applied",
)
async def test_txdefault_during_transaction(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """After 2.0.1 TC_K_15_CS with a transaction. §3.13.1, §5.16: a TxDefaultProfile (7 A) set
    on connector 1 while a transaction runs there is Accepted and applies to it."""
    default = profile16(821, "TxDefaultProfile", 7.0)
    async with profiles_cleared(csms):
        tx = await charging(csms, sut, sut_profile)
        try:
            await set_profile(csms, 1, default, status="Accepted", req=SET_OK)
            got = await composite(csms, 1, req=COMPOSITE)
            check_composite(
                got,
                [(1, default)],
                1,
                (1, tx),
                req="1.6 §3.13.1: TxDefaultProfile used for the transaction",
            )
        finally:
            await stop_and_unplug(csms, sut, sut_profile.sut.tokens.valid)
