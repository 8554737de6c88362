"""Faults of the reference Central System's OCPP 1.6 security extension (Security Whitepaper
edition 3), one behaviour each; the behaviour lives in :mod:`harness.reference.csms.sec16`.
Killed by the cases of :mod:`testcases.v16.test_security_csms` and
:mod:`testcases.v16.test_security_csms_upgrade`."""

from __future__ import annotations

from harness.reference.fault_model import CSMS, Fault

V16 = ("1.6",)

SEC16_CSMS_FAULTS: tuple[Fault, ...] = (
    Fault(
        "sign-certificate-rejected-16",
        CSMS,
        V16,
        "answers every SignCertificate.req Rejected",
        "1.6 SEC A02.FR.11: SignCertificate.req is Accepted",
    ),
    Fault(
        "certificate-signed-wrong-key-16",
        CSMS,
        V16,
        "issues the renewed charge point certificate for a key of its own, not the CSR's",
        "1.6 SEC A02 (A02.FR.03): the certificate is issued for the CSR's public key",
    ),
    Fault(
        "install-certificate-wrong-type-16",
        CSMS,
        V16,
        "sends InstallCertificate.req naming the other root type than the operator asked for",
        "1.6 SEC M05: certificateType is the one asked for",
    ),
    Fault(
        "delete-certificate-wrong-hash-16",
        CSMS,
        V16,
        "sends DeleteCertificate.req with issuerNameHash and issuerKeyHash swapped",
        "1.6 SEC M04.FR.07",
    ),
    Fault(
        "security-event-not-answered-16",
        CSMS,
        V16,
        "answers SecurityEventNotification.req with CALLERROR InternalError",
        "1.6 SEC A04.FR.03",
    ),
    Fault(
        "getlog-wrong-type-16",
        CSMS,
        V16,
        "sends GetLog.req for the other log type than the operator asked for",
        "1.6 SEC N01: logType is the log asked for",
    ),
    Fault(
        "log-status-refused-16",
        CSMS,
        V16,
        "answers LogStatusNotification.req with CALLERROR InternalError",
        "1.6 SEC N01: LogStatusNotification.req answered",
    ),
    Fault(
        "tls-rsa-suites-missing-16",
        CSMS,
        V16,
        "offers only the ECDHE-ECDSA suites in TLS 1.2, so the TLS_RSA suites fail",
        "1.6 SEC A00.FR.317",
    ),
    Fault(
        "client-certificate-refused-16",
        CSMS,
        V16,
        "demands revocation data it does not have for every client certificate, so it refuses "
        "a valid charge point certificate",
        "1.6 SEC A00.FR.403",
    ),
    Fault(
        "security-profile-wrong-value-16",
        CSMS,
        V16,
        "sends ChangeConfiguration.req SecurityProfile one above the security profile asked for",
        "1.6 SEC A05: ChangeConfiguration.req SecurityProfile is the next security profile",
    ),
)
