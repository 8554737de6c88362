"""The rules of OCPP 2.0.1 Part 2 block K a CSMS's charging profiles must keep, checked by the
harness station on every profile the CSMS under test sends (SetChargingProfileRequest, the
chargingProfile of a RequestStartTransactionRequest), beyond the schema the peer checks anyway.
The errata 2025-04 of the TC_K_xx_CSMS cases (6.3.13) asks every received profile to comply with
Part 2; each check below cites the requirement it FAILs on, a SHOULD-strength rule is a warning.

:class:`Installed` keeps what the harness station accepted during one case, so that a later
profile can be held against the earlier ones (K01.FR.06 and K01.FR.39: no second profile in a
stack level's slot under another id).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from harness import StationPeer
from harness.checks import require, should
from harness.smart_charging import parse_time

TX = "TxProfile"
TX_DEFAULT = "TxDefaultProfile"
MAX = "ChargingStationMaxProfile"
EXTERNAL = "ChargingStationExternalConstraints"
#: The OCA tool validation (errata 2025-04 6.3.13) that asks for recurrencyKind iff Recurring.
RECURRENCY_RULE = "errata 2025-04 TC_K_xx_CSMS: recurrencyKind given iff the kind is Recurring"


def _window(profile: Mapping[str, Any]) -> tuple[float, float]:
    """The profile's validity [validFrom, validTo) in POSIX seconds (open ends infinite)."""
    start = profile.get("validFrom")
    end = profile.get("validTo")
    begins = parse_time(start) if isinstance(start, str) else None
    ends = parse_time(end) if isinstance(end, str) else None
    return (-math.inf if begins is None else begins, math.inf if ends is None else ends)


@dataclass
class Installed:
    """The profiles the harness station accepted in this case: id -> (evseId, profile)."""

    profiles: dict[int, tuple[int, dict[str, Any]]] = field(default_factory=dict)

    def install(self, evse_id: int, profile: Mapping[str, Any]) -> None:
        """K01.FR.05: a known id replaces the profile."""
        self.profiles[int(profile["id"])] = (evse_id, dict(profile))

    def clash(self, evse_id: int, profile: Mapping[str, Any]) -> dict[str, Any] | None:
        """Another installed profile (other id) in ``profile``'s slot: same stackLevel and
        purpose on the same EVSE with an overlapping validity (K01.FR.06), or for a TxProfile the
        same stackLevel and transactionId (K01.FR.39)."""
        start, end = _window(profile)
        for pid, (where, other) in self.profiles.items():
            if pid == profile.get("id") or other.get("stackLevel") != profile.get("stackLevel"):
                continue
            purpose = profile.get("chargingProfilePurpose")
            if other.get("chargingProfilePurpose") != purpose:
                continue
            if purpose == TX:
                if other.get("transactionId") == profile.get("transactionId"):
                    return other
                continue
            other_start, other_end = _window(other)
            if where == evse_id and start < other_end and other_start < end:
                return other
        return None


