"""The harness's PKI for security profiles 2 and 3 and firmware signing (OCPP 2.0.1 Part 2
§1.4.2 "Certificate Hierarchy"): generated on demand under one directory per key algorithm,
reused while still valid.

* CSO hierarchy: CSMS root -> CSMS server certificate; CPO root -> Sub-CA 1 (path length 1) ->
  Sub-CA 2 (path length 0) -> charging station certificates (A00.FR.401-412, one per station:
  A00.FR.427).
* Manufacturer hierarchy: manufacturer root -> firmware signing certificate (L01).
* A root nobody trusts, and server and station certificates each bad in one way
  (:mod:`harness.pki.bad`), for the negative cases.
* A second CSMS root signed by the first (:meth:`Pki.linked_csms_root`), the only new CSMS root a
  station with AdditionalRootCertificateCheck installs (M05.FR.10-12), and a CSMS server
  certificate under it (:meth:`Pki.linked_csms_server`, M05.FR.13).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509

from harness.pki.bad import bad_spec, check_kind
from harness.pki.build import ROOT_DAYS, SUB_CA_DAYS, CertKey, ca_certificate, common_name, name
from harness.pki.keys import Algorithm, check_algorithm, new_key
from harness.pki.readme import readme
from harness.pki.recipes import (
    DEFAULT_ORGANIZATION,
    LeafSpec,
    ca_names,
    check_host,
    firmware_spec,
    issue,
    server_spec,
    station_spec,
    wanted,
)
from harness.pki.store import (
    Wanted,
    cert_path,
    chain_path,
    ensure_chain,
    key_path,
    load,
    locked,
    matches,
    reuse,
    save,
    write_text_if_changed,
)

BAD_DIR = "bad"
LINKED_DIR = "linked"
#: The bad firmware signing certificates :meth:`Pki.bad_firmware_signing` issues.
FIRMWARE_BAD_KINDS = ("expired", "unknown-ca")


class PkiError(Exception):
    """A CA of the PKI directory is missing or no longer valid (run :func:`ensure_pki` again)."""


@dataclass(frozen=True)
class Issued:
    """The files of one leaf certificate."""

    cert: Path  # PEM of the leaf
    key: Path  # PEM private key, mode 0600
    chain: Path  # PEM leaf + intermediates (no root)


def _issued(directory: Path, stem: str) -> Issued:
    return Issued(
        cert_path(directory, stem), key_path(directory, stem), chain_path(directory, stem)
    )


def _ensure_ca(
    directory: Path,
    stem: str,
    subject: x509.Name,
    algorithm: Algorithm,
    issuer: CertKey | None,
    path_length: int | None,
) -> CertKey:
    """The stored CA ``stem`` if still valid under ``issuer``, else a new one."""
    pair = reuse(directory, stem, Wanted(subject, issuer.cert if issuer else None, algorithm))
    if pair is None:
        key = new_key(algorithm)
        days = ROOT_DAYS if issuer is None else SUB_CA_DAYS
        cert = ca_certificate(subject, key, issuer, path_length=path_length, days=days)
        save(directory, stem, cert, key)
        pair = CertKey(cert, key)
    return pair


def _ensure_leaf(
    directory: Path,
    stem: str,
    spec: LeafSpec,
    issuer: CertKey,
    algorithm: Algorithm,
    intermediates: tuple[x509.Certificate, ...],
) -> Issued:
    """The stored leaf ``stem`` if it still fits ``spec`` under ``issuer``, else a new one."""
    pair = reuse(directory, stem, wanted(spec, issuer.cert, algorithm))
    if pair is None:
        pair = issue(spec, issuer, algorithm)
        save(directory, stem, pair.cert, pair.key, intermediates=intermediates)
    else:
        ensure_chain(directory, stem, pair, intermediates)
    return _issued(directory, stem)


@dataclass(frozen=True)
class Pki:
    """One algorithm's PKI directory, as :func:`ensure_pki` left it. Station and bad
    certificates are issued on demand, idempotently, under the directory's lock."""

    directory: Path  # e.g. certs/ecdsa
    algorithm: str
    csms_root: Path  # trust anchor a station uses to verify the CSMS server
    csms_server: Issued
    cpo_root: Path  # trust anchor a CSMS uses to verify station client certificates
    manufacturer_root: Path
    firmware_signing: Issued
    csms_host: str = "localhost"
    organization: str = DEFAULT_ORGANIZATION

    @property
    def _algorithm(self) -> Algorithm:
        return check_algorithm(self.algorithm)

    def _names(self) -> dict[str, x509.Name]:
        return ca_names(self._algorithm, self.organization)

    def _ca(self, stem: str, issuer: CertKey | None, directory: Path | None = None) -> CertKey:
        """A stored CA that must already be valid under ``issuer``."""
        where = directory or self.directory
        pair = load(where, stem)
        want = Wanted(self._names()[stem], issuer.cert if issuer else None, self._algorithm)
        if pair is None or not matches(pair, want):
            raise PkiError(
                f"{cert_path(where, stem)} is missing, stale or does not match its key: "
                "run ensure_pki (ocpp-harness certs init) again"
            )
        return pair

    def sub_cas(self) -> tuple[CertKey, CertKey]:
        """Sub-CA 2 (the station issuer) and Sub-CA 1, checked against the CPO root."""
        root = self._ca("cpo-root", None)
        sub1 = self._ca("cpo-subca1", root)
        return self._ca("cpo-subca2", sub1), sub1

    def station(self, identity: str) -> Issued:
        """The certificate of station ``identity`` (CN = identity, A00.FR.511), issued by
        Sub-CA 2; its chain file holds it, Sub-CA 2 and Sub-CA 1."""
        spec = station_spec(identity, self.organization)
        with locked(self.directory):
            sub2, sub1 = self.sub_cas()
            return _ensure_leaf(
                self.directory,
                f"station-{identity}",
                spec,
                sub2,
                self._algorithm,
                (sub2.cert, sub1.cert),
            )

    def untrusted_root(self) -> CertKey:
        """The root of ``bad/`` that nobody trusts (created on first use)."""
        bad = self.directory / BAD_DIR
        name = self._names()["untrusted-root"]
        return _ensure_ca(bad, "untrusted-root", name, self._algorithm, None, None)

    def linked_csms_root(self) -> Path:
        """A new CSMS root signed by this PKI's CSMS root (OCPP 2.0.1 M05.FR.10-12: with
        AdditionalRootCertificateCheck true a station installs a new CSMSRootCertificate only
        when the root it replaces signed it, and rejects any other, M05.FR.11). A CA
        certificate of a key of its own, CN "... CSMS Root CA 2 (...)", issued by
        ``csms-root``: ``linked/csms-root-2.pem`` (its key 0600), made on first use and kept
        while valid under the CSMS root. Its hash data (M03) take the CSMS root as issuer."""
        first = self._names()["csms-root"]
        cn = (common_name(first) or "CSMS Root CA").replace("Root CA", "Root CA 2")
        with locked(self.directory):
            root = self._ca("csms-root", None)
            subject = name(cn, self.organization)
            directory = self.directory / LINKED_DIR
            _ensure_ca(directory, "csms-root-2", subject, self._algorithm, root, None)
        return cert_path(directory, "csms-root-2")

    def linked_csms_server(self) -> Issued:
        """A CSMS server certificate issued by :meth:`linked_csms_root` (Part 6 TC_M_30_CS: the
        CSMS certificate signed by the new CSMS root); its chain file holds it and that root,
        so the path leads to the first CSMS root too. ``linked/csms-server-2*`` (key 0600)."""
        root_pem = self.linked_csms_root()
        directory = root_pem.parent
        spec = server_spec(self.csms_host, self.organization)
        with locked(self.directory):
            root = self._ca("csms-root", None)
            pair = load(directory, "csms-root-2")
            if pair is None or not matches(
                pair, Wanted(pair.cert.subject, root.cert, self._algorithm)
            ):
                raise PkiError(f"{root_pem} is missing or stale: ask linked_csms_root again")
            return _ensure_leaf(
                directory, "csms-server-2", spec, pair, self._algorithm, (pair.cert,)
            )

    def bad_server(self, kind: str) -> Issued:
        """A CSMS server certificate bad in the way ``kind`` says (:data:`BAD_KINDS`)."""
        spec = bad_spec(check_kind(kind), server_spec(self.csms_host, self.organization))
        return self._bad(
            f"csms-server-{kind}", kind, spec, lambda: (self._ca("csms-root", None), ())
        )

    def bad_station(self, kind: str, identity: str) -> Issued:
        """A certificate of station ``identity`` bad in the way ``kind`` says (:data:`BAD_KINDS`)."""
        spec = bad_spec(check_kind(kind), station_spec(identity, self.organization))

        def issuer() -> tuple[CertKey, tuple[x509.Certificate, ...]]:
            sub2, sub1 = self.sub_cas()
            return sub2, (sub2.cert, sub1.cert)

        return self._bad(f"station-{identity}-{kind}", kind, spec, issuer)

    def bad_firmware_signing(self, kind: str) -> Issued:
        """A firmware signing certificate bad in the way ``kind`` says (L01.FR.21/22):
        ``expired`` (issued by the manufacturer root, its validity over) or ``unknown-ca``
        (issued by the root nobody trusts: a manufacturer the station was not given)."""
        if kind not in FIRMWARE_BAD_KINDS:
            raise ValueError(f"firmware signing certificate {kind!r}: use {FIRMWARE_BAD_KINDS}")
        spec = bad_spec(kind, firmware_spec())
        return self._bad(
            f"firmware-signing-{kind}",
            kind,
            spec,
            lambda: (self._ca("manufacturer-root", None), ()),
        )

    def _bad(
        self,
        stem: str,
        kind: str,
        spec: LeafSpec,
        issuer: Callable[[], tuple[CertKey, tuple[x509.Certificate, ...]]],
    ) -> Issued:
        intermediates: tuple[x509.Certificate, ...]
        with locked(self.directory):
            if kind == "unknown-ca":
                signer, intermediates = self.untrusted_root(), ()
            else:
                signer, intermediates = issuer()
            return _ensure_leaf(
                self.directory / BAD_DIR, stem, spec, signer, self._algorithm, intermediates
            )


