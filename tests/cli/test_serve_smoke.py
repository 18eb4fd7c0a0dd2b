"""``fishbone serve`` as a real process on a free loopback port: /healthz answers, then it stops."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

LOOPBACK = "127.0.0.1"  # only ever bind the smoke server to loopback
FISHBONE = [sys.executable, "-c", "from api.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=2) as response:
        return response.status, response.read()


def wait_until_up(
    url: str, proc: subprocess.Popen[bytes], timeout: float = 60
) -> tuple[int, bytes]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read().decode() if proc.stdout else ""
            pytest.fail(f"fishbone serve exited with {proc.returncode}:\n{out}")
        try:
            return get(url)
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"fishbone serve did not answer {url} within {timeout} s")


@pytest.mark.slow
def test_serve_answers_healthz_and_stops(tmp_path):
    port = free_port()
    env = {**os.environ, "FISHBONE_DATABASE_URL": f"sqlite:///{tmp_path / 'smoke.db'}"}
    proc = subprocess.Popen(
        [
            *FISHBONE,
            "serve",
            "--host",
            LOOPBACK,
            "--port",
            str(port),
            "--no-auth",
            "--demo",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        status, body = wait_until_up(f"http://{LOOPBACK}:{port}/healthz", proc)
        assert (status, body) == (200, b'{"status":"ok"}')
        status, body = get(
            f"http://{LOOPBACK}:{port}/api/v1/diagrams/customer-experience"
        )
        assert status == 200
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode in (0, -15), out.decode()
    assert b"method=GET path=/healthz status=200" in out


def test_serve_refuses_no_auth_off_loopback(tmp_path):
    env = {**os.environ, "FISHBONE_DATABASE_URL": f"sqlite:///{tmp_path / 'refuse.db'}"}
    # Refused before binding: nothing listens, so the address never matters.
    result = subprocess.run(
        [*FISHBONE, "serve", "--host", "0.0.0.0", "--no-auth"],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert b"--no-auth is only allowed on a loopback address" in result.stderr
