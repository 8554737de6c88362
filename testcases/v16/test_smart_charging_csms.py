"""OCPP 1.6 Smart Charging cases with the Central System under test (test case document section
23: TC_056_CSMS, TC_057_CSMS, TC_059_CSMS, TC_066_CSMS, TC_067_CSMS). The 1.6 test case
document is not public: the steps and criteria are ours, after OCPP 1.6 §3.13, §5.5, §5.7,
§5.11, §5.16 (with the errata sheet v4) and the 2.0.1 TC_K_xx_CSMS cases named per case. The
operator asks the Central System for each request (:mod:`.sc16_csms`); the harness charge point
answers as the case's charge point would and holds every charging profile against 1.6
(:mod:`.sc16_rules`), then against what the operator asked for.
"""

from __future__ import annotations

from harness import StationPeer, SutActions, oca
from harness.checks import require
from harness.config import SutProfile
from testcases.v16.csms_states import V16, charging, start, status, stop
from testcases.v16.sc16_csms import (
    CONNECTOR,
    LIMIT_A,
    PROFILE,
    PROFILE_FAULTS,
    SENT,
    as_ordered16,
    check_ordered,
    csms_clears16,
    csms_composite16,
    csms_sets16,
)
from testcases.v16.sc16_rules import TX, TX_DEFAULT, check_profile16
from testcases.v16.sc16_states import SMART
from testcases.v201.sc_csms import Order


async def _idle(station: StationPeer) -> None:
    """After its boot the charge point reports its connector Available (§4.9), answered; the
    operator acts only then."""
    await status(station, "Available")


async def _ended(station: StationPeer, tx_id: int, tag: str) -> None:
    """The transaction ends locally (§4.10): StopTransaction, Finishing, Available, answered."""
    await stop(station, tx_id, "Local", id_tag=tag)
    await status(station, "Finishing")
    await status(station, "Available")


@oca(
    "TC_056_CSMS",
    "Central Smart Charging - TxDefaultProfile",
    profile=PROFILE,
    versions=V16,
    kills=(
        *PROFILE_FAULTS,
        "csms16-sc-txdefault-wrong-connector",
        "csms16-sc-recurrency-on-absolute",
    ),
    applies=SMART,
)
async def test_csms16_txdefault(station: StationPeer, sut: SutActions) -> None:
    """After 2.0.1 TC_K_01_CSMS. §3.13.1, §5.16.4: the operator has the Central System set an
    Absolute TxDefaultProfile of 6 A on connector 1 (SetChargingProfile.req), Accepted; the
    profile keeps 1.6's rules and is the operator's (connector, purpose, stack level, kind,
    limit, duration)."""
    await _idle(station)
    order = Order(TX_DEFAULT, CONNECTOR)
    request = await csms_sets16(station, sut, order)
    as_ordered16(request, order, "TC_056_CSMS")


