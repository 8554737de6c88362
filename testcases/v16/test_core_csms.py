"""OCPP 1.6 Core cases with the Central System under test in which the charge point (the harness)
acts and the Central System answers: charging sessions (test case document sections 02-03),
authorization (sections 04, 08), the lock failure, a power failure during a transaction and data
transfer. The 1.6 test case document is not public: the steps are ours, after OCPP 1.6 edition 2
(§4.1 Authorize, §4.2 BootNotification, §4.3 DataTransfer, §4.8 StartTransaction, §4.9
StatusNotification, §4.10 StopTransaction) and the 2.0.1 cases named per case."""

from __future__ import annotations

import asyncio

from harness import StationPeer, oca
from harness.checks import require, should
from harness.config import SutProfile
from harness.transport import ConnectFailed
from testcases.v16.csms_states import (
    V16,
    authorize,
    authorized,
    charging,
    rebooted,
    start,
    status,
    stop,
    token,
)
from testcases.v201.states import boot_until_accepted

SESSION_KILLS = ("csms16-status-refused", "csms-fails-transaction-end")


@oca(
    "TC_004_1_CSMS",
    "Regular Charging Session - Identification First",
    profile="core",
    versions=V16,
    kills=SESSION_KILLS,
)
async def test_identification_first(station: StationPeer, sut_profile: SutProfile) -> None:
    """The idTag is presented before the cable is plugged in (steps as 2.0.1 TC_E_04_CSMS):
    Authorize (Accepted, §4.1), Preparing, StartTransaction (Accepted, §4.8), Charging, a local
    stop (StopTransaction reason Local, §4.10), Finishing, Available (§4.9); each answered."""
    tag = sut_profile.sut.tokens.valid
    await authorized(station, tag)
    await status(station, "Preparing")
    tx_id = await start(station, tag)
    await status(station, "Charging")
    await stop(station, tx_id, "Local", id_tag=tag)
    await status(station, "Finishing")
    await status(station, "Available")


@oca(
    "TC_004_2_CSMS",
    "Regular Charging Session - Identification First - ConnectionTimeOut",
    profile="core",
    versions=V16,
    kills=("csms16-status-refused",),
)
async def test_identification_first_timeout(station: StationPeer, sut_profile: SutProfile) -> None:
    """The idTag is authorized, the connector goes Preparing, but no cable follows within
    ConnectionTimeOut (1.6 §9.1.6, errata 3.21): the connector goes back to Available without a
    transaction (2.0.1 TC_E_05 has this only for a charging station under test). The Central System
    answers each StatusNotification (§4.9)."""
    await authorized(station, sut_profile.sut.tokens.valid)
    await status(station, "Preparing")
    await status(station, "Available")


@oca(
    "TC_005_1_CSMS",
    "EV Side Disconnected - StopTransactionOnEVSideDisconnect = true",
    profile="core",
    versions=V16,
    kills=SESSION_KILLS,
)
async def test_ev_side_disconnected(station: StationPeer, sut_profile: SutProfile) -> None:
    """A transaction runs; the cable is pulled at the EV side and, StopTransactionOnEVSideDisconnect
    being true, the connector goes Finishing (1.6 §4.9) and the charge point stops the transaction
    with reason EVDisconnected (§4.10, §9.1.23), then Available. Each is answered (as 2.0.1
    TC_E_17_CSMS)."""
    tx_id = await charging(station, sut_profile.sut.tokens.valid)
    await status(station, "Finishing")
    await stop(station, tx_id, "EVDisconnected")
    await status(station, "Available")


