"""Drug–drug interaction alerts from the interaction lists and FDA label annotations.

Which pairs are checked (``pairs_to_check``): every current medication against every other
current medication and every drug the answer mentions; for an interaction question, also
every pair of drugs in the question. Alternatives the answer lists side by side are *not*
paired with each other — nobody takes all options at once, and those alerts would be noise.

Matching a record side to a drug (``DrugEntity``): by normalised name, by the resolver's
canonical name for the side ("Nardil" → phenelzine), by class — the side names a class the
resolver puts the drug in, through ``classes.class_variants`` ("MAOIS" ≡ "monoamine oxidase
inhibitors") or an ATC code prefix — and, for label annotations, the label's own brand name
stands for the label's drugs ("ADCIRCA" on the tadalafil label).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from curbside.domain.article import Alert
from curbside.domain.documents import InteractionRecord
from curbside.domain.question import DrugMention, UnderstoodQuestion
from curbside.protocols import KnowledgeReader
from curbside.safety import severity as sev
from curbside.safety.classes import ATC_CODE, atc_codes, class_variants
from curbside.safety.labels import LabelIndex
from curbside.safety.references import DocumentCache, ReferenceBook
from curbside.safety.resolver import DrugClassResolver, normalise

_ACTION = re.compile(
    r"\b(avoid\w*|monitor\w*|reduc\w*|adjust\w*|do not|should|consider|discontinu\w*|caution|contraindicated|"
    r"not recommended|decrease the dose|increase the dose|use with|observe|stop\w*|wait|testing)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
MAX_EFFECT_CHARS = 320
RECORD_CACHE_SIZE = 512
_PUNCT = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class DrugEntity:
    """One drug (or class) taking part in the check.

    ``keys``: normalised names that denote it (own names, class names and their variants);
    ``codes``: ATC-style codes from the resolver; ``fetch``: names to query the store with
    (keys plus label brand names); ``current``: the patient takes it now; ``label``: how the
    reader wrote it, when that differs from ``name`` ("rifampicin" for rifampin), so an alert
    names the drug the reader recognises.
    """

    name: str
    keys: frozenset[str]
    codes: tuple[str, ...]
    fetch: frozenset[str]
    current: bool
    label: str = ""

    @property
    def display(self) -> str:
        """ "rifampicin (rifampin)" when the reader's name differs from the canonical one."""
        if self.label and normalise(self.label) != self.name:
            return f"{self.label} ({self.name})"
        return self.name


@dataclass(frozen=True, slots=True)
class InteractionFinding:
    """An alert for one drug pair, with the pair so callers can act on it (bottom-line warning)."""

    drug_a: str
    drug_b: str
    severity: str
    alert: Alert
    sources: tuple[str, ...]
    current_drugs: frozenset[str]


