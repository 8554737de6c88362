"""Memory over a long session: the harness's RSS growth over many heartbeats on one connection.

A :class:`~harness.peers.StationPeer` sends ``--count`` Heartbeats (default 10,000) to a
:class:`~harness.peers.CsmsPeer` over one loopback connection, both in this process, outside any
test case (the session's "between cases" view, where a station idling between cases or for hours
sends its heartbeats) or, with ``--in-case``, inside one test case. The RSS is read after a
warm-up (schemas compiled, caches filled) and after the run, each after a garbage collection; the
growth is printed (goal: under 5 MB for 10,000 heartbeats, issue 15), never asserted.

Usage: ``python benchmarks/long_session.py [--count 10000] [--in-case] [--json]``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import resource
import time

from harness.peers import CsmsPeer, StationPeer

VERSION = "2.0.1"
HOST = "127.0.0.1"
WARMUP = 500


def rss_bytes() -> int:
    """This process's resident set size now (Linux: /proc; elsewhere the peak, as a bound)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def settled_rss() -> int:
    gc.collect()
    return rss_bytes()


async def run(count: int, in_case: bool) -> dict[str, float | int | str]:
    csms = CsmsPeer(VERSION, host=HOST, port=0, response_s=10.0, action_s=10.0)
    await csms.start()
    station = StationPeer(
        VERSION, url=csms.url, identity="LONG0001", response_s=10.0, action_s=10.0
    )
    try:
        await station.connect()
        await csms.wait_connected(5.0)
        if in_case:
            station.begin_case("long-session")
            csms.begin_case("long-session")
        for _ in range(WARMUP):
            await station.call_payload("Heartbeat", {})
        before = settled_rss()
        start = time.perf_counter()
        for _ in range(count):
            await station.call_payload("Heartbeat", {})
        seconds = time.perf_counter() - start
        after = settled_rss()
        kept = len(csms.trace) + len(station.trace)
        dropped = csms.trace.dropped + station.trace.dropped
    finally:
        await station.stop()
        await csms.stop()
    return {
        "heartbeats": count,
        "view": "in one case" if in_case else "between cases",
        "rss_before_mib": round(before / 2**20, 2),
        "rss_after_mib": round(after / 2**20, 2),
        "rss_growth_mib": round((after - before) / 2**20, 3),
        "bytes_per_heartbeat": round((after - before) / count, 1),
        "trace_entries_kept": kept,
        "trace_entries_dropped": dropped,
        "heartbeats_per_s": round(count / seconds),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=10_000, help="heartbeats after the warm-up")
    parser.add_argument("--in-case", action="store_true", help="inside one test case's view")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.count, args.in_case))
    if args.json:
        print(json.dumps(result))
        return 0
    print(
        f"{result['heartbeats']:,} heartbeats on one connection ({result['view']}): RSS "
        f"{result['rss_before_mib']} -> {result['rss_after_mib']} MiB, growth "
        f"{result['rss_growth_mib']} MiB ({result['bytes_per_heartbeat']} bytes per heartbeat; "
        f"goal < 5 MB); traces keep {result['trace_entries_kept']} entries, "
        f"{result['trace_entries_dropped']} dropped; {result['heartbeats_per_s']:,} heartbeats/s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
