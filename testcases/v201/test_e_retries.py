"""OCA block E, retries of a TransactionEvent the CSMS does not accept (use case E13), station
under test, OCPP 2.0.1 and 2.1: TC_E_41_CS / TC_E_42_CS (no answer) and TC_E_50_CS / TC_E_51_CS
(a CALLERROR InternalError). The harness holds the first TransactionEvent of a new transaction
and lets it fail; the station must send the same message again (same seqNo) as many times as
OCPPCommCtrlr.MessageAttempts[TransactionEvent] says, the n-th retry no earlier than
MessageAttemptInterval[TransactionEvent] times the transmissions so far (plus the
MessageTimeout where no answer came), then give it up and go on with the next one. Steps and
criteria in our own words after OCPP 2.0.1 Part 6."""

from __future__ import annotations

from harness import CsmsPeer, SutActions, oca
from harness.checks import applicable_unless, require, should
from harness.config import SutProfile
from harness.peers.exchange import InboundCall
from testcases.v201.offline_states import arrived_at, end_transaction, next_event
from testcases.v201.states import get_variable, set_variable, tx_points
from testcases.v201.tx_states import Session, auth_preparation

V2 = ("2.0.1", "2.1")
#: MessageAttemptIntervalTransactionEvent the cases configure (seconds).
INTERVAL_S = 1
#: A retry may come this much earlier than computed (scheduling and network jitter, seconds).
EARLY_S = 0.3


def _slack(expected: float) -> float:
    """How much later than computed a retry may come before the case stops waiting for it."""
    return max(3.0, expected / 2)


async def _prepare(csms: CsmsPeer, profile: SutProfile, attempts: int) -> float:
    """Before: MessageAttemptsTransactionEvent ``attempts``, MessageAttemptIntervalTransaction-
    Event :data:`INTERVAL_S` (NOT-APPLICABLE where they cannot be set); returns the station's
    MessageTimeout (OCPPCommCtrlr.MessageTimeout[Default], else the profile's response time)."""
    for name, value in (("MessageAttempts", attempts), ("MessageAttemptInterval", INTERVAL_S)):
        result = await set_variable(
            csms,
            "OCPPCommCtrlr",
            name,
            str(value),
            req="E13.FR.01: set",
            instance="TransactionEvent",
        )
        applicable_unless(
            result.get("attributeStatus") != "Accepted",
            f"OCPPCommCtrlr.{name}[TransactionEvent] cannot be set to {value} "
            f"(SetVariables {result.get('attributeStatus')})",
        )
    item = await get_variable(
        csms, "OCPPCommCtrlr", "MessageTimeout", req="E13: read", instance="Default"
    )
    try:
        return float(item.get("attributeValue") or "")
    except ValueError:
        return float(profile.sut.timeouts.response_s)


async def _fail(event: InboundCall, call_error: bool) -> None:
    """Let one transmission fail: no answer at all, or a CALLERROR InternalError."""
    if call_error:
        await event.reply_error("InternalError", "the harness does not accept it (E13 case)")


async def _retries(
    csms: CsmsPeer,
    sut: SutActions,
    profile: SutProfile,
    *,
    attempts: int,
    call_error: bool,
    succeed_at: int | None,
) -> None:
    """The shared scenario: a transaction starts (plug in; the valid token where the cable
    does not start it) with every
    TransactionEvent held; the first one fails ``attempts`` times (or is answered at
    transmission ``succeed_at``); each retry timed; no further copy after that; the next event
    of the transaction follows; the transaction is ended again."""
    timeout = await _prepare(csms, profile, attempts)
    await auth_preparation(csms)
    session = Session(await tx_points(csms, profile))
    csms.hold("TransactionEvent")
    await sut.plug_in(evse_id=session.evse_id, connector_id=session.connector_id)
    session.plugged = True
    # the token only where the cable does not start the transaction: an Authorize queued
    # behind the failing message would be answered late and could start another one
    by_cable = session.points.starts_at_plug_in
    if not by_cable:
        await sut.present_token(profile.sut.tokens.valid, evse_id=session.evse_id)
    first = await next_event(
        csms, session, req="E01: the transaction starts", within_s=csms.action_s
    )
    seq_no, sent_at, event = first.get("seqNo"), arrived_at(csms, first), first
    same = {"seq_no": seq_no, "transaction_info": {"transactionId": session.tx_id}}
    wait = timeout if not call_error else 0.0  # before a transmission counts as failed
    last = succeed_at or attempts
    for transmission in range(1, last):
        await _fail(event, call_error)
        expected = wait + INTERVAL_S * transmission
        event = await csms.expect(
            "TransactionEvent",
            within_s=expected + _slack(expected),
            req=f"E13.FR.02: the failed TransactionEvent is sent again (transmission "
            f"{transmission + 1} of {attempts})",
            **same,
        )
        gap, sent_at = arrived_at(csms, event) - sent_at, arrived_at(csms, event)
        require(
            gap >= expected - EARLY_S,
            req="E13.FR.03: a retry waits MessageAttemptInterval times the transmissions so far",
            expected=f"transmission {transmission + 1} at least {expected:g} s after the one "
            f"before ({wait:g} s MessageTimeout + {INTERVAL_S} s x {transmission})",
            actual=f"{gap:.2f} s",
        )
        should(
            csms,
            gap <= expected + 2.0,
            req="E13.FR.03: retried after the interval",
            expected=f"about {expected:g} s",
            actual=f"{gap:.2f} s",
        )
    if succeed_at is None:
        await _fail(event, call_error)
        watch = wait + INTERVAL_S * attempts + 1.0
        await csms.expect_none(
            "TransactionEvent",
            for_s=watch,
            req="E13.FR.04: after the last attempt the message is discarded (no further copy)",
            **same,
        )
    else:
        await event.reply()
        watch = wait + INTERVAL_S * succeed_at + 1.0
        await csms.expect_none(
            "TransactionEvent",
            for_s=watch,
            req="E13.FR.02: an accepted TransactionEvent is not sent again",
            **same,
        )
    ended = await end_transaction(
        csms,
        sut,
        profile,
        session,
        req="E13.FR.04: the next TransactionEvent follows",
        held=True,
        by_cable=by_cable,
    )
    later = [e for e in session.events if e.get("seqNo") != seq_no]
    require(
        bool(later) and ended.get("seqNo", -1) > (seq_no or 0),
        req="E13.FR.04: the station goes on with the next transaction message",
        expected=f"TransactionEvents after seqNo {seq_no}",
        actual=f"seqNos {[e.get('seqNo') for e in session.events]}",
    )


