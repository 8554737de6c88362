"""Faults of the reference SUTs that break OCA block B (Provisioning). The station's: the boot in
Pending, the device model (GetVariables/SetVariables, base reports) and Reset. The CSMS's: the
GetVariables/SetVariables/Reset it sends (:mod:`harness.reference.csms.block_b`). The behaviour they break lives in
:mod:`harness.reference.station.session`, :mod:`~harness.reference.station.v2` and
:mod:`~harness.reference.station.devmodel`."""

from __future__ import annotations

from harness.reference.fault_model import CSMS, STATION, V2, Fault

B_FAULTS: tuple[Fault, ...] = (
    Fault(
        "pending-refuses-requests",
        STATION,
        V2,
        "answers GetVariables/SetVariables/GetBaseReport with SecurityError while its boot is "
        "Pending",
        "B02.FR.01: SetVariables answered while Pending",
    ),
    Fault(
        "pending-accepts-remote-start",
        STATION,
        V2,
        "accepts a RequestStartTransaction while its boot is Pending",
        "B02.FR.05: RequestStartTransaction Rejected while Pending",
    ),
    Fault(
        "pending-ignores-trigger-boot",
        STATION,
        V2,
        "accepts a TriggerMessage BootNotification while Pending but waits for the interval",
        "F06.FR.17: BootNotification sent at once when triggered",
    ),
    Fault(
        "dm-unknown-component-as-variable",
        STATION,
        V2,
        "answers Get/SetVariables for an unknown component with UnknownVariable",
        "B06.FR.06",
        (("TC_B_35_CS", "B05.FR.04"),),
    ),
    Fault(
        "dm-unknown-variable-rejected",
        STATION,
        V2,
        "answers Get/SetVariables for an unknown variable of a known component with Rejected",
        "B06.FR.07",
        (("TC_B_36_CS", "B05.FR.05"),),
    ),
    Fault(
        "dm-attribute-type-ignored",
        STATION,
        V2,
        "treats every attributeType as Actual in Get/SetVariables (a Target is read or set as "
        "the Actual value)",
        "B06.FR.08",
        (("TC_B_37_CS", "B05.FR.06"),),
    ),
    Fault(
        "dm-read-only-set-accepted",
        STATION,
        V2,
        "answers SetVariables for a ReadOnly variable with Accepted (and keeps the value)",
        "B05.FR.09",
    ),
    Fault(
        "dm-badly-formatted-accepted",
        STATION,
        V2,
        "accepts a SetVariables value that is not of the variable's data type (and keeps the old "
        "value)",
        "B05.FR.07",
    ),
    Fault(
        "dm-first-item-only",
        STATION,
        V2,
        "answers a Get/SetVariables of several items with the result of the first one only",
        "B06.FR.01",
        (("TC_B_10_CS", "B05.FR.01"),),
    ),
    Fault(
        "report-configuration-as-full",
        STATION,
        V2,
        "answers GetBaseReport FullInventory with the ConfigurationInventory (its ReadOnly "
        "variables left out)",
        "B07.FR.08",
        (("TC_B_53_CS", "Referenced Components and Variables: the required variables"),),
    ),
    Fault(
        "report-configuration-with-read-only",
        STATION,
        V2,
        "answers GetBaseReport ConfigurationInventory with the FullInventory (ReadOnly variables "
        "included)",
        "B07.FR.07: the ConfigurationInventory reports ReadWrite/WriteOnly variables only",
    ),
    Fault(
        "report-never-sent",
        STATION,
        V2,
        "accepts a GetBaseReport and never sends the NotifyReport",
        "B07.FR.03",
    ),
    Fault(
        "reset-no-reboot",
        STATION,
        V2,
        "answers a Reset of the whole station Accepted and never reboots",
        "B11.FR.03",
    ),
    Fault(
        "reset-onidle-immediate",
        STATION,
        V2,
        "answers Reset OnIdle during a transaction Accepted and resets at once",
        "B12.FR.01",
    ),
    Fault(
        "reset-immediate-wrong-reason",
        STATION,
        V2,
        "ends a transaction cut by Reset Immediate with stoppedReason Reboot, not ImmediateReset",
        "E07.FR.03",
    ),
    Fault(
        "reset-forgets-unavailable",
        STATION,
        V2,
        "makes every connector operative again when it reboots for a Reset",
        "B11.FR.02",
    ),
    Fault(
        "csms-getvariables-swapped",
        CSMS,
        V2,
        "asks GetVariables with the component and variable names swapped",
        "B06: the CSMS asks for OCPPCommCtrlr.OfflineThreshold",
    ),
    Fault(
        "csms-setvariables-target",
        CSMS,
        V2,
        "sets a variable with SetVariables attributeType Target instead of Actual",
        "B05.FR.12: attributeType absent or Actual",
    ),
    Fault(
        "csms-reset-wrong-type",
        CSMS,
        V2,
        "sends Reset of the other type (Immediate for OnIdle and OnIdle for Immediate)",
        "B11/B12: Reset of the type the operator asked for",
    ),
    Fault(
        "rejected-answers-requests",
        STATION,
        V2,
        "handles CSMS requests (GetBaseReport, GetVariables...) while its boot is Rejected",
        "B03.FR.08",
    ),
    Fault(
        "reset-evse-accepted",
        STATION,
        V2,
        "answers a Reset of an idle EVSE Accepted though it cannot reset one (and does nothing)",
        "B11.FR.09",
    ),
    Fault(
        "reset-evse-accepted-during-transaction",
        STATION,
        V2,
        "answers a Reset of an EVSE with a transaction Accepted though it cannot reset one (and "
        "does nothing)",
        "B12.FR.09",
    ),
    Fault(
        "csms-network-profile-wrong-security",
        CSMS,
        V2,
        "sends SetNetworkProfile with a security profile one above the one asked for",
        "B09.FR.01: connectionData as configured",
        (
            (
                "TC_A_19_CSMS",
                "A05: the CSMS sends SetNetworkProfileRequest of the next security profile",
            ),
        ),
    ),
    Fault(
        "csms-network-profile-not-sent",
        CSMS,
        V2,
        "reports a network profile as set without sending SetNetworkProfile",
        "B09: the CSMS sends SetNetworkProfileRequest",
    ),
    Fault(
        "network-profile-any-slot",
        STATION,
        V2,
        "accepts a SetNetworkProfile for a configuration slot it does not have",
        "B09.FR.02",
    ),
    Fault(
        "network-profile-downgrade-accepted",
        STATION,
        V2,
        "accepts a network profile of a lower security profile than the one in use",
        "B09.FR.04: a lower security profile is Rejected",
    ),
    Fault(
        "offline-reports-all",
        STATION,
        V2,
        "reports every connector after any offline period, however short",
        "B04.FR.02",
    ),
    Fault(
        "offline-reports-changed",
        STATION,
        V2,
        "reports only the changed connectors after an offline period, however long",
        "B04.FR.01",
    ),
    Fault(
        "csms-base-report-wrong-base",
        CSMS,
        V2,
        "asks GetBaseReport for FullInventory when ConfigurationInventory is asked for, and "
        "the other way round",
        "B07: GetBaseReport of the report asked for",
    ),
    Fault(
        "backoff-not-doubled",
        STATION,
        V2,
        "waits RetryBackOffWaitMinimum before every reconnection attempt, never doubling it",
        "Part 4 §5.3: the back-off doubles after a failed attempt",
    ),
    Fault(
        "backoff-ignores-minimum",
        STATION,
        V2,
        "reconnects at once after a connection loss, ignoring RetryBackOffWaitMinimum",
        "Part 4 §5.3: the first attempt after RetryBackOffWaitMinimum",
    ),
    Fault(
        "network-priority-ignored",
        STATION,
        V2,
        "always connects to its own URL, whatever NetworkConfigurationPriority names first",
        "B10.FR.04",
    ),
    Fault(
        "network-no-fallback",
        STATION,
        V2,
        "keeps trying the first slot of NetworkConfigurationPriority, never falling back to the "
        "next one",
        "B10.FR.03",
    ),
)
