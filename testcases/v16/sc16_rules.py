"""The OCPP 1.6 rules a Central System's charging profiles must keep (1.6 §3.13, §5.16, §6.43,
§7.8, §7.13, §7.14 with the errata sheet v4), checked by the harness charge point on every
profile the Central System under test sends (SetChargingProfile.req, the chargingProfile of a
RemoteStartTransaction.req), beyond the schema the peer checks anyway (the 1.6 schema puts no
minimum on stackLevel and no order on the periods). A rule with SHALL/MUST strength FAILs the
case; what the text leaves at MAY or only implies is a spec-axis warning.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any

from harness import StationPeer
from harness.checks import require, should
from harness.smart_charging import parse_time

TX = "TxProfile"
TX_DEFAULT = "TxDefaultProfile"
MAX = "ChargePointMaxProfile"


def _when(value: Any) -> float | None:
    return parse_time(value) if isinstance(value, str) else None


def check_profile16(
    station: StationPeer,
    profile: Mapping[str, Any],
    *,
    connector: int | None,
    running: Mapping[int, int] | None = None,
    frames: str = "",
) -> None:
    """Every 1.6 rule ``profile`` must keep. ``connector`` None: it came in a
    RemoteStartTransaction.req (no transaction yet); ``running``: connectorId -> transactionId of
    the transactions the harness charge point has open."""
    running = running or {}
    purpose = profile.get("chargingProfilePurpose")

    def rule(ok: bool, req: str, expected: str, actual: Any) -> None:
        require(ok, req=req, expected=expected, actual=repr(actual), frames=frames)

    level = profile.get("stackLevel")
    rule(
        isinstance(level, int) and level >= 0,
        "1.6 §7.8: stackLevel is an integer >= 0 (0 is the lowest level)",
        "stackLevel >= 0",
        level,
    )
    tx_id = profile.get("transactionId")
    if connector is None:
        rule(
            purpose == TX,
            "1.6 §5.16.2: the chargingProfile of a remote start is a TxProfile (MUST)",
            TX,
            purpose,
        )
        rule(
            tx_id is None,
            "1.6 §5.16.2 (errata 3.41): no transactionId in the chargingProfile of a remote start",
            "no transactionId",
            tx_id,
        )
    elif purpose == TX:
        rule(
            connector > 0,
            "1.6 §3.13.1: a TxProfile only on a connectorId > 0",
            "connectorId > 0",
            connector,
        )
        rule(
            connector in running,
            "1.6 §5.16.4: a TxProfile only with an active transaction on the connector",
            f"a transaction on connector {connector}",
            "none",
        )
        if should(
            station,
            tx_id is not None,
            req="1.6 §7.8: a TxProfile names its transactionId (MAY; it matches the transaction)",
            expected=f"transactionId {running[connector]}",
            actual="none",
        ):
            rule(
                tx_id == running[connector],
                "1.6 §3.13.1: the transactionId of the connector's transaction (else the charge "
                "point SHALL discard the profile)",
                f"transactionId {running[connector]}",
                tx_id,
            )
    else:
        rule(
            tx_id is None,
            "1.6 §7.8: transactionId only with chargingProfilePurpose TxProfile",
            "no transactionId",
            tx_id,
        )
    if purpose == MAX:
        rule(
            connector == 0,
            "1.6 §3.13.1: a ChargePointMaxProfile only on connectorId 0",
            "connectorId 0",
            connector,
        )
    kind = profile.get("chargingProfileKind")
    rule(
        "recurrencyKind" not in profile or kind == "Recurring",
        "1.6 errata 3.56: recurrencyKind only with chargingProfileKind Recurring",
        f"no recurrencyKind for kind {kind}",
        profile.get("recurrencyKind"),
    )
    should(
        station,
        kind != "Recurring" or "recurrencyKind" in profile,
        req="1.6 §7.8: a Recurring profile says when it recurs (recurrencyKind)",
        expected="recurrencyKind Daily or Weekly",
        actual="none",
    )
    start, end = _when(profile.get("validFrom")), _when(profile.get("validTo"))
    should(
        station,
        start is None or end is None or start < end,
        req="1.6 §7.8: validFrom before validTo (else the profile is never valid)",
        expected="validFrom < validTo",
        actual=f"{profile.get('validFrom')} .. {profile.get('validTo')}",
    )
    schedule = profile.get("chargingSchedule") or {}
    check_schedule16(station, schedule, kind, frames)


def check_schedule16(
    station: StationPeer, schedule: Mapping[str, Any], kind: Any, frames: str = ""
) -> None:
    """The periods start at 0 (errata 3.45) and follow each other (§7.14: a startPeriod ends
    the previous period, so they increase); an Absolute or Recurring schedule has a
    startSchedule and a Relative one none (§7.9, §7.13: warnings), periods after the duration
    are never executed (warning)."""
    periods = schedule.get("chargingSchedulePeriod") or []
    starts = [p.get("startPeriod") for p in periods if isinstance(p, Mapping)]
    require(
        bool(starts) and starts[0] == 0,
        req="1.6 errata 3.45: the startPeriod of the first ChargingSchedulePeriod SHALL be 0",
        expected="startPeriod 0 first",
        actual=repr(starts),
        frames=frames,
    )
    require(
        all(
            isinstance(a, int) and isinstance(b, int) and a < b
            for a, b in itertools.pairwise(starts)
        ),
        req="1.6 §7.14: each startPeriod ends the previous period (periods in increasing "
        "startPeriod order)",
        expected="increasing startPeriods",
        actual=repr(starts),
        frames=frames,
    )
    has_start = "startSchedule" in schedule
    should(
        station,
        has_start if kind in ("Absolute", "Recurring") else not has_start,
        req="1.6 §7.9, §7.13: startSchedule fixes an Absolute or Recurring schedule; a Relative "
        "one starts with the transaction",
        expected="a startSchedule" if kind != "Relative" else "no startSchedule",
        actual=repr(schedule.get("startSchedule")),
    )
    duration = schedule.get("duration")
    should(
        station,
        not isinstance(duration, int)
        or all(s < duration for s in starts if isinstance(s, int) and math.isfinite(s)),
        req="1.6 §7.13: periods starting at or after the duration are never executed",
        expected=f"every startPeriod below the duration {duration}",
        actual=repr(starts),
    )
