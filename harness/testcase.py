"""The ``@oca`` marker: how a test case declares its OCA id, profile, versions and mutants.

Example (DESIGN §5)::

    @oca("TC_B_01_CS", "Cold Boot Charging Station - Accepted", profile="core",
         versions=("2.0.1", "2.1"), kills=("boot-ignores-interval",))
    async def test_cold_boot_accepted(csms: CsmsPeer, sut: SutActions) -> None: ...

The id must exist in the OCA catalogue (``harness.catalogue``) for every version listed, and every
fault in ``kills`` must exist in the reference SUT's fault registry: a case that kills nothing
proves nothing, so ``kills`` may not be empty.

A conditional case carries its Part 5 condition, ``condition="NOT AQ-2 AND (C-36 - C-39)"``
(:mod:`harness.features`): when the SUT profile's ``features`` do not satisfy it, the case is
NOT-APPLICABLE naming the missing items and their titles. ``applies=`` adds a check of its own;
the case runs when both hold.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

from harness.catalogue import lookup
from harness.config import Role
from harness.features import ConditionError, Expr, compile_condition, unmet
from harness.reference.faults import FAULTS

if TYPE_CHECKING:
    from harness.config import SutProfile

F = TypeVar("F", bound=Callable[..., Any])
#: Says why a case does not apply to a SUT (NOT-APPLICABLE), or None when it applies.
Condition = Callable[["SutProfile"], str | None]

MARKER = "oca"


@dataclass(frozen=True, slots=True)
class OcaCase:
    """What the ``@oca`` marker carries."""

    id: str
    title: str
    profile: str
    versions: tuple[str, ...]
    kills: tuple[str, ...]
    role: Role
    requirement: str
    applies: Condition | None = None
    #: The case opens its own connection as its first step (cold boot, subprotocol, auth): the
    #: harness does not bring a CSMS under test's connection up for it first.
    own_connection: bool = False
    #: The Part 5 condition (PICS items), None for a case without one.
    condition: Expr | None = None

    def not_applicable(self, profile: SutProfile) -> str | None:
        """Why this case does not apply to ``profile`` (None: it applies): its Part 5
        condition first, then ``applies``."""
        if self.condition is not None:
            reason = unmet(self.condition, profile)
            if reason is not None:
                return reason
        return self.applies(profile) if self.applies is not None else None

    @property
    def block(self) -> str:
        """The OCA functional block (``TC_B_01_CS`` -> ``B``; 1.6 ids -> ``1.6``; our own
        ``RB_*`` cases -> ``robustness``)."""
        parts = self.id.split("_")
        if parts[0] == "RB":
            return "robustness"
        return parts[1] if len(parts) > 2 and parts[1].isalpha() else "1.6"


class CaseDeclarationError(ValueError):
    """A test case's ``@oca`` declaration is inconsistent with the catalogue or the faults."""


def oca(
    case_id: str,
    title: str,
    *,
    profile: str,
    versions: tuple[str, ...],
    kills: tuple[str, ...],
    requirement: str = "",
    applies: Condition | None = None,
    own_connection: bool = False,
    condition: str = "",
) -> Callable[[F], F]:
    """Mark a test function as the OCA test case ``case_id`` (see the module docstring)."""
    try:
        entry = lookup(case_id)
    except KeyError as exc:
        raise CaseDeclarationError(f"{case_id}: {exc}") from None
    missing = [v for v in versions if v not in entry.versions]
    if not versions or missing:
        raise CaseDeclarationError(
            f"{case_id}: versions {list(versions)} must be a non-empty subset of the catalogue's "
            f"{[str(v) for v in entry.versions]}"
        )
    if not kills:
        raise CaseDeclarationError(f"{case_id}: kills=() — every case must name a fault it detects")
    for name in kills:
        fault = FAULTS.get(name)
        if fault is None:
            raise CaseDeclarationError(f"{case_id}: unknown fault {name!r} in kills")
    try:
        parsed = compile_condition(condition, entry.role) if condition else None
    except ConditionError as exc:
        raise CaseDeclarationError(f"{case_id}: {exc}") from None
    case = OcaCase(
        case_id,
        title,
        profile,
        tuple(versions),
        tuple(kills),
        entry.role,
        requirement,
        applies,
        own_connection,
        parsed,
    )

    def mark(func: F) -> F:
        marked: F = pytest.mark.oca(case)(func)
        if inspect.iscoroutinefunction(func):
            # explicit, so the case runs on the session loop whatever the asyncio ini settings
            marked = pytest.mark.asyncio(loop_scope="session")(marked)
        return marked

    return mark


def case_of(item: pytest.Item) -> OcaCase | None:
    """The :class:`OcaCase` of a collected test, or None for tests without ``@oca``."""
    marker = item.get_closest_marker(MARKER)
    if marker is None or not marker.args or not isinstance(marker.args[0], OcaCase):
        return None
    return marker.args[0]
