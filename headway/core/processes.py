"""Runs several commands as one: all start, and all stop together on Ctrl+C, SIGTERM, or
when any of them ends, so a foreground `headway demo` leaves no process behind."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Protocol

_PR_SET_PDEATHSIG = 1


class Writer(Protocol):
    def write(self, text: str, /) -> object: ...


def _detach_and_follow_parent() -> None:
    """In the child before exec: its own process group, so a terminal's Ctrl+C reaches only the
    parent (which stops each child exactly once), and on Linux a SIGTERM when the parent dies,
    even by SIGKILL."""
    os.setpgid(0, 0)
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _signal_group(proc: subprocess.Popen[bytes], signum: int) -> None:
    # The group is gone once its processes have all exited.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signum)


def run_together(
    commands: dict[str, list[str]],
    *,
    grace_seconds: float = 10.0,
    poll_seconds: float = 0.2,
    out: Writer = sys.stdout,
) -> int:
    """Runs `commands` (name -> argv) until a signal or until one ends, then stops the rest:
    SIGTERM to each child's process group, SIGKILL after `grace_seconds`. Returns 0 when
    stopped by a signal, else the exit status of the command that ended first."""
    received: list[int] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    previous: dict[int, Callable[[int, FrameType | None], object] | int | None] = {
        s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)
    }
    procs: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for name, argv in commands.items():
            procs[name] = subprocess.Popen(argv, preexec_fn=_detach_and_follow_parent)
        first_exit = _wait_for_first_end(procs, received, poll_seconds)
    finally:
        _stop_all(procs, grace_seconds, out)
        for s, handler in previous.items():
            signal.signal(s, handler)
    if first_exit is None:
        return 0
    name, code = first_exit
    out.write(f"{name} stopped (exit status {code}), so everything was stopped.\n")
    return code


def _wait_for_first_end(
    procs: dict[str, subprocess.Popen[bytes]], received: list[int], poll_seconds: float
) -> tuple[str, int] | None:
    while not received:
        for name, proc in procs.items():
            code = proc.poll()
            if code is not None:
                return name, code
        time.sleep(poll_seconds)
    return None


def _stop_all(procs: dict[str, subprocess.Popen[bytes]], grace_seconds: float, out: Writer) -> None:
    for proc in procs.values():
        if proc.poll() is None:
            _signal_group(proc, signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    for name, proc in procs.items():
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            out.write(f"{name} did not stop within {grace_seconds:g} s: killed.\n")
            _signal_group(proc, signal.SIGKILL)
            proc.wait()
        # Whatever the child left in its group (gunicorn's workers) goes with it.
        _signal_group(proc, signal.SIGKILL)
