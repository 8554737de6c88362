"""One-shot changes to the TLS of the harness CSMS, for the negative TLS cases of a station under
test (TC_A_05_CS: an invalid server certificate; TC_A_06_CS: a TLS version below 1.2), each for
the next connection attempt only, so that the station's retry meets the valid setting again.

* :meth:`ServerTlsHooks.present_next`: the next handshake presents another certificate (the
  context is swapped in the ClientHello callback, which runs with or without SNI);
* :meth:`ServerTlsHooks.old_once`: the next handshake offers TLS 1.0/1.1 only. A handshake
  reads part of its settings (the cipher list) from the context while it runs, so the context
  is put back :data:`OLD_HOLD_S` after that attempt began, when its handshake is long over on
  any network a test runs on (a retry in that window meets the old version too and is refused
  as well; the station's next one gets TLS 1.2+).

:attr:`ServerTlsHooks.attempts` counts TLS connection attempts, successful or not: the evidence
that the station tried at all.
"""

from __future__ import annotations

import asyncio
import ssl
from typing import Any

from harness.transport.tls import make_current, make_old

#: How long the TLS 1.0/1.1 setting stays after the attempt that got it began.
OLD_HOLD_S = 1.0


class ServerTlsHooks:
    """Installed on the harness CSMS's server context (:class:`~harness.peers.CsmsPeer`)."""

    def __init__(self, context: ssl.SSLContext) -> None:
        self.context = context
        #: TLS connection attempts so far (a server TLS object made per accepted connection).
        self.attempts = 0
        #: Attempts that got the alternate certificate, and the TLS 1.0/1.1 one.
        self.alternate_served = 0
        self.old_served = 0
        self._next: ssl.SSLContext | None = None
        self._old_once = False
        hooks = self

        class Counted(ssl.SSLObject):
            """A server TLS object whose making is counted (one per connection attempt)."""

            @classmethod
            def _create(cls, *args: Any, **kwargs: Any) -> Counted:
                made: Counted = super()._create(*args, **kwargs)  # type: ignore[misc]
                hooks._made()
                return made

        context.sslobject_class = Counted
        context.sni_callback = self._client_hello

    def present_next(self, context: ssl.SSLContext) -> None:
        """The next handshake presents ``context``'s certificate instead of the session's."""
        self._next = context

    def old_once(self) -> None:
        """The next connection attempt is offered TLS 1.0/1.1 only."""
        make_old(self.context)
        self._old_once = True

    def disarm(self) -> None:
        """Whatever was armed and not used yet is dropped; the context is the session's again."""
        self._next = None
        if self._old_once:
            self._old_once = False
            make_current(self.context)

    def _made(self) -> None:
        self.attempts += 1
        if self._old_once:
            self._old_once = False
            self.old_served += 1
            asyncio.get_running_loop().call_later(OLD_HOLD_S, self._restore)

    def _restore(self) -> None:
        if not self._old_once:
            make_current(self.context)

    def _client_hello(
        self, obj: ssl.SSLObject | ssl.SSLSocket, name: str | None, context: ssl.SSLContext
    ) -> None:
        if self._next is not None:
            obj.context, self._next = self._next, None
            self.alternate_served += 1
