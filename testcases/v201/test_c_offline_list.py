"""OCA block C, offline authorization through the Local Authorization List (C13), OCPP 2.0.1 and
2.1, the charging station under test: TC_C_21-25_CS. Steps and criteria in our own words after
OCPP 2.0.1 Part 6 and its errata 2025-02 (§5.11: a local start authorization option, C-30/31/32/
34, is what they need).

Before every case: one idToken listed with the status the case needs (a Full update,
:func:`~testcases.v201.local_list_states.list_in_memory`), AuthCtrlr.LocalPreAuthorize true and
OfflineTxForUnknownIdEnabled false (true in TC_C_25) where the station has them,
LocalAuthorizationOffline true, and the back-off of the offline cases (RetryBackOffWaitMinimum
3 s, :func:`~testcases.v201.offline_states.offline_preparation`). The harness then takes the
station offline (the connection dropped, reconnections refused), the EV plugs in and the idToken
is presented; once reconnections are accepted, the queued TransactionEvents are read.

Deviations: the EV plugging in stands for the OCA's "drive into the parking bay" (a station
whose TxStartPoint is ParkingBayOccupancy reports it as such); TC_C_21-24 clear the
authorization cache first (ClearCache, best effort) so that only the list can authorize offline;
TC_C_23 lists the idToken Blocked where the OCA writes Restricted, a status 2.0.1 does not have.
The cases apply as block D's do (:func:`~testcases.v201.local_list_states.list_applies`)."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from harness import CsmsPeer, SutActions, oca
from harness.checks import require
from harness.config import SutProfile
from harness.netfaults import NetworkFaults
from harness.peers.exchange import InboundCall
from testcases.v201.local_list_states import (
    LOCAL_AUTH_LIST,
    V2,
    entry,
    list_applies,
    list_emptied,
    list_in_memory,
)
from testcases.v201.offline_states import BACKOFF_S, delivered_queue, offline_preparation
from testcases.v201.states import set_variable, tx_points
from testcases.v201.tx_states import Session, charging, stop_charging

__all__ = ["list_emptied"]
pytestmark = pytest.mark.usefixtures("list_emptied")

CONDITION = "C-30 OR C-31 OR C-32"
#: How long the EV stays plugged in offline with the idToken presented (seconds).
OFFLINE_S = 1.0
REFUSED = "C13.FR.02: offline, only an idToken the list holds as Accepted may charge"


async def _before(
    csms: CsmsPeer, profile: SutProfile, token: str, status: str, *, unknown_ok: bool = False
) -> None:
    """The Before of the module docstring, for ``token`` listed with ``status``."""
    await offline_preparation(csms, meter_values=False)
    for variable, value in (
        ("LocalPreAuthorize", "true"),
        ("OfflineTxForUnknownIdEnabled", "true" if unknown_ok else "false"),
        ("LocalAuthorizationOffline", "true"),
    ):
        await set_variable(csms, "AuthCtrlr", variable, value, req="C13: set (if implemented)")
    await list_in_memory(csms, profile, [entry({"idToken": token, "type": "ISO14443"}, status)])


async def _cache_cleared(csms: CsmsPeer) -> None:
    with contextlib.suppress(Exception):
        await csms.call_payload("ClearCache", {}, req="before the case: the cache cleared")


async def _refused_offline(
    csms: CsmsPeer, sut: SutActions, profile: SutProfile, token: str, req: str
) -> None:
    """Offline, the EV plugs in and ``token`` is presented; after :data:`OFFLINE_S` the EV
    leaves. Once the station is back, none of its TransactionEvents reports Charging (``req``);
    a transaction started at the plug-in (TxStartPoint EVConnected) is delivered with offline
    true."""
    session = Session(await tx_points(csms, profile))
    await csms.settle_replies()
    async with NetworkFaults(csms) as net:
        await net.offline(60)
        await sut.plug_in(evse_id=session.evse_id, connector_id=session.connector_id)
        await sut.present_token(token, evse_id=session.evse_id)
        await asyncio.sleep(OFFLINE_S)
        await sut.unplug(evse_id=session.evse_id, connector_id=session.connector_id)
        net.accept()
        await csms.expect_none(
            "TransactionEvent",
            for_s=BACKOFF_S + csms.response_s,
            transaction_info={"chargingState": "Charging"},
            req=req,
        )
    if session.points.starts_at_plug_in:  # the OCA's step 5: the transaction of the plug-in
        await csms.expect(
            "TransactionEvent",
            event_type="Started",
            offline=True,
            req="E12.FR.02: the transaction started offline is delivered, offline true",
        )


@oca(
    "TC_C_21_CS",
    "Offline authorization through local authorization list - Accepted",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("local-list-unused",),
    applies=list_applies,
    condition=CONDITION,
)
async def test_offline_listed_accepted(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_C_21_CS (C13.FR.02): the valid idToken listed Accepted. Offline (state
    StartOfflineTransaction): the EV plugs in, the idToken is presented and charges; it is
    presented again (stop), the EV leaves. Back online, the station delivers the transaction:
    every event queued offline says offline true, one authorizes the idToken (triggerReason
    Authorized), one has triggerReason StopAuthorized."""
    token = sut_profile.sut.tokens.valid
    await _cache_cleared(csms)
    await _before(csms, sut_profile, token, "Accepted")
    session = Session(await tx_points(csms, sut_profile))
    await csms.settle_replies()
    async with NetworkFaults(csms) as net:
        csms.hold("TransactionEvent")
        await net.offline(60)
        await sut.plug_in(evse_id=session.evse_id, connector_id=session.connector_id)
        await sut.present_token(token, evse_id=session.evse_id)
        await asyncio.sleep(OFFLINE_S)
        await sut.present_token(token, evse_id=session.evse_id)
        await asyncio.sleep(0.3)
        await sut.unplug(evse_id=session.evse_id, connector_id=session.connector_id)
        net.accept()
        await csms.wait_connected(BACKOFF_S + csms.action_s, req="C13: the station reconnects")
        events = await delivered_queue(
            csms, session, lost=REFUSED, req="E12.FR.02", until_ended=True
        )
    _has(events, "Authorized", token, REFUSED)
    _has(events, "StopAuthorized", None, "C13.FR.02: the idToken stops the transaction offline")


