"""Subprocess entry points for ``bench``: a real server and a cold-start ask.

Run as ``python -m curbside.evaluation.bench_helpers serve DATA_DIR EMBEDDER PORT`` (uvicorn on
127.0.0.1 over ``create_app``) or ``… cold DATA_DIR EMBEDDER QUESTION`` (open the pipeline,
answer once, print ``answered`` and exit). Both only ever bind or read loopback/local files.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path


def serve(data_dir: Path, embedder: str, port: int) -> None:
    import uvicorn

    from curbside.settings import Settings
    from curbside.web.app import create_app

    # The anonymous ask limit (30 per minute by default) would turn every request after the
    # 30th into a 429 and the bench would measure the limiter, not the service: off here.
    settings = Settings(data_dir=data_dir, embedder=embedder, host="127.0.0.1", port=port, ask_rate_limit=0)
    uvicorn.run(create_app(settings), host="127.0.0.1", port=port, log_level="warning", access_log=False)


def cold(data_dir: Path, embedder: str, question: str) -> None:
    from curbside.pipeline import Curbside
    from curbside.settings import Settings

    Curbside.open(Settings(data_dir=data_dir, embedder=embedder)).ask(question)
    print("answered", flush=True)


def main(argv: Sequence[str]) -> int:
    if len(argv) != 4 or argv[0] not in {"serve", "cold"}:
        print("usage: bench_helpers serve DATA_DIR EMBEDDER PORT | cold DATA_DIR EMBEDDER QUESTION", file=sys.stderr)
        return 2
    command, data_dir, embedder, last = argv
    if command == "serve":
        serve(Path(data_dir), embedder, int(last))
    else:
        cold(Path(data_dir), embedder, last)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
