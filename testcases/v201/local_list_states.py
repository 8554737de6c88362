"""Steps shared by the block D cases with the 2.x station under test (:mod:`.test_d_local_list`,
and the list's C14 cases in :mod:`.test_c_local_list`):
applicability, LocalAuthListCtrlr.Enabled set, the list sent, its version read, the OCA's memory
state IdTokenLocalAuthList, and the list emptied after every case."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping
from typing import Any

import pytest

from harness import CsmsPeer
from harness.catalogue import profile_slug
from harness.checks import applicable_unless, require
from harness.config import SutProfile
from harness.verdicts import Inconclusive, SutFailure
from testcases.v201.states import get_variable, set_variable

V2 = ("2.0.1", "2.1")
LOCAL_AUTH_LIST = "local-auth-list"
#: The OCA's "Configured versionNumber" (TC_D_06 needs one above 1).
CONFIGURED = 7
#: The second idToken of TC_D_02/06 when the profile has no ``sut.tokens.valid2``: the harness
#: is the CSMS, so any idToken will do for the station's list.
SECOND_TOKEN = "LLIST-2ND-01"
COMPONENT = "LocalAuthListCtrlr"
VERSION_REQ = "D02.FR.01: GetLocalListVersion answered"


def list_applies(profile: SutProfile) -> str | None:
    """The block D station cases apply to a station with a list: one that claims the Local
    Authorization List Management profile or declares LA-1 (LocalAuthListEnabled)."""
    claimed = {profile_slug(p) for p in profile.claims.profiles}
    if LOCAL_AUTH_LIST in claimed or "LA-1" in profile.sut.features:
        return None
    return (
        "needs a Local Authorization List (claims.profiles: local-auth-list, or sut.features: LA-1)"
    )


def token(profile: SutProfile, *, second: bool = False) -> dict[str, str]:
    """The OCA's configured valid idToken (``sut.tokens.valid``), or its second one
    (``sut.tokens.valid2``, else :data:`SECOND_TOKEN`), as an IdTokenType."""
    tokens = profile.sut.tokens
    value = (tokens.valid2 or SECOND_TOKEN) if second else tokens.valid
    return {"idToken": value, "type": tokens.type}


def entry(id_token: Mapping[str, str], status: str | None = "Accepted") -> dict[str, Any]:
    """An AuthorizationData element; ``status`` None: without idTokenInfo (remove it, D01.FR.17)."""
    data: dict[str, Any] = {"idToken": dict(id_token)}
    if status is not None:
        data["idTokenInfo"] = {"status": status}
    return data


async def send_list(
    csms: CsmsPeer,
    version: int,
    entries: list[dict[str, Any]],
    *,
    full: bool,
    status: str,
    req: str,
) -> None:
    """SendLocalList (D01; no localAuthorizationList when ``entries`` is empty), answered with
    ``status`` (else FAIL on ``req``)."""
    payload: dict[str, Any] = {
        "versionNumber": version,
        "updateType": "Full" if full else "Differential",
    }
    if entries:
        payload["localAuthorizationList"] = entries
    result = await csms.call_payload("SendLocalList", payload, req=req)
    answered = result.must(req=req).get("status")
    require(
        answered == status,
        req=req,
        expected=f"SendLocalListResponse status {status}",
        actual=str(answered),
        frames=result.frames,
    )


async def list_version(csms: CsmsPeer) -> int | None:
    """GetLocalListVersion's versionNumber (D02)."""
    result = await csms.call_payload("GetLocalListVersion", {}, req=VERSION_REQ)
    version = result.must(req=VERSION_REQ).get("versionNumber")
    return version if isinstance(version, int) else None


async def list_enabled(csms: CsmsPeer, *, enabled: bool = True) -> None:
    """LocalAuthListCtrlr.Enabled set to ``enabled`` where the station has it ("If implemented":
    without it the list is always on). Enabling that fails is INCONCLUSIVE (a precondition);
    disabling that the station cannot do makes the case NOT-APPLICABLE."""
    wanted = "true" if enabled else "false"
    read = await get_variable(csms, COMPONENT, "Enabled", req="B06.FR.01: GetVariables answered")
    if read.get("attributeStatus") != "Accepted":
        applicable_unless(not enabled, f"the station has no {COMPONENT}.Enabled: its list is on")
        return
    if read.get("attributeValue") == wanted:
        return
    result = await set_variable(
        csms, COMPONENT, "Enabled", wanted, req="B05.FR.01: SetVariables answered"
    )
    if result.get("attributeStatus") == "Accepted":
        return
    status = result.get("attributeStatus")
    applicable_unless(not enabled, f"the station answers {status} to {COMPONENT}.Enabled false")
    raise Inconclusive(f"precondition: {COMPONENT}.Enabled true was answered {status}")


async def list_in_memory(
    csms: CsmsPeer, profile: SutProfile, entries: list[dict[str, Any]] | None = None
) -> None:
    """The OCA's memory state IdTokenLocalAuthList: the list enabled, then a Full update holding
    ``entries`` (default: the configured valid idToken, Accepted) with version
    :data:`CONFIGURED`; INCONCLUSIVE unless Accepted."""
    await list_enabled(csms)
    try:
        await send_list(
            csms,
            CONFIGURED,
            entries if entries is not None else [entry(token(profile))],
            full=True,
            status="Accepted",
            req="memory state IdTokenLocalAuthList",
        )
    except SutFailure as failure:
        raise Inconclusive(f"precondition: the list could not be set ({failure})") from None


@pytest.fixture
async def list_emptied(csms: CsmsPeer) -> AsyncIterator[None]:
    """After the case, an empty list (a Full update without entries, version 1; best effort: a
    case that needs a list state sets it first)."""
    yield
    with contextlib.suppress(Exception):
        await csms.call_payload(
            "SendLocalList",
            {"versionNumber": 1, "updateType": "Full"},
            req="empty the Local Authorization List",
        )
