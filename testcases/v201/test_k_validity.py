"""OCA block K (smart charging): what validFrom, validTo and startSchedule do to the composite
schedule, a TxDefaultProfile set or cleared during a transaction, and a remote start with a
charging profile, OCPP 2.0.1 and 2.1, the charging station under test. Steps and criteria in our
own words after OCPP 2.0.1 Part 6: TC_K_09, 21, 22, 23, 28, 37, 38 _CS.

The composite checks are those of :mod:`testcases.v201.test_k_composite`: the oracle where a
profile limits, and each period boundary the OCA names ("startPeriod (300 - x)") present."""

from __future__ import annotations

import time
from typing import Any

import pytest

from harness import CsmsPeer, SutActions, oca
from harness.checks import require
from harness.config import SutProfile
from harness.smart_charging import TxState, format_time
from testcases.v201.sc_states import (
    DEVIATION_S,
    V2,
    boundary,
    clear_profile,
    evse_of,
    get_composite,
    get_profiles,
    limit,
    profile_payload,
    profiles_cleared,
    rate_unit,
    same_profile,
    set_profile,
)
from testcases.v201.states import set_variable, tx_points
from testcases.v201.tx_states import (
    Session,
    charging,
    energy_transfer_started,
    ev_connected_pre_session,
)

__all__ = ["profiles_cleared"]
pytestmark = pytest.mark.usefixtures("profiles_cleared")

TX_DEFAULT = "TxDefaultProfile"


async def _significance(csms: CsmsPeer) -> None:
    """The OCA's Before: SmartChargingCtrlr.LimitChangeSignificance 1.0 where the station has
    it (a station without it reports every change anyway)."""
    await set_variable(
        csms,
        "SmartChargingCtrlr",
        "LimitChangeSignificance",
        "1.0",
        req="K01: SmartChargingCtrlr.LimitChangeSignificance set",
    )


