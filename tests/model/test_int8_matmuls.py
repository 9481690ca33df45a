"""Int8 matmuls for big passes (``model.int8_matmuls``): SmoothQuant-smoothed int8 activations x int8
weights for prompt reading and decode steps of many rows, gated by a quality check at start."""

from __future__ import annotations

import asyncio
import dataclasses
import logging

import pytest
import torch
import torch.nn.functional as F

from bot.config import EngineSettings, ModelSettings
from model import fastpath
from model.engine import ReplyEngine
from model.engine_worker import start_int8_matmuls
from model.fastpath import INT8_MATRICES, INT8_MIN_ROWS, FastDecoder, Segment, _SmoothInt8Linear
from model.prompt import PromptBuilder

from .test_engine import TEXTS, req


@pytest.fixture
def int_mm_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Every ``torch._int_mm`` call's (rows, inputs), while the real kernel still runs."""
    calls: list[tuple[int, int]] = []
    real = torch._int_mm

    def counting(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        calls.append((int(a.shape[0]), int(a.shape[1])))
        return real(a, b)

    monkeypatch.setattr(torch, "_int_mm", counting)
    return calls


def _relative_error(got: torch.Tensor, want: torch.Tensor) -> float:
    return float((got - want).norm() / want.norm())


def test_smoothing_keeps_int8_precise_when_one_channel_runs_large(monkeypatch):
    """Activations with one channel 100x the others (as the model's MLP inputs have): one int8 scale
    per row would spend the whole range on that channel; smoothing moves it into the weights."""
    torch.manual_seed(0)
    w = torch.randn(96, 64)
    x = torch.randn(40, 64)
    x[:, 5] *= 100
    want = F.linear(x, w)
    smoothed = _relative_error(_SmoothInt8Linear(w, x.abs().amax(0))(x), want)
    monkeypatch.setattr(fastpath, "SMOOTH_ALPHA", 0.0)  # no smoothing: s = 1 for every channel
    plain = _relative_error(_SmoothInt8Linear(w, x.abs().amax(0))(x), want)
    assert smoothed < 0.02, smoothed
    assert plain > 2 * smoothed, (plain, smoothed)


def test_the_largest_channels_stay_in_float_so_the_rest_keep_their_int8_precision(monkeypatch):
    """Channels far beyond what smoothing absorbs (q/k/v's and down's inputs have some): the
    ``outliers`` largest on the calibration text are multiplied in float, the rest in int8."""
    torch.manual_seed(4)
    w = torch.randn(96, 128)
    x = torch.randn(40, 128)
    x[:, [9, 70]] *= 3000
    want = F.linear(x, w)
    split = _SmoothInt8Linear(w, x.abs().amax(0), outliers=2)
    assert split.picked.tolist() == [9, 70]
    kept = _relative_error(split(x), want)
    whole = _relative_error(_SmoothInt8Linear(w, x.abs().amax(0))(x), want)
    assert kept < 0.01, kept
    assert whole > 3 * kept, (whole, kept)
    # At most one input channel in eight stays in float, however many are asked for.
    assert _SmoothInt8Linear(w, x.abs().amax(0), outliers=100).picked.numel() == 16


def test_each_row_gets_its_own_scale_so_rows_do_not_change_each_other():
    torch.manual_seed(1)
    w, x = torch.randn(48, 32), torch.randn(12, 32)
    lin = _SmoothInt8Linear(w, x.abs().amax(0))
    alone = lin(x[:3])
    x_big = x.clone()
    x_big[3:] *= 1000  # other rows far larger: the first three must not lose precision
    assert torch.equal(lin(x_big)[:3], alone)


def _tiny_ids(loaded) -> tuple[list[int], list[int]]:
    builder = PromptBuilder(loaded.tokenizer, use_chat_template=loaded.has_chat_template)
    from model.calibration import calibration_ids

    return calibration_ids(builder)


def _read(fast: FastDecoder, ids: list[int]) -> torch.Tensor:
    n = len(ids)
    keys = [torch.zeros(fast.kv_heads, n, fast.head_dim) for _ in fast.layers]
    values = [torch.zeros_like(k) for k in keys]
    with torch.inference_mode():
        return fast.forward(torch.tensor(ids), torch.arange(n), keys, values, [Segment(keys, values, 0, n)])


def test_prompt_passes_use_int8_and_stay_close_to_the_model_dtype(tiny_loaded, int_mm_calls):
    calibration, check = _tiny_ids(tiny_loaded)
    fast = FastDecoder(tiny_loaded.model)
    want = _read(fast, check)
    assert fast.use_int8_matmuls(calibration, check, gate=0.0)
    assert fast.int8_matmuls and "on for passes" in fast.int8_note and fast.int8_bytes > 0
    int_mm_calls.clear()
    got = _read(fast, check)
    # q/k/v, attention's output, the MLP's gate/up and down of each layer
    assert len(int_mm_calls) == len(INT8_MATRICES) * len(fast.layers) == 4 * len(fast.layers)
    assert all(rows == len(check) for rows, _ in int_mm_calls)
    assert _relative_error(got, want) < 0.05
    # A decode step of fewer rows than INT8_MIN_ROWS keeps the model dtype.
    int_mm_calls.clear()
    keys = [torch.zeros(2, fast.kv_heads, 8, fast.head_dim) for _ in fast.layers]
    values = [torch.zeros_like(k) for k in keys]
    with torch.inference_mode():
        fast.step(torch.tensor([5, 6]), torch.tensor([0, 0]), keys, values)
    assert int_mm_calls == []
    keys = [torch.zeros(INT8_MIN_ROWS, fast.kv_heads, 8, fast.head_dim) for _ in fast.layers]
    values = [torch.zeros_like(k) for k in keys]
    with torch.inference_mode():
        fast.step(torch.arange(INT8_MIN_ROWS), torch.zeros(INT8_MIN_ROWS, dtype=torch.long), keys, values)
    assert len(int_mm_calls) == 4 * len(fast.layers)


def test_under_the_quality_gate_they_stay_off(tiny_loaded, int_mm_calls):
    calibration, check = _tiny_ids(tiny_loaded)
    fast = FastDecoder(tiny_loaded.model)
    assert not fast.use_int8_matmuls(calibration, check, gate=1.01)  # no agreement can reach 101 %
    assert not fast.int8_matmuls and all(ly.big is None for ly in fast.layers)
    assert "under the 101% gate" in fast.int8_note and "top-1 agreement" in fast.int8_note
    int_mm_calls.clear()
    _read(fast, check)
    assert int_mm_calls == []


def _with(loaded, setting: str):
    return dataclasses.replace(loaded, int8_matmuls=setting)


def test_the_setting_the_probe_and_failures_decide_at_start(tiny_loaded, monkeypatch, caplog):
    import model.engine_worker as worker

    prompts = PromptBuilder(tiny_loaded.tokenizer, use_chat_template=True)
    fast = FastDecoder(tiny_loaded.model)
    start_int8_matmuls(_with(tiny_loaded, "none"), fast, prompts)
    assert not fast.int8_matmuls and fast.int8_note == "off (model.int8_matmuls = none)"

    monkeypatch.setattr(worker, "int8_matmuls_speedup", lambda dtype: 0.8)
    start_int8_matmuls(_with(tiny_loaded, "auto"), fast, prompts)
    assert not fast.int8_matmuls
    assert fast.int8_note == "off (a start-up probe measured them 0.80x as fast as float32 here)"

    monkeypatch.setattr(worker, "int8_matmuls_speedup", lambda dtype: 2.0)
    monkeypatch.setattr(FastDecoder.use_int8_matmuls.__wrapped__, "__defaults__", (0.0,))
    start_int8_matmuls(_with(tiny_loaded, "auto"), fast, prompts)
    assert fast.int8_matmuls and fast.int8_note.endswith("; 2.0x faster matmuls in a start-up probe"), (
        fast.int8_note
    )

    def broken(*args, **kwargs):
        raise RuntimeError("no kernel for this shape")

    monkeypatch.setattr(FastDecoder, "use_int8_matmuls", broken)
    fresh = FastDecoder(tiny_loaded.model)
    with caplog.at_level(logging.WARNING, logger="model.engine_worker"):
        start_int8_matmuls(_with(tiny_loaded, "auto"), fresh, prompts)
    assert not fresh.int8_matmuls and fresh.int8_note == "off (RuntimeError while setting them up)"
    assert "could not be set up (RuntimeError: no kernel for this shape); serving without them" in caplog.text


async def test_an_engine_with_int8_matmuls_on_serves_concurrent_users(tiny_loaded, monkeypatch, int_mm_calls):
    """Set up at start through the real path (the probe's figure and the gate stubbed for a random
    model), then 8 users at once: every reply is served, prompt passes and the 8-row decode steps
    use the int8 matmuls, and the smaller steps at the end do not."""
    import model.engine_worker as worker

    monkeypatch.setattr(worker, "int8_matmuls_speedup", lambda dtype: 2.0)
    monkeypatch.setattr(FastDecoder.use_int8_matmuls.__wrapped__, "__defaults__", (0.0,))
    loaded = _with(tiny_loaded, "auto")
    settings = EngineSettings(max_new_tokens=8, max_batch_size=8, prefix_cache_mb=0)
    async with ReplyEngine(ModelSettings(threads=1), settings, loaded=loaded) as engine:
        fast = engine._decoder.fast
        assert fast.int8_matmuls, fast.int8_note
        assert engine.describe() == "tiny-random-llama (float32, CPU, int8 matmuls for big passes)"
        int_mm_calls.clear()
        texts = [f"{t} ({i})" for i, t in enumerate((TEXTS * 2)[:8])]
        gens = await asyncio.gather(*(engine.generate(req(t)) for t in texts))
    assert [g.status for g in gens] == ["ok"] * 8
    assert int_mm_calls and all(rows >= INT8_MIN_ROWS for rows, _ in int_mm_calls)
    assert fast.int8_bytes == sum(ly.big[n].nbytes for ly in fast.layers for n in INT8_MATRICES)


def test_the_config_setting_is_validated():
    from pydantic import ValidationError

    assert ModelSettings().int8_matmuls == "auto"
    with pytest.raises(ValidationError, match="int8_matmuls"):
        ModelSettings(int8_matmuls="sometimes")


@pytest.mark.slow
def test_the_embedded_model_keeps_the_quality_gate_with_int8_matmuls(embedded_model):
    """The real model: the built-in check conversation keeps >= 95 % top-1 agreement, and so does a
    conversation neither calibration nor the check has seen (positions where float32's top two are
    nearly tied are where the picks can differ)."""
    from model.calibration import calibration_ids

    builder = PromptBuilder(embedded_model.tokenizer, use_chat_template=True)
    calibration, check = calibration_ids(builder)
    fast = FastDecoder(embedded_model.model)
    assert fast.use_int8_matmuls(calibration, check), fast.int8_note
    from bot.types import ChatTurn

    other = builder.build(
        (
            ChatTurn("system", "You are a kind friend who listens."),
            ChatTurn("user", "my cat Miso has been sick all week and the vet bill is 400 dollars"),
            ChatTurn("assistant", "Oh no, poor Miso. That's a lot of worry and a lot of money at once."),
            ChatTurn("user", "yeah. I love her so much but I'm also broke until the 30th. what do I do"),
            ChatTurn("assistant", "Could you ask the vet about a payment plan? Many clinics offer one."),
            ChatTurn("user", "I didn't know that was a thing. I'll call them tomorrow morning, thanks"),
        ),
        4096,
    ).ids
    with torch.inference_mode():
        got = fast._prompt_logits(other).argmax(-1)
        fast.int8_matmuls = False
        want = fast._prompt_logits(other).argmax(-1)
    assert float((got == want).float().mean()) >= 0.93


def test_a_later_start_reads_the_calibration_back_instead_of_three_prompt_passes(
    tiny_loaded, tmp_path, monkeypatch, caplog
):
    calibration, check = _tiny_ids(tiny_loaded)
    first = FastDecoder(tiny_loaded.model)
    assert first.use_int8_matmuls(calibration, check, gate=0.0, cache_dir=tmp_path, cache_key="v1")
    kept = list(tmp_path.glob("kindred-int8-calibration-*.safetensors"))
    assert len(kept) == 1

    passes: list[int] = []
    real = FastDecoder._prompt_logits
    monkeypatch.setattr(
        FastDecoder, "_prompt_logits", lambda self, ids: passes.append(len(ids)) or real(self, ids)
    )
    again = FastDecoder(tiny_loaded.model)
    assert again.use_int8_matmuls(calibration, check, gate=0.0, cache_dir=tmp_path, cache_key="v1")
    assert passes == [] and "kept from an earlier start" in again.int8_note
    for a, b in zip(first.layers, again.layers, strict=True):
        for name in INT8_MATRICES:
            assert torch.equal(a.big[name].q, b.big[name].q) and torch.equal(a.big[name].inv, b.big[name].inv)
    assert torch.equal(_read(first, check), _read(again, check))

    # The kept agreement is judged against the gate of this start: under it, off, still no passes.
    strict = FastDecoder(tiny_loaded.model)
    assert not strict.use_int8_matmuls(calibration, check, gate=1.01, cache_dir=tmp_path, cache_key="v1")
    assert passes == [] and all(ly.big is None for ly in strict.layers)

    # Other weights (a new version of a model folder) or other texts: calibrated again.
    FastDecoder(tiny_loaded.model).use_int8_matmuls(
        calibration, check, gate=0.0, cache_dir=tmp_path, cache_key="v2"
    )
    assert len(passes) == 3
    FastDecoder(tiny_loaded.model).use_int8_matmuls(
        calibration, check[:-1], gate=0.0, cache_dir=tmp_path, cache_key="v2"
    )
    assert len(passes) == 6

    # A damaged file: a warning, calibrated again, and replaced by a good one.
    kept[0].write_bytes(b"not a safetensors file")
    with caplog.at_level(logging.WARNING, logger="model.fastpath"):
        FastDecoder(tiny_loaded.model).use_int8_matmuls(
            calibration, check, gate=0.0, cache_dir=tmp_path, cache_key="v2"
        )
    assert "ignoring the int8 calibration cache" in caplog.text and len(passes) == 9
    FastDecoder(tiny_loaded.model).use_int8_matmuls(
        calibration, check, gate=0.0, cache_dir=tmp_path, cache_key="v2"
    )
    assert len(passes) == 9


def test_texts_too_short_for_a_big_pass_are_refused(tiny_loaded):
    fast = FastDecoder(tiny_loaded.model)
    with pytest.raises(ValueError, match="at least 8 tokens"):
        fast.use_int8_matmuls([1, 2, 3], list(range(20)))
    assert not fast.int8_matmuls


def _covered(loaded) -> FastDecoder:
    """A decoder with 4-bit copies for small passes and the int8 matmuls for big ones."""
    calibration, check = _tiny_ids(loaded)
    fast = FastDecoder(loaded.model, weights="int4")
    assert fast.weights == "int4" and fast.quant_rows == 10
    assert fast.use_int8_matmuls(calibration, check, gate=0.0)
    return fast


def test_with_4bit_and_int8_copies_covering_every_pass_the_float_weights_are_freed(smol_tokenizer):
    from .conftest import make_tiny_loaded

    whole = _covered(make_tiny_loaded(smol_tokenizer))
    loaded = make_tiny_loaded(smol_tokenizer)
    fast = _covered(loaded)
    sizes = sum(getattr(ly, n).numel() * 4 for ly in fast.layers for n in INT8_MATRICES)
    assert fast.release_float_weights() == sizes == fast.released_bytes
    assert all(getattr(ly, n) is None for ly in fast.layers for n in INT8_MATRICES)
    for layer in loaded.model.model.layers:
        attn, mlp = layer.self_attn, layer.mlp
        for module in (
            attn.q_proj,
            attn.k_proj,
            attn.v_proj,
            attn.o_proj,
            mlp.gate_proj,
            mlp.up_proj,
            mlp.down_proj,
        ):
            assert module.weight.numel() == 0
        assert layer.input_layernorm.weight.numel() > 0  # what no copy replaces stays
    assert loaded.model._kindred_released
    _, check = _tiny_ids(loaded)
    # A big pass and a one-row step: the same arithmetic as before (the same copies).
    assert torch.equal(_read(fast, check), _read(whole, check))
    keys = [torch.zeros(1, fast.kv_heads, 8, fast.head_dim) for _ in fast.layers]
    values = [torch.zeros_like(k) for k in keys]
    keys2, values2 = [k.clone() for k in keys], [v.clone() for v in values]
    with torch.inference_mode():
        a = fast.step(torch.tensor([7]), torch.tensor([0]), keys, values)
        b = whole.step(torch.tensor([7]), torch.tensor([0]), keys2, values2)
    assert torch.equal(a, b)
    # A prompt chunk of a few tokens (a short follow-up after the prefix cache) now goes through the
    # 4-bit copies, as the same tokens fed one decode step at a time do (this random model is not on
    # a 4-bit grid, so both differ from float32; the embedded model's copies are its own weights).
    short = check[:5]
    got = _read(fast, short)
    keys = [torch.zeros(1, fast.kv_heads, 8, fast.head_dim) for _ in fast.layers]
    values = [torch.zeros_like(k) for k in keys]
    with torch.inference_mode():
        for pos, token in enumerate(short):
            want = whole.step(torch.tensor([token]), torch.tensor([pos]), keys, values)
    assert _relative_error(got, want) < 0.01
    with pytest.raises(RuntimeError, match="released"):
        fast.use_int8_matmuls(*_tiny_ids(loaded))


def test_the_float_weights_stay_when_some_pass_still_needs_them(tiny_loaded):
    calibration, check = _tiny_ids(tiny_loaded)
    no_int8 = FastDecoder(tiny_loaded.model, weights="int4")
    assert no_int8.release_float_weights() == 0  # big passes would multiply in float32
    no_4bit = FastDecoder(tiny_loaded.model)
    assert no_4bit.use_int8_matmuls(calibration, check, gate=0.0)
    assert no_4bit.release_float_weights() == 0  # small passes would
    fewer = _covered(tiny_loaded)
    fewer.quant_rows = INT8_MIN_ROWS - 2  # e.g. a LoRA persona's copies cover 6 rows: 7 would not
    assert fewer.release_float_weights() == 0
    assert all(ly.o is not None for ly in fewer.layers) and not hasattr(
        tiny_loaded.model, "_kindred_released"
    )


async def test_an_engine_frees_them_only_for_a_model_it_loaded_itself_and_loads_again_to_restart(
    tmp_path, tiny_loaded, monkeypatch
):
    import model.engine_worker as worker

    monkeypatch.setattr(worker, "int8_matmuls_speedup", lambda dtype: 2.0)
    monkeypatch.setattr(FastDecoder.use_int8_matmuls.__wrapped__, "__defaults__", (0.0,))
    folder = tmp_path / "tiny"
    tiny_loaded.model.save_pretrained(folder)
    tiny_loaded.tokenizer.save_pretrained(folder)
    ms = ModelSettings(path=str(folder), cache_dir=tmp_path / "cache", quantization="int4-weight", threads=1)
    settings = EngineSettings(max_new_tokens=8, max_batch_size=8)
    texts = [f"{t} ({i})" for i, t in enumerate((TEXTS * 2)[:8])]

    engine = ReplyEngine(ms, settings)
    for _ in range(2):  # a second start after close() loads the model again
        await engine.start()
        fast = engine._decoder.fast
        assert fast.weights == "int4" and fast.int8_matmuls and fast.released_bytes > 0
        gens = await asyncio.gather(*(engine.generate(req(t)) for t in texts))
        assert [g.status for g in gens] == ["ok"] * 8
        await engine.close()

    given = dataclasses.replace(tiny_loaded, quantization="int4-weight", int8_matmuls="auto")
    async with ReplyEngine(ms, settings, loaded=given) as engine:
        assert engine._decoder.fast.int8_matmuls and engine._decoder.fast.released_bytes == 0
    assert not hasattr(tiny_loaded.model, "_kindred_released")


@pytest.mark.slow
def test_the_embedded_model_serves_in_less_memory_with_the_float_weights_freed():
    """A bot that loads the embedded model itself frees the float32 copies of attention's output and
    the MLP's gate/up (~250 MB) once the 4-bit and int8 copies cover every pass: measured in a fresh
    process after start, with and without the int8 matmuls (without them nothing is freed)."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    from tests.model.conftest import model_cache_dir

    code = (
        "import asyncio, json, sys\n"
        "from bot.config import EngineSettings, ModelSettings\n"
        "from bot.types import ChatTurn, GenerationRequest, SamplingParams\n"
        "from model.engine import ReplyEngine\n"
        "import model.engine_worker as worker\n"
        "# the speed probes are tested elsewhere; a busy moment must not turn the copies off here\n"
        "worker.low_bit_is_faster = lambda *a, **k: True\n"
        "worker.int8_matmuls_speedup = lambda *a, **k: 2.0\n"
        "async def main():\n"
        f"    ms = ModelSettings(cache_dir={str(model_cache_dir())!r}, threads=2, int8_matmuls=sys.argv[1])\n"
        "    async with ReplyEngine(ms, EngineSettings(max_new_tokens=16)) as e:\n"
        "        msgs = (ChatTurn('system', 'You are kind.'), ChatTurn('user', 'my exam went badly ' * 20))\n"
        "        req = GenerationRequest(messages=msgs, sampling=SamplingParams(max_new_tokens=16, temperature=0))\n"
        "        gen = await e.generate(req)\n"
        "        rss = [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmRSS')][0]\n"
        "        fast = e._decoder.fast\n"
        "        print(json.dumps({'status': gen.status, 'text': gen.texts[0] if gen.texts else '', 'rss_mb': rss / 1024,\n"
        "                          'freed': fast.released_bytes, 'int8': fast.int8_matmuls}))\n"
        "asyncio.run(main())\n"
    )
    root = Path(__file__).resolve().parents[2]
    reports = {}
    for setting in ("auto", "none"):
        out = subprocess.run(
            [sys.executable, "-c", code, setting],
            capture_output=True,
            text=True,
            cwd=root,
            env={**os.environ, "PYTHONPATH": str(root)},
            timeout=300,
        )
        assert out.returncode == 0, out.stderr[-2000:]
        reports[setting] = json.loads(out.stdout.strip().splitlines()[-1])
    on, off = reports["auto"], reports["none"]
    assert on["status"] == off["status"] == "ok" and len(on["text"].split()) >= 3
    assert on["int8"] and on["freed"] > 200e6 and off["freed"] == 0, (reports, out.stderr[-3000:])
    assert off["rss_mb"] - on["rss_mb"] > 120, reports
