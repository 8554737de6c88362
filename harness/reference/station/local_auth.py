"""How the 2.0.1/2.1 reference station decides on a presented idToken before it asks the CSMS
(block C): the Local Authorization List first (C13/C14, :meth:`LocalList.decide
<harness.reference.station.block_d.LocalList.decide>`; it has priority over the cache,
C13.FR.01/C14.FR.01), then the authorization cache with AuthCtrlr.LocalPreAuthorize (C12), then,
offline, a cached idToken with LocalAuthorizationOffline or any idToken with
OfflineTxForUnknownIdEnabled (C15; the CSMS rates it once the station is back online)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness.reference.station.v2tx import TxEngine


def decide(txe: TxEngine, id_token: str) -> str:
    """What to do with a presented idToken: "grant" (charge without an Authorize), "authorize"
    (send one) or "refuse"."""
    online = txe.st.connected
    auth = txe.dm.get_bool
    cached = id_token in txe.st.auth_cache
    offline_cache = not online and cached and auth("AuthCtrlr", "LocalAuthorizationOffline")
    if offline_cache and "local-list-after-cache" in txe.st.faults:
        return "grant"  # the cache before the list: C13.FR.01 broken
    listed = txe.local_decision(id_token, online)
    if listed is not None:
        return listed
    if cached and auth("AuthCtrlr", "LocalPreAuthorize"):
        return "grant"
    if not online and (offline_cache or auth("AuthCtrlr", "OfflineTxForUnknownIdEnabled")):
        return "grant"
    return "authorize"
