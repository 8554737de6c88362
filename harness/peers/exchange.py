"""What a test script holds: an inbound CALL it may answer, and the outcome of a CALL it made."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine, Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from harness.ocppj.errors import ErrorKind, error_code, kind_of
from harness.ocppj.frames import Call, CallError, CallResult
from harness.peers.matching import camel_keys, describe, mismatches
from harness.transport.link import LinkClosed
from harness.verdicts import HarnessError, SutFailure

if TYPE_CHECKING:
    from harness.peers.view import PeerView as Peer
    from harness.transport.link import Link


@dataclass(eq=False)
class InboundCall:
    """A CALL the SUT sent. ``reply``/``reply_error`` answer it once; unanswered, it gets the
    peer's default reply at the script's next peer operation."""

    call: Call
    link: Link
    peer: Peer
    replied: bool = False
    consumed: bool = False
    claimed: bool = False
    held: bool = False

    @property
    def action(self) -> str:
        return self.call.action

    @property
    def payload(self) -> dict[str, Any]:
        return self.call.payload

    def __getitem__(self, key: str) -> Any:
        return self.call.payload[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.call.payload.get(key, default)

    async def reply(self, *, validate: bool = True, **fields: Any) -> None:
        """Answer with a CALLRESULT built from ``fields`` (snake_case accepted)."""
        self._claim_reply()
        payload = self.peer.default_payload(self.call, self.link.version, camel_keys(fields))
        async with self._delivery():
            await self.link.reply(self.call, payload or {}, validate=validate)
        self.peer.replied(self.link, self.call, payload or {})

    async def reply_raw(self, payload: dict[str, Any]) -> None:
        """Answer with exactly ``payload`` (no defaults merged, no validation)."""
        self._claim_reply()
        async with self._delivery():
            await self.link.reply(self.call, payload, validate=False)
        self.peer.replied(self.link, self.call, payload)

    async def reply_error(self, code: ErrorKind | str, description: str = "") -> None:
        """Answer with a CALLERROR (an :class:`ErrorKind` is spelled for the link's version)."""
        self._claim_reply()
        wire = error_code(code, self.link.version) if isinstance(code, ErrorKind) else code
        async with self._delivery():
            await self.link.reply_error(self.call, wire, description)
        self.peer.replied(self.link, self.call, None)

    @contextlib.asynccontextmanager
    async def _delivery(self) -> AsyncIterator[None]:
        """A reply that cannot be delivered because the SUT dropped the link is the SUT's FAIL."""
        try:
            yield
        except LinkClosed as exc:
            raise SutFailure(
                f"{self.action} answered on an open connection",
                f"the connection kept open until the answer to {self.action} ({self.call.unique_id})",
                f"connection closed ({exc})",
                self.link.trace.render(last=12),
            ) from None

    def _claim_reply(self) -> None:
        if self.replied:
            raise HarnessError(
                f"{self.action} ({self.call.unique_id}) was already answered automatically: call "
                f"peer.hold({self.action!r}) before the SUT sends it to answer it from the script"
            )
        self.replied = True


@dataclass
class CallOutcome:
    """The SUT's answer to a CALL the harness made."""

    request: Call
    response: CallResult | CallError
    requirement: str
    #: Renders the trace tail for evidence; called only when a check fails (it is not free).
    render_frames: Callable[[], str] = lambda: ""
    payload: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        self.payload = self.response.payload if isinstance(self.response, CallResult) else {}

    @property
    def frames(self) -> str:
        """The last frames of the trace, as evidence for a failure."""
        return self.render_frames()

    @property
    def error(self) -> CallError | None:
        return self.response if isinstance(self.response, CallError) else None

    def __getitem__(self, key: str) -> Any:
        return self.payload[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.payload.get(key, default)

    def must(self, *, req: str | None = None, **subset: Any) -> CallOutcome:
        """Require a CALLRESULT whose payload contains ``subset``; otherwise FAIL."""
        wanted = camel_keys(subset)
        expected = f"{self.request.action} answered with CALLRESULT"
        expected += f" where {describe(wanted)}" if wanted else ""
        if self.error is not None:
            raise SutFailure(
                req or self.requirement,
                expected,
                f"CALLERROR {self.error.code}: {self.error.description!r}",
                self.frames,
            )
        problems = mismatches(self.payload, wanted)
        if problems:
            raise SutFailure(
                req or self.requirement,
                expected,
                "; ".join(problems) + f" in {self.payload}",
                self.frames,
            )
        return self

    def must_error(self, *codes: ErrorKind | str, req: str | None = None) -> CallOutcome:
        """Require a CALLERROR with one of ``codes`` (any code when none are given)."""
        names = [c.value if isinstance(c, ErrorKind) else c for c in codes]
        expected = f"{self.request.action} answered with CALLERROR" + (
            f" {' or '.join(names)}" if names else ""
        )
        err = self.error
        if err is None:
            raise SutFailure(
                req or self.requirement, expected, f"CALLRESULT {self.payload}", self.frames
            )
        if codes:
            wanted = {kind_of(n) or n for n in names}
            if (kind_of(err.code) or err.code) not in wanted:
                raise SutFailure(
                    req or self.requirement, expected, f"CALLERROR {err.code}", self.frames
                )
        if err.unique_id != self.request.unique_id:
            raise SutFailure(
                req or self.requirement,
                f"CALLERROR echoing unique id {self.request.unique_id!r}",
                f"unique id {err.unique_id!r}",
                self.frames,
            )
        return self


class PendingCall:
    """A CALL on its way: ``await`` it for the :class:`CallOutcome`, or chain the check directly:
    ``await peer.call("Reset", type="Immediate").must(status="Accepted")``."""

    def __init__(self, outcome: Coroutine[Any, Any, CallOutcome]) -> None:
        self._outcome = outcome

    def __await__(self) -> Generator[Any, None, CallOutcome]:
        return self._outcome.__await__()

    async def must(self, *, req: str | None = None, **subset: Any) -> CallOutcome:
        """Await the answer and require a CALLRESULT containing ``subset``."""
        return (await self._outcome).must(req=req, **subset)

    async def must_error(self, *codes: ErrorKind | str, req: str | None = None) -> CallOutcome:
        """Await the answer and require a CALLERROR with one of ``codes``."""
        return (await self._outcome).must_error(*codes, req=req)


def trim_settled(inbox: list[InboundCall], keep: int) -> list[InboundCall]:
    """``inbox`` less its oldest answered CALLs, down to ``keep`` entries (unanswered and held
    ones always stay): between cases a station may heartbeat for hours, the inbox stays flat."""
    excess = len(inbox) - keep
    kept: list[InboundCall] = []
    for item in inbox:
        if excess > 0 and item.replied and not item.held:
            excess -= 1
        else:
            kept.append(item)
    return kept
