"""Which catalogue cases this harness implements: the ``@oca`` cases under ``testcases/``.

"Implemented" is read from the code, never written down beside it: a catalogue id is implemented
for a version when a test function in a ``test_*.py`` module of the suite's ``testcases/``
(:func:`harness.layout.testcases_dir`: the checkout's, or the copy an installed wheel carries)
carries ``@oca`` with that id and the version among its ``versions``, which is exactly what
a run of that role and version selects. The modules are imported, nothing runs; the ``@oca``
marker has already checked the id, its versions and its faults against the catalogue.

:func:`declaration_problems` adds what ``@oca`` cannot see one case at a time: a ``profile=``
the catalogue does not give the id, and two functions claiming the same id.
"""

from __future__ import annotations

import functools
import importlib
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from harness.catalogue.loader import lookup
from harness.config import OcppVersion, Role
from harness.layout import suite_root, testcases_dir
from harness.testcase import MARKER, OcaCase

PACKAGE = "testcases"


class CasesUnreadable(RuntimeError):
    """The suite's test cases cannot be read: no ``testcases/``, another ``testcases`` package
    already imported, or a module that does not import (a case declaration ``@oca`` refuses)."""


def _module_names(root: Path) -> Iterator[str]:
    """Dotted names of the suite's ``test_*.py`` modules (what pytest collects), sorted."""
    for path in sorted((root / PACKAGE).rglob("test_*.py")):
        yield ".".join(path.relative_to(root).with_suffix("").parts)


def _check_package(root: Path) -> None:
    """The cases import their helpers as ``testcases.*`` (as under pytest, whose rootdir is
    ``root``): a ``testcases`` package already imported from elsewhere would answer instead."""
    loaded = sys.modules.get(PACKAGE)
    if loaded is None:
        return
    where = Path(getattr(loaded, "__file__", "") or "").resolve().parent
    if where != (root / PACKAGE).resolve():
        raise CasesUnreadable(
            f"cannot read the cases of {root / PACKAGE}: a {PACKAGE!r} package from {where} "
            "is already imported"
        )


def _cases_of(module: object) -> Iterator[OcaCase]:
    """The ``@oca`` cases of a module's test functions."""
    for attr, func in sorted(vars(module).items()):
        if attr.startswith("test") and callable(func):
            for mark in getattr(func, "pytestmark", []):
                if mark.name == MARKER and mark.args and isinstance(mark.args[0], OcaCase):
                    yield mark.args[0]


@functools.cache
def implemented_cases() -> tuple[OcaCase, ...]:
    """Every ``@oca`` case of the suite, by module then function name (imported once)."""
    root = suite_root()
    if not testcases_dir().is_dir():
        raise CasesUnreadable(f"test cases not found at {testcases_dir()}")
    _check_package(root)
    sys.path.insert(0, str(root))
    modules = []
    try:
        for name in _module_names(root):
            try:
                modules.append(importlib.import_module(name))
            except Exception as exc:
                raise CasesUnreadable(f"{name}: {type(exc).__name__}: {exc}") from exc
    finally:
        sys.path.remove(str(root))
    return tuple(case for module in modules for case in _cases_of(module))


def implemented_ids(role: Role | str, version: OcppVersion | str) -> frozenset[str]:
    """The ids a run of a ``role`` SUT on ``version`` selects (the plugin's rule: same role,
    the version among the case's ``versions``)."""
    return frozenset(
        case.id
        for case in implemented_cases()
        if str(case.role) == str(role) and str(version) in case.versions
    )


def declaration_problems(cases: tuple[OcaCase, ...] | None = None) -> list[str]:
    """What keeps the code and the catalogue out of step, one sentence each (none: in step)."""
    cases = implemented_cases() if cases is None else cases
    problems: list[str] = []
    for case in cases:
        profiles = lookup(case.id).profiles
        if case.profile not in profiles:
            listed = ", ".join(profiles) or "no profile"
            problems.append(
                f"{case.id}: profile={case.profile!r}, but the catalogue lists it under {listed}"
            )
    for case_id, n in sorted(Counter(case.id for case in cases).items()):
        if n > 1:
            problems.append(f"{case_id}: {n} test functions claim this id")
    return problems
