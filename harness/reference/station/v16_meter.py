"""OCPP 1.6J clock-aligned meter values of the reference charge point (1.6 §4.7, §9.1
ClockAlignedDataInterval / MeterValuesAlignedData): while ClockAlignedDataInterval is above 0,
every connector sends MeterValues at each interval boundary counted from midnight UTC, the
sample stamped with that boundary and its context Sample.Clock (with the transactionId when a
transaction runs there). Sampled values (MeterValueSampleInterval) are in
:mod:`harness.reference.station.v16tx`.

Faults (:mod:`harness.reference.faults_v16_core`): ``cp16-aligned-not-sent`` (no clock-aligned
data at all), ``cp16-aligned-off-clock`` (half an interval after each boundary, stamped then) and
``cp16-sample-interval-ignored`` (sampled values every fourth MeterValueSampleInterval).
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from harness.reference.station.model import Connector, Outgoing, Payload

if TYPE_CHECKING:
    from harness.reference.station.v16 import V16

ENERGY = "Energy.Active.Import.Register"


class Aligned16:
    """The clock-aligned sender: (re)started whenever ClockAlignedDataInterval changes."""

    def __init__(self, v16: V16) -> None:
        self.v = v16
        self.faults = v16.st.faults
        self._task: asyncio.Task[None] | None = None
        config = v16.config
        changed = config.on_change

        def on_change(key: str, value: str) -> None:
            changed(key, value)
            if key == "ClockAlignedDataInterval":
                self.restart()

        config.on_change = on_change
        if "cp16-sample-interval-ignored" in self.faults:
            get_int = config.get_int

            def slow(name: str) -> int:
                value = get_int(name)
                return value * 4 if name == "MeterValueSampleInterval" else value

            config.get_int = slow  # type: ignore[method-assign]

    def restart(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        interval = self.v.config.get_int("ClockAlignedDataInterval")
        if interval > 0 and "cp16-aligned-not-sent" not in self.faults:
            self._task = self.v.st.spawn(self._run(interval))

    async def _run(self, interval: int) -> None:
        offset = interval / 2 if "cp16-aligned-off-clock" in self.faults else 0.0
        while True:
            now = time.time()
            boundary = (int(now // interval) + 1) * interval + offset
            await asyncio.sleep(boundary - now)
            stamp = datetime.fromtimestamp(boundary, UTC).isoformat(timespec="milliseconds")
            measurands = self.v.config.keys["MeterValuesAlignedData"].value.split(",")
            if ENERGY not in measurands:
                continue  # only the energy register is measured here: nothing to send
            for c in self.v.hw.connectors():
                self.v.st.send(self._values(c, stamp.replace("+00:00", "Z")))

    def _values(self, c: Connector, stamp: str) -> Outgoing:
        value = {
            "value": str(int(c.meter.read())),
            "context": "Sample.Clock",
            "measurand": ENERGY,
            "unit": "Wh",
        }
        payload: Payload = {
            "connectorId": c.number,
            "meterValue": [{"timestamp": stamp, "sampledValue": [value]}],
        }
        tx = self.v.txe.tx.get(c.number)
        if tx is not None and tx.csms_id is not None:
            payload["transactionId"] = tx.csms_id
        return Outgoing.fixed("MeterValues", payload)
