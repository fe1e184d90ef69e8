"""`couponry up` exactly as a newcomer runs it, in a subprocess."""

import os
import signal
import stat
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from couponry_runtime.settings import SERVICE_NAMES
from tests.helpers import POSTGRES_URL, free_port

COUPONRY = [sys.executable, "-m", "couponry_services.cli"]


@pytest.fixture
def up_env(tmp_path):
    prefix = f"e{uuid.uuid4().hex[:10]}_"
    env = dict(os.environ, COUPONRY_DATA_DIR=str(tmp_path / "data"), COUPONRY_SHUTDOWN_GRACE_SECONDS="1",
               COUPONRY_DATABASE_SCHEMA_PREFIX=prefix)
    env.update({f"COUPONRY_{name.upper()}_PORT": str(free_port()) for name in SERVICE_NAMES})
    if POSTGRES_URL:
        env["COUPONRY_DATABASE_URL"] = POSTGRES_URL
    yield env
    if POSTGRES_URL:
        engine = create_engine(POSTGRES_URL)
        with engine.begin() as connection:
            for name in SERVICE_NAMES:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{prefix}{name}" CASCADE'))
        engine.dispose()


def wait_for_ready(process: subprocess.Popen, count: int, timeout: float = 60) -> list[str]:
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and sum("service ready on" in line for line in lines) < count:
        line = process.stderr.readline()
        if not line and process.poll() is not None:
            break
        lines.append(line)
    return lines


def test_help_explains_up_and_serve():
    out = subprocess.run([*COUPONRY, "--help"], capture_output=True, text=True, check=True).stdout
    assert "up" in out and "serve" in out and "50051" in out


def test_up_starts_four_healthy_services_and_stops_cleanly_on_sigterm(up_env):
    process = subprocess.Popen([*COUPONRY, "up"], env=up_env, stderr=subprocess.PIPE, text=True)
    try:
        lines = wait_for_ready(process, 4)
        ready = [line for line in lines if "service ready on" in line]
        assert len(ready) == 4, "".join(lines)
        for name in SERVICE_NAMES:
            assert any(f"{name} service ready" in line for line in ready)
            target = f"127.0.0.1:{up_env[f'COUPONRY_{name.upper()}_PORT']}"
            check = subprocess.run([*COUPONRY, "health", name, "--target", target], env=up_env,
                                   capture_output=True, text=True)
            assert check.returncode == 0, check.stderr
            assert "SERVING" in check.stderr
        keyring = Path(up_env["COUPONRY_DATA_DIR"]) / "keyring.json"
        assert keyring.exists() and stat.S_IMODE(keyring.stat().st_mode) == 0o600
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert process.returncode == 0


def test_health_of_a_service_that_is_not_running_fails():
    result = subprocess.run([*COUPONRY, "health", "campaign", "--target", f"127.0.0.1:{free_port()}", "--timeout", "0.5"],
                            capture_output=True, text=True)
    assert result.returncode == 1


def test_bad_configuration_stops_before_serving(up_env):
    env = dict(up_env, COUPONRY_PROFILE_PORT="not-a-port")
    result = subprocess.run([*COUPONRY, "up"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "invalid configuration" in result.stderr
