"""Self-test session hooks: the mutant matrix's proven-checks figure (tests/matrix_summary.py)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Register the tally of the mutant matrix's kills (printed at the end of the session)."""
    from tests.matrix_summary import MatrixTally

    config.pluginmanager.register(MatrixTally(), "mutant-matrix-tally")


#: Modules whose tests take longest, longest first: run first, so that with ``-n`` the workers
#: do not end on one long test (the wheel group builds and installs a wheel and runs the demo
#: from it; the variant runs of a station profile take minutes, mostly waiting).
LONG_FIRST = (
    "test_wheel.py",
    "test_report_tally.py",
    "test_readme_walkthrough.py",
    "test_variant_matrix.py",
    "test_shuffle_matrix.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Longest first (the modules in :data:`LONG_FIRST`, in that order), the rest as collected."""

    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONG_FIRST.index(name) if name in LONG_FIRST else len(LONG_FIRST)

    items.sort(key=rank)  # stable: the collection order within each rank
