"""Several app workers on one PostgreSQL: log in on one, act on another, no lost update.

Two real servers on 127.0.0.1 stand for the workers behind a reverse proxy: A is
``curbside serve --workers 2`` (two uvicorn worker processes), B a third process. A session made
on A works on B (sessions are rows in the database, not worker memory), and two reviewers racing
to claim one article through different workers get one success and one conflict.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest

from curbside.evaluation.server_load import stop_process
from curbside.knowledge.build import build_knowledge_base, open_store
from curbside.review.accounts import Account, AccountBook, Role
from curbside.review.board import ReviewBoard
from curbside.review.postgres_repository import PostgresArticleRepository
from curbside.settings import Settings
from tests.fixture_kb import assemble_corpus
from tests.review.board_fixtures import PASSWORD, TEST_HASHER
from tests.web.conftest import ANSWERED
from tests.web.live_server import free_port

REPO = Path(__file__).resolve().parents[2]
BOOT_SECONDS = 600  # three processes open the pipeline at once on a loaded 2-core machine
CSRF_FIELD = re.compile(r'name="csrf" value="([^"]+)"')


def postgres_settings(root: Path, url: str) -> Settings:
    return Settings(
        corpus_dir=assemble_corpus(root / "corpus"),
        data_dir=root / "data",
        embedder="hashing",
        database_url=url,
        store="postgres",
        article_store="postgres",
        secure_cookies=False,
    )


@contextmanager
def serving(settings: Settings, workers: int) -> Iterator[str]:
    """``curbside serve --workers N`` on a free loopback port; yields its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "CURBSIDE_DATABASE_URL": str(settings.database_url),
        "CURBSIDE_SECURE_COOKIES": "off",
    }
    command = [sys.executable, "-m", "curbside.cli.main", "--corpus", str(settings.corpus_dir), "--data-dir"]
    command += [
        str(settings.data_dir),
        "--embedder",
        "hashing",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    # Output to a file: an unread pipe fills up and stalls the server.
    log = open(settings.data_dir.parent / f"serve-{port}.log", "w", encoding="utf-8")  # noqa: SIM115
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(server)
        log.close()


def wait_until_ready(base: str) -> None:
    deadline = time.monotonic() + BOOT_SECONDS
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/sources", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(1)
    pytest.fail(f"{base} did not answer within {BOOT_SECONDS} s")


def log_in(base: str, account: Account) -> httpx.Client:
    """A client logged in through ``base``."""
    client = httpx.Client(timeout=60)  # cookies are per host, not port: they reach both servers
    form = CSRF_FIELD.search(client.get(f"{base}/login").text)
    assert form
    response = client.post(
        f"{base}/login", data={"email": account.email, "password": PASSWORD, "csrf": form.group(1), "next": "/review"}
    )
    assert response.status_code == 303, response.text
    return client


def csrf_on(client: httpx.Client, base: str) -> str:
    page = CSRF_FIELD.search(client.get(f"{base}/review").text)
    assert page, "not logged in on this worker"
    return page.group(1)


@pytest.mark.slow
def test_log_in_on_one_worker_act_on_another_without_lost_updates(tmp_path: Path, postgres_url: str) -> None:
    settings = postgres_settings(tmp_path, postgres_url)
    store = open_store(settings)
    assert not build_knowledge_base(settings, store).failures
    store.close()
    repository = PostgresArticleRepository(postgres_url)
    book = AccountBook(repository, TEST_HASHER)
    first = book.add("first@example.org", "Dr First", Role.REVIEWER, PASSWORD)
    second = book.add("second@example.org", "Dr Second", Role.REVIEWER, PASSWORD)
    repository.close()
    with ExitStack() as stack:
        a, b = stack.enter_context(serving(settings, 2)), stack.enter_context(serving(settings, 1))
        wait_until_ready(a)
        wait_until_ready(b)
        asked = httpx.post(f"{a}/api/ask", json={"question": ANSWERED}, timeout=120)
        assert asked.status_code == 201, asked.text
        slug = asked.json()["slug"]
        one, two = log_in(a, first), log_in(b, second)
        # Each session, made on one server, is honoured by the other.
        tokens = {"one": csrf_on(one, b), "two": csrf_on(two, a)}
        revision = one.get(f"{b}/api/review/articles/{slug}").json()["revision"]

        def claim(client: httpx.Client, base: str, token: str) -> int:
            body = {"action": "claim", "revision": revision}
            return client.post(f"{base}/api/review/articles/{slug}/actions", json=body,
                               headers={"X-CSRF-Token": token}).status_code  # fmt: skip

        with ThreadPoolExecutor(2) as pool:
            racing = [pool.submit(claim, one, b, tokens["one"]), pool.submit(claim, two, a, tokens["two"])]
            codes = sorted(f.result() for f in racing)
        assert codes == [200, 409], codes
        winner, token = (one, tokens["one"]) if racing[0].result() == 200 else (two, tokens["two"])
        working = winner.get(f"{a}/api/review/articles/{slug}").json()
        approved = winner.post(
            f"{b}/api/review/articles/{slug}/actions",
            json={"action": "approve", "revision": working["revision"]},
            headers={"X-CSRF-Token": token},
        )
        assert approved.status_code == 200, approved.text
        assert approved.json()["status"] == "approved"
    repository = PostgresArticleRepository(postgres_url)
    actions = [e.action for e in ReviewBoard(repository).audit_log() if e.slug == slug]
    repository.close()
    one.close()
    two.close()
    assert actions.count("claim") == 1 and actions.count("approve") == 1, actions
