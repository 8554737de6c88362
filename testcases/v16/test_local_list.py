"""OCPP 1.6 Local Authorization List with the charge point under test (test case document section
18: TC_008_1/2_CS, TC_042_1/2_CS, TC_043_CS, TC_043_1/2/3_CS). The 1.6 test case document is not
public: steps and criteria are ours, after the 2.0.1 block D cases (TC_D_01_CS ff., SendLocalList
and GetLocalListVersion) and OCPP 1.6 §3.5 (LocalPreAuthorize), §3.5.2, §5.10, §5.15, §9.2 and the
1.6 errata §3.52 (a listVersion is never 0 or -1). Every case that fills the list empties it
again (a Full update without entries)."""

from __future__ import annotations

import contextlib

from harness import CsmsPeer, SutActions, oca
from harness.checks import require
from harness.verdicts import Inconclusive, SutFailure
from testcases.v16.auth_states import (
    LOCAL_AUTH_LIST,
    V16,
    claims,
    empty_list,
    entry,
    list_version,
    read_int,
    read_keys,
    send_list,
    set_key,
)

LISTED = claims(LOCAL_AUTH_LIST, "LocalAuthListManagement")
#: idTags only the list knows (the harness answers Authorize for them Invalid).
LIST_TAG = "LLIST-OK-1"
OTHER_TAG = "LLIST-OK-2"
#: At most this many idTags are sent to fill a list in TC_043_3_CS.
FILL_LIMIT = 2000


def _status(status: str, wanted: str, req: str) -> None:
    require(status == wanted, req=req, expected=wanted, actual=status)


async def _version(csms: CsmsPeer, wanted: int, req: str) -> None:
    version = await list_version(csms)
    require(version == wanted, req=req, expected=f"listVersion {wanted}", actual=str(version))


async def _cleanup(csms: CsmsPeer) -> None:
    with contextlib.suppress(SutFailure, OSError):
        await empty_list(csms, 1)


@oca(
    "TC_042_1_CS",
    "Get Local List Version (not supported)",
    profile=LOCAL_AUTH_LIST,
    versions=V16,
    kills=("cp16-list-version-while-disabled",),
)
async def test_list_version_not_supported(csms: CsmsPeer) -> None:
    """After 2.0.1 TC_D_10_CS (function disabled). §5.10: -1 means the charge point does not support
    a list: one that does not list LocalAuthListManagement in SupportedFeatureProfiles (§3.5.2)
    answers -1. One that does is given a list (version 9) and has it switched off
    (LocalAuthListEnabled false, §9.2.1): it has no list to report then, so it answers -1 (1.6
    §5.10) or 0 (an empty list; 2.0.1 D02.FR.03 answers 0 for a disabled list), never the disabled
    list's version. The list is enabled and emptied again afterwards."""
    profiles = (await read_keys(csms, "SupportedFeatureProfiles"))["SupportedFeatureProfiles"]
    supported = "LocalAuthListManagement" in (profiles or "").replace(" ", "").split(",")
    allowed = (-1, 0) if supported else (-1,)
    try:
        if supported:
            await set_key(csms, "LocalAuthListEnabled", "true")
            status = await send_list(csms, 9, [entry(LIST_TAG)])
            _status(status, "Accepted", "1.6 §5.15: a Full update within the limits is Accepted")
            await set_key(csms, "LocalAuthListEnabled", "false")
        version = await list_version(csms)
        require(
            version in allowed,
            req="1.6 §5.10: -1 without (enabled) list support",
            expected=" or ".join(f"listVersion {v}" for v in allowed),
            actual=str(version),
        )
    finally:
        if supported:
            with contextlib.suppress(SutFailure, OSError):
                await csms.call("ChangeConfiguration", key="LocalAuthListEnabled", value="true")
            await _cleanup(csms)


@oca(
    "TC_042_2_CS",
    "Get Local List Version (empty)",
    profile=LOCAL_AUTH_LIST,
    versions=V16,
    kills=("cp16-empty-list-version",),
    applies=LISTED,
)
async def test_list_version_empty(csms: CsmsPeer) -> None:
    """After 2.0.1 TC_D_09_CS (no list available). §5.10: with the list enabled and emptied by a
    Full update without entries (§6.41), the version reported is 0 whatever listVersion the update
    carried."""
    await set_key(csms, "LocalAuthListEnabled", "true")
    status = await send_list(csms, 7, [])
    _status(status, "Accepted", "1.6 §5.15: an empty Full update is Accepted")
    await _version(csms, 0, "1.6 §5.10: 0 when the list is empty")


