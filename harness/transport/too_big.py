"""What a frame over the size limit is called in a verdict (issue 8 item 9)."""

from __future__ import annotations

from websockets.exceptions import PayloadTooBig

MIB = 1024 * 1024
#: Where the user raises the frame limit (the message names it).
FRAME_LIMIT_KEY = "limits.max_frame_mib in the SUT profile"


def _size(size: int) -> str:
    return f"{size / MIB:.1f} MiB" if size >= MIB // 10 else f"{size / 1024:.1f} KiB"


def too_big_message(exc: PayloadTooBig) -> str:
    """What a frame over the limit is called (issue 8 item 9): "the SUT sent a 20.0 MiB frame;
    the limit is 16 MiB (limits.max_frame_mib in the SUT profile)". The size is the frame
    header's length (RFC 6455 §5.2), known before its payload is read; a message in fragments is
    at least the fragments read so far plus the one over the limit."""
    size = exc.size or 0
    limit = exc.max_size  # the message limit (websockets gave the fragment's room back to it)
    if exc.current_size:
        frame = f"message of at least {_size(size + exc.current_size)} (in fragments)"
    else:
        frame = f"{_size(size)} frame"
    return f"the SUT sent a {frame}; the limit is {round(limit / MIB, 3):g} MiB ({FRAME_LIMIT_KEY})"
