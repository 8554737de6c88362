"""Faults of OCA block A (security: TLS of security profiles 2 and 3), both reference SUTs. The
TLS ones change the reference SUT's TLS context (:mod:`harness.peers.tls_setup`); the others
live in :mod:`harness.reference.station.block_a` and the reference CSMS's server."""

from __future__ import annotations

from harness.reference.fault_model import CSMS, STATION, V2, Fault

A_FAULTS: tuple[Fault, ...] = (
    # -- the CSMS under test ----------------------------------------------------------------------
    Fault(
        "csms-accepts-old-tls",
        CSMS,
        V2,
        "accepts a station that speaks TLS 1.0/1.1 only",
        "A00.FR.418: a TLS version below 1.2 is refused",
    ),
    Fault(
        "csms-trusts-unknown-ca",
        CSMS,
        V2,
        "accepts a station certificate issued by a CA it was never given",
        "A00.FR.407: an invalid station certificate is refused",
    ),
    Fault(
        "csms-ignores-client-cn",
        CSMS,
        V2,
        "accepts a valid station certificate whose CN is another station's",
        "A00.FR.407: an invalid station certificate is refused",
    ),
    Fault(
        "csms-sign-certificate-rejected",
        CSMS,
        V2,
        "answers every SignCertificateRequest Rejected",
        "A02.FR.11: SignCertificateRequest is Accepted",
    ),
    Fault(
        "csms-certificate-signed-wrong-key",
        CSMS,
        V2,
        "issues the renewed station certificate for a key of its own, not the CSR's",
        "A02.FR.03: the certificate is issued for the CSR's public key",
    ),
    Fault(
        "csms-ecdsa-only",
        CSMS,
        V2,
        "has no RSA certificate, so the TLS_RSA and ECDHE-RSA suites fail",
        "A00.FR.318: the CSMS supports the OCPP cipher suites",
    ),
    # -- the charging station under test ----------------------------------------------------------
    Fault(
        "accepts-unknown-csms-certificate",
        STATION,
        V2,
        "connects to a CSMS whose certificate comes from a CA it was never given",
        "A00.FR.311: the station ends a connection with an invalid CSMS certificate",
    ),
    Fault(
        "accepts-old-tls",
        STATION,
        V2,
        "connects to a CSMS that speaks TLS 1.0/1.1 only",
        "A00.FR.416: the station refuses a TLS version below 1.2",
    ),
    Fault(
        "no-security-event-on-tls-failure",
        STATION,
        V2,
        "never reports a failed TLS handshake as a security event",
        "A00.FR.310: SecurityEventNotification InvalidCsmsCertificate",
    ),
    Fault(
        "password-change-ignored",
        STATION,
        V2,
        "answers a new BasicAuthPassword Accepted but reconnects with the old one",
        "A01.FR.01: the station reconnects with the new BasicAuthPassword",
    ),
    Fault(
        "password-accepts-short",
        STATION,
        V2,
        "accepts a BasicAuthPassword shorter than 16 characters",
        "A00.FR.205/304: a BasicAuthPassword under 16 characters is Rejected",
    ),
    Fault(
        "sign-certificate-trigger-rejected",
        STATION,
        V2,
        "rejects TriggerMessage SignChargingStationCertificate",
        "F06.FR.04: TriggerMessage SignChargingStationCertificate is Accepted",
    ),
    Fault(
        "csr-wrong-cn",
        STATION,
        V2,
        "puts another name than its identity in the CN of its CSR",
        "A00.FR.509/511: the CSR's subject has CN = the station's serial number and an O",
    ),
    Fault(
        "new-certificate-not-used",
        STATION,
        V2,
        "accepts a renewed certificate but keeps connecting with the old one",
        "A02.FR.08: the station connects with the new certificate",
    ),
    Fault(
        "certificate-signed-accepts-invalid",
        STATION,
        V2,
        "accepts a CertificateSigned chain outside the CPO hierarchy",
        "A02.FR.07: an invalid certificate in CertificateSignedRequest is Rejected",
    ),
    Fault(
        "certificate-signed-no-security-event",
        STATION,
        V2,
        "rejects an invalid CertificateSigned chain without a security event",
        "A02.FR.07: SecurityEventNotification InvalidChargingStationCertificate",
    ),
    # -- A02.FR.17/18: the back-off of an unanswered CSR (PICS AS-3) ------------------------------
    Fault(
        "csr-not-repeated",
        STATION,
        V2,
        "never sends an Accepted CSR again when no CertificateSignedRequest follows",
        "A02.FR.17: the CSR is sent again once CertSigningWaitMinimum has passed",
    ),
    Fault(
        "csr-repeated-too-early",
        STATION,
        V2,
        "sends an Accepted CSR again at once, ignoring CertSigningWaitMinimum",
        "A02.FR.17: the CSR is not sent again before CertSigningWaitMinimum has passed",
    ),
    Fault(
        "csr-wait-not-doubled",
        STATION,
        V2,
        "waits CertSigningWaitMinimum before every resend of its CSR, never doubling it",
        "A02.FR.18: the CSR is not sent again before twice CertSigningWaitMinimum has passed",
    ),
    # -- A05: security profile upgrade (harness.reference.station.block_b) ----------------------
    Fault(
        "upgrade-security-profile-not-updated",
        STATION,
        V2,
        "after connecting over the higher security profile, SecurityProfile keeps its old value",
        "A05.FR.06: SecurityProfile is the new security profile",
    ),
    Fault(
        "upgrade-lower-profiles-kept",
        STATION,
        V2,
        "after connecting over the higher security profile, keeps the profiles of the lower one "
        "in NetworkConfigurationPriority",
        "A05.FR.06: the profiles of a lower security profile are removed from the priority",
    ),
    Fault(
        "csms-accepts-lower-profile-after-upgrade",
        CSMS,
        ("1.6", *V2),
        "after a station's upgrade to security profile 3, still accepts it over profile 2",
        "A05.FR.07: the CSMS refuses a connection over the lower security profile",
        (("TC_083_CSMS", "1.6 SEC A05.FR.09"),),
    ),
)
