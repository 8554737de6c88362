"""OCA block A (Security), OCPP 2.0.1 and 2.1, security profile 3: the back-off of a charging
station whose Accepted CSR gets no CertificateSignedRequest (A02.FR.17/18, PICS AS-3):
TC_A_23_CS with the station under test (the harness is the CSMS). Steps and criteria in our own
words after OCPP 2.0.1 Part 6 and its errata (2025-02: a certificate for every CSR accepted)."""

from __future__ import annotations

import time

from cryptography import x509

from harness import CsmsPeer, oca
from harness.checks import require
from harness.peers.exchange import InboundCall
from harness.pki import sign_csr
from harness.verdicts import Inconclusive
from testcases.v201.states import set_variable
from testcases.v201.test_a_certificates import (
    STATION_CERTIFICATE,
    check_csr,
    closed_within,
    harness_pki,
    renewal_csr,
)
from testcases.v201.tls_checks import client_certificates

V2 = ("2.0.1", "2.1")
SECURITY = "SecurityCtrlr"
#: The back-off the harness configures (seconds) and how often it is doubled (the document's 1).
WAIT_MINIMUM = 2
REPEAT_TIMES = 1
#: How much earlier than the back-off a resend may arrive and still count as on time: the
#: harness takes each interval from its receipt of the previous request, before the station
#: has the Accepted answer, so this covers clock and timer granularity only.
EARLY_TOLERANCE_S = 0.25

RESENT = "A02.FR.17: the CSR is sent again once CertSigningWaitMinimum has passed"
NOT_EARLY = "A02.FR.17: the CSR is not sent again before CertSigningWaitMinimum has passed"
RESENT_AGAIN = "A02.FR.18: the CSR is sent again once twice CertSigningWaitMinimum has passed"
DOUBLED = "A02.FR.18: the CSR is not sent again before twice CertSigningWaitMinimum has passed"
SIGNED_ANSWERED = "A02.FR.06: CertificateSignedRequest answered Accepted or Rejected"
ONE_ACCEPTED = "A02.FR.06: at least one certificate for the station's CSRs is Accepted"
RECONNECTED = "A02.FR.08: the station reconnects after switching certificates"


async def configure(csms: CsmsPeer, variable: str, value: int) -> None:
    """Configuration state: ``variable`` of SecurityCtrlr set to ``value`` (restored after
    the case by the configuration guard). Not taken: the preparation failed (INCONCLUSIVE)."""
    item = await set_variable(
        csms, SECURITY, variable, str(value), req="TC_A_23 preparation: SetVariables answered"
    )
    if item.get("attributeStatus") != "Accepted":
        raise Inconclusive(
            f"preparation: {SECURITY}.{variable} could not be set to {value} "
            f"(attributeStatus {item.get('attributeStatus')!r})"
        )


async def resent(
    csms: CsmsPeer, since: float, back_off: float, *, req: str
) -> tuple[InboundCall, float]:
    """The next SignCertificateRequest, due ``back_off`` seconds after ``since``: it must come
    within that plus the station's action time (``req``). Held: it is answered in
    :func:`answer`. Returns it and when it arrived."""
    remaining = back_off + csms.action_s - (time.monotonic() - since)
    request = await csms.expect("SignCertificate", within_s=remaining, req=req)
    return request, time.monotonic()


def not_early(csms: CsmsPeer, waited: float, back_off: float, *, req: str) -> None:
    """The resend came no earlier than ``back_off`` less the tolerance (``req``)."""
    require(
        waited >= back_off - EARLY_TOLERANCE_S,
        req=req,
        expected=f"the SignCertificateRequest again after {back_off:g} s",
        actual=f"after {waited:.2f} s",
        frames=csms.trace.render(last=6),
    )


async def answer(csms: CsmsPeer, request: InboundCall) -> str:
    """Steps 7/10: the SignCertificateRequest resent (a PEM CSR, as in step 3) answered
    Accepted. Returns its CSR."""
    csr = check_csr(csms, request)
    await request.reply(status="Accepted")
    return csr