@oca(
    "TC_E_41_CS",
    "Retry sending transaction message when failed - Max retry count reached",
    profile="core",
    versions=V2,
    kills=("tx-retries-too-many", "tx-retries-too-few", "tx-retry-no-interval"),
)
async def test_retry_no_answer_until_max(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_41 (E13.FR.01-04): Before: MessageAttemptsTransactionEvent 2,
    MessageAttemptIntervalTransactionEvent 1 s; states Authorized and EVConnectedPreSession
    (the optional steps 1-4 left out: the first TransactionEvent of the transaction is the one
    that fails). The harness never answers it: sent 2 times, the second MessageTimeout + 1 s
    after the first; then no further copy within MessageTimeout + 2 s + 1 s (the extra
    iteration). Beyond the OCA: the next TransactionEvent follows (E13.FR.04) and the
    transaction is ended again."""
    await _retries(csms, sut, sut_profile, attempts=2, call_error=False, succeed_at=None)


@oca(
    "TC_E_42_CS",
    "Retry sending transaction message when failed - Success before reaching the max retry count",
    profile="core",
    versions=V2,
    kills=("tx-retry-no-interval",),
)
async def test_retry_no_answer_then_success(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_42 (E13.FR.01-03): Before: MessageAttemptsTransactionEvent 3,
    MessageAttemptIntervalTransactionEvent 1 s; states Authorized and EVConnectedPreSession.
    The harness ignores the first transmission and answers the second (MessageTimeout + 1 s
    later); no third copy within MessageTimeout + 2 s + 1 s. Beyond the OCA: the next
    TransactionEvent follows and the transaction is ended again."""
    await _retries(csms, sut, sut_profile, attempts=3, call_error=False, succeed_at=2)


@oca(
    "TC_E_50_CS",
    "Retry sending transaction message when failed - Max retry count reached - CallError",
    profile="core",
    versions=V2,
    kills=("tx-retries-too-many", "tx-retries-too-few", "tx-retry-no-interval"),
)
async def test_retry_call_error_until_max(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_50 (E13.FR.01-04): Before: MessageAttemptsTransactionEvent 3,
    MessageAttemptIntervalTransactionEvent 1 s; states Authorized and EVConnectedPreSession.
    Every transmission of the first TransactionEvent gets a CALLERROR InternalError: sent 3
    times, 1 s and 2 s after the one before; then no further copy within 3 s + 1 s. Beyond the
    OCA: the next TransactionEvent follows and the transaction is ended again."""
    await _retries(csms, sut, sut_profile, attempts=3, call_error=True, succeed_at=None)


@oca(
    "TC_E_51_CS",
    "Retry sending transaction message when failed - Success before reaching the max retry "
    "count - CallError",
    profile="core",
    versions=V2,
    kills=("tx-retry-no-interval",),
)
async def test_retry_call_error_then_success(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_E_51 (E13.FR.01-03): Before: MessageAttemptsTransactionEvent 3,
    MessageAttemptIntervalTransactionEvent 1 s; states Authorized and EVConnectedPreSession.
    The first transmission gets a CALLERROR InternalError, the second (1 s later; the OCA adds
    the MessageTimeout, which a CALLERROR does not wait for: only the least wait is checked) is
    answered; no third copy after that. Beyond the OCA: the next TransactionEvent follows and
    the transaction is ended again."""
    await _retries(csms, sut, sut_profile, attempts=3, call_error=True, succeed_at=2)
