"""Score an answers_report JSON against a question file's must_contain / must_not facts with
the content-word overlap judge (curbside.evaluation.must_contain): per question, which facts the
bottom line covers, which the whole article covers, and which must-not facts are flagged.

Usage: .venv/bin/python scripts/dev_must_contain.py report.json questions.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from curbside.evaluation.must_contain import judge_text

_CITE = re.compile(r"\s*\[[\d, ]+\]\s*\((?:supported|unsupported|partial|contradicted|\w+)\)$")


def article_text(row: dict) -> str:
    if row.get("abstained"):
        return ""
    lines = [row.get("bottom_line") or ""]
    for statements in row.get("sections", {}).values():
        lines += [_CITE.sub("", s) for s in statements]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("report", type=Path, help="answers_report JSON")
    parser.add_argument("questions", type=Path, help="question file (JSON lines with must_contain / must_not)")
    args = parser.parse_args()
    report = json.loads(args.report.read_text(encoding="utf-8"))
    items = {}
    for line in args.questions.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            items[item["id"]] = item
    totals = {"facts": 0, "bottom": 0, "article": 0, "flagged": 0, "questions": 0}
    for row in report["rows"]:
        item = items.get(row["id"])
        if not item:
            continue
        bottom = judge_text(item["must_contain"], item.get("must_not", []), row.get("bottom_line") or "")
        whole = judge_text(item["must_contain"], item.get("must_not", []), article_text(row))
        totals["questions"] += 1
        totals["facts"] += len(item["must_contain"])
        totals["bottom"] += sum(bottom.covered)
        totals["article"] += sum(whole.covered)
        totals["flagged"] += len(whole.flagged)
        print(
            f"{row['id']}: bottom {sum(bottom.covered)}/{len(bottom.covered)} article "
            f"{sum(whole.covered)}/{len(whole.covered)} flagged {list(whole.flagged)}"
        )
    print(json.dumps(totals))


if __name__ == "__main__":
    main()
