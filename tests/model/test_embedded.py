"""The real embedded model, end to end through the engine (slow: loads SmolLM2-135M)."""

from __future__ import annotations

import pytest

from bot.config import EngineSettings
from bot.types import ChatTurn, GenerationRequest, SamplingParams
from model.engine import ReplyEngine

pytestmark = pytest.mark.slow

SYSTEM = ChatTurn("system", "You are a warm, supportive friend. Respond to what the person said.")


def test_embedded_model_loads_with_chat_template(embedded_model):
    assert embedded_model.name == "SmolLM2-135M-Instruct"
    assert embedded_model.has_chat_template
    assert embedded_model.source in {"embedded", "embedded-cache"}
    assert "SmolLM2-135M-Instruct" in embedded_model.describe()


async def test_engine_replies_to_a_real_prompt(embedded_model):
    engine = ReplyEngine(engine_settings=EngineSettings(max_new_tokens=48), loaded=embedded_model)
    async with engine:
        req = GenerationRequest(
            messages=(SYSTEM, ChatTurn("user", "I failed my exam today and feel stupid")),
            sampling=SamplingParams(max_new_tokens=48, temperature=0.7),
            num_candidates=2,
            seed=7,
        )
        gen = await engine.generate(req)
    assert gen.status == "ok", gen.error
    assert len(gen.texts) == 2
    for text in gen.texts:
        words = text.split()
        assert len(words) >= 4, text
        # A real reply, not template debris.
        assert "<|im_" not in text and "assistant\n" not in text
    assert gen.new_tokens > 8
    assert gen.prompt_tokens > 20
    assert "SmolLM2" in engine.describe()


@pytest.mark.parametrize("lite", [True, False])
def test_loading_the_embedded_model_stays_small(embedded_model, lite):
    """Loaded straight in the served dtype: through transformers the load peaked at 1.19 GB (bfloat16)
    when it went through float32 first, ~0.92 GB after; without transformers (what the engine does,
    model/llama_lite.py) it reads the weights into its own memory with no file mapping and no
    transformers import. A fresh process, so the high-water mark is the load's own."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    from tests.model.conftest import model_cache_dir

    code = (
        "import json, torch\n"
        "from bot.config import ModelSettings\n"
        "from model.loader import load_model\n"
        f"m = load_model(ModelSettings(cache_dir={str(model_cache_dir())!r}, threads=1), lite={lite})\n"
        "assert m.lite == " + str(lite) + "\n"
        "hwm = [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "print(json.dumps({'dtype': str(m.dtype), 'hwm_mb': hwm / 1024}))\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["dtype"] == str(embedded_model.dtype)
    # Through transformers: torch + transformers ~400 MB, the weights twice for a moment (the file's
    # pages and the process's own copy, see model.loader._own_memory). Without: torch ~280 MB and the
    # weights once. bfloat16 weights are 270 MB, float32 540 MB.
    if lite:
        limit = 700 if embedded_model.dtype.itemsize == 2 else 960
    else:
        limit = 1050 if embedded_model.dtype.itemsize == 2 else 1600
    assert report["hwm_mb"] < limit, report


def test_the_embedded_model_is_4bit_so_small_decode_steps_use_4bit_copies(embedded_model, tmp_path):
    """The embedded SmolLM2 ships as Q4_1: its layer matrices sit on a 4-bit grid, so ``auto`` serves
    small decode steps from 4-bit copies of the same weights. Teacher-forced on the model-dtype path's
    greedy reply, the 4-bit step picks the same next token nearly everywhere."""
    import torch

    from model.fastpath import FastDecoder, int4_supported

    assert embedded_model.quantization == "auto" and embedded_model.cache_folder is not None
    # the int4 kernel computes right here (in bfloat16: a float32 model's copies run in it too)
    assert int4_supported(torch.bfloat16, embedded_model.device)
    plain = FastDecoder(embedded_model.model)
    q4 = FastDecoder(embedded_model.model, weights="auto", cache_dir=tmp_path)
    assert q4.weights == "int4", q4.weights_note
    assert q4.weights_note == "the weights are 4-bit already"
    tok = embedded_model.tokenizer
    agree = total = 0
    with torch.inference_mode():
        for text in ("I failed my exam today and feel stupid", "my dog died last week", "hi! how are you?"):
            prompt = tok.apply_chat_template(
                [{"role": "user", "content": text}], add_generation_prompt=True, tokenize=False
            )
            ids = tok(prompt, add_special_tokens=False).input_ids
            width = len(ids) + 40
            shape = (1, plain.kv_heads, width, plain.head_dim)
            kv = {
                d: (
                    [torch.zeros(shape, dtype=embedded_model.dtype) for _ in plain.layers],
                    [torch.zeros(shape, dtype=embedded_model.dtype) for _ in plain.layers],
                )
                for d in ("a", "b")
            }
            for d, dec in (("a", plain), ("b", q4)):  # read the prompt token by token
                for p, t in enumerate(ids[:-1]):
                    dec.step(torch.tensor([t]), torch.tensor([p]), *kv[d])
            token, pos = ids[-1], len(ids) - 1
            for _ in range(32):
                a = plain.step(torch.tensor([token]), torch.tensor([pos]), *kv["a"])[0]
                b = q4.step(torch.tensor([token]), torch.tensor([pos]), *kv["b"])[0]
                agree += int(a.argmax() == b.argmax())
                total += 1
                token, pos = int(a.argmax()), pos + 1
    assert agree / total >= 0.9, f"{agree}/{total}"
