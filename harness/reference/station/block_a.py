"""Block A (security) of the reference station: what it does when a TLS handshake with the CSMS
fails (A00.FR.310/311, 413/414: an invalid CSMS certificate ends the connection and is reported
as a SecurityEventNotification InvalidCsmsCertificate; A00.FR.316/419: likewise
InvalidTLSVersion where the station can tell). The event goes out once a connection is up
again (A04: security events are queued while offline).

Fault: ``no-security-event-on-tls-failure`` (the event is never reported).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.reference.station.model import Outgoing, now_iso
from harness.transport.client import ConnectFailed

if TYPE_CHECKING:
    from harness.reference.station.core import ReferenceStation


def connect_failed(st: ReferenceStation, exc: ConnectFailed) -> None:
    """Queue the security event of a failed TLS handshake (2.x; 1.6 without the extension)."""
    if exc.tls_problem is None or st.version == "1.6":
        return
    if "no-security-event-on-tls-failure" in st.faults:
        return
    payload = {
        "type": exc.tls_problem,
        "timestamp": now_iso(),
        "techInfo": str(exc)[:255],
    }
    st.send(Outgoing.fixed("SecurityEventNotification", payload))
