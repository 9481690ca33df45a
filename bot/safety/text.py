"""Text folding shared by the safety checks: one cheap pass so the patterns can stay simple.

Folding lower-cases, strips accents (so "não" matches "nao"), turns curly quotes into plain ones and
then drops apostrophes ("don't" -> "dont", "j'ai" -> "jai"), turns hyphens into spaces ("self-harm"
-> "self harm") and squeezes runs of three or more equal characters to two ("diiiie" -> "diie").
"""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans(
    {"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'}
)
_SQUEEZE = re.compile(r"(.)\1{2,}")
_SPACES = re.compile(r"\s+")
_HYPHENS = re.compile(r"(?<=[a-z])[-_](?=[a-z])")
# Digits used as letters inside words ("su1c1de", "k1ll", "unal1ve"); only in tokens that also hold letters.
_LEET_TOKEN = re.compile(r"\b(?=[a-z0-9@$*]*[a-z])(?=[a-z0-9@$*]*[0-9@$])[a-z0-9@$*]+\b")
_LEET = str.maketrans({"1": "i", "3": "e", "0": "o", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})


def fold(text: str) -> str:
    """Lower-case, accent-free, apostrophe-free, single-spaced text with quotes kept as '"'."""
    t = text.translate(_QUOTES).lower()
    if not t.isascii():
        t = unicodedata.normalize("NFKD", t.replace("ß", "ss"))
        t = "".join(ch for ch in t if not unicodedata.combining(ch))
    t = t.replace("'", "")
    t = _HYPHENS.sub(" ", t)
    t = _SQUEEZE.sub(r"\1\1", t)
    return _SPACES.sub(" ", t).strip()


def unleet(folded: str) -> str:
    """Map look-alike digits back to letters inside words that mix both ("k1ll" -> "kill")."""
    return _LEET_TOKEN.sub(lambda m: m.group(0).translate(_LEET), folded)


# Clause boundaries: a negation before "but"/"and" does not reach past it
# ("I'm not okay and I want to die" is not negated).
_CLAUSE_BREAK = re.compile(
    r"[.,;:!?\n()\"]|\s(?:but|and|so|because|cause|cuz|though|although|pero|mais|aber|mas|y|et|und|e)\s"
)
_WORD = re.compile(r"[a-z0-9]+")


def words_before(text: str, start: int, n: int) -> list[str]:
    """The last ``n`` words before ``start`` in the same clause."""
    head = text[max(0, start - 160) : start]  # a clause is never that long; keeps this O(1) per match
    cut = 0
    for m in _CLAUSE_BREAK.finditer(head):
        cut = m.end()
    return _WORD.findall(head[cut:])[-n:]


_SENTENCE_BREAK = re.compile(r"[.!?\n]+")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding the span ``start:end`` (cues like "lol" apply within a sentence)."""
    left = max(0, start - 400)
    for m in _SENTENCE_BREAK.finditer(text, left, start):
        left = m.end()
    m = _SENTENCE_BREAK.search(text, end)
    right = m.start() if m else len(text)
    return text[left:right]
