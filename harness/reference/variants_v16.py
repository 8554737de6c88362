"""More legal variants of the reference 1.6 charge point (registered into
:data:`harness.reference.variants.VARIANTS`, which holds the rest; see that module).

* ``no-reserve-connector-zero``: ReserveConnectorZeroSupported false (1.6 §9.3.1: optional,
  read-only; "not set or false": a reservation of connector 0 is Rejected, §5.13). The
  connector-0 cases that need the key (TC_049_CS, TC_050_1/2/3_CS) are NOT-APPLICABLE then,
  TC_050_4_CS sees its Rejected without the refuse_reservations action.
* ``ev-disconnect-unlock-readonly``: UnlockConnectorOnEVSideDisconnect read-only (true), as the
  1.6 errata 3.84 allows for any charge point (§9.1.33: R or RW); TC_005_2_CS, which needs it
  false, is NOT-APPLICABLE then.
* ``fixed-cable``: the charge point has a fixed cable (PICS HFS-2, added to the profile's
  features) instead of sockets with a cable lock: UnlockConnector is answered NotSupported (errata
  3.87: no connector lock), after finishing a transaction on the connector (§5.18);
  UnlockConnectorOnEVSideDisconnect is false and read-only (errata 3.84/3.85), and an EV-side
  disconnect leaves nothing locked. TC_017_2_CS and TC_018_2_CS apply, the cases of a cable lock
  (TC_017_1_CS, TC_018_1_CS, TC_024_CS, TC_030_CS) are NOT-APPLICABLE.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness.reference.variants import Variant

#: The variant of a charge point with a fixed cable (read by the reference charge point).
FIXED_CABLE = "fixed-cable"


def station_v16_variants() -> tuple[Variant, ...]:
    """The variants of this module (imported late: they are :class:`Variant` instances)."""
    from harness.reference.variants import STATION_V16, Variant

    return (
        Variant(
            "no-reserve-connector-zero",
            (STATION_V16,),
            "does not support reservations of connector 0: ReserveConnectorZeroSupported is "
            "false and a ReserveNow for connector 0 is Rejected",
            "1.6 §9.3.1 (ReserveConnectorZeroSupported optional, read-only), §5.13 (not set or "
            "false: Rejected)",
            cases=("TC_04[6-9]*", "TC_05[0-3]*"),
        ),
        Variant(
            "ev-disconnect-unlock-readonly",
            (STATION_V16,),
            "UnlockConnectorOnEVSideDisconnect is read-only (true): a ChangeConfiguration of it "
            "is Rejected",
            "1.6 errata 3.84 (§9.1.33 accessibility R or RW; RO with a fixed cable)",
            cases=("TC_005_*",),
        ),
        Variant(
            FIXED_CABLE,
            (STATION_V16,),
            "a fixed cable (HFS-2) instead of sockets with a cable lock: UnlockConnector is "
            "answered NotSupported, UnlockConnectorOnEVSideDisconnect is false and read-only",
            "1.6 errata 3.87 (NotSupported: no connector lock), errata 3.84/3.85 (a fixed cable "
            "reports UnlockConnectorOnEVSideDisconnect false, read-only)",
            adds=("HFS-2",),
            cases=("TC_005_*", "TC_017_*", "TC_018_*", "TC_024_*", "TC_030_*", "TC_031_*"),
        ),
    )
