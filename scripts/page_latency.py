"""Warm server time of the article page (p50/p95), in-process with TestClient.

Asks once, then times ``GET /a/{slug}`` for each audience. Uses the fixture knowledge base
unless ``--full`` (a private copy of var/curbside.sqlite3).

    .venv/bin/python scripts/page_latency.py [--full] [--requests 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from fastapi.testclient import TestClient  # noqa: E402
from tests.fixture_kb import build_fixture_kb  # noqa: E402

from curbside.pipeline import Curbside  # noqa: E402
from curbside.web.app import create_app  # noqa: E402


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="use a copy of the full knowledge base")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.full:
            from screenshots import SEED, full_kb_copy

            settings, question = full_kb_copy(Path(tmp)), SEED
        else:
            settings, question = build_fixture_kb(Path(tmp)), "What are the symptoms of example syndrome?"
        app = create_app(settings, Curbside.open(settings))
        with TestClient(app) as client:
            url = client.post("/ask", data={"question": question}, follow_redirects=False).headers["location"]
            client.post(url + "/followups", data={"question": "Is it inherited?"})
            for audience in ("clinician", "patient"):
                client.get(f"{url}?audience={audience}")  # warm
                samples = []
                for _ in range(args.requests):
                    started = time.perf_counter()
                    response = client.get(f"{url}?audience={audience}")
                    samples.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200
                print(
                    f"GET /a/{{slug}}?audience={audience:10s} n={len(samples)} "
                    f"p50={statistics.median(samples):.1f} ms p95={percentile(samples, 0.95):.1f} ms"
                )


if __name__ == "__main__":
    main()
