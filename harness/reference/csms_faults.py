"""Faults of the reference CSMS, one behaviour each (the behaviour lives in
:mod:`harness.reference.csms`)."""

from __future__ import annotations

from harness.reference.fault_model import ALL, CSMS, V2, Fault

CSMS_FAULTS: tuple[Fault, ...] = (
    Fault(
        "csms-boot-rejects",
        CSMS,
        ALL,
        "rejects every BootNotification",
        "B01.FR.02: a known station is Accepted",
        (
            ("TC_001_CSMS", "1.6 §4.2: a known charge point is Accepted"),
            ("TC_A_01_CSMS", "B01: boot accepted after authentication"),
            ("TC_B_58_CSMS", "B01: boot accepted on the negotiated connection"),
        ),
    ),
    Fault(
        "csms-boot-stale-time",
        CSMS,
        ALL,
        "answers BootNotification and Heartbeat with a currentTime one hour off",
        "B01: currentTime is the CSMS's current time",
        (("TC_001_CSMS", "1.6 §6.4: currentTime is the central system's time"),),
    ),
    Fault(
        "csms-boot-no-interval",
        CSMS,
        ALL,
        "accepts a BootNotification with interval 0 (no heartbeat interval)",
        "B01: a heartbeat interval is given",
        (("TC_001_CSMS", "1.6 §6.4: a heartbeat interval is given"),),
    ),
    Fault(
        "csms-heartbeat-stale-time",
        CSMS,
        ALL,
        "answers Heartbeat (only) with a currentTime one hour off",
        "G02: Heartbeat carries the current time",
        (("TC_001_CSMS", "1.6 §4.6: Heartbeat carries the current time"),),
    ),
    Fault(
        "csms-subprotocol-first-offered",
        CSMS,
        V2,
        "selects the first subprotocol a station offers, even one it does not support",
        "Part 4 §3.1.2: the CSMS selects a subprotocol it supports",
    ),
    Fault(
        "csms-auth-rejects-all",
        CSMS,
        V2,
        "refuses every connection, even with valid credentials",
        "A01: valid Basic credentials are accepted",
    ),
    Fault(
        "csms-auth-ignores-username",
        CSMS,
        V2,
        "accepts Basic credentials whose username is not the station identity",
        "A00: username must equal the station identity",
    ),
    Fault(
        "csms-auth-accepts-any-password",
        CSMS,
        V2,
        "accepts any Basic auth password",
        "A00: a wrong password is refused",
    ),
    Fault(
        "csms-accepts-unknown-token",
        CSMS,
        ALL,
        "authorizes tokens that are not in its list",
        "C01: an unknown token is not Accepted",
        (
            ("TC_023_1_CSMS", "1.6 §4.1: an unknown idTag is Invalid"),
            ("TC_C_20_CSMS", "C12.FR.03: the CSMS checks the cached token"),
        ),
    ),
    Fault(
        "csms-authorize-rejects-valid",
        CSMS,
        ALL,
        "answers Authorize for every token, valid ones included, with Invalid",
        "C01: a valid token is Accepted",
        (("TC_003_CSMS", "1.6 §4.1: a valid idTag is Accepted"),),
    ),
    Fault(
        "csms-tx-rejects-valid-token",
        CSMS,
        ALL,
        "answers a transaction with a valid token as Invalid",
        "E02: the transaction's token is Accepted",
        (
            ("TC_003_CSMS", "1.6 §4.8: the transaction's idTag is Accepted"),
            ("TC_C_08_CSMS", "C12.FR.03: the CSMS checks the cached token"),
        ),
    ),
    Fault(
        "csms-fails-transaction-end",
        CSMS,
        ALL,
        "answers StopTransaction / TransactionEvent Ended with CALLERROR InternalError",
        "E06: TransactionEvent Ended answered",
        (
            ("TC_003_CSMS", "1.6 §4.10: StopTransaction answered"),
            ("TC_C_47_CSMS", "C16: TransactionEvent Ended (MasterPass) answered"),
            ("TC_C_49_CSMS", "C16: TransactionEvent Ended (MasterPass) answered"),
        ),
    ),
    Fault(
        "csms-commands-dropped",
        CSMS,
        ALL,
        "tells the operator a command went out and was Accepted, but never sends it",
        "the CSMS sends",
        (("TC_010_CSMS", "1.6 §5.11: RemoteStartTransaction sent"),),
    ),
    Fault(
        "csms-remote-start-wrong-token",
        CSMS,
        ALL,
        "sends a remote start with a different token than the operator asked for",
        "F01: the operator's token is requested",
        (("TC_010_CSMS", "1.6 §5.11: for the operator's idTag"),),
    ),
    Fault(
        "csms-remote-start-wrong-evse",
        CSMS,
        ALL,
        "sends a remote start for the next EVSE (1.6 connector) after the one the operator chose",
        "F01: for the operator's EVSE",
        (("TC_010_CSMS", "1.6 §5.11: for the operator's connector"),),
    ),
    Fault(
        "csms-availability-wrong-status",
        CSMS,
        ALL,
        "sends ChangeAvailability with the other operationalStatus than the operator asked for",
        "operationalStatus",
    ),
    Fault(
        "csms-availability-wrong-evse",
        CSMS,
        ALL,
        "sends ChangeAvailability for the next EVSE after the one the operator chose",
        "for the chosen EVSE",
    ),
)
