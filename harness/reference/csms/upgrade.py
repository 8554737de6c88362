"""A05 at the reference CSMS (OCPP 2.0.1/2.1; the 1.6 security extension's A05 alike): the
security profile each station must connect with, raised by an upgrade.

* The CSMS starts every station at the session's security profile. Over TLS without client
  certificates (profile 2) its server still asks for one, optionally, from the CPO roots it
  trusts, so that a station upgraded to profile 3 can present it.
* Once a station Accepted a network profile of a higher security profile (SetNetworkProfile, B09;
  1.6: ChangeConfiguration SecurityProfile), its first connection over that profile raises the
  station's security profile for good: from then on a connection over a lower one is refused
  (A05.FR.07) — without a client certificate HTTP 403.
* A connection with a client certificate must carry the station's identity as its CN
  (A00.FR.405); Basic auth is checked where the station's profile is 1 or 2 (A00.FR.202-204).
* ``restore_security_profile`` (operator action, not OCPP) sets a station's profile back.

Fault (:mod:`harness.reference.faults_a`): ``csms-accepts-lower-profile-after-upgrade`` (the
profile is never raised: the station may go on connecting over the lower one).
"""

from __future__ import annotations

import ssl
from collections.abc import Callable
from http import HTTPStatus

from harness.transport.tls import TlsInfo

#: Basic credentials check of the CSMS: (identity, username, password) -> accepted.
Credentials = Callable[[str, str, str], bool]


def ask_client_certificates(context: ssl.SSLContext | None) -> None:
    """Security profile 2: ask for a client certificate without requiring one."""
    if context is not None and context.verify_mode not in (ssl.CERT_OPTIONAL, ssl.CERT_REQUIRED):
        context.verify_mode = ssl.CERT_OPTIONAL


class SecurityLevels:
    """The security profile of each station the CSMS knows (A05.FR.07)."""

    def __init__(
        self,
        base: int,
        credentials: Credentials | None,
        faults: frozenset[str],
        *,
        check_cn: bool = True,
    ) -> None:
        self.base = base
        self.credentials = credentials
        self.faults = faults
        self.check_cn = check_cn
        self.levels: dict[str, int] = {}
        #: Upgrades a station Accepted and has not connected over yet.
        self.pending: dict[str, int] = {}

    def level(self, identity: str) -> int:
        return self.levels.get(identity, self.base)

    def accepted(self, identity: str, security_profile: int) -> None:
        """The station Accepted a network profile of ``security_profile``."""
        if security_profile > self.level(identity):
            self.pending[identity] = security_profile

    def restore(self, identity: str, security_profile: int) -> None:
        """The operator action: the station's profile set back."""
        self.levels[identity] = security_profile
        self.pending.pop(identity, None)

    def admit(
        self, identity: str, tls: TlsInfo | None, auth: tuple[str, str] | None
    ) -> tuple[int, str] | None:
        """The handshake's admission (:data:`harness.transport.server.Admission`)."""
        certified = tls is not None and tls.peer_cn is not None
        if certified and self.check_cn and tls is not None and tls.peer_cn != identity:
            return (
                HTTPStatus.FORBIDDEN,
                f"the client certificate's CN {tls.peer_cn!r} is not the station identity "
                f"{identity!r} (A00.FR.405)",
            )
        level = self.level(identity)
        if certified and self.pending.get(identity, 0) >= 3:
            if "csms-accepts-lower-profile-after-upgrade" in self.faults:
                return None  # the upgrade is let in, the old profile stays allowed
            self.pending.pop(identity)
            self.levels[identity] = level = 3
        if level >= 3:
            if certified:
                return None
            return (
                HTTPStatus.FORBIDDEN,
                f"station {identity!r} is at security profile {level}: a client certificate "
                f"is required (A05.FR.07)",
            )
        if self.credentials is None:
            return None
        if auth is None:
            return HTTPStatus.UNAUTHORIZED, "HTTP Basic authentication required"
        if not self.credentials(identity, auth[0], auth[1]):
            return HTTPStatus.UNAUTHORIZED, "invalid credentials"
        return None