def check_profile(
    station: StationPeer,
    profile: Mapping[str, Any],
    *,
    evse_id: int | None,
    running: Collection[str] = (),
    installed: Installed | None = None,
    frames: str = "",
) -> None:
    """Every Part 2 rule a CSMS's ``profile`` must keep. ``evse_id`` None: the profile came in a
    RequestStartTransactionRequest (no transaction yet); ``running``: the transactionIds the
    harness station has open; ``installed``: what it accepted before in this case."""
    purpose = profile.get("chargingProfilePurpose")
    kind = profile.get("chargingProfileKind")
    schedules = profile.get("chargingSchedule") or []

    def rule(ok: bool, req: str, expected: str, actual: Any) -> None:
        require(ok, req=req, expected=expected, actual=repr(actual), frames=frames)

    rule(
        len(schedules) == 1,
        "K01.FR.34: one chargingSchedule (no ISO 15118 session)",
        "exactly one chargingSchedule",
        f"{len(schedules)} schedules",
    )
    level = profile.get("stackLevel")
    rule(
        isinstance(level, int) and level >= 0,
        "2.0.1 §2.10: stackLevel is 0 or more (0 is the lowest level)",
        "stackLevel >= 0",
        level,
    )
    rule(
        purpose != EXTERNAL,
        "K01.FR.22: the CSMS does not set a ChargingStationExternalConstraints profile",
        "TxDefaultProfile, TxProfile or ChargingStationMaxProfile",
        purpose,
    )
    if evse_id is None:
        rule(purpose == TX, "K05.FR.02: the profile of a remote start is a TxProfile", TX, purpose)
        rule(
            "transactionId" not in profile,
            "2.0.1 §2.10: transactionId only in a SetChargingProfileRequest (TC_K_37_CSMS)",
            "no transactionId in RequestStartTransaction's chargingProfile",
            profile.get("transactionId"),
        )
    elif purpose == TX:
        rule(evse_id > 0, "K01.FR.16: a TxProfile only on an EVSE > 0", "evseId > 0", evse_id)
        tx_id = profile.get("transactionId")
        rule(tx_id is not None, "K01.FR.03: a TxProfile carries the transactionId", "one", None)
        rule(
            tx_id in running,
            "K01.FR.03: the transactionId of the running transaction",
            f"one of {sorted(running)}",
            tx_id,
        )
    else:
        rule(
            "transactionId" not in profile,
            "2.0.1 §2.10: transactionId only with purpose TxProfile",
            "no transactionId",
            profile.get("transactionId"),
        )
    if evse_id is not None and purpose == MAX:
        rule(
            evse_id == 0,
            "K04.FR.03: a ChargingStationMaxProfile only on EVSE 0",
            "evseId 0",
            evse_id,
        )
    if purpose == MAX:
        rule(
            kind != "Relative",
            "K01.FR.38: a ChargingStationMaxProfile is not Relative",
            "Absolute or Recurring",
            kind,
        )
    rule(
        ("recurrencyKind" in profile) == (kind == "Recurring"),
        RECURRENCY_RULE,
        f"recurrencyKind {'given' if kind == 'Recurring' else 'omitted'} for kind {kind}",
        profile.get("recurrencyKind"),
    )
    start, end = _window(profile)
    rule(
        start < end,
        "K01.FR.36/37: validFrom before validTo (else the profile is never valid)",
        "validFrom < validTo",
        f"{profile.get('validFrom')} .. {profile.get('validTo')}",
    )
    for schedule in schedules:
        _check_schedule(station, schedule, kind, frames)
    if installed is None or evse_id is None:
        return
    other = installed.clash(evse_id, profile)
    found = None if other is None else f"id {profile.get('id')} next to installed id {other['id']}"
    expected = "the same id as the installed profile of that stack level (a replacement)"
    if purpose == TX:
        rule(
            other is None,
            "K01.FR.39: no second TxProfile with this stackLevel and transactionId",
            expected,
            found,
        )
    else:
        rule(
            other is None,
            "K01.FR.06: no second profile with this stackLevel, purpose and EVSE",
            expected,
            found,
        )


def _check_schedule(
    station: StationPeer, schedule: Mapping[str, Any], kind: Any, frames: str
) -> None:
    """startSchedule per kind (K01.FR.40/41), periods from 0 in increasing order (K01.FR.31/35),
    phaseToUse (K01.FR.19/20); limits with one decimal and periods within the duration are
    warnings (§2.11 description, K01.FR.11 is the station's rule)."""
    has_start = "startSchedule" in schedule
    if kind in ("Absolute", "Recurring"):
        require(
            has_start,
            req="K01.FR.40: an Absolute or Recurring profile has a startSchedule",
            expected="startSchedule",
            actual="none",
            frames=frames,
        )
    elif kind == "Relative":
        require(
            not has_start,
            req="K01.FR.41: a Relative profile has no startSchedule",
            expected="no startSchedule",
            actual=repr(schedule.get("startSchedule")),
            frames=frames,
        )
    periods = schedule.get("chargingSchedulePeriod") or []
    starts = [p.get("startPeriod") for p in periods]
    require(
        bool(starts) and starts[0] == 0,
        req="K01.FR.31: the first startPeriod is 0",
        expected="startPeriod 0 first",
        actual=repr(starts),
        frames=frames,
    )
    require(
        all(a < b for a, b in itertools.pairwise(starts)),
        req="K01.FR.35: periods in increasing startPeriod order",
        expected="increasing startPeriods",
        actual=repr(starts),
        frames=frames,
    )
    for period in periods:
        if "phaseToUse" in period:
            require(
                period.get("numberPhases") == 1,
                req="K01.FR.19: phaseToUse only with numberPhases 1",
                expected="numberPhases 1",
                actual=repr(period.get("numberPhases")),
                frames=frames,
            )
            require(
                False,
                req="K01.FR.20: no phaseToUse for an EVSE without ACPhaseSwitchingSupported",
                expected="no phaseToUse (the harness station does not switch phases)",
                actual=repr(period["phaseToUse"]),
                frames=frames,
            )
        value = period.get("limit")
        should(
            station,
            isinstance(value, int | float) and round(value, 1) == value,
            req="2.0.1 §2.11: a limit has at most one decimal",
            expected="at most one digit after the point",
            actual=repr(value),
        )
    duration = schedule.get("duration")
    should(
        station,
        duration is None or all(s < duration for s in starts if isinstance(s, int)),
        req="K01.FR.11: periods starting at or after the duration are never executed",
        expected=f"every startPeriod below the duration {duration}",
        actual=repr(starts),
    )
