"""Loader for National Guideline Clearinghouse (NGC) guideline summaries.

Each ``guidelines-ngc/ngc-<number>.xml`` file is one guideline summary made of
``<Field Name=…><FieldValue Value="escaped HTML"/></Field>`` elements. One file yields
one GUIDELINE document whose passages are:

* each statement of "Major Recommendations" (a paragraph, list item or table row),
  with the grade the developer attached to it and — when the guideline's own rating
  scheme defines that grade — the definition text quoted from the file;
* chunks of the scope, benefit/harm, qualifying-statement and rating-scheme fields.

Grades and their meanings are only ever *extracted* from the file; nothing is
paraphrased or supplied from outside knowledge.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from curbside.domain.documents import Document, DocumentKind, LoadedUnit, Passage
from curbside.domain.terms import LicenceClass, UseTerms
from curbside.language.sentences import MAX_WORDS, chunk_text
from curbside.sources.base import SourceFormatError, SourceUnit
from curbside.sources.html_text import TextBlock, html_blocks, html_links, html_to_text
from curbside.sources.licence_terms import load_rules

SUBDIR = "guidelines-ngc"
# Shown when a file has no Copyright Statement field (none of the 1,416 lacks one).
NO_STATEMENT = "no copyright statement in the NGC summary"
RECOMMENDATIONS = "Major Recommendations"
EVIDENCE_SCHEME = "Rating Scheme for the Strength of the Evidence"
RECOMMENDATION_SCHEME = "Rating Scheme for the Strength of the Recommendations"

# Fields that become chunked passages under their own name. Boilerplate (disclaimer,
# copyright, committee composition, disclosures, funding, NGC status) is never
# loaded: it answers no clinical question and would only dilute retrieval.
PASSAGE_FIELDS = frozenset(
    {
        "Target Population",
        "Interventions and Practices Considered",
        "Major Outcomes Considered",
        "Potential Benefits",
        "Potential Harms",
        "Qualifying Statements",
        "Guideline Objective(s)",
        "Disease/Condition(s)",
        EVIDENCE_SCHEME,
        RECOMMENDATION_SCHEME,
    }
)

_EMPTY_VALUE = re.compile(r"^(not (applicable|stated)|none)\.?$", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_REVISED = re.compile(r"revised\s+((?:19|20)\d{2})", re.IGNORECASE)
# Headings that only label a block ("Recommendations", "Key Question 3") carry no topic.
_GENERIC_HEADING = re.compile(r"^(key questions? \d+|(clinical )?recommendations?|recommendation statements?):?$", re.I)
# "A. Nutrition", "2. Imaging": a sibling of the previous enumerated heading, not a child.
_ENUMERATED = re.compile(r"^([A-Z]|\d{1,2}|[ivx]{1,4})\. ")
# The trailing "Definitions" part of Major Recommendations restates the rating scheme.
_DEFINITIONS = re.compile(r"^definitions?\b", re.IGNORECASE)
_CONDITION_ASIDE = re.compile(r"\s*\((?:i\.e\.|e\.g\.|see)[^)]*\)")

Fields = dict[str, list[str]]


class NgcGuidelineLoader:
    """Loads NGC guideline summaries; one unit (and one document) per XML file."""

    name = "ngc"
    # Bump when this loader changes the passages it makes (2: footnote marks dropped, a
    # recommendation's lead-in kept with its list), so every summary is re-read once.
    format_version = "2"

    def discover(self, corpus_dir: Path) -> Iterable[SourceUnit]:
        """Units ``guidelines-ngc/ngc-<n>.xml`` in name order; empty if the folder is absent."""
        folder = corpus_dir / SUBDIR
        if not folder.is_dir():
            return []
        return [SourceUnit(f"{SUBDIR}/{path.name}", (path,)) for path in sorted(folder.glob("ngc-*.xml"))]

    def load(self, unit: SourceUnit) -> LoadedUnit:
        """Parse one summary; raises SourceFormatError naming the file when it is unusable."""
        path = unit.paths[0]
        number = path.stem.removeprefix("ngc-")
        if not number.isdigit():
            raise SourceFormatError(f"{path.name}: expected a file named ngc-<number>.xml")
        fields = _read_fields(path)
        title = _plain(fields.get("Guideline Title", []))
        if not title:
            raise SourceFormatError(f"{path.name}: no Guideline Title field")
        return LoadedUnit(documents=(_build_document(number, title, fields),))


def _read_fields(path: Path) -> Fields:
    """Field name → its FieldValue HTML strings; the first Field of a repeated name wins.

    NGC repeats "Bibliographic Source(s)" and "Guideline Status" verbatim in a second
    section, so keeping the first occurrence loses nothing.
    """
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        raise SourceFormatError(f"{path.name}: malformed XML ({error})") from error
    fields: Fields = {}
    for field in root.iter("Field"):
        name = (field.get("Name") or "").strip()
        if name and name not in fields:
            fields[name] = [value.get("Value") or "" for value in field.findall("FieldValue")]
    if not fields:
        raise SourceFormatError(f"{path.name}: no <Field> elements (not an NGC summary?)")
    return fields


def _blocks(values: Sequence[str]) -> list[TextBlock]:
    return [block for value in values for block in html_blocks(value)]


def _plain(values: Sequence[str]) -> str:
    """All values of a field as plain text, one block per line."""
    return "\n".join(text for text in (html_to_text(v) for v in values) if text).strip()


def _items(values: Sequence[str]) -> list[str]:
    """A list-valued field (one item per FieldValue or per block), without duplicates."""
    return list(dict.fromkeys(block.text for block in _blocks(values)))


def _build_document(number: str, title: str, fields: Fields) -> Document:
    source_id = f"ngc:{number}"
    developers = [item.rsplit(" - ", 1)[0].strip() for item in _items(fields.get("Guideline Developer(s)", []))]
    scheme = {name: _plain(fields.get(name, [])) for name in (EVIDENCE_SCHEME, RECOMMENDATION_SCHEME)}
    population = _plain(fields.get("Target Population", [])) or None
    date_released = _plain(fields.get("Date Released", []))
    statement = _plain(fields.get("Copyright Statement", []))
    metadata = {
        "ngc_id": number,
        "bibliographic_source": _plain(fields.get("Bibliographic Source(s)", [])),
        "developer": developers,
        "categories": _items(fields.get("Guideline Category", [])),
        "specialties": _items(fields.get("Clinical Specialty", [])),
        "intended_users": _items(fields.get("Intended Users", [])),
        "target_population": population,
        "interventions_considered": _plain(fields.get("Interventions and Practices Considered", [])),
        "outcomes_considered": _plain(fields.get("Major Outcomes Considered", [])),
        "evidence_rating_scheme": scheme[EVIDENCE_SCHEME],
        "recommendation_rating_scheme": scheme[RECOMMENDATION_SCHEME],
        "status": _plain(fields.get("Guideline Status", [])),
        "date_released": date_released,
    }
    return Document(
        source_id=source_id,
        source=NgcGuidelineLoader.name,
        kind=DocumentKind.GUIDELINE,
        organization="; ".join(developers),
        title=title,
        year=_release_year(date_released),
        url=_guideline_url(fields),
        licence=statement or NO_STATEMENT,
        terms=_use_terms(statement),
        conditions=_conditions(fields.get("Disease/Condition(s)", [])),
        population=population,
        metadata=metadata,
        passages=_passages(source_id, fields),
    )


def _use_terms(statement: str) -> UseTerms:
    """Terms from the file's Copyright Statement; a file without one states no licence."""
    rules = load_rules()
    return rules.classify_ngc(statement) if statement else rules.terms_for(LicenceClass.NO_LICENCE_STATED)


