"""``ocpp-harness certs init``: write (or keep) the PKI of each key algorithm, the certificates
of the given stations and the bad certificates, and say which file was written or kept and which
roots go where. Never prints a key's content."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from harness.pki.bad import BAD_KINDS
from harness.pki.hierarchy import ensure_pki
from harness.pki.keys import ALGORITHMS, check_algorithm
from harness.pki.recipes import DEFAULT_ORGANIZATION, check_identity

_Snapshot = dict[Path, tuple[int, int, int]]


def _snapshot(directory: Path) -> _Snapshot:
    """Each file under ``directory`` with what changes when it is rewritten (inode, mtime,
    size): every write replaces a file by a new one."""
    if not directory.is_dir():
        return {}
    files = (p for p in directory.rglob("*") if p.is_file() and not p.name.startswith("."))
    return {p: (st.st_ino, st.st_mtime_ns, st.st_size) for p in files for st in (p.stat(),)}


def certs_init(
    directory: Path,
    *,
    algorithm: str = "both",
    host: str = "localhost",
    identities: Sequence[str] = ("CS001",),
    organization: str = DEFAULT_ORGANIZATION,
) -> Iterator[str]:
    """Write ``directory/<algorithm>/`` for one algorithm or ``both``; yield one line per file
    (``written`` or ``kept``, then its path) and then which roots to install where."""
    algorithms = ALGORITHMS if algorithm == "both" else (check_algorithm(algorithm),)
    for identity in identities:
        check_identity(identity)
    for alg in algorithms:
        target = directory / alg
        before = _snapshot(target)
        pki = ensure_pki(target, algorithm=alg, csms_host=host, organization=organization)
        for identity in identities:
            pki.station(identity)
        for kind in BAD_KINDS:
            pki.bad_server(kind)
            for identity in identities:
                pki.bad_station(kind, identity)
        after = _snapshot(target)
        for path in sorted(after, key=lambda p: (len(p.relative_to(target).parts), p)):
            state = after[path]
            yield f"{'kept   ' if before.get(path) == state else 'written'} {path}"
        chains = ", ".join(str(pki.station(i).chain) for i in identities)
        yield f"{alg}: install on a charging station under test (the harness is the CSMS):"
        yield f"  CSMSRootCertificate         {pki.csms_root}"
        yield f"  ManufacturerRootCertificate {pki.manufacturer_root}"
        yield f"{alg}: install on a CSMS under test (the harness is the station, profile 3):"
        yield f"  trusted root for station certificates {pki.cpo_root} (the harness presents {chains})"
        yield f"{alg}: the CSMS server certificate is for host {host!r}: see {target / 'README.txt'}"
