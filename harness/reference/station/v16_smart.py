"""OCPP 1.6 Smart Charging of the reference charge point (1.6 §3.13, §5.5, §5.11, §5.16, §5.7
GetCompositeSchedule; feature profile SmartCharging).

* SetChargingProfile (§5.16): Rejected for an unknown connector, a ChargePointMaxProfile off
  connector 0 (§3.13.1), a TxProfile on connector 0 or without a transaction on its connector
  (§3.13.1: discarded with an error status) or for another transactionId, a stackLevel above
  ChargeProfileMaxStackLevel. A known chargingProfileId, or the same stackLevel and purpose on the
  same connector, is replaced (§5.16); a TxProfile belongs to the connector's transaction.
* ClearChargingProfile (§5.5): by id, or by connectorId/purpose/stackLevel together; Unknown
  when nothing matched.
* GetCompositeSchedule (§5.7): the :mod:`harness.smart_charging` oracle in its 1.6 dialect from
  the moment of receipt (connector 0: the total expected from the grid, the connectors' sum
  within the ChargePointMaxProfile); Rejected for an unknown connector or a rate unit not
  supported.
* RemoteStartTransaction with a chargingProfile (§5.11): Rejected unless its purpose is
  TxProfile; otherwise, once the transaction has begun, it is that transaction's TxProfile.
* A TxProfile ends with its transaction (§3.13.1, §7.10).
* Legal variants (:mod:`harness.reference.variants_sc`): Power only (a profile in A Rejected,
  the composite answered in W), the composite's limits rounded to one digit fraction.
* Power delivery (issue 13 item 5): the simulated EV on a connector draws its own power
  (:data:`~harness.reference.station.model.CHARGING_POWER_W`) capped by the connector's
  composite limit in W (§3.13.3; §5.16.2: the charge point SHALL apply the profile): each
  connector's meter asks :meth:`SmartCharging16.energy_wh`, so its meter values follow the limit.

Seeded faults (:mod:`harness.reference.faults_sc16`): ``cp16-sc-txprofile-without-tx-accepted``,
``cp16-sc-clear-unknown-accepted``, ``cp16-sc-composite-ignores-stack-level``,
``cp16-sc-remote-start-profile-dropped``, ``cp16-sc-remote-start-any-purpose``,
``cp16-sc-clear-keeps-profile``, ``cp16-sc-txdefault-not-applied``, ``cp16-sc-txprofile-ignored``,
``cp16-sc-wrong-transaction-accepted``, ``cp16-sc-composite-ignores-max``,
``cp16-sc-limit-not-enforced`` (reports the composite but delivers the EV's full power).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from harness.reference.station.config16 import Key
from harness.reference.station.model import CHARGING_POWER_W, Payload, Reply
from harness.reference.station.v16_auth import add_feature_profile
from harness.reference.variants_sc import rate_units_v16, reported, reported_unit_v16
from harness.smart_charging import V16, Profile, Purpose, TxState, compose

if TYPE_CHECKING:
    from harness.reference.station.v16 import V16 as V16Station

#: ChargingScheduleAllowedChargingRateUnit of the reference (1.6 §9.4).
RATE_UNITS = ("Current", "Power")
MAX_STACK_LEVEL = 10
VOLTAGE_V = 230.0


#: ChargingScheduleAllowedChargingRateUnit's words for the schedules' units (errata 3.88).
_UNIT_OF = {"Current": "A", "Power": "W"}


def _keys(units: tuple[str, ...] = RATE_UNITS) -> list[Key]:
    """The 1.6 §9.4 Smart Charging configuration keys (read-only here)."""
    return [
        Key("ChargeProfileMaxStackLevel", str(MAX_STACK_LEVEL), readonly=True, kind="int"),
        Key("ChargingScheduleAllowedChargingRateUnit", ",".join(units), readonly=True),
        Key("ChargingScheduleMaxPeriods", "24", readonly=True, kind="int"),
        Key("MaxChargingProfilesInstalled", "20", readonly=True, kind="int"),
    ]


class SmartCharging16:
    """Installed charging profiles and the three Smart Charging requests."""

    def __init__(self, v16: V16Station) -> None:
        self.v16 = v16
        self.faults = v16.st.faults
        self.variants = v16.st.variants
        allowed = rate_units_v16(self.variants)
        #: The schedule units this charge point takes (errata 3.88: Power means W only).
        self.units = frozenset(_UNIT_OF[u] for u in allowed)
        for key in _keys(allowed):
            v16.config.keys.setdefault(key.name, key)
        add_feature_profile(v16.config.keys, "SmartCharging")
        #: Installed profiles by chargingProfileId.
        self.profiles: dict[int, Profile] = {}
        self._pending: dict[int, Payload] = {}  # §5.11: remote start profiles by connector
        for c in v16.hw.connectors():
            c.meter.energy_wh = partial(self.energy_wh, c.number)

    def handlers(self, existing: dict[str, Callable[[Payload], Reply]]) -> dict[str, Any]:
        """SetChargingProfile, ClearChargingProfile, GetCompositeSchedule, and
        RemoteStartTransaction of ``existing`` wrapped for its chargingProfile (§5.11)."""
        start = existing["RemoteStartTransaction"]

        def remote_start(p: Payload) -> Reply:
            raw = p.get("chargingProfile")
            if raw is None:
                return start(p)
            purpose_ok = raw.get("chargingProfilePurpose") == "TxProfile"
            if not purpose_ok and "cp16-sc-remote-start-any-purpose" not in self.faults:
                return Reply({"status": "Rejected"})  # §5.11: the purpose MUST be TxProfile
            if raw["chargingSchedule"]["chargingRateUnit"] not in self.units:
                return Reply({"status": "Rejected"})  # §9.4.2, errata 3.88
            reply = start(p)
            accepted = reply.payload.get("status") == "Accepted"
            if accepted and "cp16-sc-remote-start-profile-dropped" not in self.faults:
                connector = int(p.get("connectorId", 1))
                self._pending[connector] = raw
            return reply

        return {
            "RemoteStartTransaction": remote_start,
            "SetChargingProfile": self._set,
            "ClearChargingProfile": self._clear,
            "GetCompositeSchedule": self._composite,
        }

    # -- state ----------------------------------------------------------------------------------
    def _tx_ids(self) -> dict[int, str]:
        """Connector -> transactionId (as text) of the running transactions."""
        return {n: str(tx.csms_id) for n, tx in self.v16.txe.tx.items() if tx.csms_id is not None}

    def transactions(self) -> dict[int, TxState]:
        return {
            n: TxState(n, str(tx.csms_id), tx.started)
            for n, tx in self.v16.txe.tx.items()
            if tx.csms_id is not None
        }

    def _prune(self) -> None:
        """A remote start's profile becomes its transaction's TxProfile; a TxProfile ends with
        its transaction (§7.10)."""
        running = self._tx_ids()
        for connector, raw in list(self._pending.items()):
            if connector in running:
                del self._pending[connector]
                profile = Profile.from_payload(raw, connector, V16)
                self._install(dataclasses.replace(profile, transaction_id=running[connector]))
        for pid, profile in list(self.profiles.items()):
            if profile.purpose is Purpose.TX and profile.transaction_id not in running.values():
                del self.profiles[pid]

    def _install(self, profile: Profile) -> None:
        """§5.16: the same id, or the same stackLevel and purpose on the connector, is replaced."""
        for pid, old in list(self.profiles.items()):
            same_slot = (old.stack_level, old.purpose, old.location) == (
                profile.stack_level,
                profile.purpose,
                profile.location,
            )
            if pid == profile.id or same_slot:
                del self.profiles[pid]
        self.profiles[profile.id] = profile

    # -- requests -------------------------------------------------------------------------------
    def _set(self, p: Payload) -> Reply:
        """§5.16 SetChargingProfile (module doc)."""
        self._prune()
        rejected = Reply({"status": "Rejected"})
        connector = int(p["connectorId"])
        raw = p["csChargingProfiles"]
        if connector != 0 and self.v16.hw.by_number(connector) is None:
            return rejected
        profile = Profile.from_payload(raw, connector, V16)
        if profile.stack_level > MAX_STACK_LEVEL or profile.schedule.unit not in self.units:
            return rejected  # §9.4.1; §9.4.2 with errata 3.88 (the allowed units)
        if profile.purpose is Purpose.MAX and connector != 0:
            return rejected  # §3.13.1: the whole charge point only
        if profile.purpose is Purpose.TX:
            running = self._tx_ids().get(connector)
            if connector == 0:
                return rejected  # §3.13.1: TxProfile only on a connector > 0
            if running is None:
                if "cp16-sc-txprofile-without-tx-accepted" not in self.faults:
                    return rejected  # §3.13.1: discarded, error status
                running = "none"
            wrong = profile.transaction_id not in (None, running)
            if wrong and "cp16-sc-wrong-transaction-accepted" not in self.faults:
                return rejected  # another transaction's profile
            profile = dataclasses.replace(profile, transaction_id=running)
        self._install(profile)
        return Reply({"status": "Accepted"})

    def _clear(self, p: Payload) -> Reply:
        """§5.5 ClearChargingProfile: by id, or by the given criteria together."""
        self._prune()

        def matches(pid: int, profile: Profile) -> bool:
            if p.get("id") is not None:
                return bool(pid == p["id"])
            checks = (
                ("connectorId", profile.location),
                ("chargingProfilePurpose", V16.wire_purpose(profile.purpose)),
                ("stackLevel", profile.stack_level),
            )
            return all(p.get(k) is None or p[k] == v for k, v in checks)

        gone = [pid for pid, profile in self.profiles.items() if matches(pid, profile)]
        if not gone and "cp16-sc-clear-unknown-accepted" not in self.faults:
            return Reply({"status": "Unknown"})
        if "cp16-sc-clear-keeps-profile" not in self.faults:
            for pid in gone:
                del self.profiles[pid]
        return Reply({"status": "Accepted"})

    def _composite(self, p: Payload) -> Reply:
        """§5.7 GetCompositeSchedule: the oracle's composite from now (1.6 dialect)."""
        self._prune()
        connector = int(p["connectorId"])
        wanted = p.get("chargingRateUnit", "A")
        unknown = connector != 0 and self.v16.hw.by_number(connector) is None
        if unknown or wanted not in ("A", "W"):
            return Reply({"status": "Rejected"})
        profiles = list(self.profiles.values())
        if "cp16-sc-composite-ignores-stack-level" in self.faults:
            profiles = [dataclasses.replace(x, stack_level=0) for x in profiles]
        dropped = {
            Purpose.TX_DEFAULT: "cp16-sc-txdefault-not-applied",
            Purpose.TX: "cp16-sc-txprofile-ignored",
            Purpose.MAX: "cp16-sc-composite-ignores-max",
        }
        profiles = [x for x in profiles if dropped.get(x.purpose, "") not in self.faults]
        schedule = compose(
            profiles,
            connector,
            float(int(time.time())),
            int(p["duration"]),
            reported_unit_v16(wanted, self.variants),
            transactions=self.transactions(),
            voltage=VOLTAGE_V,
            dialect=V16,
            evses=[c.number for c in self.v16.hw.connectors()] if connector == 0 else (),
        )
        return Reply({"status": "Accepted", **reported(schedule, self.variants).payload(V16)})

    # -- power delivery ---------------------------------------------------------------------------
    def energy_wh(self, connector: int, begin: float, end: float) -> float:
        """Energy (Wh) the EV on ``connector`` draws in ``[begin, end)`` (POSIX s): its own
        power, :data:`CHARGING_POWER_W`, capped by the connector's composite limit in W (fault
        ``cp16-sc-limit-not-enforced``: never capped)."""
        if end <= begin:
            return 0.0
        if "cp16-sc-limit-not-enforced" in self.faults:
            return (end - begin) * CHARGING_POWER_W / 3600.0
        self._prune()
        span = max(1, int(end - begin) + 1)
        schedule = compose(
            list(self.profiles.values()),
            connector,
            begin,
            span,
            "W",
            transactions=self.transactions(),
            voltage=VOLTAGE_V,
            dialect=V16,
        )
        return schedule.energy_wh(end, CHARGING_POWER_W)