def _release_year(date_released: str) -> int | None:
    """Year of the release the summary describes.

    "1996 (revised 2014 Feb 18)" gives 2014: the summary (and its recommendations)
    is of the latest revision, so that is the year a reader must weigh for currency.
    """
    revised = [int(year) for year in _REVISED.findall(date_released)]
    if revised:
        return max(revised)
    match = _YEAR.search(date_released)
    return int(match.group(0)) if match else None


def _guideline_url(fields: Fields) -> str:
    """First link of "Guideline Availability", else of the bibliographic source, else "".

    The files do not record their NGC page address (guideline.gov is offline since
    2018), so the developer's own copy is the best place a reader can see the original.
    NGC's "disclaimer.aspx?redirect=…" wrappers are unwrapped to their target.
    """
    for name in ("Guideline Availability", "Bibliographic Source(s)"):
        for value in fields.get(name, []):
            for link in html_links(value):
                query = parse_qs(urlparse(link).query)
                if "disclaimer.aspx" in link and query.get("redirect"):
                    return query["redirect"][0]
                if link.startswith(("http://", "https://")):
                    return link
    return ""


def _conditions(values: Sequence[str]) -> tuple[str, ...]:
    """Lower-cased condition names, without "(i.e., …)" asides and "Note:" lines."""
    names = []
    for text in _items(values):
        if text.lower().startswith("note") or _EMPTY_VALUE.match(text):
            continue
        names.append(_CONDITION_ASIDE.sub("", text).strip().lower())
    return tuple(dict.fromkeys(name for name in names if name))


