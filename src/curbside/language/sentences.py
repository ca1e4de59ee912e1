"""Split long section text into passage-sized chunks on sentence boundaries.

Passages are what answers quote and cite, so a chunk must be readable on its own:
we never cut inside a sentence, and we keep chunks short enough for the embedding
model's window (all-MiniLM-L6-v2 truncates at 256 word pieces).
"""

from __future__ import annotations

import re

MAX_WORDS = 140

# A sentence ends at . ! ? (optionally followed by a closing quote or bracket, which stays with
# it) then space and an upper-case letter, digit or opening quote; abbreviations such as
# "e.g." or "Dr." are protected below so they do not split.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]]))\s+(?=[\"'(\[]?[A-Z0-9])")
_ABBREVIATIONS = ("e.g.", "i.e.", "et al.", "Dr.", "vs.", "etc.", "approx.", "No.", "Fig.", "U.S.", "St.", "cf.")


def split_sentences(text: str) -> list[str]:
    """Split running text into sentences, keeping abbreviations intact."""
    protected = text
    for i, abbreviation in enumerate(_ABBREVIATIONS):
        protected = protected.replace(abbreviation, f"\x00{i}\x00")
    parts = _SENTENCE_END.split(protected)
    sentences = []
    for part in parts:
        for i, abbreviation in enumerate(_ABBREVIATIONS):
            part = part.replace(f"\x00{i}\x00", abbreviation)
        part = part.strip()
        if part:
            sentences.append(part)
    return sentences


def chunk_text(text: str, max_words: int = MAX_WORDS) -> list[str]:
    """Group sentences into chunks of at most ``max_words`` words (a longer sentence stands alone)."""
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return []
    chunks: list[str] = []
    current: list[str] = []
    count = 0
    for sentence in split_sentences(text):
        words = len(sentence.split())
        if current and count + words > max_words:
            chunks.append(" ".join(current))
            current, count = [], 0
        current.append(sentence)
        count += words
    if current:
        chunks.append(" ".join(current))
    return chunks
