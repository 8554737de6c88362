"""The bad certificates the negative cases present, each bad in exactly one way and otherwise
the same as the good one (OCPP 2.0.1 Part 2 §A00 "Security"):

* ``expired`` and ``not-yet-valid``: outside its validity period (A00.FR.407/413 "does not own
  a valid certificate");
* ``wrong-cn``: the CN (and for the CSMS the SAN) is not the expected one (A00.FR.405/412);
* ``unknown-ca``: signed by a root nobody trusts, so the path is invalid (A00.FR.403/411);
* ``wrong-key-usage``: the extended key usage names the other TLS side (serverAuth and
  clientAuth swapped), so the certificate may not be used for this purpose (A00.FR.512);
* ``weak-key``: an RSA 1024 key, weaker than A00.FR.501/502 allow.
"""

from __future__ import annotations

from dataclasses import replace

from harness.pki.build import CLIENT_AUTH, SERVER_AUTH, common_name, name, organization, san_for
from harness.pki.recipes import LeafSpec

BAD_KINDS = ("expired", "not-yet-valid", "wrong-cn", "unknown-ca", "wrong-key-usage", "weak-key")
WRONG_HOST = "wrong-cn.invalid"


def check_kind(kind: str) -> str:
    """``kind`` if it is one of :data:`BAD_KINDS`, else a ValueError listing them."""
    if kind not in BAD_KINDS:
        raise ValueError(
            f"unknown bad certificate kind {kind!r}: use one of {', '.join(BAD_KINDS)}"
        )
    return kind


def wrong_cn(good: LeafSpec) -> str:
    """The CN of the wrong-cn variant of ``good``."""
    if good.tls_server:
        return WRONG_HOST
    return f"WRONG-{common_name(good.subject)}"


def bad_spec(kind: str, good: LeafSpec) -> LeafSpec:
    """``good`` made bad in the way ``kind`` says (``unknown-ca`` changes the issuer, not the
    certificate: the caller signs it with the untrusted root)."""
    check_kind(kind)
    if kind == "expired":
        return replace(good, validity="expired")
    if kind == "not-yet-valid":
        return replace(good, validity="future")
    if kind == "wrong-cn":
        org = organization(good.subject) or ""
        san = san_for([WRONG_HOST]) if good.san is not None else None
        return replace(good, subject=name(wrong_cn(good), org), san=san)
    if kind == "wrong-key-usage":
        return replace(good, eku=(CLIENT_AUTH,) if good.tls_server else (SERVER_AUTH,))
    if kind == "weak-key":
        return replace(good, weak=True)
    return good  # unknown-ca
