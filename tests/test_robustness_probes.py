"""The robustness probes break exactly the rule they name, and the accepted codes are spelled per
version (testcases/robustness/probes.py)."""

from __future__ import annotations

import pytest

from harness.config import Role
from harness.ocppj import Direction, ErrorKind, check, known_actions, valid_codes
from testcases.robustness.probes import (
    ALL,
    BAD_FRAME,
    EXTRA,
    FOR_VIOLATION,
    MISSING,
    REFUSED_EXCHANGE,
    RESULT_MISSING,
    UNREADABLE,
    UNREADABLE_V16,
    missing_kinds,
    probes,
    spelled,
)

ROLES = (Role.CHARGING_STATION, Role.CSMS)


@pytest.mark.parametrize("version", ALL)
@pytest.mark.parametrize("role", ROLES)
def test_valid_probes_are_schema_valid_and_known(role: Role, version: str) -> None:
    kit = probes(role, version)
    for probe in (kit.benign, kit.foreign):
        assert probe.action in known_actions(version)
        assert check(version, probe.action, Direction.REQUEST, probe.payload) is None, probe


@pytest.mark.parametrize("version", ALL)
@pytest.mark.parametrize("role", ROLES)
def test_each_invalid_probe_breaks_the_rule_it_names(role: Role, version: str) -> None:
    kit = probes(role, version)
    assert len(kit.bad_values) == 2  # a value outside its enumeration, a string too long
    for probe in kit.invalid():
        assert probe.action in known_actions(version)
        violation = check(version, probe.action, Direction.REQUEST, probe.payload)
        assert violation is not None, probe
        assert violation.kind is probe.kind, (probe, violation)
        assert probe.kind in FOR_VIOLATION


def test_the_foreign_action_goes_the_other_way() -> None:
    assert probes(Role.CHARGING_STATION, "2.0.1").foreign.action == "BootNotification"
    assert probes(Role.CSMS, "1.6").foreign.action == "Reset"


@pytest.mark.parametrize("version", ALL)
def test_accepted_codes_are_codes_of_the_version(version: str) -> None:
    for kinds in (UNREADABLE, BAD_FRAME, MISSING, EXTRA, REFUSED_EXCHANGE, RESULT_MISSING):
        assert spelled(version, kinds) <= valid_codes(version), kinds


def test_1_6_spellings() -> None:
    assert spelled("1.6", UNREADABLE_V16) == {"FormationViolation", "ProtocolError"}
    assert spelled("1.6", MISSING) == {"OccurenceConstraintViolation", "ProtocolError"}
    assert spelled("1.6", BAD_FRAME) == {"FormationViolation", "ProtocolError"}
    assert spelled("2.0.1", UNREADABLE) == {"RpcFrameworkError"}
    assert spelled("2.1", EXTRA) == {
        "FormatViolation",
        "ProtocolError",
        "OccurrenceConstraintViolation",
    }
    assert "FormatViolation" not in spelled("1.6", [ErrorKind.FORMAT_VIOLATION])


def test_a_missing_field_may_get_formation_violation_in_1_6_only() -> None:
    """RB_07: 1.6 FormationViolation covers a payload not conforming to the PDU (as for RB_10);
    2.x FormatViolation only means "syntactically incorrect"."""
    assert spelled("1.6", missing_kinds("1.6")) == {
        "OccurenceConstraintViolation",
        "ProtocolError",
        "FormationViolation",
    }
    for version in ("2.0.1", "2.1"):
        assert spelled(version, missing_kinds(version)) == {
            "OccurrenceConstraintViolation",
            "ProtocolError",
        }
