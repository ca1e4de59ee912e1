"""An article printed to PDF by headless Chromium from a print-styled HTML page.

The page is self-contained (styles inline, no scripts, no network) and printed from a
temporary file, so the PDF needs no running server and Chromium reaches nothing outside.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

PRINT_TIMEOUT_S = 90
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
)


class PdfUnavailableError(RuntimeError):
    """Chromium is missing or failed to print; the message says which."""


def print_pdf(html: str, chromium: str) -> bytes:
    """The PDF Chromium prints for ``html``."""
    if not Path(chromium).exists():
        raise PdfUnavailableError(f"PDF export needs Chromium at {chromium} (set CURBSIDE_CHROMIUM)")
    with tempfile.TemporaryDirectory(prefix="curbside-pdf-") as folder:
        page, out = Path(folder) / "article.html", Path(folder) / "article.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            chromium,
            *CHROMIUM_ARGS,
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=PRINT_TIMEOUT_S, check=True)
        except (subprocess.SubprocessError, OSError) as error:
            raise PdfUnavailableError(f"Chromium could not print the article: {type(error).__name__}") from error
        if not out.exists() or out.stat().st_size == 0:
            raise PdfUnavailableError("Chromium printed no PDF")
        return out.read_bytes()
