"""OCA block K (Smart Charging), OCPP 2.0.1 and 2.1, the CSMS under test (the harness is the
station). Steps and criteria in our own words after OCPP 2.0.1 Part 6: TC_K_01/03/04/05/06/08/
10/15/19/29-37/43/44/60/70_CSMS, with the errata 2025-04 (6.3.13: every profile the CSMS sends
must keep Part 2's rules; stricter tool validations), 2024-09 (6.3.14/15: TC_K_03/10 need no
validFrom/validTo) and 2024-11 (6.3.19: TC_K_70 sets a TxDefaultProfile and a
ChargingStationMaxProfile during a transaction). The operator asks the CSMS for each request
(:mod:`.sc_csms`); every charging profile is checked against Part 2 (:mod:`.sc_rules`).

Not implemented: TC_K_53/55/57/58/59_CSMS (ISO 15118 load leveling and renegotiation, K15-K17):
the harness station has no ISO 15118 EV side (NotifyEVChargingNeeds, SASchedules). TC_K_02,
TC_K_48-52 are documentation only for a CSMS in Part 5.
"""

from __future__ import annotations

from harness import StationPeer, SutActions, oca
from harness.checks import require
from harness.config import SutProfile
from testcases.v201.sc_csms import (
    COMPOSITE_FAULTS,
    ENDED,
    GENERATED_ID,
    GET_FAULTS,
    LIMIT_A,
    NOT_SUPPORTED,
    PROFILE,
    PROFILE_FAULTS,
    STACK_LEVEL,
    TIMED_FAULTS,
    V2,
    Order,
    as_ordered,
    csms_clears,
    csms_composite,
    csms_gets,
    csms_sets,
    evse_of,
    reported_profile,
    starts_now,
    still_served,
)
from testcases.v201.sc_rules import MAX, TX, TX_DEFAULT, Installed, check_profile
from testcases.v201.tx_states import StationTx, station_charging, station_ev_disconnected


