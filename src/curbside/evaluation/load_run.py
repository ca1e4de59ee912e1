"""Load run: the real server on 127.0.0.1 and N clients mixing ask, read, follow-up and review.

Bounded in time and in requests. Starts ``uvicorn --factory curbside.web.app:create_app_from_env``
on a free loopback port over the configured knowledge base (``CURBSIDE_*``, ``--data-dir``), with a
scratch review database (so the load's articles and its editor account never reach the real one)
and the ask rate limit off (every client shares 127.0.0.1; the limit has its own tests). Reports
errors (transport failures, 5xx, unexpected 4xx), latency p50/p95 per action and overall, and the
server's resident memory over the run (start, end, peak: "flat" means end ≈ start).

    python -m curbside.evaluation.load_run --clients 8 --seconds 120 --max-requests 20000 --out var/load.json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from curbside.evaluation.server_load import stop_process
from curbside.review.accounts import AccountBook, Role
from curbside.review.repository import SqliteArticleRepository

READY_DEADLINE_S = 600  # opening the full knowledge base on a busy 2-core machine takes minutes
REQUEST_TIMEOUT_S = 120
# Question wordings of the kinds readers type (no medical content: the answers come from the KB).
DEFAULT_QUESTIONS = (
    "What are the symptoms of diabetes?",
    "How is high blood pressure treated?",
    "Should adults be screened for colorectal cancer?",
    "Can sertraline be taken together with tramadol?",
    "what helps with migraine",
    "Pt on metformin, A1c still high, next step?",
)
FOLLOWUPS = ("And in older adults?", "What are the side effects?", "How long is treatment?")
MIX = (("ask", 3), ("read", 5), ("followup", 2), ("review", 2))
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class LoadLog:
    """What every client saw (appended under a lock)."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    slugs: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, action: str, seconds: float, status: int | None, problem: str | None = None) -> None:
        with self.lock:
            self.latencies.setdefault(action, []).append(seconds)
            self.statuses[f"{action} {status if status is not None else 'failed'}"] += 1
            if problem:
                self.errors.append(f"{action}: {problem}"[:300])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its child processes (uvicorn workers), in MB."""
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, AttributeError):
            continue
    return round(total, 1)


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "uvicorn", "--factory", "curbside.web.app:create_app_from_env"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--no-access-log"]
    command += ["--timeout-worker-healthcheck", "300", "--log-level", "warning"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_ready(base: str, server: subprocess.Popen[bytes]) -> float:
    """Seconds until the server answers (bounded); raises when it exits or never answers."""
    started = time.monotonic()
    while time.monotonic() - started < READY_DEADLINE_S:
        if server.poll() is not None:
            error = server.stderr.read().decode(errors="replace") if server.stderr else ""
            raise RuntimeError(f"the server exited with {server.returncode}: {error[-2000:]}")
        try:
            if httpx.get(f"{base}/api/sources", timeout=5).status_code == 200:
                return time.monotonic() - started
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the server did not answer within {READY_DEADLINE_S} s")


def log_in(base: str, email: str, password: str) -> tuple[httpx.Client, str]:
    """A logged-in client and its session's CSRF token (as a browser gets them)."""
    client = httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT_S, follow_redirects=True)
    form = _CSRF.search(client.get("/login").text)
    if form is None:
        raise RuntimeError("the login page has no CSRF field")
    fields = {"email": email, "password": password, "csrf": form.group(1), "next": "/review"}
    response = client.post("/login", data=fields)
    token = _CSRF.search(response.text)
    if token is None:
        raise RuntimeError(f"login failed with {response.status_code}")
    return client, token.group(1)


class LoadClient:
    """One simulated reader (and, for review actions, the shared editor login)."""

    def __init__(self, base: str, log: LoadLog, questions: tuple[str, ...], editor: tuple[httpx.Client, str]):
        self.http = httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT_S)
        self.log, self.questions, self.editor = log, questions, editor
        self.rng = random.Random(secrets.randbits(32))

    def step(self) -> None:
        action = self.rng.choices([a for a, _ in MIX], weights=[w for _, w in MIX])[0]
        slug = self.rng.choice(self.log.slugs) if self.log.slugs else None
        if slug is None or action == "ask":
            action = "ask"
        started = time.monotonic()
        try:
            status, problem = getattr(self, f"_{action}")(slug)
        except httpx.HTTPError as error:
            status, problem = None, f"{type(error).__name__}: {error}"
        self.log.record(action, time.monotonic() - started, status, problem)

    def warm_up(self) -> None:
        """Ask once, unrecorded; raises when the server cannot answer at all."""
        _, problem = self._ask(None)
        if problem:
            raise RuntimeError(f"the warm-up question failed: {problem}")

    def _ask(self, _slug: str | None) -> tuple[int, str | None]:
        response = self.http.post("/api/ask", json={"question": self.rng.choice(self.questions)})
        if response.status_code == 201:
            with self.log.lock:
                self.log.slugs.append(response.json()["slug"])
        return response.status_code, _unexpected(response, {201})

    def _read(self, slug: str | None) -> tuple[int, str | None]:
        path = f"/a/{slug}" if self.rng.random() < 0.5 else f"/api/articles/{slug}"
        response = self.http.get(path, params={"audience": self.rng.choice(["clinician", "patient"])})
        return response.status_code, _unexpected(response, {200})

    def _followup(self, slug: str | None) -> tuple[int, str | None]:
        response = self.http.post(f"/api/articles/{slug}/followups", json={"question": self.rng.choice(FOLLOWUPS)})
        return response.status_code, _unexpected(response, {201})

    def _review(self, slug: str | None) -> tuple[int, str | None]:
        client, csrf = self.editor
        working = client.get(f"/api/review/articles/{slug}")
        if working.status_code != 200:
            return working.status_code, _unexpected(working, {200})
        body = working.json()
        action = {"submitted": "claim", "under_review": "approve"}.get(body["status"])
        if action is None:
            response = client.post(
                f"/api/review/articles/{slug}/comments",
                json={"statement": "bottom", "text": "load-run comment"},
                headers={"X-CSRF-Token": csrf},
            )
            return response.status_code, _unexpected(response, {201})
        response = client.post(
            f"/api/review/articles/{slug}/actions",
            json={"action": action, "revision": body["revision"], "note": "load run"},
            headers={"X-CSRF-Token": csrf},
        )
        # 409: another client acted first, or the publish gate refuses the approval — both expected.
        return response.status_code, _unexpected(response, {200, 409})


