"""The composite-schedule oracle (harness/smart_charging): its invariants as properties
(hypothesis) and the specification's own examples as fixed cases (2.0.1 Part 2 §3.6 and
§3.6.1, TC_K_41_CS with its 2025-02/04 errata, the same scenario as EVerest reproduced it)."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from harness.smart_charging import (
    V16,
    V201,
    CompositeSchedule,
    Period,
    Profile,
    Purpose,
    Schedule,
    TxState,
    compare,
    compose,
    explain,
    parse_time,
    to_unit,
    tolerance,
)

T = 1_700_000_000.0  # a whole second, 2023-11-14T22:13:20Z
FAST = settings(max_examples=60, deadline=None)
W_CEILING = 32.0 * 230 * 3


def _profile(
    pid: int,
    purpose: Purpose,
    periods: list[tuple[int, float]],
    *,
    start: float = T,
    duration: int | None = None,
    location: int = 1,
    stack: int = 0,
    kind: str = "Absolute",
    unit: str = "A",
    tx: str | None = None,
    valid: tuple[float | None, float | None] = (None, None),
    recurrency: str | None = None,
) -> Profile:
    schedule = Schedule(
        tuple(Period(s, lim) for s, lim in periods),
        unit,
        None if kind == "Relative" else start,
        duration,
    )
    return Profile(
        pid, stack, purpose, kind, schedule, location, recurrency, valid[0], valid[1], tx
    )


def _pairs(c: CompositeSchedule) -> list[tuple[int, float]]:
    return [(p.start, p.limit) for p in c.periods]


# -- strategies ------------------------------------------------------------------------------------
limits = st.integers(min_value=0, max_value=300).map(lambda n: n / 10)


@st.composite
def periods(draw: st.DrawFn) -> list[tuple[int, float]]:
    gaps = draw(st.lists(st.integers(min_value=1, max_value=400), max_size=5))
    starts = [0]
    for gap in gaps:
        starts.append(starts[-1] + gap)
    return [(s, draw(limits)) for s in starts]


@st.composite
def profiles(draw: st.DrawFn, purpose: Purpose | None = None, pid: int = 1) -> Profile:
    chosen = purpose or draw(st.sampled_from([Purpose.MAX, Purpose.TX_DEFAULT, Purpose.TX]))
    return _profile(
        pid,
        chosen,
        draw(periods()),
        start=T + draw(st.integers(min_value=-600, max_value=600)),
        duration=draw(st.none() | st.integers(min_value=1, max_value=2000)),
        location=0 if chosen is Purpose.MAX else draw(st.sampled_from([0, 1])),
        stack=draw(st.integers(min_value=0, max_value=3)),
        tx="tx-1" if chosen is Purpose.TX else None,
    )


TXS = {1: TxState(1, "tx-1", T - 30)}


def _value(profile: Profile, t: float) -> float | None:
    """The limit ``profile`` alone sets at ``t`` (a direct reading of K01.FR.11/12)."""
    sched = profile.schedule
    assert sched.start is not None
    offset = t - sched.start
    if offset < 0 or (sched.duration is not None and offset >= sched.duration):
        return None
    if not profile.valid_at(t):
        return None
    current = None
    for p in sched.periods:
        if p.start <= offset:
            current = p.limit
    return current


def _probes(c: CompositeSchedule) -> list[float]:
    starts = [p.start for p in c.periods] + [c.duration]
    return [c.start + (a + b) / 2 for a, b in itertools.pairwise(starts)]


# -- properties ------------------------------------------------------------------------------------
@FAST
@given(st.lists(profiles(), min_size=1, max_size=5), st.integers(min_value=1, max_value=3000))
def test_periods_ascend_from_zero_within_the_window(ps: list[Profile], duration: int) -> None:
    ps = [replace(p, id=i) for i, p in enumerate(ps)]
    c = compose(ps, 1, T, duration, transactions=TXS)
    starts = [p.start for p in c.periods]
    assert starts[0] == 0
    assert starts == sorted(set(starts))
    assert all(s < duration for s in starts)
    assert len(explain(c)) == len(c.periods)


@FAST
@given(profiles(Purpose.MAX, pid=1), st.lists(profiles(), max_size=4))
def test_the_composite_never_exceeds_the_station_maximum(
    mx: Profile, others: list[Profile]
) -> None:
    """K08.FR.04: at any time at most the lowest of the merged schedules."""
    ps = [mx, *(replace(p, id=i + 2) for i, p in enumerate(others))]
    ps = [p for p in ps if p.purpose is not Purpose.MAX or p.id == 1]
    c = compose(ps, 1, T, 1500, transactions=TXS)
    for t in _probes(c):
        cap = _value(mx, t)
        got = c.limit_at(t - T)
        if cap is not None:
            assert got is not None
            assert got <= cap + tolerance()


@FAST
@given(profiles(Purpose.TX_DEFAULT), st.integers(min_value=1, max_value=3000))
def test_one_profile_alone_is_the_composite(p: Profile, duration: int) -> None:
    c = compose([p], 1, T, duration)
    for t in _probes(c):
        expected = _value(p, t)
        assert c.limit_at(t - T) == (32.0 if expected is None else expected)


@FAST
@given(periods(), periods(), st.integers(min_value=0, max_value=5))
def test_the_higher_stack_level_wins(
    low: list[tuple[int, float]], high: list[tuple[int, float]], level: int
) -> None:
    """K01.FR.17 (§3.4): both valid all the time, the higher one leads."""
    a = _profile(1, Purpose.TX_DEFAULT, low, stack=level)
    b = _profile(2, Purpose.TX_DEFAULT, high, stack=level + 1, location=0)
    c = compose([b, a], 1, T, 2500)
    assert c == compose([b], 1, T, 2500)


@FAST
@given(periods(), periods())
def test_the_tx_profile_replaces_the_tx_default(
    default: list[tuple[int, float]], txp: list[tuple[int, float]]
) -> None:
    """§3.5: a TxProfile overrules the TxDefaultProfile, whatever the limits or levels."""
    d = _profile(1, Purpose.TX_DEFAULT, default, stack=3, location=0)
    x = _profile(2, Purpose.TX, txp, tx="tx-1")
    with_tx = compose([d, x], 1, T, 2500, transactions=TXS)
    assert with_tx == compose([x], 1, T, 2500, transactions=TXS)
    assert compose([d, x], 2, T, 2500, transactions=TXS) == compose([d], 2, T, 2500)
    assert compose([d, x], 1, T, 2500) == compose([d], 1, T, 2500)  # K08.FR.06


@FAST
@given(
    profiles(Purpose.TX_DEFAULT),
    st.integers(min_value=-300, max_value=1500),
    st.integers(min_value=1, max_value=900),
)
def test_outside_its_validity_a_profile_has_no_effect(p: Profile, lo: int, span: int) -> None:
    """K01.FR.36/37: valid from validFrom (inclusive) to validTo (exclusive)."""
    base = _profile(9, Purpose.MAX, [(0, 20.0)], location=0, start=T - 10_000)
    limited = replace(p, valid_from=T + lo, valid_to=T + lo + span)
    c = compose([base, limited], 1, T, 3000)
    without = compose([base], 1, T, 3000)
    for t in _probes(c) + _probes(without):
        if not T + lo <= t < T + lo + span:
            assert c.limit_at(t - T) == without.limit_at(t - T)


@FAST
@given(limits, st.sampled_from([1, 2, 3]))
def test_w_and_a_round_trip(limit: float, phases: int) -> None:
    """K01.FR.50/51: W = A x 230 V x phases and back."""
    w = to_unit(limit, "A", "W", phases, 230.0)
    assert math.isclose(to_unit(w, "W", "A", phases, 230.0), limit, abs_tol=1e-9)


@FAST
@given(st.lists(profiles(), min_size=1, max_size=4))
def test_the_composite_in_w_is_the_one_in_a(ps: list[Profile]) -> None:
    ps = [replace(p, id=i) for i, p in enumerate(ps)]
    amps = compose(ps, 1, T, 1500, "A", transactions=TXS)
    watts = compose(ps, 1, T, 1500, "W", transactions=TXS)
    assert compare(amps, watts).equal
    assert compare(watts, amps).equal


@FAST
@given(periods(), st.integers(min_value=0, max_value=86_399), st.integers(1, 5))
def test_a_daily_profile_repeats_after_24_hours(
    ps: list[tuple[int, float]], at: int, days: int
) -> None:
    p = _profile(1, Purpose.TX_DEFAULT, ps, kind="Recurring", recurrency="Daily", start=T)
    first = compose([p], 1, T + at, 3600)
    later = compose([p], 1, T + at + days * 86_400, 3600)
    assert _pairs(first) == _pairs(later)


# -- fixed examples --------------------------------------------------------------------------------
def _k41(shift: int) -> list[Profile]:
    """TC_K_41_CS: the three purposes, startSchedule ``shift`` s before the request."""
    start = T - shift
    return [
        _profile(1, Purpose.MAX, [(0, 10.0)], start=start, duration=86_400 + shift, location=0),
        _profile(
            2,
            Purpose.TX_DEFAULT,
            list(zip([0, 60, 120, 180, 260], [6.0, 10.0, 8.0, 15.0, 8.0], strict=True)),
            start=start,
            duration=300 + shift,
        ),
        _profile(
            3,
            Purpose.TX,
            list(zip([0, 50, 140, 200, 240], [8.0, 11.0, 16.0, 6.0, 12.0], strict=True)),
            start=start,
            duration=260 + shift,
            tx="tx-1",
        ),
    ]


def test_tc_k_41_combining_purposes() -> None:
    """The base expectation (8, 10 @50, 6 @200, 10 @240) and the errata's later periods."""
    c = compose(_k41(0), 1, T, 400, "A", transactions=TXS)
    assert _pairs(c) == [(0, 8), (50, 10), (200, 6), (240, 10), (260, 8), (300, 10)]
    sources = [tuple(r.id for r in row.sources) for row in explain(c)]
    assert sources == [(3,), (1,), (3,), (1,), (2,), (1,)]


