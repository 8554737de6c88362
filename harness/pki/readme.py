"""The README.txt of a PKI directory: what each file is and which root goes where."""

from __future__ import annotations

README = """\
ocpp-harness PKI ({algorithm}), written by `ocpp-harness certs init` (harness.pki.ensure_pki).
CSMS host (CN of the server certificate): {host}
Organization (O of the CSO certificates): {organization}

Private keys (*.key) are unencrypted PKCS#8 PEM, mode 0600: test material only, never install
them anywhere that matters. Running `certs init` again keeps every valid file and regenerates only
what is missing, expired or no longer matches (host, organization, identity, issuer).

Which root to install where
---------------------------
On a charging station under test (the harness plays the CSMS):
  csms-root.pem          install as CSMSRootCertificate (OCPP 1.6: CentralSystemRootCertificate);
                         the station verifies the harness's server certificate with it
                         (security profiles 2 and 3)
  manufacturer-root.pem  install as ManufacturerRootCertificate; the station verifies the
                         firmware signing certificate of signed firmware updates with it
  station-<id>.pem/.key  security profile 3: the station's client certificate and key, if the
                         station takes a provisioned certificate (else it sends a CSR and the
                         harness signs it with cpo-subca2)
On a CSMS under test (the harness plays the charging station, security profile 3):
  cpo-root.pem           install as the trusted root for charging station client certificates
                         (the harness presents station-<id>-chain.pem)
The CSMS under test presents its own server certificate: give the harness that CSMS's root.

Files
-----
  csms-root.pem/.key             CSMS root CA (self-signed)
  csms-server.pem/.key           CSMS server certificate: CN and SAN = host, SAN also 127.0.0.1
                                 and ::1, EKU serverAuth, issued by csms-root
  csms-server-chain.pem          the server certificate (no intermediates)
  cpo-root.pem/.key              CPO (V2G) root CA
  cpo-subca1.pem/.key            CPO Sub-CA 1 (path length 1), issued by cpo-root
  cpo-subca2.pem/.key            CPO Sub-CA 2 (path length 0), issued by cpo-subca1; signs the
                                 station certificates and the CSRs of A02/A03
  station-<id>.pem/.key          charging station certificate: CN = <id>, O = organization, EKU
                                 clientAuth, no SAN
  station-<id>-chain.pem         station certificate + Sub-CA 2 + Sub-CA 1 (present this in TLS)
  manufacturer-root.pem/.key     manufacturer root CA
  firmware-signing.pem/.key      firmware signing certificate (digitalSignature, codeSigning),
                                 issued directly by manufacturer-root
  firmware-signing-chain.pem     the firmware signing certificate (no intermediates)
Station and bad certificates are issued on demand (`certs init` writes them for its
--identity values; the negative cases ask for them):
  bad/untrusted-root.pem/.key    a root nobody trusts (signs the unknown-ca certificates)
  bad/csms-server-<kind>.*       server certificates bad in one way each, and
  bad/station-<id>-<kind>.*      station certificates likewise (.pem, .key, -chain.pem);
                                 <kind> is one of:
      expired          validity ended 30 days ago
      not-yet-valid    validity starts in 30 days
      wrong-cn         CN (and SAN) is not the host / station identity
      unknown-ca       signed by bad/untrusted-root
      wrong-key-usage  EKU of the other TLS side (clientAuth on the server, serverAuth on the
                       station)
      weak-key         RSA 1024 key
  .lock                lock file held while the hierarchy is written
"""


def readme(algorithm: str, host: str, organization: str) -> str:
    """The README.txt text of one algorithm's directory."""
    return README.format(algorithm=algorithm, host=host, organization=organization)
