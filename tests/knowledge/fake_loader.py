"""A small in-memory loader used by knowledge tests (a fake, registered like a real one)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from curbside.domain.documents import Document, DocumentKind, InteractionRecord, LoadedUnit, Passage
from curbside.sources.base import SourceFormatError, SourceUnit


class JsonFolderLoader:
    """Reads ``<corpus>/fake/*.json``: {"id", "title", "kind", "year", "org", "drugs", "conditions", "passages"}."""

    name = "fake"

    def __init__(self) -> None:
        self.loaded_keys: list[str] = []

    def discover(self, corpus_dir: Path) -> Iterable[SourceUnit]:
        folder = corpus_dir / "fake"
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            yield SourceUnit(f"fake/{path.name}", (path,))

    def load(self, unit: SourceUnit) -> LoadedUnit:
        self.loaded_keys.append(unit.key)
        try:
            data = json.loads(unit.paths[0].read_text())
        except json.JSONDecodeError as error:
            raise SourceFormatError(f"{unit.paths[0].name}: {error}") from error
        source_id = f"fake:{data['id']}"
        passages = tuple(
            Passage(f"{source_id}#{i}", tuple(p["heading"]), p["text"], i, grade=p.get("grade"))
            for i, p in enumerate(data["passages"])
        )
        document = Document(
            source_id,
            "fake",
            DocumentKind(data["kind"]),
            data["org"],
            data["title"],
            data.get("year"),
            f"https://example.org/{data['id']}",
            "test",
            tuple(data.get("drugs", ())),
            tuple(data.get("conditions", ())),
            passages=passages,
        )
        interactions = tuple(
            InteractionRecord("Fake list", source_id, a, b, severity="major") for a, b in data.get("interactions", ())
        )
        return LoadedUnit((document,), interactions)


def write_doc(folder: Path, doc_id: str, **fields: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "id": doc_id,
        "title": f"Title {doc_id}",
        "kind": "guideline",
        "org": "Test Org",
        "year": 2015,
        "passages": [{"heading": ["Section"], "text": f"Text of {doc_id}."}],
    }
    data.update(fields)
    path = folder / f"{doc_id}.json"
    path.write_text(json.dumps(data))
    return path