@oca(
    "TC_057_CSMS",
    "Central Smart Charging - TxProfile",
    profile=PROFILE,
    versions=V16,
    kills=(
        *PROFILE_FAULTS,
        "csms16-sc-txprofile-wrong-transaction",
        "csms16-sc-txprofile-on-connector-0",
        "csms16-sc-recurrency-on-absolute",
    ),
    applies=SMART,
)
async def test_csms16_txprofile(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """After 2.0.1 TC_K_60_CSMS. §3.13.1, §5.16.3: during a transaction on connector 1 the
    operator has the Central System set a TxProfile of 6 A for it, Accepted; a TxProfile only on
    a connector > 0 with its transaction (the transactionId, when given, that transaction's),
    Relative or Absolute, the operator's values. The transaction ends afterwards."""
    tag = sut_profile.sut.tokens.valid
    tx_id = await charging(station, tag)
    order = Order(TX, CONNECTOR, "Relative", transaction_id=str(tx_id))
    request = await csms_sets16(station, sut, order, running={CONNECTOR: tx_id})
    as_ordered16(request, order, "TC_057_CSMS", kinds=("Relative", "Absolute"))
    await _ended(station, tx_id, tag)


@oca(
    "TC_059_CSMS",
    "Remote Start Transaction with Charging Profile",
    profile=PROFILE,
    versions=V16,
    kills=(
        *PROFILE_FAULTS,
        "csms16-sc-remote-start-txdefault",
        "csms16-sc-remote-start-transaction-id",
    ),
    applies=SMART,
)
async def test_csms16_remote_start_with_profile(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """After 2.0.1 TC_K_37_CSMS. §5.11, §5.16.2: the operator starts a transaction remotely
    with a charging profile of 6 A: RemoteStartTransaction.req for the operator's idTag and
    connector with a TxProfile and no transactionId (errata 3.41), Accepted; the profile keeps
    1.6's rules. The charge point starts the transaction (Preparing, StartTransaction, Charging)
    and ends it locally."""
    tag = sut_profile.sut.tokens.valid
    await _idle(station)
    station.hold("RemoteStartTransaction")
    await sut.remote_start_with_profile(evse_id=CONNECTOR, limit=LIMIT_A, id_token=tag)
    request = await station.expect(
        "RemoteStartTransaction", req=SENT.format(section="§5.11", action="RemoteStartTransaction")
    )
    await request.reply(status="Accepted")
    frames = station.trace.render(last=6)
    asked = {"idTag": tag, "connectorId": CONNECTOR}
    got = {"idTag": request.get("idTag"), "connectorId": request.get("connectorId", CONNECTOR)}
    require(
        got == asked,
        req="1.6 §5.11: for the operator's idTag and connector",
        expected=str(asked),
        actual=str(got),
    )
    profile = request.get("chargingProfile")
    require(
        isinstance(profile, dict),
        req="1.6 §5.16.2: a chargingProfile in RemoteStartTransaction.req (TC_059_CSMS)",
        expected="a chargingProfile",
        actual=repr(profile),
        frames=frames,
    )
    check_profile16(station, profile, connector=None, frames=frames)
    order = Order(TX, CONNECTOR, "Relative", limit=LIMIT_A)
    check_ordered(profile, order, "TC_059_CSMS", kinds=("Relative", "Absolute"))
    await status(station, "Preparing")
    tx_id = await start(station, tag)
    await status(station, "Charging")
    await _ended(station, tx_id, tag)


@oca(
    "TC_066_CSMS",
    "Get Composite Schedule",
    profile=PROFILE,
    versions=V16,
    kills=(
        "csms16-sc-composite-wrong-connector",
        "csms16-sc-composite-wrong-duration",
        "csms-commands-dropped",
    ),
    applies=SMART,
)
async def test_csms16_composite(station: StationPeer, sut: SutActions) -> None:
    """After 2.0.1 TC_K_43_CSMS. §5.7: the operator asks the Central System for the composite
    schedule of connector 1 for the configured duration in A: GetCompositeSchedule.req with that
    connectorId, duration and chargingRateUnit (§6.21); the harness answers Accepted with one
    period of 10 A."""
    await _idle(station)
    await csms_composite16(station, sut, "TC_066_CSMS", CONNECTOR, "A")


@oca(
    "TC_067_CSMS",
    "Clear Charging Profile",
    profile=PROFILE,
    versions=V16,
    kills=(
        "csms16-sc-clear-wrong-id",
        "csms-commands-dropped",
    ),
    applies=SMART,
)
async def test_csms16_clear(station: StationPeer, sut: SutActions) -> None:
    """After 2.0.1 TC_K_05_CSMS. §5.5, §6.13: the operator has the Central System set a
    TxDefaultProfile on connector 1 (Accepted), then clear it by its id: ClearChargingProfile.req
    with the chargingProfileId the Central System gave it, Accepted."""
    await _idle(station)
    request = await csms_sets16(station, sut, Order(TX_DEFAULT, CONNECTOR))
    profile_id = (request.get("csChargingProfiles") or {}).get("chargingProfileId")
    await csms_clears16(station, sut, "TC_067_CSMS", int(profile_id))