def _passages(source_id: str, fields: Fields) -> tuple[Passage, ...]:
    """Passages in field order: recommendation statements, then chunks of the listed fields."""
    definitions = definitions_from_blocks(
        _blocks(fields.get(RECOMMENDATION_SCHEME, []))
        + _split_recommendations(_blocks(fields.get(RECOMMENDATIONS, [])))[1]
        + _blocks(fields.get(EVIDENCE_SCHEME, []))
    )
    drafts: list[tuple[tuple[str, ...], str, str | None, str | None]] = []
    for name, values in fields.items():
        if name == RECOMMENDATIONS:
            statements, tail = _split_recommendations(_blocks(values))
            for heading, block in with_lists_joined(statements):
                grade = statement_grade(block.text, definitions)
                meaning = grade_meaning(grade, definitions) if grade else None
                for chunk in chunk_text(block.text):
                    drafts.append(((RECOMMENDATIONS, *heading), chunk, grade, meaning))
            for chunk in _chunk_lines([block.text for block in tail]):
                drafts.append(((RECOMMENDATIONS, "Definitions"), chunk, None, None))
        elif name in PASSAGE_FIELDS:
            lines = html_to_text("\n".join(values)).splitlines()
            if len(lines) == 1 and _EMPTY_VALUE.match(lines[0]):
                continue
            drafts.extend(((name,), chunk, None, None) for chunk in _chunk_lines(lines))
    return tuple(
        Passage(f"{source_id}#{i}", heading, text, i, grade=grade, grade_meaning=meaning)
        for i, (heading, text, grade, meaning) in enumerate(drafts)
    )


def with_lists_joined(
    statements: list[tuple[tuple[str, ...], TextBlock]],
) -> list[tuple[tuple[str, ...], TextBlock]]:
    """A recommendation that ends in a lead-in ("…offer an SNRI, taking into account:") is not
    complete without the list that follows it; the two are kept as one statement, the items
    joined with semicolons, when they fit one passage. Otherwise they stay as they were."""
    joined: list[tuple[tuple[str, ...], TextBlock]] = []
    index = 0
    while index < len(statements):
        heading, block = statements[index]
        end = index + 1
        while end < len(statements) and statements[end][1].kind == "item" and statements[end][0] == heading:
            end += 1
        items = [b.text.rstrip(" .;") for _, b in statements[index + 1 : end]]
        text = f"{block.text} {'; '.join(items)}."
        if block.kind != "item" and block.text.endswith(":") and items and len(text.split()) <= MAX_WORDS:
            joined.append((heading, TextBlock(text, block.kind, block.depth)))
            index = end
        else:
            joined.append((heading, block))
            index += 1
    return joined


