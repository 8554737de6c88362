"""OCA block C, Authorization by GroupId (C09), OCPP 2.0.1 and 2.1, the charging station under
test: TC_C_39, 40, 42, 43 _CS. Steps and criteria in our own words after OCPP 2.0.1 Part 6.

A transaction is authorized with the valid idToken, whose groupIdToken the harness (as the CSMS)
gives in its Authorize and TransactionEvent answers (C09.FR.12); then another idToken of that
group is presented: a valid one ends the authorization (StopAuthorized, C09.FR.03), one the CSMS
answers Invalid does not (C09.FR.11). TC_C_40/43 hold both idTokens in the Local Authorization
List with the group (the cases of the list apply as block D's do), TC_C_39/42 leave the station to
ask the CSMS. The second valid idToken is ``sut.tokens.valid2`` (or one the harness accepts),
the group ``sut.tokens.group`` (or one the harness gives), the invalid one ``sut.tokens.invalid``.

Deviations: each case clears the authorization cache first (ClearCache, best effort), so that
what an earlier case cached does not decide for the station; after the OCA's last step the
harness ends the transaction at the station's stop point."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

from harness import CsmsPeer, SutActions, oca
from harness.config import SutProfile
from testcases.v201.local_list_states import (
    LOCAL_AUTH_LIST,
    V2,
    list_applies,
    list_emptied,
    list_in_memory,
)
from testcases.v201.states import set_variable
from testcases.v201.tx_states import Session, charging, ended, stop_charging, unplugged

__all__ = ["list_emptied"]

CONDITION = "C-30 OR C-31 OR C-32"
#: The second idToken and the group when the profile has none (the harness is the CSMS).
SECOND = "GROUP-2ND-01"
GROUP = "GROUP-C09-01"
STOPPED = "C09.FR.03: another valid idToken of the group ends the authorization"
NOT_STOPPED = "C09.FR.11: an idToken of the group that is not Accepted does not end it"


def _tokens(profile: SutProfile) -> tuple[str, str, str]:
    tokens = profile.sut.tokens
    return tokens.valid2 or SECOND, tokens.group or GROUP, tokens.invalid


def _info(status: str, group: str) -> dict[str, Any]:
    return {"status": status, "groupIdToken": {"idToken": group, "type": "Central"}}


def _listed(token: str, status: str, group: str) -> dict[str, Any]:
    return {"idToken": {"idToken": token, "type": "ISO14443"}, "idTokenInfo": _info(status, group)}


async def _started(csms: CsmsPeer, sut: SutActions, profile: SutProfile, group: str) -> Session:
    """Before: the cache cleared; the answers give every idToken ``group`` (Accepted); then
    EVConnectedPreSession, Authorized with the valid idToken, EnergyTransferStarted."""
    with contextlib.suppress(Exception):
        await csms.call_payload("ClearCache", {}, req="before the case: the cache cleared")
    csms.set_reply("Authorize", id_token_info=_info("Accepted", group))
    csms.set_reply("TransactionEvent", id_token_info=_info("Accepted", group))
    return await charging(csms, sut, profile)


async def _stopped_by(
    csms: CsmsPeer, sut: SutActions, profile: SutProfile, session: Session, token: str
) -> None:
    """``token`` presented: a StopAuthorized TransactionEvent of the transaction (Updated, or
    the Ended where the stop point is the authorization); then the EV leaves."""
    await sut.present_token(token, evse_id=session.evse_id)
    event = await csms.expect("TransactionEvent", trigger_reason="StopAuthorized", req=STOPPED)
    session.add(event, "C09.FR.03")
    if event.get("eventType") != "Ended":
        await unplugged(csms, sut, session)
        await ended(csms, session, req="E06: the transaction ends")
    else:
        await unplugged(csms, sut, session)


async def _not_stopped(
    csms: CsmsPeer,
    sut: SutActions,
    profile: SutProfile,
    session: Session,
    token: str,
    *,
    asked: str = "C09.FR.05: the station asks the CSMS about an idToken it does not know",
) -> None:
    """``token`` presented: the station asks the CSMS (Authorize, answered Invalid with the
    group); no StopAuthorized follows within the response time."""
    _, group, _ = _tokens(profile)
    csms.set_reply("Authorize", id_token_info=_info("Invalid", group))
    await sut.present_token(token, evse_id=session.evse_id)
    await csms.expect("Authorize", id_token={"idToken": token}, req=asked)
    await csms.expect_none(
        "TransactionEvent", for_s=csms.response_s, trigger_reason="StopAuthorized", req=NOT_STOPPED
    )
    await stop_charging(csms, sut, profile, session, req="E06: the transaction ends")


@oca(
    "TC_C_39_CS",
    "Authorization by GroupId - Success",
    profile="core",
    versions=V2,
    kills=("group-stop-refused",),
    condition=CONDITION,
)
async def test_group_stop(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_C_39_CS (C09.FR.02/03/05): the valid idToken authorized (Authorize and TransactionEvent
    answered Accepted with the group, steps 1-5); the second valid idToken presented: the
    station asks the CSMS (Authorize, answered Accepted with the same group, steps 6-7) and ends
    the authorization (StopAuthorized, steps 8-9); the EV leaves (step 10)."""
    second, group, _ = _tokens(sut_profile)
    session = await _started(csms, sut, sut_profile, group)
    await _stopped_by(csms, sut, sut_profile, session, second)


