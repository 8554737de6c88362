"""Legal variants of the 2.x reference station's firmware update (block L, issue 11): each
reaches the block L cases only (``TC_L_*``). Registered in :data:`harness.reference.variants.VARIANTS`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness.reference.variants import Variant

_FIRMWARE_CASES = ("TC_L_*",)


def station_fw_variants() -> tuple[Variant, ...]:
    """The variants of this module (imported late: they are :class:`Variant` instances)."""
    from harness.reference.variants import STATION_V21, STATION_V201, Variant

    stations = (STATION_V201, STATION_V21)
    return (
        Variant(
            "firmware-no-install-rebooting",
            stations,
            "reboots to activate new firmware without reporting InstallRebooting first: only "
            "Installed, from the new firmware",
            "2.0.1 L01.FR.32 option (b); L01.FR.15 applies to a reboot before installing only",
            cases=_FIRMWARE_CASES,
        ),
        Variant(
            "firmware-download-resume",
            stations,
            "after a truncated firmware download, the next attempt asks only for the missing "
            "bytes (Range: bytes=n-) and joins them to what arrived",
            "RFC 9110 §14 (range requests); 2.0.1 L01 leaves how a download is retried to the "
            "station",
            cases=_FIRMWARE_CASES,
        ),
        Variant(
            "firmware-unavailable-before-install",
            stations,
            "reports its connectors Unavailable just before installing new firmware",
            "OCA Part 6 TC_L_01_CS step 9 and the other block L cases (optional step); 2.0.1 "
            "L01 does not forbid it",
            cases=_FIRMWARE_CASES,
        ),
        Variant(
            "firmware-cancel-refused",
            stations,
            "cannot cancel a running firmware update: a second UpdateFirmware meanwhile is "
            "Rejected and the first goes on (PICS C-60 not declared)",
            "2.0.1 L01.FR.24 (SHOULD cancel), L01.FR.27 (MAY answer Rejected when unable to)",
            drops=("C-60",),
            cases=_FIRMWARE_CASES,
        ),
        Variant(
            "firmware-download-after-transactions",
            stations,
            "does not download firmware while a transaction runs: DownloadScheduled until every "
            "transaction ended, then download and install (PICS AQ-7 not declared)",
            "2.0.1 L01.FR.13 (DownloadScheduled when busy charging), OCA Part 5 AQ-7 (an "
            "additional question, either answer allowed)",
            drops=("AQ-7",),
            cases=_FIRMWARE_CASES,
        ),
        Variant(
            "firmware-downloading-each-retry",
            stations,
            "reports FirmwareStatusNotification Downloading again on every download retry",
            "2.0.1 L01.FR.30 (note: MAY send Downloading upon each retry attempt)",
            cases=_FIRMWARE_CASES,
        ),
    )
