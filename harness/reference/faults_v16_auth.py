"""Faults of the reference OCPP 1.6 charge point in the Local Authorization List (1.6 §3.5.2,
§5.10, §5.15; cases TC_008_x_CS, TC_042_x_CS, TC_043_x_CS in :mod:`testcases.v16.test_local_list`)
and remote trigger (1.6 §5.17; TC_054_CS, TC_055_CS in :mod:`testcases.v16.test_remote_trigger`).
The behaviour lives in :mod:`harness.reference.station.v16_auth` and
:meth:`harness.reference.station.v16.V16._trigger`."""

from __future__ import annotations

from harness.reference.fault_model import STATION, Fault

V16 = ("1.6",)

AUTH16_FAULTS: tuple[Fault, ...] = (
    Fault(
        "cp16-local-list-unused",
        STATION,
        V16,
        "never looks an idTag up in the Local Authorization List: with LocalPreAuthorize true a "
        "listed idTag still waits for the Authorize answer",
        "1.6 §3.5: LocalPreAuthorize",
    ),
    Fault(
        "cp16-list-version-while-disabled",
        STATION,
        V16,
        "answers GetLocalListVersion with the list's version while LocalAuthListEnabled is false",
        "1.6 §5.10: -1",
    ),
    Fault(
        "cp16-empty-list-version",
        STATION,
        V16,
        "answers GetLocalListVersion with the version of the last update when the list is empty",
        "1.6 §5.10: 0",
    ),
    Fault(
        "cp16-local-list-not-applied",
        STATION,
        V16,
        "answers SendLocalList Accepted but keeps the old list and version",
        "1.6 §5.15: the version sent",
    ),
    Fault(
        "cp16-list-disabled-accepts",
        STATION,
        V16,
        "answers SendLocalList Accepted while LocalAuthListEnabled is false",
        "1.6 §5.15: NotSupported",
    ),
    Fault(
        "cp16-list-version-unchecked",
        STATION,
        V16,
        "applies a Differential SendLocalList whose listVersion is not above the current one",
        "1.6 §5.15: VersionMismatch",
    ),
    Fault(
        "cp16-list-overflow-accepted",
        STATION,
        V16,
        "answers Accepted to a SendLocalList that makes the list longer than "
        "LocalAuthListMaxLength (and keeps only the first entries)",
        "1.6 §5.15: Failed",
    ),
    Fault(
        "cp16-trigger-not-sent",
        STATION,
        V16,
        "answers TriggerMessage Accepted but sends nothing",
        "1.6 §5.17: the requested message",
    ),
    Fault(
        "cp16-trigger-unknown-connector",
        STATION,
        V16,
        "answers TriggerMessage Accepted for a connectorId it does not have",
        "1.6 §5.17: Rejected",
    ),
)