def test_tc_k_41_as_everest_reproduced_it() -> None:
    """Max profile 86404 s, TxDefault 304 s, TxProfile 264 s from 4 s before the request:
    the TxProfile's boundaries move by x = 4, its end and the TxDefault's end stay put."""
    c = compose(_k41(4), 1, T, 400, "W", transactions=TXS)
    assert _pairs(c) == [(0, 5520), (46, 6900), (196, 4140), (236, 6900), (260, 5520), (300, 6900)]
    assert c.payload(V201)["chargingSchedulePeriod"][1] == {"startPeriod": 46, "limit": 6900.0}


def test_a_late_station_is_within_the_time_tolerance() -> None:
    expected = compose(_k41(0), 1, T, 400, transactions=TXS)
    late = compose(_k41(0), 1, T + 2, 400, transactions=TXS)
    result = compare(expected, late)
    assert result.offset_s == 2
    assert result.equal
    wrong = CompositeSchedule(1, T + 2, 400, "A", (Period(0, 8.0), Period(48, 11.0)))
    diffs = compare(expected, wrong).differences
    assert diffs[0].start == 48
    assert diffs[0].expected == 10
    assert diffs[0].actual == 11
    assert "ChargingStationMaxProfile" in str(diffs[0])


def test_rounding_within_the_precision_passes() -> None:
    expected = CompositeSchedule(1, T, 60, "W", (Period(0, 5520.0),))
    rounded = CompositeSchedule(1, T, 60, "A", (Period(0, 8.0),))
    assert compare(expected, rounded).equal
    assert not compare(expected, CompositeSchedule(1, T, 60, "A", (Period(0, 8.2),))).equal


