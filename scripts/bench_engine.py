"""Benchmark the shared ReplyEngine against the naive baseline, in one process and one run.

    python -m scripts.bench_engine [--users 1,4,16,32] [--json] [--quality]

Traffic is meant to look like a real chat: each user sends one message carrying a chat history of
20-400 tokens under a persona system prompt; replies may run to 16-96 new tokens (sampled, and they stop
at end of turn); requests arrive staggered over the first seconds. The baseline is the naive way:
one ``model.generate`` per request, one after another, same model, same precision, same sampling. It
is measured once, after the engine has stopped, on a sample of the same traffic (it does not depend
on how many users wait: they are served one by one), and every row's ratio is taken against it.

Columns: aggregate tokens/s (new tokens of all replies / wall time from the first arrival to the
last answer), the ratio to the baseline, p50/p95 reply latency (arrival to answer), p50 time to
first token (arrival to the first sampled token), peak RSS during the row. The one-user row sends
``--solo-requests`` messages one after another (each when the previous one is answered), and its
figures are over all of them.

``--quality`` also prints the top-1 agreement of the chosen precision with float32 (teacher-forced on
the benchmark conversations followed by float32's greedy reply) and the held-out negative log-
likelihood of the conversation texts under both.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bot.config import EngineSettings, ModelSettings, default_cache_dir
from bot.types import ChatTurn, GenerationRequest, SamplingParams

SYSTEM = (
    "You are Kindred, a warm and supportive friend. Respond to what the person actually said, with "
    "specific encouragement. Never comment on looks or bodies. End with one gentle question."
)
USER_LINES = [
    "I failed my exam today and feel stupid.",
    "My sister didn't call me on my birthday and I keep thinking about it.",
    "Started a new job this week. Everyone seems to know what they're doing except me.",
    "I finally went for a run after three months of telling myself I would.",
    "Can't sleep again. Third night in a row my brain just won't stop.",
    "My dog is getting old and I'm scared of the day she won't be around.",
    "I cooked dinner for my friends and honestly it turned out great!",
    "I got rejected from another internship. That's twelve now.",
    "Moving to a new city next month, excited but also terrified.",
    "My manager said my presentation was 'fine'. Just fine. It's bugging me.",
    "I've been learning guitar for a year and I still can't play barre chords.",
    "Today was ok I guess. Nothing happened, which is kind of the problem.",
    "I told my parents I'm switching majors. They didn't take it well.",
    "Finished my first painting ever. It's not good but I made it.",
    "I think I'm drifting apart from my best friend and I don't know how to fix it.",
    "Passed my driving test on the fourth try!!",
]
FRIEND_LINES = [
    "That sounds really hard, and it makes sense that it stings. What part of it is sitting with you most?",
    "I'm glad you told me. Feeling that way after a setback doesn't mean you're any less capable.",
    "Wow, that's a real step, and you took it even though it was hard to start. How did it feel?",
    "It's completely normal to feel lost in the first weeks. You're learning a lot at once.",
    "That's lovely to hear. Doing something kind for people you care about says a lot about you.",
    "Rejections pile up and they hurt, but they're not a verdict on you. What are you proud of lately?",
    "Big changes can be exciting and scary at the same time. What are you most looking forward to?",
    "It sounds like you care a lot about doing good work. That's a strength, even when it nags at you.",
]


@dataclass
class Item:
    messages: tuple[ChatTurn, ...]
    sampling: SamplingParams
    seed: int
    arrival: float


def make_traffic(n: int, tokenizer, rng: random.Random, stagger_s: float, builder) -> list[Item]:
    """``n`` requests with 20-400 tokens of history, 16-96 new tokens at most, staggered arrivals."""
    items: list[Item] = []
    for i in range(n):
        target = rng.randint(20, 400)
        turns: list[ChatTurn] = [ChatTurn("user", rng.choice(USER_LINES))]
        # Prepend older exchanges until the history reaches its target length.
        while len(builder.build((ChatTurn("system", SYSTEM), *turns), 4096).ids) < target + 60:
            turns = [
                ChatTurn("user", rng.choice(USER_LINES)),
                ChatTurn("assistant", rng.choice(FRIEND_LINES)),
                *turns,
            ]
            if len(turns) > 40:
                break
        sampling = SamplingParams(max_new_tokens=rng.randint(16, 96), temperature=0.7)
        arrival = 0.0 if n == 1 else rng.uniform(0, stagger_s)
        items.append(Item((ChatTurn("system", SYSTEM), *turns), sampling, seed=1000 + i, arrival=arrival))
    items.sort(key=lambda it: it.arrival)
    return items


class PeakRSS:
    """Peak resident memory during a block (Linux: reset the high-water mark, read VmHWM)."""

    def __enter__(self) -> PeakRSS:
        try:
            Path("/proc/self/clear_refs").write_text("5")
        except OSError:
            pass
        return self

    def __exit__(self, *exc: object) -> None:
        self.mb = 0.0
        try:
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    self.mb = int(line.split()[1]) / 1024
        except OSError:
            import resource

            self.mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def in_own_thread(fn, *args):
    """``fn(*args)`` in a new thread that ends when it returns.

    A thread that has run torch keeps its own OpenMP thread team for as long as it lives, and with more
    teams than cores libgomp makes every team's threads sleep between parallel regions instead of
    spinning: after one ``model.generate`` in an ``asyncio.to_thread`` thread, the engine's one-row
    decode step went from 16 to 28 ms for the rest of the process, and every row of this table with it.
    A thread that ends takes its team with it."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future = loop.create_future()

    def target() -> None:
        try:
            result = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting coroutine
            loop.call_soon_threadsafe(lambda e=exc: done.done() or done.set_exception(e))
        else:
            loop.call_soon_threadsafe(lambda: done.done() or done.set_result(result))

    thread = threading.Thread(target=target, name="bench-side-work", daemon=True)
    thread.start()
    try:
        return await done
    finally:
        await asyncio.to_thread(thread.join)


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    vs = sorted(values)
    k = (len(vs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(vs) - 1)
    return vs[lo] + (vs[hi] - vs[lo]) * (k - lo)


def run_baseline(loaded, builder, eot, items: list[Item]) -> dict:
    import torch

    tok = loaded.tokenizer
    new_tokens = 0
    latencies = []
    t_start = time.perf_counter()
    with torch.inference_mode():
        for it in items:
            ids = torch.tensor([builder.build(it.messages, 512).ids], device=loaded.device)
            torch.manual_seed(it.seed)
            t0 = time.perf_counter()
            out = loaded.model.generate(
                ids,
                attention_mask=torch.ones_like(ids),
                do_sample=True,
                temperature=it.sampling.temperature,
                top_k=it.sampling.top_k,
                top_p=it.sampling.top_p,
                repetition_penalty=it.sampling.repetition_penalty,
                no_repeat_ngram_size=it.sampling.no_repeat_ngram_size,
                max_new_tokens=it.sampling.max_new_tokens,
                eos_token_id=sorted(eot),
                pad_token_id=tok.pad_token_id,
            )
            gen = out[0, ids.shape[1] :].tolist()
            n = next((i for i, t in enumerate(gen) if t in eot), len(gen))
            new_tokens += n
            latencies.append(time.perf_counter() - t0)
    wall = time.perf_counter() - t_start
    return {"tok_s": new_tokens / wall, "tokens": new_tokens, "wall_s": wall, "p50_s": pct(latencies, 0.5)}


async def run_engine_row(engine, items: list[Item], ttft: dict, by_request: dict, turns: int = 1) -> dict:
    """Every user sends ``turns`` messages: each one after reading the previous reply (a pause of
    0.5-2 s), with the conversation so far (their earlier prompts and replies) as its history."""
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    results = []
    firsts: list[float] = []

    async def one(it: Item):
        await asyncio.sleep(max(0.0, it.arrival - (loop.time() - t0)))
        rng = random.Random(it.seed)
        messages = it.messages
        for turn in range(turns):
            if turn:
                await asyncio.sleep(rng.uniform(0.5, 2.0))
            start = loop.time()
            request = GenerationRequest(
                messages=messages,
                sampling=it.sampling,
                seed=it.seed + 100 * turn,
                history_budget=512,
            )
            key = (id(it), turn)
            by_request[id(request)] = key  # the first-token hook sees the request object
            gen = await engine.generate(request)
            results.append((it, gen, loop.time() - start))
            if key in ttft:
                firsts.append(ttft[key])
            messages = (
                *messages,
                ChatTurn("assistant", gen.text or "I'm here."),
                ChatTurn("user", rng.choice(USER_LINES)),
            )

    await asyncio.gather(*(one(it) for it in items))
    wall = loop.time() - t0 - items[0].arrival
    gens = [g for _, g, _ in results]
    return _row_figures(gens, [d for _, _, d in results], firsts, wall)


def _row_figures(gens: list, latencies: list[float], firsts: list[float], wall: float) -> dict:
    """A row's figures from its generations, reply latencies and first-token times."""
    toks = sum(g.new_tokens for g in gens)
    return {
        "tok_s": toks / wall,
        "tokens": toks,
        "wall_s": wall,
        "p50_s": pct(latencies, 0.5),
        "p95_s": pct(latencies, 0.95),
        "ttft_p50_s": pct(firsts, 0.5),
        "not_ok": sum(g.status != "ok" for g in gens),
    }


def matmul_peak_gflops(loaded, repeats: int = 30, int8: bool = False) -> float:
    """The best GFLOP/s of a prompt-sized matmul in the model dtype (768 tokens through an MLP-shaped
    matrix), on all of torch's threads: the ceiling for reading prompts on this CPU. ``int8``: the same
    through the engine's int8 matmuls (quantizing the activations and scaling back included)."""
    import torch

    from model.fastpath import _SmoothInt8Linear

    model = loaded.model
    hidden = int(model.config.hidden_size)
    inner = int(getattr(model.config, "intermediate_size", 4 * hidden))
    x = torch.randn(768, hidden, dtype=model.dtype, device=loaded.device)
    w = torch.randn(inner, hidden, dtype=model.dtype, device=loaded.device)
    best = float("inf")
    with torch.inference_mode():
        matmul = (
            _SmoothInt8Linear(w, x.abs().amax(0)) if int8 else (lambda x: torch.nn.functional.linear(x, w))
        )
        for _ in range(repeats):
            t0 = time.perf_counter()
            for _ in range(4):
                matmul(x)
            best = min(best, (time.perf_counter() - t0) / 4)
    return 2 * 768 * hidden * inner / best / 1e9


def prompt_token_flops(model) -> float:
    """Multiply-adds x 2 to read one prompt token: every layer matrix once (the output layer runs only
    for a prompt's last token; attention over the history is left out, so this is a lower bound)."""
    layers = model.base_model.layers if hasattr(model.base_model, "layers") else model.base_model.h
    return 2.0 * sum(p.numel() for p in layers.parameters() if p.dim() == 2)


def int8_share(fast) -> float:
    """The share of a prompt token's multiply-adds that the int8 matmuls take when they are on."""
    from model.fastpath import _SmoothInt8Linear

    if fast is None or not any(ly.big for ly in fast.layers):
        return 0.0
    total = int8 = 0
    for ly in fast.layers:
        for name in ("qkv", "o", "gu", "down"):
            copy = (ly.big or {}).get(name)
            if isinstance(copy, _SmoothInt8Linear):  # (its model-dtype weight may have been freed)
                int8 += copy.q.numel()
                total += copy.q.numel()
            else:
                total += getattr(ly, name).numel()
    return int8 / max(total, 1)


def bound_row(
    row: dict, peak_gflops: float, flops_per_token: float, int8_gflops: float = 0.0, share: float = 0.0
) -> dict:
    """The most tok/s any engine could reach on a row: its replies' tokens over the least wall time,
    which is at least the time to read the prompt tokens the row read at the matmul peak, and at least
    the time from the first arrival to the last (one-message rows). A row served with the int8 matmuls
    reads ``share`` of the multiply-adds at their peak, ``int8_gflops``, instead."""
    per_token = flops_per_token * (1 - share) / (peak_gflops * 1e9)
    if share:
        per_token += flops_per_token * share / (int8_gflops * 1e9)
    read_s = row["prefill_tokens"] * per_token
    least = max(read_s, row.get("arrival_span_s", 0.0), 1e-9)
    return {
        "matmul_peak_gflops": round(peak_gflops, 1),
        "least_read_s": round(read_s, 6),
        "bound_tok_s": round(row["new_tokens"] / least, 1),
    }


async def run_solo_row(engine, items: list[Item], ttft: dict, by_request: dict) -> dict:
    """One user alone: each message sent as soon as the previous one is answered, so the engine never
    serves two at once; the figures are over all of them (wall time = the sum of the replies' times)."""
    loop = asyncio.get_running_loop()
    gens, lat, firsts = [], [], []
    for it in items:
        request = GenerationRequest(
            messages=it.messages, sampling=it.sampling, seed=it.seed, history_budget=512
        )
        key = (id(it), 0)
        by_request[id(request)] = key
        start = loop.time()
        gens.append(await engine.generate(request))
        lat.append(loop.time() - start)
        if key in ttft:
            firsts.append(ttft[key])
    return {**_row_figures(gens, lat, firsts, sum(lat)), "requests": len(items)}


def decode_agreement(loaded, fast, references: list[tuple[list[int], object, object]], reader=None) -> float:
    """Top-1 agreement with float32 of the served decode path, one row at a time (the low-bit case).

    The prompt is prefilled by ``loaded`` (the served weights, through transformers); then every reply position is decoded by the engine's
    fast decode step ``fast`` (one row: low-bit weights when quantization is on), teacher-forced on
    float32's greedy reply, and its pick is compared with float32's at the same position.
    ``reader``: the engine's own fast path, which then reads the prompt instead (int8 matmuls when on).
    ``references``: (prompt ids, prompt + float32's greedy reply, float32's top-1 at each position)."""
    import torch
    from transformers import DynamicCache

    from model.fastpath import Segment

    cfg = loaded.model.config
    agree = total = 0
    with torch.inference_mode():
        for prompt, full, want in references:
            width = len(full) + 1
            if reader is not None:
                keys = [
                    torch.zeros(reader.kv_heads, width, reader.head_dim, dtype=reader.embed.dtype)
                    for _ in reader.layers
                ]
                values = [torch.zeros_like(k) for k in keys]
                n = len(prompt)
                reader.forward(
                    torch.tensor(prompt), torch.arange(n), keys, values, [Segment(keys, values, 0, n)]
                )
                keys, values = [k.unsqueeze(0) for k in keys], [v.unsqueeze(0) for v in values]
                for pos in range(len(prompt), len(full)):
                    logits = fast.step(full[pos : pos + 1], torch.tensor([pos]), keys, values)
                    agree += int(int(logits[0].argmax()) == int(want[pos]))
                    total += 1
                continue
            cache = DynamicCache(config=cfg)
            ids = torch.tensor([prompt], device=loaded.device)
            loaded.model.base_model(input_ids=ids, past_key_values=cache, use_cache=True)
            keys, values = [], []
            for layer in cache.layers:
                k = torch.zeros((1, layer.keys.shape[1], width, layer.keys.shape[3]), dtype=layer.keys.dtype)
                v = torch.zeros_like(k)
                k[:, :, : len(prompt)] = layer.keys
                v[:, :, : len(prompt)] = layer.values
                keys.append(k)
                values.append(v)
            for pos in range(len(prompt), len(full)):
                logits = fast.step(full[pos : pos + 1], torch.tensor([pos]), keys, values)
                agree += int(int(logits[0].argmax()) == int(want[pos]))
                total += 1
    return agree / max(total, 1)


def fast_decoder_of(loaded):
    from model.engine_worker import fast_weights
    from model.fastpath import FastDecoder, unsupported_reason

    if unsupported_reason(loaded.model) is not None:
        return None
    return FastDecoder(
        loaded.model,
        weights=fast_weights(loaded),
        cache_dir=loaded.cache_folder,
        adapter_dir=loaded.adapter_dir,
    )


def quality(
    model_settings: ModelSettings,
    loaded,
    hf_loaded,
    builder,
    items: list[Item],
    max_new: int = 32,
    served=None,
) -> dict:
    """Top-1 agreement of ``loaded`` with a float32 copy, and held-out NLL of the conversations.
    ``hf_loaded``: the same weights through transformers (the decode check prefills with it).
    ``served``: the engine's fast path; with its int8 matmuls on, also the agreement of prompts read
    through them (every position of prompt + reply) and of the decode step after such a read."""
    import torch

    from model.loader import load_model

    ref = load_model(model_settings.model_copy(update={"dtype": "float32", "quantization": "none"}))
    references = []  # (prompt, prompt + float32's greedy reply, float32's top-1 per position)
    agree = total = 0
    nll = {"float32": [0.0, 0], "chosen": [0.0, 0]}
    with torch.inference_mode():
        for it in items:
            prompt = builder.build(it.messages, 512).ids
            ids = torch.tensor([prompt])
            out = ref.model.generate(
                ids, do_sample=False, max_new_tokens=max_new, pad_token_id=ref.tokenizer.pad_token_id
            )
            full = out[:, : len(prompt) + max_new]
            a = ref.model(full).logits[0].float()
            references.append((prompt, full[0], a.argmax(-1)))
            b = hf_loaded.model(full.to(hf_loaded.device)).logits[0].float().cpu()
            # Agreement on every position of the conversation and the reply: same next-token pick?
            agree += int((a[:-1].argmax(-1) == b[:-1].argmax(-1)).sum())
            total += a.shape[0] - 1
            # NLL of the human-written conversation (the prompt), not of float32's own output.
            target = ids[0, 1:]
            for key, lg in (("float32", a), ("chosen", b)):
                lp = torch.log_softmax(lg[: len(prompt) - 1], -1)
                nll[key][0] += float(-lp.gather(1, target.unsqueeze(1)).sum())
                nll[key][1] += int(target.numel())
    fast = fast_decoder_of(hf_loaded)
    decode = decode_agreement(hf_loaded, fast, references) if fast is not None else None
    read = served_decode = None
    if fast is not None and served is not None and served.int8_matmuls:
        with torch.inference_mode():
            hits = [
                (served._prompt_logits(full.tolist()).argmax(-1)[:-1] == want[:-1])
                for _, full, want in references
            ]
        read = float(torch.cat(hits).float().mean())
        served_decode = decode_agreement(hf_loaded, fast, references, reader=served)
    return {
        "int8_read_top1_agreement": read,
        "int8_read_decode_top1_agreement": served_decode,
        "decode_top1_agreement": decode,
        "top1_agreement": agree / max(total, 1),
        "nll_float32": nll["float32"][0] / max(nll["float32"][1], 1),
        "nll_chosen": nll["chosen"][0] / max(nll["chosen"][1], 1),
        "positions": total,
    }


def _fast_decoders(loaded, settings: list[str], current) -> dict:
    """One fused decode step per ``model.quantization`` setting, over the same loaded model (the
    engine's own for the setting it started with)."""
    import dataclasses

    from model.engine_worker import fast_weights
    from model.fastpath import FastDecoder, unsupported_reason

    if current is None or unsupported_reason(loaded.model) is not None:
        raise SystemExit("--compare-quantization needs the fast decode path (a Llama-family model)")
    out = {settings[0]: current}
    for setting in settings[1:]:
        if setting not in out:
            other = dataclasses.replace(loaded, quantization=setting)
            out[setting] = FastDecoder(
                loaded.model,
                weights=fast_weights(other),
                cache_dir=loaded.cache_folder,
                adapter_dir=loaded.adapter_dir,
            )
    return out


def step_times(loaded, rows=(1, 4, 8, 12, 16, 24, 32), positions: int = 300, repeats: int = 15) -> list[dict]:
    """Milliseconds per fused decode step for each weight copy this machine runs, in one process.

    Each row count is timed for the model dtype, int8 and int4 copies in turn (interleaved, median of
    ``repeats``), every row at ``positions`` positions of history; the ratios are to the model dtype.
    These are what ``model.fastpath.QUANT_MAX_ROWS`` was chosen from."""
    import statistics

    import torch

    from model.fastpath import FastDecoder, int4_supported, int8_supported, unsupported_reason

    model = loaded.model
    if unsupported_reason(model) is not None:
        return []
    decoders = {"none": FastDecoder(model)}
    if int8_supported(model.dtype, loaded.device):
        decoders["int8"] = FastDecoder(model, weights="int8")
    if int4_supported(model.dtype, loaded.device):
        decoders["int4"] = FastDecoder(model, weights="int4")
    out = []
    with torch.inference_mode():
        for b in rows:
            for dec in decoders.values():
                dec.quant_rows = max(rows)  # time the low-bit copies at every row count
            fd = decoders["none"]
            shape = (b, fd.kv_heads, positions + 8, fd.head_dim)
            keys = [torch.zeros(shape, dtype=model.dtype) for _ in fd.layers]
            values = [torch.zeros(shape, dtype=model.dtype) for _ in fd.layers]
            tokens = torch.full((b,), 42)
            pos = torch.full((b,), positions)
            times: dict[str, list[float]] = {name: [] for name in decoders}
            for i in range(repeats + 2):
                for name, dec in decoders.items():
                    t = time.perf_counter()
                    dec.step(tokens, pos, keys, values)
                    if i >= 2:  # two warm-up rounds
                        times[name].append((time.perf_counter() - t) * 1000)
            row = {"rows": b}
            for name in decoders:
                row[f"{name}_ms"] = round(statistics.median(times[name]), 2)
                if name != "none":
                    row[f"{name}_ratio"] = round(row["none_ms"] / row[f"{name}_ms"], 2)
            out.append(row)
    return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m scripts.bench_engine",
        description="Benchmark the batched ReplyEngine against one-at-a-time model.generate on realistic chat traffic.",
    )
    p.add_argument(
        "--users",
        default="1,4,16,32",
        help="comma-separated concurrent user counts, one row each (default 1,4,16,32)",
    )
    p.add_argument(
        "--json", action="store_true", help="print a JSON list of row objects instead of the table"
    )
    p.add_argument(
        "--quality", action="store_true", help="also measure top-1 agreement with float32 and held-out NLL"
    )
    p.add_argument(
        "--step-times",
        action="store_true",
        help="also time one fused decode step at 1-32 rows in the model dtype and with int8 / int4 "
        "weight copies (ms, and speed-up over the model dtype, measured in this run)",
    )
    p.add_argument("--model", default="embedded", help='model.path to benchmark (default "embedded")')
    p.add_argument(
        "--dtype",
        default="auto",
        choices=["auto", "float32", "bfloat16", "float16"],
        help="model precision (default auto)",
    )
    p.add_argument(
        "--quantization",
        default="auto",
        choices=["auto", "none", "int4-weight", "int8-weight"],
        help="model.quantization: low-bit weight copies for small decode steps (default auto: 4-bit "
        "when the weights are 4-bit already, as the embedded model's are; the baseline always runs "
        "model.generate in the model dtype)",
    )
    p.add_argument(
        "--prefix-cache-mb",
        type=int,
        default=None,
        help="engine.prefix_cache_mb (default: the engine's default, 64)",
    )
    p.add_argument(
        "--no-fast-decode",
        action="store_true",
        help="decode through transformers' modules instead of the fused step (engine.fast_decode = false)",
    )
    p.add_argument("--threads", type=int, default=0, help="torch CPU threads, 0 = all cores (default 0)")
    p.add_argument(
        "--cache-dir", type=Path, default=default_cache_dir() / "models", help="converted-model cache folder"
    )
    p.add_argument(
        "--stagger",
        type=float,
        default=2.0,
        help="requests arrive spread over this many seconds (default 2.0)",
    )
    p.add_argument(
        "--solo-requests",
        type=int,
        default=6,
        help="the one-user row sends this many messages, each as soon as the previous one is answered, "
        "so its figures are over several messages, not one (default 6; 1 = one message, as before)",
    )
    p.add_argument(
        "--baseline-requests",
        type=int,
        default=6,
        help="requests the naive baseline runs, one by one (default 6; 0 skips it)",
    )
    p.add_argument(
        "--max-batch", type=int, default=0, help="engine.max_batch_size (default: the largest --users)"
    )
    p.add_argument(
        "--turns",
        type=int,
        default=1,
        help="messages each user sends, one after reading the previous reply (default 1; >1 shows the "
        "prefix cache reusing each conversation so far)",
    )
    p.add_argument(
        "--busy-neighbour",
        action="store_true",
        help="run every row next to another busy program (a one-core busy loop at normal priority), "
        "twice: with engine.share_cpu on and off, so the table shows what sharing the CPU buys",
    )
    p.add_argument(
        "--compare-quantization",
        default=None,
        choices=["auto", "none", "int4-weight", "int8-weight"],
        help="run every row twice on the same traffic, with --quantization and then with this one "
        "(each from an empty prefix cache), and print their ratio: the one-run comparison of two "
        "settings (the machine's speed drifts between runs)",
    )
    p.add_argument(
        "--int8-matmuls",
        default="auto",
        choices=["auto", "none"],
        help="model.int8_matmuls: int8 matmuls for prompt reading and decode steps of 8+ rows when a "
        "start-up probe and quality check allow them (auto, the default) or never (none)",
    )
    p.add_argument(
        "--compare-int8-matmuls",
        action="store_true",
        help="run every row twice on the same traffic, with the int8 matmuls on and then off (each from "
        "an empty prefix cache), and print their ratio; needs them to be on at start",
    )
    p.add_argument("--seed", type=int, default=0, help="traffic and sampling seed (default 0)")
    args = p.parse_args(argv)
    compared = [args.compare_quantization, args.busy_neighbour, args.compare_int8_matmuls]
    if sum(bool(c) for c in compared) > 1:
        p.error("--compare-quantization, --compare-int8-matmuls and --busy-neighbour cannot be combined")
    if args.compare_int8_matmuls and args.int8_matmuls == "none":
        p.error("--compare-int8-matmuls needs --int8-matmuls auto")
    try:
        args.user_counts = [int(u) for u in args.users.split(",") if u.strip()]
    except ValueError:
        p.error(f"--users must be comma-separated integers, got {args.users!r}")
    if not args.user_counts or min(args.user_counts) < 1:
        p.error("--users needs at least one count >= 1")
    if args.turns < 1:
        p.error("--turns must be >= 1")
    if args.solo_requests < 1:
        p.error("--solo-requests must be >= 1")
    return args


