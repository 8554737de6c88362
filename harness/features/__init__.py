"""Applicability the way the OCA's test system decides it: PICS items and conditions (Part 5).

A SUT profile declares its PICS items in ``sut.features`` (``[C-09.1, C-29.5, AQ-9, HFS-1]``);
:func:`validate` checks them against Part 5's lists for the SUT's role (:mod:`.items`). A case
carries its Part 5 condition (``@oca(..., condition="NOT AQ-2 AND (C-36 - C-39)")``, parsed by
:func:`compile_condition`, grammar in :mod:`.expr`); :func:`unmet` gives the NOT-APPLICABLE
reason when the profile does not satisfy it, naming each item and its title ("needs C-44: CSMS
answers a boot Pending before it accepts the station").

An item holds when the profile declares it, when Part 5 requires it of every SUT of the role, or
when it is a parent (``C-29``) of a declared sub-option (``C-29.5``). ``HFS-8`` (the number of
EVSEs) is ``sut.evses``; a certification profile name in a condition is looked up in
``claims.profiles``. A legal variant of a reference SUT may declare fewer items
(``Variant.drops``; :func:`without`).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable

from harness.config import ProfileError, Role, SutProfile
from harness.features import expr as _expr
from harness.features.expr import PROFILE_NAMES, ConditionError, Expr, Facts, parse
from harness.features.items import ITEMS, NUMERIC, RETIRED, Item

__all__ = [
    "ConditionError",
    "Expr",
    "Item",
    "compile_condition",
    "facts",
    "title",
    "unmet",
    "validate",
    "without",
]


def title(item_id: str, role: Role) -> str:
    """The short title of ``item_id`` for ``role`` ("" when the role has no such item)."""
    item = ITEMS[role].get(item_id)
    return item.title if item is not None else ""


def _problem(item_id: str, role: Role) -> str | None:
    """What is wrong with ``item_id`` as a PICS item of ``role`` (None: it is one)."""
    if item_id in ITEMS[role]:
        return None
    retired = RETIRED[role].get(item_id)
    if retired is not None:
        return f"{item_id} is no longer a PICS item: {retired}"
    other = Role.CSMS if role is Role.CHARGING_STATION else Role.CHARGING_STATION
    if item_id in ITEMS[other]:
        return f"{item_id} ({ITEMS[other][item_id].title}) is a PICS item of a {other} only"
    padded = re.sub(r"^([A-Z]+)-(\d)(?!\d)", r"\1-0\2", item_id.upper())
    close = [padded] if padded in ITEMS[role] else []
    close += difflib.get_close_matches(item_id.upper(), list(ITEMS[role]), n=3, cutoff=0.6)
    close = list(dict.fromkeys(close))[:3]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"{item_id!r} is not a PICS item of a {role} in OCPP 2.0.1 Part 5{hint}"


def compile_condition(text: str, role: Role) -> Expr:
    """Parse a Part 5 condition for ``role``; ConditionError when it does not parse or names an
    item the role does not have."""
    expr = parse(text, tuple(ITEMS[role]))
    for item_id in expr.items():
        problem = _problem(item_id, role)
        if problem is not None:
            raise ConditionError(f"condition {text!r}: {problem}")
    return expr


def validate(profile: SutProfile) -> None:
    """ProfileError naming ``sut.features[i]`` for an item Part 5 does not list for the role."""
    for index, item_id in enumerate(profile.sut.features):
        problem = _problem(item_id, profile.sut.role)
        if problem is None and item_id in NUMERIC:
            problem = f"{item_id} is not declared: the harness takes {NUMERIC[item_id]}"
        if problem is not None:
            example = "features: [C-09.1, C-29.5, AQ-9, HFS-1]"
            if profile.sut.role is Role.CSMS:
                example = "features: [C-16, C-29.5, C-44, AQ-17]"
            raise ProfileError(profile.path, f"sut.features[{index}]", problem, example)


def facts(profile: SutProfile) -> Facts:
    """What conditions read of ``profile``: its items, HFS-8, its claimed profiles."""
    from harness.catalogue import profile_slug

    role = profile.sut.role
    table = ITEMS[role]
    declared = frozenset(profile.sut.features)
    required = frozenset(i for i, item in table.items() if item.required)
    parents = frozenset(f.rpartition(".")[0] for f in declared if "." in f)
    held = declared | required | parents
    claimed = frozenset(profile_slug(p) for p in profile.claims.profiles)
    numbers = {"HFS-8": len(profile.sut.evses)} if role is Role.CHARGING_STATION else {}
    return Facts(
        holds=held.__contains__,
        title=lambda item_id: title(item_id, role) or item_id,
        numbers=numbers,
        profiles=frozenset(n for n in PROFILE_NAMES if profile_slug(n) in claimed),
    )


def unmet(condition: Expr, profile: SutProfile) -> str | None:
    """Why ``condition`` does not hold for ``profile`` (None: it holds): each missing item with
    its title, and the whole condition when it is more than one item."""
    reason = condition.unmet(facts(profile))
    if reason is None:
        return None
    if isinstance(condition, _expr.Item | _expr.Number | _expr.CertProfile):
        return reason
    return f"{reason} (Part 5 condition: {condition})"


def without(profile: SutProfile, items: Iterable[str]) -> SutProfile:
    """``profile`` declaring none of ``items`` (a legal variant that lacks those features)."""
    gone = frozenset(items)
    kept = tuple(f for f in profile.sut.features if f not in gone)
    if kept == profile.sut.features:
        return profile
    return dataclasses.replace(profile, sut=dataclasses.replace(profile.sut, features=kept))


def with_items(profile: SutProfile, items: Iterable[str]) -> SutProfile:
    """``profile`` declaring ``items`` too (a legal variant with more hardware, a fixed cable)."""
    added = tuple(f for f in dict.fromkeys(items) if f not in profile.sut.features)
    if not added:
        return profile
    features = profile.sut.features + added
    return dataclasses.replace(profile, sut=dataclasses.replace(profile.sut, features=features))
