"""The fused decode step (model/fastpath.py) against transformers' own Llama forward pass."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest
import torch
from transformers import DynamicCache

from bot.config import EngineSettings, ModelSettings
from model.engine import ReplyEngine
from model.fastpath import (
    INT8_MAX_ROWS,
    QUANT_MAX_ROWS,
    FastDecoder,
    OffGrid,
    _Int4Linear,
    unsupported_reason,
)

from .test_engine import TEXTS, req


def _prefill_into_slots(model, prompts: list[list[int]], width: int, garbage: bool = True):
    """Prefill each prompt with transformers, copy its keys/values into slot buffers like the engine.

    Positions past each prompt are filled with large random values, as stale slots hold old keys:
    the decode step must mask them out."""
    cfg = model.config
    heads = cfg.num_attention_heads
    kvh = cfg.num_key_value_heads
    d = cfg.hidden_size // heads
    n = len(prompts)
    make = (
        (lambda: torch.randn(n, kvh, width, d) * 50) if garbage else (lambda: torch.zeros(n, kvh, width, d))
    )
    keys = [make().to(model.dtype) for _ in range(cfg.num_hidden_layers)]
    values = [make().to(model.dtype) for _ in range(cfg.num_hidden_layers)]
    caches, first = [], []
    with torch.no_grad():
        for i, ids in enumerate(prompts):
            cache = DynamicCache(config=cfg)
            out = model(input_ids=torch.tensor([ids]), past_key_values=cache, use_cache=True)
            for li, layer in enumerate(cache.layers):
                keys[li][i, :, : len(ids)] = layer.keys[0]
                values[li][i, :, : len(ids)] = layer.values[0]
            caches.append(cache)
            first.append(int(out.logits[0, -1].argmax()))
    return keys, values, caches, first


def _reference_next_logits(model, caches, first) -> torch.Tensor:
    with torch.no_grad():
        rows = [
            model(input_ids=torch.tensor([[t]]), past_key_values=c, use_cache=True).logits[0, -1]
            for c, t in zip(caches, first, strict=True)
        ]
    return torch.stack(rows).float()


def test_fast_step_equals_transformers_forward_for_rows_of_different_lengths(tiny_loaded):
    model = tiny_loaded.model
    assert unsupported_reason(model) is None
    torch.manual_seed(1)
    prompts = [torch.randint(5, 1000, (n,)).tolist() for n in (3, 17, 40, 9)]
    keys, values, caches, first = _prefill_into_slots(model, prompts, width=64)
    fast = FastDecoder(model)
    got = fast.step(torch.tensor(first), torch.tensor([len(p) for p in prompts]), keys, values).float()
    want = _reference_next_logits(model, caches, first)
    torch.testing.assert_close(got, want, atol=2e-4, rtol=1e-4)
    # the step wrote each row's new key at its own position, exactly as transformers' cache holds it
    for li, layer in enumerate(caches[1].layers):
        torch.testing.assert_close(keys[li][1, :, 17], layer.keys[0, :, 17])


def test_several_rows_read_no_further_than_the_furthest_row(tiny_loaded):
    """A step of several rows reads the slot buffers only up to the furthest row's position (the
    buffers run longer: rounded up, or left by a longer conversation): positions past it are never
    touched, so NaN there changes nothing, and each row still matches transformers."""
    model = tiny_loaded.model
    torch.manual_seed(5)
    prompts = [torch.randint(5, 1000, (n,)).tolist() for n in (3, 17, 30, 9)]
    keys, values, caches, first = _prefill_into_slots(model, prompts, width=64)
    for buf in (*keys, *values):
        buf[:, :, 31:] = float("nan")  # the furthest row writes position 30
    got = FastDecoder(model).step(torch.tensor(first), torch.tensor([len(p) for p in prompts]), keys, values)
    torch.testing.assert_close(
        got.float(), _reference_next_logits(model, caches, first), atol=2e-4, rtol=1e-4
    )


@pytest.mark.parametrize("length", [3, 40, 63])
def test_a_row_alone_attends_to_its_own_positions_only(tiny_loaded, length):
    """One row alone reads only its own positions of the slot (the rest of the buffer holds garbage,
    as a slot left by a longer conversation does): the same logits as transformers."""
    model = tiny_loaded.model
    torch.manual_seed(length)
    prompt = torch.randint(5, 1000, (length,)).tolist()
    keys, values, caches, first = _prefill_into_slots(model, [prompt], width=64)
    got = FastDecoder(model).step(torch.tensor(first), torch.tensor([length]), keys, values).float()
    torch.testing.assert_close(got, _reference_next_logits(model, caches, first), atol=2e-4, rtol=1e-4)
    for li, layer in enumerate(caches[0].layers):
        torch.testing.assert_close(keys[li][0, :, length], layer.keys[0, :, length])


def test_fusing_keeps_the_model_itself_unchanged(tiny_loaded):
    model = tiny_loaded.model
    ids = torch.tensor([[5, 6, 7, 8, 9]])
    with torch.no_grad():
        before = model(input_ids=ids).logits
        FastDecoder(model)
        FastDecoder(model)  # twice on one model: fused once, still the same weights
        after = model(input_ids=ids).logits
    torch.testing.assert_close(before, after)
    attn = model.model.layers[0].self_attn
    # q/k/v are views into one fused matrix: no second copy of the weights
    assert attn.q_proj.weight.untyped_storage().data_ptr() == attn.v_proj.weight.untyped_storage().data_ptr()


def _stepper(model, n: int, seed: int):
    """``run(decoder, rows)``: one decode step of the first ``rows`` of ``n`` prefilled random prompts
    (fresh copies of their keys/values each time), float32 logits."""
    torch.manual_seed(seed)
    prompts = [torch.randint(5, 1000, (int(k),)).tolist() for k in torch.randint(4, 30, (n,))]
    keys, values, _, first = _prefill_into_slots(model, prompts, width=48, garbage=False)
    pos = torch.tensor([len(p) for p in prompts])
    toks = torch.tensor(first)

    def run(dec, rows):
        ks = [k[:rows].clone() for k in keys]
        vs = [v[:rows].clone() for v in values]
        return dec.step(toks[:rows], pos[:rows], ks, vs).float()

    return run


def test_int8_weights_are_used_for_small_steps_only_and_stay_close(tiny_loaded):
    bf = dataclasses.replace(tiny_loaded, model=tiny_loaded.model.to(torch.bfloat16), dtype=torch.bfloat16)
    model = bf.model
    n = INT8_MAX_ROWS + 2
    run = _stepper(model, n, seed=2)
    plain, q8 = FastDecoder(model), FastDecoder(model, weights="int8")
    assert q8.quant_bytes > 0 and q8.weights == "int8" and q8.quant_rows == INT8_MAX_ROWS
    small_plain, small_q8 = run(plain, 2), run(q8, 2)
    assert not torch.equal(small_plain, small_q8), "a 2-row step should use the int8 weights"
    assert torch.nn.functional.cosine_similarity(small_plain, small_q8, dim=-1).min() > 0.99
    torch.testing.assert_close(run(plain, n), run(q8, n))  # a big step keeps the model dtype


async def test_engine_replies_are_the_same_with_and_without_the_fast_path(tiny_loaded):
    results = {}
    for fast in (True, False):
        es = EngineSettings(max_new_tokens=64, fast_decode=fast)
        async with ReplyEngine(ModelSettings(threads=1), es, loaded=tiny_loaded) as engine:
            assert (engine._decoder.fast is not None) == fast
            results[fast] = [g.texts for g in await asyncio.gather(*(engine.generate(req(t)) for t in TEXTS))]
            assert engine.stats["steps"] > 0
    assert results[True] == results[False]


async def test_models_the_fast_path_does_not_know_fall_back_to_transformers(smol_tokenizer):
    from transformers import GPT2Config, GPT2LMHeadModel

    from model.loader import LoadedModel

    torch.manual_seed(0)
    cfg = GPT2Config(vocab_size=len(smol_tokenizer), n_embd=32, n_layer=2, n_head=2, n_positions=1024)
    model = GPT2LMHeadModel(cfg).eval()
    assert "gpt2" in (unsupported_reason(model) or "")
    loaded = LoadedModel(
        model=model,
        tokenizer=smol_tokenizer,
        name="tiny-gpt2",
        source="test",
        dtype=torch.float32,
        device=torch.device("cpu"),
        has_chat_template=False,
    )
    async with ReplyEngine(
        ModelSettings(threads=1), EngineSettings(max_new_tokens=8), loaded=loaded
    ) as engine:
        assert engine._decoder.fast is None
        assert "gpt2" in engine._decoder.fast_note
        gens = await asyncio.gather(*(engine.generate(req(t)) for t in TEXTS[:3]))
    assert all(g.status == "ok" for g in gens)
    assert engine.stats["steps"] > 0


def test_quantization_setting_reaches_the_engine(tiny_loaded, caplog):
    from model.engine_worker import BatchDecoder

    stats = {"steps": 0, "tokens": 0, "requests": 0}
    # float16: torch's low-bit kernels are slow with float16 activations, so none, with a warning
    half = dataclasses.replace(tiny_loaded, model=tiny_loaded.model.to(torch.float16), dtype=torch.float16)
    with caplog.at_level("WARNING"):
        dec = BatchDecoder(dataclasses.replace(half, quantization="int8-weight"), EngineSettings(), stats)
    assert dec.fast is not None and dec.fast.weights == "none"
    assert "only fast with bfloat16 on a CPU" in caplog.text
    bf = dataclasses.replace(tiny_loaded, model=tiny_loaded.model.to(torch.bfloat16), dtype=torch.bfloat16)
    dec = BatchDecoder(dataclasses.replace(bf, quantization="int8-weight"), EngineSettings(), stats)
    assert dec.fast is not None and dec.fast.quant_bytes > 0
    assert "int8" in dec.fast_note
    # auto on random weights: not 4-bit, so no low-bit copies, and the log says why
    dec = BatchDecoder(dataclasses.replace(bf, quantization="auto"), EngineSettings(), stats)
    assert dec.fast is not None and dec.fast.weights == "none" and dec.fast.quant_bytes == 0
    assert "not 4-bit" in dec.fast_note


def test_low_bit_weights_are_not_used_where_the_start_up_probe_finds_them_slower(
    tiny_loaded, monkeypatch, caplog
):
    from model import engine_worker
    from model.engine_worker import fast_weights

    bf = dataclasses.replace(tiny_loaded, model=tiny_loaded.model.to(torch.bfloat16), dtype=torch.bfloat16)
    asked = []
    monkeypatch.setattr(engine_worker, "low_bit_is_faster", lambda kind, dtype: asked.append(kind) or False)
    with caplog.at_level("WARNING"):
        assert fast_weights(dataclasses.replace(bf, quantization="int8-weight")) == "none"
    assert "slower than" in caplog.text
    assert fast_weights(dataclasses.replace(bf, quantization="int4-weight")) == "none"
    assert fast_weights(dataclasses.replace(bf, quantization="auto")) == "none"
    assert asked == ["int8", "int4", "int4"]
    monkeypatch.setattr(engine_worker, "low_bit_is_faster", lambda kind, dtype: True)
    assert fast_weights(dataclasses.replace(bf, quantization="int4-weight")) == "int4"


@pytest.mark.parametrize("bad", ["mlp_bias"])
def test_unsupported_reason_names_the_problem(tiny_loaded, bad):
    cfg = tiny_loaded.model.config
    setattr(cfg, bad, True)
    try:
        assert "bias" in (unsupported_reason(tiny_loaded.model) or "")
    finally:
        setattr(cfg, bad, False)


@pytest.mark.parametrize("attention", ["matmul", "sdpa"])
def test_a_prompt_read_in_chunks_alongside_decode_rows_equals_transformers(
    tiny_loaded, monkeypatch, attention
):
    """forward() with segments: a prompt read in three chunks, the first sharing its pass with two
    decode rows, ends with the logits and keys/values transformers computes in one go. Both ways a
    chunk can attend (grouped matmuls for short chunks, torch's sdpa kernel for long ones)."""
    import torch.nn.functional as F

    import model.fastpath as fastpath
    from model.fastpath import Segment, sdpa_gqa_supported

    calls = []
    real_sdpa = F.scaled_dot_product_attention

    def counting_sdpa(*a, **kw):
        calls.append(1)
        return real_sdpa(*a, **kw)

    if attention == "sdpa":
        assert sdpa_gqa_supported()  # torch 2.13 has it; the engine falls back to matmuls without it
        monkeypatch.setattr(fastpath, "SDPA_MIN_QUERIES", 1)
        monkeypatch.setattr(fastpath, "SDPA_MIN_QUERIES_FLOAT32", 1)
    monkeypatch.setattr(F, "scaled_dot_product_attention", counting_sdpa)

    model = tiny_loaded.model
    cfg = model.config
    torch.manual_seed(3)
    rows = [torch.randint(5, 1000, (n,)).tolist() for n in (6, 21)]
    keys, values, caches, first = _prefill_into_slots(model, rows, width=48)
    prompt = torch.randint(5, 1000, (50,)).tolist()
    kvh, d = cfg.num_key_value_heads, cfg.hidden_size // cfg.num_attention_heads
    sk = [torch.full((kvh, 50, d), float("nan")) for _ in range(cfg.num_hidden_layers)]
    sv = [torch.full((kvh, 50, d), float("nan")) for _ in range(cfg.num_hidden_layers)]
    fast = FastDecoder(model)
    pos = [len(r) for r in rows]
    out = fast.forward(
        torch.tensor(first + prompt[:20]),
        torch.tensor(pos + list(range(20))),
        keys,
        values,
        [Segment(sk, sv, 0, 20)],
    )
    assert out.shape[0] == 3  # two decode rows + the chunk's last token
    torch.testing.assert_close(
        out[:2].float(), _reference_next_logits(model, caches, first), atol=2e-4, rtol=1e-4
    )
    calls.clear()  # the reference above ran transformers (which uses sdpa itself)
    fast.forward(torch.tensor(prompt[20:35]), torch.arange(20, 35), keys, values, [Segment(sk, sv, 20, 15)])
    last = fast.forward(
        torch.tensor(prompt[35:]), torch.arange(35, 50), keys, values, [Segment(sk, sv, 35, 15)]
    )
    assert (len(calls) > 0) == (attention == "sdpa")
    monkeypatch.setattr(F, "scaled_dot_product_attention", real_sdpa)
    with torch.no_grad():
        cache = DynamicCache(config=cfg)
        ref = model(input_ids=torch.tensor([prompt]), past_key_values=cache, use_cache=True).logits[0, -1]
    torch.testing.assert_close(last[0].float(), ref.float(), atol=2e-4, rtol=1e-4)
    for li, layer in enumerate(cache.layers):
        torch.testing.assert_close(sk[li], layer.keys[0], atol=1e-5, rtol=1e-5)
        torch.testing.assert_close(sv[li], layer.values[0], atol=1e-5, rtol=1e-5)


# --------------------------------------------------------------------------- 4-bit weights


def _snap_to_4bit_grid(model) -> None:
    """Put every layer matrix on a Q4_1-style grid (groups of 32 inputs: min + step * q, q in 0..15),
    as the embedded model's weights are."""
    with torch.no_grad():
        for layer in model.model.layers:
            for lin in (
                *(getattr(layer.self_attn, n) for n in ("q_proj", "k_proj", "v_proj", "o_proj")),
                *(getattr(layer.mlp, n) for n in ("gate_proj", "up_proj", "down_proj")),
            ):
                w = lin.weight.float()
                n, k = w.shape
                g = w.view(n, k // 32, 32)
                low = g.amin(-1, keepdim=True)
                step = (g.amax(-1, keepdim=True) - low) / 15
                q = torch.round((g - low) / step)
                lin.weight.copy_((low + q * step).view(n, k).to(lin.weight.dtype))


@pytest.fixture
def grid_loaded(smol_tokenizer):
    from tests.model.conftest import make_tiny_loaded

    loaded = make_tiny_loaded(smol_tokenizer, seed=3)
    _snap_to_4bit_grid(loaded.model)
    return loaded


def test_4bit_copy_of_a_matrix_on_the_grid_computes_the_same_product():
    torch.manual_seed(0)
    w = torch.randn(48, 96)
    g = w.view(48, 3, 32)
    low, step = g.amin(-1, keepdim=True), (g.amax(-1, keepdim=True) - g.amin(-1, keepdim=True)) / 15
    on_grid = (low + torch.round((g - low) / step) * step).view(48, 96)
    x = torch.randn(5, 96)
    lin = _Int4Linear(on_grid, check_grid=True)
    torch.testing.assert_close(lin(x), torch.nn.functional.linear(x, on_grid), rtol=1e-4, atol=1e-4)
    assert lin.nbytes < on_grid.numel()  # half a byte a weight plus the scales (float32 here: 4 + 4 per 32)
    with pytest.raises(OffGrid, match="off a 4-bit grid"):
        _Int4Linear(w, check_grid=True)  # random weights are half a step off on average
    with pytest.raises(OffGrid, match="multiple of 32"):
        _Int4Linear(torch.randn(8, 40))


def test_auto_uses_4bit_weights_only_for_a_model_on_the_grid(tiny_loaded, grid_loaded):
    assert FastDecoder(tiny_loaded.model, weights="auto").weights == "none"
    dec = FastDecoder(grid_loaded.model, weights="auto")
    assert dec.weights == "int4" and dec.quant_rows == QUANT_MAX_ROWS["int4"]
    assert dec.lm_head_low is not None  # the output layer (not on the grid): an int8 copy
    forced = FastDecoder(tiny_loaded.model, weights="int4")  # asked for: used even off the grid
    assert forced.weights == "int4" and forced.lm_head_low is not None and forced.quant_bytes > 0


def test_4bit_steps_match_the_model_dtype_on_a_grid_model_and_big_steps_keep_it(grid_loaded):
    bf = grid_loaded.model.to(torch.bfloat16)
    n = QUANT_MAX_ROWS["int4"] + 1
    run = _stepper(bf, n, seed=4)
    plain, q4 = FastDecoder(bf), FastDecoder(bf, weights="auto")
    assert q4.weights == "int4"
    small_plain, small_q4 = run(plain, 3), run(q4, 3)
    assert not torch.equal(small_plain, small_q4), "a 3-row step should use the 4-bit weights"
    # same weights, other kernel: only rounding differs (bfloat16 scales), so the same top tokens
    assert torch.nn.functional.cosine_similarity(small_plain, small_q4, dim=-1).min() > 0.999
    assert torch.equal(small_plain.argmax(-1), small_q4.argmax(-1))
    torch.testing.assert_close(run(plain, n), run(q4, n))  # one row too many: the model dtype


@pytest.mark.parametrize("faster", [True, False])
async def test_engine_serves_a_4bit_model_with_4bit_copies_where_the_probe_finds_them_faster(
    grid_loaded, monkeypatch, faster
):
    """bfloat16 and float32 models alike (a float32 model's copies compute in bfloat16: on a CPU
    without native bfloat16 that made a one-row step of the embedded model 2x faster); where the
    start-up probe finds the kernel slower, neither gets copies."""
    from model import engine_worker

    monkeypatch.setattr(engine_worker, "low_bit_is_faster", lambda kind, dtype: faster)
    for dtype in (torch.bfloat16, torch.float32):
        loaded = dataclasses.replace(
            grid_loaded, model=grid_loaded.model.to(dtype), dtype=dtype, quantization="auto"
        )
        async with ReplyEngine(
            ModelSettings(threads=1), EngineSettings(max_new_tokens=24), loaded=loaded
        ) as engine:
            fast = engine._decoder.fast
            assert (fast.weights == "int4") == faster
            assert ("int4 weights" in engine.describe()) == faster
            assert fast.low_dtype == torch.bfloat16
            gens = await asyncio.gather(*(engine.generate(req(t)) for t in TEXTS))
        assert all(g.status == "ok" and g.new_tokens > 0 for g in gens)


def test_4bit_steps_of_a_float32_model_compute_in_bfloat16_and_match_it(grid_loaded):
    model = grid_loaded.model  # float32
    n = QUANT_MAX_ROWS["int4"] + 1
    run = _stepper(model, n, seed=5)
    plain, q4 = FastDecoder(model), FastDecoder(model, weights="auto")
    assert q4.weights == "int4" and q4.low_dtype == torch.bfloat16
    assert q4.layers[0].low["gu"].scale_zero.dtype == torch.bfloat16
    assert q4.lm_head_low.scale.dtype == torch.bfloat16
    small_plain, small_q4 = run(plain, 3), run(q4, 3)
    assert not torch.equal(small_plain, small_q4), "a 3-row step should use the 4-bit weights"
    assert torch.nn.functional.cosine_similarity(small_plain, small_q4, dim=-1).min() > 0.995
    assert torch.equal(small_plain.argmax(-1), small_q4.argmax(-1))
    torch.testing.assert_close(run(plain, n), run(q4, n))  # one row too many: float32 throughout


def test_4bit_copies_are_kept_in_the_model_cache_and_reused(grid_loaded, tiny_loaded, tmp_path, caplog):
    from model import fastpath

    first = FastDecoder(grid_loaded.model, weights="auto", cache_dir=tmp_path)
    files = list(tmp_path.glob("kindred-int4-*.safetensors"))
    assert first.weights == "int4" and len(files) == 1
    # a later start reads them instead of computing them: same tensors, one matrix quantized
    calls = []
    real = fastpath._Int4Linear.__init__

    def counting(self, *a, **kw):
        calls.append(1)
        real(self, *a, **kw)

    fastpath._Int4Linear.__init__ = counting
    try:
        again = FastDecoder(grid_loaded.model, weights="auto", cache_dir=tmp_path)
    finally:
        fastpath._Int4Linear.__init__ = real
    assert len(calls) == 1 and again.weights == "int4"  # one matrix packed again to check the layout
    for a, b in zip(first.layers, again.layers, strict=True):
        for n in ("qkv", "o", "gu", "down"):
            assert torch.equal(a.low[n].packed, b.low[n].packed)
            assert torch.equal(a.low[n].scale_zero, b.low[n].scale_zero)
    # a damaged file is ignored (and rewritten), never fatal
    files[0].write_bytes(b"not a safetensors file")
    with caplog.at_level("WARNING"):
        third = FastDecoder(grid_loaded.model, weights="auto", cache_dir=tmp_path)
    assert third.weights == "int4" and "ignoring the 4-bit weight cache" in caplog.text
    assert FastDecoder(grid_loaded.model, weights="auto", cache_dir=tmp_path).weights == "int4"
    # an off-grid model's folder remembers that; asking for int4 explicitly still computes them
    other = tmp_path / "other"
    other.mkdir()
    assert FastDecoder(tiny_loaded.model, weights="auto", cache_dir=other).weights == "none"
    assert "remembered" in FastDecoder(tiny_loaded.model, weights="auto", cache_dir=other).weights_note
    assert FastDecoder(tiny_loaded.model, weights="int4", cache_dir=other).weights == "int4"
    # a read-only cache folder costs only time
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        assert FastDecoder(grid_loaded.model, weights="auto", cache_dir=ro).weights == "int4"
    finally:
        ro.chmod(0o700)


def test_4bit_copies_cached_by_another_machine_are_not_trusted(grid_loaded, tmp_path, caplog):
    """A cache folder shared between machines may hold copies packed differently (torch's layout is
    its own): one matrix is packed again and compared, and a difference recomputes them all."""
    from safetensors.torch import load_file, save_file

    first = FastDecoder(grid_loaded.model, weights="auto", cache_dir=tmp_path)
    (path,) = tmp_path.glob("kindred-int4-*.safetensors")
    tensors = load_file(str(path))
    from safetensors import safe_open

    with safe_open(str(path), framework="pt") as f:
        meta = f.metadata()
    tensors["0.o.packed"] = torch.flip(tensors["0.o.packed"], dims=[0]).contiguous()  # another layout
    save_file(tensors, str(path), metadata=meta)
    with caplog.at_level("WARNING"):
        again = FastDecoder(grid_loaded.model, weights="auto", cache_dir=tmp_path)
    assert "do not match this machine's packing" in caplog.text
    assert torch.equal(again.layers[0].low["o"].packed, first.layers[0].low["o"].packed)
    # and the file was rewritten with this machine's packing
    assert torch.equal(load_file(str(path))["0.o.packed"], first.layers[0].low["o"].packed)


def test_the_support_checks_reject_a_kernel_that_computes_the_wrong_thing(monkeypatch):
    from model import fastpath

    cpu = torch.device("cpu")
    assert fastpath.int4_supported(torch.bfloat16, cpu) and fastpath.int8_supported(torch.bfloat16, cpu)
    monkeypatch.setattr(
        fastpath._Int4Linear, "__call__", lambda self, x: torch.zeros(x.shape[0], 16, dtype=x.dtype)
    )
    monkeypatch.setattr(
        fastpath._Int8Linear, "__call__", lambda self, x: 2 * torch.ones(x.shape[0], 8, dtype=x.dtype)
    )
    assert not fastpath.int4_supported(torch.bfloat16, cpu)
    assert not fastpath.int8_supported(torch.bfloat16, cpu)
    assert not fastpath.int4_supported(torch.bfloat16, torch.device("cuda"))  # CPU kernels only


# --------------------------------------------------------------------------- LoRA personas on 4-bit bases


def _lora_persona(grid_loaded, folder, *, seed: int, rank: int = 4):
    """``grid_loaded``'s model (on the 4-bit grid) with a LoRA adapter on every projection whose B is
    random (peft starts it at zero), the adapter saved in ``folder``; returns the merged model."""
    import copy

    from peft import LoraConfig, get_peft_model

    base = copy.deepcopy(grid_loaded.model)
    targets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
    peft_model = get_peft_model(base, LoraConfig(r=rank, lora_alpha=2 * rank, target_modules=targets))
    torch.manual_seed(seed)
    with torch.no_grad():
        for name, p in peft_model.named_parameters():
            if "lora_B" in name:
                p.normal_(0, 0.05)
    peft_model.save_pretrained(folder)
    return peft_model.merge_and_unload().eval()


def test_lora_persona_of_a_4bit_base_decodes_on_the_base_copies_plus_the_adapter(
    grid_loaded, tmp_path, caplog
):
    merged = _lora_persona(grid_loaded, tmp_path / "adapter", seed=1).to(torch.bfloat16)
    # merged weights are off the grid: without the adapter, auto keeps the model dtype
    alone = FastDecoder(merged, weights="auto")
    assert alone.weights == "none"
    dec = FastDecoder(merged, weights="auto", adapter_dir=tmp_path / "adapter")
    from model.fastpath import LORA_MAX_ROWS

    assert dec.weights == "int4" and "LoRA adapter (rank 4)" in dec.weights_note
    assert dec.quant_rows == LORA_MAX_ROWS and dec.adapter_rank == 4
    n = LORA_MAX_ROWS + 1
    run = _stepper(merged, n, seed=5)
    plain_small, lora_small = run(alone, 3), run(dec, 3)
    assert not torch.equal(plain_small, lora_small), "a 3-row step should use the 4-bit base + adapter"
    # the same weights taken apart: only rounding differs (bfloat16 merged weights against the 4-bit
    # base with its scales in bfloat16 plus the update in float32)
    assert torch.nn.functional.cosine_similarity(plain_small, lora_small, dim=-1).min() > 0.995
    torch.testing.assert_close(run(alone, n), run(dec, n))  # a big step keeps the merged weights
    # without the adapter's update the 4-bit copies would be the base model: clearly other logits
    base_only = FastDecoder(grid_loaded.model.to(torch.bfloat16), weights="auto")
    assert torch.nn.functional.cosine_similarity(run(base_only, 3), lora_small, dim=-1).min() < 0.99


def test_an_adapter_that_does_not_belong_to_the_weights_is_not_used(grid_loaded, tmp_path, caplog):
    merged = _lora_persona(grid_loaded, tmp_path / "mine", seed=1).to(torch.bfloat16)
    _lora_persona(grid_loaded, tmp_path / "other", seed=2)  # the same base, another adapter
    dec = FastDecoder(merged, weights="auto", adapter_dir=tmp_path / "other")
    assert dec.weights == "none" and "minus the LoRA adapter are not 4-bit" in dec.weights_note
    # a broken adapter folder: a warning that says why, and the merged weights are served
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "adapter_config.json").write_text("{not json", encoding="utf-8")
    with caplog.at_level("WARNING", logger="model.fastpath"):
        dec = FastDecoder(merged, weights="auto", adapter_dir=broken)
    assert dec.weights == "none"
    assert "not using the LoRA adapter" in caplog.text and "adapter_config.json" in caplog.text


def test_read_adapter_rejects_what_it_cannot_serve(grid_loaded, tmp_path):
    import json

    from model.lora_delta import AdapterError, read_adapter

    _lora_persona(grid_loaded, tmp_path / "a", seed=1)
    deltas, rank = read_adapter(tmp_path / "a", grid_loaded.model)
    assert rank == 4 and set(deltas) == {(li, n) for li in range(2) for n in ("qkv", "o", "gu", "down")}
    qkv = deltas[(0, "qkv")]
    attn = grid_loaded.model.model.layers[0].self_attn
    out = sum(getattr(attn, p).weight.shape[0] for p in ("q_proj", "k_proj", "v_proj"))
    assert qkv.a.shape == (12, attn.q_proj.weight.shape[1]) and qkv.b.shape == (out, 12)
    cfg_path = tmp_path / "a" / "adapter_config.json"
    cfg = json.loads(cfg_path.read_text())
    for change, message in (
        ({"use_dora": True}, "DoRA"),
        ({"rank_pattern": {"q_proj": 8}}, "per-module ranks"),
        ({"r": 0}, "at least 1"),
        ({"peft_type": "IA3"}, "not describe a LoRA adapter"),
    ):
        cfg_path.write_text(json.dumps({**cfg, **change}))
        with pytest.raises(AdapterError, match=message):
            read_adapter(tmp_path / "a", grid_loaded.model)
    cfg_path.write_text(json.dumps(cfg))
    (tmp_path / "a" / "adapter_model.safetensors").write_bytes(b"garbage")
    with pytest.raises(AdapterError, match="cannot read"):
        read_adapter(tmp_path / "a", grid_loaded.model)


def test_the_low_bit_probe_is_not_fooled_by_one_disturbed_round(monkeypatch):
    """On a busy machine one round of the probe could measure the int4 kernel 30-50x slower than it is
    (seen: 4 rounds in 30). Here the kernel is made 50 ms slower for the 9 runs of its first round: the
    median of the rounds still finds it faster, where one round alone did not."""
    import time

    from model import fastpath

    if not fastpath.int4_supported(torch.bfloat16, torch.device("cpu")):
        pytest.fail("torch's int4 kernel is missing on this CPU build; the pinned torch has it")
    calls = {"n": 0}
    real = fastpath._Int4Linear.__call__

    def disturbed(self, x):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if 9 < calls["n"] <= 18:  # after the warm-up's 9 calls: every run of the first round
            time.sleep(0.05)
        return real(self, x)

    monkeypatch.setattr(fastpath._Int4Linear, "__call__", disturbed)
    assert fastpath.low_bit_is_faster("int4", torch.bfloat16) is True
    calls["n"] = 0
    assert fastpath.low_bit_is_faster("int4", torch.bfloat16, rounds=1) is False  # one round is fooled


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float32])
def test_the_int8_copy_made_in_blocks_is_the_one_made_whole(dtype):
    """_Int8Linear quantizes ROWS rows at a time (3x faster for an output layer); the result must be
    exactly what quantizing the whole float32 matrix at once gives, including a last partial block and
    an all-zero row."""
    from model.fastpath import _Int8Linear

    torch.manual_seed(3)
    weight = (torch.randn(_Int8Linear.ROWS * 2 + 77, 64) * 0.05).to(dtype)
    weight[5] = 0
    w = weight.float()
    scale = w.abs().amax(dim=1).clamp(min=1e-8) / 127.0
    want = torch.round(w / scale[:, None]).clamp(-127, 127).to(torch.int8)
    before = weight.clone()
    lin = _Int8Linear(weight)
    assert torch.equal(weight, before)  # the model's own weight is left as it was
    assert torch.equal(lin.q, want)
    assert torch.equal(lin.scale, scale.to(dtype)) and lin.scale.dtype == dtype
    assert lin.q.is_contiguous()


