"""The composite schedule a charging station must compute (2.0.1 K08, §3.4/§3.5; 1.6 §3.13.4).

For one EVSE (connector in 1.6) and a window ``[start, start + duration)``:

* every installed profile is laid out on the time axis (:func:`segments`): Absolute from its
  startSchedule, Recurring from startSchedule + k x day/week (k >= 0), Relative from the start of
  the EVSE's transaction, or, without one, from the window start (K08.FR.06: computed as if a
  transaction started now). A period lasts until the next one starts or the schedule's duration
  ends (K01.FR.12); one starting at or after the duration never runs (K01.FR.11); a recurring
  schedule ends at the next recurrence; a profile counts only while validFrom <= t < validTo
  (K01.FR.36/37) and from its startSchedule on (K01.FR.30);
* which profiles apply: on EVSE E > 0 the station maximum (location 0), external constraints and
  TxDefaultProfiles on 0 or E (K01.FR.14/15; in 1.6 one on the connector replaces the one on
  connector 0 there: §3.13.1) and the TxProfile of E's transaction (K01.FR.04);
  a TxProfile without a transaction on E is ignored (K08.FR.06). For E = 0 (K08.FR.03, 1.6
  §5.7: the total the station expects to consume from the grid) the grid connection's own
  limits, station maximum and external constraints on 0, which hold for all EVSEs combined
  (§3.5; 1.6 §3.13.3); given the station's ``evses``, the total is also at most the sum of their
  composites (each as K08.FR.06 computes it): the lower of the two at every moment;
* per purpose the leading schedule at t is the one of the highest stackLevel that has a period at
  t (§3.5, K01.FR.17); a TxProfile overrules the TxDefaultProfile (§3.5, §3.2); the composite
  limit is the lowest of the leading limits, each converted into the requested unit (K08.FR.04,
  K01.FR.50/51: W = A x nominal voltage x numberPhases, three phases when not given: K01.FR.49);
* equal neighbouring periods are merged; where nothing limits, ``ceiling_a`` (the station's own
  maximum, A per phase) is reported.

Ties between purposes name the most specific profile as the source: TxProfile, TxDefaultProfile,
external constraints, station maximum (:func:`explain`).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from harness.smart_charging.model import (
    DEFAULT_PHASES,
    NOMINAL_VOLTAGE_V,
    RECURRENCE_S,
    V201,
    CompositeSchedule,
    Dialect,
    Period,
    Profile,
    ProfileRef,
    Purpose,
    TxState,
    to_unit,
)

#: A station's own maximum when no profile limits (A per phase, three phases: 22 kW).
DEFAULT_CEILING_A = 32.0
#: Most specific first: the source named when two purposes give the same limit.
_SPECIFIC = (Purpose.TX, Purpose.TX_DEFAULT, Purpose.EXTERNAL, Purpose.MAX)


@dataclass(frozen=True, slots=True)
class Segment:
    """A period of a profile laid out in absolute time: ``[begin, end)`` (POSIX s)."""

    begin: float
    end: float
    period: Period
    profile: Profile


@dataclass(frozen=True, slots=True)
class Provenance:
    """One period of a composite and the installed profile(s) that set its limit."""

    start: int
    limit: float
    sources: tuple[ProfileRef, ...]  # empty: no profile limits, the station's own maximum


def _origins(profile: Profile, lo: float, hi: float, tx: TxState | None) -> list[float]:
    sched = profile.schedule
    if profile.kind == "Relative" or sched.start is None:
        return [tx.started if tx is not None else lo]
    if profile.kind == "Recurring" and profile.recurrency in RECURRENCE_S:
        step = RECURRENCE_S[profile.recurrency]
        first = max(0, math.floor((lo - sched.start) / step) - 1)
        last = max(0, math.ceil((hi - sched.start) / step))
        return [sched.start + k * step for k in range(first, last + 1)]
    return [sched.start]


def segments(profile: Profile, lo: float, hi: float, tx: TxState | None = None) -> list[Segment]:
    """Where ``profile``'s periods are in force within ``[lo, hi)`` (rules in the module doc)."""
    sched = profile.schedule
    length: float = math.inf if sched.duration is None else float(sched.duration)
    if profile.kind == "Recurring" and profile.recurrency in RECURRENCE_S:
        length = min(length, float(RECURRENCE_S[profile.recurrency]))
    valid_lo = -math.inf if profile.valid_from is None else profile.valid_from
    valid_hi = math.inf if profile.valid_to is None else profile.valid_to
    out: list[Segment] = []
    for origin in _origins(profile, lo, hi, tx):
        periods = [p for p in sched.periods if p.start < length]  # K01.FR.11
        for i, period in enumerate(periods):
            until = periods[i + 1].start if i + 1 < len(periods) else length
            begin = max(origin + period.start, lo, valid_lo)
            end = min(origin + until, hi, valid_hi)
            if begin < end:
                out.append(Segment(begin, end, period, profile))
    return out


