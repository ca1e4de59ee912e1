"""The test fixtures laid out under the names the loaders and dev-set readers look for.

The fixtures are small files written for the tests in each source's format, with invented
content. The repository stores them under neutral names so that nothing in the tree carries
a real dataset's file name: the real files live in ../shared and are never committed.
:func:`sample_tree` builds, once per test process, a temporary directory mirroring
``tests/fixtures`` with each renamed path mapped back to the official one (files are
symlinked, not copied, so editing a fixture needs no rebuild).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

STORED = Path(__file__).resolve().parent / "fixtures"

#: Official path (as loaders and readers expect it) → where the fixture is stored; a
#: directory entry maps everything below it.
OFFICIAL_PATHS = {
    "medquad": "nih-qa-xml",
    # File entries before the folder entry: the first mapping that fits wins.
    **{
        f"textbooks-openstax/modules/{module}/index.cnxml": f"cnxml-books/modules/{module}/section.xml"
        for module in ("m90001", "m90002", "m90003")
    },
    "textbooks-openstax/collections/sample-pharmacology.collection.xml": (
        "cnxml-books/collections/sample-pharmacology.xml"
    ),
    "textbooks-openstax": "cnxml-books",
    "guidelines-ngc/ngc-90001.xml": "guidelines-ngc/guideline-90001.xml",
    "glossaries/glossaries/cdc_11500_DS1_glossary.json": "glossaries/glossaries/cdc-plain-language.json",
    "interaction-lists/interactions/ONC-High-Priority/ONC_High_Priority_Mapped.csv": (
        "interaction-lists/interactions/ONC-High-Priority/high-priority-pairs.csv"
    ),
    "evaluation/eval/healthver/healthver_dev.csv": "evaluation/dev-sets/claims/claims.csv",
    "evaluation/eval/kqa/questions_w_answers.dev.jsonl": "evaluation/dev-sets/kqa/answers.jsonl",
    "evaluation/eval/liveqa-train/TREC-2017-LiveQA-Medical-Train-1.xml": (
        "evaluation/dev-sets/consumer-questions/train-1.xml"
    ),
    "evaluation/eval/liveqa-train/TREC-2017-LiveQA-Medical-Train-2.xml": (
        "evaluation/dev-sets/consumer-questions/train-2.xml"
    ),
    "evaluation/eval/medicationqa/medicationqa.dev.jsonl": "evaluation/dev-sets/medication-questions/questions.jsonl",
}


def official_path(stored: str) -> str:
    """The path a stored fixture (relative to ``tests/fixtures``) has in the sample tree."""
    for official, kept in OFFICIAL_PATHS.items():
        if stored == kept:
            return official
        if stored.startswith(kept + "/"):
            return official + stored[len(kept) :]
    return stored


@cache
def sample_tree() -> Path:
    """``tests/fixtures`` under official names, in a temporary directory removed at exit."""
    root = Path(tempfile.mkdtemp(prefix="curbside-fixtures-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    for path in sorted(STORED.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            target = root / official_path(path.relative_to(STORED).as_posix())
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(path)
    return root
