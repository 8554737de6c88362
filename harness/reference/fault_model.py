"""What a seeded fault ("mutant") of a reference SUT is, and when a case's result kills it.

The registry of all faults is :mod:`harness.reference.faults`; the faults themselves are listed
next to what they break: :mod:`harness.reference.station_faults`,
:mod:`harness.reference.csms_faults` and :mod:`harness.reference.robustness_faults`.
"""

from __future__ import annotations

from dataclasses import dataclass

#: A failed requirement starting with this is set-up, never a kill.
PRECONDITION = "precondition"


@dataclass(frozen=True, slots=True)
class Fault:
    """One seeded fault: which reference SUT it applies to, what it breaks, and the requirement
    a case killing it must fail on.

    ``requirement`` is a requirement id or a distinctive part of the check's text that must
    appear in the case's ``failed_requirement`` (results.json); ``per_case`` overrides it for a
    case (``"TC_001_CS"``) or a case in one version (``"RB_01_CS@1.6"``) that checks the same
    behaviour under another requirement.
    """

    name: str
    sut: str  # "reference-station" | "reference-csms"
    versions: tuple[str, ...]
    breaks: str
    requirement: str = ""
    per_case: tuple[tuple[str, str], ...] = ()

    def expects(self, case_id: str, version: str) -> str:
        """The requirement ``case_id`` (in OCPP ``version``) must fail on to kill this fault."""
        overrides = dict(self.per_case)
        return overrides.get(f"{case_id}@{version}", overrides.get(case_id, self.requirement))

    def killed(
        self, case_id: str, version: str, verdict: str, failed_requirement: str | None
    ) -> bool:
        """Whether a case's result kills this fault: a FAIL (not ERROR or INCONCLUSIVE) on the
        expected requirement, not in set-up or on a precondition."""
        expected = self.expects(case_id, version)
        failed = failed_requirement or ""
        return (
            verdict == "fail"
            and bool(expected)
            and not failed.startswith(PRECONDITION)
            and expected in failed
        )


ALL = ("1.6", "2.0.1", "2.1")
V2 = ("2.0.1", "2.1")
V21 = ("2.1",)
STATION = "reference-station"
CSMS = "reference-csms"