def test_the_part2_daily_default_profile() -> None:
    """2.0.1 Part 2 §3.6: 11 kW at night, 6 kW from 08:00 to 20:00, every day."""
    start = parse_time("2013-01-01T00:00:00Z")
    assert start is not None
    p = _profile(
        100,
        Purpose.TX_DEFAULT,
        [(0, 11000.0), (28_800, 6000.0), (72_000, 11000.0)],
        start=start,
        duration=86_400,
        unit="W",
        kind="Recurring",
        recurrency="Daily",
    )
    at = parse_time("2024-06-05T07:00:00Z")
    assert at is not None
    c = compose([p], 1, at, 14 * 3600, "W")
    assert _pairs(c) == [(0, 11000), (3600, 6000), (13 * 3600, 11000)]


def _stacked() -> list[Profile]:
    """2.0.1 Part 2 §3.6.1: 2 kW 17:00-20:00 daily, no limit on Sundays or Christmas 2020
    (the example's 1080 s is read as the three hours its text describes)."""

    def at(text: str) -> float:
        value = parse_time(text)
        assert value is not None
        return value

    daily = _profile(
        10, Purpose.TX_DEFAULT, [(0, 2000.0)], start=at("2020-01-09T17:00:00"), duration=10_800,
        unit="W", kind="Recurring", recurrency="Daily", stack=1, location=0,
    )  # fmt: skip
    sunday = _profile(
        11, Purpose.TX_DEFAULT, [(0, 999_999.0)], start=at("2020-01-05T00:00:00"), duration=86_400,
        unit="W", kind="Recurring", recurrency="Weekly", stack=2, location=0,
    )  # fmt: skip
    christmas = _profile(
        12, Purpose.TX_DEFAULT, [(0, 999_999.0)], start=at("2020-12-25T00:00:00"), duration=86_400,
        unit="W", stack=3, location=0,
        valid=(at("2020-01-01T00:00:00"), at("2021-01-01T00:00:00")),
    )  # fmt: skip
    return [daily, sunday, christmas]