async def amain(args: argparse.Namespace) -> int:
    from model.cpu_share import usable_cores
    from model.engine import ReplyEngine
    from model.loader import configure_threads
    from model.prompt import PromptBuilder, end_of_turn_ids

    configure_threads(args.threads)
    ms = ModelSettings(
        path=args.model,
        dtype=args.dtype,
        threads=args.threads,
        cache_dir=args.cache_dir,
        quantization=args.quantization,
        int8_matmuls=args.int8_matmuls,
    )
    es = EngineSettings(
        max_batch_size=args.max_batch or max(args.user_counts),
        queue_size=1024,
        history_budget=512,
        max_new_tokens=96,
        fast_decode=not args.no_fast_decode,
        **({} if args.prefix_cache_mb is None else {"prefix_cache_mb": args.prefix_cache_mb}),
    )
    ttft: dict[int, float] = {}
    by_request: dict[int, int] = {}

    def on_first(request, seconds: float) -> None:
        key = by_request.get(id(request))
        if key is not None:
            ttft[key] = seconds

    preloaded = None
    if args.compare_quantization or args.step_times or args.compare_int8_matmuls:
        # These build more decoders on the model's weights once the engine runs, or turn the int8
        # matmuls off for some rows; an engine given its model keeps every weight (one that loads its
        # own frees those no pass reads, see FastDecoder.release_float_weights).
        import functools

        from model.loader import load_model

        preloaded = await in_own_thread(functools.partial(load_model, ms, lite=not args.no_fast_decode))
    engine = ReplyEngine(ms, es, loaded=preloaded)
    engine.first_token_hook = on_first
    t0 = time.perf_counter()
    with PeakRSS() as start_rss:  # loading, the low-bit copies and the int8 set-up, before weights are freed
        await engine.start()
    ready_s = time.perf_counter() - t0
    loaded = engine._loaded
    builder = PromptBuilder(loaded.tokenizer, use_chat_template=loaded.has_chat_template)
    eot = end_of_turn_ids(loaded.tokenizer, loaded.model)
    rng = random.Random(args.seed)
    log = (lambda *a: None) if args.json else (lambda *a: print(*a, file=sys.stderr, flush=True))
    log(
        f"model {engine.describe()}, ready in {ready_s:.1f} s (peak RSS {start_rss.mb:.0f} MB while starting), "
        f"{usable_cores()} usable cores"
    )

    rows = []
    variants: list = [True, False] if args.busy_neighbour else [None]
    fast_by_setting = {}
    if args.compare_quantization:
        variants = [args.quantization, args.compare_quantization]
        fast_by_setting = await in_own_thread(_fast_decoders, loaded, variants, engine._decoder.fast)
    if args.compare_int8_matmuls:
        fast = engine._decoder.fast
        if fast is None or not fast.int8_matmuls:
            why = fast.int8_note if fast is not None else "no fast decode path"
            raise SystemExit(f"--compare-int8-matmuls: the int8 matmuls are not on here ({why})")
        variants = ["int8 on", "int8 off"]
    for users, variant in [(u, v) for u in args.user_counts for v in variants]:
        share = variant if isinstance(variant, bool) or variant is None else None
        if variant in (None, True, variants[0]):  # the second variant replays the row before it
            items = make_traffic(users, loaded.tokenizer, rng, args.stagger, builder)
            solo = users == 1 and args.turns == 1 and args.solo_requests > 1
            if solo:  # more messages for the one-user row, from their own stream (the rows after keep theirs)
                more = make_traffic(
                    args.solo_requests - 1, loaded.tokenizer, random.Random(args.seed + 3), 0, builder
                )
                items = [*items, *more]
        ttft.clear()
        by_request.clear()
        neighbour = None
        if fast_by_setting:
            engine._decoder.fast = fast_by_setting[variant]
            engine._decoder.prefix.clear()  # both start cold, or the second would find the first's prompts
        if args.compare_int8_matmuls:
            engine._decoder.fast.int8_matmuls = variant == "int8 on"
            engine._decoder.prefix.clear()
        if share is not None:
            engine._decoder.share_cpu = share
            engine._decoder.prefix.clear()  # both variants start cold, or "off" would find "on"'s prompts
            neighbour = await asyncio.create_subprocess_exec(sys.executable, "-c", "while True: pass")
        log(
            f"engine: {users} users"
            + ("" if share is None else f", busy neighbour, share_cpu={share}")
            + (f", quantization {variant}" if fast_by_setting else "")
            + (f", {variant}" if args.compare_int8_matmuls else "")
            + " ..."
        )
        try:
            with PeakRSS() as rss:
                before = dict(engine.stats)
                if solo:
                    row = await run_solo_row(engine, items, ttft, by_request)
                else:
                    row = await run_engine_row(engine, items, ttft, by_request, args.turns)
                prompt_tokens = engine.stats.get("prefill_tokens", 0) - before.get("prefill_tokens", 0)
                reused = engine.stats.get("prefix_reused_tokens", 0) - before.get("prefix_reused_tokens", 0)
        finally:
            if neighbour is not None:
                neighbour.kill()
                await neighbour.wait()
        out = {
            "users": users,
            "engine_tok_s": round(row["tok_s"], 1),
            "baseline_tok_s": 0.0,  # filled in below: the baseline runs after the engine
            "ratio": None,
            "p50_s": round(row["p50_s"], 2),
            "p95_s": round(row["p95_s"], 2),
            "ttft_p50_s": round(row["ttft_p50_s"], 3),
            "peak_rss_mb": round(rss.mb),
            "new_tokens": row["tokens"],
            "wall_s": round(row["wall_s"], 2),
            "not_ok": row["not_ok"],
            "requests": row.get("requests", len(items) * args.turns),
            "turns": args.turns,
            "prefill_tokens": int(prompt_tokens),
            "prefix_reused_tokens": int(reused),
            "arrival_span_s": round(items[-1].arrival - items[0].arrival, 3) if args.turns == 1 else 0.0,
            "ready_s": round(ready_s, 2),
            "start_peak_rss_mb": round(start_rss.mb),
            "model": engine.describe(),
        }
        if share is not None:
            out.update(
                busy_neighbour=True, share_cpu=share, thread_shrinks=engine.stats.get("thread_shrinks", 0)
            )
        if args.compare_int8_matmuls:
            out["int8_matmuls"] = variant == "int8 on"
        if fast_by_setting:
            out["quantization"] = variant
            out["low_bit_weights"] = engine._decoder.fast.weights if engine._decoder.fast else "none"
        rows.append(out)
        log(json.dumps({k: v for k, v in out.items() if k not in ("baseline_tok_s", "ratio")}))

    if args.compare_int8_matmuls:
        engine._decoder.fast.int8_matmuls = True  # as served (the quality check measures them)
    # Everything else runs after the engine has stopped, each in a thread of its own that ends with it
    # (see in_own_thread): the baseline alone on the CPU, as the engine was.
    description = engine.describe()
    served = engine._decoder.fast if engine._decoder is not None else None
    await engine.close()
    base = {"tok_s": 0.0}
    hf_loaded = loaded
    released = served is not None and served.released_bytes > 0
    if (loaded.lite or released) and (args.baseline_requests or args.quality):
        # The engine runs the weights without transformers (model/llama_lite.py), and has freed those
        # no pass of it reads; the baseline is transformers' own generate(), so it gets the same
        # weights in the same dtype through it.
        from model.loader import load_model

        log("baseline: loading the same weights through transformers ...")
        hf_loaded = await in_own_thread(load_model, ms)
    if args.baseline_requests:
        sample = make_traffic(
            args.baseline_requests, loaded.tokenizer, random.Random(args.seed + 1), 0, builder
        )
        log(f"baseline: {len(sample)} requests one by one with model.generate ...")
        with PeakRSS() as rss:
            base = await in_own_thread(run_baseline, hf_loaded, builder, eot, sample)
        base["peak_rss_mb"] = rss.mb
        log(f"baseline: {base['tok_s']:.1f} tok/s ({base['tokens']} tokens in {base['wall_s']:.1f} s)")
        for r in rows:
            r["baseline_tok_s"] = round(base["tok_s"], 1)
            r["ratio"] = round(r["engine_tok_s"] / base["tok_s"], 2) if base["tok_s"] else None
    q = None
    if args.quality:
        log("quality: comparing with float32 ...")
        sample = make_traffic(8, loaded.tokenizer, random.Random(args.seed + 2), 0, builder)
        q = await in_own_thread(quality, ms, loaded, hf_loaded, builder, sample, 32, served)
        for r in rows:
            r.update({k: round(v, 4) for k, v in q.items() if k != "positions" and v is not None})
    log("bound: this CPU's matmul peak ...")
    peak = await in_own_thread(matmul_peak_gflops, loaded)
    per_token = prompt_token_flops(loaded.model)
    if served is not None and served.released_bytes:  # the freed weights count as they are read still
        per_token += 2 * served.released_bytes / loaded.model.dtype.itemsize
    share = int8_share(served) if served is not None and served.int8_matmuls else 0.0
    peak8 = await in_own_thread(matmul_peak_gflops, loaded, 30, True) if share else 0.0
    for r in rows:
        on = share if r.get("int8_matmuls", True) else 0.0
        r.update(bound_row(r, peak, per_token, peak8, on))
    steps = None
    if args.step_times:
        log("step times: one decode step per weight copy ...")
        steps = await in_own_thread(step_times, loaded)
        for r in rows:
            r["decode_step_ms"] = steps

    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    header = (
        f"{'users':>5} {'tok/s':>8} {'base':>7} {'ratio':>6} {'p50 s':>6} {'p95 s':>6} {'ttft':>6} {'RSS MB':>7}"
        f" {'bound':>7}"
    )
    print(
        f"{description}  ready {ready_s:.1f} s (peak RSS {start_rss.mb:.0f} MB while starting)  "
        f"threads {args.threads or usable_cores()}"
    )
    print(header)
    for r in rows:
        ratio = f"{r['ratio']:.1f}x" if r["ratio"] else "-"
        note = ""
        if r.get("busy_neighbour"):
            note = f"  busy neighbour, share_cpu {'on' if r['share_cpu'] else 'off'}"
        if "int8_matmuls" in r:
            note = f"  int8 matmuls {'on' if r['int8_matmuls'] else 'off'}"
        if "quantization" in r:
            copies = "no" if r["low_bit_weights"] == "none" else r["low_bit_weights"]
            note = f"  quantization {r['quantization']} ({copies} low-bit copies)"
        print(
            f"{r['users']:>5} {r['engine_tok_s']:>8.1f} {r['baseline_tok_s']:>7.1f} {ratio:>6} "
            f"{r['p50_s']:>6.2f} {r['p95_s']:>6.2f} {r['ttft_p50_s']:>6.3f} {r['peak_rss_mb']:>7}"
            f" {r['bound_tok_s']:>7.0f}{note}"
        )
    print(
        f"bound: the most tok/s any engine could reach on each row's traffic and replies here: reading its "
        f"prompt tokens at this CPU's measured matmul peak ({peak:.0f} GFLOP/s, "
        f"{per_token / 1e6:.0f} MFLOP a token) with nothing else to do, and not before the last request arrived"
        + (
            f"; with the int8 matmuls on, {share:.0%} of those at their peak ({peak8:.0f} GOP/s) instead"
            if share
            else ""
        )
    )
    pairs = [
        (a, b)
        for a, b in zip(rows, rows[1:], strict=False)
        if a.get("share_cpu") is True and b.get("share_cpu") is False
    ]
    for on, off in pairs:
        if off["engine_tok_s"]:
            print(
                f"busy neighbour, {on['users']} users: share_cpu on / off = "
                f"{on['engine_tok_s'] / off['engine_tok_s']:.1f}x tok/s, p50 {on['p50_s']:.2f} vs {off['p50_s']:.2f} s"
            )
    compared = [r for r in rows if "quantization" in r]
    for a, b in zip(compared[::2], compared[1::2], strict=False):
        if b["engine_tok_s"]:
            print(
                f"{a['users']} users, same traffic: quantization {a['quantization']} / {b['quantization']} = "
                f"{a['engine_tok_s'] / b['engine_tok_s']:.2f}x tok/s, p50 {a['p50_s']:.2f} vs {b['p50_s']:.2f} s, "
                f"TTFT {a['ttft_p50_s']:.2f} vs {b['ttft_p50_s']:.2f} s (peak RSS holds both settings' copies)"
            )
    compared = [r for r in rows if "int8_matmuls" in r]
    for a, b in zip(compared[::2], compared[1::2], strict=False):
        if b["engine_tok_s"]:
            print(
                f"{a['users']} users, same traffic: int8 matmuls on / off = "
                f"{a['engine_tok_s'] / b['engine_tok_s']:.2f}x tok/s, p50 {a['p50_s']:.2f} vs {b['p50_s']:.2f} s, "
                f"TTFT {a['ttft_p50_s']:.3f} vs {b['ttft_p50_s']:.3f} s"
            )
    if q:
        print(
            f"quality: top-1 agreement with float32 {q['top1_agreement'] * 100:.1f}% over {q['positions']} positions; "
            f"held-out NLL float32 {q['nll_float32']:.3f}, chosen {q['nll_chosen']:.3f}"
        )
        if q["decode_top1_agreement"] is not None:
            print(
                "quality: the served decode step (one row, teacher-forced on float32's greedy reply): "
                f"top-1 agreement with float32 {q['decode_top1_agreement'] * 100:.1f}%"
            )
        if q["int8_read_top1_agreement"] is not None:
            print(
                "quality: prompt + reply read with the int8 matmuls (every position): top-1 agreement with "
                f"float32 {q['int8_read_top1_agreement'] * 100:.1f}%; the served decode step after a prompt "
                f"read that way {q['int8_read_decode_top1_agreement'] * 100:.1f}%"
            )
    if steps:
        names = [k[:-3] for k in steps[0] if k.endswith("_ms")]
        print("one decode step, ms (speed-up over the model dtype):")
        print(f"{'rows':>5} " + " ".join(f"{n:>14}" for n in names))
        for st in steps:
            cells = []
            for n in names:
                ratio = st.get(f"{n}_ratio")
                cells.append(f"{st[n + '_ms']:>7.1f}" + (f" ({ratio:.2f}x)" if ratio else " " * 8))
            print(f"{st['rows']:>5} " + " ".join(f"{c:>14}" for c in cells))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return asyncio.run(amain(args))


if __name__ == "__main__":
    sys.exit(main())
