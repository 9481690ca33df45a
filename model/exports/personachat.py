"""PersonaChat as preprocessed for the "conversational AI with transfer learning" recipe.

``{"train": [...], "valid": [...]}``; a dialog's last utterance holds the whole history plus the
gold reply (the last candidate), so the full dialog is rebuilt from it. Speakers are the roles
``partner`` (user) and ``persona`` (the gold side, the assistant).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from model.exports.sources import load_json
from model.exports.types import ChatMessage, Conversation, ExportError

PARTNER, PERSONA = "partner", "persona"
SILENCE = "__ SILENCE __"


def sniff(head: str) -> bool:
    return '"personality"' in head and '"utterances"' in head


def parse_file(path: Path, name: str | None = None) -> tuple[list[Conversation], Counter[str]]:
    name = name or str(path)
    data = load_json(path, name)
    if isinstance(data, list):
        data = {"train": data}
    if not isinstance(data, dict):
        raise ExportError(f'{name}: not PersonaChat JSON (expected {{"train": [...], "valid": [...]}})')
    skipped: Counter[str] = Counter()
    conversations: list[Conversation] = []
    for split, dialogs in data.items():
        if not isinstance(dialogs, list):
            continue
        for i, dialog in enumerate(dialogs):
            try:
                last = dialog["utterances"][-1]
                turns = [str(t) for t in last["history"]] + [str(last["candidates"][-1])]
                persona = [str(s).strip() for s in dialog.get("personality") or []]
            except (KeyError, IndexError, TypeError):
                skipped["bad record"] += 1
                continue
            # Walk back from the gold reply: the last turn is the persona's, then they alternate.
            messages = []
            for k, text in enumerate(turns):
                speaker = PERSONA if (len(turns) - 1 - k) % 2 == 0 else PARTNER
                if text.strip() == SILENCE:
                    skipped["silence placeholder"] += 1
                    continue
                messages.append(ChatMessage(speaker, text.strip(), None))
            conversations.append(
                Conversation(
                    id=f"{split}/{i}",
                    title=f"{split} dialog {i}",
                    messages=messages,
                    participants=[PARTNER, PERSONA],
                    system=("Your persona: " + " ".join(persona)) if persona else None,
                )
            )
    if not conversations and not skipped:
        raise ExportError(
            f"{name}: no PersonaChat dialogs found (expected lists of {{personality, utterances}})"
        )
    return conversations, skipped
