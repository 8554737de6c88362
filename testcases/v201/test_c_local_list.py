"""OCA block C, online authorization through the Local Authorization List (C14), OCPP 2.0.1 and
2.1, the charging station under test: TC_C_27-31 and TC_C_58 _CS. Steps and criteria in our own
words after OCPP 2.0.1 Part 6 and its errata 2025-02 (§5.11: the online cases may also be run with
a remote start; the harness presents the idToken locally, C-30/31/32/34).

Each case first lists one idToken in the station's Local Authorization List with the status the
case needs (a Full update, :func:`~testcases.v201.local_list_states.list_in_memory`) and sets
AuthCtrlr.LocalPreAuthorize true and LocalAuthListCtrlr.DisablePostAuthorize false (true in
TC_C_58) where the station has them; the harness puts them back and empties the list after the
case. The idTokens: ``sut.tokens.valid``, ``invalid``, ``blocked`` and ``expired``; the last two
fall back to ``invalid`` (the list, which the harness writes, gives the status). The cases apply
as block D's do (:func:`~testcases.v201.local_list_states.list_applies`).

Not here: the offline cases TC_C_21-25 (:mod:`.test_c_offline_list`) and the GroupId cases
TC_C_40/43."""

from __future__ import annotations

import pytest

from harness import CsmsPeer, SutActions, oca
from harness.checks import applicable_unless
from harness.config import SutProfile
from testcases.v201.local_list_states import (
    COMPONENT,
    LOCAL_AUTH_LIST,
    V2,
    entry,
    list_applies,
    list_emptied,
    list_in_memory,
)
from testcases.v201.states import get_variable, set_variable, tx_points
from testcases.v201.tx_states import (
    Session,
    authorized_local,
    energy_transfer_started,
    ev_connected_pre_session,
)

__all__ = ["list_emptied"]
pytestmark = pytest.mark.usefixtures("list_emptied")

#: How long the harness watches for an Authorize the station must not send (seconds).
QUIET_S = 2.0


async def _setting(csms: CsmsPeer, component: str, variable: str, wanted: str) -> None:
    """The OCA's "<variable> is <wanted> (If implemented)": set where the station has the
    variable and it differs; NOT-APPLICABLE where it cannot be set."""
    read = await get_variable(csms, component, variable, req="B06.FR.01: GetVariables answered")
    if read.get("attributeStatus") != "Accepted" or read.get("attributeValue") == wanted:
        return
    result = await set_variable(
        csms, component, variable, wanted, req="B05.FR.01: SetVariables answered"
    )
    applicable_unless(
        result.get("attributeStatus") != "Accepted",
        f"{component}.{variable} is {read.get('attributeValue')!r} and cannot be set to "
        f"{wanted} (SetVariables {result.get('attributeStatus')})",
    )


async def _prepared(
    csms: CsmsPeer, profile: SutProfile, token: str, status: str, *, post: str = "false"
) -> None:
    """Before: the list holds ``token`` with ``status``; LocalPreAuthorize true and
    DisablePostAuthorize ``post`` where implemented."""
    await list_in_memory(csms, profile, [entry({"idToken": token, "type": "ISO14443"}, status)])
    await _setting(csms, "AuthCtrlr", "LocalPreAuthorize", "true")
    await _setting(csms, COMPONENT, "DisablePostAuthorize", post)


async def _post_authorized(
    csms: CsmsPeer, sut: SutActions, token: str, answer: str, *, req: str
) -> None:
    """Present ``token``: the station sends an Authorize for it (C14.FR.03), answered with
    idTokenInfo.status ``answer``."""
    csms.set_reply("Authorize", id_token_info={"status": answer})
    await sut.present_token(token)
    await csms.expect("Authorize", id_token={"idToken": token}, req=req)


async def _plugged_then_listed(
    csms: CsmsPeer, sut: SutActions, profile: SutProfile, token: str, status: str
) -> None:
    """TC_C_29/30_CS: ``token`` listed with ``status``; reusable state EVConnectedPreSession;
    the token presented is sent in an Authorize (C14.FR.03), answered ``status``."""
    await _prepared(csms, profile, token, status)
    session = Session(await tx_points(csms, profile))
    await ev_connected_pre_session(csms, sut, session)
    req = f"C14.FR.03: an Authorize for an idToken listed as {status}"
    await _post_authorized(csms, sut, token, status, req=req)


