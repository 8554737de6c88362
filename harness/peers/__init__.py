"""The harness peers: the CSMS that tests a station and the station that tests a CSMS."""

from harness.peers.base import Peer
from harness.peers.csms import CsmsPeer
from harness.peers.exchange import CallOutcome, InboundCall
from harness.peers.matching import one_of, present
from harness.peers.station import StationPeer

__all__ = ["CallOutcome", "CsmsPeer", "InboundCall", "Peer", "StationPeer", "one_of", "present"]
