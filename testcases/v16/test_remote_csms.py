"""OCPP 1.6 Core cases with the Central System under test in which its operator makes it act: remote
start and stop (test case document sections 05, 06, 11), reset (07) and unlock connector (09, 12).
The 1.6 test case document is not public: the steps are ours, after OCPP 1.6 edition 2 (§5.11
RemoteStartTransaction, §5.12 RemoteStopTransaction, §5.14 Reset, §5.18 UnlockConnector, which the
errata 4.15 make the Central System's to send) and the 2.0.1 cases named per case. The harness
charge point answers each request as the case's charge point would (Accepted, Rejected,
NotSupported...); the Central System is judged on what it sends and on answering what follows."""

from __future__ import annotations

from harness import StationPeer, SutActions, oca
from harness.checks import require, require_fields
from harness.config import SutProfile
from harness.peers.exchange import InboundCall
from testcases.v16.csms_states import V16, charging, rebooted, start, status, stop

SENT = "1.6 {section}: the CSMS sends {action}"
STOP_TX = "1.6 §5.12: for the transaction the operator chose"
UNLOCK = "1.6 §5.18: for the connector the operator chose"


async def _sent(station: StationPeer, action: str, section: str) -> InboundCall:
    """The CALL ``action`` the operator's request made the Central System send (held: the case
    answers it)."""
    return await station.expect(action, req=SENT.format(section=section, action=action))


# -- remote start (sections 05, 11) ---------------------------------------------------------------
async def _idle(station: StationPeer) -> None:
    """After its boot the charge point reports its connector Available (§4.9), answered; the
    operator acts only then (a Central System may still be busy with the boot)."""
    await status(station, "Available")


async def _remote_start(station: StationPeer, sut: SutActions, tag: str, answer: str) -> None:
    await _idle(station)
    station.hold("RemoteStartTransaction")
    await sut.remote_start(id_token=tag, evse_id=1)
    request = await _sent(station, "RemoteStartTransaction", "§5.11")
    await request.reply(status=answer)
    require_fields(request.payload, idTag=tag, req="1.6 §5.11: for the operator's idTag")
    connector = request.get("connectorId", 1)
    require(
        connector == 1,
        req="1.6 §5.11: for the operator's connector (or none)",
        expected="connectorId 1 or absent",
        actual=repr(connector),
    )


