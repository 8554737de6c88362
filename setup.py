"""Where the distribution's files come from (the metadata is in pyproject.toml).

The test cases are written in the top-level ``testcases/`` and the built-in SUT profiles and the
example claims in ``fixtures/``; a wheel carries them inside the package, under
``harness/_suite/``, where an installed ``ocpp-harness`` looks for them (``harness.layout``;
issue 8 item 6). An editable install maps the same names onto the checkout.
"""

from __future__ import annotations

from setuptools import find_namespace_packages, find_packages, setup

SUITE = "harness._suite"
CASES = find_packages(include=["testcases", "testcases.*"])
#: package name in the distribution -> directory in the checkout
MAPPED = {f"{SUITE}.{name}": name.replace(".", "/") for name in CASES} | {
    f"{SUITE}.fixtures.sut": "fixtures/sut",
    f"{SUITE}.fixtures.claims": "fixtures/claims",
}
HARNESS = find_namespace_packages(include=["harness", "harness.*"], exclude=["*.__pycache__"])

setup(
    packages=[*HARNESS, *MAPPED],
    package_dir=MAPPED,
    package_data={
        "harness": [
            "py.typed",
            "suite.ini",
            "report/templates/*",
            "report/*.json",
            "catalogue/*.tsv",
        ],
        f"{SUITE}.fixtures.sut": ["*.yaml"],
        f"{SUITE}.fixtures.claims": ["*.yaml"],
    },
)
