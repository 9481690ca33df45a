"""Simple style-fidelity figures: does a cloned voice write like the real person?

Compares generated replies with the speaker's real held-out replies on surface habits that people
notice first: how long the messages are, how often they use emoji, whether they write in lowercase,
and which words they reach for. Pure Python, no model needed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

# Pictographs, symbols, dingbats, flags and the emoji presentation selector / ZWJ glue.
EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f1e6-\U0001f1ff\U00002b00-\U00002bff\u2300-\u23ff\ufe0f\u200d]"
)
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Placeholders the scrubber writes and the chat-template leftovers are not words of the speaker.
IGNORED_WORDS = {"url", "email", "phone"}


def words(text: str) -> list[str]:
    return [w for w in (m.group(0).lower() for m in WORD.finditer(text)) if w not in IGNORED_WORDS]


def has_emoji(text: str) -> bool:
    return bool(EMOJI.search(text))


def is_lowercase(text: str) -> bool:
    """Has letters and none of them is a capital (``lol ok``, not ``OK`` or ``123``)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and not any(c.isupper() for c in letters)


def style_figures(texts: Sequence[str]) -> dict[str, float]:
    """Mean length (characters and words), emoji rate and lowercase rate (shares of messages)."""
    n = max(len(texts), 1)
    return {
        "messages": len(texts),
        "mean_chars": round(sum(len(t) for t in texts) / n, 1),
        "mean_words": round(sum(len(words(t)) for t in texts) / n, 2),
        "emoji_rate": round(sum(has_emoji(t) for t in texts) / n, 3),
        "lowercase_rate": round(sum(is_lowercase(t) for t in texts) / n, 3),
        "question_rate": round(sum("?" in t for t in texts) / n, 3),
    }


def top_words(texts: Sequence[str], n: int = 50) -> list[str]:
    counts = Counter(w for t in texts for w in words(t))
    return [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def top_word_overlap(a: Sequence[str], b: Sequence[str], n: int = 50) -> float:
    """Jaccard overlap of the two sides' ``n`` most frequent words (1.0 = the same favourite words)."""
    wa, wb = set(top_words(a, n)), set(top_words(b, n))
    if not wa and not wb:
        return 1.0
    return round(len(wa & wb) / len(wa | wb), 3)


def style_fidelity(
    real: Sequence[str], generated: dict[str, Sequence[str]], n_words: int = 50
) -> dict[str, Any]:
    """Figures for the real replies and for each generated set (e.g. ``{"base": [...], "tuned": [...]}``),
    with each set's top-word overlap with the real replies."""
    out: dict[str, Any] = {"real": style_figures(real)}
    for name, texts in generated.items():
        figs: dict[str, Any] = style_figures(texts)
        figs["top_word_overlap"] = top_word_overlap(real, texts, n_words)
        out[name] = figs
    out["top_words_n"] = n_words
    return out
