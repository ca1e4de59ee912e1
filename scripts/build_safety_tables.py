"""Regenerate the safety stage's source-derived tables from the corpus (run by hand, then commit).

Writes two package data files, every row carrying where it came from:

* ``src/curbside/safety/data/class_members.json`` — drug class → member drugs, from
  1. OSCAR ``OSCAR_DDIs_Mapped.csv`` (dbmi-pitt mapping of OSCAR class rows to DrugBank drugs:
     column 1 is the class as OSCAR names it, column 2 the member drug);
  2. OpenStax *Pharmacology for Nurses*: a section titled with a class name ("Selective Serotonin
     Reuptake Inhibitors") whose dosing table lists drugs in its first column, and sentences
     "<class> such as / include A, B and C";
  3. FDA label text (NLM DDI corpus) and NGC guideline text: "<class> such as A, B, and C"
     ("strong CYP 3A inhibitors such as clarithromycin, ketoconazole, …").
* ``src/curbside/safety/data/textbook_maxima.json`` — "maximum dose: N mg/day" statements of the
  textbook's dosing tables, per drug and population line, quoted verbatim with book/section.

Members must be names the drug recogniser knows (so the tables never invent a drug); a class
phrase must end in a class head word (``CLASS_HEADS``: grammatical nouns such as "inhibitors",
"agents", "drugs", not medical facts). Usage:

    PYTHONPATH=src .venv/bin/python scripts/build_safety_tables.py --corpus ../shared/corpora
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import re
from collections import defaultdict
from pathlib import Path

from curbside.understanding.drugs import DrugRecognizer

OUT = Path(__file__).resolve().parents[1] / "src" / "curbside" / "safety" / "data"
TEXTBOOK_URL = "https://openstax.org/details/books/pharmacology"
CLASS_HEADS = (
    "inhibitors|antidepressants|agents|drugs|medications|blockers|antagonists|agonists|nsaids|ssris|snris|maois|"
    "tcas|opioids|statins|benzodiazepines|anticoagulants|antiplatelets|antibiotics|antifungals|antipsychotics|"
    "diuretics|inducers|corticosteroids|triptans|macrolides|fluoroquinolones|anticonvulsants|antiepileptics|"
    "antiarrhythmics|antihistamines|antiretrovirals|sulfonylureas|glucocorticoids|barbiturates|amphetamines|"
    "stimulants|hypnotics|sedatives|analgesics|antimalarials|azoles|thiazides|nitrates|salicylates|penicillins|"
    "cephalosporins|aminoglycosides|tetracyclines|vasodilators|anticholinergics|bisphosphonates"
)
_CUE = re.compile(
    rf"(?P<cls>(?:[A-Za-z0-9-]+ ){{0,5}}?(?:{CLASS_HEADS}))\b,?\s*\(?(?:\([A-Za-z]+\)\s*)?,?\s*"
    r"(?:such as|e\.g\.,?|including|includes?|like)\s+(?P<list>[^.;:()\[\]]{3,300})",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"^(?:(?:other|some|certain|many|several|most|all|the|of|and|or|are|is|with|to|as|in|a|an)\s+)+", re.I
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_LIST_END = re.compile(
    r"\b(?:with|may|can|could|should|will|is|are|was|were|has|have|to|in|for|which|that|who|when|because|"
    r"result\w*|increase\w*|decrease\w*|cause\w*|if|during|after|before|by)\b",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]+>")
_MAXIMUM = re.compile(
    r"maximum(?: daily)?(?: dose)?(?: of)?:?\s*(?P<n>\d+(?:[.,]\d+)?)\s*(?P<unit>mg|mcg|g)"
    r"(?!/(?:kg|h|hour|m2|min))(?:/(?P<per>day|24 hours|dose))?(?![\w/])",
    re.IGNORECASE,
)
_POPULATION = re.compile(r"^(?P<pop>[A-Z][^:]{2,60}):\s*")
MAX_PROVENANCE = 3


_BREAK = re.compile(
    r"\b(?:of|with|by|receiving|taking|using|use|used|include|includes|these|those|and|or|but|to|from|who|are|is|"
    r"can|should|may|setting|effect|patients?|clients?|prescribe|administering|administered|interacts?|result|"
    r"enhancement|consolidation|primary|adverse|take|than|for|when|on|in|as)\b",
    re.IGNORECASE,
)


def class_key(phrase: str) -> str:
    """The class name in a phrase: the words after its last function word or verb
    ("hypertensive patients receiving moderate cyp3a4 inhibitors" → "moderate cyp3a4 inhibitors")."""
    tail = _BREAK.split(phrase.strip())[-1]
    return " ".join(_LEADING.sub("", tail.strip()).lower().split())


def plain(text: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", text)).split())


class Collector:
    def __init__(self, drugs: DrugRecognizer) -> None:
        self.drugs = drugs
        self.members: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))

    def add(self, cls: str, drug: str, provenance: dict[str, str]) -> None:
        key = class_key(cls)
        if not key or key == drug or len(key) < 3:
            return
        rows = self.members[key][drug]
        if len(rows) < MAX_PROVENANCE and provenance not in rows:
            rows.append(provenance)

    def drugs_in(self, text: str) -> list[str]:
        return [m.name for m in self.drugs.recognize(text) if not m.is_class]

    def sentences(self, text: str, provenance: dict[str, str]) -> None:
        for sentence in _SENTENCE.split(text):
            for match in _CUE.finditer(sentence):
                # A list ends where the sentence goes on ("NSAIDs, including COX-2 inhibitors, with X may …").
                items = _LIST_END.split(match["list"], maxsplit=1)[0]
                for drug in self.drugs_in(items):
                    self.add(match["cls"], drug, {**provenance, "quote": sentence.strip()[:300]})


def oscar_mapped(corpus: Path, out: Collector) -> None:
    path = corpus / "interactions" / "OSCAR" / "OSCAR_DDIs_Mapped.csv"
    with path.open(encoding="utf-8-sig") as handle:
        for number, row in enumerate(csv.reader(handle, delimiter="$"), start=1):
            for cls, member in ((row[0], row[1]), (row[4], row[5])) if len(row) > 5 else ():
                canon = out.drugs.canonical(member)
                if canon and class_key(cls) != canon and cls.strip().upper() != member.strip().upper():
                    out.add(
                        cls,
                        canon,
                        {
                            "source": "OSCAR_DDIs_Mapped.csv (OSCAR drugref2 → DrugBank)",
                            "ref": f"row {number}",
                            "quote": f"{cls.strip()} → {member.strip()}",
                        },
                    )


def textbook(corpus: Path, out: Collector, maxima: list[dict[str, object]]) -> None:
    for path in sorted((corpus / "textbooks-openstax" / "modules").glob("*/index.cnxml")):
        raw = path.read_text(encoding="utf-8")
        module = path.parent.name
        title = plain(re.search(r"<title>(.*?)</title>", raw, re.S).group(1)) if "<title>" in raw else module
        for section in re.finditer(
            r"<section[^>]*>\s*<title>(?P<t>.*?)</title>(?P<body>.*?)(?=<section|</content>)", raw, re.S
        ):
            heading = plain(section["t"])
            body = section["body"]
            where = {
                "source": "OpenStax Pharmacology for Nurses (2024)",
                "ref": f"{title} › {heading} ({module})",
                "url": TEXTBOOK_URL,
            }
            out.sentences(plain(body), where)
            for row in re.finditer(r"<row>(.*?)</row>", body, re.S):
                cells = re.findall(r"<entry[^>]*>(.*?)</entry>", row.group(1), re.S)
                if len(cells) < 2:
                    continue
                names = out.drugs_in(plain(cells[0]))
                if not names:
                    continue
                if re.search(rf"(?:{CLASS_HEADS})\s*$", heading, re.I):
                    out.add(heading, names[0], {**where, "quote": f"dosing table row: {plain(cells[0])}"})
                maxima.extend(_maxima(names[0], cells[1], where))


def _maxima(drug: str, cell: str, where: dict[str, str]) -> list[dict[str, object]]:
    found = []
    lines = [plain(p) for p in re.split(r"<newline\s*/>|</para>|</item>", cell) if plain(p)]
    population = "Adults"
    for line in lines:
        if pop := _POPULATION.match(line):
            population = pop["pop"]
        for match in _MAXIMUM.finditer(line):
            found.append(
                {
                    "drug": drug,
                    "population": population,
                    "value": float(match["n"].replace(",", "")),
                    "unit": match["unit"].lower(),
                    "per": (match["per"] or "dose").replace("24 hours", "day"),
                    "quote": line,
                    **where,
                }
            )
    return found


def labels_and_guidelines(corpus: Path, out: Collector) -> None:
    for path in sorted((corpus / "fda-labels-nlm").glob("*.txt")):
        out.sentences(
            " ".join(path.read_text(encoding="utf-8").split()),
            {
                "source": "FDA drug label (NLM DDI corpus)",
                "ref": f"DailyMed setid {path.stem}",
                "url": f"https://dailymed.nlm.nih.gov/dailymed/lookup.cfm?setid={path.stem}",
            },
        )
    for path in sorted((corpus / "guidelines-ngc").glob("*.xml")):
        text = path.read_text(encoding="utf-8", errors="replace")
        match = re.search(r'Name="Major Recommendations".*?Value="(.*?)"', text, re.S)
        if match:
            out.sentences(
                plain(html.unescape(match.group(1))),
                {"source": "National Guideline Clearinghouse summary", "ref": f"{path.stem} Major Recommendations"},
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpora"))
    args = parser.parse_args()
    out = Collector(DrugRecognizer.from_package())
    maxima: list[dict[str, object]] = []
    oscar_mapped(args.corpus, out)
    textbook(args.corpus, out, maxima)
    labels_and_guidelines(args.corpus, out)
    OUT.mkdir(parents=True, exist_ok=True)
    classes = {
        cls: {"members": {d: rows for d, rows in sorted(members.items())}}
        for cls, members in sorted(out.members.items())
    }
    (OUT / "class_members.json").write_text(
        json.dumps(
            {"version": 1, "generated_by": "scripts/build_safety_tables.py", "classes": classes},
            indent=1,
            ensure_ascii=False,
        )
        + "\n"
    )
    (OUT / "textbook_maxima.json").write_text(
        json.dumps(
            {"version": 1, "generated_by": "scripts/build_safety_tables.py", "maxima": maxima},
            indent=1,
            ensure_ascii=False,
        )
        + "\n"
    )
    print(
        f"{len(classes)} classes, {sum(len(c['members']) for c in classes.values())} memberships, {len(maxima)} maxima"
    )


if __name__ == "__main__":
    main()
