"""Security profiles 2 and 3 (issue 10): the TLS contexts, ``sut.tls``, the session set-up from
the harness PKI, the one-shot hooks of the negative station cases, and the certificate checks
of the block A cases failing on the certificates they must refuse."""

from __future__ import annotations

import asyncio
import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from harness.config import ProfileError, load_profile
from harness.peers.tls_setup import TlsConfigError, session_tls
from harness.pki import ensure_pki
from harness.transport.tls import client_context, old_tls_client, server_context, tls_info
from harness.transport.tls_hooks import ServerTlsHooks
from harness.verdicts import SutFailure

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return ensure_pki(tmp_path_factory.mktemp("pki") / "ecdsa")


async def _connect(port: int, context: ssl.SSLContext) -> str:
    """A TLS handshake with 127.0.0.1:port: the version, or why it failed."""
    try:
        async with asyncio.timeout(5):
            _, writer = await asyncio.open_connection("127.0.0.1", port, ssl=context)
            await asyncio.sleep(0.05)
    except (OSError, ssl.SSLError) as exc:
        return f"failed: {type(exc).__name__}"
    version = str(writer.get_extra_info("ssl_object").version())
    writer.close()
    return version


async def _serve(context: ssl.SSLContext) -> tuple[asyncio.Server, int]:
    async def handle(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(0.1)
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=context)
    return server, int(server.sockets[0].getsockname()[1])


async def test_mutual_tls_and_what_the_handshake_shows(pki: Any) -> None:
    station = pki.station("CS-TLS-1")
    server, port = await _serve(
        server_context(pki.csms_server.chain, pki.csms_server.key, client_ca=pki.cpo_root)
    )
    try:
        context = client_context(pki.csms_root, chain=station.chain, key=station.key)
        assert await _connect(port, context) in ("TLSv1.2", "TLSv1.3")
        # without a client certificate the server refuses (TLS 1.2 or 1.3 shape)
        assert (await _connect(port, client_context(pki.csms_root))).startswith(
            ("failed", "TLSv1.3")
        )
        _, writer = await asyncio.open_connection("127.0.0.1", port, ssl=context)
        info = tls_info(writer.get_extra_info("ssl_object"))
        writer.close()
        assert info is not None
        assert info.peer_cn == "localhost"
        assert "TLSv1" in info.describe()
    finally:
        server.close()


async def test_a_tls_1_0_probe_is_refused_by_the_ocpp_server(pki: Any) -> None:
    server, port = await _serve(server_context(pki.csms_server.chain, pki.csms_server.key))
    try:
        assert (await _connect(port, old_tls_client(pki.csms_root))).startswith("failed")
    finally:
        server.close()


async def test_hooks_change_the_next_attempt_only(pki: Any) -> None:
    context = server_context(pki.csms_server.chain, pki.csms_server.key)
    hooks = ServerTlsHooks(context)
    server, port = await _serve(context)
    client = client_context(pki.csms_root)
    try:
        bad = pki.bad_server("unknown-ca")
        hooks.present_next(server_context(bad.chain, bad.key))
        assert (await _connect(port, client)).startswith("failed")
        assert (await _connect(port, client)).startswith("TLSv1")
        assert (hooks.attempts, hooks.alternate_served) == (2, 1)
        hooks.old_once()
        assert (await _connect(port, client)).startswith("failed")
        assert hooks.old_served == 1
        await asyncio.sleep(1.2)  # OLD_HOLD_S
        assert (await _connect(port, client)).startswith("TLSv1")
    finally:
        server.close()


def _profile(tmp_path: Path, **sut: Any) -> Path:
    data = {
        "name": "TLS",
        "sut": {
            "role": "csms",
            "ocpp": "2.0.1",
            "identity": "CS1",
            "url": "wss://127.0.0.1:9443/ocpp",
            "security_profile": 3,
            **sut,
        },
    }
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(data), "utf-8")
    return path


