"""PICS items and Part 5 conditions (harness.features): parsing, evaluation, NOT-APPLICABLE
reasons naming the items, profile validation, and a case a profile without the item skips."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.catalogue import Requirement, lookup
from harness.config import ProfileError, Role, SutProfile, load_profile, resolve_profile_path
from harness.features import ConditionError, compile_condition, unmet, validate, without
from harness.features.expr import All, Any_, Expr, Facts, Item, Not, parse
from harness.features.items import CSMS, STATION
from harness.reference.variants import VARIANTS, dropped_features
from tests.matrix_support import ROOT, all_cases, child_run

CS, CSMS_ROLE = Role.CHARGING_STATION, Role.CSMS
FIXTURES = ROOT / "fixtures" / "sut"


def _profile(name: str, features: tuple[str, ...] | None = None, **claims: Any) -> SutProfile:
    profile = load_profile(resolve_profile_path(name))
    if features is not None:
        profile = dataclasses.replace(
            profile, sut=dataclasses.replace(profile.sut, features=features)
        )
    if claims:
        profile = dataclasses.replace(profile, claims=dataclasses.replace(profile.claims, **claims))
    return profile


def _facts(held: set[str]) -> Facts:
    return Facts(holds=held.__contains__, title=lambda i: f"title of {i}")


# -- parsing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("C-09.1", "C-09.1"),
        ("Not C-56", "NOT C-56"),
        ("C-13 and C-14", "C-13 AND C-14"),
        ("C-29.1 OR C-29.2", "C-29.1 OR C-29.2"),
        ("C-30 or C-31 and C-32", "C-30 OR (C-31 AND C-32)"),  # AND binds tighter
        ("(C-30 or C-31) and C-32", "(C-30 OR C-31) AND C-32"),
        ("NOT (C-09.1 or C-09.2)", "NOT (C-09.1 OR C-09.2)"),
        ("C-36 - C-39", "C-36 OR C-37 OR C-38 OR C-39"),  # a range: the items between
        ("C-30..C-32 or C-35", "C-30 OR C-31 OR C-32 OR C-35"),
        ("HFS-8 > 1", "HFS-8 > 1"),
        (
            "NOT AQ-2 and (C-30 - C-35 or ISO 15118 support)",
            "NOT AQ-2 AND (C-30 OR C-31 OR C-32 OR C-33 OR C-34 OR C-35 OR ISO 15118 support)",
        ),
        (
            "C-49 and (Local Authorization List Management or C-01)",
            "C-49 AND (Local Authorization List Management OR C-01)",
        ),
    ],
)
def test_condition_forms(text: str, shown: str) -> None:
    expr = compile_condition(text, CS)
    assert str(expr) == shown
    assert str(compile_condition(str(expr), CS)) == shown  # what it prints parses back


@pytest.mark.parametrize(
    ("text", "role", "message"),
    [
        ("", CS, "empty condition"),
        ("C-44 and", CS, "expected a PICS item"),
        ("(C-13 or C-14", CS, "expected ')'"),
        ("C-13 C-14", CS, "expected AND, OR or the end"),
        ("C-13 & C-14", CS, "cannot read '& C-14'"),
        ("C-35 - C-30", CS, "empty range"),
        ("HFS-8 > many", CS, "cannot read"),
        ("C-44", CS, "is a PICS item of a csms only"),
        ("C-4", CS, "did you mean C-04"),
        ("AQ-6", CSMS_ROLE, "renumbered the CSMS question AQ-6 to AQ-16"),
        ("ISO-3", CS, "removed ISO-3"),
    ],
)
def test_condition_errors(text: str, role: Role, message: str) -> None:
    with pytest.raises(ConditionError, match=re.escape(message)):
        compile_condition(text, role)


_NAMES = ("C-01", "C-02", "C-03", "C-04")


def _trees() -> st.SearchStrategy[Expr]:
    leaves = st.sampled_from(_NAMES).map(Item)
    return st.recursive(
        leaves,
        lambda sub: st.one_of(
            sub.map(Not),
            st.lists(sub, min_size=2, max_size=3).map(lambda t: All(tuple(t))),
            st.lists(sub, min_size=2, max_size=3).map(lambda t: Any_(tuple(t))),
        ),
        max_leaves=8,
    )


def _truth(expr: Expr, held: set[str]) -> bool:
    if isinstance(expr, Item):
        return expr.id in held
    if isinstance(expr, Not):
        return not _truth(expr.term, held)
    if isinstance(expr, All):
        return all(_truth(t, held) for t in expr.terms)
    assert isinstance(expr, Any_)
    return any(_truth(t, held) for t in expr.terms)


@settings(max_examples=150, deadline=None)
@given(_trees(), st.sets(st.sampled_from(_NAMES)))
def test_printed_conditions_parse_to_the_same_truth(expr: Expr, held: set[str]) -> None:
    """Any condition tree, printed and parsed again, holds exactly when the tree does, and
    gives a reason exactly when it does not hold."""
    again = parse(str(expr))
    assert _truth(again, held) == _truth(expr, held)
    assert (again.unmet(_facts(held)) is None) == _truth(expr, held)


# -- reasons ------------------------------------------------------------------------------------


def test_reason_names_the_missing_item_and_its_title() -> None:
    csms = _profile("reference-csms-v201")
    assert unmet(compile_condition("C-44", CSMS_ROLE), csms) == (
        "needs C-44: CSMS answers a boot Pending before it accepts the station"
    )
    assert (
        unmet(compile_condition("C-44", CSMS_ROLE), _profile("reference-csms-v201", ("C-44",)))
        is None
    )


def test_reasons_of_not_or_and_numbers() -> None:
    station = _profile("reference-station-v201", ("AQ-2", "C-30"))
    reason = unmet(compile_condition("NOT AQ-2 AND (C-36 - C-39)", CS), station)
    assert reason is not None
    assert reason.startswith(
        "needs NOT AQ-2, declared: a cable lock keeps the EV from connecting before "
        "authorization; needs one of C-36: remote start with an ISO 14443 RFID idToken, or C-37:"
    )
    assert reason.endswith("(Part 5 condition: NOT AQ-2 AND (C-36 OR C-37 OR C-38 OR C-39))")
    assert unmet(compile_condition("HFS-8 > 1", CS), station) is None  # two EVSEs
    one = dataclasses.replace(
        station, sut=dataclasses.replace(station.sut, evses=station.sut.evses[:1])
    )
    assert unmet(compile_condition("HFS-8 > 1", CS), one) == (
        "needs HFS-8 > 1: number of EVSEs (from sut.evses) is 1"
    )


def test_parents_required_items_and_claimed_profiles_hold() -> None:
    station = _profile("reference-station-v201", ("C-29.5",))
    assert unmet(compile_condition("C-29", CS), station) is None  # a sub-option declares C-29
    assert unmet(compile_condition("C-29.1", CS), station) is not None
    bare_csms = _profile("reference-csms-v201", ())
    assert (
        unmet(compile_condition("C-30 AND C-31 AND C-35 AND C-36 AND C-37", CSMS_ROLE), bare_csms)
        is None
    )  # Part 5 requires them of every CSMS
    assert unmet(compile_condition("C-32", CSMS_ROLE), bare_csms) == (
        "needs C-32: local start authorized with a key code"
    )
    smart = compile_condition("Smart Charging", CS)
    core_only = _profile("reference-station-v201", ("C-29.5",), profiles=("core",))
    assert (
        unmet(smart, core_only)
        == "needs the certification profile Smart Charging (claims.profiles)"
    )
    claimed = _profile("reference-station-v201", ("C-29.5",), profiles=("core", "SmartCharging"))
    assert unmet(smart, claimed) is None


# -- profiles -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_profiles_declare_known_items(path: Path) -> None:
    validate(load_profile(path))


@pytest.mark.parametrize(
    ("features", "role", "message"),
    [
        (
            ("C-09.1", "C-9.2"),
            CS,
            "sut.features[1]: 'C-9.2' is not a PICS item of a charging-station"
            " in OCPP 2.0.1 Part 5; did you mean C-09.2",
        ),
        (
            ("C-44",),
            CS,
            "sut.features[0]: C-44 (CSMS answers a boot Pending before it accepts the "
            "station) is a PICS item of a csms only",
        ),
        (("AQ-1",), CSMS_ROLE, "renumbered the CSMS question AQ-1 to AQ-17"),
        (("HFS-8",), CS, "HFS-8 is not declared: the harness takes the number of EVSEs"),
        (
            ("HFS-1",),
            CSMS_ROLE,
            "HFS-1 (detachable cable) is a PICS item of a charging-station only",
        ),
    ],
)
def test_unknown_items_are_profile_errors(
    features: tuple[str, ...], role: Role, message: str
) -> None:
    name = "reference-station-v201" if role is CS else "reference-csms-v201"
    with pytest.raises(ProfileError, match=re.escape(message)):
        validate(_profile(name, features))


def test_a_variant_may_declare_fewer_items() -> None:
    assert dropped_features(frozenset({"trigger-rejected"})) == {f"C-29.{i}" for i in range(1, 7)}
    station = _profile("reference-station-v201")
    fewer = without(station, dropped_features(("trigger-rejected",)))
    assert "C-29.5" in station.sut.features
    assert "C-29.5" not in fewer.sut.features
    assert unmet(compile_condition("C-29.5", CS), fewer) == (
        "needs C-29.5: TriggerMessage for StatusNotification"
    )
    for variant in VARIANTS.values():  # drops name real items of the SUTs they apply to
        for item in variant.drops:
            assert item in STATION or item in CSMS, (variant.name, item)


# -- cases and the catalogue --------------------------------------------------------------------


def _named_items(text: str) -> set[str]:
    """The PICS ids a catalogue condition cell names, ranges opened (C-30 - C-35)."""
    text = re.sub(r"\b([A-Z]+)(\d)", r"\1-\2", text.replace("C.", "C-"))
    found = set(re.findall(r"[A-Z]{1,3}-\d+(?:\.\d+)?", text))
    for first, last in re.findall(r"(C-\d+)\s*-\s*(?:\(or\)\s*)?(C-\d+)", text):
        low, high = int(first[2:]), int(last[2:])
        found |= {f"C-{n:02d}" for n in range(low, high + 1)}
    return found


def test_conditional_cases_carry_their_part5_condition() -> None:
    """Every case the catalogue grades C for its role carries ``condition=``, and names only
    items of the catalogue's condition (or of the errata notes beside it)."""
    for case in all_cases():
        entry = lookup(case.id)
        if entry.requirement is Requirement.CONDITIONAL and entry.condition:
            assert case.condition is not None, f"{case.id}: condition= {entry.condition!r} missing"
        if case.condition is not None:
            extra = set(case.condition.items()) - _named_items(entry.condition)
            assert not extra, f"{case.id}: {sorted(extra)} not in {entry.condition!r}"


def test_a_profile_without_the_item_makes_the_case_not_applicable(tmp_path: Path) -> None:
    """A station that declares AQ-2 (a cable lock): TC_F_01_CS is NOT-APPLICABLE, naming AQ-2
    and its title, and the station is never driven."""
    text = (FIXTURES / "reference-station-v201.yaml").read_text("utf-8")
    text = re.sub(r"features: \[[^\]]*\]", "features: [AQ-2, C-30, C-36]", text)
    profile = tmp_path / "locked.yaml"
    profile.write_text(text, "utf-8")
    document = child_run("cable-lock", str(profile), ("TC_F_01_CS",), tmp_path / "report")
    (case,) = [c for c in document["cases"] if c["id"] == "TC_F_01_CS"]
    assert case["verdict"] == "not-applicable", document["_output"]
    assert "needs NOT AQ-2, declared: a cable lock keeps the EV from connecting" in str(case)