class InteractionChecker:
    """Looks up and merges interaction records for drug pairs.

    Contract: records documenting *no* interaction (OSCAR effect N) never alert; several
    records for one pair yield one finding citing every source, at the most severe level,
    saying when sources disagree. Records are fetched once per drug and cached for the
    checker's life (like the label index): rebuild the checker after re-ingesting.
    """

    def __init__(self, store: KnowledgeReader, resolver: DrugClassResolver, labels: LabelIndex | None = None) -> None:
        self._store = store
        self._resolver = resolver
        self._labels = labels if labels is not None else LabelIndex(store)
        self._canonical: dict[str, str | None] = {}
        self._records: OrderedDict[frozenset[str], list[InteractionRecord]] = OrderedDict()
        self._sides: dict[tuple[str, str], tuple[frozenset[str], tuple[str, ...]]] = {}
        # The web app shares one checker across request threads; the LRU's check-then-move
        # must not interleave with another thread's eviction.
        self._records_lock = threading.Lock()

    def canonical(self, name: str) -> str | None:
        if name not in self._canonical:
            found = self._resolver.canonical(name)
            self._canonical[name] = normalise(found) if found else None
        return self._canonical[name]

    def entity(self, name: str, *, current: bool = False, members: Sequence[str] = (), label: str = "") -> DrugEntity:
        """Everything a record side may call this drug (or class) by."""
        canon = self.canonical(name) or normalise(name)
        keys: set[str] = {canon, normalise(name), *class_variants(name), *class_variants(canon)}
        codes: list[str] = []
        for cls in self._resolver.classes_of(canon):
            if ATC_CODE.match(cls.strip()):
                codes.append(cls.strip())
            else:
                keys |= class_variants(cls)
        keys |= {normalise(m) for m in members}
        # A class named in the question also stands for the members the sources list for it.
        members_of = getattr(self._resolver, "members_of", None)
        if members_of is not None:
            for variant in [name, canon]:
                keys |= {normalise(m) for m in members_of(variant)}
        # Label annotations may name this drug by brand only: fetch those names too.
        fetch = keys | self._labels.aliases(canon) | self._labels.aliases(name)
        return DrugEntity(
            name=canon, keys=frozenset(keys), codes=tuple(codes), fetch=frozenset(fetch), current=current, label=label
        )

    def check(
        self, pairs: Sequence[tuple[DrugEntity, DrugEntity]], book: ReferenceBook, documents: DocumentCache
    ) -> list[InteractionFinding]:
        """Findings for ``pairs``, adding the cited sources to ``book``."""
        entities = list({e.name: e for pair in pairs for e in pair}.values())
        index: dict[str, set[str]] = {}
        for entity in entities:
            for key in entity.keys:
                index.setdefault(key, set()).add(entity.name)
        coded = [e for e in entities if e.codes]
        matched: dict[tuple[str, str], list[InteractionRecord]] = {}
        for record in self._fetch(entities):
            # Which of this check's drugs each side denotes; most records denote none on one side.
            a_hits = self._hits(record, record.drug_a, record.drug_a_ids, index, coded)
            b_hits = self._hits(record, record.drug_b, record.drug_b_ids, index, coded) if a_hits else set()
            if not b_hits:
                continue
            for x, y in pairs:
                if (x.name in a_hits and y.name in b_hits) or (x.name in b_hits and y.name in a_hits):
                    matched.setdefault((x.name, y.name), []).append(record)
        current = {e.name for e in entities if e.current}
        shown = {e.name: e.display for e in entities}
        findings = []
        for (a, b), found in matched.items():
            finding = _finding(a, b, found, book, documents, frozenset({a, b} & current), (shown[a], shown[b]))
            if finding is not None:
                findings.append(finding)
        return findings

    def _fetch(self, entities: Sequence[DrugEntity]) -> list[InteractionRecord]:
        """Records naming any of ``entities`` (each record once), via the per-drug cache."""
        out: dict[int, InteractionRecord] = {}
        for entity in entities:
            with self._records_lock:
                records = self._records.get(entity.fetch)
                if records is not None:
                    self._records.move_to_end(entity.fetch)
            if records is None:
                records = self._store.interactions(sorted(entity.fetch))
                with self._records_lock:
                    self._records[entity.fetch] = records
                    while len(self._records) > RECORD_CACHE_SIZE:
                        self._records.popitem(last=False)
            out.update((id(r), r) for r in records)
        return list(out.values())

    def _hits(
        self,
        record: InteractionRecord,
        side: str,
        ids: tuple[str, ...],
        index: dict[str, set[str]],
        coded: Sequence[DrugEntity],
    ) -> set[str]:
        """Names of the check's drugs this record side denotes (by name/class key or ATC code)."""
        keys, codes = self._side(record, side, ids)
        hits = {name for key in keys for name in index.get(key, ())}
        # A record coded with a class ATC code (OSCAR "MAOIS" = N06AF) covers drugs coded below it.
        hits |= {e.name for e in coded if any(code.startswith(c) for code in e.codes for c in codes)}
        return hits

    def _side(
        self, record: InteractionRecord, side: str, ids: tuple[str, ...]
    ) -> tuple[frozenset[str], tuple[str, ...]]:
        """Names and ATC codes a record side denotes (cached: the same names recur across records)."""
        label = self._labels.names_of(record.source_id)
        cache_key = (record.source_id if label else "", side + "|" + ",".join(ids))
        if cache_key not in self._sides:
            key = normalise(side)
            keys = set(class_variants(side))
            canon = self.canonical(side)
            if canon:
                keys |= class_variants(canon)
            if canon is None and key in label:
                keys |= label  # the label names its own drug by brand; that means the label's drugs
            keys.add(key)
            self._sides[cache_key] = (frozenset(keys), atc_codes(ids))
        return self._sides[cache_key]


def pairs_to_check(
    checker: InteractionChecker, question: UnderstoodQuestion, mentioned: Iterable[str]
) -> list[tuple[DrugEntity, DrugEntity]]:
    """Every pair of the question's drugs, whatever the intent, plus each question drug × each
    drug the answer mentions (``mentioned``).

    The question's drugs are its current, failed, proposed and merely mentioned ones: a drug
    stopped for failure may still be on board, and a drug named at all may be taken together
    with the others. Drugs only the answer names are alternatives side by side and are not
    paired with each other — nobody takes all options at once.
    """
    current = {d.name for d in question.current_medications}
    asked: dict[str, DrugEntity] = {}
    for mention in (*question.current_medications, *question.failed_medications, *question.drugs):
        if mention.name not in asked:
            asked[mention.name] = _mention_entity(checker, mention, current=mention.name in current)
    answer = [checker.entity(name) for name in dict.fromkeys(mentioned) if name not in asked]
    pairs: dict[tuple[str, str], tuple[DrugEntity, DrugEntity]] = {}

    def add(x: DrugEntity, y: DrugEntity) -> None:
        # A drug is not paired with itself, nor with a class it belongs to ("MAOIs" + phenelzine).
        if x.name != y.name and x.name not in y.keys and y.name not in x.keys:
            pairs.setdefault((min(x.name, y.name), max(x.name, y.name)), (x, y))

    for x, y in combinations(list(asked.values()), 2):
        add(x, y)
    for x in asked.values():
        for y in answer:
            add(x, y)
    return list(pairs.values())