def _split_recommendations(
    blocks: list[TextBlock],
) -> tuple[list[tuple[tuple[str, ...], TextBlock]], list[TextBlock]]:
    """Split Major Recommendations into (sub-heading path, statement block) and the definitions tail.

    A run of consecutive headings forms a path (kept to its last two levels); generic
    labels are skipped; an enumerated heading replaces an enumerated sibling. Everything
    from a short "Definitions…" line on is the developer's grade definitions, not statements.
    """
    statements: list[tuple[tuple[str, ...], TextBlock]] = []
    path: list[str] = []
    after_heading = False
    for index, block in enumerate(blocks):
        is_short = len(block.text.split()) <= 12
        if _DEFINITIONS.match(block.text) and is_short and block.kind in ("heading", "paragraph"):
            return statements, blocks[index + 1 :]
        if block.kind != "heading":
            statements.append((tuple(path[-2:]), block))
            after_heading = False
            continue
        if not _GENERIC_HEADING.match(block.text):
            if after_heading:
                path.append(block.text)
            elif path and _ENUMERATED.match(block.text) and _ENUMERATED.match(path[-1]):
                path[-1] = block.text
            else:
                path = [block.text]
        after_heading = True
    return statements, []


def _chunk_lines(lines: Sequence[str], max_words: int = MAX_WORDS) -> list[str]:
    """Group lines into newline-joined chunks of ≤ max_words; an over-long line is sentence-split."""
    chunks: list[str] = []
    current: list[str] = []
    count = 0
    for line in (line.strip() for line in lines):
        pieces = chunk_text(line, max_words) if len(line.split()) > max_words else [line] if line else []
        for piece in pieces:
            words = len(piece.split())
            if current and count + words > max_words:
                chunks.append("\n".join(current))
                current, count = [], 0
            current.append(piece)
            count += words
    if current:
        chunks.append("\n".join(current))
    return chunks


# --- Grades ---------------------------------------------------------------------------
# How each developer attaches a grade to a statement, most specific first. The captured
# group is stored verbatim as Passage.grade.
_GRADE_PATTERNS = (
    re.compile(r"\(((?:Strong|Weak) (?:for|against))\b[^()]*\)", re.I),  # VA/DoD 2014+
    re.compile(r"\(((?:Strong|Moderate|Weak) (?:Recommendation|Strength), [^()]*?Evidence)\)", re.I),  # NHLBI
    re.compile(r"\((Consensus[–-][^()]+)\)"),  # NHLBI consensus statements
    re.compile(r"\((recommendation category: [^()]+)\)", re.I),  # CDC opioid guideline
    re.compile(r"\((Category I{1,3}[A-D]?(?:[,/ ]+(?:Category )?I{1,3}[A-D]?)*)\)"),  # CDC/HICPAC
    re.compile(r"\((I{1,3}[A-D])\)"),  # CDC short form "(IA)"
    re.compile(r"\(((?:[A-D]|I) (?:recommendation|statement))\)", re.I),  # USPSTF
    re.compile(r"\((Grade (?:[1-3][A-D]|[A-D][1-3]?))\)", re.I),  # ACCP "(Grade 1B)", others "(Grade B)"
    re.compile(r"\((Level [A-DU1-4])\)"),  # AAN "(Level B)"
    re.compile(r"\[([A-D]|I|EO)\]"),  # VA/DoD before 2014
    re.compile(r"\b((?:Level|Quality|Strength) of (?:evidence|recommendation)\s*[:=]\s*[^.;)]+)", re.I),
    re.compile(r"\(((?:Level|Quality) of [Ee]vidence [A-D1-4])\)"),  # "(Level of evidence C)"
    # Any other parenthesised grade label the developer opens with a grading word
    # ("(Grade A, BEL 1)", "(Grade 1, Level A)", "(LOE = 2)", "(Evidence level: V; Grade: D)").
    re.compile(r"\(((?:Grade|Level|LOE|Evidence (?:level|grade|quality)|Strength of recommendation)\b[^()]{1,50})\)"),
)
# Colorado words its grades into the sentence ("There is good evidence that …"); such a
# phrase counts as a grade only when the guideline's own scheme defines the word.
_EVIDENCE_PHRASE = re.compile(r"\b(?:there is|provides?) ((?:some|good|strong) evidence)\b", re.I)
# A definition line: 'Category A recommendation: …', '"Good" means …', 'Strong For (or "…")'.
_DEFINITION_KEY = re.compile(r"^[\"“]?(?P<key>[^:\"“”()]{1,60}?)[\"”]?\s*(?::|\bmeans\b|\(or\b)")
# Words that label rather than distinguish grades ("B recommendation" ≡ "B", "Type 4 evidence").
_GRADE_STOPWORDS = frozenset(
    {"grade", "recommendation", "recommendations", "category", "level", "of", "the", "statement", "evidence", "quality"}
)


