"""The demo's top page: one row per built-in SUT, linking its report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.report.html import render_demo_index


def write_demo_index(out: Path, names: list[str]) -> Path:
    entries: list[dict[str, Any]] = []
    for name in names:
        results = out / name / "results.json"
        entry: dict[str, Any] = {
            "name": name,
            "link": f"{name}/index.html",
            "role": "?",
            "ocpp": "?",
            "pass": 0,
            "fail": 0,
            "other": 0,
            "ok": False,
        }
        if results.is_file():
            run = json.loads(results.read_text("utf-8"))["run"]
            counts = run["counts"]
            entry.update(
                role=run["sut"]["role"], ocpp=run["sut"]["ocpp"], **{"pass": counts["pass"]}
            )
            entry["fail"] = counts["fail"] + counts["error"]
            entry["other"] = counts["inconclusive"] + counts["not-applicable"]
            entry["ok"] = entry["fail"] == 0 and counts["inconclusive"] == 0 and counts["pass"] > 0
        entries.append(entry)
    index = out / "index.html"
    index.write_text(render_demo_index(entries), "utf-8")
    return index
