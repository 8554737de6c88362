"""Named legal variants of the reference SUTs: behaviour the specification allows, not ours.

Faults (:mod:`harness.reference.faults`) prove a case *can* fail; variants prove it does not fail a
correct device that merely differs from the reference. Each variant names the built-in SUT profiles
it applies to (``suts``), what it changes and the rule that allows it. Seed one into a built-in SUT
with ``--ocpp-variant NAME`` (repeatable); list them with ``ocpp-harness variants``. The variant
matrix self-test (``tests/test_variant_matrix.py``) runs every case of every profile a variant
applies to and requires PASS or NOT-APPLICABLE.

The reference SUTs receive a :class:`Seeded` (the names plus the profile's ``response_s``, which
``slow-answers`` needs) through :func:`seed` / :func:`seeded_for`.
"""

from __future__ import annotations

import difflib
import fnmatch
import weakref
from dataclasses import dataclass
from typing import Any

from harness.reference.variants_fw import station_fw_variants
from harness.reference.variants_sc import station_sc_variants
from harness.reference.variants_v16 import station_v16_variants

STATION_V16 = "reference-station-v16"
STATION_V201 = "reference-station-v201"
STATION_V21 = "reference-station-v21"
CSMS_V16 = "reference-csms-v16"
CSMS_V201 = "reference-csms-v201"
CSMS_V21 = "reference-csms-v21"
_STATIONS = (STATION_V16, STATION_V201, STATION_V21)
_STATIONS_V2 = (STATION_V201, STATION_V21)
_CSMSS = (CSMS_V16, CSMS_V201, CSMS_V21)
#: Only an UpdateFirmware starts the firmware flow: the block L cases send one.
_VERSION_SUFFIX = {"1.6": "v16", "2.0.1": "v201", "2.1": "v21"}

#: Share of the profile's ``timeouts.response_s`` that ``slow-answers`` waits before answering.
#: 60%, not the 90% first planned: with the built-in profiles' 2 s, 90% left 0.2 s, and a loaded
#: 2-core CI machine delivered an answer 0.24 s late (a false FAIL of the matrix itself); 70%
#: too was once 0.6 s late on a machine running two test sessions at once.
SLOW_SHARE = 0.6
#: How long after the action an operator action returns under ``late-actions`` (seconds).
LATE_ACTION_S = 1.0


@dataclass(frozen=True, slots=True)
class Variant:
    """One legal behaviour: the built-in profiles it applies to, what changes, why it is legal."""

    name: str
    suts: tuple[str, ...]
    changes: str
    rule: str
    #: PICS items (``sut.features``) a SUT with this variant no longer declares: the cases whose
    #: Part 5 condition needs them become NOT-APPLICABLE (``harness.features``).
    drops: tuple[str, ...] = ()
    #: PICS items a SUT with this variant declares besides the profile's (a fixed cable, HFS-2):
    #: the cases that need them apply, those that exclude them become NOT-APPLICABLE.
    adds: tuple[str, ...] = ()
    #: Case ids (``fnmatch`` patterns) whose flows reach the changed behaviour, when only some
    #: cases can (empty: any case can). A firmware variant changes what a station does after an
    #: UpdateFirmware, which only the block L cases send: the variant matrix runs those cases.
    cases: tuple[str, ...] = ()

    def reaches(self, case_id: str) -> bool:
        """Whether a case's flow can reach what this variant changes (see :attr:`cases`)."""
        return not self.cases or any(fnmatch.fnmatchcase(case_id, p) for p in self.cases)

    def as_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "name": self.name,
            "suts": list(self.suts),
            "changes": self.changes,
            "rule": self.rule,
        }
        if self.cases:
            document["cases"] = list(self.cases)
        return document


