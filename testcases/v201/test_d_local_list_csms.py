"""OCA block D (Local Authorization List), OCPP 2.0.1 and 2.1, the CSMS under test (the harness
is the station): TC_D_01-04, 08, 09 _CSMS. Steps and criteria in our own words after OCPP 2.0.1
Part 6 and its errata (2025-04 §6.3.10: every entry of a Full list carries its idTokenInfo).

The operator has the CSMS send a list (action ``send_local_list`` with ``update_type`` and
``content``: ``entries``, ``removals`` or ``empty``) or ask its version
(``get_local_list_version``). The harness station's list has version :data:`STATION_VERSION`:
it answers a GetLocalListVersion (which a CSMS may send first, D01) with it, and answers the
SendLocalList Accepted. Every SendLocalList is checked against Part 2: the update type asked for
(D01.FR.01), a versionNumber above 0 (D01.FR.18), unique idTokens (D01.FR.06), IdTokenInfo on
every entry of a Full update (AuthorizationDataType)."""

from __future__ import annotations

from typing import Any

from harness import StationPeer, SutActions, oca
from harness.checks import require, require_fields
from harness.peers.exchange import InboundCall
from testcases.v201.local_list_states import LOCAL_AUTH_LIST, V2

#: The version of the harness station's list (the OCA answers GetLocalListVersion with 1).
STATION_VERSION = 1
#: The version TC_D_08_CSMS reports (the OCA's "Configured versionNumber").
CONFIGURED = 7
UPDATE_TYPE = "D01.FR.01: the update type the operator chose"
FULL_INFO = "AuthorizationDataType: idTokenInfo in a Full update"


async def _list_sent(
    station: StationPeer, sut: SutActions, update_type: str, content: str
) -> dict[str, Any]:
    """The operator has the CSMS send a list of ``update_type`` holding ``content``: the
    SendLocalListRequest (answered Accepted), checked as the module docstring says; the CSMS
    still answers a Heartbeat afterwards."""
    station.set_reply("GetLocalListVersion", version_number=STATION_VERSION)
    station.hold("SendLocalList")
    await sut.send_local_list(update_type, content)
    request: InboundCall = await station.expect(
        "SendLocalList", req="D01: the CSMS sends SendLocalListRequest"
    )
    await request.reply(status="Accepted")
    payload = request.payload
    require_fields(payload, updateType=update_type, req=UPDATE_TYPE)
    version = payload.get("versionNumber")
    require(
        isinstance(version, int) and version > 0,
        req="D01.FR.18: versionNumber above 0",
        expected="versionNumber > 0",
        actual=repr(version),
    )
    items = list(payload.get("localAuthorizationList") or [])
    tokens = [
        (str(i.get("idToken", {}).get("idToken", "")).casefold(), i.get("idToken", {}).get("type"))
        for i in items
    ]
    require(
        len(set(tokens)) == len(tokens),
        req="D01.FR.06: every idToken once in the list",
        expected="unique idTokens",
        actual=str([t for t, _ in tokens]),
    )
    if update_type == "Full":
        missing = [t for (t, _), i in zip(tokens, items, strict=True) if "idTokenInfo" not in i]
        require(
            not missing, req=FULL_INFO, expected="idTokenInfo on every entry", actual=str(missing)
        )
    (await station.call("Heartbeat")).must(req="D01: the CSMS goes on after the update")
    return payload


def _entries(payload: dict[str, Any], *, req: str) -> list[dict[str, Any]]:
    items = list(payload.get("localAuthorizationList") or [])
    require(bool(items), req=req, expected="a localAuthorizationList with entries", actual="none")
    return items


def _above_station(payload: dict[str, Any]) -> None:
    version = payload.get("versionNumber")
    require(
        isinstance(version, int) and version > STATION_VERSION,
        req="D01.FR.19: a Differential update's versionNumber above the station's",
        expected=f"versionNumber > {STATION_VERSION}",
        actual=repr(version),
    )


