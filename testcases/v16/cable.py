"""Which cable a 1.6 charge point has (its hardware, declared in the SUT profile's ``features``
with the PICS item of Part 5 Appendix B §7): sockets with a cable lock (the default: the cases
of the lock run), or a fixed cable, ``HFS-2``. A fixed cable has no connector lock, so
UnlockConnector cannot unlock anything (1.6 errata 3.87: NotSupported) and
UnlockConnectorOnEVSideDisconnect stays false (errata 3.84/3.85): the cases of the lock
(TC_017_1/018_1/024/030_CS) do not apply to it, TC_017_2_CS and TC_018_2_CS apply to it only.
"""

from __future__ import annotations

from harness.config import SutProfile

#: The PICS item of a fixed cable (Part 5 Appendix B §7; "detachable cable" is HFS-1).
FIXED_CABLE = "HFS-2"


def with_cable_lock(profile: SutProfile) -> str | None:
    """An ``applies`` condition: NOT-APPLICABLE when the profile declares a fixed cable."""
    if FIXED_CABLE in profile.sut.features:
        return f"the charge point has a fixed cable ({FIXED_CABLE} declared): no connector lock"
    return None


def with_fixed_cable(profile: SutProfile) -> str | None:
    """An ``applies`` condition: NOT-APPLICABLE unless the profile declares a fixed cable."""
    if FIXED_CABLE not in profile.sut.features:
        return (
            f"no fixed cable declared (sut.features has no {FIXED_CABLE}): the charge point's "
            "sockets have a cable lock (the Not fixed cable case applies)"
        )
    return None
