"""OCPP 2.0.1/2.1 meter values of the reference station (functional block J, and the meter data of
the TransactionEvents of block E).

* Sampled values carry one entry per configured measurand (J01.FR.06/07, J02.FR.02/03) with the
  context of the reading (J01.FR.08, J02.FR.04): Transaction.Begin with
  SampledDataCtrlr.TxStartedMeasurands in the Started event (E01.FR.09/E02.FR.09),
  Sample.Periodic with TxUpdatedMeasurands every TxUpdatedInterval (J02.FR.11), and at the end
  the readings taken during the transaction every SampledDataCtrlr.TxEndedInterval
  (Sample.Periodic, TxEndedMeasurands) and every AlignedDataCtrlr.TxEndedInterval (Sample.Clock,
  AlignedDataCtrlr.TxEndedMeasurands), then one with Transaction.End (E06.FR.11).
* Clock-aligned values (J01): every AlignedDataCtrlr.Interval seconds, aligned to the clock
  (multiples of the interval since midnight UTC when it divides a day), a MeterValues for each
  EVSE without a transaction (J01.FR.14) and a TransactionEvent Updated with triggerReason
  MeterValueClock for each EVSE with one (J01.FR.22).

Seeded faults (:mod:`harness.reference.faults_ej`): ``tx-started-no-meter-values``,
``periodic-wrong-context``, ``tx-ended-no-samples``, ``tx-ended-no-clock-samples``,
``aligned-meter-values-not-sent``, ``aligned-tx-wrong-trigger`` and ``readings-unsigned``.
With SampledDataCtrlr.SignReadings true every sampled reading carries a signedMeterValue
(J02.FR.21), with AlignedDataCtrlr.SignReadings true every clock-aligned one (J01.FR.21).
"""

from __future__ import annotations

import asyncio
import math
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from harness.reference.station.devmodel import DeviceModel
from harness.reference.station.model import (
    CHARGING_POWER_W,
    Connector,
    Outgoing,
    Payload,
    Transaction,
    now_iso,
)

if TYPE_CHECKING:
    from harness.reference.station.core import ReferenceStation
    from harness.reference.station.v2tx import TxEngine

ENERGY = "Energy.Active.Import.Register"
#: Unit and value (while charging) of the measurands the simulated meter has.
_UNITS = {ENERGY: "Wh", "Power.Active.Import": "W", "Current.Import": "A"}
_CURRENT_A = 16.0
#: The simulated meter's signature (SignedMeterValueType; opaque data in the OCMF encoding).
_SIGNATURE = {
    "signedMeterData": "UmVmZXJlbmNlIHNpZ25lZCBtZXRlciBkYXRh",
    "signingMethod": "ECDSA-secp256r1-SHA256",
    "encodingMethod": "OCMF",
    "publicKey": "UmVmZXJlbmNlIHB1YmxpYyBrZXk=",
}
#: How often the clock loop looks at AlignedDataCtrlr.Interval while it is 0.
_IDLE_POLL_S = 0.25


def _stamp(epoch: float) -> str:
    return (
        datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )


