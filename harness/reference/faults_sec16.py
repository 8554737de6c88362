"""Faults of the OCPP 1.6 security extension (Security Whitepaper edition 3) of the 1.6 reference
charge point: the behaviour lives in :mod:`harness.reference.station.sec16` and, for the
``-16`` twins of 2.x faults, in the classes it shares with 2.x (block M's store, A02's renewal,
N01's log upload). Killed by the cases of :mod:`testcases.v16.test_security` and
:mod:`testcases.v16.test_security_certificates`."""

from __future__ import annotations

from harness.reference.fault_model import STATION, Fault

V16 = ("1.6",)

SEC16_FAULTS: tuple[Fault, ...] = (
    Fault(
        "password-not-applied-16",
        STATION,
        V16,
        "answers ChangeConfiguration AuthorizationKey Accepted but reconnects with the old password",
        "1.6 SEC A01.FR.01: the charge point reconnects with the new AuthorizationKey",
    ),
    Fault(
        "authorization-key-readable-16",
        STATION,
        V16,
        "GetConfiguration reports the value of the write-only AuthorizationKey",
        "1.6 SEC §7.2: AuthorizationKey is write-only",
    ),
    Fault(
        "sign-certificate-no-csr-16",
        STATION,
        V16,
        "answers ExtendedTriggerMessage SignChargePointCertificate Accepted but sends no CSR",
        "1.6 SEC A02.FR.03: the charge point sends its CSR in SignCertificate.req",
    ),
    Fault(
        "new-certificate-not-used-16",
        STATION,
        V16,
        "Accepts a valid CertificateSigned.req but keeps connecting with its old certificate",
        "1.6 SEC A02.FR.08: the charge point connects with the new certificate",
    ),
    Fault(
        "install-certificate-not-stored-16",
        STATION,
        V16,
        "answers InstallCertificate Accepted but does not store the certificate",
        "1.6 SEC M03.FR.04: the hash data of each matching installed certificate",
    ),
    Fault(
        "delete-certificate-not-deleted-16",
        STATION,
        V16,
        "answers DeleteCertificate Accepted but keeps the certificate",
        "1.6 SEC M04.FR.02: the deleted certificate is no longer installed",
    ),
    Fault(
        "certificate-signed-accepts-invalid-16",
        STATION,
        V16,
        "Accepts (and stores) any chain CertificateSigned.req brings",
        "1.6 SEC A02.FR.06/07: an invalid certificate in CertificateSigned.req is Rejected",
    ),
    Fault(
        "certificate-signed-no-security-event-16",
        STATION,
        V16,
        "Rejects an invalid CertificateSigned.req without the InvalidChargePointCertificate event",
        "1.6 SEC A02.FR.07: SecurityEventNotification InvalidChargePointCertificate",
    ),
    Fault(
        "no-security-event-invalid-cs-cert-16",
        STATION,
        V16,
        "refuses an invalid Central System certificate without a security event",
        "1.6 SEC A00.FR.309/413: SecurityEventNotification InvalidCentralSystemCertificate",
    ),
    Fault(
        "getlog-wrong-requestid-16",
        STATION,
        V16,
        "sends its LogStatusNotification.req with another requestId than the GetLog.req's",
        "N01.FR.07: same requestId",
    ),
    Fault(
        "security-profile-downgrade-accepted-16",
        STATION,
        V16,
        "Accepts (and stores) ChangeConfiguration SecurityProfile to a lower profile",
        "1.6 SEC A05.FR.01: a lower SecurityProfile is Rejected",
    ),
    Fault(
        "security-profile-upgrade-no-reconnect-16",
        STATION,
        V16,
        "Accepts ChangeConfiguration SecurityProfile 3 but stays connected (no reconnect)",
        "1.6 SEC A05.FR.06: the charge point disconnects",
    ),
)
