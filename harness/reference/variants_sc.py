"""Legal variants of the reference stations' smart charging (2.0.1/2.1 block K, 1.6 §3.13), and
what they change (registered into :data:`harness.reference.variants.VARIANTS`, which holds the
rest; the stations ask :func:`rate_units_v2`, :func:`rate_units_v16`, :func:`reported_unit_v16`
and :func:`reported`).

* ``sc-rate-unit-watts``: the station's charging schedules are in W only. 2.0.1/2.1:
  SmartChargingCtrlr.ChargingScheduleChargingRateUnit is ``W``; a profile in A is Rejected
  (K01.FR.26), a GetCompositeSchedule for A is Rejected (K08.FR.07), the composite is reported in
  W; its profile no longer declares SC-2.1 (the cases' configured unit is then W). 1.6:
  ChargingScheduleAllowedChargingRateUnit is ``Power`` (errata 3.88: only schedules in W), a
  profile in A is Rejected, and GetCompositeSchedule is answered in W also when A was asked.
  That answer is legal: the request's unit "can be used to force" one (§6.21) but no SHALL says
  the answer takes it, the answer names its unit (§7.13, required), a charge point that allows
  Power only holds W schedules only (§9.4.2, errata 3.88), and the SHALL of §5.7 (Rejected) is
  for a schedule it cannot report, not one it reports in its unit. A case converts such an
  answer with §7.12 (errata 3.69) before comparing.
* ``sc-composite-rounded``: the composite's limits are rounded to one digit fraction, the
  precision ChargingSchedulePeriod.limit accepts (2.0.1 §2.14, 1.6 §7.14 with errata 3.71), in
  A and in W alike (whole watts would be coarser than the field allows).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness.reference.variants import Seeded, Variant
    from harness.smart_charging import CompositeSchedule

WATTS = "sc-rate-unit-watts"
ROUNDED = "sc-composite-rounded"
#: The smart charging cases of the charging station under test: 2.x block K and 1.6 section 23.
SC_CASES = (
    "TC_K_*_CS",
    "TC_05[6-9]_CS",
    "TC_058_[12]_CS",
    "TC_060_CS",
    "TC_066_CS",
    "TC_067_CS",
    "TC_072_CS",
    "TC_082_CS",
)
#: Digits of fraction a reported limit keeps under ``sc-composite-rounded``.
LIMIT_DIGITS = 1


def station_sc_variants() -> tuple[Variant, ...]:
    """The variants of this module (imported late: they are :class:`Variant` instances)."""
    from harness.reference.variants import STATION_V16, STATION_V21, STATION_V201, Variant

    stations = (STATION_V16, STATION_V201, STATION_V21)
    return (
        Variant(
            WATTS,
            stations,
            "charging schedules in W only: 2.x SmartChargingCtrlr.ChargingScheduleChargingRate"
            "Unit is W (a profile or a composite in A is Rejected; SC-2.1 not declared); 1.6 "
            "ChargingScheduleAllowedChargingRateUnit is Power (a profile in A is Rejected) and "
            "GetCompositeSchedule is answered in W, also when A was asked",
            "2.0.1 K01.FR.26, K08.FR.07 (the configured ChargingScheduleChargingRateUnit), OCA "
            "Part 5 SC-2.1/SC-2.2; 1.6 §9.4.2 with errata 3.88 (Power: W schedules only), §6.21 "
            "(the requested unit 'can be used to force' one, no SHALL), §7.13 (the answer names "
            "its unit), §7.12 with errata 3.69 (the conversion)",
            drops=("SC-2.1",),
            cases=SC_CASES,
        ),
        Variant(
            ROUNDED,
            stations,
            "reports the composite schedule's limits rounded to one digit fraction (A and W)",
            "2.0.1 §2.14 ChargingSchedulePeriodType.limit and 1.6 §7.14 with errata 3.71 "
            "(accepts at most one digit fraction)",
            cases=SC_CASES,
        ),
    )


def rate_units_v2(seeded: Seeded) -> frozenset[str]:
    """The 2.x station's ChargingScheduleChargingRateUnit (K01.FR.26, K08.FR.07)."""
    return frozenset({"W"}) if WATTS in seeded else frozenset({"A", "W"})


def rate_units_v16(seeded: Seeded) -> tuple[str, ...]:
    """The 1.6 ChargingScheduleAllowedChargingRateUnit (§9.4.2, in its own words)."""
    return ("Power",) if WATTS in seeded else ("Current", "Power")


def reported_unit_v16(asked: str, seeded: Seeded) -> str:
    """The unit a 1.6 charge point answers a GetCompositeSchedule in (module doc)."""
    return "W" if WATTS in seeded else asked


def reported(schedule: CompositeSchedule, seeded: Seeded) -> CompositeSchedule:
    """The composite as the station reports it: its limits rounded under ``sc-composite-rounded``
    (to the nearest tenth; Python's round of a float, ties as the float falls)."""
    if ROUNDED not in seeded:
        return schedule
    periods = tuple(
        dataclasses.replace(p, limit=round(p.limit, LIMIT_DIGITS)) for p in schedule.periods
    )
    return dataclasses.replace(schedule, periods=periods)