VARIANTS: dict[str, Variant] = {
    v.name: v
    for v in (
        Variant(
            "tx-start-powerpathclosed",
            _STATIONS_V2,
            "TxCtrlr.TxStartPoint is PowerPathClosed: a transaction starts only once the EV is "
            "connected and the driver authorized, not at plug-in",
            "2.0.1 Part 2 E01.FR.05 (TxStartPoint PowerPathClosed), OCA feature C-09.4",
        ),
        Variant(
            "tx-start-authorized",
            _STATIONS_V2,
            "TxCtrlr.TxStartPoint is Authorized: a transaction starts at authorization, not at "
            "plug-in",
            "2.0.1 Part 2 E01.FR.03 (TxStartPoint Authorized), OCA feature C-09.2",
        ),
        Variant(
            "tx-stop-evconnected",
            _STATIONS_V2,
            "TxCtrlr.TxStopPoint is EVConnected only: a local or remote stop ends the "
            "authorization and the energy offer (Updated StopAuthorized / RemoteStop), the "
            "transaction ends when the cable is unplugged",
            "2.0.1 E06.FR.02 (TxStopPoint EVConnected), F03.FR.02, OCA feature C-10.1",
        ),
        Variant(
            "two-calls-back-to-back",
            (STATION_V16, CSMS_V16),
            "sends its next CALL without waiting for the answer to the previous one (the station: "
            "whenever the next queued message does not depend on that answer; the CSMS: two "
            "GetConfiguration requests right after it accepts a boot)",
            "OCPP-J 1.6 §4.1.1: SHOULD NOT (2.0.1/2.1 Part 4 §4.1.1 say SHALL NOT: no 2.x variant)",
        ),
        Variant(
            "optional-variables-absent",
            _STATIONS_V2,
            "optional device-model variables do not exist (OCPPCommCtrlr.HeartbeatInterval, "
            "WebSocketPingInterval, ResetRetries, the AlignedDataCtrlr and ClockCtrlr.TimeSource "
            "..., LocalAuthListCtrlr.Enabled and DisablePostAuthorize): GetVariables answers "
            "UnknownVariable/UnknownComponent for them",
            "2.0.1 Part 2 Appendix 3 (only required variables must exist), B06.FR.07 "
            "(UnknownVariable)",
            drops=("LA-3",),
        ),
        Variant(
            "reservation-evse-specific-only",
            _STATIONS_V2,
            "reserves specific EVSEs only: ReservationCtrlr.NonEvseSpecific is false and a "
            "ReserveNow without an evseId is Rejected (PICS R-2 not declared)",
            "2.0.1 H01.FR.18/19 (NonEvseSpecific optional; not set or false: Rejected), "
            "Part 2 Appendix 3",
            drops=("R-2",),
            cases=("TC_H_*",),
        ),
        Variant(
            "local-list-volatile",
            _STATIONS_V2,
            "keeps its Local Authorization List in volatile memory: after a reboot the list is "
            "empty and GetLocalListVersion answers 0, as before a first update",
            "2.0.1 D01.FR.10 (SHOULD keep the list over a reboot), D02.FR.02",
            cases=("TC_D_*",),
        ),
        Variant(
            "trigger-rejected",
            _STATIONS,
            "answers every TriggerMessage with Rejected and sends nothing for it (2.x: except "
            "Heartbeat, which OCA TC_F_20 asks of every station, and a message it does not "
            "implement, NotImplemented by F06.FR.08)",
            "2.0.1 F06.FR.05 (the station decides whether it sends the requested message); "
            "1.6 §5.17 (Rejected)",
            drops=("C-29.1", "C-29.2", "C-29.3", "C-29.4", "C-29.5", "C-29.6"),
        ),
        Variant(
            "tls-1.2-only",
            (STATION_V201, CSMS_V201),
            "over TLS (security profiles 2/3) speaks TLS 1.2 at most, with the OCPP suites "
            "(no TLS 1.3)",
            "2.0.1 Part 2 A00.FR.313/416 (TLS 1.2 or above), A00.FR.318/319 (the 1.2 suites)",
        ),
        Variant(
            "rsa-keys",
            (STATION_V201,),
            "over security profile 3 presents an RSA station certificate (2048 bits) instead of "
            "an ECDSA one",
            "2.0.1 Part 2 A00.FR.319/422 (the ECDSA or the RSA suites), A00.FR.502 (RSA >= 2048)",
        ),
        Variant(
            "close-1011",
            (*_STATIONS, *_CSMSS),
            "closes the connection with code 1011 (unexpected condition) when a binary frame "
            "arrives, instead of answering or closing with 1003",
            "RFC 6455 §7.4.1 (status codes an endpoint MAY use); OCPP-J carries JSON text only",
        ),
        Variant(
            "slow-answers",
            (*_STATIONS, *_CSMSS),
            f"answers every CALL after {SLOW_SHARE:.0%} of the profile's timeouts.response_s",
            "OCPP-J 1.6 §4.1.1, 2.0.1/2.1 Part 4 §4.1.1: the response timeout is implementation "
            "defined; the profile declares it (timeouts.response_s)",
        ),
        Variant(
            "endpoint-trailing-slash",
            _CSMSS,
            "the CSMS's OCPP-J endpoint URL ends with a slash (ws://host:port/ocpp/) and it "
            "serves exactly /ocpp/<identity>: a path with an empty segment (/ocpp//id) is closed "
            "with 1008",
            "2.0.1 Part 4 §3.1.1 (the endpoint URL can be any ws/wss URL; the station appends "
            "'/' and its identity), OCPP-J 1.6 §3.1.1",
        ),
        Variant(
            "boot-pending-first",
            _CSMSS,
            "answers a station's first BootNotification Pending (interval 1 s), the next ones "
            "Accepted",
            "2.0.1 B02 (Pending), 1.6 §4.2 (Pending: retry after the interval)",
        ),
        Variant(
            "status-via-notifyevent",
            _STATIONS_V2,
            "reports connector status changes (plug-in, unplug, ChangeAvailability) with "
            "NotifyEvent (Connector AvailabilityState, trigger Delta) instead of "
            "StatusNotification; 2.1 also the status of every connector after a boot",
            "2.0.1/2.1 G01.FR.03-07 (StatusNotification or NotifyEvent); 2.1 B01.FR.05 "
            "(NotifyEvent; StatusNotification deprecated); 2.0.1 B01.FR.05 keeps "
            "StatusNotification after a boot",
        ),
        Variant(
            "heartbeat-reset-on-traffic",
            _STATIONS,
            "restarts the heartbeat interval whenever it sends another message (no Heartbeat "
            "while other traffic flows)",
            "2.0.1 G02.FR.05 (RECOMMENDED); 1.6 §4.6 (MAY skip a Heartbeat)",
        ),
        Variant(
            "authorize-remote-start",
            _STATIONS,
            "authorizes the idToken of a remote start with Authorize before starting "
            "(2.x AuthCtrlr.AuthorizeRemoteStart, 1.6 AuthorizeRemoteTxRequests true)",
            "2.0.1 F01.FR.01/F02 (AuthorizeRemoteStart), 1.6 §5.11 (AuthorizeRemoteTxRequests)",
        ),
        Variant(
            "local-pre-authorize",
            _STATIONS,
            "LocalPreAuthorize is true: an idToken the CSMS accepted before (kept in the "
            "authorization cache) starts charging without an Authorize",
            "2.0.1 C12/C10 (AuthCtrlr.LocalPreAuthorize; the OCA reusable state Authorized skips "
            "the Authorize for a cached idToken); 1.6 §3.5.1 and §9.1 (LocalPreAuthorize)",
        ),
        Variant(
            "ev-disconnect-keeps-transaction",
            (STATION_V16,),
            "StopTransactionOnEVSideDisconnect is false: unplugging the EV suspends a running "
            "transaction (status SuspendedEV) instead of stopping it",
            "1.6 §4.10 (MAY stop on EV-side disconnect, controlled by the key), §4.9 "
            "(SuspendedEV), §9.1 (StopTransactionOnEVSideDisconnect is RW)",
        ),
        Variant(
            "reservation-authorizes",
            (STATION_V16,),
            "validates the idTag of an accepted ReserveNow with an Authorize at once (before the "
            "transaction; the reservation stands whatever the answer)",
            "1.6 §5.13 (RECOMMENDED: an Authorize after ReserveNow, before the transaction)",
            cases=("TC_04[6-9]*", "TC_05[0-3]*"),
        ),
        Variant(
            "periodic-meter-values",
            _STATIONS,
            "samples meter values every second during a transaction (2.x "
            "SampledDataCtrlr.TxUpdatedInterval 1: TransactionEvent Updated MeterValuePeriodic; "
            "1.6 MeterValueSampleInterval 1: MeterValues)",
            "2.0.1 E02/J02 (TxUpdatedInterval), 1.6 §4.7 and §9.1 (MeterValueSampleInterval)",
        ),
        Variant(
            "unavailable-before-reboot",
            _STATIONS,
            "reports every connector Unavailable (StatusNotification) just before it goes down "
            "for a reboot or reset",
            "2.0.1 B11/B12 (MAY send StatusNotification(Unavailable) and SHALL start a reboot); "
            "1.6 §5.14 (Reset: the charge point may report its state before it restarts)",
        ),
        Variant(
            "late-actions",
            _STATIONS + _CSMSS,
            f"every operator action (plug in, present a token, reboot, make the CSMS start a "
            f"transaction...) returns {LATE_ACTION_S:g} s after it was done, when the SUT has "
            "long sent what it causes, as a shell command that waits for the device does",
            "OCA Part 6 §2/§3: operator steps take their own time; a case arms what it waits "
            "for before it triggers the action",
        ),
        Variant(
            "tx-retry-late",
            _STATIONS_V2,
            "sends a failed TransactionEvent again 0.8 s later than MessageAttemptInterval"
            "TransactionEvent times the transmissions so far (a station busy elsewhere)",
            "2.0.1 E13.FR.03 sets the least wait before a retry, not an upper bound",
            cases=("TC_E_41_CS", "TC_E_42_CS", "TC_E_50_CS", "TC_E_51_CS"),
        ),
        Variant(
            "status-queue-dropped",
            _STATIONS_V2,
            "drops the StatusNotifications still queued when the connection is lost (and reports "
            "those connectors again once back); transaction messages stay queued",
            "2.0.1 E11.FR.01/E12.FR.01 and B04: only transaction messages must be queued offline",
            cases=("TC_B_*_CS", "TC_E_*_CS"),
        ),
        Variant(
            "no-parent-id-tag",
            (CSMS_V16,),
            "names no parentIdTag: neither in ReserveNow nor in the idTagInfo of its answers",
            "1.6 §5.13 with the errata 4.12 (the Authorize answer MAY carry the parent-id), "
            "§6.37/§7.27: parentIdTag is optional",
            cases=(
                "TC_00*_CSMS",
                "TC_01*_CSMS",
                "TC_02*_CSMS",
                "TC_03*_CSMS",
                "TC_04[6-9]*_CSMS",
                "TC_05*_CSMS",
            ),
        ),
    )
}
VARIANTS.update({v.name: v for v in station_v16_variants()})  # 1.6 charge point (variants_v16)
VARIANTS.update({v.name: v for v in station_sc_variants()})  # smart charging (variants_sc)
VARIANTS.update({v.name: v for v in station_fw_variants()})  # firmware, 2.x (variants_fw)