def test_a_float32_model_reads_chunks_of_128_tokens_through_sdpa(tiny_loaded, monkeypatch):
    """torch's fused attention is faster for float32 chunks from ~128 tokens on (measured on the
    embedded model; bfloat16 gains only from ~512): a float32 chunk of 128 tokens uses it, 127 do not,
    and a bfloat16 model keeps its own threshold."""
    import torch.nn.functional as F

    from model.fastpath import SDPA_MIN_QUERIES, SDPA_MIN_QUERIES_FLOAT32, Segment, sdpa_gqa_supported

    assert sdpa_gqa_supported() and SDPA_MIN_QUERIES_FLOAT32 == 128 < SDPA_MIN_QUERIES
    calls = []
    real_sdpa = F.scaled_dot_product_attention
    monkeypatch.setattr(
        F, "scaled_dot_product_attention", lambda *a, **kw: calls.append(1) or real_sdpa(*a, **kw)
    )
    cfg = tiny_loaded.model.config

    def read(fast, n, dtype):
        kvh, d = cfg.num_key_value_heads, cfg.hidden_size // cfg.num_attention_heads
        sk = [torch.zeros(kvh, n, d, dtype=dtype) for _ in range(cfg.num_hidden_layers)]
        sv = [torch.zeros_like(k) for k in sk]
        calls.clear()
        fast.forward(torch.arange(5, 5 + n), torch.arange(n), sk, sv, [Segment(sk, sv, 0, n)])
        return len(calls)

    fast = FastDecoder(tiny_loaded.model)
    assert read(fast, 128, torch.float32) == cfg.num_hidden_layers
    assert read(fast, 127, torch.float32) == 0
    bf = FastDecoder(tiny_loaded.model.to(torch.bfloat16))
    try:
        assert read(bf, 128, torch.bfloat16) == 0
    finally:
        tiny_loaded.model.to(torch.float32)