@oca(
    "TC_007_CSMS",
    "Regular Start Charging Session - Cached Id",
    profile="core",
    versions=V16,
    kills=("csms-tx-rejects-valid-token", "csms16-status-refused"),
)
async def test_cached_id(station: StationPeer, sut_profile: SutProfile) -> None:
    """The charge point finds the idTag Accepted in its authorization cache and starts the
    transaction without an Authorize (1.6 §3.5.1, LocalPreAuthorize; 2.0.1 TC_C_08_CSMS): the
    Central System answers the StartTransaction with the idTag's status, Accepted (§4.8)."""
    tag = sut_profile.sut.tokens.valid
    await status(station, "Preparing")
    tx_id = await start(station, tag)
    await status(station, "Charging")
    await stop(station, tx_id, "Local", id_tag=tag)
    await status(station, "Finishing")
    await status(station, "Available")


async def _refused_tag(station: StationPeer, tag: str, wanted: str) -> None:
    await status(station, "Preparing")
    got = await authorize(station, tag)
    require(
        got in (wanted, "Invalid"),
        req="1.6 §4.1: the idTag's status is reported",
        expected=f"{wanted} (or Invalid)",
        actual=repr(got),
    )
    await status(station, "Available")


@oca(
    "TC_023_2_CSMS",
    "Start Charging Session - Authorize expired",
    profile="core",
    versions=V16,
    kills=("csms16-ignores-token-status",),
)
async def test_authorize_expired(station: StationPeer, sut_profile: SutProfile) -> None:
    """Before: the Central System holds ``sut.tokens.expired`` as Expired. Authorize for it is
    answered Expired (or Invalid), never Accepted (1.6 §4.1, §7.2; 2.0.1 TC_C_07_CSMS); no
    transaction starts and the connector is Available again."""
    await _refused_tag(station, token(sut_profile, "expired"), "Expired")


@oca(
    "TC_023_3_CSMS",
    "Start Charging Session - Authorize blocked",
    profile="core",
    versions=V16,
    kills=("csms16-ignores-token-status",),
)
async def test_authorize_blocked(station: StationPeer, sut_profile: SutProfile) -> None:
    """Before: the Central System holds ``sut.tokens.blocked`` as Blocked. Authorize for it is
    answered Blocked (or Invalid), never Accepted (1.6 §4.1, §7.2; 2.0.1 TC_C_06_CSMS)."""
    await _refused_tag(station, token(sut_profile, "blocked"), "Blocked")


@oca(
    "TC_024_CSMS",
    "Start Charging Session Lock Failure",
    profile="core",
    versions=V16,
    kills=("csms16-status-refused",),
)
async def test_lock_failure(station: StationPeer, sut_profile: SutProfile) -> None:
    """The idTag is authorized but the connector cannot be locked: the charge point reports the
    connector Faulted with errorCode ConnectorLockFailure (1.6 §4.9, §7.6) and starts no
    transaction; once the fault is gone it is Available again. The Central System answers each
    StatusNotification (no 2.0.1 counterpart)."""
    await status(station, "Preparing")
    await authorized(station, sut_profile.sut.tokens.valid)
    await status(station, "Faulted", error_code="ConnectorLockFailure")
    await status(station, "Available")


@oca(
    "TC_032_1_CSMS",
    "Power failure boot charging point-configured to stop transaction(s)",
    profile="core",
    versions=V16,
    kills=("csms-fails-transaction-end", "csms16-status-refused"),
)
async def test_power_failure_stops_transaction(
    station: StationPeer, sut_profile: SutProfile
) -> None:
    """A transaction runs when the power fails. The charge point boots again (a new connection,
    BootNotification Accepted, 1.6 §4.2, its connectors' statuses, errata 3.22) and reports the
    transaction stopped with reason PowerLoss (§4.10: a transaction ended while the charge point
    was down is still reported). Each is answered (no 2.0.1 counterpart)."""
    tag = sut_profile.sut.tokens.valid
    tx_id = await charging(station, tag)
    station.trace.event("power failure")
    await rebooted(station, sut_profile)
    await stop(station, tx_id, "PowerLoss", id_tag=tag)


