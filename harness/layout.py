"""Where the suite's files are: the test cases, the built-in SUT profiles and the pytest settings.

The test cases are written in the checkout's top-level ``testcases/`` and the built-in profiles in
``fixtures/``; a wheel carries copies of both inside the package, under ``harness/_suite/``
(``setup.py`` maps them there), so an installed ``ocpp-harness`` finds them without a checkout
(issue 8 item 6). :func:`suite_root` is the directory that holds ``testcases/`` and ``fixtures/``:
``harness/_suite`` in an installed wheel, the checkout otherwise (an editable install included).

``harness/suite.ini`` holds the pytest settings of a run of the suite (the checkout's
``[tool.pytest.ini_options]``); ``ocpp-harness run`` passes it with ``-c``, so a profile anywhere
on disk, or a run outside the checkout, gets the same settings (issue 8 item 4).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
#: The copies of ``testcases/`` and ``fixtures/`` in an installed wheel.
INSTALLED_SUITE = PACKAGE / "_suite"
#: The checkout the package was imported from (when it was).
CHECKOUT = PACKAGE.parent
#: pytest settings of a run of the suite, for ``pytest -c``.
PYTEST_INI = PACKAGE / "suite.ini"


def suite_root() -> Path:
    """The directory holding ``testcases/`` and ``fixtures/`` (the pytest rootdir of a run)."""
    if (INSTALLED_SUITE / "testcases").is_dir():
        return INSTALLED_SUITE
    return CHECKOUT


def testcases_dir() -> Path:
    """The OCA and robustness test cases (``testcases/``)."""
    return suite_root() / "testcases"


def builtin_profile_dir() -> Path:
    """The built-in SUT profiles (``fixtures/sut/``)."""
    return suite_root() / "fixtures" / "sut"