@dataclass(frozen=True, slots=True)
class GradeDefinition:
    """One grade defined by a guideline's rating scheme: its key words and the defining text."""

    tokens: frozenset[str]
    text: str


def _grade_tokens(text: str) -> frozenset[str]:
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    return frozenset(word for word in words if word not in _GRADE_STOPWORDS)


def definitions_from_blocks(blocks: Sequence[TextBlock]) -> list[GradeDefinition]:
    """Grade definitions found in rating-scheme text, each quoting the file.

    Recognised: table rows keyed by their first cell; lines opening with a short term
    followed by ":", "means" or "(or"; and a heading with the lines under it (NHLBI's
    "Consensus–Panel Expertise" is defined that way).
    """
    definitions = []
    for index, block in enumerate(blocks):
        text = block.text
        if block.kind == "row":
            key = block.text.split(" | ", 1)[0] if " | " in block.text else ""
        elif block.kind == "heading":
            key, body = block.text, []
            for following in blocks[index + 1 :]:
                if following.kind == "heading":
                    break
                body.append(following.text)
            text = f"{key}: {' '.join(body)}" if body else ""
        else:
            match = _DEFINITION_KEY.match(block.text)
            key = match.group("key") if match and len(match.group("key").split()) <= 8 else ""
        tokens = _grade_tokens(key)
        if tokens and text:
            definitions.append(GradeDefinition(tokens, text))
    return definitions


def statement_grade(text: str, definitions: Sequence[GradeDefinition]) -> str | None:
    """The grade attached to a recommendation statement, verbatim, or None when it has none."""
    for pattern in _GRADE_PATTERNS:
        matches = pattern.findall(text)
        if matches:
            return str(matches[-1]).strip()
    phrase = _EVIDENCE_PHRASE.search(text)
    if phrase and grade_meaning(phrase.group(1), definitions):
        return phrase.group(1)
    return None


def grade_meaning(grade: str, definitions: Sequence[GradeDefinition]) -> str | None:
    """The guideline's own definition text for ``grade``, or None when its scheme has none.

    Grades and definition keys are compared by their distinguishing words ("B
    recommendation" ≡ "B", "Category IA" ≡ "IA"): first the whole grade, then each
    ","/";"-separated part ("recommendation category: A, evidence type: 4" has two
    definitions, joined with " / "). Only exact word-set matches count: a near miss
    would attach another grade's definition, which is worse than none.
    """
    whole = _grade_tokens(grade)
    if not whole:
        return None
    exact = [d.text for d in definitions if d.tokens == whole]
    if exact:
        return exact[0]
    parts = [_grade_tokens(part) for part in re.split(r"[,;]", grade) if part.strip()]
    if len(parts) > 1:
        found = [next((d.text for d in definitions if d.tokens == part), "") for part in parts]
        if any(found):
            return " / ".join(dict.fromkeys(text for text in found if text))
    return None
