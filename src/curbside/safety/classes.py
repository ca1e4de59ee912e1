"""Drug-class name variants, so a list's "MAOIS" meets a resolver's "monoamine oxidase inhibitors".

Interaction lists abbreviate class names (OSCAR: "MAOIS", "NSAIDS", "BETA BLOCKERS") while
the resolver speaks MeSH ("adrenergic beta-antagonists"). Each group below lists names that
denote the same class; every name is normalised before comparison. The groups cover the
class names that occur in the bundled lists — extend them when a list adds a new one.
"""

from __future__ import annotations

import re

from curbside.safety.resolver import normalise

_GROUPS: tuple[tuple[str, ...], ...] = (
    ("monoamine oxidase inhibitors", "maois", "maoi", "mao inhibitors", "monoamine oxidase inhibitor"),
    ("antidepressive agents, tricyclic", "tricyclic antidepressants", "tcas", "tca", "tricyclic antidepressant"),
    (
        "adrenergic beta-antagonists",
        "beta blockers",
        "beta-blockers",
        "beta adrenergic blockers",
        "ß-adrenergic blockers",
    ),
    ("anti-inflammatory agents, non-steroidal", "nsaids", "nsaid", "nonsteroidal anti-inflammatory drugs"),
    ("calcium channel blockers", "calcium channel blocker", "calcium antagonists"),
    ("contraceptives, oral", "oral contraceptives", "oral contraceptive"),
    ("analgesics, opioid", "narcotic analgesics", "opioids", "opioid analgesics"),
    ("benzodiazepines", "benzodiazepine", "benzodiazepine, long acting"),
    ("sodium chloride symporter inhibitors", "thiazides", "thiazide diuretics", "thiazide"),
    ("penicillins", "penicillin"),
    ("salicylates", "salicylate"),
    ("adrenal cortex hormones", "corticosteroids", "glucocorticoids"),
    ("serotonin uptake inhibitors", "selective serotonin reuptake inhibitors", "ssris", "ssri"),
    ("hydroxymethylglutaryl-coa reductase inhibitors", "statins", "statin", "hmg-coa reductase inhibitors"),
    ("angiotensin-converting enzyme inhibitors", "ace inhibitors", "acei"),
)
_INDEX: dict[str, frozenset[str]] = {}
for _group in _GROUPS:
    _names = frozenset(normalise(n) for n in _group)
    for _name in _names:
        _INDEX[_name] = _names

#: ATC-style classification codes ("N06AF", "N06AF03", "C07A").
ATC_CODE = re.compile(r"^[A-Z]\d{2}(?:[A-Z]{1,2}(?:\d{2})?)?$")


def class_variants(name: str) -> frozenset[str]:
    """Normalised names denoting the same class as ``name`` (always includes ``name`` itself,
    plus a naive singular/plural so "benzodiazepine" meets "benzodiazepines")."""
    key = normalise(name)
    if not key:
        return frozenset()
    variants = {key, key[:-1] if key.endswith("s") else key + "s"}
    return frozenset(variants | _INDEX.get(key, frozenset()))


def atc_codes(ids: tuple[str, ...]) -> tuple[str, ...]:
    """ATC codes among record ids such as ``("ATC:N06AF",)``."""
    return tuple(i.split(":", 1)[1] for i in ids if i.startswith("ATC:"))
