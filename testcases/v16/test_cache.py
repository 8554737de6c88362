"""OCPP 1.6 Authorization Cache with the charge point under test (test case document section 04:
TC_007_1/2_CS, TC_061_1/2_CS; "Local" / "Remote" name how the session after ClearCache starts, as
"Regular" / "Remote" do for TC_007_x).
The 1.6 test case document is not public: steps and criteria in our own words after OCPP 1.6
edition 2 §3.5.1 (Authorization Cache), §5.4 (ClearCache), §9.1 AuthorizationCacheEnabled /
LocalPreAuthorize / AuthorizeRemoteTxRequests. The cache is optional (§3.5.1 MAY): a charge point
without the AuthorizationCacheEnabled key (§9.1.2: the key exists when a cache does) or that will
not enable it or LocalPreAuthorize is NOT-APPLICABLE."""

from __future__ import annotations

from harness import CsmsPeer, SutActions, oca
from harness.config import SutProfile
from testcases.v16.states import charging, drain, with_key

V16 = ("1.6",)
PRE_AUTHORIZED = "1.6 §9.1 LocalPreAuthorize: a cached idTag starts without Authorize"


async def _cached(csms: CsmsPeer, sut: SutActions, profile: SutProfile) -> str:
    """The valid idTag in the cache: the cache and LocalPreAuthorize enabled for the case, then
    one whole session with it (its Authorize / StartTransaction answers Accepted, §3.5.1)."""
    await with_key(csms, "AuthorizationCacheEnabled", "true")
    await with_key(csms, "LocalPreAuthorize", "true")
    tag = profile.sut.tokens.valid
    tx_id = await charging(csms, sut, profile)
    await sut.present_token(tag)
    await csms.expect("StopTransaction", transaction_id=tx_id, req="1.6 §4.10: session stopped")
    await sut.unplug(evse_id=1)
    await csms.expect(
        "StatusNotification", connector_id=1, status="Available", req="1.6 §4.9: Available"
    )
    await drain(csms, "Authorize")  # a later Authorize is a new one
    return tag


async def _ends(csms: CsmsPeer, sut: SutActions, tag: str) -> None:
    """The session started from the cache is Charging; the idTag stops it; unplugged."""
    await csms.expect(
        "StatusNotification", connector_id=1, status="Charging", req="1.6 §4.9: Charging"
    )
    tx_id = csms.last_transaction_id
    csms.allow("Authorize")
    await sut.present_token(tag)
    await csms.expect("StopTransaction", transaction_id=tx_id, req="1.6 §4.10: it stops")
    await sut.unplug(evse_id=1)


@oca(
    "TC_007_1_CS",
    "Regular Start Charging Session - Cached Id",
    profile="core",
    versions=V16,
    kills=("cp16-cache-not-used",),
)
async def test_cached_local_start(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """Follows TC_C_32_CS of 2.0.1 (cache, local start). With the idTag in the cache and
    LocalPreAuthorize true (§9.1), presenting it with the cable plugged in starts the transaction
    without an Authorize (§3.5, §9.1 LocalPreAuthorize)."""
    tag = await _cached(csms, sut, sut_profile)
    await sut.plug_in(evse_id=1)
    csms.forbid("Authorize", PRE_AUTHORIZED)
    await sut.present_token(tag)
    await csms.expect("StartTransaction", connector_id=1, id_tag=tag, req=PRE_AUTHORIZED)
    await _ends(csms, sut, tag)


@oca(
    "TC_007_2_CS",
    "Remote Start Charging Session - Cached Id",
    profile="core",
    versions=V16,
    kills=("cp16-cache-not-used",),
)
async def test_cached_remote_start(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """Follows TC_C_33_CS of 2.0.1 (cache, remote start). With AuthorizeRemoteTxRequests true the
    remote start is authorized like a local one (§5.11): a cached idTag with LocalPreAuthorize true
    starts the transaction without an Authorize."""
    await with_key(csms, "AuthorizeRemoteTxRequests", "true")
    tag = await _cached(csms, sut, sut_profile)
    await sut.plug_in(evse_id=1)
    csms.forbid("Authorize", PRE_AUTHORIZED)
    result = await csms.call("RemoteStartTransaction", id_tag=tag, connector_id=1)
    result.must(status="Accepted", req="1.6 §5.11: RemoteStartTransaction Accepted")
    await csms.expect("StartTransaction", connector_id=1, id_tag=tag, req=PRE_AUTHORIZED)
    await _ends(csms, sut, tag)


CLEARED = "1.6 §5.4: after ClearCache the idTag is authorized again"


async def _cleared(csms: CsmsPeer, sut: SutActions, profile: SutProfile) -> str:
    """The valid idTag cached (:func:`_cached`), then ClearCache answered Accepted (§5.4); the
    cable plugged into connector 1."""
    tag = await _cached(csms, sut, profile)
    result = await csms.call("ClearCache")
    result.must(status="Accepted", req="1.6 §5.4: ClearCache Accepted")
    await sut.plug_in(evse_id=1)
    return tag


@oca(
    "TC_061_1_CS",
    "Clear Authorization Data in Authorization Cache - Local",
    profile="core",
    versions=V16,
    kills=("cp16-clear-cache-ignored",),
)
async def test_clear_cache_local(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """Follows TC_C_37_CS of 2.0.1 (ClearCache), the idTag presented locally (as TC_007_1_CS).
    §5.4: ClearCache is Accepted and empties the cache: the idTag cached before is then sent in
    an Authorize before its transaction starts, LocalPreAuthorize true notwithstanding."""
    tag = await _cleared(csms, sut, sut_profile)
    await sut.present_token(tag)
    await csms.expect("Authorize", id_tag=tag, req=CLEARED)
    await csms.expect("StartTransaction", connector_id=1, id_tag=tag, req="1.6 §4.8: started")
    await _ends(csms, sut, tag)


@oca(
    "TC_061_2_CS",
    "Clear Authorization Data in Authorization Cache - Remote",
    profile="core",
    versions=V16,
    kills=("cp16-clear-cache-ignored",),
)
async def test_clear_cache_remote(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """Follows TC_C_37_CS of 2.0.1 (ClearCache), the session started remotely (as TC_007_2_CS).
    With AuthorizeRemoteTxRequests true (set for the case; NOT-APPLICABLE if refused) a remote
    start is authorized like a local one (§5.11); after ClearCache (Accepted, §5.4) the idTag
    cached before is sent in an Authorize before the remote-started transaction begins."""
    await with_key(csms, "AuthorizeRemoteTxRequests", "true")
    tag = await _cleared(csms, sut, sut_profile)
    result = await csms.call("RemoteStartTransaction", id_tag=tag, connector_id=1)
    result.must(status="Accepted", req="1.6 §5.11: RemoteStartTransaction Accepted")
    await csms.expect("Authorize", id_tag=tag, req=CLEARED)
    await csms.expect("StartTransaction", connector_id=1, id_tag=tag, req="1.6 §4.8: started")
    await _ends(csms, sut, tag)
