"""Prompt building under a token budget, with and without a chat template."""

from __future__ import annotations

import pytest

from bot.types import ChatTurn
from model.prompt import TRANSCRIPT_STOPS, TRUNCATION_MARKER, PromptBuilder, end_of_turn_ids

SYSTEM = ChatTurn("system", "You are a warm friend.")


def history(n: int) -> list[ChatTurn]:
    turns = []
    for i in range(n):
        turns.append(ChatTurn("user", f"message number {i} about my day at work and the bus"))
        turns.append(ChatTurn("assistant", f"reply number {i}: that sounds like a long day, tell me more"))
    return turns


def test_everything_fits(smol_tokenizer):
    b = PromptBuilder(smol_tokenizer)
    msgs = [SYSTEM, *history(2), ChatTurn("user", "latest")]
    p = b.build(msgs, 2000)
    text = smol_tokenizer.decode(p.ids)
    assert p.dropped_turns == 0 and not p.truncated
    assert "message number 0" in text and text.rstrip().endswith("<|im_start|>assistant")
    assert "<|im_end|>" in p.stop


def test_oldest_turns_dropped_first_system_and_latest_kept(smol_tokenizer):
    b = PromptBuilder(smol_tokenizer)
    msgs = [SYSTEM, *history(10), ChatTurn("user", "the newest thing I said")]
    full = len(b.build(msgs, 10_000).ids)
    p = b.build(msgs, full // 2)
    text = smol_tokenizer.decode(p.ids)
    assert len(p.ids) <= full // 2
    assert p.dropped_turns > 0 and not p.truncated
    assert "You are a warm friend." in text and "the newest thing I said" in text
    assert "message number 0 " not in text and "message number 9" in text
    # History starts with a user turn, never with a dangling assistant reply.
    first_turn = text.split("<|im_start|>")[2]
    assert first_turn.startswith("user")


EXAMPLES = [
    ChatTurn("user", "EXAMPLE-Q1 how do you talk?", pinned=True),
    ChatTurn("assistant", "EXAMPLE-A1 like this, short and kind", pinned=True),
    ChatTurn("user", "EXAMPLE-Q2 and when I'm sad?", pinned=True),
    ChatTurn("assistant", "EXAMPLE-A2 softer, and I ask what happened", pinned=True),
]


def test_persona_examples_stay_when_history_is_cut(smol_tokenizer):
    """A persona's few-shot examples carry its voice: the history goes before they do."""
    b = PromptBuilder(smol_tokenizer)
    msgs = [SYSTEM, *EXAMPLES, *history(10), ChatTurn("user", "the newest thing I said")]
    full = len(b.build(msgs, 10_000).ids)
    p = b.build(msgs, full // 2)
    text = smol_tokenizer.decode(p.ids)
    assert len(p.ids) <= full // 2 and p.dropped_turns > 0 and not p.truncated
    for tag in ("EXAMPLE-Q1", "EXAMPLE-A1", "EXAMPLE-Q2", "EXAMPLE-A2", "the newest thing I said"):
        assert tag in text
    assert "message number 0 " not in text and "message number 9" in text
    # the examples come right after the system turn, before what is left of the history
    assert text.index("warm friend") < text.index("EXAMPLE-A2") < text.index("message number 9")


def test_persona_examples_go_last_one_first_when_nothing_else_is_left(smol_tokenizer):
    b = PromptBuilder(smol_tokenizer)
    latest = ChatTurn("user", "the newest thing I said")
    one_pair = len(b.build([SYSTEM, *EXAMPLES[:2], latest], 10_000).ids)
    p = b.build([SYSTEM, *EXAMPLES, *history(3), latest], one_pair)
    text = smol_tokenizer.decode(p.ids)
    assert len(p.ids) <= one_pair and not p.truncated
    assert "EXAMPLE-A1" in text and "EXAMPLE-Q2" not in text and "message number" not in text


def test_persona_turns_are_pinned():
    from bot.personas import load_personas

    for persona in load_personas().values():
        turns = persona.prompt_turns()
        assert turns[0].role == "system" and not turns[0].pinned
        assert all(t.pinned for t in turns[1:]) and len(turns) == 1 + 2 * len(persona.examples)


def test_long_single_message_cut_from_the_front(smol_tokenizer):
    b = PromptBuilder(smol_tokenizer)
    long = " ".join(f"word{i}" for i in range(600)) + " THE END"
    p = b.build([SYSTEM, ChatTurn("user", long)], 128)
    text = smol_tokenizer.decode(p.ids)
    assert len(p.ids) <= 128 and p.truncated
    assert TRUNCATION_MARKER.strip() in text and "THE END" in text and "word0 " not in text
    assert "You are a warm friend." in text


def test_plain_transcript_without_template(smol_tokenizer):
    b = PromptBuilder(smol_tokenizer, use_chat_template=False)
    msgs = [
        SYSTEM,
        ChatTurn("user", "hi\nthere"),
        ChatTurn("assistant", "hello!"),
        ChatTurn("user", "how are you?"),
    ]
    p = b.build(msgs, 500)
    text = smol_tokenizer.decode(p.ids)
    assert text == "You are a warm friend.\nYou: hi there\nFriend: hello!\nYou: how are you?\nFriend:"
    assert p.stop == TRANSCRIPT_STOPS


def test_prompt_needs_a_non_system_turn(smol_tokenizer):
    with pytest.raises(ValueError, match="user or assistant"):
        PromptBuilder(smol_tokenizer).build([SYSTEM], 100)


def test_end_of_turn_ids_include_im_end(smol_tokenizer):
    ids = end_of_turn_ids(smol_tokenizer)
    assert smol_tokenizer.convert_tokens_to_ids("<|im_end|>") in ids


def test_a_growing_conversation_keeps_its_trimmed_start_for_several_turns(smol_tokenizer):
    """Trimmed prompts start at an anchor, so consecutive turns share their start (prefix cache)."""
    from bot.types import is_anchor

    b = PromptBuilder(smol_tokenizer)
    turns: list[ChatTurn] = []
    starts, prompts = [], []
    for i in range(40):
        turns += [
            ChatTurn("user", f"here is what happened on day {i}, more or less"),
            ChatTurn("assistant", f"I hear you about day {i}."),
        ]
        p = b.build([SYSTEM, *turns, ChatTurn("user", f"and now day {i + 1}")], 200)
        assert len(p.ids) <= 200
        prompts.append(p)
        starts.append(p.dropped_turns)
    trimmed = [i for i, p in enumerate(prompts) if p.dropped_turns]
    assert len(trimmed) > 20
    # Where a trimmed history starts: an anchor user turn, or (no anchor fits) the first turn that fits.
    changes = sum(1 for a, c in zip(trimmed, trimmed[1:], strict=False) if starts[a] != starts[c])
    # Cutting at the first fit moves the start on every turn; anchors keep it for ~3 turns at a time.
    assert changes <= len(trimmed) * 0.6, (changes, len(trimmed))
    for a, c in zip(trimmed, trimmed[1:], strict=False):
        if starts[a] == starts[c]:
            # same start: the earlier prompt (minus the generation prompt) starts the later one
            ra, rc = prompts[a].ids, prompts[c].ids
            common = next((k for k in range(min(len(ra), len(rc))) if ra[k] != rc[k]), min(len(ra), len(rc)))
            assert common >= len(ra) - 12, "consecutive prompts should share all but their last message"
    anchored = [p for p in prompts if p.dropped_turns]
    assert any(is_anchor(turns[p.dropped_turns].role, turns[p.dropped_turns].content) for p in anchored)
