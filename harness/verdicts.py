"""Verdicts and the exceptions that produce them, with blame encoded in the type (STYLE: h11/h2).

* :class:`SutFailure` — the SUT did not behave as required: verdict FAIL, with the requirement, the
  Expected/Actual pair and the frames around it.
* :class:`Inconclusive` — an operator action was not performed in time, or a precondition could not
  be restored: verdict INCONCLUSIVE.
* :class:`NotApplicable` — a legal answer makes the case impossible: verdict NOT-APPLICABLE.
* :class:`HarnessError` — a bug of ours or a broken test script: verdict ERROR.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Verdict(StrEnum):
    """The outcome of one test case for one OCPP version (DESIGN §5)."""

    PASS = "pass"
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"
    NOT_APPLICABLE = "not-applicable"
    ERROR = "error"


class Axis(StrEnum):
    """What a warning is measured against: the OCPP specification, or the official OCA test tool
    (OCTT), which is stricter or different in places (oca-catalogue.md, user complaints)."""

    SPEC = "spec"
    OCTT = "octt"


@dataclass(frozen=True, slots=True)
class Finding:
    """A warning that does not change the verdict: e.g. a date-time without time zone (spec
    axis), or behaviour the official test tool is known to reject (OCTT axis)."""

    axis: Axis
    requirement: str
    message: str


class SutFailure(AssertionError):
    """The SUT broke a requirement. Rendered as h2spec does: requirement, Expected, Actual."""

    def __init__(self, requirement: str, expected: str, actual: str, frames: str = "") -> None:
        self.requirement = requirement
        self.expected = expected
        self.actual = actual
        self.frames = frames
        super().__init__(self.render())

    def render(self) -> str:
        lines = [f"-> {self.requirement}", f"Expected: {self.expected}", f"Actual:   {self.actual}"]
        if self.frames:
            lines += ["Last frames:", self.frames]
        return "\n".join(lines)


class Inconclusive(Exception):
    """A precondition the harness cannot force did not happen (operator timeout, no terminal)."""


class NotApplicable(Exception):
    """A legal answer of the SUT makes the case impossible (an optional feature absent,
    TriggerMessage Rejected where the spec allows it): verdict NOT-APPLICABLE, with the reason."""


class Strength(StrEnum):
    """How strong the rule a check cites is (RFC 2119 as OCPP uses it): MUST/SHALL fail a case,
    SHOULD/MAY only warn on the spec axis (DESIGN §5)."""

    MUST = "MUST"
    SHOULD = "SHOULD"
    MAY = "MAY"


class HarnessError(Exception):
    """The harness itself, or a test script, did something wrong."""
