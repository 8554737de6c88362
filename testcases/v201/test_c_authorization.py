"""OCA block C (Authorization), OCPP 2.0.1 and 2.1, the CSMS under test (``_CSMS``: the harness is
the station): token statuses (C01), the authorization cache as the CSMS sees it (C11, C12),
GroupId (C09) and the Master Pass (C16). The tokens come from the profile's ``sut.tokens``; a
case whose token the profile does not configure is INCONCLUSIVE, naming the key to set. Steps
and criteria in our own words after OCPP 2.0.1 Part 6."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from harness import StationPeer, SutActions, oca
from harness.checks import require
from harness.config import SutProfile
from harness.peers.exchange import CallOutcome
from harness.verdicts import Inconclusive
from testcases.v201.tx_states import (
    StationTx,
    station_charging,
    station_ev_connected,
    station_ev_disconnected,
)

V2 = ("2.0.1", "2.1")


def _token(profile: SutProfile, key: str) -> dict[str, str]:
    """The profile's ``sut.tokens.<key>`` as an IdTokenType; INCONCLUSIVE when not configured
    (the OCA's "Configured ..._idtoken" the CSMS must hold)."""
    tokens = profile.sut.tokens
    value = getattr(tokens, key)
    if value is None:
        raise Inconclusive(
            f"precondition: sut.tokens.{key} is not configured (set it to a token the CSMS "
            "holds as the case needs; see the README, 'Tokens')"
        )
    return {"idToken": value, "type": tokens.type}


def _group(profile: SutProfile, key: str) -> Callable[[Any], bool]:
    """A predicate: an IdTokenType whose idToken is the profile's ``sut.tokens.<key>``."""
    wanted = getattr(profile.sut.tokens, key)
    if wanted is None:
        raise Inconclusive(f"precondition: sut.tokens.{key} is not configured")

    def is_group(value: Any) -> bool:
        return (
            isinstance(value, dict)
            and str(value.get("idToken", "")).casefold() == str(wanted).casefold()
        )

    is_group.__doc__ = f"idToken {wanted} (sut.tokens.{key})"
    return is_group


def _status(outcome: CallOutcome, allowed: tuple[str, ...], *, req: str) -> None:
    """The answer's idTokenInfo.status is one of ``allowed``."""
    status = outcome.must(req=req).payload.get("idTokenInfo", {}).get("status")
    require(
        status in allowed,
        req=req,
        expected=" or ".join(allowed),
        actual=repr(status),
        frames=outcome.frames,
    )


async def _authorize(station: StationPeer, token: dict[str, str], *, req: str) -> CallOutcome:
    return await station.call("Authorize", id_token=token, req=req)


# -- C01: token statuses -------------------------------------------------------------------------
@oca(
    "TC_C_02_CSMS",
    "Local start transaction - Authorization Invalid/Unknown",
    profile="core",
    versions=V2,
    kills=("csms-accepts-unknown-token",),
)
async def test_csms_rejects_unknown_token(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_C_02_CSMS (C01): Authorize for a token the CSMS does not know (step 1) is answered
    Invalid or Unknown (step 2, the tool validation)."""
    token = _token(sut_profile, "invalid")
    result = await _authorize(station, token, req="C01: Authorize answered")
    _status(result, ("Invalid", "Unknown"), req="C01: an unknown token is not Accepted")


@oca(
    "TC_C_06_CSMS",
    "Local start transaction - AuthorizationBlocked",
    profile="core",
    versions=V2,
    kills=("csms-ignores-token-status",),
)
async def test_csms_blocked_token(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_C_06_CSMS (C01.FR.07): Before: the CSMS holds ``sut.tokens.blocked`` as Blocked.
    Authorize for it (step 1) is answered Blocked or Invalid (step 2, the tool validation).
    Deviation: the document's validation names the status "Linked", which AuthorizationStatus
    does not have; the case's name and purpose say Blocked, so Blocked (or Invalid) it is."""
    token = _token(sut_profile, "blocked")
    result = await _authorize(station, token, req="C01: Authorize answered")
    _status(result, ("Blocked", "Invalid"), req="C01.FR.07: the token's status is reported")


@oca(
    "TC_C_07_CSMS",
    "Local start transaction - Authorization Expired",
    profile="core",
    versions=V2,
    kills=("csms-ignores-token-status",),
)
async def test_csms_expired_token(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_C_07_CSMS (C01.FR.07): Before: the CSMS holds ``sut.tokens.expired`` as Expired.
    Authorize for it (step 1) is answered Expired or Invalid (step 2, the tool validation)."""
    token = _token(sut_profile, "expired")
    result = await _authorize(station, token, req="C01: Authorize answered")
    _status(result, ("Expired", "Invalid"), req="C01.FR.07: the token's status is reported")


# -- C12: a token from the station's authorization cache ----------------------------------------
async def _cached_start(
    station: StationPeer, profile: SutProfile, key: str, allowed: tuple[str, ...]
) -> None:
    """TC_C_08/20_CSMS: state EVConnectedPreSession, then an Updated event (Authorized) with
    the cached token, whose answer carries one of ``allowed``; beyond the OCA the transaction
    is ended again (EVDisconnected)."""
    tx = StationTx.of(station, profile)
    tx.token = _token(profile, key)
    await station_ev_connected(tx)
    outcome = await tx.event(
        "Updated",
        "Authorized",
        charging_state="EVConnected",
        id_token=tx.token,
        req="C12: TransactionEvent Updated answered",
    )
    _status(outcome, allowed, req="C12.FR.03: the CSMS checks the cached token")
    await station_ev_disconnected(tx, req="E06: TransactionEvent Ended answered")


@oca(
    "TC_C_08_CSMS",
    "Authorization through authorization cache - Accepted",
    profile="core",
    versions=V2,
    kills=("csms-tx-rejects-valid-token",),
)
async def test_csms_cached_token_accepted(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_C_08_CSMS (C12.FR.03): state EVConnectedPreSession; a TransactionEvent Updated with
    triggerReason Authorized and the valid token, started from the station's cache (step 1), is
    answered with idTokenInfo.status Accepted (step 2, the tool validation)."""
    await _cached_start(station, sut_profile, "valid", ("Accepted",))


@oca(
    "TC_C_20_CSMS",
    "Authorization through authorization cache - Invalid",
    profile="core",
    versions=V2,
    kills=("csms-accepts-unknown-token",),
)
async def test_csms_cached_token_invalid(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_C_20_CSMS (C12.FR.03): as TC_C_08_CSMS with the invalid token (valid in the station's
    cache only): the answer's idTokenInfo.status is Invalid or Unknown (the tool validation)."""
    await _cached_start(station, sut_profile, "invalid", ("Invalid", "Unknown"))


# -- C11: clear the station's authorization cache -----------------------------------------------
async def _clear_cache(station: StationPeer, sut: SutActions, answer: str) -> None:
    """The operator has the CSMS clear the station's cache (action ``clear_cache``); the
    harness answers ClearCacheRequest with ``answer``; the CSMS still answers a Heartbeat."""
    station.hold("ClearCache")
    await sut.clear_cache()
    request = await station.expect("ClearCache", req="C11: the CSMS sends ClearCacheRequest")
    await request.reply(status=answer)
    (await station.call("Heartbeat")).must(req=f"C11: the CSMS takes the {answer} in its stride")


@oca(
    "TC_C_37_CSMS",
    "Clear Authorization Data in Authorization Cache - Accepted",
    profile="core",
    versions=V2,
    kills=("csms-clearcache-not-sent",),
)
async def test_csms_clear_cache_accepted(station: StationPeer, sut: SutActions) -> None:
    """TC_C_37_CSMS (C11): the CSMS, asked by its operator, sends ClearCacheRequest (step 1);
    the harness answers Accepted (step 2). The document has no tool validation: the request
    (schema-valid) and the connection staying usable are what is checked."""
    await _clear_cache(station, sut, "Accepted")


@oca(
    "TC_C_38_CSMS",
    "Clear Authorization Data in Authorization Cache - Rejected",
    profile="core",
    versions=V2,
    kills=("csms-clearcache-not-sent",),
)
async def test_csms_clear_cache_rejected(station: StationPeer, sut: SutActions) -> None:
    """TC_C_38_CSMS (C11): as TC_C_37_CSMS, answered Rejected (step 2)."""
    await _clear_cache(station, sut, "Rejected")


# -- C09: GroupId --------------------------------------------------------------------------------
@oca(
    "TC_C_39_CSMS",
    "Authorization by GroupId - Success",
    profile="core",
    versions=V2,
    kills=("csms-group-id-omitted",),
)
async def test_csms_group_id(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_C_39_CSMS (C09.FR.02/03): Before: ``valid`` and ``valid2`` share the groupIdToken
    ``group``; state EVConnectedPreSession. Authorize for valid2 (steps 1-2), an Updated event
    (Authorized) with the valid token (steps 3-4), state EnergyTransferStarted (step 5),
    Authorize for valid2 again (steps 6-7), an Updated event (StopAuthorized) with valid2
    (steps 8-9): each answer Accepted with groupIdToken ``group`` (the tool validations). Then
    EVConnectedPostSession and EVDisconnected (steps 10-11)."""
    valid2 = _token(sut_profile, "valid2")
    group = {"status": "Accepted", "groupIdToken": _group(sut_profile, "group")}
    req = "C09.FR.02: the token's groupIdToken is given"
    answered = "E01: TransactionEvent Updated answered"
    tx = StationTx.of(station, sut_profile)
    await station_ev_connected(tx)
    (await _authorize(station, valid2, req="C01: Authorize answered")).must(
        id_token_info=group, req=req
    )
    authorized = await tx.event(
        "Updated", "Authorized", charging_state="EVConnected", id_token=tx.token, req=answered
    )
    authorized.must(id_token_info=group, req=req)
    await tx.event("Updated", "ChargingStateChanged", req=answered)
    (await _authorize(station, valid2, req="C01: Authorize answered")).must(
        id_token_info=group, req=req
    )
    stopped = await tx.event(
        "Updated", "StopAuthorized", charging_state="EVConnected", id_token=valid2, req=answered
    )
    stopped.must(id_token_info=group, req=req)
    await station_ev_disconnected(tx, req="E06: TransactionEvent Ended answered")


# -- C16: Master Pass ----------------------------------------------------------------------------
async def _two_charging(station: StationPeer, profile: SutProfile, second: str) -> list[StationTx]:
    """State EnergyTransferStarted on EVSE 1 (valid token) and EVSE 2 (``second``)."""
    first = StationTx.of(station, profile)
    other = StationTx.of(station, profile)
    other.evse_id = 2
    other.token = _token(profile, second)
    for tx in (first, other):
        await station_charging(tx)
    return [first, other]


async def _master_pass_end(tx: StationTx, token: dict[str, str]) -> None:
    """TransactionEvent Ended, stoppedReason MasterPass with ``token``, answered; the connector
    then Available."""
    await tx.event(
        "Ended",
        "StopAuthorized",
        charging_state="EVConnected",
        id_token=token,
        transaction_info={"stoppedReason": "MasterPass"},
        req="C16: TransactionEvent Ended (MasterPass) answered",
    )
    await tx.status("Available", req="G01: StatusNotification Available answered")


@oca(
    "TC_C_47_CSMS",
    "Stop Transaction with a Master Pass - With UI - All transactions",
    profile="core",
    versions=V2,
    kills=("csms-fails-transaction-end",),
)
async def test_csms_master_pass_all(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_C_47_CSMS (C16.FR.01): Before: a Master Pass token (groupIdToken the MasterPassGroupId);
    state EnergyTransferStarted on EVSE 1 (valid) and EVSE 2 (valid2). Authorize for the Master
    Pass (steps 1-2), then TransactionEvent Ended with stoppedReason MasterPass and the Master
    Pass token for both EVSEs (steps 3-4), each answered. The document has no tool validation."""
    master = _token(sut_profile, "masterpass")
    txs = await _two_charging(station, sut_profile, "valid2")
    (await _authorize(station, master, req="C16: Authorize answered")).must()
    for tx in txs:
        await _master_pass_end(tx, master)


@oca(
    "TC_C_48_CSMS",
    "Stop Transaction with a Master Pass - With UI - With UI - Specific transactions",
    profile="core",
    versions=V2,
    kills=("csms-group-id-omitted",),
)
async def test_csms_master_pass_one(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_C_48_CSMS (C16.FR.01): Before: a Master Pass token; state EnergyTransferStarted on
    every EVSE. Authorize (steps 1-2) answered Accepted with groupIdToken the MasterPassGroupId,
    then TransactionEvent Ended with stoppedReason MasterPass and the Master Pass token for one
    transaction (steps 3-4) answered the same way (the tool validations). Deviation: step 1
    authorizes the Master Pass token, not the valid one the document names: its tool validation
    wants the MasterPassGroupId, which only the Master Pass token has. Beyond the OCA: the other
    transactions end normally afterwards."""
    master = _token(sut_profile, "masterpass")
    pass_group = {"status": "Accepted", "groupIdToken": _group(sut_profile, "masterpass_group")}
    req = "C09.FR.02: the token's groupIdToken is given"
    txs = [StationTx.of(station, sut_profile) for _ in sut_profile.sut.evses]
    for tx, evse in zip(txs, sut_profile.sut.evses, strict=True):
        tx.evse_id = evse.id
        await station_charging(tx)
    (await _authorize(station, master, req="C16: Authorize answered")).must(
        id_token_info=pass_group, req=req
    )
    ended = await txs[0].event(
        "Ended",
        "StopAuthorized",
        charging_state="EVConnected",
        id_token=master,
        transaction_info={"stoppedReason": "MasterPass"},
        req="C16: TransactionEvent Ended (MasterPass) answered",
    )
    ended.must(id_token_info=pass_group, req=req)
    await txs[0].status("Available", req="G01: StatusNotification Available answered")
    for tx in txs[1:]:
        await station_ev_disconnected(tx, req="E06: TransactionEvent Ended answered")


@oca(
    "TC_C_49_CSMS",
    "Stop Transaction with a Master Pass - Without UI",
    profile="core",
    versions=V2,
    kills=("csms-fails-transaction-end",),
)
async def test_csms_master_pass_no_ui(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_C_49_CSMS (C16.FR.02): as TC_C_47_CSMS, but the Ended events carry the valid token
    with stoppedReason MasterPass (the station without a UI stops every transaction), each
    answered. The document has no tool validation."""
    master = _token(sut_profile, "masterpass")
    txs = await _two_charging(station, sut_profile, "valid2")
    (await _authorize(station, master, req="C16: Authorize answered")).must()
    valid = _token(sut_profile, "valid")
    for tx in txs:
        await _master_pass_end(tx, valid)