def test_the_part2_stacked_profiles() -> None:
    def window(day: str) -> list[tuple[int, float]]:
        start = parse_time(f"{day}T16:00:00Z")
        assert start is not None
        return _pairs(compose(_stacked(), 1, start, 5 * 3600, "W"))

    assert window("2020-01-15") == [(0, W_CEILING), (3600, 2000), (4 * 3600, W_CEILING)]
    assert window("2020-01-12") == [(0, 999_999)]  # a Sunday
    assert window("2020-12-25") == [(0, 999_999)]  # Christmas 2020, a Friday
    assert window("2021-12-24") == [(0, W_CEILING), (3600, 2000), (4 * 3600, W_CEILING)]


def test_a_relative_profile_starts_with_the_transaction() -> None:
    """2.0.1 §3.3 / 1.6 §3.13.2: Relative periods count from the transaction's start; without
    a transaction from now (K08.FR.06)."""
    p = _profile(5, Purpose.TX_DEFAULT, [(0, 6.0), (100, 12.0)], kind="Relative")
    assert _pairs(compose([p], 1, T, 300, transactions=TXS)) == [(0, 6), (70, 12)]
    assert _pairs(compose([p], 1, T, 300)) == [(0, 6), (100, 12)]


def test_evse_zero_reports_the_grid_connection() -> None:
    ps = _k41(0)
    assert _pairs(compose(ps, 0, T, 400, transactions=TXS)) == [(0, 10)]


def test_evse_zero_is_the_sum_of_the_evses_within_the_grid_limit() -> None:
    """K08.FR.03: for evseId 0 the station reports the total it expects to draw from the grid;
    the ChargingStationMaxProfile is the limit of all EVSEs combined (Part 2 §3.5). TxDefault
    6 A on EVSE 1 (16 A after 100 s) and 10 A on EVSE 2 draw 16 A, then 26 A capped by 20 A."""
    one = _profile(1, Purpose.TX_DEFAULT, [(0, 6.0), (100, 16.0)], location=1)
    two = _profile(2, Purpose.TX_DEFAULT, [(0, 10.0)], location=2)
    cap = _profile(3, Purpose.MAX, [(0, 20.0)], location=0)
    total = compose([one, two, cap], 0, T, 300, evses=(1, 2))
    assert _pairs(total) == [(0, 16.0), (100, 20.0)]
    assert [sorted(r.id for r in x.sources) for x in explain(total)] == [[1, 2], [3]]
    low = replace(cap, schedule=replace(cap.schedule, periods=(Period(0, 12.0),)))
    assert _pairs(compose([one, two, low], 0, T, 300, evses=(1, 2))) == [(0, 12.0)]
    # without the EVSEs, the grid connection's limit alone (the former reading)
    assert _pairs(compose([one, two, cap], 0, T, 300)) == [(0, 20.0)]
    # nothing installed: every EVSE at the station's ceiling, capped by it (TC_K_39_CS)
    assert _pairs(compose([], 0, T, 300, evses=(1, 2))) == [(0, 32.0)]