def ensure_pki(
    directory: Path,
    *,
    algorithm: str = "ecdsa",
    csms_host: str = "localhost",
    organization: str = DEFAULT_ORGANIZATION,
) -> Pki:
    """Make ``directory`` hold a valid PKI of ``algorithm`` ("ecdsa": P-256, "rsa": 2048 bits)
    for ``csms_host`` and ``organization``: every file that exists and is still valid is kept
    byte for byte; what is missing or stale (expired, other host or organization, issuer
    regenerated) is written anew, and everything below a regenerated CA with it."""
    alg = check_algorithm(algorithm)
    check_host(csms_host)
    if not organization:
        raise ValueError("organization must not be empty (A00.FR.509)")
    directory = Path(directory)
    names = ca_names(alg, organization)
    with locked(directory):
        csms_root = _ensure_ca(directory, "csms-root", names["csms-root"], alg, None, None)
        server = _ensure_leaf(
            directory, "csms-server", server_spec(csms_host, organization), csms_root, alg, ()
        )
        cpo_root = _ensure_ca(directory, "cpo-root", names["cpo-root"], alg, None, None)
        sub1 = _ensure_ca(directory, "cpo-subca1", names["cpo-subca1"], alg, cpo_root, 1)
        _ensure_ca(directory, "cpo-subca2", names["cpo-subca2"], alg, sub1, 0)
        maker = names["manufacturer-root"]
        manufacturer = _ensure_ca(directory, "manufacturer-root", maker, alg, None, None)
        firmware = _ensure_leaf(
            directory, "firmware-signing", firmware_spec(), manufacturer, alg, ()
        )
        write_text_if_changed(directory / "README.txt", readme(alg, csms_host, organization))
    return Pki(
        directory=directory,
        algorithm=alg,
        csms_root=cert_path(directory, "csms-root"),
        csms_server=server,
        cpo_root=cert_path(directory, "cpo-root"),
        manufacturer_root=cert_path(directory, "manufacturer-root"),
        firmware_signing=firmware,
        csms_host=csms_host,
        organization=organization,
    )
