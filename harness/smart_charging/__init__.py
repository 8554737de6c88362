"""Composite-schedule oracle for OCPP smart charging (2.0.1/2.1 block K, 1.6 §3.13).

* :mod:`.model`: charging profiles, transactions and composite schedules, parsed from and
  written to 1.6 or 2.x payloads through a :class:`Dialect`;
* :func:`compose`: the composite schedule the specification requires for one EVSE/connector and
  time window (K08.FR.02-06, 2.0.1 §3.4/§3.5, K01.FR.10-17/30/36/37/49-51);
* :func:`explain`: which installed profile set each period's limit (the report's diagnosis);
* :func:`compare`: expected vs reported composite, per-period differences within the allowed
  precision and the time offset between the two schedules' starts.
"""

from harness.smart_charging.compare import Comparison, Difference, compare, tolerance
from harness.smart_charging.compose import (
    DEFAULT_CEILING_A,
    Provenance,
    Segment,
    applicable,
    compose,
    explain,
    segments,
)
from harness.smart_charging.model import (
    DEFAULT_PHASES,
    LIMIT_PRECISION,
    NOMINAL_VOLTAGE_V,
    V16,
    V21,
    V201,
    CompositeSchedule,
    Dialect,
    Period,
    Profile,
    ProfileRef,
    Purpose,
    Schedule,
    TxState,
    format_time,
    parse_time,
    to_unit,
)

__all__ = [
    "DEFAULT_CEILING_A",
    "DEFAULT_PHASES",
    "LIMIT_PRECISION",
    "NOMINAL_VOLTAGE_V",
    "V16",
    "V21",
    "V201",
    "Comparison",
    "CompositeSchedule",
    "Dialect",
    "Difference",
    "Period",
    "Profile",
    "ProfileRef",
    "Provenance",
    "Purpose",
    "Schedule",
    "Segment",
    "TxState",
    "applicable",
    "compare",
    "compose",
    "explain",
    "format_time",
    "parse_time",
    "segments",
    "to_unit",
    "tolerance",
]
