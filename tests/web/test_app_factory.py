"""`uvicorn --factory curbside.web.app:create_app_from_env --workers N` boots on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from curbside.evaluation.server_load import stop_process
from curbside.settings import Settings
from tests.fixture_kb import build_fixture_kb
from tests.web.live_server import free_port

REPO = Path(__file__).resolve().parents[2]
# Two workers each open the pipeline; on this 2-core machine under load that took 260 s, and
# uvicorn's default 5 s worker health check kills a worker still loading.
BOOT_SECONDS = 600
HEALTHCHECK_SECONDS = "300"
ATTEMPTS = BOOT_SECONDS * 2


@pytest.mark.slow
def test_two_uvicorn_workers_boot_from_the_environment(tmp_path: Path) -> None:
    settings: Settings = build_fixture_kb(tmp_path)
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "CURBSIDE_CORPUS_DIR": str(settings.corpus_dir),
        "CURBSIDE_DATA_DIR": str(settings.data_dir),
        "CURBSIDE_EMBEDDER": "hashing",
    }
    command = [sys.executable, "-m", "uvicorn", "--factory", "curbside.web.app:create_app_from_env"]
    command += ["--workers", "2", "--timeout-worker-healthcheck", HEALTHCHECK_SECONDS, "--no-access-log"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        status = _wait_for(f"http://127.0.0.1:{port}/api/sources", server)
        assert status == 200
        response = httpx.post(
            f"http://127.0.0.1:{port}/api/ask", json={"question": "What is example syndrome?"}, timeout=60
        )
        assert response.status_code == 201, response.text
        assert response.json()["references"]
    finally:
        stop_process(server)


def _wait_for(url: str, server: subprocess.Popen[str]) -> int:
    """Poll ``url`` until it answers (bounded in attempts and time); fail with the server's output."""
    deadline = time.monotonic() + BOOT_SECONDS
    for _ in range(ATTEMPTS):
        if server.poll() is not None:
            output = server.stdout.read() if server.stdout else ""
            pytest.fail(f"uvicorn exited with {server.returncode}:\n{output[-3000:]}")
        try:
            return httpx.get(url, timeout=5).status_code
        except httpx.TransportError:
            if time.monotonic() > deadline:
                break
            time.sleep(0.5)
    pytest.fail(f"uvicorn did not answer {url} within {BOOT_SECONDS} s")
