"""The OCPP 1.6 Local Authorization List of the reference charge point (1.6 §3.5.2, §5.10,
§5.15, §9.2; feature profile LocalAuthListManagement).

The list is a map idTag -> IdTagInfo with a version. GetLocalListVersion answers -1 while the list
is disabled (LocalAuthListEnabled false: the charge point does not support a list at that time),
0 while it is empty, else the version of the last update (§5.10). SendLocalList (§5.15):
NotSupported while disabled; Failed for more entries than SendLocalListMaxLength in one request
or a resulting list longer than LocalAuthListMaxLength (nothing is applied); a Differential update
whose listVersion is not above the current version is VersionMismatch (§7.47); a Full update
replaces the list, a Differential one adds or updates the entries with an idTagInfo and removes
those without. With LocalPreAuthorize true, an idTag the list holds as Accepted starts a
transaction without waiting for an Authorize (§3.5, :meth:`TxEngine16.authorize`); the list
takes priority over the authorization cache (§3.5.3).

Seeded faults (:mod:`harness.reference.faults_v16_auth`): ``cp16-list-version-while-disabled``,
``cp16-empty-list-version``, ``cp16-local-list-not-applied``, ``cp16-list-disabled-accepts``,
``cp16-list-version-unchecked``, ``cp16-list-overflow-accepted``, ``cp16-local-list-unused``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.reference.station.config16 import Key
from harness.reference.station.model import Payload, Reply

if TYPE_CHECKING:
    from harness.reference.station.v16 import V16

#: How many idTags the reference list holds (LocalAuthListMaxLength) and takes per request.
MAX_LENGTH = 10
SEND_MAX_LENGTH = 10
PROFILE = "LocalAuthListManagement"


def add_feature_profile(keys: dict[str, Key], name: str) -> None:
    """Add ``name`` to SupportedFeatureProfiles (1.6 §9.1) unless it is listed already."""
    key = keys["SupportedFeatureProfiles"]
    listed = [p for p in key.value.split(",") if p]
    if name not in listed:
        key.value = ",".join([*listed, name])


class LocalList16:
    """The list, its configuration keys and the two Central System commands."""

    def __init__(self, v16: V16) -> None:
        self.v16 = v16
        self.faults = v16.st.faults
        keys = v16.config.keys
        for key in (
            Key("LocalAuthListEnabled", "true", kind="bool"),
            Key("LocalAuthListMaxLength", str(MAX_LENGTH), readonly=True, kind="int"),
            Key("SendLocalListMaxLength", str(SEND_MAX_LENGTH), readonly=True, kind="int"),
        ):
            keys.setdefault(key.name, key)
        add_feature_profile(keys, PROFILE)
        self.version = 0
        self.entries: dict[str, dict[str, Any]] = {}
        v16.txe.local_status = self.status

    def handlers(self) -> dict[str, Any]:
        return {"GetLocalListVersion": self._get_version, "SendLocalList": self._send_list}

    @property
    def enabled(self) -> bool:
        return self.v16.config.get_bool("LocalAuthListEnabled")

    def status(self, tag: str) -> str | None:
        """The idTag's status in the list (None: not listed, or the list is disabled)."""
        if not self.enabled or "cp16-local-list-unused" in self.faults:
            return None
        info = self.entries.get(tag)
        return None if info is None else str(info.get("status"))

    def _get_version(self, p: Payload) -> Reply:
        """§5.10: -1 while disabled (fault: the version anyway), 0 when empty (fault: the
        version of the last update anyway)."""
        if not self.enabled and "cp16-list-version-while-disabled" not in self.faults:
            return Reply({"listVersion": -1})
        if not self.entries and "cp16-empty-list-version" not in self.faults:
            return Reply({"listVersion": 0})
        return Reply({"listVersion": self.version})

    def _send_list(self, p: Payload) -> Reply:
        """§5.15 SendLocalList.conf with the UpdateStatus (§7.47)."""
        if not self.enabled and "cp16-list-disabled-accepts" not in self.faults:
            return _status("NotSupported")
        items: list[dict[str, Any]] = list(p.get("localAuthorizationList") or [])
        version = int(p["listVersion"])
        full = p["updateType"] == "Full"
        stale = not full and version <= self.version
        if stale and "cp16-list-version-unchecked" not in self.faults:
            return _status("VersionMismatch")
        entries = {} if full else dict(self.entries)
        for item in items:
            if "idTagInfo" in item:
                entries[item["idTag"]] = dict(item["idTagInfo"])
            else:
                entries.pop(item["idTag"], None)
        too_many = len(items) > SEND_MAX_LENGTH or len(entries) > MAX_LENGTH
        if too_many:
            if "cp16-list-overflow-accepted" not in self.faults:
                return _status("Failed")
            entries = dict(list(entries.items())[:MAX_LENGTH])
        if "cp16-local-list-not-applied" not in self.faults:
            self.entries, self.version = entries, version
        return _status("Accepted")


def _status(status: str) -> Reply:
    return Reply({"status": status})