def applicable(
    profiles: Iterable[Profile], location: int, tx: TxState | None, dialect: Dialect = V201
) -> list[Profile]:
    """The profiles that act on ``location`` (module doc: which profiles apply)."""
    profiles = list(profiles)
    if dialect.own_default_replaces_station_default and any(
        p.purpose is Purpose.TX_DEFAULT and p.location == location for p in profiles
    ):
        profiles = [p for p in profiles if p.purpose is not Purpose.TX_DEFAULT or p.location]
    out = []
    for p in profiles:
        if location == 0:
            keep = p.location == 0 and p.purpose in (Purpose.MAX, Purpose.EXTERNAL)
        elif p.purpose is Purpose.MAX:
            keep = p.location == 0
        elif p.purpose is Purpose.TX:
            keep = (
                p.location == location
                and tx is not None
                and (p.transaction_id is None or p.transaction_id == tx.transaction_id)
            )
        else:
            keep = p.location in (0, location)
        if keep:
            out.append(p)
    return out


def _leading(active: list[Segment]) -> dict[Purpose, Segment]:
    """Per purpose, the segment of the highest stackLevel (an EVSE's own profile before one on
    EVSE 0 of the same level, which K01.FR.52/53 forbid anyway)."""
    best: dict[Purpose, Segment] = {}
    for s in active:
        key = (s.profile.stack_level, s.profile.location != 0)
        held = best.get(s.profile.purpose)
        if held is None or key > (held.profile.stack_level, held.profile.location != 0):
            best[s.profile.purpose] = s
    if Purpose.TX in best:  # §3.5: the TxProfile overrules the TxDefaultProfile
        best.pop(Purpose.TX_DEFAULT, None)
    return best


def compose(
    profiles: Iterable[Profile],
    location: int,
    start: float,
    duration: int,
    unit: str = "A",
    *,
    transactions: Mapping[int, TxState] | None = None,
    voltage: float = NOMINAL_VOLTAGE_V,
    ceiling_a: float = DEFAULT_CEILING_A,
    dialect: Dialect = V201,
    evses: Iterable[int] = (),
) -> CompositeSchedule:
    """The composite schedule of ``location`` (evseId / connectorId) for ``[start, start +
    duration)`` in ``unit`` (A or W); ``transactions`` maps a location to its transaction;
    ``dialect`` selects the version's rules where they differ (1.6 §3.13.1 connector 0);
    ``evses``: the station's EVSEs (connectors), whose sum caps the composite of 0 (K08.FR.03)."""
    one = _Window(start, duration, unit, transactions or {}, voltage, ceiling_a, dialect)
    installed = list(profiles)
    grid = _compose_one(installed, location, one)
    parts = [_compose_one(installed, e, one) for e in evses if e > 0] if location == 0 else []
    return _total(grid, parts) if parts else grid


@dataclass(frozen=True, slots=True)
class _Window:
    """The parameters of one :func:`compose` call shared by the EVSEs it composes."""

    start: float
    duration: int
    unit: str
    transactions: Mapping[int, TxState]
    voltage: float
    ceiling_a: float
    dialect: Dialect


