"""Assistant-only loss masks, truncation and length-bucketed batches."""

from __future__ import annotations

import pytest
from transformers import AutoTokenizer

from model.training import IGNORE, TrainingError, bucketed_batches, collate, encode_messages, read_jsonl

MSGS = [
    {"role": "system", "content": "You are Kindred, a warm and encouraging AI friend."},
    {"role": "user", "content": "Are you coming to the party on Friday?"},
    {"role": "assistant", "content": "haha yes 😂"},
    {"role": "user", "content": "Shall we get lunch tomorrow?"},
    {"role": "assistant", "content": "nah im good thx 🙏"},
]


def _labelled(tok, enc) -> str:
    return tok.decode([t for t, label in zip(enc.input_ids, enc.labels, strict=True) if label != IGNORE])


def _context(tok, enc) -> str:
    return tok.decode([t for t, label in zip(enc.input_ids, enc.labels, strict=True) if label == IGNORE])


def test_chat_template_mask_covers_exactly_the_assistant_turns(tiny_model_dir):
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    enc = encode_messages(tok, MSGS, max_length=512, use_template=True)
    # The ids are exactly the rendered conversation, so the model sees what the bot will send it.
    assert tok.decode(enc.input_ids) == tok.apply_chat_template(MSGS, tokenize=False)
    # Labels: each reply and its end-of-turn marker (so the model learns to stop), nothing else.
    assert _labelled(tok, enc) == "haha yes 😂<|im_end|>\nnah im good thx 🙏<|im_end|>\n"
    context = _context(tok, enc)
    assert "Are you coming to the party" in context and "Shall we get lunch" in context
    assert context.count("<|im_start|>assistant\n") == 2  # the generation prompt is context, not target
    assert "haha" not in context


def test_loss_on_last_labels_only_the_final_reply(tiny_model_dir):
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    enc = encode_messages(tok, MSGS, max_length=512, use_template=True, loss_on="last")
    assert _labelled(tok, enc) == "nah im good thx 🙏<|im_end|>\n"


def test_transcript_mask_without_a_chat_template(tiny_plain_model_dir):
    tok = AutoTokenizer.from_pretrained(tiny_plain_model_dir)
    assert not tok.chat_template
    enc = encode_messages(tok, MSGS, max_length=512, use_template=False)
    text = tok.decode(enc.input_ids)
    # The same transcript the bot's PromptBuilder writes: "You: ..." / "Friend: ...".
    assert text.startswith("You are Kindred, a warm and encouraging AI friend.\nYou: Are you coming")
    assert "\nFriend: haha yes 😂\nYou: Shall we get lunch tomorrow?\nFriend: nah im good thx 🙏" in text
    assert _labelled(tok, enc) == " haha yes 😂 nah im good thx 🙏<|endoftext|>"
    assert "Friend:" not in _labelled(tok, enc)


def test_too_long_examples_drop_the_oldest_context_but_keep_system_and_reply(tiny_model_dir):
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    long = [MSGS[0]] + [
        m
        for _ in range(6)
        for m in (
            {"role": "user", "content": "Did you see the game last night?"},
            {"role": "assistant", "content": "omg same"},
        )
    ]
    long[-1] = {"role": "assistant", "content": "yess 🎉"}
    full = encode_messages(tok, long, max_length=10_000, use_template=True)
    enc = encode_messages(tok, long, max_length=len(full) // 2, use_template=True)
    assert len(enc) <= len(full) // 2
    assert enc.dropped_turns >= 2
    text = tok.decode(enc.input_ids)
    assert text.startswith("<|im_start|>system\nYou are Kindred")
    assert text.endswith("yess 🎉<|im_end|>\n")
    assert "<|im_start|>system\nYou are Kindred" in text and text.split("<|im_end|>\n")[1].startswith(
        "<|im_start|>user"
    )


def test_examples_must_end_with_an_assistant_turn(tiny_model_dir):
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    with pytest.raises(TrainingError, match="end with an assistant turn"):
        encode_messages(tok, MSGS[:2], max_length=64, use_template=True)
    with pytest.raises(TrainingError, match="role"):
        encode_messages(tok, [{"role": "bot", "content": "x"}], max_length=64, use_template=True)


def test_collate_pads_right_and_masks_padding():
    from model.training import Encoded

    batch = collate([Encoded([5, 6, 7], [IGNORE, 6, 7]), Encoded([8], [8])], pad_id=0)
    assert batch["input_ids"].tolist() == [[5, 6, 7], [8, 0, 0]]
    assert batch["attention_mask"].tolist() == [[1, 1, 1], [1, 0, 0]]
    assert batch["labels"].tolist() == [[IGNORE, 6, 7], [8, IGNORE, IGNORE]]


def test_bucketed_batches_cover_everything_once_and_cut_padding():
    import random

    lengths = [random.Random(i).randint(5, 300) for i in range(1000)]
    batches = bucketed_batches(lengths, 8, seed=1)
    flat = sorted(i for b in batches for i in b)
    assert flat == list(range(1000))

    def padding(bs):
        return sum(max(lengths[i] for i in b) * len(b) - sum(lengths[i] for i in b) for b in bs)

    order = list(range(1000))
    random.Random(1).shuffle(order)
    naive = [order[i : i + 8] for i in range(0, 1000, 8)]
    assert padding(batches) < padding(naive) / 5
    assert bucketed_batches(lengths, 8, seed=1) == batches  # seeded: resumable
    assert bucketed_batches(lengths, 8, seed=2) != batches


def test_read_jsonl_names_the_bad_line(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text('{"messages": []}\n{"messages": [\n', encoding="utf-8")
    with pytest.raises(TrainingError, match=r"x.jsonl line 2"):
        read_jsonl(p)
    p.write_text('{"text": "hi"}\n', encoding="utf-8")
    with pytest.raises(TrainingError, match=r"line 1: expected an object"):
        read_jsonl(p)
