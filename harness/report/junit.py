"""JUnit XML names each OCA case by its id: ``TC_B_01_CS (test_cold_boot_accepted)``.

pytest's JUnit reporter names a test case after the last part of its node id. A CI dashboard
should show the OCA id instead, without renaming the pytest item (``-k`` and node ids keep
working). Every phase report of an OCA case carries ``("oca_id", ...)`` in its
``user_properties`` (set by :class:`harness.run.HarnessRun`, which survives xdist); before the
JUnit reporter handles the report, :func:`name_testcase` sets the ``name`` attribute of its
test case element, the same way pytest's ``record_xml_attribute`` fixture sets attributes.
"""

from __future__ import annotations

import pytest


def junit_name(oca_id: str, nodeid: str) -> str:
    """``TC_B_01_CS (test_cold_boot_accepted)`` for ``...::test_cold_boot_accepted``."""
    return f"{oca_id} ({nodeid.rpartition('::')[2]})"


def name_testcase(config: pytest.Config, report: pytest.TestReport) -> None:
    """Name the JUnit test case of an OCA case's ``report`` after its OCA id."""
    oca_id = next((str(v) for k, v in report.user_properties if k == "oca_id"), None)
    if oca_id is None:
        return
    try:
        from _pytest.junitxml import xml_key
    except ImportError:  # pragma: no cover - pytest moved its JUnit internals
        return
    xml = config.stash.get(xml_key, None)
    if xml is not None:
        xml.node_reporter(report).add_attribute("name", junit_name(oca_id, report.nodeid))
