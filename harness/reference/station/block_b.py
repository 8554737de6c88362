"""OCA block B (Provisioning) behaviour of the 2.0.1/2.1 reference station that is more than a
table entry: Reset (B11, B12), SetNetworkProfile (B09) and the reconnection back-off (Part 4
§5.3, TC_B_57). The device model (B05-B08) is
:mod:`~harness.reference.station.devmodel`; the boot (B01-B03) is
:mod:`~harness.reference.station.session`.

* Reset Immediate (B11.FR.03, B12.FR.02): Accepted; ongoing transactions end (stoppedReason
  ImmediateReset, triggerReason ResetCommand: E07.FR.03/B12.FR.04) and the station reboots
  (BootNotification reason RemoteReset).
* Reset OnIdle (B11, B12.FR.01/03): Accepted and a reboot when nothing runs; else Scheduled and
  a reboot once the last transaction ended normally (BootNotification reason ScheduledReset).
* A reset of one EVSE is not supported (Rejected, B11.FR.08/B12.FR.08; OCA feature C-13 off).
* What the CSMS set Inoperative stays so across the reboot (B11.FR.02): the connectors' state
  is hardware state, which a power cycle keeps.

* SetNetworkProfile (B09): a profile for one of the slots NetworkConfigurationPriority may name
  (its valuesList) is stored and Accepted (B09.FR.01); another slot is Rejected (B09.FR.02). The
  station keeps the connection it has; its next connection goes to the first slot of
  NetworkConfigurationPriority with a profile (B10.FR.04), its own URL being its first slot's,
  and to the next one after NetworkProfileConnectionAttempts failed attempts (B10.FR.03).

* Security profile upgrade (A05): SetVariables NetworkConfigurationPriority whose slots name a
  profile of a higher security profile is Rejected without a CSMS root to trust (2 or 3,
  A05.FR.02) or without a station certificate (3, A05.FR.03), else Accepted (A05.FR.04). Once a
  connection over the profile of a higher security profile succeeded (after the reboot:
  A05.FR.05), SecurityCtrlr.SecurityProfile takes its value and the profiles of a lower one
  (the station's own first slot among them) leave NetworkConfigurationPriority (A05.FR.06). A
  connection of security profile 3 carries no Basic auth. The operator action
  ``restore_security_profile`` (not OCPP: what a technician does on site) puts the station back
  to its own URL and security profile.

Seeded faults (:mod:`harness.reference.faults_b`): ``network-profile-any-slot`` (any slot
Accepted), ``network-priority-ignored`` (always its own URL), ``network-no-fallback`` (never the
next slot), ``reset-no-reboot``, ``reset-onidle-immediate``
(OnIdle with a transaction: Accepted and an immediate reset), ``reset-immediate-wrong-reason``
(the transaction ends with stoppedReason Reboot), ``reset-forgets-unavailable`` (every connector
operative again after the reboot); of :mod:`harness.reference.faults_a`:
``upgrade-security-profile-not-updated`` (SecurityProfile keeps its old value),
``upgrade-lower-profiles-kept`` (the lower profiles stay in NetworkConfigurationPriority).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from harness.reference.station.devmodel import DeviceModel, Variable
from harness.reference.station.model import Payload, Reply

if TYPE_CHECKING:
    from harness.reference.station.core import ReferenceStation
    from harness.reference.station.v2 import V2


def reset(v2: V2, p: Payload) -> Reply:
    """ResetRequest of the whole station (an EVSE: Rejected)."""
    faults = v2.st.faults
    if "evseId" in p:  # B11.FR.09/B12.FR.09: not supported (the faults accept it)
        busy = p["evseId"] in v2.txe.tx
        fault = "reset-evse-accepted-during-transaction" if busy else "reset-evse-accepted"
        return Reply({"status": "Accepted" if fault in faults else "Rejected"})
    if "evseId" in p or p["type"] not in ("Immediate", "OnIdle"):
        return Reply({"status": "Rejected"})
    if p["type"] == "OnIdle" and v2.txe.tx and "reset-onidle-immediate" not in faults:
        v2.txe.on_idle = lambda: reboot(v2, "ScheduledReset")
        return Reply({"status": "Scheduled"})
    if "reset-no-reboot" in faults:
        return Reply({"status": "Accepted"})
    return Reply({"status": "Accepted"}, then=lambda: reboot(v2, "RemoteReset"))


def reboot(v2: V2, boot_reason: str) -> None:
    """End what still runs (ImmediateReset, ResetCommand) and power cycle."""
    st = v2.st
    if "reset-forgets-unavailable" in st.faults:
        for connector in v2.hw.connectors():
            connector.operative, connector.scheduled = True, None
    reason = "Reboot" if "reset-immediate-wrong-reason" in st.faults else "ImmediateReset"
    st.spawn(st.power_cycle(boot_reason=boot_reason, reason=reason, trigger="ResetCommand"))


#: The network profiles of each 2.x reference station (B09/B10).
_PROFILES: WeakKeyDictionary[ReferenceStation, NetworkProfiles] = WeakKeyDictionary()


class NetworkProfiles:
    """B09: the network connection profiles the CSMS set, per configuration slot. The station's
    own connection (its configured URL) is the profile of the slot NetworkConfigurationPriority
    names first when it starts."""

    def __init__(self, v2: V2) -> None:
        self.v2 = v2
        self.profiles: dict[int, Payload] = {}
        self.own_slot = self.priority()[0] if self.priority() else 1
        #: The security profile the station is at (A05.FR.06 raises it) and started with.
        self.level = self.initial = security_profile(v2.st)
        #: The slot the last connection attempt went to.
        self.slot = self.own_slot
        _PROFILES[v2.st] = self
        priority = v2.dm.find({"name": "OCPPCommCtrlr"}, {"name": "NetworkConfigurationPriority"})
        if not isinstance(priority, str):
            priority.accepts = self.priority_acceptable

    def priority(self) -> list[int]:
        """NetworkConfigurationPriority as slot numbers."""
        text = self.v2.dm.value("OCPPCommCtrlr", "NetworkConfigurationPriority")
        return [int(v) for v in text.split(",") if v.strip().isdigit()]

    def url(self, failures: int) -> str:
        """B10.FR.03/04: the URL of the first slot of NetworkConfigurationPriority that has a
        profile (the station's own URL for its own slot); after NetworkProfileConnectionAttempts
        failed attempts, the next one's, and so on round. Faults ``network-priority-ignored``
        (always its own URL) and ``network-no-fallback`` (never the next slot)."""
        self.slot = self.own_slot
        if "network-priority-ignored" in self.v2.st.faults:
            return self.v2.st.csms_url
        usable = [s for s in self.priority() if s in self.profiles or s == self.own_slot]
        if not usable:
            return self.v2.st.csms_url
        attempts = max(1, self.v2.dm.get_int("OCPPCommCtrlr", "NetworkProfileConnectionAttempts"))
        index = 0 if "network-no-fallback" in self.v2.st.faults else failures // attempts
        self.slot = usable[index % len(usable)]
        return (
            self.v2.st.csms_url
            if self.slot == self.own_slot
            else str(self.profiles[self.slot]["ocppCsmsUrl"])
        )

    def slot_level(self, slot: int) -> int:
        """The security profile of a slot's profile (the station's own slot: the one it
        started with)."""
        if slot in self.profiles:
            return int(self.profiles[slot].get("securityProfile", 0))
        return self.initial

    def priority_acceptable(self, value: str) -> bool:
        """A05.FR.02/03: a priority naming the profile of a higher security profile needs a
        CSMS root (2 or 3) and, for 3, a station certificate."""
        slots = [int(v) for v in value.split(",") if v.strip().isdigit()]
        top = max((self.slot_level(s) for s in slots if s in self.profiles), default=0)
        if top <= self.level:
            return True
        st = self.v2.st
        if st.ssl_context is None or not st.ssl_context.get_ca_certs():
            return False  # A05.FR.02 (the reference's CSMS roots are its TLS trust)
        certificate = self.initial == 3 or self.v2.certs.loaded
        return top < 3 or certificate

    def connected(self) -> None:
        """A05.FR.06: after a connection over a higher security profile, SecurityProfile takes
        its value and the profiles of a lower one leave NetworkConfigurationPriority."""
        reached = self.slot_level(self.slot)
        if reached <= self.level:
            return
        self.level = reached
        faults = self.v2.st.faults
        if "upgrade-security-profile-not-updated" not in faults:
            self._variable("SecurityCtrlr", "SecurityProfile").value = str(reached)
        if "upgrade-lower-profiles-kept" in faults:
            return
        kept = [s for s in self.priority() if self.slot_level(s) >= reached]
        self.profiles = {s: p for s, p in self.profiles.items() if self.slot_level(s) >= reached}
        self._variable("OCPPCommCtrlr", "NetworkConfigurationPriority").value = ",".join(
            str(s) for s in kept
        )

    def restore(self) -> None:
        """``restore_security_profile``: back to the station's own URL and security profile."""
        self.profiles.clear()
        self.level = self.initial
        self._variable("SecurityCtrlr", "SecurityProfile").value = str(self.initial)
        self._variable("OCPPCommCtrlr", "NetworkConfigurationPriority").value = str(self.own_slot)

    def _variable(self, component: str, name: str) -> Variable:
        found = self.v2.dm.find({"name": component}, {"name": name})
        if isinstance(found, str):
            raise LookupError(f"{component}.{name}: {found}")
        return found

    def slots(self) -> frozenset[int]:
        """The configuration slots the station has: NetworkConfigurationPriority's valuesList."""
        found = self.v2.dm.find({"name": "OCPPCommCtrlr"}, {"name": "NetworkConfigurationPriority"})
        values = getattr(found, "values_list", None) or ""
        return frozenset(int(v) for v in values.split(",") if v.strip().isdigit())

    def set(self, p: Payload) -> Reply:
        """Store the profile of a known slot (Accepted, B09.FR.01); Reject any other slot
        (B09.FR.02) and a lower security profile than the one in use (B09.FR.04)."""
        slot = p["configurationSlot"]
        st = self.v2.st
        if slot not in self.slots() and "network-profile-any-slot" not in st.faults:
            return Reply({"status": "Rejected"})
        lower = int(p["connectionData"].get("securityProfile", 0)) < self.level
        if lower and "network-profile-downgrade-accepted" not in st.faults:
            return Reply({"status": "Rejected"})
        self.profiles[slot] = p["connectionData"]
        return Reply({"status": "Accepted"})


