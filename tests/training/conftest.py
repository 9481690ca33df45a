"""Tiny, self-built models and tokenizers for training tests: nothing is downloaded."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import torch

CHATML = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
SPECIALS = ["<unk>", "<|endoftext|>", "<|im_start|>", "<|im_end|>"]

# Sam writes short, lowercase, with emoji; Alex writes properly. The clone learns Sam.
SAM = [
    "haha yes 😂",
    "omg same",
    "lol ok see u there",
    "nah im good thx 🙏",
    "sounds fun!! 😄",
    "wait what",
    "yess 🎉",
]
ALEX = [
    "Are you coming to the party on Friday?",
    "I finished the report today.",
    "Did you see the game last night?",
    "Shall we get lunch tomorrow?",
    "My sister is visiting this weekend.",
    "The weather is lovely today.",
]


def corpus(n: int = 400, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    lines = [
        "You are Kindred, a warm and encouraging AI friend.",
        "system user assistant You: Friend:",
    ]
    for _ in range(n):
        lines.append(rng.choice(SAM) + " " + rng.choice(ALEX))
    return lines


def build_tokenizer(folder: Path, *, template: bool = True):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=420,
        special_tokens=SPECIALS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(corpus(), trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token="<unk>",
        pad_token="<|endoftext|>",
        eos_token="<|im_end|>" if template else "<|endoftext|>",
    )
    if template:
        fast.chat_template = CHATML
    fast.save_pretrained(folder)
    return fast


def build_model_dir(folder: Path, *, template: bool = True, seed: int = 0) -> Path:
    """A 2-layer Llama (hidden 64) with its tokenizer, saved as a normal model folder."""
    from transformers import LlamaConfig, LlamaForCausalLM

    folder.mkdir(parents=True, exist_ok=True)
    tok = build_tokenizer(folder, template=template)
    torch.manual_seed(seed)
    config = LlamaConfig(
        vocab_size=len(tok),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=512,
        tie_word_embeddings=True,
        eos_token_id=tok.eos_token_id,
        pad_token_id=tok.pad_token_id,
        bos_token_id=None,
    )
    LlamaForCausalLM(config).save_pretrained(folder)
    return folder


def chat_rows(n: int, seed: int = 0) -> list[dict]:
    """Examples in the messages format: Alex talks, Sam answers in Sam's style."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        msgs = [{"role": "system", "content": "You are Kindred, a warm and encouraging AI friend."}]
        for _ in range(rng.randint(1, 2)):
            msgs += [
                {"role": "user", "content": rng.choice(ALEX)},
                {"role": "assistant", "content": rng.choice(SAM)},
            ]
        rows.append({"messages": msgs})
    return rows


def whatsapp_export(path: Path, n_days: int = 40, seed: int = 0) -> Path:
    """An Android WhatsApp chat between Alex and Sam, one short session per day."""
    rng = random.Random(seed)
    lines = [
        "1/1/21, 9:00 AM - Messages and calls are end-to-end encrypted. No one outside of this chat can read them."
    ]
    for day in range(1, n_days + 1):
        month, dom = 1 + (day - 1) // 28, 1 + (day - 1) % 28
        for k in range(3):
            lines.append(f"{month}/{dom}/21, 10:{10 + 2 * k:02d} AM - Alex: {rng.choice(ALEX)}")
            lines.append(f"{month}/{dom}/21, 10:{11 + 2 * k:02d} AM - Sam: {rng.choice(SAM)}")
        if day % 7 == 0:
            lines.append(f"{month}/{dom}/21, 11:00 AM - Sam: <Media omitted>")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _few_threads():
    # The CPU is shared with other test runs; tiny models gain nothing from more threads.
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_model_dir(tmp_path_factory.mktemp("tiny-chatml"))


@pytest.fixture(scope="session")
def tiny_plain_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_model_dir(tmp_path_factory.mktemp("tiny-plain"), template=False)