def _mention_entity(checker: InteractionChecker, mention: DrugMention, *, current: bool = False) -> DrugEntity:
    return checker.entity(
        mention.name, current=current, members=mention.members if mention.is_class else (), label=mention.surface
    )


def _finding(
    a: str,
    b: str,
    records: list[InteractionRecord],
    book: ReferenceBook,
    documents: DocumentCache,
    current: frozenset[str],
    shown: tuple[str, str] | None = None,
) -> InteractionFinding | None:
    """Merge the records for one pair into one alert (None when all say "no interaction")."""
    readings = [(r, sev.read_severity(r)) for r in _dedupe(records)]
    readings = [(r, s) for r, s in readings if s.level is not None]
    if not readings:
        return None
    per_source: dict[str, str] = {}
    for record, reading in readings:
        name = sev.short_source_name(record.list_name)
        level = reading.level or sev.MINOR
        per_source[name] = sev.most_severe([per_source.get(name, level), level])
    # Most severe source first, so the text reads "ONC high-priority major; OSCAR minor".
    per_source = dict(sorted(per_source.items(), key=lambda item: (sev.RANK[item[1]], item[0])))
    level = sev.most_severe(list(per_source.values()))
    citations = sorted({n for r, _ in readings if (n := _cite(r, book, documents)) is not None})
    effects = _distinct(f"{sev.short_source_name(r.list_name)}: {_effect(r)}" for r, _ in readings if _effect(r))
    shown_a, shown_b = shown or (a, b)
    text = f"{shown_a[:1].upper()}{shown_a[1:]} + {shown_b}: {level} interaction ({'; '.join(per_source)})."
    if effects:
        text += " " + " ".join(effects[:3])
    if len(set(per_source.values())) > 1:
        text += " Sources disagree: " + "; ".join(f"{s} {lvl}" for s, lvl in per_source.items()) + "."
    actions = _distinct(s for r, _ in readings for s in _action_sentences(r))
    alert = Alert(
        kind="interaction",
        severity=level,
        text=text,
        citations=tuple(citations),
        action=" ".join(actions[:2]) or None,
    )
    return InteractionFinding(a, b, level, alert, tuple(per_source), current)


def _dedupe(records: list[InteractionRecord]) -> list[InteractionRecord]:
    """OSCAR repeats a row per ATC code; keep one record per list + wording + severity."""
    seen: dict[tuple[str, str, str, str], InteractionRecord] = {}
    for record in records:
        key = (record.list_name, record.source_id, record.severity or "", record.description or record.sentence or "")
        seen.setdefault(key, record)
    return list(seen.values())


def _effect(record: InteractionRecord) -> str:
    text = record.sentence or record.description or ""
    return text if len(text) <= MAX_EFFECT_CHARS else text[: MAX_EFFECT_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _action_sentences(record: InteractionRecord) -> list[str]:
    """Sentences of the source text that say what to do — never composed by us."""
    text = record.sentence or record.description or ""
    if record.list_name == sev.OSCAR:
        # OSCAR's description opens with our spelled-out codes; only its comment is source advice.
        text = text.split(". ", 1)[1] if ". " in text else ""
    return [s.strip() for s in _SENTENCE.split(text) if _ACTION.search(s)]


def _distinct(items: Iterable[str]) -> list[str]:
    """Items in order without repeats; sources repeat wording with other case/punctuation, and
    a text that only opens a longer one (OSCAR codes without the comment) adds nothing."""
    kept: dict[str, str] = {}
    for item in items:
        key = _PUNCT.sub(" ", item.lower()).strip()
        if not key or any(other.startswith(key) for other in kept):
            continue
        for other in [o for o in kept if key.startswith(o)]:
            del kept[other]
        kept[key] = item if item.rstrip().endswith((".", "…")) else item.rstrip() + "."
    return list(kept.values())


def _cite(record: InteractionRecord, book: ReferenceBook, documents: DocumentCache) -> int | None:
    document = documents.get(record.source_id)
    if document is None:
        return None
    if record.sentence:
        return book.cite_containing(document, record.sentence)
    if document.passages:
        return book.cite_passage(document, document.passages[0])
    return book.cite_quote(document, document.title)
