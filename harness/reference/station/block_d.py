"""OCA block D (Local Authorization List) of the 2.0.1/2.1 reference station: the list, its
version and the LocalAuthListCtrlr variables (Part 2 Appendix 3).

* The list maps an IdToken (idToken, type) to its IdTokenInfo, with a version number; 0 until the
  CSMS sends a first update (D02.FR.02).
* LocalAuthListCtrlr: Enabled (ReadWrite, true; absent under the legal variant
  ``optional-variables-absent``, the list being always on then), Entries (ReadOnly, the number of
  idTokens listed, D01.FR.12), ItemsPerMessage and BytesPerMessage (ReadOnly, D01.FR.11),
  Available (ReadOnly true), DisablePostAuthorize (ReadWrite, false; LA-3).
* A presented idToken the list holds (:meth:`LocalList.decide`; before the authorization cache,
  C14.FR.01): Accepted starts charging without an Authorize where AuthCtrlr.LocalPreAuthorize
  is true (C14.FR.02; offline always, C13.FR.02); another status is sent in an Authorize
  (C14.FR.03) unless DisablePostAuthorize is true, and refused offline (C13.FR.02).
* SendLocalList (D01): while the list is disabled, or for more entries than ItemsPerMessage in one
  request or a list longer than :data:`MAX_ENTRIES`, Failed and nothing changes. A Differential
  update whose versionNumber is not above the list's is VersionMismatch (D01.FR.19). A Full update
  replaces the list (none given: the list is emptied, D01.FR.04; D01.FR.15); a Differential one
  adds or updates the entries with an idTokenInfo (D01.FR.16) and removes those without
  (D01.FR.17), none given changing nothing (D01.FR.05). Each Accepted update sets the version it
  carries (D01.FR.01).
* GetLocalListVersion (D02): the list's version (D02.FR.01), 0 while the list is disabled
  (D02.FR.03).
* The list is kept over a reboot (D01.FR.10, a SHOULD). The legal variant ``local-list-volatile``
  loses it at a power cycle: the version is 0 again, as before a first update.

Seeded faults (:mod:`harness.reference.faults_d`): ``local-list-full-not-applied``,
``local-list-differential-not-applied``, ``local-list-remove-failed``,
``local-list-empty-full-keeps-version``, ``local-list-empty-differential-ignored``,
``local-list-version-unchecked``, ``local-list-version-lost-on-boot``,
``local-list-version-zero``, ``local-list-version-while-disabled``, ``local-list-unused``,
``local-list-no-post-authorize``, ``local-list-ignores-authorize-answer``,
``local-list-post-authorize-not-disabled``, ``local-list-offline-any-status``; in
:mod:`~harness.reference.station.local_auth`: ``local-list-after-cache``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.reference.station.devmodel import Variable
from harness.reference.station.model import Outgoing, Payload, Reply

if TYPE_CHECKING:
    from harness.reference.station.v2 import V2

COMPONENT = "LocalAuthListCtrlr"
#: How many idTokens one SendLocalList may carry, and its size in bytes (D01.FR.11).
ITEMS_PER_MESSAGE = 20
BYTES_PER_MESSAGE = 8000
#: How many idTokens the list holds.
MAX_ENTRIES = 100

#: An IdTokenType as a key of the list.
TokenKey = tuple[str, str]


def _key(id_token: Payload) -> TokenKey:
    return str(id_token.get("idToken", "")), str(id_token.get("type", ""))


class LocalList:
    """The list, its variables and the two CSMS commands."""

    def __init__(self, v2: V2) -> None:
        self.v2 = v2
        self.faults = v2.st.faults
        self.volatile = "local-list-volatile" in v2.st.variants
        self.version = 0
        self.entries: dict[TokenKey, Payload] = {}

    def variables(self) -> list[Variable]:
        """LocalAuthListCtrlr (Part 2 Appendix 3; Entries, ItemsPerMessage, BytesPerMessage are
        required of a station with a list, D01.FR.11/12)."""
        return [
            Variable(COMPONENT, "Enabled", "boolean", "true"),
            Variable(COMPONENT, "Available", "boolean", "true", mutability="ReadOnly"),
            Variable(COMPONENT, "DisablePostAuthorize", "boolean", "false"),
            Variable(
                COMPONENT,
                "Entries",
                "integer",
                mutability="ReadOnly",
                getter=lambda: str(len(self.entries)),
            ),
            Variable(COMPONENT, "ItemsPerMessage", "integer", str(ITEMS_PER_MESSAGE), "ReadOnly"),
            Variable(COMPONENT, "BytesPerMessage", "integer", str(BYTES_PER_MESSAGE), "ReadOnly"),
        ]

    def handlers(self) -> dict[str, Any]:
        return {"SendLocalList": self._send_list, "GetLocalListVersion": self._get_version}

    @property
    def enabled(self) -> bool:
        """LocalAuthListCtrlr.Enabled; a station without the variable has its list always on."""
        try:
            return self.v2.dm.get_bool(COMPONENT, "Enabled")
        except KeyError:
            return True

    def status(self, id_token: str, token_type: str) -> str | None:
        """The idToken's status in the list (None: not listed, or the list is disabled)."""
        if not self.enabled:
            return None
        info = self.entries.get((id_token, token_type))
        return None if info is None else str(info.get("status"))

    def entry_of(self, id_token: str) -> tuple[str, str | None] | None:
        """The idToken's status and groupIdToken in the list (None: not listed, or disabled)."""
        info = self.entries.get((id_token, "ISO14443")) if self.enabled else None
        if info is None:
            return None
        return str(info.get("status")), (info.get("groupIdToken") or {}).get("idToken")

    def decide(self, id_token: str, online: bool) -> str | None:
        """What the list decides for a presented idToken (C13, C14; the list goes before the
        authorization cache, C14.FR.01): "grant" (charge without an Authorize), "authorize"
        (ask the CSMS), "refuse", or None (not listed: the cache and the CSMS decide)."""
        status = self.status(id_token, "ISO14443")
        if status is None or "local-list-unused" in self.faults:
            return None
        if status == "Accepted":  # C14.FR.02 online (with LocalPreAuthorize), C13.FR.02 offline
            local = not online or self.v2.dm.get_bool("AuthCtrlr", "LocalPreAuthorize")
            return "grant" if local else "authorize"
        if not online and "local-list-offline-any-status" in self.faults:
            return "grant"
        if not online or "local-list-no-post-authorize" in self.faults:
            return "refuse"  # C13.FR.02: offline, only a listed idToken Accepted may charge
        if self._post_authorize_disabled():
            return "refuse"  # LA-3
        if "local-list-ignores-authorize-answer" in self.faults:
            token = {"idToken": {"idToken": id_token, "type": "ISO14443"}}
            self.v2.st.send(Outgoing.fixed("Authorize", token))  # the answer is not looked at
            return "refuse"
        return "authorize"  # C14.FR.03

    def _post_authorize_disabled(self) -> bool:
        """LocalAuthListCtrlr.DisablePostAuthorize (LA-3); absent: false."""
        if "local-list-post-authorize-not-disabled" in self.faults:
            return False
        try:
            return self.v2.dm.get_bool(COMPONENT, "DisablePostAuthorize")
        except KeyError:
            return False

    def power_lost(self) -> None:
        """A power cycle keeps the list (D01.FR.10) unless it is volatile (legal variant); the
        fault ``local-list-version-lost-on-boot`` keeps the entries but restarts the version
        at 1."""
        if self.volatile:
            self.entries, self.version = {}, 0
        elif "local-list-version-lost-on-boot" in self.faults and self.version:
            self.version = 1

    def _get_version(self, p: Payload) -> Reply:
        """D02.FR.01-03."""
        if "local-list-version-zero" in self.faults:
            return Reply({"versionNumber": 0})
        if not self.enabled and "local-list-version-while-disabled" not in self.faults:
            return Reply({"versionNumber": 0})
        return Reply({"versionNumber": self.version})

    def _send_list(self, p: Payload) -> Reply:
        """D01: SendLocalListResponse with Accepted, Failed or VersionMismatch."""
        items: list[Payload] = list(p.get("localAuthorizationList") or [])
        version = int(p["versionNumber"])
        full = p["updateType"] == "Full"
        if not self.enabled or len(items) > ITEMS_PER_MESSAGE:
            return _status("Failed")
        if (
            not full
            and version <= self.version
            and "local-list-version-unchecked" not in self.faults
        ):
            return _status("VersionMismatch")
        removing = any("idTokenInfo" not in item for item in items)
        if not full and removing and "local-list-remove-failed" in self.faults:
            return _status("Failed")
        entries = {} if full else dict(self.entries)
        for item in items:
            key = _key(item.get("idToken") or {})
            if "idTokenInfo" in item:
                entries[key] = dict(item["idTokenInfo"])
            else:
                entries.pop(key, None)
        if len(entries) > MAX_ENTRIES:
            return _status("Failed")
        if full and not items and "local-list-empty-full-keeps-version" in self.faults:
            self.entries = {}
        elif self._applies(full, bool(items)):
            self.entries, self.version = entries, version
        return _status("Accepted")

    def _applies(self, full: bool, given: bool) -> bool:
        """Whether an Accepted update is applied: each fault below skips one kind of update."""
        if full:
            fault = "local-list-full-not-applied" if given else ""
        elif given:
            fault = "local-list-differential-not-applied"
        else:
            fault = "local-list-empty-differential-ignored"
        return fault not in self.faults


def _status(status: str) -> Reply:
    return Reply({"status": status})
