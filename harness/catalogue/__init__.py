"""OCA test case catalogue: which cases exist per OCPP version and SUT role, and their profiles.

``lookup("TC_B_01_CS")`` gives the catalogue entry of a case (title, role, versions, certification
profiles, requirement, condition); ``all_entries()`` lists them all. The data are the TSV files in
this package; see :mod:`harness.catalogue.loader`.

Beside it: :mod:`~harness.catalogue.implemented` (which ids the ``@oca`` cases implement, read
from the code), :mod:`~harness.catalogue.scopes` (named parts of a profile, ``scopes.tsv``) and
:mod:`~harness.catalogue.coverage_report` (``ocpp-harness catalogue``). They are imported on use:
:mod:`harness.testcase` imports this package, and ``implemented`` imports the test cases.
"""

from harness.catalogue.loader import (
    CatalogueEntry,
    Requirement,
    UnknownTestCase,
    all_entries,
    lookup,
    profile_slug,
)

__all__ = [
    "CatalogueEntry",
    "Requirement",
    "UnknownTestCase",
    "all_entries",
    "lookup",
    "profile_slug",
]
