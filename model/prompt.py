"""Turn chat turns into model input ids under a token budget.

The system turn(s) and the latest user turn always stay; the oldest history turns go first until the
prompt fits. The persona's few-shot examples (``ChatTurn.pinned``) stay with the system turn; they go
only when no history is left, last example first. When turns must go, the history starts at an *anchor* if one fits: a user turn whose
text hashes to 0 modulo ``bot.types.ANCHOR_EVERY`` (see ``bot.types.is_anchor``). The first anchor that fits stays the first one that fits
while the conversation grows, so consecutive prompts of a long conversation keep the same start and
the engine's prefix cache can reuse their keys/values (cutting at the first fit instead would shift the
start, and with it every cached position, on every turn). The price: up to a few more old turns go. If even system + the latest message do not fit, the message is cut from the front (the
end of what someone wrote is what the reply answers) and marked with ``[…]``.

Models with a chat template get it (with the generation prompt). Models without one (gpt2,
DialoGPT, ...) get a plain transcript the way the original GPT-2 bots did::

    <system text>
    You: hello
    Friend: hi there
    You: how are you?
    Friend:

and generation stops at the next ``\\nYou:`` / ``\\nFriend:``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.types import ChatTurn, is_anchor

log = logging.getLogger(__name__)

USER_LABEL = "You"
BOT_LABEL = "Friend"
TRUNCATION_MARKER = "[…] "
TRANSCRIPT_STOPS = (f"\n{USER_LABEL}:", f"\n{BOT_LABEL}:")
# Chat-template models sometimes start a new turn instead of emitting end-of-turn.
TEMPLATE_STOPS = ("<|im_start|>", "<|im_end|>", "<|endoftext|>", "<|eot_id|>")
_MIN_USER_TOKENS = 8


def _anchor(turn: ChatTurn) -> bool:
    return is_anchor(turn.role, turn.content)


@dataclass(frozen=True, slots=True)
class BuiltPrompt:
    ids: list[int]
    stop: tuple[str, ...]
    """Stop strings the decoder must apply (on top of the request's own)."""
    dropped_turns: int = 0
    truncated: bool = False


def end_of_turn_ids(tokenizer: Any, model_config: Any = None) -> frozenset[int]:
    """Token ids that end a reply: eos, the generation config's eos list and known end-of-turn tokens."""
    ids: set[int] = set()
    if tokenizer.eos_token_id is not None:
        ids.add(int(tokenizer.eos_token_id))
    gen_eos = getattr(getattr(model_config, "generation_config", None), "eos_token_id", None)
    if gen_eos is None and model_config is not None:
        gen_eos = getattr(model_config, "eos_token_id", None)
    if isinstance(gen_eos, int):
        ids.add(gen_eos)
    elif isinstance(gen_eos, list | tuple):
        ids.update(int(i) for i in gen_eos)
    vocab = tokenizer.get_vocab()
    for tok in ("<|im_end|>", "<|eot_id|>", "<|endoftext|>", "<end_of_turn>"):
        if tok in vocab:
            ids.add(int(vocab[tok]))
    return frozenset(ids)


class PromptBuilder:
    """Builds prompts for one tokenizer. Cheap to call; runs in the engine's worker thread."""

    def __init__(self, tokenizer: Any, *, use_chat_template: bool | None = None) -> None:
        self.tokenizer = tokenizer
        if use_chat_template is None:
            use_chat_template = bool(getattr(tokenizer, "chat_template", None))
        self.use_chat_template = use_chat_template

    # -- rendering

    def _render(self, turns: Sequence[ChatTurn]) -> list[int]:
        if self.use_chat_template:
            rendered = self.tokenizer.apply_chat_template(
                [{"role": t.role, "content": t.content} for t in turns],
                add_generation_prompt=True,
                tokenize=False,
            )
            return list(self.tokenizer(rendered, add_special_tokens=False)["input_ids"])
        return list(self.tokenizer(self._transcript(turns), add_special_tokens=False)["input_ids"])

    @staticmethod
    def _transcript(turns: Sequence[ChatTurn]) -> str:
        lines: list[str] = []
        for t in turns:
            text = " ".join(t.content.split())  # a newline inside a message would fake a turn
            if t.role == "system":
                lines.append(text)
            elif t.role == "user":
                lines.append(f"{USER_LABEL}: {text}")
            else:
                lines.append(f"{BOT_LABEL}: {text}")
        lines.append(f"{BOT_LABEL}:")
        return "\n".join(lines)

    @property
    def stop(self) -> tuple[str, ...]:
        return TEMPLATE_STOPS if self.use_chat_template else TRANSCRIPT_STOPS

    # -- budgeting

    def build(self, messages: Sequence[ChatTurn], budget: int) -> BuiltPrompt:
        """Render ``messages`` into at most ``budget`` tokens (see the module docstring)."""
        if not messages:
            raise ValueError("cannot build a prompt from no messages")
        system = [t for t in messages if t.role == "system"]
        rest = [t for t in messages if t.role != "system"]
        if not rest:
            raise ValueError("the prompt needs at least one user or assistant turn after the system turn")
        latest = rest[-1]
        # The persona's few-shot examples (pinned) stay next to the system turn; history goes first.
        pinned = [t for t in rest[:-1] if t.pinned]
        history = [t for t in rest[:-1] if not t.pinned]

        dropped = 0
        while True:
            ids = self._render([*system, *pinned, *history, latest])
            if len(ids) <= budget or not history:
                break
            # Drop the oldest turn; then drop leading assistant turns so history starts with the user.
            history = history[1:]
            dropped += 1
            while history and history[0].role == "assistant":
                history = history[1:]
                dropped += 1
        if len(ids) <= budget:
            if dropped:
                # Start at the first anchor from here on, if there is one (see the module docstring).
                for i, turn in enumerate(history):
                    if _anchor(turn):
                        if i:
                            history = history[i:]
                            dropped += i
                            ids = self._render([*system, *pinned, *history, latest])
                        break
            return BuiltPrompt(ids, self.stop, dropped, False)
        while pinned:  # no history left: the examples go next, last pair first
            pinned = pinned[:-2] if len(pinned) >= 2 else []
            ids = self._render([*system, *pinned, latest])
            if len(ids) <= budget:
                return BuiltPrompt(ids, self.stop, dropped, False)

        # Even system + latest message is too long: keep the end of the latest message.
        overhead = len(self._render([*system, ChatTurn(latest.role, TRUNCATION_MARKER)]))
        content_ids = self.tokenizer(latest.content, add_special_tokens=False)["input_ids"]
        keep = max(_MIN_USER_TOKENS, budget - overhead - 2)
        for _ in range(4):  # re-tokenizing the cut text can shift by a token or two
            text = TRUNCATION_MARKER + self.tokenizer.decode(content_ids[-keep:]).lstrip()
            ids = self._render([*system, ChatTurn(latest.role, text)])
            if len(ids) <= budget or keep <= _MIN_USER_TOKENS:
                break
            keep = max(_MIN_USER_TOKENS, keep - (len(ids) - budget))
        if len(ids) > budget and system:
            # A system prompt longer than the whole budget: keep its start, it holds the persona.
            sys_text = "\n".join(t.content for t in system)
            sys_ids = self.tokenizer(sys_text, add_special_tokens=False)["input_ids"]
            cut = max(0, len(sys_ids) - (len(ids) - budget) - 2)
            short_sys = ChatTurn("system", self.tokenizer.decode(sys_ids[:cut]))
            ids = self._render([short_sys, ChatTurn(latest.role, text)])
        if len(ids) > budget:
            log.warning(
                "prompt of %d tokens still exceeds the budget of %d; cutting its start", len(ids), budget
            )
            ids = ids[-budget:]
        return BuiltPrompt(ids, self.stop, dropped, True)