def test_sut_tls_is_checked(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match=r"sut\.tls\.algorithm"):
        load_profile(_profile(tmp_path, tls={"algorithm": "dsa"}))
    with pytest.raises(ProfileError, match="go together"):
        load_profile(_profile(tmp_path, tls={"cert": "a.pem"}))
    with pytest.raises(ProfileError, match="without TLS"):
        load_profile(_profile(tmp_path, security_profile=1, password_env="P", tls={"certs": "c"}))


def test_a_missing_certificate_file_is_a_setup_error(tmp_path: Path) -> None:
    profile = load_profile(_profile(tmp_path, tls={"ca": "nowhere/root.pem"}))
    with pytest.raises(TlsConfigError, match=r"sut.tls.ca: .*root.pem does not exist"):
        session_tls(profile, tmp_path)


def test_the_harness_pki_serves_a_real_csms_profile(tmp_path: Path) -> None:
    profile = load_profile(_profile(tmp_path, tls={"certs": "certs"}))
    tls = session_tls(profile, tmp_path / "work")
    assert tls is not None
    assert tls.reference is None
    assert tls.own_chain is not None
    assert tls.own_chain.name == "station-CS1-chain.pem"
    assert (tmp_path / "certs" / "ecdsa" / "csms-root.pem").is_file()
    assert [p.algorithm for p in tls.pkis] == ["ecdsa", "rsa"]
    key = tmp_path / "certs" / "ecdsa" / "station-CS1.key"
    assert key.stat().st_mode & 0o777 == 0o600


def test_certificate_checks_fail_on_weak_and_misnamed_certificates(pki: Any) -> None:
    from cryptography import x509

    from harness.peers.view import PeerView
    from testcases.v201.tls_checks import require_certificate_properties

    peer = PeerView("2.0.1", response_s=1, action_s=1)
    good = x509.load_pem_x509_certificate(pki.csms_server.cert.read_bytes())
    require_certificate_properties(good, "wss://localhost:1/ocpp", peer, server=True)
    wrong = x509.load_pem_x509_certificate(pki.bad_server("wrong-cn").cert.read_bytes())
    with pytest.raises(SutFailure, match=r"A00\.FR\.510"):
        require_certificate_properties(wrong, "wss://localhost:1/ocpp", peer, server=True)
    weak = x509.load_pem_x509_certificate(pki.bad_server("weak-key").cert.read_bytes())
    with pytest.raises(SutFailure, match=r"A00\.FR\.502/503"):
        require_certificate_properties(weak, "wss://localhost:1/ocpp", peer, server=True)


def test_a_missing_file_stops_the_run_with_one_line(tmp_path: Path) -> None:
    """Issue 8 item 4 (the certificate row): no case runs, one line names the key."""
    path = _profile(tmp_path, tls={"ca": "missing-root.pem"})
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "testcases", "-p", "no:cacheprovider", "-q",
         "--ocpp-sut", str(path), "--oca", "TC_B_01_CSMS", f"--rootdir={ROOT}"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    out = result.stdout + result.stderr
    assert result.returncode == 4, out[-2000:]
    assert "sut.tls.ca" in out
    assert "missing-root.pem does not exist" in out
    assert "Traceback" not in out


def test_a_password_a_csms_sets_is_kept_out_of_the_trace() -> None:
    """The BasicAuthPassword of SetVariables (A01) and 1.6's AuthorizationKey never reach a
    trace (reports, results.json): only their length does."""
    from harness.ocppj.frames import parse_frame
    from harness.trace import Flow, Trace

    trace = Trace("case")
    raw = (
        '[2,"1","SetVariables",{"setVariableData":[{"component":{"name":"SecurityCtrlr"},'
        '"variable":{"name":"BasicAuthPassword"},"attributeValue":"s3cret-Password-1234"}]}]'
    )
    entry = trace.record(Flow.SENT, raw, parse_frame(raw, "2.0.1"))
    assert entry is not None
    assert "s3cret" not in entry.raw
    assert "<redacted: 20 characters>" in entry.raw
    assert "s3cret" not in str(entry.payload)
    old = '[2,"2","ChangeConfiguration",{"key":"AuthorizationKey","value":"0123456789abcdef"}]'
    kept = trace.record(Flow.SENT, old, parse_frame(old, "1.6"))
    assert kept is not None
    assert "0123456789abcdef" not in kept.raw