@oca(
    "TC_C_42_CS",
    "Authorization by GroupId - Not stopped by GroupId",
    profile="core",
    versions=V2,
    kills=("group-stop-not-accepted",),
    condition=CONDITION,
)
async def test_group_invalid(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_C_42_CS (C09.FR.11): the valid idToken authorized with the group (steps 1-5); the
    invalid idToken presented, the CSMS answers its Authorize Invalid with the same group
    (steps 6-7): the authorization goes on (no StopAuthorized within the response time)."""
    _, group, invalid = _tokens(sut_profile)
    session = await _started(csms, sut, sut_profile, group)
    await _not_stopped(csms, sut, sut_profile, session, invalid)


async def _list_prepared(
    csms: CsmsPeer, profile: SutProfile, entries: list[dict[str, Any]]
) -> None:
    await set_variable(csms, "AuthCtrlr", "LocalPreAuthorize", "true", req="C12: set")
    await list_in_memory(csms, profile, entries)


@oca(
    "TC_C_40_CS",
    "Authorization by GroupId - Success with Local Authorization List",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("group-stop-refused", "group-stop-asks-first"),
    applies=list_applies,
    condition=CONDITION,
)
@pytest.mark.usefixtures("list_emptied")
async def test_group_stop_listed(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_C_40_CS (C09.FR.02/03/07): both valid idTokens listed Accepted with the group
    (LocalPreAuthorize true where implemented); the valid one authorizes (steps 1-3); the second
    one presented ends the authorization (StopAuthorized, step 4) without an Authorize first
    (C09.FR.07: both are valid in the list)."""
    second, group, _ = _tokens(sut_profile)
    valid = sut_profile.sut.tokens.valid
    await _list_prepared(
        csms, sut_profile, [_listed(valid, "Accepted", group), _listed(second, "Accepted", group)]
    )
    session = await _started(csms, sut, sut_profile, group)
    csms.forbid("Authorize", "C09.FR.07: no Authorize for a listed idToken of the group")
    await _stopped_by(csms, sut, sut_profile, session, second)


@oca(
    "TC_C_43_CS",
    "Authorization by GroupId - Invalid status with Local Authorization List",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("group-stop-not-accepted",),
    applies=list_applies,
    condition=CONDITION,
)
@pytest.mark.usefixtures("list_emptied")
async def test_group_invalid_listed(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_C_43_CS (C09.FR.11, C14.FR.03): the valid idToken listed Accepted and the invalid one
    listed Invalid, both with the group; the valid one authorizes (steps 1-3); the invalid one
    presented is sent in an Authorize (step 4), answered Invalid with the group (step 5): the
    authorization goes on (no StopAuthorized)."""
    _, group, invalid = _tokens(sut_profile)
    valid = sut_profile.sut.tokens.valid
    await _list_prepared(
        csms, sut_profile, [_listed(valid, "Accepted", group), _listed(invalid, "Invalid", group)]
    )
    session = await _started(csms, sut, sut_profile, group)
    await _not_stopped(
        csms,
        sut,
        sut_profile,
        session,
        invalid,
        asked="C14.FR.03: an Authorize for an idToken the list holds as Invalid",
    )