@oca(
    "TC_C_27_CS",
    "Online authorization through local authorization list - Accepted",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("local-list-unused",),
    applies=list_applies,
)
async def test_list_accepted(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_C_27_CS (C14.FR.02): the valid idToken, listed Accepted, is presented: the station
    starts charging without an Authorize; its TransactionEvent has triggerReason Authorized and
    the idToken where TxStartPoint holds Authorized or a transaction runs (steps 1-2); then the
    reusable states EVConnectedPreSession and EnergyTransferStarted (steps 3-4, energy
    transferred)."""
    token = sut_profile.sut.tokens.valid
    await _prepared(csms, sut_profile, token, "Accepted")
    session = Session(await tx_points(csms, sut_profile))
    csms.forbid("Authorize", "C14.FR.02: no Authorize for an idToken listed as Accepted")
    await authorized_local(csms, sut, session, token)
    await ev_connected_pre_session(csms, sut, session)
    await energy_transfer_started(csms, session)


@oca(
    "TC_C_28_CS",
    "Online authorization through local authorization list - Invalid & Not Accepted",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("local-list-no-post-authorize",),
    applies=list_applies,
)
async def test_list_invalid(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_C_28_CS (C14.FR.03): the invalid idToken, listed Invalid, is presented: the station
    sends an Authorize for it (step 1), answered Invalid (step 2)."""
    token = sut_profile.sut.tokens.invalid
    await _prepared(csms, sut_profile, token, "Invalid")
    req = "C14.FR.03: an Authorize for an idToken listed as Invalid"
    await _post_authorized(csms, sut, token, "Invalid", req=req)


@oca(
    "TC_C_29_CS",
    "Online authorization through local authorization list - Restricted",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("local-list-no-post-authorize",),
    applies=list_applies,
)
async def test_list_blocked(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_C_29_CS (C14.FR.03): with the EV connected (reusable state EVConnectedPreSession), the
    blocked idToken, listed Blocked, is presented: the station sends an Authorize for it
    (step 1). Deviation: the OCA answers it Restricted, a status 2.0.1 does not have; the
    harness answers Blocked (step 2)."""
    tokens = sut_profile.sut.tokens
    await _plugged_then_listed(csms, sut, sut_profile, tokens.blocked or tokens.invalid, "Blocked")


@oca(
    "TC_C_30_CS",
    "Online authorization through local authorization list - Expired",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("local-list-no-post-authorize",),
    applies=list_applies,
)
async def test_list_expired(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_C_30_CS (C14.FR.03): with the EV connected (reusable state EVConnectedPreSession), the
    expired idToken, listed Expired, is presented: the station sends an Authorize for it
    (step 1), answered Expired (step 2)."""
    tokens = sut_profile.sut.tokens
    await _plugged_then_listed(csms, sut, sut_profile, tokens.expired or tokens.invalid, "Expired")


@oca(
    "TC_C_31_CS",
    "Online authorization through local authorization list - Invalid & Accepted",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("local-list-ignores-authorize-answer",),
    applies=list_applies,
)
async def test_list_invalid_accepted(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_C_31_CS (C14.FR.03): the invalid idToken, listed Invalid, is presented; the station
    sends an Authorize, which the CSMS answers Accepted, so it is authorized (reusable state
    Authorized, step 1); then EVConnectedPreSession and EnergyTransferStarted (steps 2-3): the
    CSMS's answer, not the list, decides, and energy is transferred."""
    token = sut_profile.sut.tokens.invalid
    await _prepared(csms, sut_profile, token, "Invalid")
    session = Session(await tx_points(csms, sut_profile))
    await _post_authorized(
        csms, sut, token, "Accepted", req="C14.FR.03: an Authorize for an idToken listed Invalid"
    )
    await authorized_after_answer(csms, session, token)
    await ev_connected_pre_session(csms, sut, session)
    await energy_transfer_started(csms, session)


async def authorized_after_answer(csms: CsmsPeer, session: Session, token: str) -> None:
    """The rest of reusable state Authorized once the Authorize was answered Accepted: where a
    start point is reached (TxStartPoint Authorized), the transaction starts with the idToken
    and triggerReason Authorized (C14.FR.03: the CSMS accepted the idToken)."""
    if "Authorized" not in session.points.start:
        return  # the transaction starts at plug-in (EVConnectedPreSession)
    event = await csms.expect(
        "TransactionEvent",
        id_token={"idToken": token},
        trigger_reason="Authorized",
        req="C14.FR.03: the idToken the CSMS accepted is authorized",
    )
    session.add(event, "E02")


@oca(
    "TC_C_58_CS",
    "Online authorization through local authorization list - LocalAuthListDisablePostAuthorize",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("local-list-post-authorize-not-disabled",),
    applies=list_applies,
    condition="LA-3 and (C-30 or C-31 or C-32)",
)
async def test_list_post_authorize_disabled(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_C_58_CS (LocalAuthListCtrlr.DisablePostAuthorize, C14.FR.03): with DisablePostAuthorize
    true, the invalid idToken, listed Invalid, is presented: the station sends no Authorize
    (step 1; watched for :data:`QUIET_S` s) and starts no transaction for it."""
    token = sut_profile.sut.tokens.invalid
    read = await get_variable(
        csms, COMPONENT, "DisablePostAuthorize", req="B06.FR.01: GetVariables answered"
    )
    applicable_unless(
        read.get("attributeStatus") != "Accepted",
        f"the station has no {COMPONENT}.DisablePostAuthorize (LA-3)",
    )
    await _prepared(csms, sut_profile, token, "Invalid", post="true")
    await sut.present_token(token)
    req = "LocalAuthListCtrlr.DisablePostAuthorize: no Authorize for a listed Invalid idToken"
    await csms.expect_none("Authorize", for_s=QUIET_S, req=req)
    await csms.expect_none(
        "TransactionEvent",
        for_s=0.1,
        id_token={"idToken": token},
        req="C14.FR.03 with DisablePostAuthorize: the idToken is not authorized",
    )
