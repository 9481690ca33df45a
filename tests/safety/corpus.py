"""Every message text of the repository's labelled sets (everyday chat, sad lines, crisis lines, the
classifier's training lines): 5,000+ things people write to the bot, for checking that a new rule
leaves them alone."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).parents[2]


def message_texts() -> list[str]:
    texts = []
    for path in [*ROOT.glob("tests/**/*.jsonl"), *ROOT.glob("model/data/*.jsonl")]:
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                row = json.loads(line)
            except ValueError:
                continue  # the export tests keep deliberately broken lines
            if isinstance(row, dict) and isinstance(row.get("text"), str):
                texts.append(row["text"])
    return texts
