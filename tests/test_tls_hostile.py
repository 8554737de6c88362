"""Hostile TLS peers (issue 10 item 7): a CSMS that sends garbage instead of a ServerHello, one
that stalls the handshake, one that presents a chain of 50 certificates, and a station that
opens a TLS connection and never finishes it. Each is a failed connection the harness names
(a FAIL with evidence in a case), bounded in time — never a hang, never a crash."""

from __future__ import annotations

import asyncio
import datetime
import ssl
import time
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from harness.peers import CsmsPeer, StationPeer
from harness.pki import ensure_pki
from harness.transport import ConnectFailed
from harness.transport.tls import client_context, server_context

CONNECT_S = 2.0


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return ensure_pki(tmp_path_factory.mktemp("pki") / "ecdsa")


def _station(port: int, context: ssl.SSLContext) -> StationPeer:
    return StationPeer(
        "2.0.1",
        url=f"wss://127.0.0.1:{port}/ocpp",
        identity="CS-HOSTILE",
        response_s=1.0,
        action_s=1.0,
        connect_s=CONNECT_S,
        ssl_context=context,
    )


async def _tcp_server(handler: Any) -> tuple[asyncio.Server, int]:
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    return server, int(server.sockets[0].getsockname()[1])


async def _attempt(station: StationPeer) -> tuple[object, float]:
    started = time.monotonic()
    outcome = await station.try_connect()
    return outcome, time.monotonic() - started


async def test_garbage_instead_of_a_server_hello_is_a_named_failure(pki: Any) -> None:
    async def garbage(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\n\r\nthis is no TLS at all\x00\xff" * 20)
        await writer.drain()
        writer.close()

    server, port = await _tcp_server(garbage)
    try:
        outcome, took = await _attempt(_station(port, client_context(pki.csms_root)))
    finally:
        server.close()
    assert isinstance(outcome, ConnectFailed)
    assert took < CONNECT_S + 2
    assert "could not connect" in str(outcome)


async def test_a_stalled_handshake_times_out(pki: Any) -> None:
    held: list[asyncio.StreamWriter] = []

    async def silent(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)  # accepts TCP, never answers the ClientHello

    server, port = await _tcp_server(silent)
    try:
        station = _station(port, client_context(pki.csms_root))
        outcome, took = await _attempt(station)
    finally:
        for writer in held:
            writer.close()
        server.close()
    assert isinstance(outcome, ConnectFailed)
    assert outcome.timed_out
    assert took < CONNECT_S + 2
    assert "no WebSocket handshake within" in station.trace.render()


def _long_chain(tmp_path: Path, length: int) -> tuple[Path, Path]:
    """A leaf under ``length`` CAs, each signed by the next (none trusted by anyone)."""
    now = datetime.datetime.now(datetime.UTC)
    names = [x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"ca-{i}")]) for i in range(length)]
    keys = [ec.generate_private_key(ec.SECP256R1()) for _ in range(length)]
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    subject_key: ec.EllipticCurvePrivateKey = leaf_key
    chain: list[x509.Certificate] = []
    for i in range(length):
        issuer_name, issuer_key = names[i], keys[i]
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer_name)
            .public_key(subject_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=i > 0, path_length=None), critical=True)
            .sign(issuer_key, hashes.SHA256())
        )
        chain.append(cert)
        subject, subject_key = issuer_name, issuer_key
    chain_path = tmp_path / "long-chain.pem"
    chain_path.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in chain))
    key_path = tmp_path / "long-chain.key"
    key_path.write_bytes(
        leaf_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return chain_path, key_path


async def test_a_chain_of_fifty_certificates_is_refused(pki: Any, tmp_path: Path) -> None:
    chain, key = _long_chain(tmp_path, 50)
    context = server_context(chain, key)

    async def hold(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(0.5)
        writer.close()

    server = await asyncio.start_server(hold, "127.0.0.1", 0, ssl=context)
    port = int(server.sockets[0].getsockname()[1])
    try:
        outcome, took = await _attempt(_station(port, client_context(pki.csms_root)))
    finally:
        server.close()
    assert isinstance(outcome, ConnectFailed)
    assert outcome.tls_problem == "InvalidCsmsCertificate"
    assert took < CONNECT_S + 2


async def test_a_station_that_stalls_its_handshake_does_not_hold_the_harness(pki: Any) -> None:
    csms = CsmsPeer(
        "2.0.1",
        host="127.0.0.1",
        port=0,
        response_s=1.0,
        action_s=1.0,
        ssl_context=server_context(pki.csms_server.chain, pki.csms_server.key),
    )
    await csms.start()
    port = int(csms.url.rsplit(":", 1)[1])
    stalled = [await asyncio.open_connection("127.0.0.1", port) for _ in range(3)]
    try:
        # a real station still gets through while three connections hang mid-handshake
        station = _station(port, client_context(pki.csms_root))
        outcome, _ = await _attempt(station)
        assert not isinstance(outcome, ConnectFailed), outcome
        await station.disconnect()
    finally:
        for _, writer in stalled:
            writer.close()
        started = time.monotonic()
        await csms.stop()
    assert time.monotonic() - started < 5
