"""How the 2.0.1/2.1 reference station decides on a presented idToken before it asks the CSMS
(block C): the Local Authorization List first (C13/C14, :meth:`LocalList.decide
<harness.reference.station.block_d.LocalList.decide>`; it has priority over the cache,
C13.FR.01/C14.FR.01), then the authorization cache with AuthCtrlr.LocalPreAuthorize (C12), then,
offline, a cached idToken with LocalAuthorizationOffline or any idToken with
OfflineTxForUnknownIdEnabled (C15; the CSMS rates it once the station is back online).

Another idToken presented during an authorized transaction (C09, :func:`group_stop`): one the
list holds as Accepted, or the cache as Accepted, with the groupIdToken of the idToken that
started the authorization ends it without an Authorize (C09.FR.07); otherwise the station asks
the CSMS (an Authorize, C09.FR.05) and ends it only for an Accepted answer with that
groupIdToken (C09.FR.03/11). The groupIdToken of an idToken comes from the list, or from the
last Authorize or TransactionEvent answer naming it (:func:`learn_group`, C09.FR.12). Faults:
``group-stop-refused``, ``group-stop-not-accepted``, ``group-stop-asks-first``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.reference.station.model import Outgoing, Payload

if TYPE_CHECKING:
    from harness.reference.station.model import Transaction
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


def learn_group(txe: TxEngine, id_token: str | None, result: Payload) -> None:
    """Remember the groupIdToken an answer gives ``id_token`` (Authorize, TransactionEvent)."""
    info = result.get("idTokenInfo") or {}
    if id_token is not None and info:
        txe.groups[id_token] = (info.get("groupIdToken") or {}).get("idToken")


def _group(txe: TxEngine, id_token: str) -> str | None:
    listed = txe.local_entry(id_token)
    return listed[1] if listed is not None else txe.groups.get(id_token)


def group_stop(txe: TxEngine, tx: Transaction, id_token: str) -> None:
    """C09: ``id_token`` (not the one that started the authorization) presented during ``tx``."""
    faults = txe.st.faults
    group = _group(txe, str(tx.id_token))
    if group is None or "group-stop-refused" in faults:
        return  # C09.FR.03 broken under the fault; no group: only the same idToken stops it
    listed = txe.local_entry(id_token)
    valid = listed[0] == "Accepted" if listed is not None else id_token in txe.st.auth_cache
    if valid and _group(txe, id_token) == group and "group-stop-asks-first" not in faults:
        txe._stop_authorized(tx)  # C09.FR.07 (b): known locally, no Authorize first
        return

    def answered(result: Payload) -> None:
        learn_group(txe, id_token, result)
        accepted = (result.get("idTokenInfo") or {}).get("status") == "Accepted"
        accepted = accepted or "group-stop-not-accepted" in faults
        if accepted and txe.groups.get(id_token) == group and tx.authorized and not tx.ended:
            txe._stop_authorized(tx)  # C09.FR.03; not for another status, C09.FR.11

    payload = {"idToken": {"idToken": id_token, "type": "ISO14443"}}
    txe.st.send(Outgoing.fixed("Authorize", payload, on_result=answered))  # C09.FR.05
