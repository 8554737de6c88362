"""Named faults ("mutants") of the reference SUTs: each changes exactly one behaviour.

Every OCA test case names the faults it must kill (``@oca(..., kills=(...))``); the mutant matrix
self-test runs the case against the reference SUT with each of them and requires a FAIL on the
requirement the fault targets (:meth:`Fault.expects`, judged by :meth:`Fault.killed`): a FAIL in
set-up, on a precondition or on an unrelated check proves nothing about the case's own check.
Select them for a built-in SUT with ``--ocpp-fault NAME`` (repeatable).
"""

from __future__ import annotations

import difflib

from harness.reference.csms_faults import CSMS_FAULTS
from harness.reference.csms_faults_d import D_CSMS_FAULTS
from harness.reference.csms_faults_h import H_CSMS_FAULTS
from harness.reference.csms_faults_k import K_CSMS_FAULTS
from harness.reference.csms_faults_l import L_CSMS_FAULTS
from harness.reference.csms_faults_offline import OFFLINE_CSMS_FAULTS
from harness.reference.csms_faults_sc16 import SC16_CSMS_FAULTS
from harness.reference.csms_faults_sec16 import SEC16_CSMS_FAULTS
from harness.reference.fault_model import PRECONDITION, Fault
from harness.reference.faults_a import A_FAULTS
from harness.reference.faults_b import B_FAULTS
from harness.reference.faults_c import C_FAULTS
from harness.reference.faults_c_group import C09_FAULTS
from harness.reference.faults_d import D_FAULTS
from harness.reference.faults_ej import EJ_FAULTS
from harness.reference.faults_fg import FG_FAULTS
from harness.reference.faults_fw16 import FW16_FAULTS
from harness.reference.faults_h import H_FAULTS
from harness.reference.faults_k import K_FAULTS
from harness.reference.faults_l import L_FAULTS
from harness.reference.faults_m import M_FAULTS
from harness.reference.faults_np import NP_FAULTS
from harness.reference.faults_offline import OFFLINE_FAULTS
from harness.reference.faults_offline16 import OFFLINE16_FAULTS
from harness.reference.faults_sc16 import SC16_FAULTS
from harness.reference.faults_sec16 import SEC16_FAULTS
from harness.reference.faults_v16_auth import AUTH16_FAULTS
from harness.reference.faults_v16_core import V16_CORE_FAULTS
from harness.reference.faults_v16_csms import V16_CSMS_FAULTS
from harness.reference.faults_v16_reservation import RESERVATION16_FAULTS
from harness.reference.robustness_faults import ROBUSTNESS_FAULTS
from harness.reference.station_faults import STATION_FAULTS

__all__ = ["FAULTS", "PRECONDITION", "Fault", "UnknownFault", "select_faults"]

#: Every fault by name: the station's, the CSMS's, then both SUTs' robustness faults.
FAULTS: dict[str, Fault] = {
    f.name: f for f in (*STATION_FAULTS, *CSMS_FAULTS, *ROBUSTNESS_FAULTS, *EJ_FAULTS)
}
FAULTS.update({f.name: f for f in A_FAULTS})  # block A (Security: TLS)
FAULTS.update({f.name: f for f in B_FAULTS})  # block B (Provisioning)
FAULTS.update({f.name: f for f in C_FAULTS})  # block C (Authorization)
FAULTS.update({f.name: f for f in C09_FAULTS})  # block C, C09 GroupId (2.x station)
FAULTS.update({f.name: f for f in D_FAULTS})  # block D (Local Authorization List, 2.x station)
FAULTS.update({f.name: f for f in D_CSMS_FAULTS})  # block D (2.x CSMS)
FAULTS.update({f.name: f for f in FG_FAULTS})  # blocks F and G
FAULTS.update({f.name: f for f in H_FAULTS})  # block H (Reservation, 2.x station)
FAULTS.update({f.name: f for f in H_CSMS_FAULTS})  # block H (2.x CSMS)
FAULTS.update({f.name: f for f in NP_FAULTS})  # blocks N and P
FAULTS.update({f.name: f for f in M_FAULTS})  # block M (certificate management)
FAULTS.update({f.name: f for f in L_FAULTS})  # block L (firmware management, 2.x station)
FAULTS.update({f.name: f for f in SEC16_CSMS_FAULTS})  # 1.6 security extension (CSMS)
FAULTS.update({f.name: f for f in L_CSMS_FAULTS})  # block L (firmware, CSMS)
FAULTS.update({f.name: f for f in K_CSMS_FAULTS})  # block K (smart charging, CSMS)
FAULTS.update({f.name: f for f in SEC16_FAULTS})  # 1.6 security whitepaper (charge point)
FAULTS.update({f.name: f for f in FW16_FAULTS})  # 1.6 firmware management, signed firmware
FAULTS.update({f.name: f for f in OFFLINE_CSMS_FAULTS})  # offline transaction delivery (CSMS)
FAULTS.update({f.name: f for f in OFFLINE16_FAULTS})  # offline delivery (1.6 charge point)
FAULTS.update({f.name: f for f in OFFLINE_FAULTS})  # issue 12: offline queue and retries
FAULTS.update({f.name: f for f in AUTH16_FAULTS})  # 1.6 local list, remote trigger (charge point)
FAULTS.update({f.name: f for f in RESERVATION16_FAULTS})  # 1.6 reservations (charge point)
FAULTS.update({f.name: f for f in SC16_FAULTS})  # 1.6 smart charging (charge point)
FAULTS.update({f.name: f for f in SC16_CSMS_FAULTS})  # 1.6 smart charging (central system)
FAULTS.update({f.name: f for f in K_FAULTS})  # block K (smart charging, 2.x station)
FAULTS.update({f.name: f for f in V16_CORE_FAULTS})  # 1.6 Core charge point cases (issue 14)
FAULTS.update({f.name: f for f in V16_CSMS_FAULTS})  # 1.6 Core cases, central system


class UnknownFault(ValueError):
    """A ``--ocpp-fault`` name that does not exist or does not fit the SUT."""


def select_faults(names: list[str] | tuple[str, ...], sut: str, version: str) -> frozenset[str]:
    """Validate fault names for a built-in SUT and OCPP version."""
    for name in names:
        fault = FAULTS.get(name)
        if fault is None:
            close = difflib.get_close_matches(name, FAULTS, n=3)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise UnknownFault(f"unknown fault {name!r}.{hint} Known: {', '.join(sorted(FAULTS))}")
        if fault.sut != sut:
            raise UnknownFault(f"fault {name!r} applies to the {fault.sut}, not the {sut}")
        if version not in fault.versions:
            raise UnknownFault(f"fault {name!r} does not exist for OCPP {version}")
    return frozenset(names)
