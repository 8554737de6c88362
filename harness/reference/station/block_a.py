"""Block A (security) of the reference station: what it does when a TLS handshake with the CSMS
fails (A00.FR.310/311, 413/414: an invalid CSMS certificate ends the connection and is reported
as a SecurityEventNotification InvalidCsmsCertificate; A00.FR.316/419: likewise
InvalidTLSVersion where the station can tell). The event goes out once a connection is up
again (A04: security events are queued while offline).

A01 (security profiles 1/2): SecurityCtrlr.BasicAuthPassword, write-only; SetVariables of it takes
16-40 characters of passwordString only; once the answer is out the station closes its
connection and reconnects with the new password.

Faults: ``no-security-event-on-tls-failure`` (the event is never reported),
``password-change-ignored`` (Accepted, but it reconnects with the old password),
``password-accepts-short`` (a password under 16 characters is Accepted).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from harness.reference.station.devmodel import Variable
from harness.reference.station.model import Outgoing, now_iso
from harness.transport.client import ConnectFailed

if TYPE_CHECKING:
    from harness.reference.station.core import ReferenceStation

#: Appendix 2.2.1 / A00.FR.205: 16-40 characters of passwordString (alphanumerics, * - _ = : + | @ .).
PASSWORD = re.compile(r"[A-Za-z0-9*\-_=:+|@.]{16,40}")
#: Under the fault ``password-accepts-short``: any length of 1-40.
LAX_PASSWORD = re.compile(r"[A-Za-z0-9*\-_=:+|@.]{1,40}")


def connect_failed(st: ReferenceStation, exc: ConnectFailed) -> None:
    """Queue the security event of a failed TLS handshake (2.x; 1.6: :mod:`.sec16`)."""
    if st.version == "1.6":
        from harness.reference.station import sec16

        sec16.connect_failed(st, exc)
        return
    if exc.tls_problem is None:
        return
    if "no-security-event-on-tls-failure" in st.faults:
        return
    payload = {
        "type": exc.tls_problem,
        "timestamp": now_iso(),
        "techInfo": str(exc)[:255],
    }
    st.send(Outgoing.fixed("SecurityEventNotification", payload))


class _PasswordVariable(Variable):
    """SecurityCtrlr.BasicAuthPassword: only a passwordString of 16-40 characters is taken."""

    lax = False

    def normalise(self, value: str) -> str | None:
        rule = LAX_PASSWORD if self.lax else PASSWORD
        return value if rule.fullmatch(value) else None


def password_variables(st: ReferenceStation) -> list[Variable]:
    """A01.FR.01: BasicAuthPassword (WriteOnly) where the station uses Basic auth."""
    if st.password is None:
        return []

    def store(value: str) -> None:
        if "password-change-ignored" not in st.faults:
            st.password = value

    variable = _PasswordVariable(
        "SecurityCtrlr", "BasicAuthPassword", "string", mutability="WriteOnly", setter=store
    )
    variable.lax = "password-accepts-short" in st.faults
    return [variable]


def password_reconnect(
    st: ReferenceStation, results: list[dict[str, Any]]
) -> Callable[[], None] | None:
    """A01 steps 3-4: after a BasicAuthPassword was Accepted, close the connection once the
    answer is out; the station reconnects (with :attr:`password`) as after any lost link."""
    if not any(
        r.get("component", {}).get("name") == "SecurityCtrlr"
        and r.get("variable", {}).get("name") == "BasicAuthPassword"
        and r.get("attributeStatus") == "Accepted"
        for r in results
    ):
        return None
    link = st.link

    def reconnect() -> None:
        if link is not None and not link.closed.is_set():
            st.spawn(link.close(1000, "BasicAuthPassword changed"))

    return reconnect