class UnknownVariant(ValueError):
    """A ``--ocpp-variant`` name that does not exist or does not fit the SUT."""


def profile_name(sut: str, version: str) -> str:
    """The built-in profile name of a reference SUT and OCPP version (``reference-csms-v16``)."""
    return f"{sut}-{_VERSION_SUFFIX.get(version, version)}"


def applicable(name: str) -> tuple[str, ...]:
    """The built-in profiles variant ``name`` applies to."""
    return VARIANTS[name].suts


def dropped_features(names: frozenset[str] | tuple[str, ...]) -> frozenset[str]:
    """The PICS items the variants ``names`` take away from the SUT profile."""
    return frozenset(item for name in names for item in VARIANTS[name].drops)


def added_features(names: frozenset[str] | tuple[str, ...]) -> frozenset[str]:
    """The PICS items the variants ``names`` add to the SUT profile."""
    return frozenset(item for name in names for item in VARIANTS[name].adds)


def select_variants(names: list[str] | tuple[str, ...], sut: str, version: str) -> frozenset[str]:
    """Validate variant names for a built-in SUT (``reference-station``...) and OCPP version."""
    profile = profile_name(sut, version)
    for name in names:
        variant = VARIANTS.get(name)
        if variant is None:
            close = difflib.get_close_matches(name, VARIANTS, n=3)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise UnknownVariant(
                f"unknown variant {name!r}.{hint} Known: {', '.join(sorted(VARIANTS))}"
            )
        if profile not in variant.suts:
            raise UnknownVariant(
                f"variant {name!r} does not apply to {profile} (it applies to "
                f"{', '.join(variant.suts)})"
            )
    return frozenset(names)


@dataclass(frozen=True, slots=True)
class Seeded:
    """The variants seeded into one reference SUT, and the profile's response timeout."""

    names: frozenset[str] = frozenset()
    response_s: float = 30.0

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __bool__(self) -> bool:
        return bool(self.names)

    @property
    def action_return_s(self) -> float:
        """How long after an operator action the action returns (``late-actions``), else 0."""
        return LATE_ACTION_S if "late-actions" in self.names else 0.0

    @property
    def answer_delay_s(self) -> float:
        """How long the SUT waits before it answers a CALL (``slow-answers``), else 0."""
        return SLOW_SHARE * self.response_s if "slow-answers" in self.names else 0.0


NONE = Seeded()
_SEEDED: weakref.WeakKeyDictionary[object, Seeded] = weakref.WeakKeyDictionary()


def seed(run: object, seeded: Seeded) -> None:
    """Remember the variants of a harness run (the plugin calls this at configure time)."""
    _SEEDED[run] = seeded


def seeded_for(run: object) -> Seeded:
    """The variants seeded for ``run`` (none unless ``--ocpp-variant`` was given)."""
    return _SEEDED.get(run, NONE)
