"""Faults of the reference OCPP 1.6 charge point in the Core profile cases of the 1.6 test case
document (sections 01-14, 16, 17, 24: configuration, resets, unlocking, remote control, data
transfer). Each names the requirement text its case FAILs on. The behaviour lives in
:mod:`harness.reference.station.config16` (configuration keys) and
:mod:`harness.reference.station.v16_core` (commands)."""

from __future__ import annotations

from harness.reference.fault_model import STATION, Fault

V16 = ("1.6",)

V16_CORE_FAULTS: tuple[Fault, ...] = (
    Fault(
        "cp16-config-unknown-key-ignored",
        STATION,
        V16,
        "leaves a requested key it does not know out of GetConfiguration.conf (no unknownKey)",
        "1.6 §5.8: unrecognized keys listed in unknownKey",
    ),
    Fault(
        "cp16-change-unknown-key-rejected",
        STATION,
        V16,
        "answers ChangeConfiguration of a key it does not support with Rejected",
        "1.6 §5.3: an unsupported key is NotSupported",
    ),
    Fault(
        "cp16-change-invalid-accepted",
        STATION,
        V16,
        "answers Accepted to a ChangeConfiguration whose value does not fit the key's format",
        "1.6 §5.3: a malformed value is Rejected",
    ),
)
