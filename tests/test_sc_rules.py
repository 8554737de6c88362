"""What the harness station checks of every charging profile a CSMS under test sends
(testcases/v201/sc_rules.py): a valid profile of each purpose and kind passes; each Part 2 rule
broken on its own FAILs on its own requirement; the stack-level slot (K01.FR.06/39) is held
against the profiles accepted before; SHOULD-strength findings are warnings only; and the
reference CSMS's own commands keep every rule."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, cast

import pytest

from harness import StationPeer
from harness.reference.csms import block_k
from harness.verdicts import SutFailure
from testcases.v201.sc_rules import MAX, TX, TX_DEFAULT, Installed, check_profile

Profile = dict[str, Any]


class _Warnings:
    """Stands in for the station peer: collects the spec-axis warnings."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def warn(self, axis: object, requirement: str, message: str) -> None:
        self.found.append(requirement)


def _peer(warnings: _Warnings | None = None) -> StationPeer:
    return cast(StationPeer, warnings or _Warnings())


def _profile(purpose: str = TX_DEFAULT, kind: str = "Absolute", **extra: Any) -> Profile:
    schedule: dict[str, Any] = {
        "id": 1,
        "chargingRateUnit": "A",
        "duration": 300,
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 6.0}],
    }
    if kind != "Relative":
        schedule["startSchedule"] = "2030-01-01T00:00:00Z"
    profile: Profile = {
        "id": 7,
        "stackLevel": 0,
        "chargingProfilePurpose": purpose,
        "chargingProfileKind": kind,
        "chargingSchedule": [schedule],
        **extra,
    }
    if kind == "Recurring":
        profile.setdefault("recurrencyKind", "Daily")
    return profile


def _schedule(profile: Profile) -> dict[str, Any]:
    schedule: dict[str, Any] = profile["chargingSchedule"][0]
    return schedule


@pytest.mark.parametrize(
    ("profile", "evse_id"),
    [
        (_profile(), 1),
        (_profile(), 0),
        (_profile(kind="Recurring"), 1),
        (_profile(MAX), 0),
        (_profile(TX, "Relative", transactionId="T1"), 1),
        (_profile(TX, "Absolute", transactionId="T1"), 1),
    ],
)
def test_a_valid_profile_passes(profile: Profile, evse_id: int) -> None:
    check_profile(_peer(), profile, evse_id=evse_id, running={"T1"}, installed=Installed())


def test_a_remote_start_profile_passes_without_a_transaction() -> None:
    check_profile(_peer(), _profile(TX, "Relative"), evse_id=None)


def _drop_start(p: Profile) -> None:
    del _schedule(p)["startSchedule"]


def _set_start(p: Profile) -> None:
    _schedule(p)["startSchedule"] = "2030-01-01T00:00:00Z"


def _periods(*starts: int) -> Callable[[Profile], None]:
    def change(p: Profile) -> None:
        _schedule(p)["chargingSchedulePeriod"] = [{"startPeriod": s, "limit": 6.0} for s in starts]

    return change


def _two_schedules(p: Profile) -> None:
    p["chargingSchedule"].append(copy.deepcopy(_schedule(p)))


def _phase(p: Profile) -> None:
    _schedule(p)["chargingSchedulePeriod"][0].update(numberPhases=1, phaseToUse=2)


BROKEN: list[tuple[str, Callable[[], Profile], int | None, Callable[[Profile], None], str]] = [
    ("first period", _profile, 1, _periods(10), "K01.FR.31"),
    ("period order", _profile, 1, _periods(0, 200, 100), "K01.FR.35"),
    ("equal starts", _profile, 1, _periods(0, 100, 100), "K01.FR.35"),
    ("stack level", _profile, 1, lambda p: p.update(stackLevel=-1), "§2.10: stackLevel"),
    ("absolute start", _profile, 1, _drop_start, "K01.FR.40"),
    (
        "relative start",
        lambda: _profile(TX, "Relative", transactionId="T1"),
        1,
        _set_start,
        "K01.FR.41",
    ),
    (
        "recurrency",
        lambda: _profile(kind="Recurring"),
        1,
        lambda p: p.pop("recurrencyKind"),
        "recurrencyKind",
    ),
    (
        "recurrency not recurring",
        _profile,
        1,
        lambda p: p.update(recurrencyKind="Daily"),
        "recurrencyKind",
    ),
    ("max on evse", lambda: _profile(MAX), 1, lambda p: None, "K04.FR.03"),
    ("max relative", lambda: _profile(MAX, "Relative"), 0, lambda p: None, "K01.FR.38"),
    ("tx on evse 0", lambda: _profile(TX, transactionId="T1"), 0, lambda p: None, "K01.FR.16"),
    ("tx without id", lambda: _profile(TX), 1, lambda p: None, "K01.FR.03"),
    ("tx unknown id", lambda: _profile(TX, transactionId="T9"), 1, lambda p: None, "K01.FR.03"),
    ("tx id elsewhere", _profile, 1, lambda p: p.update(transactionId="T1"), "transactionId only"),
    (
        "external",
        lambda: _profile("ChargingStationExternalConstraints"),
        0,
        lambda p: None,
        "K01.FR.22",
    ),
    ("remote start txdefault", _profile, None, lambda p: None, "K05.FR.02"),
    (
        "remote start tx id",
        lambda: _profile(TX, "Relative", transactionId="T1"),
        None,
        lambda p: None,
        "transactionId only",
    ),
    ("two schedules", _profile, 1, _two_schedules, "K01.FR.34"),
    (
        "validity",
        _profile,
        1,
        lambda p: p.update(validFrom="2030-01-02T00:00:00Z", validTo="2030-01-01T00:00:00Z"),
        "K01.FR.36/37",
    ),
    ("phase to use", _profile, 1, _phase, "K01.FR.20"),
]


