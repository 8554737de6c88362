"""OCA block K (smart charging) of the reference station, OCPP 2.0.1/2.1.

* SetChargingProfile (K01): Rejected for an unknown EVSE (K01.FR.28), a rate unit the station
  does not support (K01.FR.26), a ChargingStationMaxProfile off EVSE 0 or Relative (§3.2,
  K01.FR.38), a TxProfile on EVSE 0 (K01.FR.16) or without a transaction on its EVSE (K01.FR.09)
  or for an unknown transactionId (K01.FR.33), ChargingStationExternalConstraints (K01.FR.22),
  a TxDefaultProfile whose stackLevel is taken on EVSE 0 / a specific EVSE by another id
  (K01.FR.52/53), a first period not at 0 or periods not ascending (K01.FR.31/35), a
  phaseToUse (K01.FR.48: the reference cannot switch phases). A profile
  with a known id replaces it (K01.FR.05), as does one with the same stackLevel, purpose and EVSE
  (K01.FR.06, the station keeps one per combination).
* ClearChargingProfile (K10): by id (K10.FR.03) or by criteria as a logical AND (K10.FR.04);
  Unknown when nothing matches (K10.FR.01).
* GetChargingProfiles (K09): NoProfiles when nothing matches, else Accepted and one
  ReportChargingProfiles per EVSE with the requestId (K09.FR.01) and tbc on all but the last
  (K09.FR.02); evseId 0 reports the station's own profiles only (K09.FR.05).
* GetCompositeSchedule (K08): the :mod:`harness.smart_charging` oracle's schedule from the
  moment of receipt (K08.FR.02); Rejected for an unknown EVSE (K08.FR.05) or unit (K08.FR.07).
  Legal variants (:mod:`harness.reference.variants_sc`): W only, limits rounded.
* RequestStartTransaction with a chargingProfile (K05): once Accepted and the transaction has
  begun, the profile is that transaction's TxProfile (K05.FR.03).
* Profiles stay over a reboot (K01.FR.27: this object outlives a power cycle); a TxProfile goes
  with its transaction (§3.2). The simulated EV draws at most the composite limit: each
  connector's meter asks :meth:`BlockK.energy_wh` (K01.FR.02: the limit schedule is used).

Its faults (:mod:`harness.reference.faults_k`) change what the station computes, and so both
what it reports and what it delivers.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from harness.reference.station.devmodel import Variable
from harness.reference.station.model import CHARGING_POWER_W, Outgoing, Payload, Reply
from harness.reference.variants_sc import reported
from harness.smart_charging import (
    V201,
    CompositeSchedule,
    Period,
    Profile,
    Purpose,
    TxState,
    compose,
)

if TYPE_CHECKING:
    from harness.reference.station.v2 import V2

#: ChargingScheduleChargingRateUnit of the reference station (K01.FR.26, K08.FR.07).
RATE_UNITS = frozenset({"A", "W"})
#: The reference's nominal line voltage (K01.FR.50).
VOLTAGE_V = 230.0


def variables(units: frozenset[str] = RATE_UNITS) -> list[Variable]:
    """The SmartChargingCtrlr variables (2.0.1 Part 2 §2.6 smart charging; the OCA's
    prerequisites and K01.FR.26/K08.FR.07 read them): enabled and available, the rate units,
    the limits this station declares and LimitChangeSignificance (settable)."""
    ro = "ReadOnly"
    return [
        Variable("SmartChargingCtrlr", "Enabled", "boolean", "true", ro),
        Variable("SmartChargingCtrlr", "Available", "boolean", "true", ro),
        Variable(
            "SmartChargingCtrlr",
            "ChargingScheduleChargingRateUnit",
            "MemberList",
            ",".join(sorted(units)),
            ro,
            values_list="A,W",
        ),
        Variable("SmartChargingCtrlr", "PeriodsPerSchedule", "integer", "24", ro),
        Variable("SmartChargingCtrlr", "ChargingProfileMaxStackLevel", "integer", "10", ro),
        Variable("SmartChargingCtrlr", "LimitChangeSignificance", "decimal", "1.0"),
    ]


class BlockK:
    """Installed charging profiles and the four block K requests of the reference station."""

    def __init__(self, v2: V2, units: frozenset[str] = RATE_UNITS) -> None:
        self.v2 = v2
        self.st = v2.st
        self.units = units
        #: Installed profiles by id, with the chargingProfile as received (K09 reports it).
        self.profiles: dict[int, tuple[Profile, Payload]] = {}
        self._order: dict[int, int] = {}  # installation order (the stack-level fault)
        self._pending: dict[int, Payload] = {}  # K05: remote start profiles, by EVSE
        self._installed_at: dict[int, float] = {}  # when (the sc-txdefault-not-switched fault)
        for c in self.st.hardware.connectors():
            c.meter.energy_wh = partial(self.energy_wh, c.evse_id)

    def handlers(
        self, current: dict[str, Callable[[Payload], Reply]]
    ) -> dict[str, Callable[[Payload], Reply]]:
        """Block K's requests, and RequestStartTransaction of ``current`` wrapped (K05)."""
        start = current["RequestStartTransaction"]

        def start_with_profile(p: Payload) -> Reply:
            """K05: the chargingProfile of an Accepted remote start becomes the TxProfile of
            the transaction it starts (K05.FR.03), once that transaction exists."""
            raw = p.get("chargingProfile")
            reply = start(p)
            if raw is None or reply.payload.get("status") != "Accepted":
                return reply
            if "sc-remote-start-profile-rejected" in self.st.faults:
                return Reply({"status": "Rejected"})  # the fault: K05 broken
            if "sc-remote-start-profile-dropped" not in self.st.faults:
                self._pending[int(p.get("evseId", 1))] = raw
            return reply

        return {
            "RequestStartTransaction": start_with_profile,
            "SetChargingProfile": self.set_profile,
            "ClearChargingProfile": self.clear_profile,
            "GetChargingProfiles": self.get_profiles,
            "GetCompositeSchedule": self.composite_request,
        }

    # -- state ------------------------------------------------------------------------------------
    def transactions(self) -> dict[int, TxState]:
        return {evse: TxState(evse, tx.key, tx.started) for evse, tx in self.v2.txe.tx.items()}

    def _prune(self) -> None:
        """§3.2: a TxProfile holds for its transaction only; it goes when that ends."""
        for evse_id, raw in list(self._pending.items()):
            tx = self.v2.txe.tx.get(evse_id)
            if tx is not None:  # K05.FR.03: the remote start's transaction has begun
                del self._pending[evse_id]
                profile = Profile.from_payload(raw, evse_id, V201)
                profile = dataclasses.replace(profile, transaction_id=tx.key)
                self.profiles[profile.id] = (profile, raw)
                self._order[profile.id] = len(self._order)
        running = {tx.key for tx in self.v2.txe.tx.values()}
        for pid, (profile, _) in list(self.profiles.items()):
            if profile.purpose is Purpose.TX and profile.transaction_id not in running:
                del self.profiles[pid]

    def installed(self) -> list[Profile]:
        self._prune()
        return [p for p, _ in self.profiles.values()]

    # -- K01 SetChargingProfile --------------------------------------------------------------------
    def set_profile(self, p: Payload) -> Reply:
        evse_id, raw = int(p["evseId"]), p["chargingProfile"]
        self._prune()
        reason = self._refusal(evse_id, raw)
        if reason is not None:
            return Reply({"status": "Rejected", "statusInfo": {"reasonCode": reason}})
        profile = Profile.from_payload(raw, evse_id, V201)
        tx = self.v2.txe.tx.get(evse_id)
        if profile.purpose is Purpose.TX and profile.transaction_id is None and tx is not None:
            profile = dataclasses.replace(profile, transaction_id=tx.key)  # its EVSE's
        for pid, (old, _) in list(self.profiles.items()):
            same_slot = (old.purpose, old.stack_level, old.location) == (
                profile.purpose,
                profile.stack_level,
                profile.location,
            ) and (
                profile.purpose is not Purpose.TX or old.transaction_id == profile.transaction_id
            )
            if pid == profile.id and "sc-replace-keeps-old" in self.st.faults:
                return Reply({"status": "Accepted"})  # the fault: K01.FR.05 broken
            if pid == profile.id or same_slot:  # K01.FR.05 / K01.FR.06
                del self.profiles[pid]
        self.profiles[profile.id] = (profile, raw)
        self._order[profile.id] = len(self._order)
        self._installed_at[profile.id] = time.time()
        return Reply({"status": "Accepted"})

    def _refusal(self, evse_id: int, raw: Payload) -> str | None:
        """Why a SetChargingProfile is Rejected (reasonCode), or None (module doc)."""
        faults = self.st.faults
        purpose, kind = raw["chargingProfilePurpose"], raw["chargingProfileKind"]
        schedules = raw["chargingSchedule"]
        unknown = evse_id != 0 and evse_id not in self.st.hardware.evses
        if unknown and "sc-unknown-evse-accepted" not in faults:
            return "UnknownEvse"  # K01.FR.28
        units = {"A", "W"} if "sc-unsupported-unit-accepted" in faults else self.units
        if len(schedules) != 1 or any(s["chargingRateUnit"] not in units for s in schedules):
            return "UnsupportedParam"  # K01.FR.34 / K01.FR.26
        starts = [int(x["startPeriod"]) for x in schedules[0]["chargingSchedulePeriod"]]
        if starts[0] != 0 or starts != sorted(set(starts)):
            return "InvalidSchedule"  # K01.FR.31 / K01.FR.35
        if any("phaseToUse" in x for x in schedules[0]["chargingSchedulePeriod"]):
            return "UnsupportedParam"  # K01.FR.48: no ACPhaseSwitchingSupported
        if purpose == Purpose.EXTERNAL:
            return "InvalidProfile"  # K01.FR.22
        if purpose == Purpose.MAX and (evse_id != 0 or kind == "Relative"):
            return "InvalidProfile"  # §3.2 / K01.FR.38
        if kind == "Recurring" and "sc-recurring-rejected" in faults:
            return "UnsupportedParam"  # the fault: K01.FR.40 broken
        if purpose == Purpose.TX:
            if "sc-txprofile-rejected" in faults:
                return "InvalidProfile"  # the fault: K01.FR.04 broken
            if evse_id == 0:  # K01.FR.16 (the fault accepts it)
                return None if "sc-txprofile-on-station" in faults else "InvalidProfile"
            tx = self.v2.txe.tx.get(evse_id)
            if tx is None and "sc-txprofile-without-transaction" not in faults:
                return "TxNotFound"  # K01.FR.09
            other = tx is not None and raw.get("transactionId", tx.key) != tx.key
            if other and "sc-unknown-transaction-accepted" not in faults:
                return "TxNotFound"  # K01.FR.33
        if purpose == Purpose.TX_DEFAULT:
            for old, _ in self.profiles.values():
                clash = (
                    old.purpose is Purpose.TX_DEFAULT
                    and old.stack_level == raw["stackLevel"]
                    and old.id != raw["id"]
                    and (old.location == 0) != (evse_id == 0)
                )
                if clash:
                    return "DuplicateProfile"  # K01.FR.52 / K01.FR.53
        return None

    def power_lost(self) -> None:
        """A power cycle: the profiles stay (K01.FR.27), unless the fault forgets them."""
        if "sc-profiles-lost-on-reboot" in self.st.faults:
            self.profiles.clear()

    # -- K10 ClearChargingProfile ------------------------------------------------------------------
    def clear_profile(self, p: Payload) -> Reply:
        self._prune()
        criteria = p.get("chargingProfileCriteria") or {}
        wanted = p.get("chargingProfileId")

        def matches(profile: Profile) -> bool:
            if profile.purpose is Purpose.EXTERNAL:
                return False  # K10.FR.08/09: never cleared by the CSMS
            if wanted is not None:
                return bool(profile.id == wanted)  # K10.FR.03
            return bool(  # K10.FR.04: every given field, as a logical AND
                criteria.get("evseId", profile.location) == profile.location
                and criteria.get("chargingProfilePurpose", profile.purpose.value)
                == profile.purpose.value
                and criteria.get("stackLevel", profile.stack_level) == profile.stack_level
            )

        gone = [pid for pid, (profile, _) in self.profiles.items() if matches(profile)]
        if "sc-clear-first-match-only" in self.st.faults:
            gone = gone[:1]  # the fault: K10.FR.04 broken
        if "sc-clear-keeps-profile" not in self.st.faults:
            for pid in gone:
                del self.profiles[pid]
        if "sc-clear-always-accepted" in self.st.faults:
            return Reply({"status": "Accepted"})  # the fault: K10.FR.01 broken
        return Reply({"status": "Accepted" if gone else "Unknown"})  # K10.FR.01

    # -- K09 GetChargingProfiles -------------------------------------------------------------------
    def get_profiles(self, p: Payload) -> Reply:
        self._prune()
        crit = p["chargingProfile"]
        if "sc-get-ignores-criteria" in self.st.faults:
            crit = {}  # the fault: K09.FR.04 broken (the evseId still counts)
        evse = p.get("evseId")
        ids = crit.get("chargingProfileId")
        sources = crit.get("chargingLimitSource")
        found: dict[int, list[Payload]] = {}
        if "sc-get-ignores-evse" in self.st.faults:
            evse = None  # the fault: K09.FR.04/05 broken
        for profile, raw in self.profiles.values():
            if evse is not None and profile.location != evse:
                continue  # K09.FR.04/05 (K09.FR.06: no evseId, all of them)
            if ids is not None and profile.id not in ids:
                continue
            if sources is not None and "CSO" not in sources:
                continue  # every profile the reference holds came from the CSMS
            if crit.get("chargingProfilePurpose", profile.purpose.value) != profile.purpose.value:
                continue
            if crit.get("stackLevel", profile.stack_level) != profile.stack_level:
                continue
            found.setdefault(profile.location, []).append(raw)
        if not found:
            return Reply({"status": "NoProfiles"})
        request_id = p["requestId"]

        def report() -> None:
            groups = sorted(found.items())
            for n, (location, raws) in enumerate(groups):
                payload: Payload = {
                    "requestId": request_id + ("sc-report-wrong-request-id" in self.st.faults),
                    # K09.FR.01 (the fault reports another requestId)
                    "chargingLimitSource": "CSO",
                    "tbc": n < len(groups) - 1
                    or "sc-report-tbc-never-false" in self.st.faults,  # K09.FR.02
                    "evseId": location,
                    "chargingProfile": raws,
                }
                self.st.send(Outgoing.fixed("ReportChargingProfiles", payload, pre_boot=True))

        return Reply({"status": "Accepted"}, then=report)

    # -- K08 GetCompositeSchedule ------------------------------------------------------------------
    def composite_request(self, p: Payload) -> Reply:
        evse_id, unit = int(p["evseId"]), p.get("chargingRateUnit", "A")
        faults = self.st.faults
        unknown = evse_id != 0 and evse_id not in self.st.hardware.evses
        if unknown and "sc-composite-unknown-evse-accepted" not in faults:
            return Reply({"status": "Rejected"})  # K08.FR.05
        if unit not in self.units and "sc-unsupported-unit-accepted" not in faults:
            return Reply({"status": "Rejected"})  # K08.FR.07
        if not self.installed() and "sc-composite-empty-rejected" in faults:
            return Reply({"status": "Rejected"})  # the fault: K08.FR.02 broken
        start = float(int(time.time()))  # K08.FR.02: from receipt, whole seconds
        schedule = reported(
            self.composite(evse_id, start, int(p["duration"]), unit), self.st.variants
        )
        return Reply({"status": "Accepted", "schedule": schedule.payload(V201)})

    def composite(self, evse_id: int, start: float, duration: int, unit: str) -> CompositeSchedule:
        """The station's composite schedule (the oracle's, unless a fault changes it)."""
        faults = self.st.faults
        profiles = self.installed()
        if "sc-ignores-stack-level" in faults:  # K01.FR.17 broken: the first installed wins
            profiles = [
                dataclasses.replace(p, stack_level=-self._order.get(p.id, 0)) for p in profiles
            ]
        if "sc-ignores-valid-to" in faults:  # K01.FR.37 broken
            profiles = [dataclasses.replace(p, valid_to=None) for p in profiles]
        if "sc-ignores-valid-from" in faults:  # K01.FR.36 broken
            profiles = [dataclasses.replace(p, valid_from=None) for p in profiles]
        if "sc-ignores-start-schedule" in faults:  # K01.FR.30 broken: from the window's start
            profiles = [
                dataclasses.replace(p, schedule=dataclasses.replace(p.schedule, start=None))
                if p.kind == "Absolute"
                else p
                for p in profiles
            ]
        tx = self.transactions().get(evse_id)
        if "sc-txdefault-not-switched" in faults and tx is not None:  # K01.FR.32 broken
            profiles = [
                p
                for p in profiles
                if p.purpose is not Purpose.TX_DEFAULT
                or self._installed_at.get(p.id, 0.0) <= tx.started
            ]
        if "sc-txdefault-not-replaced" in faults:  # K01.FR.04 / §3.5 broken: both count
            profiles = [
                dataclasses.replace(p, purpose=Purpose.EXTERNAL) if p.purpose is Purpose.TX else p
                for p in profiles
            ]
        voltage = VOLTAGE_V
        if "sc-wrong-unit-conversion" in faults:  # K01.FR.51 broken: A as the sum of 3 phases
            voltage = VOLTAGE_V / 3
        result = compose(
            profiles,
            evse_id,
            start,
            duration,
            unit,
            transactions=self.transactions(),
            voltage=voltage,
        )
        if "sc-composite-off-by-one" in faults and len(result.periods) > 1:  # K08.FR.02 broken
            shifted = [
                Period(p.start, nxt.limit, nxt.number_phases)
                for p, nxt in zip(result.periods, result.periods[1:], strict=False)
            ]
            result = dataclasses.replace(result, periods=(*shifted, result.periods[-1]))
        return result

    # -- power delivery ---------------------------------------------------------------------------
    def energy_wh(self, evse_id: int, begin: float, end: float) -> float:
        """Energy (Wh) the EV on ``evse_id`` draws in ``[begin, end)`` (POSIX s): its own power,
        :data:`CHARGING_POWER_W`, capped by the composite limit in W."""
        if end <= begin:
            return 0.0
        if "sc-limit-not-enforced" in self.st.faults:  # K01.FR.02 broken
            return (end - begin) * CHARGING_POWER_W / 3600.0
        span = max(1, int(end - begin) + 1)
        schedule = self.composite(evse_id, begin, span, "W")
        return schedule.energy_wh(end, CHARGING_POWER_W)
