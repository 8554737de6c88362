"""Operator actions on the reference station's hardware and local settings (SUT actions of the
``builtin`` operator, :mod:`harness.actions.builtin`): a connector's error (``set_connector_faulted``,
1.6 §4.9, TC_041_CS, TC_048_1/050_1_CS), a jammed cable lock (``jam_connector_lock``, 1.6 §5.18,
§7.6, TC_024_CS, TC_030_CS) and the setting that refuses reservations (``refuse_reservations``,
1.6 §5.13: Rejected when the charge point is configured not to accept reservations, TC_048_4_CS,
TC_050_4_CS). A mixin of :class:`~harness.reference.station.core.ReferenceStation`.
"""

from __future__ import annotations

from harness.reference.station.model import Hardware


class HardwareActions:
    """The actions; the station provides :attr:`hardware` and :meth:`refresh_status`."""

    hardware: Hardware
    #: Configured not to accept reservations (1.6 §5.13; SUT action ``refuse_reservations``).
    reservations_refused: bool = False

    def refresh_status(self, *, front: bool = False, after_boot: bool = False) -> None:
        raise NotImplementedError  # the station's

    async def set_connector_faulted(
        self, evse_id: int = 1, connector_id: int = 1, faulted: bool = True
    ) -> None:
        """An error on a connector (1.6: status Faulted, §4.9) or its end."""
        self.hardware.connector(evse_id, connector_id).faulted = faulted
        self.refresh_status()

    async def jam_connector_lock(
        self, evse_id: int = 1, connector_id: int = 1, jammed: bool = True
    ) -> None:
        """The connector's cable lock jams (1.6: locking and unlocking fail, §5.18, §7.6) or is
        repaired (a lock failure it caused is over)."""
        c = self.hardware.connector(evse_id, connector_id)
        c.lock_jammed = jammed
        if not jammed:
            c.lock_failed = False
        self.refresh_status()

    async def refuse_reservations(self, refused: bool = True) -> None:
        """The charge point configured not to accept reservations (1.6 §5.13, §7.40: ReserveNow
        is then Rejected), or to accept them again."""
        self.reservations_refused = refused