@oca(
    "TC_K_21_CS",
    "Set Charging Profile - ValidFrom",
    profile="smart-charging",
    versions=V2,
    kills=("sc-ignores-valid-from",),
)
async def test_valid_from(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_21_CS (K01.FR.36): a Relative TxDefaultProfile on the configured EVSE, valid from
    now + 300 s, no validTo, no startSchedule, 6 A, is Accepted (step 2); the composite for 400
    s (step 4) has the station's own limit from 0 and 6 A from 300 - x."""
    evse, unit = evse_of(sut_profile), rate_unit(sut_profile)
    set_at = time.time()
    sent = profile_payload(
        121, TX_DEFAULT, unit, kind="Relative", duration=None, validFrom=format_time(set_at + 300)
    )
    await set_profile(csms, evse, sent, status="Accepted", req="K01: TxDefaultProfile set")
    req = "K01.FR.36: a profile counts from validFrom on"
    got = await get_composite(csms, [(evse, sent)], evse, 400, unit, req=req)
    boundary(got, set_at + 300 - got.start, 6.0, req=req)


@oca(
    "TC_K_22_CS",
    "Set Charging Profile - ValidTo",
    profile="smart-charging",
    versions=V2,
    kills=("sc-ignores-valid-to",),
)
async def test_valid_to(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_22_CS (K01.FR.37): an Absolute TxDefaultProfile on EVSE 0 from now, valid from now -
    deviation to now + 300 s, 6 A, is Accepted (step 2); the composite of each EVSE for 400 s
    (steps 3-4, per EVSE) is 6 A from 0 and the station's own limit from 300 - x. Deviation:
    for EVSE 0 only the answer's evseId, duration and unit are checked; the OCA's limit there
    (6 A times the number of EVSEs, K08.FR.03) is the grid connection's expected total, which
    the oracle does not compute."""
    unit = rate_unit(sut_profile)
    set_at = time.time()
    sent = profile_payload(
        122,
        TX_DEFAULT,
        unit,
        duration=None,
        start=set_at,
        validFrom=format_time(set_at - DEVIATION_S),
        validTo=format_time(set_at + 300),
    )
    await set_profile(csms, 0, sent, status="Accepted", req="K01: TxDefaultProfile on 0 set")
    req = "K01.FR.37: a profile is valid only before validTo"
    await get_composite(csms, [], 0, 400, unit, req=req)
    for evse in sut_profile.sut.evses:
        got = await get_composite(csms, [(0, sent)], evse.id, 400, unit, req=req)
        boundary(got, set_at + 300 - got.start, None, req=req)


@oca(
    "TC_K_23_CS",
    "Set Charging Profile - StartSchedule",
    profile="smart-charging",
    versions=V2,
    kills=("sc-ignores-start-schedule",),
)
async def test_start_schedule(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_K_23_CS (K01.FR.30): an Absolute TxDefaultProfile on the configured EVSE whose
    startSchedule is 60 s ahead (now - deviation + 60), valid from now - deviation + 50 to now +
    deviation + 400, 6 A, is Accepted (step 2); the composite for 300 s (step 4) has the
    station's own limit from 0 and 6 A from 60 - x."""
    evse, unit = evse_of(sut_profile), rate_unit(sut_profile)
    base = time.time() - DEVIATION_S
    sent = profile_payload(
        123,
        TX_DEFAULT,
        unit,
        duration=None,
        start=base + 60,
        validFrom=format_time(base + 50),
        validTo=format_time(base + 2 * DEVIATION_S + 400),
    )
    await set_profile(csms, evse, sent, status="Accepted", req="K01: TxDefaultProfile set")
    req = "K01.FR.30: the limit applies from startSchedule on"
    got = await get_composite(csms, [(evse, sent)], evse, 300, unit, req=req)
    boundary(got, base + 60 - got.start, 6.0, req=req)


async def _charging_with_default(
    csms: CsmsPeer, sut: SutActions, profile: SutProfile, pid: int, *, before: bool
) -> tuple[Session, list[tuple[int, dict[str, Any]]]]:
    """A transaction on the configured EVSE and an Absolute TxDefaultProfile there (6 A, from
    now - deviation, 400 s + deviation, valid until now + deviation + 401), set ``before`` the
    transaction starts or during it."""
    await _significance(csms)
    evse, unit = evse_of(profile), rate_unit(profile)
    start = time.time() - DEVIATION_S
    sent = profile_payload(
        pid,
        TX_DEFAULT,
        unit,
        duration=400 + DEVIATION_S,
        start=start,
        validFrom=format_time(start),
        validTo=format_time(start + 2 * DEVIATION_S + 401),
    )
    if before:
        await set_profile(csms, evse, sent, status="Accepted", req="K01: memory state")
    session = await charging(csms, sut, profile)
    if not before:
        await set_profile(csms, evse, sent, status="Accepted", req="K01.FR.32: set during a tx")
    return session, [(evse, sent)]


@oca(
    "TC_K_28_CS",
    "Set Charging Profile - TxDefaultProfile with transaction ongoing",
    profile="smart-charging",
    versions=V2,
    kills=("sc-txdefault-not-switched",),
)
async def test_tx_default_during_transaction(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_28_CS (K01.FR.32): during a transaction (EnergyTransferStarted) a TxDefaultProfile
    on its EVSE (6 A) is Accepted (step 2); the composite for 300 s (step 4) is 6 A from 0: the
    running transaction uses it."""
    session, sent = await _charging_with_default(csms, sut, sut_profile, 128, before=False)
    tx = TxState(session.evse_id, str(session.tx_id), time.time())
    req = "K01.FR.32: the running transaction switches to the new TxDefaultProfile"
    got = await get_composite(
        csms, sent, session.evse_id, 300, rate_unit(sut_profile), req=req, tx=tx
    )
    boundary(got, 0, 6.0, req=req)


@oca(
    "TC_K_09_CS",
    "Clear Charging Profile - Clearing a TxDefaultProfile - With ongoing transaction",
    profile="smart-charging",
    versions=V2,
    kills=("sc-clear-keeps-profile",),
)
async def test_clear_tx_default_during_transaction(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_09_CS (K10.FR.07): with a TxDefaultProfile (6 A) on the EVSE and a transaction
    there (EnergyTransferStarted), the composite (step 1) is 6 A from 0 (step 2);
    ClearChargingProfile for purpose TxDefaultProfile is Accepted (step 4); the composite for
    300 s (step 6) then is not 6 A at 0: the transaction goes on without the profile."""
    session, sent = await _charging_with_default(csms, sut, sut_profile, 109, before=True)
    evse, unit = session.evse_id, rate_unit(sut_profile)
    tx = TxState(evse, str(session.tx_id), time.time())
    req = "K10.FR.07: the transaction goes on as if without a TxDefaultProfile"
    got = await get_composite(
        csms, sent, evse, 300, unit, req="K01.FR.15: the profile applies", tx=tx
    )
    boundary(got, 0, 6.0, req="K01.FR.15: the profile applies")
    await clear_profile(csms, status="Accepted", req=req, chargingProfilePurpose=TX_DEFAULT)
    got = await get_composite(csms, [], evse, 300, unit, req=req, tx=tx)
    require(
        abs(got.periods[0].limit - limit(unit, 6.0)) >= 0.05,
        req=req,
        expected=f"a limit at 0 other than {limit(unit, 6.0)}",
        actual=str(got.periods[0].limit),
    )


async def _remote_start(
    csms: CsmsPeer, sut: SutActions, profile: SutProfile, *, req: str
) -> tuple[Session, dict[str, Any]]:
    """EVConnectedPreSession; RequestStartTransaction with a Relative TxProfile (6 A, no
    transactionId) is Accepted (steps 1-2), with the transactionId of a transaction already
    started (F01.FR.13); the next TransactionEvent reports the RemoteStart with the
    remoteStartId (steps 5-6; F01.FR.13/19); then EnergyTransferStarted (step 7)."""
    session = Session(await tx_points(csms, profile))
    await ev_connected_pre_session(csms, sut, session)
    sent = profile_payload(137, "TxProfile", rate_unit(profile), kind="Relative", duration=None)
    payload = {
        "idToken": {"idToken": profile.sut.tokens.valid, "type": "ISO14443"},
        "remoteStartId": 3701,
        "evseId": session.evse_id,
        "chargingProfile": sent,
    }
    result = await csms.call_payload("RequestStartTransaction", payload, req=req)
    result.must(status="Accepted", req=req)
    if session.tx_id is not None:
        require(
            result.get("transactionId") == session.tx_id,
            req="F01.FR.13: the answer names the transaction already started",
            expected=repr(session.tx_id),
            actual=repr(result.get("transactionId")),
        )
    event = await csms.expect(
        "TransactionEvent",
        trigger_reason="RemoteStart",
        req="F01.FR.19: the next TransactionEvent reports the remote start",
    )
    session.add(event, "F01")
    require(
        event["transactionInfo"].get("remoteStartId") == 3701,
        req="F01.FR.13: the remoteStartId of the request",
        expected="3701",
        actual=repr(event["transactionInfo"].get("remoteStartId")),
    )
    await energy_transfer_started(csms, session)
    return session, sent


@oca(
    "TC_K_37_CS",
    "Remote start transaction with charging profile - Success",
    profile="smart-charging",
    versions=V2,
    kills=("sc-remote-start-profile-rejected", "sc-remote-start-profile-dropped"),
)
async def test_remote_start_with_profile(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_37_CS (K05.FR.03, E01.FR.02, F01.FR.10/13): from EVConnectedPreSession a
    RequestStartTransaction with a Relative TxProfile is Accepted and the transaction reaches
    EnergyTransferStarted (steps 1-7, :func:`_remote_start`); GetChargingProfiles by the
    profile's id is Accepted (step 9) and reports it on the EVSE (step 10)."""
    req = "K05.FR.03: the remote start's TxProfile is used"
    session, sent = await _remote_start(csms, sut, sut_profile, req=req)
    found = await get_profiles(csms, 3702, {"chargingProfileId": [137]}, req=req)
    same_profile(found, session.evse_id, sent, req=req)


@oca(
    "TC_K_38_CS",
    "Remote start transaction with charging profile - Ignore chargingProfile",
    profile="core",
    versions=V2,
    kills=("sc-remote-start-profile-rejected",),
    condition="NOT Smart Charging",
)
async def test_remote_start_profile_ignored(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_38_CS (F01.FR.12/13), for a station without smart charging: from
    EVConnectedPreSession a RequestStartTransaction with a TxProfile is Accepted, the profile
    ignored, and the transaction reaches EnergyTransferStarted (steps 1-7)."""
    await _remote_start(
        csms, sut, sut_profile, req="F01.FR.12: the chargingProfile is ignored, the start Accepted"
    )
