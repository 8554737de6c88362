"""ocpp-harness: OCPP conformance test harness (pytest plugin).

The authoring API for test cases: ``oca`` (the marker), ``Verdict``, ``CsmsPeer``,
``StationPeer``, ``SutActions``. Imported lazily, so loading the plugin stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["CsmsPeer", "StationPeer", "SutActions", "Verdict", "__version__", "oca"]

if TYPE_CHECKING:
    from harness.actions import SutActions
    from harness.peers import CsmsPeer, StationPeer
    from harness.testcase import oca
    from harness.verdicts import Verdict

_LAZY = {
    "oca": "harness.testcase",
    "Verdict": "harness.verdicts",
    "CsmsPeer": "harness.peers",
    "StationPeer": "harness.peers",
    "SutActions": "harness.actions",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'harness' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