@oca(
    "TC_A_23_CS",
    "Update Charging Station Certificate by request of CSMS - CertificateSignedRequest Timeout",
    profile="advanced-security",
    versions=V2,
    kills=("csr-not-repeated", "csr-repeated-too-early", "csr-wait-not-doubled"),
    applies=client_certificates,
    condition="AS-3",
)
async def test_station_csr_back_off(csms: CsmsPeer) -> None:
    """TC_A_23_CS (A02.FR.17/18; errata 2025-02). Configuration state: the harness sets
    SecurityCtrlr.CertSigningWaitMinimum to 2 s — short, so the case takes seconds, yet eight
    times the tolerance a resend may come early, so that a resend at once or an undoubled
    second wait stays apart from a correct one — and CertSigningRepeatTimes to 1 (the
    document's value: one doubling, so two resends); both are put back after the case.
    TriggerMessage SignChargingStationCertificate, Accepted (steps 1-2, tool validation); the
    SignCertificateRequest with a PEM CSR (step 3), answered Accepted (step 4), and no
    CertificateSignedRequest (step 5): the station must send SignCertificateRequest again (step
    6), not before CertSigningWaitMinimum (tool validation) and — the harness's bound — within
    the station's action time after it; Accepted (step 7), again nothing (step 8); the next
    SignCertificateRequest (step 9) not before twice CertSigningWaitMinimum (tool validation),
    within twice it plus the action time, Accepted (step 10). Each interval runs from the
    harness's receipt of the previous request (a tolerance of 0.25 s for clock granularity).
    Errata 2025-02 steps 11-16: a CertificateSignedRequest with a certificate for the CSR of
    step 3, then of step 6, then of step 9 (signed by the session PKI's CPO Sub-CA 2), each
    answered Accepted or Rejected, at least one Accepted (post scenario validation). After
    an Accepted one the station may reconnect with the new certificate (A02.FR.08): the
    harness waits for it before the next request."""
    pki = harness_pki(csms)
    await configure(csms, "CertSigningWaitMinimum", WAIT_MINIMUM)
    await configure(csms, "CertSigningRepeatTimes", REPEAT_TIMES)
    first = await renewal_csr(csms)
    since = time.monotonic()
    csrs = [check_csr(csms, first)]
    await first.reply(status="Accepted")
    request, arrived = await resent(csms, since, WAIT_MINIMUM, req=RESENT)
    not_early(csms, arrived - since, WAIT_MINIMUM, req=NOT_EARLY)
    csrs.append(await answer(csms, request))
    since = arrived
    request, arrived = await resent(csms, since, 2 * WAIT_MINIMUM, req=RESENT_AGAIN)
    not_early(csms, arrived - since, 2 * WAIT_MINIMUM, req=DOUBLED)
    csrs.append(await answer(csms, request))
    statuses: list[str] = []
    for csr in csrs:
        chain = sign_csr(pki, csr)
        serial = x509.load_pem_x509_certificates(chain.encode("ascii"))[0].serial_number
        signed = await csms.call(
            "CertificateSigned",
            certificate_chain=chain,
            certificate_type=STATION_CERTIFICATE,
            req=SIGNED_ANSWERED,
        )
        status = signed.must(req=SIGNED_ANSWERED).get("status")
        require(
            status in ("Accepted", "Rejected"),
            req=SIGNED_ANSWERED,
            expected="status Accepted or Rejected",
            actual=repr(status),
            frames=signed.frames,
        )
        statuses.append(f"{serial:x}: {status}")
        if status == "Accepted" and await closed_within(csms, csms.response_s):
            await csms.wait_connected(within_s=csms.action_s, req=RECONNECTED)
    require(
        any(s.endswith("Accepted") for s in statuses),
        req=ONE_ACCEPTED,
        expected="at least one CertificateSignedResponse Accepted",
        actual="; ".join(statuses),
        frames=csms.trace.render(last=8),
    )
