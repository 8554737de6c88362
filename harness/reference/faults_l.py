"""Faults of OCA block L (firmware management) of the 2.0.1/2.1 reference station (the behaviour
lives in :mod:`harness.reference.station.block_l`); each names the check of
:mod:`testcases.v201.test_l_firmware` a case fails on."""

from __future__ import annotations

from harness.reference.fault_model import STATION, V2, Fault

L_FAULTS: tuple[Fault, ...] = (
    Fault(
        "firmware-bad-signature-accepted",
        STATION,
        V2,
        "installs a firmware whose signature does not verify over the downloaded file",
        "L01.FR.04: FirmwareStatusNotification InvalidSignature",
    ),
    Fault(
        "firmware-no-signature-verified",
        STATION,
        V2,
        "verifies the signature but never reports SignatureVerified",
        "L01.FR.01/04: FirmwareStatusNotification SignatureVerified",
    ),
    Fault(
        "firmware-installs-early",
        STATION,
        V2,
        "reports InstallScheduled for a future installDateTime, then installs at once",
        "L01.FR.16: nothing is installed before installDateTime",
    ),
    Fault(
        "firmware-downloads-early",
        STATION,
        V2,
        "downloads at once although retrieveDateTime is in the future (no DownloadScheduled)",
        "L01.FR.13",
    ),
    Fault(
        "firmware-no-security-event",
        STATION,
        V2,
        "reports an invalid firmware signature or signing certificate without a "
        "SecurityEventNotification",
        "L01.FR.03: SecurityEventNotification InvalidFirmwareSignature",
        (("TC_L_05_CS", "L01.FR.02: SecurityEventNotification InvalidFirmwareSigningCertificate"),),
    ),
    Fault(
        "firmware-no-updated-event",
        STATION,
        V2,
        "installs the firmware without the SecurityEventNotification FirmwareUpdated",
        "L01.FR.31: SecurityEventNotification FirmwareUpdated",
    ),
    Fault(
        "firmware-wrong-request-id",
        STATION,
        V2,
        "sends every FirmwareStatusNotification with another requestId than the UpdateFirmware's",
        "L01.FR.10: every FirmwareStatusNotification carries the UpdateFirmware's requestId",
    ),
    Fault(
        "firmware-no-retry",
        STATION,
        V2,
        "gives a failed download up after the first attempt, ignoring the request's retries",
        "L01.FR.30: DownloadFailed only after every retry",
    ),
    Fault(
        "firmware-untrusted-certificate-accepted",
        STATION,
        V2,
        "accepts a firmware signing certificate that does not chain to its manufacturer root",
        "L01.FR.22: an untrusted signing certificate is answered InvalidCertificate",
    ),
    Fault(
        "firmware-unsigned-accepted",
        STATION,
        V2,
        "accepts an UpdateFirmware without signing certificate and signature",
        "L01.FR.21/22: an UpdateFirmware without signing certificate and signature is refused",
    ),
    Fault(
        "firmware-no-cancel",
        STATION,
        V2,
        "answers a second UpdateFirmware Accepted and lets the first update run on",
        "L01.FR.24 (C-60): the second UpdateFirmware is AcceptedCanceled",
    ),
    Fault(
        "firmware-install-verification-ignored",
        STATION,
        V2,
        "installs an image whose installation verification fails and reports Installed",
        "L01.FR.29: InstallVerificationFailed or InstallationFailed",
    ),
    Fault(
        "firmware-installs-during-transaction",
        STATION,
        V2,
        "installs (and reboots) while a transaction runs although it cannot install then",
        "L01.FR.06: no installation while a transaction runs",
        # under the legal variant firmware-download-after-transactions (the only run of
        # TC_L_12_CS) the fault downloads at once too: the case sees no DownloadScheduled first
        per_case=(("TC_L_12_CS", "L01.FR.01: FirmwareStatusNotification up to"),),
    ),
    Fault(
        "firmware-evse-not-held",
        STATION,
        V2,
        "leaves the free EVSEs Available while the update waits for a transaction to end, with "
        "AllowNewSessionsPendingFirmwareUpdate false",
        "L01.FR.07: the EVSEs not in use are Unavailable while the update waits",
    ),
)
