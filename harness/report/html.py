"""HTML rendering of a run (jinja2, autoescaped: SUT frames may contain markup)."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


def environment() -> Environment:
    return Environment(
        loader=PackageLoader("harness.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_index(document: dict[str, Any]) -> str:
    """The run overview: header, verdict counts, one row per case with its failure."""
    return environment().get_template("index.html.j2").render(doc=document)


def render_case(case: dict[str, Any], run: dict[str, Any]) -> str:
    """One case: verdict, Expected/Actual and the frame trace as a sequence."""
    return environment().get_template("case.html.j2").render(case=case, run=run)


def render_demo_index(entries: list[dict[str, Any]]) -> str:
    """The demo's top page linking every built-in SUT's report."""
    return environment().get_template("demo.html.j2").render(entries=entries)