def _unexpected(response: httpx.Response, expected: set[int]) -> str | None:
    if response.status_code in expected:
        return None
    return f"HTTP {response.status_code}: {response.text[:200]}"


def run_clients(clients: list[LoadClient], seconds: float, max_requests: int) -> float:
    """Drive every client until the time or the request budget is used up; the wall time."""
    budget = threading.Semaphore(max_requests)
    deadline = time.monotonic() + seconds
    started = time.monotonic()

    def loop(client: LoadClient) -> None:
        while time.monotonic() < deadline and budget.acquire(blocking=False):
            client.step()

    threads = [threading.Thread(target=loop, args=(c,), daemon=True) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + REQUEST_TIMEOUT_S + 30)
    return time.monotonic() - started


def sample_memory(pid: int, stop: threading.Event, samples: list[float]) -> None:
    while not stop.is_set():
        samples.append(rss_mb(pid))
        stop.wait(1.0)


def report(log: LoadLog, wall: float, ready_s: float, memory: list[float], server_alive: bool) -> dict[str, object]:
    every = [v for values in log.latencies.values() for v in values]
    fifth = max(1, len(memory) // 10)

    def ms(value: float | None) -> float | None:
        return None if value is None else round(value * 1000, 1)

    return {
        "requests": len(every),
        "wall_s": round(wall, 1),
        "requests_per_s": round(len(every) / wall, 2) if wall else None,
        "server_ready_s": round(ready_s, 1),
        "errors": len(log.errors),
        "first_errors": log.errors[:10],
        "server_5xx": sum(n for key, n in log.statuses.items() if key.split()[1].startswith("5")),
        "server_alive_after": server_alive,
        "statuses": dict(sorted(log.statuses.items())),
        "latency_ms": {
            name: {"n": len(values), "p50": ms(percentile(values, 0.5)), "p95": ms(percentile(values, 0.95))}
            for name, values in sorted({**log.latencies, "all": every}.items())
        },
        "rss_mb": {
            "start": round(sum(memory[:fifth]) / fifth, 1) if memory else None,
            "end": round(sum(memory[-fifth:]) / fifth, 1) if memory else None,
            "peak": max(memory) if memory else None,
            "samples": len(memory),
        },
    }


def prepare_review_db(path: Path) -> tuple[str, str]:
    """A scratch review database with one editor account: (e-mail, password)."""
    email, password = "load-editor@example.org", secrets.token_urlsafe(18)
    repository = SqliteArticleRepository(path)
    AccountBook(repository).add(email, "Load Editor", Role.EDITOR, password)
    repository.close()
    return email, password


def load_run(args: argparse.Namespace) -> dict[str, object]:
    scratch = Path(tempfile.mkdtemp(prefix="curbside-load-"))
    email, password = prepare_review_db(scratch / "review.sqlite3")
    env = {**os.environ, "CURBSIDE_REVIEW_DB": str(scratch / "review.sqlite3"), "CURBSIDE_ASK_RATE_LIMIT": "0"}
    env["CURBSIDE_SECURE_COOKIES"] = "off"  # plain HTTP on the loopback
    for name, value in (("DATA_DIR", args.data_dir), ("CORPUS_DIR", args.corpus), ("EMBEDDER", args.embedder)):
        if value:
            env[f"CURBSIDE_{name}"] = str(value)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(env, port, args.workers)
    try:
        ready_s = wait_ready(base, server)
        log = LoadLog()
        editor = log_in(base, email, password)
        questions = tuple(args.question) if args.question else DEFAULT_QUESTIONS
        clients = [LoadClient(base, log, questions, editor) for _ in range(args.clients)]
        # One answer before the clock starts: later clients read, follow up and review from the first step.
        clients[0].warm_up()
        stop, memory = threading.Event(), list[float]()
        sampler = threading.Thread(target=sample_memory, args=(server.pid, stop, memory), daemon=True)
        sampler.start()
        wall = run_clients(clients, args.seconds, args.max_requests)
        stop.set()
        sampler.join(timeout=5)
        alive = server.poll() is None and httpx.get(f"{base}/api/sources", timeout=30).status_code == 200
        return report(log, wall, ready_s, memory, alive)
    finally:
        stop_process(server)
        shutil.rmtree(scratch, ignore_errors=True)  # the load's articles and editor are not kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--max-requests", type=int, default=20_000, help="stop after this many requests in all")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--data-dir", type=Path, help="knowledge base (default: CURBSIDE_DATA_DIR or ./var)")
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--embedder")
    parser.add_argument("--question", action="append", help="a question to ask (repeatable; default: a built-in mix)")
    parser.add_argument("--out", type=Path, help="also write the report as JSON here")
    args = parser.parse_args(argv)
    result = load_run(args)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0 if result["errors"] == 0 and result["server_alive_after"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
