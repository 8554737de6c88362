"""Settings of the reference station under its legal variants (``harness.reference.variants``).

The variants that are a configuration choice the specification leaves to the station change the
station's factory settings here; the behaviour follows from the station logic as it is:

* ``tx-start-powerpathclosed`` / ``tx-start-authorized``: TxCtrlr.TxStartPoint (2.0.1 E01, OCA
  features C-09.4 / C-09.2); ``tx-stop-evconnected``: TxCtrlr.TxStopPoint (E06, C-10.1);
* ``authorize-remote-start``: AuthCtrlr.AuthorizeRemoteStart (2.x) / AuthorizeRemoteTxRequests
  (1.6 §9.1) true;
* ``local-pre-authorize``: AuthCtrlr.LocalPreAuthorize (2.x, C10/C12) / LocalPreAuthorize (1.6
  §3.5.1, §9.1) true: a token in the authorization cache starts without an Authorize;
* ``ev-disconnect-keeps-transaction``: StopTransactionOnEVSideDisconnect (1.6 §9.1) false: an
  unplugged cable suspends the transaction (SuspendedEV) instead of stopping it;
* ``periodic-meter-values``: SampledDataCtrlr.TxUpdatedInterval (2.x) / MeterValueSampleInterval
  (1.6) 1 s;
* ``optional-variables-absent``: the device model leaves out the variables Part 2 Appendix 3
  marks "Required: no" (OCPPCommCtrlr.HeartbeatInterval, SecurityCtrlr.Identity,
  LocalAuthListCtrlr.Enabled and Available: the list is then always on);
* ``status-via-notifyevent``: :func:`availability_event` is the NotifyEvent a 2.x station may send
  instead of a StatusNotification (G01.FR.03-07; 2.1 B01.FR.05).
"""

from __future__ import annotations

from typing import Any

from harness.reference.station.config16 import Config16
from harness.reference.station.devmodel import Variable
from harness.reference.station.model import Payload, now_iso
from harness.reference.variants import Seeded

#: Variables of the reference device model that OCPP 2.0.1/2.1 Part 2 Appendix 3 (Referenced
#: Components and Variables) marks as not required.
OPTIONAL_VARIABLES = frozenset(
    {
        ("OCPPCommCtrlr", "HeartbeatInterval"),
        ("SecurityCtrlr", "Identity"),
        ("LocalAuthListCtrlr", "Enabled"),
        ("LocalAuthListCtrlr", "Available"),
        ("LocalAuthListCtrlr", "DisablePostAuthorize"),
    }
)

#: (variant, component, variable, instance) -> the value the variant gives the 2.x variable.
_V2_SETTINGS: dict[tuple[str, str, str], str] = {
    ("tx-start-powerpathclosed", "TxCtrlr", "TxStartPoint"): "PowerPathClosed",
    ("tx-start-authorized", "TxCtrlr", "TxStartPoint"): "Authorized",
    ("tx-stop-evconnected", "TxCtrlr", "TxStopPoint"): "EVConnected",
    ("authorize-remote-start", "AuthCtrlr", "AuthorizeRemoteStart"): "true",
    ("periodic-meter-values", "SampledDataCtrlr", "TxUpdatedInterval"): "1",
    ("local-pre-authorize", "AuthCtrlr", "LocalPreAuthorize"): "true",
}
_V16_SETTINGS: dict[tuple[str, str], str] = {
    ("authorize-remote-start", "AuthorizeRemoteTxRequests"): "true",
    ("periodic-meter-values", "MeterValueSampleInterval"): "1",
    ("local-pre-authorize", "LocalPreAuthorize"): "true",
    ("ev-disconnect-keeps-transaction", "StopTransactionOnEVSideDisconnect"): "false",
}


def device_model(variables: list[Variable], seeded: Seeded) -> list[Variable]:
    """The 2.x variables as the seeded variants have them (values set, optional ones gone)."""
    if "optional-variables-absent" in seeded:
        variables = [v for v in variables if (v.component, v.name) not in OPTIONAL_VARIABLES]
    for (variant, component, name), value in _V2_SETTINGS.items():
        if variant not in seeded:
            continue
        for v in variables:
            if v.component == component and v.name == name and v.evse is None:
                v.value = value
    return variables


def configuration(config: Config16, seeded: Seeded) -> None:
    """Set the 1.6 configuration keys the seeded variants change."""
    for (variant, key), value in _V16_SETTINGS.items():
        if variant in seeded:
            config.store(key, value)


def availability_event(key: Any, status: str, event_id: int) -> Payload:
    """NotifyEvent: the Connector's AvailabilityState changed (trigger Delta), G01.FR.03-07."""
    evse_id, connector_id = key
    stamp = now_iso()
    return {
        "generatedAt": stamp,
        "seqNo": 0,
        "eventData": [
            {
                "eventId": event_id,
                "timestamp": stamp,
                "trigger": "Delta",
                "actualValue": status,
                "eventNotificationType": "HardWiredNotification",
                "component": {
                    "name": "Connector",
                    "evse": {"id": evse_id, "connectorId": connector_id},
                },
                "variable": {"name": "AvailabilityState"},
            }
        ],
    }
