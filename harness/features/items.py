"""The PICS items of OCPP 2.0.1 Part 5 a SUT profile may declare in ``sut.features``, per role.

Three families, as Part 5 numbers them:

- optional features (§3.1 for a charging station, §3.2 for a CSMS): ``C-xx`` in Core and
  ``AS-``, ``SC-``, ``R-``, ``DM-``, ``ISO-``, ``LA-``, ``UI-`` in the other certification
  profiles; a sub-option is ``C-09.1``;
- additional questions (Appendix A, §6.1 / §6.2): ``AQ-x``;
- hardware features (Appendix B, §7; charging stations only): ``HFS-x``.

The errata (2025-02 to 2025-09) are applied: ``C-61`` (security profile 1) and the questions
``AQ-10``, ``AQ-11``, ``AQ-18`` (station) are added, ``ISO-3`` is gone, and the CSMS questions are
renumbered (``AQ-1`` → ``AQ-17``, ``AQ-2`` → ``AQ-12``, ``AQ-6`` → ``AQ-16``, ...). Titles are
short paraphrases; Part 5 holds the wording. A "required" item is one Part 5 requires of every
SUT of the role (the CSMS's RFID and NoAuthorization options): it holds whether declared or not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from harness.config import Role


@dataclass(frozen=True, slots=True)
class Item:
    """One PICS item: its id, a short title, and whether Part 5 requires it of the role."""

    id: str
    title: str
    required: bool = False


def _table(*rows: tuple[str, str] | Item) -> Mapping[str, Item]:
    items = (row if isinstance(row, Item) else Item(*row) for row in rows)
    return MappingProxyType({item.id: item for item in items})


# Items a station and a CSMS share, with the same meaning.
_TRIGGER = (
    ("C-29", "TriggerMessage support (the sub-options say for which messages)"),
    ("C-29.1", "TriggerMessage for MeterValues"),
    ("C-29.2", "TriggerMessage for TransactionEvent"),
    ("C-29.3", "TriggerMessage for LogStatusNotification"),
    ("C-29.4", "TriggerMessage for FirmwareStatusNotification"),
    ("C-29.5", "TriggerMessage for StatusNotification"),
)
_LOCAL_START = (
    ("C-30", "local start authorized with an ISO 14443 RFID card"),
    ("C-31", "local start authorized with an ISO 15693 RFID card"),
    ("C-32", "local start authorized with a key code"),
    ("C-33", "local start authorized with a locally generated id"),
    ("C-34", "local start authorized by MAC address"),
    ("C-35", "local start without authorization"),
)
_REMOTE_START = (
    ("C-36", "remote start with an ISO 14443 RFID idToken"),
    ("C-37", "remote start with an ISO 15693 RFID idToken"),
    ("C-38", "remote start with an id generated centrally (CSMS or other server)"),
    ("C-39", "remote start without authorization"),
)
_SHARED = (
    ("C-13", "Reset of a single EVSE"),
    ("C-14", "CustomerInformation by customerIdentifier (retrieve / clear)"),
    ("C-61", "security profile 1 (Basic authentication over plain ws)"),
    ("ISO-4", "CustomerInformation by customer certificate (retrieve / clear)"),
)

STATION: Mapping[str, Item] = _table(
    ("C-01", "offline authorization of transactions"),
    ("C-02", "offline transactions for unknown ids (OfflineTxForUnknownIdEnabled)"),
    ("C-03", "energy cap for invalid ids (MaxEnergyOnInvalidId)"),
    ("C-04", "StatusNotification throttling (MinimumStatusDuration)"),
    ("C-06", "authorization after an EV-side unplug (StopTxOnEVSideDisconnect)"),
    ("C-06.1", "keeps the authorization when the cable is unplugged at the EV"),
    ("C-06.2", "drops the authorization when the cable is unplugged at the EV"),
    ("C-07", "Master Pass on a station with a user interface"),
    ("C-08", "Master Pass on a station without a user interface"),
    ("C-09", "transaction start points (TxStartPoint)"),
    ("C-09.1", "transaction starts at EVConnected"),
    ("C-09.2", "transaction starts at Authorized"),
    ("C-09.3", "transaction starts at DataSigned"),
    ("C-09.4", "transaction starts at PowerPathClosed"),
    ("C-09.5", "transaction starts at EnergyTransfer"),
    ("C-09.6", "transaction starts at ParkingBayOccupancy"),
    ("C-10", "transaction stop points (TxStopPoint)"),
    ("C-10.1", "transaction stops at EVConnected"),
    ("C-10.2", "transaction stops at Authorized"),
    ("C-10.3", "transaction stops at PowerPathClosed"),
    ("C-10.4", "transaction stops at EnergyTransfer"),
    ("C-10.5", "transaction stops at ParkingBayOccupancy"),
    ("C-12", "connector unlock after an EV-side unplug (UnlockOnEVSideDisconnect)"),
    ("C-12.1", "unlocks the connector when the cable is unplugged at the EV"),
    ("C-12.2", "keeps the connector locked when the cable is unplugged at the EV"),
    ("C-20", "new sessions while a firmware update waits (AllowNewSessionsPendingFirmwareUpdate)"),
    ("C-21", "queues all messages, or only transaction messages, while offline (QueueAllMessages)"),
    ("C-23", "time sources (TimeSource; at least Heartbeat)"),
    ("C-25", "settable TimeOffset"),
    ("C-26", "settable TimeZone"),
    ("C-28", "clock-aligned meter values while idle toggle (AlignedDataSendDuringIdle)"),
    *_TRIGGER,
    ("C-29.6", "TriggerMessage for BootNotification"),
    *_LOCAL_START,
    *_REMOTE_START,
    ("C-40", "supported measurands"),
    ("C-40.1", "measurands at transaction start (SampledDataTxStartedMeasurands)"),
    ("C-40.2", "measurands during a transaction (SampledDataTxUpdatedMeasurands)"),
    ("C-40.3", "measurands at transaction end (SampledDataTxEndedMeasurands)"),
    ("C-40.4", "clock-aligned measurands (AlignedDataMeasurands)"),
    ("C-40.5", "clock-aligned measurands at transaction end (AlignedDataTxEndedMeasurands)"),
    ("C-41", "TLS cipher suites"),
    ("C-42", "signed meter values (SampledDataSignReadings)"),
    ("C-43", "installs firmware while transactions run"),
    ("C-47", "falls back to the default reconnection when a network profile fails"),
    ("C-48", "authorization of a remote start (AuthorizeRemoteStart)"),
    ("C-48.1", "authorizes the idToken of a remote start"),
    ("C-48.2", "starts a remote start without authorizing it"),
    ("C-49", "authorization cache (AuthCacheEnabled)"),
    ("C-51", "configurable TxStartPoint"),
    ("C-52", "configurable TxStopPoint"),
    ("C-53", "lifetime of cached tokens (AuthCacheLifeTime)"),
    ("C-54", "cache replacement policies (AuthCachePolicy)"),
    ("C-56", "SummaryInventory report"),
    ("C-57", "cancels a running log upload"),
    ("C-58", "remote authorization can be switched off (DisableRemoteAuthorization)"),
    ("C-59", "no remote authorization for cached invalid idTokens (AuthCacheDisablePostAuthorize)"),
    ("C-60", "cancels a running firmware update"),
    *_SHARED,
    ("AS-2", "additional root certificate check (AdditionalRootCertificateCheck)"),
    ("AS-3", "CertificateSigned timeout and retries (CertSigningWaitMinimum, ...RepeatTimes)"),
    ("SC-2", "charging rate units (ChargingScheduleChargingRateUnit)"),
    ("SC-2.1", "charging rate unit A"),
    ("SC-2.2", "charging rate unit W"),
    ("R-1", "reservation of a connector type (of ConnectorEnumType; errata 2025-06)"),
    ("R-2", "reservation of an unspecified EVSE (ReservationNonEvseSpecific)"),
    ("R-3", "reservations (ReservationEnabled)"),
    ("DM-3", "queues NotifyEvent of given severities while offline"),
    ("ISO-5", "passes a contract certificate it cannot validate on to the CSMS"),
    ("LA-1", "local authorization list (LocalAuthListEnabled)"),
    ("LA-3", "no remote authorization for invalid local-list idTokens"),
    ("UI-1", "display message priorities (DisplayMessageSupportedPriorities)"),
    ("UI-1.1", "display message priority AlwaysFront"),
    ("UI-1.2", "display message priority InFront"),
    ("UI-1.3", "display message priority NormalCycle"),
    ("UI-2", "display message formats (DisplayMessageSupportedFormats)"),
    ("UI-2.1", "display message format ASCII"),
    ("UI-2.2", "display message format HTML"),
    ("UI-2.3", "display message format URI"),
    ("UI-2.4", "display message format UTF8"),
    ("AQ-1", "the last CSMSRootCertificate can be removed"),
    ("AQ-2", "a cable lock keeps the EV from connecting before authorization"),
    ("AQ-3", "the last ChargingStationCertificate can be removed (other than by OCPP)"),
    ("AQ-4", "at least one NumberOfPhases value is unsupported"),
    ("AQ-5", "has a hardwired monitor"),
    ("AQ-6", "has a pre-configured monitor"),
    ("AQ-7", "downloads firmware while a transaction runs"),
    ("AQ-8", "the EVSE is selected before authorization, by design"),
    ("AQ-9", "charges an EV in IEC 61851-1 Mode 3"),
    ("AQ-10", "a Delta monitor can be set on the write-only SecurityCtrlr.BasicAuthPassword"),
    ("AQ-11", "combined charging station certificate (OCPP and ISO 15118)"),
    ("AQ-18", "a connector with a mechanized lock on the station side"),
    ("HFS-1", "detachable cable"),
    ("HFS-2", "fixed cable"),
    ("HFS-3", "AC charging"),
    ("HFS-4", "DC charging"),
    ("HFS-5", "single-phase charging"),
    ("HFS-6", "two-phase charging"),
    ("HFS-7", "three-phase charging"),
    ("HFS-8", "number of EVSEs (from sut.evses)"),
    ("HFS-9", "communication technology"),
    ("HFS-10", "RFID readers"),
)

CSMS: Mapping[str, Item] = _table(
    ("C-11", "UnlockConnector for stations with a detachable cable"),
    ("C-15", "scheduled firmware updates"),
    ("C-16", "checks the transaction status (GetTransactionStatus)"),
    ("C-17", "retrieves the ConfigurationInventory"),
    *_TRIGGER,
    *(Item(i, t, required=i in {"C-30", "C-31", "C-35"}) for i, t in _LOCAL_START),
    *(Item(i, t, required=i in {"C-36", "C-37"}) for i, t in _REMOTE_START),
    ("C-44", "CSMS answers a boot Pending before it accepts the station"),
    ("C-45", "GetVariables with several elements"),
    ("C-46", "SetVariables with several elements"),
    ("C-50", "asks for a FullInventory report (GetBaseReport)"),
    ("C-50.1", "asks for a FullInventory while onboarding a station"),
    ("C-50.2", "asks for a FullInventory on an operator's request"),
    *_SHARED,
    ("SC-4", "TxDefaultProfile on EVSE 0"),
    ("R-1", "reservation of a connector type"),
    ("R-2", "reservation of an unspecified EVSE"),
    ("LA-2", "GetLocalListVersion"),
    ("AQ-12", "asks for a FullInventory in the onboarding / boot cases"),
    ("AQ-13", "absolute charging profiles"),
    ("AQ-13.1", "absolute TxDefaultProfile"),
    ("AQ-13.2", "absolute ChargingStationMaxProfile"),
    ("AQ-14", "recurring charging profiles"),
    ("AQ-14.1", "recurring TxDefaultProfile"),
    ("AQ-14.2", "recurring ChargingStationMaxProfile"),
    ("AQ-16", "rejects unknown stations while the websocket is set up"),
    ("AQ-17", "can be set to answer a first BootNotification Pending or Rejected"),
)

#: Ids the errata retired: id -> what to write instead.
RETIRED: Mapping[Role, Mapping[str, str]] = MappingProxyType(
    {
        Role.CHARGING_STATION: MappingProxyType(
            {"ISO-3": "errata 2025-02 removed ISO-3; the question AQ-11 replaces it"}
        ),
        Role.CSMS: MappingProxyType(
            {
                "ISO-3": "errata 2025-02 removed ISO-3",
                **{
                    old: f"errata 2025-02/04 renumbered the CSMS question {old} to {new}"
                    for old, new in (
                        ("AQ-1", "AQ-17"),
                        ("AQ-11", "AQ-17"),
                        ("AQ-2", "AQ-12"),
                        ("AQ-3", "AQ-13"),
                        ("AQ-3.1", "AQ-13.1"),
                        ("AQ-3.2", "AQ-13.2"),
                        ("AQ-4", "AQ-14"),
                        ("AQ-4.1", "AQ-14.1"),
                        ("AQ-4.2", "AQ-14.2"),
                        ("AQ-6", "AQ-16"),
                    )
                },
            }
        ),
    }
)

ITEMS: Mapping[Role, Mapping[str, Item]] = MappingProxyType(
    {Role.CHARGING_STATION: STATION, Role.CSMS: CSMS}
)
#: Items whose value is a number, and where the harness takes it from (never from ``features``).
NUMERIC: Mapping[str, str] = MappingProxyType({"HFS-8": "the number of EVSEs in sut.evses"})