@FAST
@given(st.lists(profiles(), min_size=1, max_size=4), st.integers(min_value=1, max_value=600))
def test_evse_zero_never_exceeds_the_grid_nor_the_sum(ps: list[Profile], duration: int) -> None:
    """K08.FR.03/04: at every moment the composite of EVSE 0 is the lower of the grid
    connection's limit and the sum of the EVSEs' composites."""
    ps = [replace(p, id=i) for i, p in enumerate(ps)]
    total = compose(ps, 0, T, duration, evses=(1, 2))
    grid = compose(ps, 0, T, duration)
    each = [compose(ps, e, T, duration) for e in (1, 2)]

    def at(c: CompositeSchedule, offset: float) -> float:
        return max((p for p in c.periods if p.start <= offset), key=lambda p: p.start).limit

    for t in _probes(total):
        summed = round(sum(at(c, t - T) for c in each), 1)
        assert at(total, t - T) == min(at(grid, t - T), summed)


def test_the_16_dialect_parses_and_writes_its_own_names() -> None:
    raw = {
        "chargingProfileId": 7,
        "stackLevel": 1,
        "chargingProfilePurpose": "ChargePointMaxProfile",
        "chargingProfileKind": "Absolute",
        "chargingSchedule": {
            "startSchedule": "2023-11-14T22:13:20Z",
            "chargingRateUnit": "A",
            "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16}],
        },
    }
    p = Profile.from_payload(raw, 0, V16)
    assert p.purpose is Purpose.MAX
    assert p.schedule.start == T
    c = compose([p], 1, T, 60)
    body = c.payload(V16)
    assert body["connectorId"] == 1
    assert body["chargingSchedule"]["chargingSchedulePeriod"] == [{"startPeriod": 0, "limit": 16.0}]
    assert CompositeSchedule.from_payload(body, V16) == c
    assert CompositeSchedule.from_payload(c.payload(V201)) == c


def test_16_a_connector_default_replaces_the_connector_0_default() -> None:
    """1.6 §3.13.1: on its connector the own TxDefaultProfile replaces connector 0's, whatever
    the stack levels; 2.x stacks them (K01.FR.17)."""
    station = _profile(1, Purpose.TX_DEFAULT, [(0, 6.0)], stack=5, location=0)
    own = _profile(2, Purpose.TX_DEFAULT, [(0, 16.0)], stack=1, location=1)
    assert _pairs(compose([station, own], 1, T, 60, dialect=V16)) == [(0, 16)]
    assert _pairs(compose([station, own], 2, T, 60, dialect=V16)) == [(0, 6)]
    assert _pairs(compose([station, own], 1, T, 60)) == [(0, 6)]


def test_a_recurring_schedule_shorter_than_its_day_falls_back() -> None:
    """K01.FR.13 and the 1.6 errata to §3.13.2: after the duration the lower stack level leads;
    periods past the recurrence are not executed (K01.FR.11)."""
    base = _profile(1, Purpose.TX_DEFAULT, [(0, 10.0)], stack=0)
    daily = _profile(
        2, Purpose.TX_DEFAULT, [(0, 6.0), (90_000, 1.0)], stack=1, duration=100_000,
        kind="Recurring", recurrency="Daily",
    )  # fmt: skip
    assert _pairs(compose([base, daily], 1, T + 86_400, 86_400)) == [(0, 6)]
    short = replace(daily, schedule=replace(daily.schedule, duration=3600))
    assert _pairs(compose([base, short], 1, T + 86_400, 7200)) == [(0, 6), (3600, 10)]


@FAST
@given(
    st.lists(profiles(), min_size=1, max_size=4),
    st.data(),
    st.sampled_from([-0.3, 0.2, 1.0]),
)
def test_compare_finds_a_changed_period(
    ps: list[Profile], data: st.DataObject, delta: float
) -> None:
    """A limit off by more than the precision is reported at its period, with the offset."""
    ps = [replace(p, id=i) for i, p in enumerate(ps)]
    expected = compose(ps, 1, T, 1500, transactions=TXS)
    shift = data.draw(st.integers(min_value=0, max_value=2))
    reported = compose(ps, 1, T + shift, 1500, transactions=TXS)
    assert compare(expected, reported).equal
    i = data.draw(st.integers(min_value=0, max_value=len(reported.periods) - 1))
    changed = list(reported.periods)
    changed[i] = replace(changed[i], limit=changed[i].limit + delta)
    result = compare(expected, replace(reported, periods=tuple(changed)))
    assert result.offset_s == shift
    assert [d.start for d in result.differences][:1] == [changed[i].start]
    assert result.lines()[1].startswith(f"{changed[i].start}-")
