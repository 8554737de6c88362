"""OCPP 1.6 steps shared by the 1.6 cases with the charge point under test (the harness is the
Central System): a BootNotification answered Accepted and every connector reported Available
(1.6 §4.2, §4.9). Used by :mod:`.test_cold_boot` and :mod:`.test_security`; and the same as the
charge point with the Central System under test (:func:`station_booted`)."""

from __future__ import annotations

from harness import CsmsPeer, StationPeer, SutActions
from harness.checks import applicable_unless
from harness.config import SutProfile
from harness.peers.exchange import InboundCall
from harness.verdicts import SutFailure
from testcases.v201.states import boot_until_accepted

#: What the charge point owes after an accepted boot (the requirement of its check).
CONNECTORS_REPORTED = "1.6 §4.9: connectors reported Available after boot"


async def connectors_available(csms: CsmsPeer, profile: SutProfile, req: str) -> None:
    """Every connector of the charge point reported Available (StatusNotification, §4.9)."""
    count = sum(e.connectors for e in profile.sut.evses)
    for connector in range(1, count + 1):
        await csms.expect("StatusNotification", connector_id=connector, status="Available", req=req)


async def accept_boot(
    csms: CsmsPeer, boot: InboundCall, profile: SutProfile, *, interval: int = 300
) -> None:
    """The held BootNotification answered Accepted, then every connector reported Available."""
    await boot.reply(status="Accepted", interval=interval)
    await connectors_available(csms, profile, CONNECTORS_REPORTED)


async def station_booted(station: StationPeer, profile: SutProfile) -> None:
    """BootNotification until Accepted, then each connector reported Available, each answered
    (the steps after a secured connection is up; 1.6 §4.2, §4.9)."""
    boot = await boot_until_accepted(station, req="1.6 §4.2: BootNotification answered")
    boot.must(status="Accepted", req="1.6 §4.2: Accepted over the secured connection")
    count = sum(evse.connectors for evse in profile.sut.evses)
    for connector in range(1, count + 1):
        await station.call(
            "StatusNotification",
            connector_id=connector,
            error_code="NoError",
            status="Available",
            req="1.6 §4.9: StatusNotification answered",
        ).must()


async def charging(
    csms: CsmsPeer, sut: SutActions, profile: SutProfile, *, connector: int = 1
) -> int:
    """State Charging (1.6 §4.1, §4.8, §4.9): cable plugged into ``connector`` (EVSE of the same
    number in the built-in profiles), the valid idTag presented, StartTransaction answered by the
    harness's default reply (Accepted), the connector reported Charging. Returns the
    transactionId the harness gave."""
    await sut.plug_in(evse_id=connector)
    await sut.present_token(profile.sut.tokens.valid, evse_id=connector)
    await csms.expect(
        "StartTransaction", connector_id=connector, req="1.6 §4.8: a transaction is started"
    )
    await csms.expect(
        "StatusNotification",
        connector_id=connector,
        status="Charging",
        req="1.6 §4.9: the connector is Charging",
    )
    return csms.last_transaction_id  # the default reply is given by the next peer operation


async def key_value(csms: CsmsPeer, key: str) -> str | None:
    """The value of configuration key ``key`` (GetConfiguration, 1.6 §5.8); None when unknown."""
    result = await csms.call("GetConfiguration", key=[key])
    items = result.must(req="1.6 §5.8: GetConfiguration answered").get("configurationKey") or []
    for item in items:
        if isinstance(item, dict) and item.get("key") == key:
            value = item.get("value")
            return None if value is None else str(value)
    return None


async def with_key(csms: CsmsPeer, key: str, value: str) -> None:
    """Configuration key ``key`` set to ``value`` for this case (ChangeConfiguration, 1.6 §5.3;
    the harness restores it afterwards). A charge point that does not have the key or will not
    take the value (NotSupported, Rejected: both legal) makes the case NOT-APPLICABLE."""
    if (await key_value(csms, key)) == value:
        return
    result = await csms.call("ChangeConfiguration", key=key, value=value)
    status = result.must(req="1.6 §5.3: ChangeConfiguration answered").get("status")
    applicable_unless(
        status != "Accepted",
        f"the charge point answered ChangeConfiguration {key}={value} with {status}",
    )


async def drain(csms: CsmsPeer, action: str) -> None:
    """Take the ``action`` CALLs received so far off the inbox, so that a later expect can only
    match one that comes after this point."""
    while True:
        try:
            await csms.expect(action, within_s=0.05)
        except SutFailure:
            return
