"""The report in a real browser: headless Chromium opens ``index.html`` from disk, the per-profile
table renders with the claimed failure on top, and a screenshot lands in the report folder.

``make test`` installs Chromium when it is missing (Debian package ``chromium``). Without it
this test is skipped — unless ``OCPP_HARNESS_REQUIRE_CHROMIUM=1`` (set by ``.ci/run``), which
turns the skip into a failure so CI cannot silently lose the check.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.report import write_run
from tests.report_samples import claims, sample_run

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("OCPP_HARNESS_REQUIRE_CHROMIUM") == "1":
            pytest.fail("chromium is required (OCPP_HARNESS_REQUIRE_CHROMIUM=1) but not installed")
        pytest.skip("chromium not installed (make test installs it: apt-get install chromium)")
    return path


def _browse(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "chromium-profile"
    return subprocess.run(
        [_chromium(), *FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _assert_markup_stayed_text(dom: str) -> None:
    """The SUT's markup (see MARKUP) reached the DOM as text, not as elements."""
    assert "<img" not in dom
    assert dom.count("<script") == 1  # the page's own print helper
    assert "&lt;script&gt;alert" in dom
    assert "&lt;img src=x" in dom


def test_index_renders_in_chromium_with_the_claimed_failure_on_top(tmp_path: Path) -> None:
    report = tmp_path / "report"
    write_run(sample_run(claims=claims("core", "reservation")), report)
    index = report / "index.html"

    dom = _browse(tmp_path, index, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    rows = re.findall(
        r'<tr class="row [^"]*" data-profile="([^"]+)"[^>]*>(.*?)</tr>', dom.stdout, re.S
    )
    table = {slug: _text(cells) for slug, cells in rows}
    assert list(table)[:2] == ["core", "reservation"], table
    # pass, fail, inconclusive, error, n/a, not run, OCTT warnings
    assert table["core"].startswith("Core yes FAILED 1 1 1 1 1 1 1"), table["core"]
    assert "Not testable" in table["reservation"]
    assert "Works, not claimed" in table["smart-charging"]
    flags = re.findall(r'<li class="(\w+)" data-kind="([^"]+)"', dom.stdout)
    assert flags[0] == ("fail", "claimed-failing")
    _assert_markup_stayed_text(dom.stdout)

    shot = report / "screenshot.png"
    result = _browse(tmp_path, index, f"--screenshot={shot}", "--window-size=1280,2000")
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000  # a rendered page, not a blank one


def test_a_case_page_opens_from_disk_and_links_back(tmp_path: Path) -> None:
    report = tmp_path / "report"
    write_run(sample_run(claims=claims("core")), report)
    page = report / "cases" / "TC_B_06_CS-2.0.1.html"
    dom = _browse(tmp_path, page, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'href="../index.html"' in dom.stdout
    failing = re.findall(r'<tr id="f(\d+)" class="[^"]*failing', dom.stdout)
    assert len(failing) == 1
    _assert_markup_stayed_text(dom.stdout)
