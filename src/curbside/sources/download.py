"""Fetch the public sources from their official locations (for users with internet).

MedQuAD comes as the GitHub archive of abachaa/MedQuAD; openFDA drug labels as the bulk
JSON partitions listed in openFDA's download manifest. Base URLs are parameters so tests
point them at a server on 127.0.0.1; nothing here runs at import or during tests otherwise.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import httpx

MEDQUAD_ARCHIVE = "https://github.com/abachaa/MedQuAD/archive/refs/heads/master.zip"
OPENFDA_MANIFEST = "https://api.fda.gov/download.json"
MAX_BYTES = 2 * 1024**3


@dataclass(frozen=True, slots=True)
class DownloadResult:
    name: str
    files: int
    destination: Path


def _fetch(client: httpx.Client, url: str) -> bytes:
    with client.stream("GET", url, follow_redirects=True) as response:
        response.raise_for_status()
        buffer = io.BytesIO()
        for chunk in response.iter_bytes():
            buffer.write(chunk)
            if buffer.tell() > MAX_BYTES:
                raise ValueError(f"{url} is larger than {MAX_BYTES} bytes; refusing")
        return buffer.getvalue()


def download_medquad(client: httpx.Client, destination: Path, url: str = MEDQUAD_ARCHIVE) -> DownloadResult:
    """Extract MedQuAD's per-topic XML folders into ``destination/medquad``."""
    target = destination / "medquad"
    count = 0
    with zipfile.ZipFile(io.BytesIO(_fetch(client, url))) as archive:
        for member in archive.infolist():
            parts = PurePosixPath(member.filename).parts
            # The archive root is "MedQuAD-master/"; keep "<N_Subset>/<file>.xml" and licence/readme.
            if member.is_dir() or len(parts) < 2 or ".." in parts:
                continue
            relative = PurePosixPath(*parts[1:])
            if relative.suffix.lower() not in {".xml", ".txt"} and relative.name.upper() != "LICENSE":
                continue
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(archive.read(member))
            count += 1
    return DownloadResult("medquad", count, target)


def download_openfda_labels(
    client: httpx.Client, destination: Path, manifest_url: str = OPENFDA_MANIFEST, max_partitions: int | None = None
) -> DownloadResult:
    """Download the drug-label bulk partitions (``*.json.zip``) into ``destination/openfda``."""
    manifest = client.get(manifest_url, follow_redirects=True)
    manifest.raise_for_status()
    partitions = manifest.json()["results"]["drug"]["label"]["partitions"]
    target = destination / "openfda"
    target.mkdir(parents=True, exist_ok=True)
    chosen = partitions[:max_partitions] if max_partitions else partitions
    for partition in chosen:
        url = partition["file"]
        name = PurePosixPath(httpx.URL(url).path).name
        (target / name).write_bytes(_fetch(client, url))
    return DownloadResult("openfda", len(chosen), target)


DOWNLOADERS: dict[str, Callable[..., DownloadResult]] = {
    "medquad": download_medquad,
    "openfda": download_openfda_labels,
}
