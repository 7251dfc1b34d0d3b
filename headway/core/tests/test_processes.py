"""`headway demo` runs the web server and the worker together and stops both, leaving nothing."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
JORDAN = "jordan@harborpine.example"
SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def _runner(tmp_path: Path, commands: dict[str, list[str]], grace: float = 5.0) -> Path:
    """A script that runs `commands` with run_together, as the demo does."""
    script = tmp_path / "together.py"
    script.write_text(
        "import sys\n"
        "from headway.core.processes import run_together\n"
        f"sys.exit(run_together({commands!r}, grace_seconds={grace}, poll_seconds=0.05))\n"
    )
    return script


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _wait_for(predicate, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has finished; only its parent's wait is missing.
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"


def _group_alive(pgid: int) -> bool:
    """Whether a process of the group is still running (zombies have finished)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                return True
    return False


def _start(argv: list[str], **kw) -> subprocess.Popen[bytes]:  # type: ignore[no-untyped-def]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(argv, cwd=ROOT, env=env, start_new_session=True, **kw)


pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")


def test_sigint_stops_every_command_and_their_own_children(tmp_path: Path) -> None:
    # given: two commands, one of which starts a grandchild in its group (as gunicorn does)
    spawner = [
        sys.executable,
        "-c",
        f"import subprocess, sys, time;subprocess.Popen({SLEEPER!r}); time.sleep(60)",
    ]
    parent = _start([sys.executable, str(_runner(tmp_path, {"a": SLEEPER, "b": spawner}))])
    assert _wait_for(lambda: len(_children(parent.pid)) == 2, 20)
    kids = _children(parent.pid)
    assert _wait_for(lambda: any(_children(k) for k in kids), 20)
    grandchildren = [g for k in kids for g in _children(k)]
    # when
    parent.send_signal(signal.SIGINT)
    # then
    assert parent.wait(timeout=20) == 0
    assert not any(_alive(p) for p in kids + grandchildren)
    assert not any(_group_alive(k) for k in kids)


def test_when_one_command_ends_the_others_stop_and_its_status_is_returned(
    tmp_path: Path,
) -> None:
    failing = [sys.executable, "-c", "import time, sys; time.sleep(0.5); sys.exit(3)"]
    parent = _start(
        [sys.executable, str(_runner(tmp_path, {"fails": failing, "sleeps": SLEEPER}))],
        stdout=subprocess.PIPE,
    )
    assert _wait_for(lambda: len(_children(parent.pid)) == 2, 20)
    kids = _children(parent.pid)
    out, _ = parent.communicate(timeout=20)
    assert parent.returncode == 3
    assert b"fails stopped (exit status 3)" in out
    assert not any(_alive(p) for p in kids)


def test_a_command_that_ignores_sigterm_is_killed_after_the_grace_period(tmp_path: Path) -> None:
    stubborn = [
        sys.executable,
        "-c",
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)",
    ]
    parent = _start(
        [sys.executable, str(_runner(tmp_path, {"stubborn": stubborn}, grace=1.0))],
        stdout=subprocess.PIPE,
    )
    assert _wait_for(lambda: len(_children(parent.pid)) == 1, 20)
    kid = _children(parent.pid)[0]
    time.sleep(0.5)  # let it install its handler
    parent.send_signal(signal.SIGTERM)
    out, _ = parent.communicate(timeout=20)
    assert parent.returncode == 0
    assert b"stubborn did not stop within 1 s: killed" in out
    assert not _alive(kid)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_the_demo_serves_runs_the_worker_and_stops_both_on_ctrl_c(tmp_path: Path) -> None:
    # given: the demo on a fresh var directory and a free port
    port = _free_port()
    env = {**os.environ, "HEADWAY_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    for name in ("DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "DATABASE_URL"):
        env.pop(name, None)
    env.update(HEADWAY_TESTING="", EMAIL_URL="console://", WEB_CONCURRENCY="1")
    log = (tmp_path / "demo.log").open("wb")
    demo = subprocess.Popen(
        [sys.executable, "-m", "headway.cli", "demo", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        # when it is up
        assert _wait_for(lambda: _get_ok(f"http://127.0.0.1:{port}/healthz"), 240), _tail(tmp_path)
        kids = _children(demo.pid)
        commands = {Path(f"/proc/{k}/cmdline").read_bytes() for k in kids}
        assert any(b"gunicorn" in c for c in commands) and any(b"worker" in c for c in commands)
        # then: Jordan sends a task for approval (J2) with a token made by `headway token
        # create`, which finds the demo's secret key, and the worker prints the email
        title = _send_for_approval(port, env)
        assert _wait_for(lambda: f"Subject: Approval needed: {title}" in _tail(tmp_path), 60)
        status, page = _get(f"http://127.0.0.1:{port}/no-such-page/")
        assert status == 404 and 'class="error-page"' in page  # the styled page, not DEBUG's
        # and Ctrl+C stops everything
        demo.send_signal(signal.SIGINT)
        assert demo.wait(timeout=30) == 0
        assert not any(_alive(k) for k in kids)
        assert not any(_group_alive(k) for k in kids)
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
        log.close()


def _send_for_approval(port: int, env: dict[str, str]) -> str:
    created = subprocess.run(
        [sys.executable, "-m", "headway.cli", "token", "create", "--user", JORDAN],
        cwd=ROOT,
        env={k: v for k, v in env.items() if k != "HEADWAY_DEMO"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip().splitlines()[-1]
    api = f"http://127.0.0.1:{port}/api/v1/workspaces/harbor-pine"
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    with urllib.request.urlopen(urllib.request.Request(f"{api}/my-work", headers=headers)) as r:
        task = json.load(r)[0]
    with urllib.request.urlopen(
        urllib.request.Request(f"{api}/approval-chains", headers=headers)
    ) as r:
        chain = next(c for c in json.load(r) if c["kind"] == "content_draft")
    body = json.dumps({"chain_id": chain["id"], "force": True}).encode()
    request = urllib.request.Request(
        f"{api}/tasks/{task['id']}/approvals", data=body, headers=headers, method="POST"
    )
    with urllib.request.urlopen(request) as r:
        assert r.status == 201
    return str(task["title"])


def _get_ok(url: str) -> bool:
    try:
        return _get(url)[0] == 200
    except OSError:
        return False


def _tail(tmp_path: Path) -> str:
    return (tmp_path / "demo.log").read_text(errors="replace")[-20000:]