@oca(
    "TC_043_CS",
    "Send Local Authorization List",
    profile=LOCAL_AUTH_LIST,
    versions=V16,
    kills=("cp16-local-list-not-applied",),
    applies=LISTED,
)
async def test_send_local_list(csms: CsmsPeer) -> None:
    """After 2.0.1 TC_D_01_CS, TC_D_03_CS and TC_D_08_CS. §5.15: a Full update (one idTag Accepted,
    one Blocked) is Accepted and its listVersion is then the list's version (§5.10); a Differential
    update removing one idTag (no idTagInfo) with a higher listVersion is Accepted and its version
    is reported."""
    await set_key(csms, "LocalAuthListEnabled", "true")
    try:
        full = [entry(LIST_TAG), entry(OTHER_TAG, "Blocked")]
        status = await send_list(csms, 3, full)
        _status(status, "Accepted", "1.6 §5.15: a Full update within the limits is Accepted")
        await _version(csms, 3, "1.6 §5.15: the version sent becomes the list's version")
        status = await send_list(csms, 4, [entry(OTHER_TAG, None)], full=False)
        _status(status, "Accepted", "1.6 §5.15: a Differential update is Accepted")
        await _version(csms, 4, "1.6 §5.15: the version sent becomes the list's version")
    finally:
        await _cleanup(csms)


@oca(
    "TC_043_1_CS",
    "Send Local Authorization List - NotSupported",
    profile=LOCAL_AUTH_LIST,
    versions=V16,
    kills=("cp16-list-disabled-accepts",),
    applies=LISTED,
)
async def test_send_list_not_supported(csms: CsmsPeer) -> None:
    """No 2.0.1 case has these steps (2.0.1 has no NotSupported). §5.15, §7.47: with
    LocalAuthListEnabled false (§9.2.1) the charge point has no list to update and answers
    SendLocalList NotSupported."""
    await set_key(csms, "LocalAuthListEnabled", "false")
    try:
        status = await send_list(csms, 1, [entry(LIST_TAG)])
        _status(status, "NotSupported", "1.6 §5.15: NotSupported while the list is disabled")
    finally:
        await _cleanup(csms)


@oca(
    "TC_043_2_CS",
    "Send Local Authorization List - VersionMismatch",
    profile=LOCAL_AUTH_LIST,
    versions=V16,
    kills=("cp16-list-version-unchecked",),
    applies=LISTED,
)
async def test_send_list_version_mismatch(csms: CsmsPeer) -> None:
    """After 2.0.1 TC_D_06_CS. §5.15, §7.47: after a Full update to version 5, a Differential update
    that carries version 5 again is answered VersionMismatch and the list keeps version 5."""
    await set_key(csms, "LocalAuthListEnabled", "true")
    try:
        status = await send_list(csms, 5, [entry(LIST_TAG)])
        _status(status, "Accepted", "1.6 §5.15: a Full update within the limits is Accepted")
        status = await send_list(csms, 5, [entry(OTHER_TAG)], full=False)
        _status(status, "VersionMismatch", "1.6 §5.15: VersionMismatch for a version not above")
        await _version(csms, 5, "1.6 §5.15: VersionMismatch leaves the list as it was")
    finally:
        await _cleanup(csms)


