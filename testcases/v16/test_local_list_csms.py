"""OCPP 1.6 Local Auth List Management cases with the Central System under test (test case document
section 18): its operator has it ask the charge point's local authorization list version (§5.10) and
send a full or differential list (§5.15); the harness charge point answers as the case's charge
point would (not supported, empty, Failed, Accepted). The 1.6 test case document is not public: the
steps are ours, after OCPP 1.6 edition 2 §3.5.2, §5.10, §5.15 (with the errata 3.52: a listVersion
is never 0 or -1) and 2.0.1 use cases D01/D02 (TC_D_01/D_02/D_09_CSMS)."""

from __future__ import annotations

from harness import StationPeer, SutActions, oca
from harness.checks import require, require_fields
from harness.peers.exchange import InboundCall
from testcases.v16.csms_states import V16, status

LOCAL_AUTH_LIST = "local-auth-list"
UPDATE_TYPE = "1.6 §5.15: the update type the operator chose"


async def _version(station: StationPeer, sut: SutActions, answer: int) -> None:
    """The operator asks the list version: GetLocalListVersion (§5.10), answered ``answer``
    (-1: not supported, 0: empty); the Central System goes on answering (a Heartbeat)."""
    station.hold("GetLocalListVersion")
    await status(station, "Available")
    await sut.get_local_list_version()
    request = await station.expect(
        "GetLocalListVersion", req="1.6 §5.10: the CSMS sends GetLocalListVersion"
    )
    await request.reply(list_version=answer)
    await station.call("Heartbeat", req="1.6 §4.6: Heartbeat answered").must()


@oca(
    "TC_042_1_CSMS",
    "Get Local List Version (not supported)",
    profile=LOCAL_AUTH_LIST,
    versions=V16,
    kills=("csms-commands-dropped",),
)
async def test_local_list_version_not_supported(station: StationPeer, sut: SutActions) -> None:
    """GetLocalListVersion answered -1: the charge point has no local list (§5.10)."""
    await _version(station, sut, -1)


@oca(
    "TC_042_2_CSMS",
    "Get Local List Version (empty)",
    profile=LOCAL_AUTH_LIST,
    versions=V16,
    kills=("csms-commands-dropped",),
)
async def test_local_list_version_empty(station: StationPeer, sut: SutActions) -> None:
    """GetLocalListVersion answered 0: the local list is empty (§5.10; 2.0.1 TC_D_09_CSMS)."""
    await _version(station, sut, 0)


async def _send(
    station: StationPeer, sut: SutActions, update_type: str, answer: str
) -> InboundCall:
    """The operator sends a list of ``update_type``: SendLocalList with it and a listVersion
    (§5.15), which the 1.6 errata 3.52 forbid to be 0 or -1 (their meaning in
    GetLocalListVersion); answered ``answer``."""
    station.hold("SendLocalList")
    await status(station, "Available")
    await sut.send_local_list(update_type)
    request = await station.expect("SendLocalList", req="1.6 §5.15: the CSMS sends SendLocalList")
    await request.reply(status=answer)
    require_fields(request.payload, updateType=update_type, req=UPDATE_TYPE)
    version = request.get("listVersion")
    require(
        version not in (0, -1),
        req="1.6 errata 3.52: listVersion is neither 0 nor -1",
        expected="a listVersion other than 0 (empty list) and -1 (not supported)",
        actual=repr(version),
    )
    return request


LIST_KILLS = (
    "csms16-local-list-wrong-type",
    "csms16-local-list-version-zero",
    "csms-commands-dropped",
)


@oca(
    "TC_043_1_CSMS",
    "Send Local Authorization List - NotSupported",
    profile=LOCAL_AUTH_LIST,
    versions=V16,
    kills=LIST_KILLS,
)
async def test_send_local_list_not_supported(station: StationPeer, sut: SutActions) -> None:
    """A full list the charge point cannot take: answered NotSupported (§5.15); the Central
    System goes on answering it (a Heartbeat)."""
    await _send(station, sut, "Full", "NotSupported")
    await station.call("Heartbeat", req="1.6 §4.6: Heartbeat answered").must()


@oca(
    "TC_043_3_CSMS",
    "Send Local Authorization List - Failed",
    profile=LOCAL_AUTH_LIST,
    versions=V16,
    kills=LIST_KILLS,
)
async def test_send_local_list_failed(station: StationPeer, sut: SutActions) -> None:
    """A full list the charge point fails to store: answered Failed (§5.15; the retry with a
    full list is advice for a failed differential one only); the Central System goes on
    answering (a Heartbeat)."""
    await _send(station, sut, "Full", "Failed")
    await station.call("Heartbeat", req="1.6 §4.6: Heartbeat answered").must()


@oca(
    "TC_043_4_CSMS",
    "Send Local Authorization List - Full",
    profile=LOCAL_AUTH_LIST,
    versions=V16,
    kills=LIST_KILLS,
)
async def test_send_local_list_full(station: StationPeer, sut: SutActions) -> None:
    """The operator sends a full list: SendLocalList updateType Full with the version the charge
    point is to take (§5.15; 2.0.1 TC_D_01_CSMS), Accepted."""
    await _send(station, sut, "Full", "Accepted")


@oca(
    "TC_043_5_CSMS",
    "Send Local Authorization List - Differential",
    profile=LOCAL_AUTH_LIST,
    versions=V16,
    kills=LIST_KILLS,
)
async def test_send_local_list_differential(station: StationPeer, sut: SutActions) -> None:
    """The operator sends a differential list: SendLocalList updateType Differential (§5.15;
    2.0.1 TC_D_02_CSMS), Accepted."""
    await _send(station, sut, "Differential", "Accepted")
