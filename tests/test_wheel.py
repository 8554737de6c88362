"""The harness installs like a plugin (issue 8 item 6): a wheel built from the repository and
installed into a fresh virtualenv outside the checkout runs ``ocpp-harness run --sut
reference-station-v201`` and ``ocpp-harness demo`` on the test cases, built-in profiles and report
templates it carries; its licence is the SPDX expression ``Apache-2.0``, built without a
setuptools deprecation warning.

The wheel is built once per module from a copy of the sources (nothing is written into the
checkout), without build isolation (the setuptools of this virtualenv, no download); the fresh
virtualenv borrows the other dependencies from this one through a ``.pth`` file, and neither the
checkout nor this project's editable install is on its ``sys.path``. The module's tests share one
xdist group, so one worker builds the wheel once (``make test`` runs ``--dist loadgroup``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path
from typing import Any

import pytest

from harness.report.schema import load_results

ROOT = Path(__file__).resolve().parents[1]
#: What a build reads: metadata, packaging glue, the package, the cases and the profiles.
SOURCES = ("pyproject.toml", "setup.py", "README.md", "LICENSE", "harness", "testcases", "fixtures")
#: Entries of this virtualenv's site-packages that are this project's own (its editable install).
OWN = ("ocpp_harness", "__editable__", "harness")

pytestmark = pytest.mark.xdist_group("wheel")


def _run(
    args: list[str], cwd: Path, timeout: float = 300, **kw: Any
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False, **kw
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The wheel, built from a copy of the sources, and the build log."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=ignore)
        else:
            src.mkdir(exist_ok=True)
            shutil.copy2(path, src / name)
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-v"]
    result = _run([*pip, "-w", str(base / "dist"), str(src)], cwd=base)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    (wheel,) = (base / "dist").glob("ocpp_harness-*.whl")
    return wheel, log


@pytest.fixture(scope="module")
def venv(built: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the wheel installed; the dependencies come from this one."""
    base = tmp_path_factory.mktemp("venv")
    env = base / "env"
    assert _run([sys.executable, "-m", "venv", "--without-pip", str(env)], cwd=base).returncode == 0
    python = env / "bin" / "python"
    deps = base / "deps"  # this virtualenv's site-packages without this project's own entries
    deps.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.startswith(OWN) and entry.suffix != ".pth":
            (deps / entry.name).symlink_to(entry)
    purelib = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=base
    ).stdout.strip()
    (Path(purelib) / "ocpp_harness_test_deps.pth").write_text(f"{deps}\n", "utf-8")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps"]
    result = _run([*pip, "--no-index", str(built[0])], cwd=base)
    assert result.returncode == 0, result.stdout + result.stderr
    return env


@pytest.fixture
def outside(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A working directory outside the checkout and an environment without its paths."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(str(ROOT))
    )
    return tmp_path, env


def test_the_wheel_carries_cases_profiles_templates_and_its_licence(
    built: tuple[Path, str],
) -> None:
    wheel, log = built
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        *(p.relative_to(ROOT).as_posix() for p in (ROOT / "harness").rglob("*.py")),
        *(f"harness/_suite/{p.relative_to(ROOT).as_posix()}" for p in _files("testcases", "*.py")),
        *(f"harness/_suite/{p.relative_to(ROOT).as_posix()}" for p in _files("fixtures", "*.yaml")),
        *(p.relative_to(ROOT).as_posix() for p in (ROOT / "harness/report/templates").iterdir()),
        "harness/report/results.schema.json",
        "harness/suite.ini",
        "harness/py.typed",
    }
    expected |= {f"harness/catalogue/{p.name}" for p in (ROOT / "harness/catalogue").glob("*.tsv")}
    assert not expected - names, sorted(expected - names)
    assert not [n for n in names if n.startswith(("testcases/", "fixtures/", "tests/"))]
    (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "License-Expression: Apache-2.0" in text
    assert "License-File: LICENSE" in text
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "deprecat" not in log.lower(), [ln for ln in log.splitlines() if "eprecat" in ln]
    assert "SetuptoolsWarning" not in log


def _files(top: str, pattern: str) -> list[Path]:
    return [p for p in (ROOT / top).rglob(pattern) if "__pycache__" not in p.parts]


def test_the_installed_harness_owns_its_imports(
    venv: Path, outside: tuple[Path, dict[str, str]]
) -> None:
    cwd, env = outside
    probe = "import harness, json, sys; print(json.dumps([harness.__file__, sys.path]))"
    result = _run([str(venv / "bin" / "python"), "-c", probe], cwd=cwd, env=env)
    assert result.returncode == 0, result.stderr
    module, path = json.loads(result.stdout)
    assert Path(module).is_relative_to(venv), module
    assert not [p for p in path if p and Path(p).resolve().is_relative_to(ROOT)], path


def test_installed_run_against_a_builtin_sut(
    venv: Path, outside: tuple[Path, dict[str, str]]
) -> None:
    cwd, env = outside
    args = [str(venv / "bin" / "ocpp-harness"), "run", "--sut", "reference-station-v201"]
    result = _run([*args, "--oca", "TC_B_01_CS"], cwd=cwd, env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 3, output[-3000:]  # one case of Core: incomplete, not failed
    assert "Deprecat" not in output, output[-3000:]
    assert "PytestConfigWarning" not in output, output[-3000:]
    report = cwd / "reports" / "reference-station-v201"
    document = load_results(report / "results.json")
    assert [(c["id"], c["verdict"]) for c in document["cases"]] == [("TC_B_01_CS", "pass")]
    assert Path(document["run"]["sut"]["profile_file"]).is_relative_to(venv)
    assert document["cases"][0]["nodeid"].startswith("testcases/v201/")
    for name in ("index.html", "junit.xml", "cases/TC_B_01_CS-2.0.1.html"):
        assert (report / name).is_file(), name


def test_installed_demo_verifies_every_builtin_sut(
    venv: Path, outside: tuple[Path, dict[str, str]]
) -> None:
    cwd, env = outside
    # four profiles at a time: the runs mostly wait on the reference SUTs' timers
    command = [str(venv / "bin" / "ocpp-harness"), "demo", "--jobs", "4"]
    result = _run(command, cwd=cwd, env=env, timeout=900)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "not all built-in SUTs verified" not in output
    assert (cwd / "reports" / "demo" / "index.html").is_file()
    for name in ("reference-station-v16", "reference-csms-v21", "reference-station-v201-sp3"):
        document = load_results(cwd / "reports" / "demo" / name / "results.json")
        assert document["outcome"]["status"] == "verified", name
