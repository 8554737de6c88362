"""The harness's PKI for OCPP security profiles 2 and 3 and signed firmware (OCPP 2.0.1 Part 2
§A00 "Security", §1.4 "Keys used in OCPP"; A02/A03 certificate updates; L01 signed firmware).

``ensure_pki(Path("certs/ecdsa"))`` writes (or keeps) the CSMS, CPO and manufacturer hierarchies
of one key algorithm; :class:`Pki` issues station and bad certificates on demand; :func:`sign_csr`
and :func:`make_csr` are both sides of a certificate update; :func:`verify_chain`,
:func:`certificate_hash_data`, :func:`sign_firmware` and :func:`signed_firmware` (the good and
bad signing material of block L) are what cases check and send.
``ocpp-harness certs init`` is the command line over it.
"""

from __future__ import annotations

from harness.pki.bad import BAD_KINDS
from harness.pki.csr import CsrError, make_csr, sign_csr
from harness.pki.firmware import (
    SIGNED_KINDS,
    SignedFirmware,
    check_signed_firmware,
    sign_firmware,
    signed_firmware,
    verify_firmware,
)
from harness.pki.hierarchy import Issued, Pki, PkiError, ensure_pki
from harness.pki.keys import ALGORITHMS
from harness.pki.verify import ChainError, certificate_hash_data, verify_chain

__all__ = [
    "ALGORITHMS",
    "BAD_KINDS",
    "SIGNED_KINDS",
    "ChainError",
    "CsrError",
    "Issued",
    "Pki",
    "PkiError",
    "SignedFirmware",
    "certificate_hash_data",
    "check_signed_firmware",
    "ensure_pki",
    "make_csr",
    "sign_csr",
    "sign_firmware",
    "signed_firmware",
    "verify_chain",
    "verify_firmware",
]
