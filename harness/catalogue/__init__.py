"""OCA test case catalogue: which cases exist per OCPP version and SUT role, and their profiles.

``lookup("TC_B_01_CS")`` gives the catalogue entry of a case (title, role, versions, certification
profiles, requirement, condition); ``all_entries()`` lists them all. The data are the TSV files in
this package; see :mod:`harness.catalogue.loader`.
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
