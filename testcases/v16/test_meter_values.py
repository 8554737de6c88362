"""OCPP 1.6 meter values of the charge point under test (test case document section 09: TC_070_CS
sampled, TC_071_CS clock-aligned). The 1.6 test case document is not public: steps and criteria
in our own words after OCPP 1.6 edition 2 §4.7 (MeterValues), §7.31-7.33 (SampledValue defaults:
measurand Energy.Active.Import.Register, context Sample.Periodic) and §9.1 MeterValueSampleInterval,
MeterValuesSampledData, ClockAlignedDataInterval, MeterValuesAlignedData. The keys are set for the
case with ChangeConfiguration and restored by the harness."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from harness import CsmsPeer, SutActions, oca
from harness.checks import require, should
from harness.config import SutProfile
from harness.peers.exchange import InboundCall
from testcases.v16.states import charging, with_key

V16 = ("1.6",)
ENERGY = "Energy.Active.Import.Register"
SAMPLE_S = 2
ALIGNED_S = 2
SLACK_S = 1.5
#: How far a clock-aligned sample's timestamp may be from its interval boundary (seconds).
ALIGN_TOLERANCE_S = 0.5
SAMPLED = "1.6 §9.1 MeterValueSampleInterval: a sample each interval"
ALIGNED = "1.6 §9.1 ClockAlignedDataInterval: clock-aligned MeterValues"
ON_CLOCK = "1.6 §9.1 ClockAlignedDataInterval: at the interval boundaries from midnight"


def _values(meter: InboundCall) -> list[dict[str, Any]]:
    """Every sampledValue of a MeterValues.req, with the §7.31 defaults filled in."""
    out = []
    for mv in meter.get("meterValue") or []:
        for sv in mv.get("sampledValue") or []:
            out.append(
                {
                    "measurand": sv.get("measurand", ENERGY),
                    "context": sv.get("context", "Sample.Periodic"),
                    "timestamp": mv.get("timestamp"),
                }
            )
    return out


def _has(meter: InboundCall, context: str, req: str) -> list[dict[str, Any]]:
    """The energy register sampled with ``context`` is in ``meter`` (else FAIL on ``req``)."""
    found = [v for v in _values(meter) if v["measurand"] == ENERGY and v["context"] == context]
    require(
        bool(found),
        req=req,
        expected=f"{ENERGY} with context {context}",
        actual=repr(_values(meter))[:300],
        frames=meter.link.trace.render(last=12),
    )
    return found


@oca(
    "TC_070_CS",
    "Sampled Meter Values",
    profile="core",
    versions=V16,
    kills=("cp16-sample-interval-ignored",),
)
async def test_sampled_meter_values(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """Follows TC_J_02_CS of 2.0.1 (sampled meter values). With MeterValuesSampledData the
    energy register and MeterValueSampleInterval a few seconds, a transaction's MeterValues come
    each interval for its connector, carrying the register with context Sample.Periodic; the
    transactionId of the transaction SHOULD be given (§6.31: optional)."""
    await with_key(csms, "MeterValuesSampledData", ENERGY)
    await with_key(csms, "MeterValueSampleInterval", str(SAMPLE_S))
    tx_id = await charging(csms, sut, sut_profile)
    for _ in range(2):
        meter = await csms.expect(
            "MeterValues", connector_id=1, within_s=SAMPLE_S + SLACK_S, req=SAMPLED
        )
        _has(meter, "Sample.Periodic", "1.6 §9.1 MeterValuesSampledData: the configured measurand")
        should(
            csms,
            meter.get("transactionId") == tx_id,
            req="1.6 §6.31: the transactionId of the sampled transaction",
            expected=str(tx_id),
            actual=repr(meter.get("transactionId")),
        )
    await sut.present_token(sut_profile.sut.tokens.valid)
    await csms.expect("StopTransaction", transaction_id=tx_id, req="1.6 §4.10: it stops")
    await sut.unplug(evse_id=1)


@oca(
    "TC_071_CS",
    "Clock-aligned Meter Values",
    profile="core",
    versions=V16,
    kills=("cp16-aligned-not-sent", "cp16-aligned-off-clock"),
)
async def test_clock_aligned_meter_values(csms: CsmsPeer) -> None:
    """Follows TC_J_01_CS of 2.0.1 (clock-aligned meter values). With MeterValuesAlignedData the
    energy register and ClockAlignedDataInterval a few seconds, MeterValues for connector 1 come
    each interval with the register in context Sample.Clock, stamped at an interval boundary
    counted from midnight (within half a second)."""
    await with_key(csms, "MeterValuesAlignedData", ENERGY)
    await with_key(csms, "ClockAlignedDataInterval", str(ALIGNED_S))
    for _ in range(2):
        meter = await csms.expect(
            "MeterValues", connector_id=1, within_s=ALIGNED_S + SLACK_S, req=ALIGNED
        )
        for value in _has(meter, "Sample.Clock", ALIGNED):
            stamp = datetime.fromisoformat(str(value["timestamp"]).replace("Z", "+00:00"))
            off = stamp.timestamp() % ALIGNED_S
            off = min(off, ALIGNED_S - off)
            require(
                off <= ALIGN_TOLERANCE_S,
                req=ON_CLOCK,
                expected=f"a timestamp on a {ALIGNED_S} s boundary (±{ALIGN_TOLERANCE_S} s)",
                actual=f"{value['timestamp']} ({off:.3f} s off)",
                frames=meter.link.trace.render(last=12),
            )
