"""Messages typed in pieces: one thought sent as several short messages ("i want to", "die").

On Telegram and Discord people press Enter mid-sentence. Answered one by one, each piece gets a reply
to half a thought ("i want to" got "What a wonderful choice!"). The adapters that answer a
conversation's messages in order (``adapters.base.ReplyPool``) tell the core when another message of
the same person arrives while one is still waiting for its answer; the core then drops the earlier
answer and answers the later message with every piece in the prompt (``bot.dispatcher.GenerateStep``).

What stays the same for each piece: the crisis check runs on it at once, alone and joined to the
person's earlier messages (``Dispatcher.check_in_context``); it is written to memory (or, for someone
who asked not to be remembered, kept in RAM until the next answer); the platform's inbox marks it
answered.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence

from bot.types import ChatTurn, UserKey

SENTENCE_END = re.compile(r"[.!?…)\]\"'’”]+(?=\s|$)|[\U0001F300-\U0001FAFF\u2600-\u27BF](?=\s|$)")
"""Where a sentence ends: closing punctuation or an emoji before a space or the end (also used by
``bot.dispatcher.trim_unfinished``)."""
_TRAILING = re.compile(r"(?:,|\.\.\.|…|-|–|—|:|&|\+)\s*$")

# Words after which a sentence is almost never finished, in English and the five other languages the
# crisis rules read. A message ending in one of them is probably the first piece of a longer thought,
# so the bot waits a moment for the rest. Words that end common complete messages are left out, even
# when they often open a longer one too: "me" ("tell me"), "so" ("i think so"), "on" ("what's going
# on"), "going", "want" ("whatever you want"), "too", "then", "not", "from", "die" (a German article).
_OPEN_WORDS = frozenset(
    """
    to and but or because cause cuz bc coz i i'm im my the a an very wanna gonna gotta than like kinda
    sorta just
    que y pero porque quiero mi el los las
    je et mais parce veux mon ma le les
    ich und aber weil mein meine der das zu
    eu e mas quero meu minha
    io perché voglio mio mia il
    """.split()
)


def looks_unfinished(text: str) -> bool:
    """Whether a message reads like the first piece of a longer thought: no closing punctuation or emoji,
    and it ends in a comma, dash or ellipsis, or in a word that rarely ends a sentence ("to", "and",
    "my", "want")."""
    text = text.strip()
    if not text:
        return False
    if _TRAILING.search(text):
        return True
    if any(m.end() == len(text) for m in SENTENCE_END.finditer(text)):
        return False
    last = text.split()[-1].lower().strip("\"'“”‘’*_~")
    return last in _OPEN_WORDS


def merge_user_turns(turns: Sequence[ChatTurn]) -> list[ChatTurn]:
    """Consecutive user turns (a thought sent in pieces, answered once) as one turn, one piece per line,
    so the model reads them as one message, as the person meant them."""
    out: list[ChatTurn] = []
    for turn in turns:
        if out and turn.role == "user" and out[-1].role == "user":
            out[-1] = ChatTurn("user", f"{out[-1].content}\n{turn.content}")
        else:
            out.append(turn)
    return out


class HeldPieces:
    """Pieces not answered on their own, for people who asked not to be remembered (``remember`` off):
    their history is not stored, so the pieces wait here, in memory only, until the next answer uses
    them. At most ``MAX_PIECES`` per conversation, for at most ``window_s`` seconds; never on disk or
    in logs."""

    MAX_PIECES = 8
    MAX_CONVERSATIONS = 10_000

    def __init__(self, window_s: float = 600.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.window_s, self.clock = window_s, clock
        self._by_key: dict[UserKey, list[tuple[float, str]]] = {}

    def hold(self, key: UserKey, text: str) -> None:
        pieces = self._by_key.pop(key, [])
        pieces.append((self.clock(), text))
        self._by_key[key] = pieces[-self.MAX_PIECES :]
        if len(self._by_key) > self.MAX_CONVERSATIONS:
            del self._by_key[next(iter(self._by_key))]

    def take(self, key: UserKey) -> list[str]:
        """The conversation's held pieces, oldest first, removed from here."""
        now = self.clock()
        return [text for at, text in self._by_key.pop(key, []) if now - at <= self.window_s]

    def clear(self, key: UserKey) -> None:
        self._by_key.pop(key, None)

    def __len__(self) -> int:
        return len(self._by_key)