@oca(
    "TC_043_3_CS",
    "Send Local Authorization List - Failed",
    profile=LOCAL_AUTH_LIST,
    versions=V16,
    kills=("cp16-list-overflow-accepted",),
    applies=LISTED,
)
async def test_send_list_failed(csms: CsmsPeer) -> None:
    """No 2.0.1 case has these steps. §5.15, §9.2.2-9.2.3: the list is filled to
    LocalAuthListMaxLength in requests of at most SendLocalListMaxLength idTags (a Full one, then
    Differential ones); one more idTag cannot be stored, so the update is not Accepted but Failed
    (§7.47), and the version stays."""
    await set_key(csms, "LocalAuthListEnabled", "true")
    most = await read_int(csms, "LocalAuthListMaxLength")
    per_call = max(1, await read_int(csms, "SendLocalListMaxLength"))
    if most > FILL_LIMIT:
        raise Inconclusive(
            f"LocalAuthListMaxLength {most}: the harness fills at most {FILL_LIMIT} idTags"
        )
    tags = [f"LLIST-FILL-{n:05d}" for n in range(most + 1)]
    version = 1
    try:
        for start in range(0, most, per_call):
            chunk = [entry(tag) for tag in tags[start : min(start + per_call, most)]]
            status = await send_list(csms, version, chunk, full=start == 0)
            _status(status, "Accepted", "1.6 §5.15: an update within the limits is Accepted")
            version += 1
        status = await send_list(csms, version, [entry(tags[most])], full=False)
        _status(status, "Failed", "1.6 §5.15: Failed for more idTags than LocalAuthListMaxLength")
        await _version(csms, version - 1, "1.6 §5.15: a Failed update leaves the version")
    finally:
        await _cleanup(csms)


async def _listed_start(csms: CsmsPeer) -> None:
    """The list enabled with :data:`LIST_TAG` Accepted and LocalPreAuthorize true; the harness
    answers any Authorize Invalid, so only the list can let the idTag start."""
    await set_key(csms, "LocalAuthListEnabled", "true")
    await set_key(csms, "LocalPreAuthorize", "true")
    status = await send_list(csms, 2, [entry(LIST_TAG)])
    _status(status, "Accepted", "1.6 §5.15: a Full update within the limits is Accepted")
    csms.set_reply("Authorize", id_tag_info={"status": "Invalid"})


async def _started(csms: CsmsPeer, sut: SutActions) -> None:
    """StartTransaction for the listed idTag, then the transaction stopped and the cable out."""
    await csms.expect(
        "StartTransaction",
        connector_id=1,
        id_tag=LIST_TAG,
        within_s=csms.action_s + csms.response_s,
        req="1.6 §3.5: LocalPreAuthorize: a listed idTag starts without the Authorize answer",
    )
    await sut.present_token(LIST_TAG)
    await csms.expect("StopTransaction", req="1.6 §4.10: StopTransaction on local stop")
    await sut.unplug(evse_id=1)


@oca(
    "TC_008_1_CS",
    "Regular Start Charging Session - Id in Local Authorization List",
    profile=LOCAL_AUTH_LIST,
    versions=V16,
    kills=("cp16-local-list-unused",),
    applies=LISTED,
)
async def test_local_start_listed(csms: CsmsPeer, sut: SutActions) -> None:
    """After 2.0.1 TC_C_27_CS (online, local list). §3.5, §3.5.2: with an idTag Accepted in the list
    and LocalPreAuthorize true, a local start (cable first) begins the transaction without waiting
    for an Authorize answer; the harness answers Authorize Invalid, so a charge point that waits for
    it does not start."""
    await _listed_start(csms)
    try:
        await sut.plug_in(evse_id=1)
        await sut.present_token(LIST_TAG)
        await _started(csms, sut)
    finally:
        await _cleanup(csms)


@oca(
    "TC_008_2_CS",
    "Remote Start Charging Session - Id in Local Authorization List",
    profile=LOCAL_AUTH_LIST,
    versions=V16,
    kills=("cp16-local-list-unused",),
    applies=LISTED,
)
async def test_remote_start_listed(csms: CsmsPeer, sut: SutActions) -> None:
    """No 2.0.1 case has these steps. §5.11, §3.5: with AuthorizeRemoteTxRequests true the remote
    start is authorized as a local one, so the idTag Accepted in the list starts without waiting for
    an Authorize answer (LocalPreAuthorize true; the harness answers Authorize Invalid)."""
    await set_key(csms, "AuthorizeRemoteTxRequests", "true")
    await _listed_start(csms)
    try:
        await sut.plug_in(evse_id=1)
        result = await csms.call("RemoteStartTransaction", id_tag=LIST_TAG, connector_id=1)
        result.must(status="Accepted", req="1.6 §5.11: RemoteStartTransaction Accepted")
        await _started(csms, sut)
    finally:
        await _cleanup(csms)
