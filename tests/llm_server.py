"""A real OpenAI-compatible chat-completions server on 127.0.0.1 that replays recorded replies.

Tests queue the reply content (what a model would have said); the server records every
request so tests can check what the model was shown.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class RecordedLlm:
    base_url: str
    replies: list[str] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200
    # A model that reads the request: given the request body, the reply content (else replies are replayed).
    respond: Callable[[dict[str, Any]], str] | None = None

    def reply_with(self, payload: dict[str, Any] | str) -> None:
        self.replies.append(payload if isinstance(payload, str) else json.dumps(payload))


@contextmanager
def recorded_llm_server() -> Iterator[RecordedLlm]:
    state = RecordedLlm(base_url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            state.requests.append(body)
            if state.status != 200:
                self._send(state.status, {"error": {"message": "server error", "type": "server_error"}})
                return
            if state.respond is not None:
                content = state.respond(body)
            else:
                content = state.replies.pop(0) if state.replies else ""
            self._send(
                200,
                {
                    "id": "chatcmpl-test",
                    "object": "chat.completion",
                    "created": 0,
                    "model": body.get("model", "m"),
                    "choices": [
                        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                },
            )

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
