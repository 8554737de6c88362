"""OCA block D (Local Authorization List), OCPP 2.0.1 and 2.1, the charging station under test:
TC_D_01-08 and TC_D_10 _CS (SendLocalList D01, GetLocalListVersion D02). Steps and criteria in our
own words after OCPP 2.0.1 Part 6; shared steps in :mod:`testcases.v201.local_list_states`.

Every case but TC_D_10 starts with LocalAuthListCtrlr.Enabled true (where the station has the
variable; the harness puts it back after the case) and, where the OCA's memory state is
IdTokenLocalAuthList, with a Full list of version :data:`CONFIGURED` holding the profile's valid
idToken. Every case leaves an empty list behind (fixture ``list_emptied``).

The cases apply to a station that claims the Local Authorization List Management profile
(``claims.profiles: [local-auth-list]``) or declares LA-1.

Not here: TC_D_09 (a CSMS case); the block C cases of the list (TC_C_21-31, 40, 43, 58)."""

from __future__ import annotations

import pytest

from harness import CsmsPeer, SutActions, oca
from harness.checks import require, should
from harness.config import SutProfile
from testcases.v201.local_list_states import (
    CONFIGURED,
    LOCAL_AUTH_LIST,
    V2,
    entry,
    list_applies,
    list_emptied,
    list_enabled,
    list_in_memory,
    list_version,
    send_list,
    token,
)
from testcases.v201.states import connectors_reported

__all__ = ["list_emptied"]
pytestmark = pytest.mark.usefixtures("list_emptied")

ACCEPTED = "D01.FR.02: the update is Accepted"


async def _version_is(csms: CsmsPeer, wanted: int, req: str) -> None:
    version = await list_version(csms)
    require(version == wanted, req=req, expected=f"versionNumber {wanted}", actual=str(version))


