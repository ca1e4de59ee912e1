"""The downloaders against a real HTTP server on 127.0.0.1 serving small archives."""

from __future__ import annotations

import io
import json
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from curbside.sources.download import download_medquad, download_openfda_labels


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.fixture
def server() -> Iterator[str]:
    routes: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = routes.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    routes["/medquad.zip"] = _zip(
        {
            "MedQuAD-master/2_GARD_QA/0000001_1.xml": "<Document/>",
            "MedQuAD-master/readme.txt": "readme",
            "MedQuAD-master/../evil.xml": "x",
            "MedQuAD-master/script.py": "print()",
        }
    )
    routes["/download.json"] = json.dumps(
        {
            "results": {
                "drug": {
                    "label": {
                        "partitions": [
                            {"file": f"{base}/label/drug-label-0001-of-0002.json.zip"},
                            {"file": f"{base}/label/drug-label-0002-of-0002.json.zip"},
                        ]
                    }
                }
            }
        }
    ).encode()
    routes["/label/drug-label-0001-of-0002.json.zip"] = _zip({"drug-label-0001-of-0002.json": '{"results": []}'})
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield base
    httpd.shutdown()


def test_download_medquad_extracts_only_source_files(server: str, tmp_path: Path) -> None:
    with httpx.Client(timeout=5) as client:
        result = download_medquad(client, tmp_path, url=f"{server}/medquad.zip")
    assert result.files == 2
    assert (tmp_path / "medquad" / "2_GARD_QA" / "0000001_1.xml").read_text() == "<Document/>"
    assert not (tmp_path / "evil.xml").exists() and not (tmp_path / "medquad" / "script.py").exists()


def test_download_openfda_follows_the_manifest(server: str, tmp_path: Path) -> None:
    with httpx.Client(timeout=5) as client:
        result = download_openfda_labels(client, tmp_path, manifest_url=f"{server}/download.json", max_partitions=1)
        assert result.files == 1
        assert (tmp_path / "openfda" / "drug-label-0001-of-0002.json.zip").is_file()
        with pytest.raises(httpx.HTTPStatusError):
            download_openfda_labels(client, tmp_path, manifest_url=f"{server}/download.json")