def _compose_one(profiles: list[Profile], location: int, w: _Window) -> CompositeSchedule:
    """The composite of one location from its own profiles (module doc)."""
    start, duration, unit = w.start, w.duration, w.unit
    voltage, ceiling_a, dialect = w.voltage, w.ceiling_a, w.dialect
    tx = w.transactions.get(location)
    hi = start + duration
    mine = applicable(profiles, location, tx, dialect)
    laid = [s for p in mine for s in segments(p, start, hi, tx)]
    cuts = sorted({start, *(s.begin for s in laid), *(s.end for s in laid if s.end < hi)})
    rows: list[tuple[int, Period, tuple[ProfileRef, ...]]] = []
    for t in cuts:
        offset = round(t - start)
        if offset >= duration:
            continue
        leading = _leading([s for s in laid if s.begin <= t < s.end])
        period = _lowest(leading, unit, voltage, ceiling_a, offset)
        refs = tuple(_source(leading, unit, voltage, period.limit))
        if rows and rows[-1][0] == offset:
            rows.pop()  # rounding made a period zero-length: the later one wins
        if rows and (rows[-1][1].limit, rows[-1][1].number_phases) == (
            period.limit,
            period.number_phases,
        ):
            last = rows.pop()
            merged = last[2] + tuple(r for r in refs if r not in last[2])
            rows.append((last[0], last[1], merged))
            continue
        rows.append((offset, period, refs))
    return CompositeSchedule(
        location,
        start,
        duration,
        unit,
        tuple(r[1] for r in rows),
        tuple(r[2] for r in rows),
    )


def _at(schedule: CompositeSchedule, offset: int) -> int:
    """The index of the period of ``schedule`` that runs at ``offset``."""
    return max(i for i, p in enumerate(schedule.periods) if p.start <= offset)


def _total(grid: CompositeSchedule, parts: list[CompositeSchedule]) -> CompositeSchedule:
    """K08.FR.03: per moment, the lower of the grid connection's limit and the sum of the
    EVSEs' composites (rounded to the schedule's precision); the sources are the grid's
    profiles, or every EVSE's when their sum is the lower."""
    cuts = sorted({p.start for c in (grid, *parts) for p in c.periods})
    periods: list[Period] = []
    sources: list[tuple[ProfileRef, ...]] = []
    for offset in cuts:
        g = _at(grid, offset)
        here = [(c, _at(c, offset)) for c in parts]
        total = float(round(sum(c.periods[i].limit for c, i in here), 1))
        if grid.periods[g].limit <= total:
            period = dataclasses.replace(grid.periods[g], start=offset)
            refs = grid.sources[g] if grid.sources else ()
        else:
            period = Period(offset, total)
            refs = tuple(dict.fromkeys(r for c, i in here if c.sources for r in c.sources[i]))
        if periods and (periods[-1].limit, periods[-1].number_phases) == (
            period.limit,
            period.number_phases,
        ):
            sources[-1] = sources[-1] + tuple(r for r in refs if r not in sources[-1])
            continue
        periods.append(period)
        sources.append(refs)
    return dataclasses.replace(grid, periods=tuple(periods), sources=tuple(sources))


def _converted(s: Segment, unit: str, voltage: float) -> float:
    p = s.period
    return to_unit(p.limit, s.profile.schedule.unit, unit, p.phases, voltage)


def _lowest(
    leading: dict[Purpose, Segment], unit: str, voltage: float, ceiling_a: float, offset: int
) -> Period:
    if not leading:
        limit = to_unit(ceiling_a, "A", unit, DEFAULT_PHASES, voltage)
        return Period(offset, float(round(limit, 1)))
    s = min(leading.values(), key=lambda x: _converted(x, unit, voltage))
    phases = next(
        (leading[p].period.number_phases for p in _SPECIFIC[:2] if p in leading),
        s.period.number_phases,
    )
    return Period(offset, float(round(_converted(s, unit, voltage), 1)), phases)


def _source(
    leading: dict[Purpose, Segment], unit: str, voltage: float, limit: float
) -> list[ProfileRef]:
    for purpose in _SPECIFIC:
        s = leading.get(purpose)
        if s is not None and round(_converted(s, unit, voltage), 1) == limit:
            return [s.profile.ref]
    return []


def explain(composite: CompositeSchedule) -> list[Provenance]:
    """Per period of a composite :func:`compose` made, the profile(s) its limit came from
    (in order of appearance within the period; none when the station's maximum applies)."""
    sources = composite.sources or tuple(() for _ in composite.periods)
    return [
        Provenance(p.start, p.limit, refs)
        for p, refs in zip(composite.periods, sources, strict=True)
    ]