class MeterValues:
    """The meter readings of the 2.x station: what a message carries, and the clock-aligned
    sending (one background loop, started when a transaction begins or the interval is set)."""

    def __init__(self, station: ReferenceStation, dm: DeviceModel, txe: TxEngine) -> None:
        self.st = station
        self.dm = dm
        self.txe = txe
        #: transaction key -> readings kept for the Ended event (TxEndedInterval samples).
        self._kept: dict[str, list[Payload]] = {}
        self._ended_samplers: dict[str, asyncio.Task[None]] = {}
        self._clock: asyncio.Task[None] | None = None

    # -- what one reading carries -------------------------------------------------------------------
    def _measurands(self, component: str, name: str) -> list[str]:
        try:
            text = self.dm.value(component, name)
        except KeyError:
            return [ENERGY]
        return [m for m in text.split(",") if m]

    def reading(
        self,
        c: Connector,
        context: str,
        measurands: list[str],
        *,
        charging: bool,
        stamp: str | None = None,
    ) -> Payload | None:
        """One meterValue with a sampledValue per measurand (None when there is none)."""
        values: list[Payload] = []
        for measurand in measurands:
            unit = _UNITS.get(measurand)
            if unit is None:
                continue
            if measurand == ENERGY:
                value: float = int(c.meter.read())
            elif measurand == "Power.Active.Import":
                value = CHARGING_POWER_W if charging else 0.0
            else:
                value = _CURRENT_A if charging else 0.0
            values.append(
                {
                    "value": value,
                    "context": context,
                    "measurand": measurand,
                    "unitOfMeasure": {"unit": unit},
                }
            )
        if not values:
            return None
        if self._signed(context) and "readings-unsigned" not in self.st.faults:
            for v in values:
                v["signedMeterValue"] = dict(_SIGNATURE)  # J01.FR.21/J02.FR.21
        return {"timestamp": stamp or now_iso(), "sampledValue": values}

    def _signed(self, context: str) -> bool:
        """J01.FR.21 (clock-aligned readings) / J02.FR.21 (sampled ones): SignReadings."""
        component = "AlignedDataCtrlr" if context == "Sample.Clock" else "SampledDataCtrlr"
        try:
            return self.dm.get_bool(component, "SignReadings")
        except KeyError:
            return False

    def for_event(
        self, tx: Transaction, c: Connector, context: str, charging: bool, stamp: str | None
    ) -> list[Payload]:
        """The meterValue list of a TransactionEvent whose reading has ``context``."""
        faults = self.st.faults
        if context == "Transaction.Begin":
            if "tx-started-no-meter-values" in faults:
                return []
            names = self._measurands("SampledDataCtrlr", "TxStartedMeasurands")
        elif context == "Sample.Periodic":
            if "periodic-wrong-context" in faults:
                context = "Other"
            names = self._measurands("SampledDataCtrlr", "TxUpdatedMeasurands")
        elif context == "Sample.Clock":
            names = self._measurands("AlignedDataCtrlr", "Measurands")
        elif context == "Transaction.End":
            kept = self._kept.pop(tx.key, [])
            names = self._measurands("SampledDataCtrlr", "TxEndedMeasurands")
            end = self.reading(c, context, names, charging=charging)
            return kept + ([end] if end is not None else [])
        else:
            names = [ENERGY]
        one = self.reading(c, context, names, charging=charging, stamp=stamp)
        return [one] if one is not None else []

    # -- transactions -------------------------------------------------------------------------------
    def begun(self, tx: Transaction) -> None:
        """Keep readings for the Ended event; make sure the clock loop runs."""
        self._kept[tx.key] = []
        self._ended_samplers[tx.key] = self.st.spawn(self._sample_for_end(tx))
        self.ensure_clock()

    def gone(self, tx: Transaction) -> None:
        """The transaction ended (its kept readings were sent) or the station lost power."""
        task = self._ended_samplers.pop(tx.key, None)
        if task is not None:
            task.cancel()
        self._kept.pop(tx.key, None)

    def power_lost(self) -> None:
        for task in self._ended_samplers.values():
            task.cancel()
        self._ended_samplers.clear()
        self._kept.clear()

    async def _sample_for_end(self, tx: Transaction) -> None:
        """Every SampledDataCtrlr.TxEndedInterval seconds: a Sample.Periodic reading for the
        Ended event (E06.FR.11 with J02 configuration)."""
        while not tx.ended:
            interval = self._int("SampledDataCtrlr", "TxEndedInterval")
            await asyncio.sleep(interval if interval > 0 else _IDLE_POLL_S)
            if interval <= 0 or tx.ended or "tx-ended-no-samples" in self.st.faults:
                continue
            self._keep(tx, "Sample.Periodic", "SampledDataCtrlr", None)

    def _keep(self, tx: Transaction, context: str, component: str, stamp: str | None) -> None:
        kept = self._kept.get(tx.key)
        if kept is None:
            return
        c = self.txe.meter_of(tx)
        names = self._measurands(component, "TxEndedMeasurands")
        one = self.reading(c, context, names, charging=self.txe.charging(tx), stamp=stamp)
        if one is not None:
            kept.append(one)

    def _int(self, component: str, name: str) -> int:
        try:
            return self.dm.get_int(component, name)
        except KeyError:
            return 0

    # -- clock-aligned (J01) ------------------------------------------------------------------------
    def ensure_clock(self) -> None:
        """Start the clock-aligned loop unless it runs."""
        if self._clock is None or self._clock.done():
            self._clock = self.st.spawn(self._clock_loop())

    async def _clock_loop(self) -> None:
        """Every aligned moment of either interval; a moment passed while the loop was late
        is still taken (with its own timestamp), so the readings stay an interval apart."""
        last: float | None = None
        while True:
            interval = self._int("AlignedDataCtrlr", "Interval")
            ended = self._int("AlignedDataCtrlr", "TxEndedInterval")
            steps = [s for s in (interval, ended) if s > 0]
            if not steps:
                last = None
                await asyncio.sleep(_IDLE_POLL_S)
                continue
            now = time.time()
            since = last if last is not None and now - last < max(steps) * 2 else now
            due = min(math.floor(since / s) * s + s for s in steps)
            last = due
            await asyncio.sleep(max(0.0, due - now))
            stamp = _stamp(due)
            still = interval == self._int("AlignedDataCtrlr", "Interval")
            if interval > 0 and still and round(due) % interval == 0:
                self._send_aligned(stamp)
            keep = "tx-ended-no-clock-samples" not in self.st.faults
            if ended > 0 and keep and round(due) % ended == 0:
                for tx in list(self.txe.tx.values()):
                    self._keep(tx, "Sample.Clock", "AlignedDataCtrlr", stamp)

    def _send_aligned(self, stamp: str) -> None:
        """J01.FR.14/22: one clock-aligned reading per EVSE."""
        if self.st.boot_status != "Accepted" or "aligned-meter-values-not-sent" in self.st.faults:
            return
        names = self._measurands("AlignedDataCtrlr", "Measurands")
        for evse in self.st.hardware.evses.values():
            tx = self.txe.tx.get(evse.id)
            if tx is not None:
                trigger = "MeterValueClock"
                if "aligned-tx-wrong-trigger" in self.st.faults:
                    trigger = "MeterValuePeriodic"
                self.txe.clock_event(tx, trigger, stamp)
                continue
            c = next(iter(evse.connectors.values()))
            one = self.reading(c, "Sample.Clock", names, charging=False, stamp=stamp)
            if one is not None:
                payload = {"evseId": evse.id, "meterValue": [one]}
                self.st.send(Outgoing.fixed("MeterValues", payload))
