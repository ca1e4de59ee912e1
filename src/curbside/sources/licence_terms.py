"""Use terms derived from each source's own licence or copyright statement.

The facts (which licence each source states, how NGC copyright statements are classed,
which phrases add a restriction) live in ``data/licence_terms.json`` with their provenance;
this module only reads and applies them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from curbside.domain.terms import LicenceClass, UseTerms

DATA_FILE = "licence_terms.json"
_FLAGS = ("attribution_required", "non_commercial", "no_derivatives", "no_generative_ai")


class LicenceRulesError(ValueError):
    """The licence-terms data file is malformed; the message says where."""


@dataclass(frozen=True, slots=True)
class SourceLicence:
    """A source's stated licence: the statement text to show and the terms it implies."""

    statement: str
    terms: UseTerms
    citation: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LicenceRules:
    """The parsed data file (see ``load_rules``)."""

    class_terms: dict[LicenceClass, UseTerms]
    sources: dict[str, SourceLicence]
    ngc_rules: tuple[tuple[LicenceClass, tuple[re.Pattern[str], ...]], ...]
    ngc_fallback: LicenceClass
    flag_phrases: dict[str, tuple[str, ...]]

    def source(self, name: str) -> SourceLicence:
        """The licence of a whole source (KeyError for a source the file does not list)."""
        return self.sources[name]

    def terms_for(self, licence_class: LicenceClass, statement: str = "", **extra: bool) -> UseTerms:
        """The class's default terms, plus restrictions the statement's own words add."""
        base = self.class_terms[licence_class]
        folded = _fold(statement)
        flags = {name: getattr(base, name) or extra.get(name, False) for name in _FLAGS}
        for name, phrases in self.flag_phrases.items():
            if any(phrase in folded for phrase in phrases):
                flags[name] = True
        return UseTerms(licence_class, **flags)

    def classify_ngc(self, statement: str) -> UseTerms:
        """Terms of an NGC summary from its Copyright Statement field (rules tried in order)."""
        folded = _fold(statement)
        for licence_class, patterns in self.ngc_rules:
            if any(pattern.search(folded) for pattern in patterns):
                return self.terms_for(licence_class, statement)
        return self.terms_for(self.ngc_fallback, statement)


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace("\u2019", "'").strip().lower()


def _require(data: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind):
        raise LicenceRulesError(f"{where}: '{key}' must be a {kind.__name__}")
    return value


def _licence_class(value: object, where: str) -> LicenceClass:
    try:
        return LicenceClass(str(value))
    except ValueError:
        known = ", ".join(c.value for c in LicenceClass)
        raise LicenceRulesError(f"{where}: unknown licence class {value!r} (known: {known})") from None


def parse_rules(data: dict[str, Any]) -> LicenceRules:
    """Validate and parse the data file's JSON; LicenceRulesError names what is wrong."""
    _require(data, "provenance", str, DATA_FILE)
    class_terms: dict[LicenceClass, UseTerms] = {}
    for name, flags in _require(data, "classes", dict, DATA_FILE).items():
        where = f"{DATA_FILE} classes.{name}"
        if not isinstance(flags, dict) or set(flags) != set(_FLAGS):
            raise LicenceRulesError(f"{where}: must give exactly {', '.join(_FLAGS)}")
        class_terms[_licence_class(name, where)] = UseTerms(
            _licence_class(name, where), **{f: bool(flags[f]) for f in _FLAGS}
        )
    missing = set(LicenceClass) - set(class_terms)
    if missing:
        raise LicenceRulesError(f"{DATA_FILE}: classes missing {', '.join(sorted(missing))}")
    sources: dict[str, SourceLicence] = {}
    for name, entry in _require(data, "sources", dict, DATA_FILE).items():
        where = f"{DATA_FILE} sources.{name}"
        if not isinstance(entry, dict):
            raise LicenceRulesError(f"{where}: must be an object")
        _require(entry, "provenance", str, where)
        statement = _require(entry, "statement", str, where)
        licence_class = _licence_class(entry.get("licence_class"), where)
        extra = {flag: bool(entry.get(flag)) for flag in _FLAGS if flag in entry}
        base = class_terms[licence_class]
        terms = UseTerms(licence_class, **{f: extra.get(f, getattr(base, f)) for f in _FLAGS})
        citation = entry.get("citation", {})
        if not isinstance(citation, dict):
            raise LicenceRulesError(f"{where}: 'citation' must be an object")
        sources[name] = SourceLicence(statement, terms, citation)
    ngc = _require(data, "ngc_statement_rules", dict, DATA_FILE)
    _require(ngc, "provenance", str, "ngc_statement_rules")
    rules = []
    for index, rule in enumerate(_require(ngc, "rules", list, "ngc_statement_rules")):
        where = f"ngc_statement_rules.rules[{index}]"
        patterns = _require(rule, "patterns", list, where) if isinstance(rule, dict) else None
        if not patterns or not all(isinstance(p, str) and p.strip() for p in patterns):
            raise LicenceRulesError(f"{where}: needs a non-empty list of patterns")
        try:
            compiled = tuple(re.compile(p, re.IGNORECASE) for p in patterns)
        except re.error as error:
            raise LicenceRulesError(f"{where}: bad pattern ({error})") from error
        rules.append((_licence_class(rule.get("licence_class"), where), compiled))
    flag_data = _require(data, "statement_flags", dict, DATA_FILE)
    _require(flag_data, "provenance", str, "statement_flags")
    flag_phrases = {}
    for name, phrases in flag_data.items():
        if name == "provenance":
            continue
        if name not in _FLAGS or not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            raise LicenceRulesError(
                f"statement_flags.{name}: must be one of {', '.join(_FLAGS)} with a list of phrases"
            )
        flag_phrases[name] = tuple(_fold(p) for p in phrases)
    fallback = _licence_class(ngc.get("fallback"), "ngc_statement_rules.fallback")
    return LicenceRules(class_terms, sources, tuple(rules), fallback, flag_phrases)


@cache
def load_rules() -> LicenceRules:
    """The packaged rules, parsed once per process."""
    text = resources.files("curbside.sources").joinpath("data", DATA_FILE).read_text("utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise LicenceRulesError(f"{DATA_FILE}: not valid JSON ({error})") from error
    if not isinstance(data, dict):
        raise LicenceRulesError(f"{DATA_FILE}: must hold a JSON object")
    return parse_rules(data)


def source_licence(name: str) -> SourceLicence:
    """Shorthand for ``load_rules().source(name)``."""
    return load_rules().source(name)