def _has(events: list[InboundCall], trigger: str, token: str | None, req: str) -> None:
    found = [
        e
        for e in events
        if e.get("triggerReason") == trigger
        and (token is None or (e.get("idToken") or {}).get("idToken") == token)
    ]
    require(
        bool(found),
        req=req,
        expected=f"a TransactionEvent with triggerReason {trigger}"
        + (f" and idToken {token}" if token else ""),
        actual=str([(e.get("eventType"), e.get("triggerReason")) for e in events]),
    )


async def _listed_refused(
    csms: CsmsPeer, sut: SutActions, profile: SutProfile, status: str
) -> None:
    token = profile.sut.tokens.valid
    await _cache_cleared(csms)
    await _before(csms, profile, token, status)
    await _refused_offline(csms, sut, profile, token, REFUSED)


@oca(
    "TC_C_22_CS",
    "Offline authorization through local authorization list - Invalid",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("local-list-offline-any-status",),
    applies=list_applies,
    condition=CONDITION,
)
async def test_offline_listed_invalid(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_C_22_CS (C13.FR.02): the idToken listed Invalid; offline, the EV plugs in and the
    idToken is presented: it does not charge (back online, no event reports Charging)."""
    await _listed_refused(csms, sut, sut_profile, "Invalid")


@oca(
    "TC_C_23_CS",
    "Offline authorization through local authorization list - Restricted",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("local-list-offline-any-status",),
    applies=list_applies,
    condition=CONDITION,
)
async def test_offline_listed_blocked(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_C_23_CS (C13.FR.02): as TC_C_22_CS with the idToken listed Blocked (the module's
    deviation)."""
    await _listed_refused(csms, sut, sut_profile, "Blocked")


@oca(
    "TC_C_24_CS",
    "Offline authorization through local authorization list - Expired",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("local-list-offline-any-status",),
    applies=list_applies,
    condition=CONDITION,
)
async def test_offline_listed_expired(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_C_24_CS (C13.FR.02): as TC_C_22_CS with the idToken listed Expired."""
    await _listed_refused(csms, sut, sut_profile, "Expired")


@oca(
    "TC_C_25_CS",
    "Offline authorization through local authorization list - Local Authorization List > "
    "Authorization Cache",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("local-list-after-cache",),
    applies=list_applies,
    condition=CONDITION,
)
async def test_offline_list_before_cache(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_C_25_CS (C13.FR.01, C13.FR.04): Before: the valid idToken cached Accepted (memory
    state IdTokenCached: a charging session with it, the station's Authorize answered
    Accepted), then listed Invalid; OfflineTxForUnknownIdEnabled true. Offline, the EV plugs in
    and the idToken is presented: the list's Invalid outranks the cache's Accepted and the
    idToken is not unknown, so it does not charge (back online, no event reports Charging)."""
    token = sut_profile.sut.tokens.valid
    session = await charging(csms, sut, sut_profile)
    await stop_charging(csms, sut, sut_profile, session, req="E06: the transaction ends")
    await _before(csms, sut_profile, token, "Invalid", unknown_ok=True)
    await _refused_offline(
        csms, sut, sut_profile, token, "C13.FR.01: offline, the list outranks the cache"
    )
