"""A pytest plugin for ``tests/test_catalogue.py``: the ``@oca`` cases pytest itself collects.

Loaded with ``-p tests.oca_collection`` into a ``--collect-only`` run of the suite, it writes every
collected case (id, role, versions) as JSON to the file named by ``$OCPP_COLLECTED``, before the
harness keeps only those of the SUT's role and version.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from harness.testcase import case_of


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    cases = [case for case in map(case_of, items) if case is not None]
    rows = [{"id": c.id, "role": str(c.role), "versions": list(c.versions)} for c in cases]
    Path(os.environ["OCPP_COLLECTED"]).write_text(json.dumps(rows), "utf-8")