def security_profile(st: ReferenceStation) -> int:
    """The security profile the station connects with: TLS with a certificate of its own 3,
    TLS with Basic auth 2, Basic auth 1, neither 0."""
    if st.ssl_context is not None:
        return 2 if st.password is not None else 3
    return 1 if st.password is not None else 0


def handlers(v2: V2) -> dict[str, Callable[[Payload], Reply]]:
    """The block B CALLs this module answers, for the 2.x dispatch table."""
    return {"SetNetworkProfile": NetworkProfiles(v2).set}


def reconnect_delay(st: ReferenceStation, failures: int) -> float:
    """Part 4 §5.3: the wait before the next connection attempt: RetryBackOffWaitMinimum,
    doubled after each failed attempt up to RetryBackOffRepeatTimes times, plus up to
    RetryBackOffRandomRange at random; never under the station's own ``reconnect_s`` (1.6 has no
    such variables: ``reconnect_s``). Faults ``backoff-not-doubled`` (never doubled) and
    ``backoff-ignores-minimum`` (``reconnect_s`` only)."""
    dm = getattr(st.behaviour, "dm", None)
    if not isinstance(dm, DeviceModel) or "backoff-ignores-minimum" in st.faults:
        return st.reconnect_s
    wait = dm.get_int("OCPPCommCtrlr", "RetryBackOffWaitMinimum")
    repeat = dm.get_int("OCPPCommCtrlr", "RetryBackOffRepeatTimes")
    spread = dm.get_int("OCPPCommCtrlr", "RetryBackOffRandomRange")
    doublings = 0 if "backoff-not-doubled" in st.faults else min(failures, repeat)
    delay: float = wait * 2**doublings + random.uniform(0, spread)
    return max(st.reconnect_s, delay)


def csms_url(st: ReferenceStation, failures: int) -> str:
    """Where the station connects after ``failures`` failed attempts in a row: its network
    profiles' choice (2.x), else its own URL."""
    profiles = _PROFILES.get(st)
    return profiles.url(failures) if profiles is not None else st.csms_url


def basic_auth(st: ReferenceStation) -> bool:
    """Whether the connection attempt :func:`csms_url` chose carries Basic auth: not over a
    profile of security profile 3."""
    profiles = _PROFILES.get(st)
    level = profiles.slot_level(profiles.slot) if profiles is not None else 0
    return st.password is not None and level != 3


def connected(st: ReferenceStation) -> None:
    """Told of every successful connection (A05.FR.06)."""
    profiles = _PROFILES.get(st)
    if profiles is not None:
        profiles.connected()


def restore_security_profile(st: ReferenceStation) -> None:
    """The operator action: the station's own URL and security profile again."""
    profiles = _PROFILES.get(st)
    if profiles is not None:
        profiles.restore()
    sec16 = getattr(st.behaviour, "sec", None)  # 1.6: the security whitepaper's SecurityProfile
    if sec16 is not None:
        sec16.restore()
