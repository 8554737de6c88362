"""The data of the composite-schedule oracle: charging profiles, transactions, composite schedules.

One model serves OCPP 1.6 and 2.0.1/2.1; a :class:`Dialect` names what differs on the wire (1.6
§3.13 / §7.8: purpose ``ChargePointMaxProfile``, ``connectorId``, one ``chargingSchedule``
object; 2.0.1 §K / §2.13: ``ChargingStationMaxProfile``, ``evseId``, a list of schedules, plus
``ChargingStationExternalConstraints``). Parsing a SetChargingProfile payload is
:meth:`Profile.from_payload`; a GetCompositeSchedule answer is :meth:`CompositeSchedule.from_payload`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

Payload = dict[str, Any]

#: K01.FR.50: the nominal ("set") line voltage used for W <-> A, not a measured one.
NOMINAL_VOLTAGE_V = 230.0
#: K01.FR.49: an AC schedule period without numberPhases means three phases.
DEFAULT_PHASES = 3
#: 2.0.1 §2.14 ChargingSchedulePeriodType.limit: at most one digit fraction.
LIMIT_PRECISION = 0.1
#: Recurrence lengths (2.0.1 §3.3 / 1.6 §3.13.2): Daily and Weekly.
RECURRENCE_S = {"Daily": 86_400, "Weekly": 7 * 86_400}


class Purpose(StrEnum):
    """chargingProfilePurpose, normalised (1.6 ChargePointMaxProfile is :attr:`MAX`)."""

    MAX = "ChargingStationMaxProfile"
    EXTERNAL = "ChargingStationExternalConstraints"
    TX_DEFAULT = "TxDefaultProfile"
    TX = "TxProfile"


@dataclass(frozen=True, slots=True)
class Dialect:
    """What differs between OCPP versions on the wire; the rules themselves are the same."""

    version: str
    max_purpose: str
    location_key: str  # "evseId" (2.x) or "connectorId" (1.6)
    schedule_list: bool  # 2.x: chargingSchedule is a list (K01.FR.34: one entry)
    #: 1.6 §3.13.1: a connector's own TxDefaultProfile replaces the one of connector 0 for
    #: that connector, whatever their stack levels; 2.x stacks both (K01.FR.14/15/17).
    own_default_replaces_station_default: bool = False

    def purpose(self, wire: str) -> Purpose:
        return Purpose.MAX if wire == self.max_purpose else Purpose(wire)

    def wire_purpose(self, purpose: Purpose) -> str:
        return self.max_purpose if purpose is Purpose.MAX else purpose.value


V201 = Dialect("2.0.1", "ChargingStationMaxProfile", "evseId", True)
V21 = Dialect("2.1", "ChargingStationMaxProfile", "evseId", True)
V16 = Dialect("1.6", "ChargePointMaxProfile", "connectorId", False, True)


def parse_time(value: str | None) -> float | None:
    """An OCPP dateTime as POSIX seconds (a time without zone is taken as UTC)."""
    if value is None:
        return None
    stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.timestamp()


def format_time(seconds: float) -> str:
    """POSIX seconds as OCPP writes a dateTime (UTC, ``Z``, whole seconds)."""
    return datetime.fromtimestamp(round(seconds), UTC).isoformat().replace("+00:00", "Z")


def to_unit(limit: float, unit: str, wanted: str, phases: int, voltage: float) -> float:
    """Convert a limit between A (per phase, K01.FR.51) and W (all phases) the way K01.FR.50
    defines it: current per phase = power / (line voltage x number of phases)."""
    if unit == wanted:
        return limit
    if wanted == "A":
        return limit / (voltage * phases)
    return limit * voltage * phases


@dataclass(frozen=True, slots=True)
class Period:
    """A ChargingSchedulePeriod: from ``start`` s after the schedule start (K01.FR.12)."""

    start: int
    limit: float
    number_phases: int | None = None
    phase_to_use: int | None = None

    @property
    def phases(self) -> int:
        return self.number_phases if self.number_phases is not None else DEFAULT_PHASES

    def payload(self) -> Payload:
        out: Payload = {"startPeriod": self.start, "limit": self.limit}
        if self.number_phases is not None:
            out["numberPhases"] = self.number_phases
        if self.phase_to_use is not None:
            out["phaseToUse"] = self.phase_to_use
        return out

    @classmethod
    def from_payload(cls, p: Payload) -> Period:
        return cls(
            int(p["startPeriod"]), float(p["limit"]), p.get("numberPhases"), p.get("phaseToUse")
        )


@dataclass(frozen=True, slots=True)
class Schedule:
    """A ChargingSchedule (2.0.1 §2.12, 1.6 §7.13)."""

    periods: tuple[Period, ...]
    unit: str = "A"
    start: float | None = None  # startSchedule (POSIX s); Absolute/Recurring only (K01.FR.40)
    duration: int | None = None
    min_rate: float | None = None

    @classmethod
    def from_payload(cls, p: Payload) -> Schedule:
        return cls(
            tuple(Period.from_payload(x) for x in p["chargingSchedulePeriod"]),
            p["chargingRateUnit"],
            parse_time(p.get("startSchedule")),
            p.get("duration"),
            p.get("minChargingRate"),
        )


@dataclass(frozen=True, slots=True)
class ProfileRef:
    """Which installed profile a limit came from (the report's diagnosis table)."""

    id: int
    purpose: Purpose
    stack_level: int
    location: int  # evseId / connectorId the profile is installed on

    def __str__(self) -> str:
        return f"#{self.id} {self.purpose.value} stackLevel {self.stack_level} on {self.location}"


@dataclass(frozen=True, slots=True)
class Profile:
    """An installed ChargingProfile. ``location`` is the evseId (2.x) or connectorId (1.6);
    0 is the whole station (a TxDefaultProfile there applies to every EVSE: K01.FR.14)."""

    id: int
    stack_level: int
    purpose: Purpose
    kind: str  # Absolute | Recurring | Relative
    schedule: Schedule
    location: int = 0
    recurrency: str | None = None  # Daily | Weekly
    valid_from: float | None = None
    valid_to: float | None = None
    transaction_id: str | None = None

    @property
    def ref(self) -> ProfileRef:
        return ProfileRef(self.id, self.purpose, self.stack_level, self.location)

    def valid_at(self, t: float) -> bool:
        """K01.FR.10/36/37: valid when validFrom <= t < validTo (each only when set)."""
        if self.valid_from is not None and t < self.valid_from:
            return False
        return self.valid_to is None or t < self.valid_to

    @classmethod
    def from_payload(cls, profile: Payload, location: int, dialect: Dialect = V201) -> Profile:
        """A ``chargingProfile`` of SetChargingProfile (or RequestStartTransaction: K05)."""
        raw = profile["chargingSchedule"]
        schedule = raw[0] if dialect.schedule_list else raw
        tx = profile.get("transactionId")
        return cls(
            id=int(profile["id" if dialect.schedule_list else "chargingProfileId"]),
            stack_level=int(profile["stackLevel"]),
            purpose=dialect.purpose(profile["chargingProfilePurpose"]),
            kind=profile["chargingProfileKind"],
            schedule=Schedule.from_payload(schedule),
            location=location,
            recurrency=profile.get("recurrencyKind"),
            valid_from=parse_time(profile.get("validFrom")),
            valid_to=parse_time(profile.get("validTo")),
            transaction_id=None if tx is None else str(tx),
        )


@dataclass(frozen=True, slots=True)
class TxState:
    """A transaction the oracle must know of: its EVSE (connector in 1.6), id and start (the
    origin of a Relative schedule: 2.0.1 §3.3, K01.FR.42; 1.6 §3.13.2)."""

    location: int
    transaction_id: str
    started: float


@dataclass(frozen=True, slots=True)
class CompositeSchedule:
    """A composite schedule: ``periods`` from ``start`` (scheduleStart), ascending from 0."""

    location: int
    start: float
    duration: int
    unit: str
    periods: tuple[Period, ...]
    sources: tuple[tuple[ProfileRef, ...], ...] = field(default=(), compare=False)

    def payload(self, dialect: Dialect = V201) -> Payload:
        """The ``schedule`` of a 2.x GetCompositeScheduleResponse, or the 1.6 response body
        without its status (connectorId, scheduleStart, chargingSchedule)."""
        periods = [p.payload() for p in self.periods]
        if dialect.schedule_list:
            return {
                "evseId": self.location,
                "duration": self.duration,
                "scheduleStart": format_time(self.start),
                "chargingRateUnit": self.unit,
                "chargingSchedulePeriod": periods,
            }
        return {
            "connectorId": self.location,
            "scheduleStart": format_time(self.start),
            "chargingSchedule": {
                "duration": self.duration,
                "startSchedule": format_time(self.start),
                "chargingRateUnit": self.unit,
                "chargingSchedulePeriod": periods,
            },
        }

    def energy_wh(self, end: float, power_w: float) -> float:
        """Energy (Wh) drawn from :attr:`start` to ``end`` (POSIX s) by a load of ``power_w``
        capped by each period's limit (the schedule in W): what a station following it
        delivers (K01.FR.02, 1.6 §3.13.1)."""
        total = 0.0
        bounds = [p.start for p in self.periods[1:]] + [self.duration]
        for period, until in zip(self.periods, bounds, strict=True):
            lo, hi = self.start + period.start, min(end, self.start + until)
            if hi > lo:
                total += (hi - lo) * min(power_w, period.limit) / 3600.0
        return total

    @classmethod
    def from_payload(cls, p: Payload, dialect: Dialect = V201) -> CompositeSchedule:
        """Parse what :meth:`payload` writes (a station's answer)."""
        body = p if dialect.schedule_list else p["chargingSchedule"]
        start = parse_time(p.get("scheduleStart") or body.get("startSchedule"))
        return cls(
            int(p.get(dialect.location_key, 0)),
            0.0 if start is None else start,
            int(body.get("duration", 0)),
            body["chargingRateUnit"],
            tuple(Period.from_payload(x) for x in body["chargingSchedulePeriod"]),
        )

    def limit_at(self, offset: float) -> float | None:
        """The limit ``offset`` s after the start (None before 0 or from the duration on)."""
        if offset < 0 or offset >= self.duration:
            return None
        current = None
        for period in self.periods:
            if period.start <= offset:
                current = period.limit
        return current
