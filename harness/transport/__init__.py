"""WebSocket transport for OCPP-J: server, client, the connection link and its fault hooks."""

from harness.transport.client import ConnectFailed, open_link, station_url
from harness.transport.link import Link, LinkClosed, ResponseTimeout
from harness.transport.server import Handshake, OcppServer

__all__ = [
    "ConnectFailed",
    "Handshake",
    "Link",
    "LinkClosed",
    "OcppServer",
    "ResponseTimeout",
    "open_link",
    "station_url",
]