@oca(
    "TC_D_01_CSMS",
    "Send Local Authorization List - Full",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("csms-local-list-wrong-type", "csms-local-list-no-token-info"),
)
async def test_csms_full(station: StationPeer, sut: SutActions) -> None:
    """TC_D_01_CSMS (D01.FR.01/15/18, errata 2025-04 §6.3.10): asked for a Full list, the CSMS
    sends SendLocalList Full with a versionNumber above 0 and entries, each with its
    idTokenInfo (step 3; the version asked first is optional, steps 1-2)."""
    payload = await _list_sent(station, sut, "Full", "entries")
    _entries(payload, req="D01.FR.15: a Full update with the CSMS's idTokens")


@oca(
    "TC_D_02_CSMS",
    "Send Local Authorization List - Differential Update",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("csms-local-list-version-not-above",),
)
async def test_csms_differential(station: StationPeer, sut: SutActions) -> None:
    """TC_D_02_CSMS (D01.FR.01/16/19): asked for a Differential list with idTokens, the CSMS
    sends SendLocalList Differential with entries and a versionNumber above the station's
    (:data:`STATION_VERSION`, what GetLocalListVersion answers, steps 1-2) (steps 3-4)."""
    payload = await _list_sent(station, sut, "Differential", "entries")
    _above_station(payload)
    _entries(payload, req="D01.FR.16: a Differential update with idTokens")


@oca(
    "TC_D_03_CSMS",
    "Send Local Authorization List - Differential Remove",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("csms-local-list-removals-keep-info",),
)
async def test_csms_differential_remove(station: StationPeer, sut: SutActions) -> None:
    """TC_D_03_CSMS (D01.FR.17/19): asked to remove idTokens, the CSMS sends SendLocalList
    Differential with a versionNumber above the station's and entries without idTokenInfo
    (steps 1-2)."""
    payload = await _list_sent(station, sut, "Differential", "removals")
    _above_station(payload)
    req = "D01.FR.17: removals carry no idTokenInfo"
    kept = [i["idToken"] for i in _entries(payload, req=req) if "idTokenInfo" in i]
    require(not kept, req=req, expected="entries without idTokenInfo", actual=str(kept))


@oca(
    "TC_D_04_CSMS",
    "Send Local Authorization List - Full with empy list",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("csms-local-list-empty-has-entries",),
)
async def test_csms_full_empty(station: StationPeer, sut: SutActions) -> None:
    """TC_D_04_CSMS (D01.FR.04): asked to empty the station's list, the CSMS sends SendLocalList
    Full without AuthorizationData (no localAuthorizationList, or an empty one) (steps 1-2)."""
    payload = await _list_sent(station, sut, "Full", "empty")
    items = payload.get("localAuthorizationList") or []
    require(
        not items,
        req="D01.FR.04: a Full update without entries empties the list",
        expected="no localAuthorizationList entries",
        actual=f"{len(items)} entries",
    )


async def _version_asked(station: StationPeer, sut: SutActions, answer: int) -> None:
    """The operator has the CSMS ask the list version: GetLocalListVersionRequest (D02),
    answered ``answer``; the CSMS goes on answering (a Heartbeat)."""
    station.hold("GetLocalListVersion")
    await sut.get_local_list_version()
    request = await station.expect(
        "GetLocalListVersion", req="D02: the CSMS sends GetLocalListVersionRequest"
    )
    await request.reply(version_number=answer)
    (await station.call("Heartbeat")).must(req="D02: the CSMS goes on after the answer")


@oca(
    "TC_D_08_CSMS",
    "Get Local List Version - Success",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("csms-commands-dropped",),
    condition="LA-2",
)
async def test_csms_list_version(station: StationPeer, sut: SutActions) -> None:
    """TC_D_08_CSMS (D02): asked by its operator, the CSMS sends GetLocalListVersionRequest
    (step 1), answered with :data:`CONFIGURED` (step 2). The document has no tool validation:
    the request (schema-valid) and the connection staying usable are what is checked."""
    await _version_asked(station, sut, CONFIGURED)


@oca(
    "TC_D_09_CSMS",
    "Get Local List Version - No list available",
    profile=LOCAL_AUTH_LIST,
    versions=V2,
    kills=("csms-commands-dropped",),
)
async def test_csms_list_version_none(station: StationPeer, sut: SutActions) -> None:
    """TC_D_09_CSMS (D02.FR.02): as TC_D_08_CSMS, answered 0: the station has no list
    (step 2)."""
    await _version_asked(station, sut, 0)
