"""Faults of OCA block M (certificate management, without ISO 15118) of both reference SUTs (the
behaviour lives in :mod:`harness.reference.station.block_m` and
:mod:`harness.reference.csms.block_m`)."""

from __future__ import annotations

from harness.reference.fault_model import CSMS, STATION, V2, Fault

_GET = "M03.FR.04: the hash data of each matching installed certificate"

M_FAULTS: tuple[Fault, ...] = (
    # -- the reference station ----------------------------------------------------------------
    Fault(
        "install-certificate-accepts-invalid",
        STATION,
        V2,
        "accepts (and stores) any certificate InstallCertificate brings, an expired one too",
        "M05.FR.07: an invalid certificate is Rejected",
    ),
    Fault(
        "install-certificate-not-stored",
        STATION,
        V2,
        "answers InstallCertificate Accepted but does not store the certificate",
        _GET,
    ),
    Fault(
        "installed-certificates-ignore-type",
        STATION,
        V2,
        "GetInstalledCertificateIds reports every installed certificate, whatever type is asked",
        "M03.FR.02: NotFound when no certificate of the type is installed",
        (
            ("TC_M_12_CS", "M03.FR.04: only certificates of the requested type"),
            ("TC_M_13_CS", "M03.FR.04: only certificates of the requested type"),
        ),
    ),
    Fault(
        "installed-certificates-one-type",
        STATION,
        V2,
        "GetInstalledCertificateIds looks at the first certificateType listed only (none "
        "listed: nothing matches)",
        _GET,
    ),
    Fault(
        "delete-certificate-not-deleted",
        STATION,
        V2,
        "answers DeleteCertificate Accepted but keeps the certificate",
        "M04.FR.02: the deleted certificate is no longer installed",
    ),
    Fault(
        "delete-certificate-always-accepted",
        STATION,
        V2,
        "answers DeleteCertificate Accepted when no installed certificate matches",
        "M04.FR.04: NotFound for a certificate that is not installed",
        (("TC_M_23_CS", "M04.FR.06: the Charging Station certificate is not deleted"),),
    ),
    Fault(
        "additional-root-check-ignored",
        STATION,
        V2,
        "with AdditionalRootCertificateCheck true, installs a new CSMS root that the current "
        "one did not sign",
        "M05.FR.11: a new CSMS root not signed by the old one is Rejected",
    ),
    Fault(
        "csms-root-fallback-not-kept",
        STATION,
        V2,
        "with AdditionalRootCertificateCheck true, drops the old CSMS root as soon as a new one "
        "signed by it is installed (no fallback)",
        "M05.FR.14: the old CSMS root (fallback) is still installed after reconnecting with it",
    ),
    Fault(
        "csms-root-fallback-not-removed",
        STATION,
        V2,
        "with AdditionalRootCertificateCheck true, keeps the old CSMS root after connecting with "
        "a server certificate of the new one",
        "M05.FR.13: the old CSMS root is removed after connecting with the new one",
    ),
    # -- the reference CSMS -------------------------------------------------------------------
    Fault(
        "csms-install-certificate-not-sent",
        CSMS,
        V2,
        "tells the operator the certificate was installed, but never sends InstallCertificate",
        "M05: the CSMS sends InstallCertificateRequest",
    ),
    Fault(
        "csms-install-wrong-type",
        CSMS,
        V2,
        "sends every certificate as a CSMSRootCertificate",
        "M05: certificateType is the one asked for",
    ),
    Fault(
        "csms-get-certificates-untyped",
        CSMS,
        V2,
        "sends GetInstalledCertificateIds without certificateType, whatever type is asked for",
        "M03: certificateType is the one asked for",
    ),
    Fault(
        "csms-get-certificates-typed",
        CSMS,
        V2,
        "sends GetInstalledCertificateIds for CSMSRootCertificate when every type is asked for",
        "M03: certificateType is omitted",
    ),
    Fault(
        "csms-delete-hash-swapped",
        CSMS,
        V2,
        "deletes with the reported hash data's issuerNameHash and issuerKeyHash swapped",
        "M04.FR.07: certificateHashData is the one the station reported",
    ),
    Fault(
        "csms-delete-own-sha256",
        CSMS,
        V2,
        "deletes with SHA256 hash data it computes itself, whatever hashAlgorithm the station "
        "reported",
        "M04.FR.07: certificateHashData is the one the station reported",
    ),
)