@oca(
    "TC_D_01_CS",
    "Send Local Authorization List - Full",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("local-list-full-not-applied",),
    applies=list_applies,
)
async def test_full(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_D_01_CS (D01.FR.02, D01.FR.15): a Full update holding the valid idToken, version
    :data:`CONFIGURED`, is Accepted (steps 1-2); GetLocalListVersion then reports that version
    (steps 3-4). The list starts empty at version 1 here, so the version can only come from the
    update."""
    await list_enabled(csms)
    await send_list(csms, 1, [], full=True, status="Accepted", req=ACCEPTED)
    await send_list(
        csms, CONFIGURED, [entry(token(sut_profile))], full=True, status="Accepted", req=ACCEPTED
    )
    await _version_is(csms, CONFIGURED, "D01.FR.15: a Full update sets the list's version")


@oca(
    "TC_D_02_CS",
    "Send Local Authorization List - Differential Update",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("local-list-differential-not-applied",),
    applies=list_applies,
)
async def test_differential_update(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_D_02_CS (D01.FR.02, D01.FR.16): with the list in memory, a Differential update adding
    a second idToken, version :data:`CONFIGURED` + 1, is Accepted (steps 1-2) and its version
    reported (steps 3-4)."""
    await list_in_memory(csms, sut_profile)
    second = token(sut_profile, second=True)
    await send_list(
        csms, CONFIGURED + 1, [entry(second)], full=False, status="Accepted", req=ACCEPTED
    )
    await _version_is(
        csms, CONFIGURED + 1, "D01.FR.16: a Differential update sets the list's version"
    )


@oca(
    "TC_D_03_CS",
    "Send Local Authorization List - Differential Remove",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("local-list-remove-failed",),
    applies=list_applies,
)
async def test_differential_remove(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_D_03_CS (D01.FR.02, D01.FR.17): with the list in memory, a Differential update whose
    entry has no idTokenInfo (the listed idToken: remove it), version :data:`CONFIGURED` + 1, is
    Accepted (steps 1-2) and its version reported (steps 3-4)."""
    await list_in_memory(csms, sut_profile)
    removal = [entry(token(sut_profile), None)]
    req = "D01.FR.17: a removal is Accepted and sets the list's version"
    await send_list(csms, CONFIGURED + 1, removal, full=False, status="Accepted", req=req)
    await _version_is(csms, CONFIGURED + 1, req)


@oca(
    "TC_D_04_CS",
    "Send Local Authorization List - Full with empy list",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("local-list-empty-full-keeps-version",),
    applies=list_applies,
)
async def test_full_empty(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_D_04_CS (D01.FR.02, D01.FR.04): with the list in memory (version :data:`CONFIGURED`),
    a Full update without entries is Accepted (steps 1-2); the OCA sends the same version again,
    which would not show whether it is taken, so the harness sends :data:`CONFIGURED` + 2 and
    requires that version (steps 3-4; D01.FR.04's note: the version is still updated)."""
    await list_in_memory(csms, sut_profile)
    await send_list(csms, CONFIGURED + 2, [], full=True, status="Accepted", req=ACCEPTED)
    await _version_is(
        csms, CONFIGURED + 2, "D01.FR.04: an empty Full update still sets the version"
    )


@oca(
    "TC_D_05_CS",
    "Send Local Authorization List - Differential with empty list",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("local-list-empty-differential-ignored",),
    applies=list_applies,
)
async def test_differential_empty(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_D_05_CS (D01.FR.02, D01.FR.05): with the list in memory, a Differential update without
    entries, version :data:`CONFIGURED` + 1, is Accepted (steps 1-2) and its version reported
    (steps 3-4; D01.FR.05's note: the version is still updated)."""
    await list_in_memory(csms, sut_profile)
    await send_list(csms, CONFIGURED + 1, [], full=False, status="Accepted", req=ACCEPTED)
    await _version_is(
        csms, CONFIGURED + 1, "D01.FR.05: an empty Differential update still sets the version"
    )


@oca(
    "TC_D_06_CS",
    "Send Local Authorization List - VersionMismatch",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("local-list-version-unchecked",),
    applies=list_applies,
)
async def test_version_mismatch(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_D_06_CS (D01.FR.19): with the list in memory (version :data:`CONFIGURED` > 1), a
    Differential update with an entry and version :data:`CONFIGURED` - 1 is answered
    VersionMismatch (steps 1-2) and the list keeps its version (steps 3-4)."""
    await list_in_memory(csms, sut_profile)
    second = token(sut_profile, second=True)
    req = "D01.FR.19: VersionMismatch for a version not above the list's"
    await send_list(
        csms, CONFIGURED - 1, [entry(second)], full=False, status="VersionMismatch", req=req
    )
    await _version_is(csms, CONFIGURED, req)


@oca(
    "TC_D_07_CS",
    "Send Local Authorization List - Persistent over reboot",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("local-list-version-lost-on-boot",),
    applies=list_applies,
)
async def test_persistent_over_reboot(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_D_07_CS (D01.FR.10, D02.FR.01): with the list in memory (version :data:`CONFIGURED`),
    after a power cycle (charging state Booted) GetLocalListVersion reports :data:`CONFIGURED`
    (steps 1-2). D01.FR.10 (keep the list in non-volatile memory) is a SHOULD: a station that
    lost its list and reports 0, as before any update (D02.FR.02), gets a warning. Any other
    version is one the station was never given: a FAIL on D02.FR.01."""
    await list_in_memory(csms, sut_profile)
    await sut.reboot()
    await csms.expect(
        "BootNotification", within_s=csms.action_s, req="B01.FR.01: BootNotification at boot"
    )
    await connectors_reported(csms, sut_profile)
    version = await list_version(csms)
    require(
        version in (CONFIGURED, 0),
        req="D02.FR.01: the list's version after a reboot",
        expected=f"versionNumber {CONFIGURED} (the list kept) or 0 (the list lost)",
        actual=str(version),
    )
    should(
        csms,
        version == CONFIGURED,
        req="D01.FR.10: the list is kept over a reboot",
        expected=f"versionNumber {CONFIGURED}",
        actual=f"{version} (the list was lost)",
    )


@oca(
    "TC_D_08_CS",
    "Get Local List Version - Success",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("local-list-version-zero",),
    applies=list_applies,
)
async def test_get_version(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_D_08_CS (D02.FR.01): with the list in memory (version :data:`CONFIGURED`),
    GetLocalListVersion reports that version (steps 1-2)."""
    await list_in_memory(csms, sut_profile)
    await _version_is(csms, CONFIGURED, "D02.FR.01: the list's version")


@oca(
    "TC_D_10_CS",
    "Get Local List Version - Function disabled",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("local-list-version-while-disabled",),
    applies=list_applies,
)
async def test_version_disabled(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_D_10_CS (D02.FR.03): with LocalAuthListCtrlr.Enabled false, GetLocalListVersion reports
    0 (steps 1-2). Beyond the OCA's preparation, the list is first put in memory (version
    :data:`CONFIGURED`) while enabled, so that a station answering its version anyway shows.
    A station without the variable, or one that refuses false, cannot disable its list: the case
    is NOT-APPLICABLE there."""
    await list_in_memory(csms, sut_profile)
    await list_enabled(csms, enabled=False)
    await _version_is(csms, 0, "D02.FR.03: 0 while the list is disabled")
