"""Plain transcripts: one ``Name: text`` per line.

Lines without a ``Name: `` prefix continue the previous message; a line of only ``---`` starts a
new conversation. There are no times, so session splitting does not apply.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from model.exports.sources import read_text
from model.exports.types import ChatMessage, Conversation, ExportError, participants_of

SPEAKER_LINE = re.compile(r"^(?P<name>[^:\s][^:]{0,39}?):\s(?P<text>.*)$")
SEPARATOR = re.compile(r"^\s*(-{3,}|\*{3,}|={3,})\s*$")


def _speaker_match(line: str) -> re.Match[str] | None:
    m = SPEAKER_LINE.match(line)
    if m and not m.group("name").lower().startswith(("http", "www.")):
        return m
    return None


def sniff(head: str) -> bool:
    lines = [ln for ln in head.splitlines()[:60] if ln.strip() and not SEPARATOR.match(ln)]
    if not lines:
        return False
    return sum(1 for ln in lines if _speaker_match(ln)) >= max(1, (len(lines) + 1) // 2)


def parse_file(path: Path, name: str | None = None) -> tuple[list[Conversation], Counter[str]]:
    name = name or str(path)
    text = read_text(path, name)
    skipped: Counter[str] = Counter()
    chunks: list[list[tuple[str, str]]] = [[]]
    for line in text.splitlines():
        if SEPARATOR.match(line):
            if chunks[-1]:
                chunks.append([])
            continue
        m = _speaker_match(line)
        if m:
            chunks[-1].append((m.group("name").strip(), m.group("text").strip()))
        elif chunks[-1] and line.strip():
            speaker, previous = chunks[-1][-1]
            chunks[-1][-1] = (speaker, previous + "\n" + line.strip())
        elif line.strip():
            skipped["line without a speaker"] += 1
    conversations = []
    for i, chunk in enumerate(c for c in chunks if c):
        messages = [ChatMessage(s, t, None) for s, t in chunk]
        conversations.append(
            Conversation(
                id=f"{path.name}#{i + 1}",
                title=path.stem,
                messages=messages,
                participants=participants_of(messages),
            )
        )
    if not conversations:
        raise ExportError(f"{name}: no 'Name: text' lines found")
    return conversations, skipped
