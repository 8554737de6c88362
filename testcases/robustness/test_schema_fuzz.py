"""Robustness RB_FUZZ_01/02: schema fuzzing, both SUT roles, 1.6/2.0.1/2.1.

Payloads generated from the official schemas (:mod:`harness.fuzz`) go to the SUT for the actions it
must accept in any state; the budget is ``--ocpp-fuzz-examples`` (25) per case and the payloads
are the same for the same ``--ocpp-fuzz-seed`` (0), which every case's trace records. A failure is
shrunk to a minimal failing payload, shown as the case's Actual.

* RB_FUZZ_01: schema-valid requests (that also keep the primitive rules of :mod:`harness.strict`
  and the id rules of the specification, with EVSE and connector ids the SUT profile declares)
  get a schema-valid CALLRESULT — a business-level rejection is fine; a CALLERROR, silence or a
  dropped connection is not.
* RB_FUZZ_02: requests with exactly one schema violation get a validation CALLERROR
  (FormatViolation, PropertyConstraintViolation, OccurrenceConstraintViolation,
  TypeConstraintViolation or ProtocolError; 1.6 spells two of them FormationViolation and
  OccurenceConstraintViolation) echoing their unique id, and the connection stays up.

Both are SHALL rules (Part 2 FR.02/FR.03; the 1.6 RPC contract, OCPP-J 1.6 §4.2.2/§4.2.3): FAIL.
"""

from __future__ import annotations

import pytest

from harness import CsmsPeer, StationPeer, oca
from harness.config import SutProfile
from harness.fuzz.targets import NEAR_VALID, VALID, budget, csms_targets, fuzz, station_targets

VERSIONS = ("1.6", "2.0.1", "2.1")


@pytest.fixture
def fuzz_budget(pytestconfig: pytest.Config) -> tuple[int, int]:
    """(examples, seed) of this run."""
    return budget(pytestconfig)


def _evses(profile: SutProfile) -> list[tuple[int, int]]:
    return [(evse.id, evse.connectors) for evse in profile.sut.evses]


@oca(
    "RB_FUZZ_01_CS",
    "Schema fuzzing - schema-valid requests are accepted",
    profile="robustness",
    versions=VERSIONS,
    kills=("drops-on-long-string",),
)
async def test_station_accepts_valid_requests(
    csms: CsmsPeer, sut_profile: SutProfile, fuzz_budget: tuple[int, int]
) -> None:
    """GetVariables/GetConfiguration, DataTransfer, TriggerMessage, ChangeAvailability (Operative)."""
    examples, seed = fuzz_budget
    targets = station_targets(csms.version, _evses(sut_profile))
    await fuzz(csms, targets, mode=VALID, examples_n=examples, seed_value=seed)


@oca(
    "RB_FUZZ_02_CS",
    "Schema fuzzing - near-valid requests get a validation CALLERROR",
    profile="robustness",
    versions=VERSIONS,
    kills=("accepts-invalid-payload",),
)
async def test_station_rejects_near_valid_requests(
    csms: CsmsPeer, sut_profile: SutProfile, fuzz_budget: tuple[int, int]
) -> None:
    """The same actions, each payload with one schema violation."""
    examples, seed = fuzz_budget
    targets = station_targets(csms.version, _evses(sut_profile))
    await fuzz(csms, targets, mode=NEAR_VALID, examples_n=examples, seed_value=seed)


@oca(
    "RB_FUZZ_01_CSMS",
    "Schema fuzzing - schema-valid requests are accepted",
    profile="robustness",
    versions=VERSIONS,
    kills=("csms-fails-on-long-string",),
)
async def test_csms_accepts_valid_requests(
    station: StationPeer, sut_profile: SutProfile, fuzz_budget: tuple[int, int]
) -> None:
    """Heartbeat, StatusNotification (Available), Authorize, MeterValues, DataTransfer."""
    examples, seed = fuzz_budget
    targets = csms_targets(station.version, _evses(sut_profile))
    await fuzz(station, targets, mode=VALID, examples_n=examples, seed_value=seed)


@oca(
    "RB_FUZZ_02_CSMS",
    "Schema fuzzing - near-valid requests get a validation CALLERROR",
    profile="robustness",
    versions=VERSIONS,
    kills=("csms-accepts-invalid-payload",),
)
async def test_csms_rejects_near_valid_requests(
    station: StationPeer, sut_profile: SutProfile, fuzz_budget: tuple[int, int]
) -> None:
    """The same actions, each payload with one schema violation."""
    examples, seed = fuzz_budget
    targets = csms_targets(station.version, _evses(sut_profile))
    await fuzz(station, targets, mode=NEAR_VALID, examples_n=examples, seed_value=seed)
