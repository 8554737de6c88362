"""Self-test session hooks: the mutant matrix's proven-checks figure (tests/matrix_summary.py)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Register the tally of the mutant matrix's kills (printed at the end of the session)."""
    from tests.matrix_summary import MatrixTally

    config.pluginmanager.register(MatrixTally(), "mutant-matrix-tally")