@oca(
    "TC_011_1_CSMS",
    "Remote Start Charging Session - Remote Start First",
    profile="core",
    versions=V16,
    kills=("csms-commands-dropped", "csms16-status-refused"),
)
async def test_remote_start_first(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """The operator starts a session remotely before a cable is plugged in (2.0.1 TC_F_02_CSMS):
    RemoteStartTransaction for the idTag (§5.11), Accepted; the cable follows (Preparing), the
    transaction starts (StartTransaction Accepted, §4.8), Charging; it ends locally (§4.10)."""
    tag = sut_profile.sut.tokens.valid
    await _remote_start(station, sut, tag, "Accepted")
    await status(station, "Preparing")
    tx_id = await start(station, tag)
    await status(station, "Charging")
    await stop(station, tx_id, "Local", id_tag=tag)
    await status(station, "Finishing")
    await status(station, "Available")


@oca(
    "TC_011_2_CSMS",
    "Remote Start Charging Session - Time Out",
    profile="core",
    versions=V16,
    kills=("csms-commands-dropped", "csms16-status-refused"),
)
async def test_remote_start_timeout(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """A remote start is Accepted (§5.11) and the connector goes Preparing, but no cable follows
    within ConnectionTimeOut (1.6 §9.1.6, errata 3.21): the connector is Available again without a
    transaction (2.0.1 TC_F_04_CSMS). The Central System answers both StatusNotifications (§4.9)."""
    await _remote_start(station, sut, sut_profile.sut.tokens.valid, "Accepted")
    await status(station, "Preparing")
    await status(station, "Available")


@oca(
    "TC_026_CSMS",
    "Remote Start Charging Session - Rejected",
    profile="core",
    versions=V16,
    kills=("csms-commands-dropped",),
)
async def test_remote_start_rejected(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """The charge point rejects a remote start (§5.11: it may); no transaction follows and the
    Central System keeps answering the charge point (a Heartbeat, §4.6)."""
    await _remote_start(station, sut, sut_profile.sut.tokens.valid, "Rejected")
    await station.call("Heartbeat", req="1.6 §4.6: Heartbeat answered").must()


# -- remote stop (sections 06, 11) ----------------------------------------------------------------
async def _remote_stop(station: StationPeer, sut: SutActions, tx_id: int, answer: str) -> None:
    station.hold("RemoteStopTransaction")
    await sut.remote_stop(tx_id)
    request = await _sent(station, "RemoteStopTransaction", "§5.12")
    await request.reply(status=answer)
    require_fields(request.payload, transactionId=tx_id, req=STOP_TX)


@oca(
    "TC_012_CSMS",
    "Remote Stop Charging Session",
    profile="core",
    versions=V16,
    kills=("csms16-remote-stop-wrong-tx", "csms-commands-dropped", "csms-fails-transaction-end"),
)
async def test_remote_stop(station: StationPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """A transaction runs; the operator stops it: RemoteStopTransaction with its transactionId
    (§5.12; 2.0.1 TC_F_08, a charging station case), Accepted; the charge point stops it (reason
    Remote, §4.10), Finishing, Available; each answered."""
    tx_id = await charging(station, sut_profile.sut.tokens.valid)
    await _remote_stop(station, sut, tx_id, "Accepted")
    await stop(station, tx_id, "Remote")
    await status(station, "Finishing")
    await status(station, "Available")


@oca(
    "TC_028_CSMS",
    "Remote Stop Transaction - Rejected",
    profile="core",
    versions=V16,
    kills=("csms16-remote-stop-wrong-tx", "csms-commands-dropped"),
)
async def test_remote_stop_rejected(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """The charge point rejects a remote stop (§5.12: e.g. an unknown transactionId); the
    transaction goes on and ends locally later (§4.10), each message answered (2.0.1 TC_F_09, a
    charging station case)."""
    tag = sut_profile.sut.tokens.valid
    tx_id = await charging(station, tag)
    await _remote_stop(station, sut, tx_id, "Rejected")
    await stop(station, tx_id, "Local", id_tag=tag)
    await status(station, "Finishing")
    await status(station, "Available")


# -- reset (section 07) ---------------------------------------------------------------------------
async def _reset(station: StationPeer, sut: SutActions, profile: SutProfile, kind: str) -> None:
    """The operator resets the charge point (§5.14): Reset of ``kind``, Accepted; the charge
    point reboots: a new connection, BootNotification Accepted (§4.2), its connectors' statuses
    (errata 3.22)."""
    await _idle(station)
    station.hold("Reset")
    await sut.request_reset(kind)
    request = await _sent(station, "Reset", "§5.14")
    await request.reply(status="Accepted")
    require_fields(
        request.payload, type=kind, req="1.6 §5.14: Reset of the type the operator chose"
    )
    station.trace.event(f"{kind} reset")
    await rebooted(station, profile)


@oca(
    "TC_013_CSMS",
    "Hard Reset",
    profile="core",
    versions=V16,
    kills=("csms16-reset-wrong-type", "csms-commands-dropped"),
)
async def test_hard_reset(station: StationPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """The operator hard-resets the charge point: Reset type Hard (§5.14; 2.0.1 TC_B_22_CSMS,
    without a transaction)."""
    await _reset(station, sut, sut_profile, "Hard")


@oca(
    "TC_014_CSMS",
    "Soft Reset",
    profile="core",
    versions=V16,
    kills=("csms16-reset-wrong-type", "csms-commands-dropped"),
)
async def test_soft_reset(station: StationPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """The operator soft-resets the charge point: Reset type Soft (§5.14; 2.0.1 TC_B_20_CSMS)."""
    await _reset(station, sut, sut_profile, "Soft")


# -- unlock connector (sections 09, 12) -----------------------------------------------------------
async def _unlock(
    station: StationPeer, sut: SutActions, connector: int, answer: str, *, idle: bool = True
) -> None:
    if idle:
        await _idle(station)
    station.hold("UnlockConnector")
    await sut.unlock_connector(evse_id=connector, connector_id=1)
    request = await _sent(station, "UnlockConnector", "§5.18")
    await request.reply(status=answer)
    require_fields(request.payload, connectorId=connector, req=UNLOCK)


UNLOCK_KILLS = ("csms16-unlock-wrong-connector", "csms-commands-dropped")


@oca(
    "TC_017_1_CSMS",
    "Unlock connector - no charging session running (Not fixed cable)",
    profile="core",
    versions=V16,
    kills=UNLOCK_KILLS,
)
async def test_unlock_idle(station: StationPeer, sut: SutActions) -> None:
    """The operator unlocks connector 1 (no transaction): UnlockConnector for it (§5.18; 2.0.1
    TC_F_06_CSMS), answered Unlocked."""
    await _unlock(station, sut, 1, "Unlocked")


@oca(
    "TC_017_2_CSMS",
    "Unlock connector - no charging session running (Fixed cable)",
    profile="core",
    versions=V16,
    kills=UNLOCK_KILLS,
)
async def test_unlock_fixed_cable(station: StationPeer, sut: SutActions) -> None:
    """As TC_017_1 on a connector with a fixed cable: answered NotSupported (§5.18)."""
    await _unlock(station, sut, 1, "NotSupported")
    await station.call("Heartbeat", req="1.6 §4.6: Heartbeat answered").must()


@oca(
    "TC_018_1_CSMS",
    "Unlock Connector - With Charging Session (Not fixed cable)",
    profile="core",
    versions=V16,
    kills=(*UNLOCK_KILLS, "csms16-status-refused"),
)
async def test_unlock_during_session(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """A transaction runs; the operator unlocks its connector (§5.18): Unlocked, and the charge
    point stops the transaction first (StopTransaction reason UnlockCommand, §4.10), then
    Finishing and Available (§4.9); each answered (2.0.1 TC_F_05, a charging station case)."""
    tx_id = await charging(station, sut_profile.sut.tokens.valid)
    await _unlock(station, sut, 1, "Unlocked", idle=False)
    await stop(station, tx_id, "UnlockCommand")
    await status(station, "Finishing")
    await status(station, "Available")


@oca(
    "TC_030_CSMS",
    "Unlock Connector - Unlock Failure",
    profile="core",
    versions=V16,
    kills=UNLOCK_KILLS,
)
async def test_unlock_failure(station: StationPeer, sut: SutActions) -> None:
    """The charge point tried but cannot unlock (§5.18: UnlockFailed, as the errata 3.87 define
    it); the Central System goes on answering it (a Heartbeat)."""
    await _unlock(station, sut, 1, "UnlockFailed")
    await station.call("Heartbeat", req="1.6 §4.6: Heartbeat answered").must()


@oca(
    "TC_031_CSMS",
    "Unlock Connector - Unknown Connector",
    profile="core",
    versions=V16,
    kills=UNLOCK_KILLS,
)
async def test_unlock_unknown_connector(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """The operator asks to unlock a connector the charge point does not have (one past its
    last): UnlockConnector for it, answered NotSupported (§5.18 as the errata 3.87 have it for an
    unknown connectorId; 2.0.1 TC_F_10, a charging station case)."""
    unknown = sum(e.connectors for e in sut_profile.sut.evses) + 1
    await _unlock(station, sut, unknown, "NotSupported")
    await station.call("Heartbeat", req="1.6 §4.6: Heartbeat answered").must()
