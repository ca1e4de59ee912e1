"""Concurrent load against a real Curbside server on 127.0.0.1 (used by ``bench``).

``run_server_load`` starts ``bench_helpers serve`` on a free loopback port, waits for
``/healthz``, picks the endpoint (``POST /api/ask``, else ``GET /healthz``), then for each
client count runs that many threads which take questions in a fixed cycle until
``max_requests`` have been issued or ``seconds`` have passed; in-flight requests are allowed to
finish and counted. QPS = completed / wall time of that phase. The server is always stopped.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

STARTUP_TIMEOUT_S = 240.0
REQUEST_TIMEOUT_S = 300.0


@dataclass(frozen=True)
class ServerRun:
    endpoint: str
    qps: dict[int, float]
    completed: dict[int, int]
    errors: int
    peak_rss_mb: float | None
    notes: tuple[str, ...] = field(default=())
    #: Seconds from spawning the server process to its first successful health check.
    ready_s: float | None = None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_ready(process: subprocess.Popen[bytes], client: httpx.Client) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited during start-up with code {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if client.get("/healthz", timeout=5).status_code == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"server not ready after {STARTUP_TIMEOUT_S:.0f} s")


def _pick_endpoint(client: httpx.Client, question: str) -> str:
    """ "ask" when POST /api/ask answers (this also warms the server), else "healthz"."""
    response = client.post("/api/ask", json={"question": question}, timeout=REQUEST_TIMEOUT_S)
    if response.status_code in (200, 201):
        return "ask"
    if response.status_code in (404, 405):
        return "healthz"
    raise RuntimeError(f"POST /api/ask returned {response.status_code}: {response.text[:200]}")


def stop_process(process: subprocess.Popen[Any], grace_s: float = 30) -> None:
    """Stop a server process: SIGTERM, then SIGKILL if it has not exited within ``grace_s``."""
    process.terminate()
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _peak_rss_mb(pid: int) -> float | None:
    """VmHWM (peak resident set) of a live Linux process, in MB; None elsewhere."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def measure_qps(
    base_url: str, endpoint: str, questions: Sequence[str], clients: int, seconds: float, max_requests: int
) -> tuple[float, int, int]:
    """(answers per second, completed, errors) for ``clients`` concurrent loopback clients."""
    lock = threading.Lock()
    state = {"issued": 0, "completed": 0, "errors": 0}
    deadline = time.perf_counter() + seconds

    def take() -> int | None:
        with lock:
            if state["issued"] >= max_requests or time.perf_counter() > deadline:
                return None
            state["issued"] += 1
            return state["issued"] - 1

    def worker() -> None:
        # trust_env=False: never route loopback traffic through a configured proxy.
        with httpx.Client(base_url=base_url, trust_env=False, timeout=REQUEST_TIMEOUT_S) as client:
            while (index := take()) is not None:
                try:
                    if endpoint == "ask":
                        ok = client.post("/api/ask", json={"question": questions[index % len(questions)]})
                    else:
                        ok = client.get("/healthz")
                    key = "completed" if ok.status_code < 400 else "errors"
                except httpx.HTTPError:
                    key = "errors"
                with lock:
                    state[key] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for future in [pool.submit(worker) for _ in range(clients)]:
            future.result()
    elapsed = time.perf_counter() - started
    return round(state["completed"] / elapsed, 3), state["completed"], state["errors"]


def run_server_load(
    data_dir: Path, embedder: str, questions: Sequence[str], clients: Sequence[int], seconds: float, max_requests: int
) -> ServerRun:
    """Start a server over ``data_dir``, measure each client count, stop the server."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = (data_dir / "server.log").open("wb")
    command = [sys.executable, "-m", "curbside.evaluation.bench_helpers", "serve", str(data_dir), embedder, str(port)]
    spawned = time.perf_counter()
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    qps: dict[int, float] = {}
    completed: dict[int, int] = {}
    errors = 0
    try:
        with httpx.Client(base_url=base_url, trust_env=False) as client:
            _wait_ready(process, client)
            ready = round(time.perf_counter() - spawned, 2)
            endpoint = _pick_endpoint(client, questions[0]) if questions else "healthz"
        for count in clients:
            qps[count], completed[count], failed = measure_qps(
                base_url, endpoint, questions or ["?"], count, seconds, max_requests
            )
            errors += failed
        peak = _peak_rss_mb(process.pid)
    finally:
        stop_process(process, grace_s=20)
        log.close()
    notes = [
        f"qps: {seconds:g} s or {max_requests} requests per client count, loopback uvicorn, 1 worker, "
        "anonymous ask rate limit off",
        f"qps: requests cycle through {len(questions)} distinct questions, so repeats meet warm caches",
    ]
    if endpoint != "ask":
        notes.append("POST /api/ask not available: qps measured on GET /healthz (no answering)")
    return ServerRun(endpoint, qps, completed, errors, peak, tuple(notes), ready)
