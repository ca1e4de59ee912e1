"""User guideline loader: Markdown headings, plain-text paragraphs, PDF text and errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from curbside.domain.documents import DocumentKind
from curbside.sources.base import SourceFormatError, SourceLoader
from curbside.sources.user_documents import UserGuidelineLoader, slugify

FIXTURES = Path(__file__).parent.parent / "fixtures" / "user-documents"


def load(path: Path, **metadata: object) -> tuple:
    loader = UserGuidelineLoader(path, organization="Example Clinic", year=2024, **metadata)  # type: ignore[arg-type]
    (unit,) = loader.discover(Path("/nonexistent"))
    return loader.load(unit).documents


def minimal_text_pdf(path: Path, lines: list[str]) -> None:
    """Write a one-page PDF with Helvetica text lines (no PDF library can do this offline here)."""
    ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
    ops += [f"({line}) Tj T*" for line in lines]
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))


def test_markdown_headings_become_heading_paths() -> None:
    assert isinstance(UserGuidelineLoader(FIXTURES / "x.md", organization="o", year=None), SourceLoader)
    (doc,) = load(FIXTURES / "clinic-hypertension.md")
    assert doc.source_id == "user:clinic-hypertension-md"
    assert doc.kind is DocumentKind.GUIDELINE
    assert doc.title == "Clinic Hypertension Protocol"
    assert doc.organization == "Example Clinic" and doc.year == 2024
    assert doc.licence == "provided by the user"
    assert doc.url.startswith("file://") and doc.url.endswith("clinic-hypertension.md")
    paths = [p.heading_path for p in doc.passages]
    assert paths == [
        ("Clinic Hypertension Protocol",),
        ("Clinic Hypertension Protocol", "Diagnosis"),
        ("Clinic Hypertension Protocol", "Diagnosis", "Thresholds"),
        ("Clinic Hypertension Protocol", "Treatment"),
        ("Clinic Hypertension Protocol", "Treatment"),
    ]
    assert doc.passages[1].text == "Confirm elevated office readings with home or ambulatory monitoring."
    assert doc.passages[2].text == "• Stage 1: 130-139/80-89 mmHg • Stage 2: at least 140/90 mmHg"
    assert "the CDC page" in doc.passages[3].text and "https://" not in doc.passages[3].text


def test_plain_text_paragraphs_and_user_metadata() -> None:
    (doc,) = load(
        FIXTURES / "anticoag-notes.txt",
        title="Ward anticoagulation notes",
        url="https://intranet.example/anticoag",
        kind=DocumentKind.PATIENT_INFORMATION,
    )
    assert doc.title == "Ward anticoagulation notes"
    assert doc.url == "https://intranet.example/anticoag"
    assert doc.kind is DocumentKind.PATIENT_INFORMATION
    assert [p.text for p in doc.passages] == [
        "Local anticoagulation notes for the ward.",
        "Check the INR before each warfarin dose change. Record it in the chart.",
        "Avoid starting NSAIDs in patients on warfarin.",
    ]
    assert all(p.heading_path == () for p in doc.passages)


def test_text_title_defaults_to_file_stem() -> None:
    (doc,) = load(FIXTURES / "anticoag-notes.txt")
    assert doc.title == "anticoag-notes"


def test_pdf_text_with_best_effort_headings(tmp_path: Path) -> None:
    pdf = tmp_path / "Renal Dosing.pdf"
    minimal_text_pdf(pdf, ["RENAL DOSING", "Reduce the dose when eGFR is below 30.", "Recheck in a week."])
    (doc,) = load(pdf)
    assert doc.source_id == "user:renal-dosing-pdf"
    assert doc.title == "RENAL DOSING"
    assert [(p.heading_path, p.text) for p in doc.passages] == [
        (("RENAL DOSING",), "Reduce the dose when eGFR is below 30. Recheck in a week."),
    ]


def test_unreadable_pdf_names_the_file(tmp_path: Path) -> None:
    pdf = tmp_path / "broken.pdf"
    pdf.write_bytes(b"this is not a pdf")
    with pytest.raises(SourceFormatError, match=re.escape("broken.pdf")):
        load(pdf)


def test_unsupported_type_and_empty_file(tmp_path: Path) -> None:
    docx = tmp_path / "guideline.docx"
    docx.write_bytes(b"PK")
    with pytest.raises(SourceFormatError, match=re.escape("guideline.docx")):
        load(docx)
    empty = tmp_path / "empty.md"
    empty.write_text("# Only a heading\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match=re.escape("empty.md")):
        load(empty)


def test_slugify() -> None:
    assert slugify("My Guideline (2024).md") == "my-guideline-2024-md"
    assert slugify("***") == "document"
