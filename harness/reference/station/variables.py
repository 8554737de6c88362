"""The variables the reference station's 2.0.1/2.1 device model holds, with their defaults.

Controller components and variables per OCPP 2.0.1 Part 2 Appendix 3 ("Referenced Components and
Variables"); the required ones of the Core profile are all here. Values that mirror live station
state (HeartbeatInterval, AvailabilityState, DateTime) are read and written through callbacks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from harness.reference.station.block_h import CONNECTOR_TYPE
from harness.reference.station.devmodel import Variable
from harness.reference.station.model import Hardware, now_iso

TX_POINTS = "ParkingBayOccupancy,EVConnected,Authorized,DataSigned,PowerPathClosed,EnergyTransfer"
MEASURANDS = "Energy.Active.Import.Register,Power.Active.Import,Current.Import"
AVAILABILITY = "Available,Occupied,Reserved,Unavailable,Faulted"
TIME_SOURCES = "Heartbeat,NTP,GPS,RealTimeClock,MobileNetwork,RadioTimeTransmitter"
ENERGY = "Energy.Active.Import.Register"
RO = "ReadOnly"


@dataclass(frozen=True, slots=True)
class Bindings:
    """Live state behind some variables: (evse id, connector id) -> AvailabilityState, with
    (None, None) for the whole station; and the heartbeat interval."""

    availability: Callable[[int | None, int | None], str]
    heartbeat_get: Callable[[], str]
    heartbeat_set: Callable[[str], None]


def standard_variables(
    hw: Hardware, *, identity: str, security_profile: int, live: Bindings
) -> list[Variable]:
    """Every variable of the reference station, in report order."""
    out = [
        Variable(
            "OCPPCommCtrlr",
            "HeartbeatInterval",
            "integer",
            minimum=1,
            unit="s",
            getter=live.heartbeat_get,
            setter=live.heartbeat_set,
        ),
        Variable("OCPPCommCtrlr", "OfflineThreshold", "integer", "60", minimum=0, unit="s"),
        Variable("OCPPCommCtrlr", "MessageTimeout", "integer", "5", RO, "Default", minimum=1),
        Variable(
            "OCPPCommCtrlr",
            "MessageAttempts",
            "integer",
            "3",
            instance="TransactionEvent",
            minimum=1,
        ),
        Variable(
            "OCPPCommCtrlr",
            "MessageAttemptInterval",
            "integer",
            "1",
            instance="TransactionEvent",
            minimum=0,
        ),
        Variable("OCPPCommCtrlr", "ResetRetries", "integer", "1", minimum=0),
        Variable(
            "OCPPCommCtrlr",
            "FileTransferProtocols",
            "MemberList",
            "HTTP,HTTPS",
            RO,
            values_list="HTTP,HTTPS",
        ),
        Variable(
            "OCPPCommCtrlr",
            "NetworkConfigurationPriority",
            "SequenceList",
            "1",
            values_list="0,1,2,3,4,5,6,7,8,9",
            non_empty=True,
        ),
        Variable("OCPPCommCtrlr", "NetworkProfileConnectionAttempts", "integer", "3", minimum=1),
        Variable("OCPPCommCtrlr", "UnlockOnEVSideDisconnect", "boolean", "true"),
        Variable("OCPPCommCtrlr", "WebSocketPingInterval", "integer", "0", minimum=0),
        # Part 4 §5.3/§8: the reconnection back-off (0 s: reconnect at once, as a test rig wants)
        Variable("OCPPCommCtrlr", "RetryBackOffRepeatTimes", "integer", "2", minimum=0),
        Variable("OCPPCommCtrlr", "RetryBackOffRandomRange", "integer", "0", minimum=0, unit="s"),
        Variable("OCPPCommCtrlr", "RetryBackOffWaitMinimum", "integer", "0", minimum=0, unit="s"),
        Variable("TxCtrlr", "EVConnectionTimeOut", "integer", "120", minimum=1, unit="s"),
        Variable(
            "TxCtrlr",
            "TxStartPoint",
            "MemberList",
            "EVConnected,Authorized",
            values_list=TX_POINTS,
            non_empty=True,
        ),
        Variable(
            "TxCtrlr",
            "TxStopPoint",
            "MemberList",
            "EVConnected,Authorized",
            values_list=TX_POINTS,
            non_empty=True,
        ),
        Variable("TxCtrlr", "StopTxOnEVSideDisconnect", "boolean", "true", RO),
        Variable("TxCtrlr", "StopTxOnInvalidId", "boolean", "true"),
        Variable("AuthCtrlr", "AuthorizeRemoteStart", "boolean", "false"),
        Variable("AuthCtrlr", "LocalPreAuthorize", "boolean", "false"),
        Variable("AuthCtrlr", "LocalAuthorizationOffline", "boolean", "false"),
        Variable("AuthCtrlr", "OfflineTxForUnknownIdEnabled", "boolean", "false"),  # C15
        Variable("SampledDataCtrlr", "TxUpdatedInterval", "integer", "0", minimum=0, unit="s"),
        Variable(
            "SampledDataCtrlr", "TxUpdatedMeasurands", "MemberList", ENERGY, values_list=MEASURANDS
        ),
        Variable(
            "SampledDataCtrlr", "TxStartedMeasurands", "MemberList", ENERGY, values_list=MEASURANDS
        ),
        Variable(
            "SampledDataCtrlr", "TxEndedMeasurands", "MemberList", ENERGY, values_list=MEASURANDS
        ),
        Variable("SampledDataCtrlr", "TxEndedInterval", "integer", "0", minimum=0, unit="s"),
        Variable("SampledDataCtrlr", "SignReadings", "boolean", "false"),  # J02.FR.21
        Variable("AlignedDataCtrlr", "Interval", "integer", "0", minimum=0, unit="s"),
        Variable("AlignedDataCtrlr", "Measurands", "MemberList", ENERGY, values_list=MEASURANDS),
        Variable("AlignedDataCtrlr", "TxEndedMeasurands", "MemberList", "", values_list=MEASURANDS),
        Variable("AlignedDataCtrlr", "TxEndedInterval", "integer", "0", minimum=0, unit="s"),
        Variable("AlignedDataCtrlr", "SignReadings", "boolean", "false"),  # J01.FR.21
    ]
    for instance in ("GetReport", "GetVariables", "SetVariables"):
        out.append(Variable("DeviceDataCtrlr", "ItemsPerMessage", "integer", "50", RO, instance))
        out.append(Variable("DeviceDataCtrlr", "BytesPerMessage", "integer", "65536", RO, instance))
    out += [
        Variable("SecurityCtrlr", "SecurityProfile", "integer", str(security_profile), RO),
        Variable("SecurityCtrlr", "Identity", "string", identity, RO),
        Variable("SecurityCtrlr", "OrganizationName", "string", "ocpp-harness"),
        Variable("SecurityCtrlr", "CertificateEntries", "integer", "0", RO),
        # A02.FR.17-19 (PICS AS-3): the back-off of an unanswered CSR
        Variable("SecurityCtrlr", "CertSigningWaitMinimum", "integer", "60", minimum=1, unit="s"),
        Variable("SecurityCtrlr", "CertSigningRepeatTimes", "integer", "2", minimum=0),
        # M05.FR.09-12 (PICS AS-2): checked by the station that starts on security profile 3
        Variable(
            "SecurityCtrlr",
            "AdditionalRootCertificateCheck",
            "boolean",
            "true" if security_profile == 3 else "false",
            RO,
        ),
        Variable("ClockCtrlr", "DateTime", "dateTime", mutability=RO, getter=now_iso),
        Variable("ClockCtrlr", "TimeSource", "SequenceList", "Heartbeat", values_list=TIME_SOURCES),
        Variable("ClockCtrlr", "NextTimeOffsetTransitionDateTime", "dateTime", now_iso()),
    ]
    out += _physical("ChargingStation", None, None, live)
    for evse in hw.evses.values():
        out += _physical("EVSE", evse.id, None, live)
        out.append(Variable("EVSE", "Power", "decimal", "22000", RO, evse=evse.id, unit="W"))
        for connector_id in evse.connectors:
            out += _physical("Connector", evse.id, connector_id, live)
            out.append(
                Variable(
                    "Connector", "ConnectorType", "string", CONNECTOR_TYPE, RO,
                    evse=evse.id, connector=connector_id,
                )
            )  # fmt: skip
    return out


def _physical(name: str, evse: int | None, connector: int | None, live: Bindings) -> list[Variable]:
    def state() -> str:
        return live.availability(evse, connector)

    return [
        Variable(
            name,
            "AvailabilityState",
            "OptionList",
            mutability=RO,
            evse=evse,
            connector=connector,
            values_list=AVAILABILITY,
            getter=state,
        ),
        Variable(name, "Available", "boolean", "true", RO, evse=evse, connector=connector),
        Variable(name, "SupplyPhases", "integer", "3", RO, evse=evse, connector=connector),
    ]