@oca(
    "TC_064_CSMS",
    "Data Transfer to a Central System",
    profile="core",
    versions=V16,
    kills=("csms16-datatransfer-accepts-unknown",),
)
async def test_data_transfer(station: StationPeer) -> None:
    """The charge point sends a DataTransfer with a vendorId of its own (the harness's, which no
    Central System implements): it SHALL be answered UnknownVendorId without data (1.6 §4.3;
    2.0.1 TC_P_02_CSMS)."""
    outcome = await station.call(
        "DataTransfer",
        vendor_id="org.ocpp-harness.conformance",
        message_id="TC_064",
        data="ping",
        req="1.6 §4.3: DataTransfer answered",
    )
    got = outcome.must().get("status")
    require(
        got == "UnknownVendorId" and "data" not in outcome.payload,
        req="1.6 §4.3: an unknown vendorId is answered UnknownVendorId",
        expected="status UnknownVendorId, no data",
        actual=str(outcome.payload),
        frames=outcome.frames,
    )


#: What the Central System owes a charge point's subprotocol list (OCPP-J 1.6 §3.1.2, §3.2).
NEGOTIATED = "OCPP-J 1.6 §3.1.2, §3.2: a subprotocol offered and supported"
#: How long a connection with no agreed subprotocol may stay open (s).
CLOSE_S = 3.0


@oca(
    "TC_088_CSMS",
    "WebSocket Subprotocol negotiation",
    profile="core",
    versions=V16,
    kills=("csms-subprotocol-first-offered",),
    own_connection=True,
)
async def test_subprotocol_negotiation(station: StationPeer) -> None:
    """As 2.0.1 TC_B_58_CSMS (errata 2025-04), after OCPP-J 1.6 §3.1.2 (the charge point lists
    the subprotocols it can use, preferred first) and §3.2: offered only one it does not know
    ("ocpp0.1"), the Central System does not agree to it: the handshake completes without a
    Sec-WebSocket-Protocol header and the connection is closed at once (MUST; a refused upgrade
    selects nothing either, but skips the header-less handshake: a warning). Offered "ocpp0.1"
    first and "ocpp1.6" second, it uses OCPP 1.6J (Sec-WebSocket-Protocol: ocpp1.6) and the
    boot on that connection is Accepted."""
    refused = await station.try_connect(subprotocols=["ocpp0.1"])
    if isinstance(refused, ConnectFailed):
        should(
            station,
            False,
            req="OCPP-J 1.6 §3.2: no agreed subprotocol: a handshake without the header, closed",
            expected="101 without Sec-WebSocket-Protocol, then a close",
            actual=f"the upgrade refused: {refused}"[:200],
        )
    else:
        require(
            refused.subprotocol is None,
            req=NEGOTIATED,
            expected="no Sec-WebSocket-Protocol (none of the offered is supported)",
            actual=repr(refused.subprotocol),
            frames=station.trace.render(),
        )
        try:
            await asyncio.wait_for(refused.closed.wait(), CLOSE_S)
        except TimeoutError:
            require(
                False,
                req="OCPP-J 1.6 §3.2: no agreed subprotocol: the connection closed at once",
                expected=f"closed within {CLOSE_S:g} s",
                actual="still open",
            )
    link = await station.try_connect(subprotocols=["ocpp0.1", "ocpp1.6"])
    require(
        not isinstance(link, ConnectFailed),
        req=NEGOTIATED,
        expected="a connection with ocpp1.6",
        actual=str(link),
        frames=station.trace.render(),
    )
    assert not isinstance(link, ConnectFailed)
    require(
        link.subprotocol == "ocpp1.6",
        req=NEGOTIATED,
        expected="ocpp1.6",
        actual=repr(link.subprotocol),
    )
    (await boot_until_accepted(station, req="1.6 §4.2: BootNotification answered")).must(
        status="Accepted", req="1.6 §4.2: boot accepted on the negotiated connection"
    )