@pytest.mark.parametrize(
    ("make", "evse_id", "change", "requirement"),
    [b[1:] for b in BROKEN],
    ids=[b[0] for b in BROKEN],
)
def test_each_broken_rule_fails_on_its_requirement(
    make: Callable[[], Profile],
    evse_id: int | None,
    change: Callable[[Profile], None],
    requirement: str,
) -> None:
    profile = make()
    change(profile)
    with pytest.raises(SutFailure) as failure:
        check_profile(_peer(), profile, evse_id=evse_id, running={"T1"})
    assert requirement in failure.value.requirement


def test_a_second_id_in_a_taken_slot_fails_a_replacement_passes() -> None:
    installed = Installed()
    first = _profile()
    check_profile(_peer(), first, evse_id=1, installed=installed)
    installed.install(1, first)
    check_profile(_peer(), _profile(), evse_id=1, installed=installed)  # same id: replaces
    with pytest.raises(SutFailure, match=r"K01\.FR\.06"):
        check_profile(_peer(), _profile(id=8), evse_id=1, installed=installed)
    check_profile(_peer(), _profile(id=8), evse_id=2, installed=installed)  # other EVSE
    check_profile(_peer(), _profile(id=8, stackLevel=1), evse_id=1, installed=installed)
    later = _profile(id=8, validFrom="2031-01-01T00:00:00Z")
    installed.install(1, _profile(id=9, stackLevel=2, validTo="2030-06-01T00:00:00Z"))
    check_profile(_peer(), dict(later, stackLevel=2), evse_id=1, installed=installed)


def test_a_second_txprofile_for_the_transaction_fails() -> None:
    installed = Installed()
    installed.install(1, _profile(TX, "Relative", transactionId="T1"))
    with pytest.raises(SutFailure, match=r"K01\.FR\.39"):
        check_profile(
            _peer(),
            _profile(TX, "Relative", id=8, transactionId="T1"),
            evse_id=1,
            running={"T1"},
            installed=installed,
        )


def test_should_rules_only_warn() -> None:
    warnings = _Warnings()
    profile = _profile()
    _schedule(profile)["chargingSchedulePeriod"] = [
        {"startPeriod": 0, "limit": 6.25},
        {"startPeriod": 400, "limit": 6.0},
    ]
    check_profile(_peer(warnings), profile, evse_id=1)
    assert any("§2.11" in w for w in warnings.found)
    assert any("K01.FR.11" in w for w in warnings.found)


@pytest.mark.parametrize("purpose", [TX_DEFAULT, MAX])
@pytest.mark.parametrize("kind", ["Absolute", "Recurring"])
def test_the_reference_csms_profiles_keep_every_rule(purpose: str, kind: str) -> None:
    order = block_k.ProfileOrder(purpose, 0, kind)
    action, payload = block_k.set_charging_profile(frozenset(), block_k.ProfileBook(), order)
    assert action == "SetChargingProfile"
    warnings = _Warnings()
    check_profile(_peer(warnings), payload["chargingProfile"], evse_id=payload["evseId"])
    assert not warnings.found
    tx = block_k.ProfileOrder(TX, 1, "Relative", transaction_id="T1")
    _, payload = block_k.set_charging_profile(frozenset(), block_k.ProfileBook(), tx)
    check_profile(_peer(), payload["chargingProfile"], evse_id=1, running={"T1"})
    _, start = block_k.remote_start_with_profile(frozenset(), block_k.ProfileBook(), "A", 1, 6, 3)
    check_profile(_peer(), start["chargingProfile"], evse_id=None)