@oca(
    "TC_K_01_CSMS",
    "Set Charging Profile - TxDefaultProfile - Specific EVSE",
    profile=PROFILE,
    versions=V2,
    kills=TIMED_FAULTS,
)
async def test_csms_txdefault_evse(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_01_CSMS (K01.FR.31): the CSMS sets an Absolute TxDefaultProfile on one EVSE (step
    1), Accepted (step 2); the tool validations: the operator's EVSE, stack level, one period
    from 0 of 6 A (6000 W), numberPhases 3 or none, the duration, validFrom and startSchedule
    now, validTo at the end of the duration; Part 2's rules."""
    order = Order(TX_DEFAULT, evse_of(sut_profile))
    request = await csms_sets(station, sut, order, Installed())
    starts_now(as_ordered(request, order, "TC_K_01_CSMS"), order, "TC_K_01_CSMS")


@oca(
    "TC_K_03_CSMS",
    "Set Charging Profile - ChargingStationMaxProfile",
    profile=PROFILE,
    versions=V2,
    kills=(*TIMED_FAULTS, "csms-sc-max-profile-on-evse"),
)
async def test_csms_max_profile(station: StationPeer, sut: SutActions) -> None:
    """TC_K_03_CSMS (K01.FR.31/38, K04.FR.03): a ChargingStationMaxProfile of 8 A on EVSE 0,
    Absolute (errata 2024-09 6.3.14), Accepted; its rules and the operator's values."""
    order = Order(MAX, 0, limit=8.0)
    request = await csms_sets(station, sut, order, Installed())
    as_ordered(request, order, "TC_K_03_CSMS")


#: TC_K_04/70_CSMS (errata 2025-04): a TxDefaultProfile may be Absolute or Recurring.
DEFAULT_KINDS = ("Absolute", "Recurring")


@oca(
    "TC_K_04_CSMS",
    "Replace charging profile - With chargingProfileId",
    profile=PROFILE,
    versions=V2,
    kills=(*TIMED_FAULTS, "csms-sc-new-id-same-stack-level"),
)
async def test_csms_replace_profile(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_04_CSMS (K01.FR.05/06): a TxDefaultProfile of 8 A (steps 1-2), then the same one
    with 6 A (steps 3-4), both Accepted; the tool validations (errata 2025-04): one period from
    0 each, the same id, purpose, kind and stack level. A new id in the same slot breaks
    K01.FR.06."""
    installed = Installed()
    first = Order(TX_DEFAULT, evse_of(sut_profile), limit=8.0)
    one = as_ordered(
        await csms_sets(station, sut, first, installed),
        first,
        "TC_K_04_CSMS",
        kinds=DEFAULT_KINDS,
        duration=False,
    )
    second = Order(TX_DEFAULT, evse_of(sut_profile), limit=6.0)
    two = as_ordered(
        await csms_sets(station, sut, second, installed),
        second,
        "TC_K_04_CSMS",
        kinds=DEFAULT_KINDS,
        duration=False,
    )
    keys = ("id", "chargingProfilePurpose", "chargingProfileKind", "stackLevel")
    require(
        [one.get(k) for k in keys] == [two.get(k) for k in keys],
        req="TC_K_04_CSMS tool validation: the replacement keeps id, purpose, kind, stackLevel",
        expected=str({k: one.get(k) for k in keys}),
        actual=str({k: two.get(k) for k in keys}),
    )


@oca(
    "TC_K_05_CSMS",
    "Clear Charging Profile - With chargingProfileId",
    profile=PROFILE,
    versions=V2,
    kills=(*GET_FAULTS, "csms-sc-clear-id-and-criteria"),
)
async def test_csms_clear_by_id(station: StationPeer, sut: SutActions) -> None:
    """TC_K_05_CSMS (K10.FR.02): memory state: the CSMS gets the station's
    ChargingStationMaxProfiles and the harness reports one with a generated id; then the CSMS
    clears it by that id only, no criteria (step 1), Accepted (step 2)."""
    profile = reported_profile(GENERATED_ID, MAX)
    await csms_gets(
        station,
        sut,
        "TC_K_05_CSMS",
        [(0, [profile])],
        evse_id=0,
        exact=False,
        chargingProfilePurpose=MAX,
    )
    await csms_clears(station, sut, answer="Accepted", profile_id=GENERATED_ID)


@oca(
    "TC_K_06_CSMS",
    "Clear Charging Profile - With stackLevel/purpose combination for one profile",
    profile=PROFILE,
    versions=V2,
    kills=("csms-sc-clear-id-and-criteria", "csms-commands-dropped"),
)
async def test_csms_clear_by_criteria(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_06_CSMS (K10.FR.02): the CSMS clears the TxDefaultProfile of the configured EVSE
    and stack level by criteria, no id (step 1), Accepted (step 2)."""
    await csms_clears(
        station,
        sut,
        answer="Accepted",
        evse_id=evse_of(sut_profile),
        purpose=TX_DEFAULT,
        stack_level=STACK_LEVEL,
    )


@oca(
    "TC_K_08_CSMS",
    "Clear Charging Profile - Without previous charging profile",
    profile=PROFILE,
    versions=V2,
    kills=("csms-sc-clear-id-and-criteria", "csms-commands-dropped"),
)
async def test_csms_clear_unknown(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_08_CSMS (K10.FR.01/02): as TC_K_06_CSMS, answered Unknown (step 2); the CSMS goes
    on serving the station."""
    await csms_clears(
        station,
        sut,
        answer="Unknown",
        evse_id=evse_of(sut_profile),
        purpose=TX_DEFAULT,
        stack_level=STACK_LEVEL,
    )
    await still_served(station, "K10: the CSMS takes the Unknown in its stride")


@oca(
    "TC_K_10_CSMS",
    "Set Charging Profile - TxDefaultProfile - All EVSE",
    profile=PROFILE,
    versions=V2,
    kills=TIMED_FAULTS,
    condition="SC-4",
)
async def test_csms_txdefault_all(station: StationPeer, sut: SutActions) -> None:
    """TC_K_10_CSMS (K01.FR.14/31; SC-4): an Absolute TxDefaultProfile on EVSE 0 (all
    EVSEs), Accepted; the operator's values and Part 2's rules (errata 2024-09 6.3.15: no
    validFrom/validTo needed)."""
    order = Order(TX_DEFAULT, 0)
    request = await csms_sets(station, sut, order, Installed())
    as_ordered(request, order, "TC_K_10_CSMS")


@oca(
    "TC_K_15_CSMS",
    "Set Charging Profile - Not Supported",
    profile=PROFILE,
    versions=V2,
    kills=TIMED_FAULTS,
)
async def test_csms_set_not_supported(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_15_CSMS (K01.FR.29): a TxDefaultProfile on one EVSE (step 1) answered with the
    CALLERROR NotSupported (step 2); the CSMS's profile keeps Part 2's rules and the operator's
    values, and the CSMS goes on serving the station."""
    order = Order(TX_DEFAULT, evse_of(sut_profile))
    request = await csms_sets(station, sut, order, Installed(), answer=NOT_SUPPORTED)
    as_ordered(request, order, "TC_K_15_CSMS")
    await still_served(station, "K01.FR.29: the CSMS takes the NotSupported in its stride")


@oca(
    "TC_K_19_CSMS",
    "Set Charging Profile - ChargingProfileKind is Recurring",
    profile=PROFILE,
    versions=V2,
    kills=(*TIMED_FAULTS, "csms-sc-recurring-without-kind"),
)
async def test_csms_recurring(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_19_CSMS (K01.FR.40): a Recurring (Daily) TxDefaultProfile on one EVSE, Accepted;
    the tool validations: EVSE, stack level, purpose, kind, recurrencyKind, startPeriod 0."""
    order = Order(TX_DEFAULT, evse_of(sut_profile), "Recurring", recurrency_kind="Daily")
    request = await csms_sets(station, sut, order, Installed())
    as_ordered(request, order, "TC_K_19_CSMS", full=False)


@oca(
    "TC_K_37_CSMS",
    "Remote start transaction with charging profile - Success",
    profile=PROFILE,
    versions=V2,
    kills=(*PROFILE_FAULTS, "csms-sc-remote-start-txdefault", "csms-sc-relative-with-start"),
)
async def test_csms_remote_start_with_profile(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_37_CSMS (K05.FR.02, F01.FR.08/09/11): the CSMS sends RequestStartTransaction with a
    charging profile (step 1), Accepted (step 2); the tool validations (errata 2025-04): the
    configured idToken and type and EVSE, a TxProfile without transactionId, Relative (no
    startSchedule) or Absolute (with one), Part 2's rules. The harness starts the transaction
    (RemoteStart with the remoteStartId, step 3), the CSMS answers (step 4); then it ends."""
    tx = StationTx.of(station, sut_profile)
    tx.evse_id = evse_of(sut_profile)
    station.hold("RequestStartTransaction")
    await sut.remote_start_with_profile(
        evse_id=tx.evse_id, limit=LIMIT_A, id_token=tx.token["idToken"]
    )
    request = await station.expect(
        "RequestStartTransaction", req="K05: the CSMS sends RequestStartTransactionRequest"
    )
    await request.reply(status="Accepted")
    frames = station.trace.render(last=6)
    asked = {"idToken": tx.token, "evseId": tx.evse_id}
    got = {"idToken": request.get("idToken"), "evseId": request.get("evseId")}
    require(
        got == asked, req="F01: the operator's token and EVSE", expected=str(asked), actual=str(got)
    )
    profile = request.get("chargingProfile")
    require(
        isinstance(profile, dict),
        req="K05.FR.01: a chargingProfile in RequestStartTransaction (TC_K_37_CSMS)",
        expected="a chargingProfile",
        actual=repr(profile),
        frames=frames,
    )
    check_profile(station, profile, evse_id=None, frames=frames)
    require(
        profile.get("chargingProfileKind") in ("Relative", "Absolute"),
        req="TC_K_37_CSMS tool validation: chargingProfileKind Relative or Absolute",
        expected="Relative or Absolute",
        actual=repr(profile.get("chargingProfileKind")),
    )
    await tx.event(
        "Started",
        "RemoteStart",
        id_token=tx.token,
        transaction_info={"remoteStartId": request["remoteStartId"]},
        evse={"id": tx.evse_id, "connectorId": tx.connector_id},
        req="F01: TransactionEvent Started (RemoteStart) answered",
    )
    await station_ev_disconnected(tx, req=ENDED)


@oca(
    "TC_K_43_CSMS",
    "Get Composite Schedule - Specific EVSE",
    profile=PROFILE,
    versions=V2,
    kills=COMPOSITE_FAULTS,
)
async def test_csms_composite_evse(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_43_CSMS (K08.FR.01): the CSMS asks for the composite schedule of EVSE 1 for the
    configured duration in the configured unit (step 1, the tool validation); the harness
    answers Accepted with one period of 10 A (step 2)."""
    await csms_composite(station, sut, "TC_K_43_CSMS", evse_of(sut_profile), "A")


@oca(
    "TC_K_44_CSMS",
    "Get Composite Schedule - Charging Station",
    profile=PROFILE,
    versions=V2,
    kills=COMPOSITE_FAULTS,
)
async def test_csms_composite_station(station: StationPeer, sut: SutActions) -> None:
    """TC_K_44_CSMS (K08.FR.01, K08.FR.03): as TC_K_43_CSMS for EVSE 0, the whole station."""
    await csms_composite(station, sut, "TC_K_44_CSMS", 0, "A")


@oca(
    "TC_K_60_CSMS",
    "Set Charging Profile - TxProfile with ongoing transaction on the specified EVSE",
    profile=PROFILE,
    versions=V2,
    kills=(
        *PROFILE_FAULTS,
        "csms-sc-txprofile-without-transaction",
        "csms-sc-relative-with-start",
    ),
)
async def test_csms_txprofile(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_60_CSMS (K01.FR.03/31): during a transaction (EnergyTransferStarted) the CSMS sets
    a TxProfile on its EVSE (step 1), Accepted (step 2); the tool validations (errata
    2025-04): purpose TxProfile, the EVSE, the transaction's id, Relative without or Absolute
    with startSchedule, Part 2's rules. The transaction is ended afterwards."""
    tx = StationTx.of(station, sut_profile)
    await station_charging(tx)
    order = Order(TX, tx.evse_id, "Relative", transaction_id=tx.tx_id)
    request = await csms_sets(station, sut, order, Installed(), running={tx.tx_id})
    as_ordered(request, order, "TC_K_60_CSMS", kinds=("Relative", "Absolute"), full=False)
    await station_ev_disconnected(tx, req=ENDED)


@oca(
    "TC_K_70_CSMS",
    "Set Charging Profile - Multiple Profiles",
    profile=PROFILE,
    versions=V2,
    kills=(*TIMED_FAULTS, "csms-sc-max-profile-on-evse"),
)
async def test_csms_multiple_profiles(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_K_70_CSMS (errata 2024-11 6.3.19 and 2025-04): during a transaction, the CSMS sets a
    TxDefaultProfile, Absolute or Recurring (steps 1-2), then a ChargingStationMaxProfile,
    Absolute, under another id (steps 3-4), both Accepted and keeping Part 2's rules. The
    transaction is ended afterwards."""
    tx = StationTx.of(station, sut_profile)
    await station_charging(tx)
    installed = Installed()
    default = Order(TX_DEFAULT, tx.evse_id)
    first = await csms_sets(station, sut, default, installed, running={tx.tx_id})
    one = as_ordered(first, default, "TC_K_70_CSMS", kinds=DEFAULT_KINDS, full=False)
    top = Order(MAX, 0)
    second = await csms_sets(station, sut, top, installed, running={tx.tx_id})
    two = as_ordered(second, top, "TC_K_70_CSMS", full=False)
    require(
        one.get("id") != two.get("id"),
        req="TC_K_70_CSMS tool validation: the two profiles have different ids",
        expected="two ids",
        actual=f"{one.get('id')} and {two.get('id')}",
    )
    await station_ev_disconnected(tx, req=ENDED)
