"""Child processes of the self-tests: stopping them in order, and running one with a
pseudo-terminal as its controlling terminal (the operator prompt's ``/dev/tty``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: Makes the pty slave (fd argv[1]) the controlling terminal, then runs the rest of argv.
WITH_CTTY = (
    "import fcntl, os, sys, termios; fd = int(sys.argv[1]); "
    "fcntl.ioctl(fd, termios.TIOCSCTTY, 0); os.close(fd); "
    "os.execvp(sys.argv[2], sys.argv[2:])"
)


def stop(proc: subprocess.Popen[Any], timeout: float = 15.0) -> None:
    """SIGTERM, then SIGKILL after ``timeout``; the pipes closed."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    for pipe in (proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()


@contextmanager
def on_pty(
    argv: list[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    output_to_pty: bool = False,
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """Start ``argv`` in a new session whose controlling terminal is a fresh pty, stdin from
    /dev/null; stdout and stderr to the pty (``output_to_pty``) or to one pipe. Yields the
    process and the pty master; kills the process and closes the pty at the end."""
    master, slave = os.openpty()
    out: int = slave if output_to_pty else subprocess.PIPE
    proc = subprocess.Popen(
        [sys.executable, "-c", WITH_CTTY, str(slave), *argv],
        stdin=subprocess.DEVNULL,
        stdout=out,
        stderr=slave if output_to_pty else subprocess.STDOUT,
        pass_fds=(slave,),
        start_new_session=True,
        cwd=cwd,
        env=dict(env),
    )
    try:
        # the slave stays open here too: with no slave open anywhere, the master reads EIO
        yield proc, master
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
        os.close(master)
        os.close(slave)
