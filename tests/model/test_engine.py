"""ReplyEngine behaviour on a tiny random model: batching correctness, cancel, errors, backpressure,
stop strings, candidates, seeds."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import pytest
import torch

from bot.config import EngineSettings, ModelSettings
from bot.types import ChatTurn, GenerationRequest, SamplingParams
from model.engine import EngineClosed, ReplyEngine

GREEDY = SamplingParams(temperature=0, repetition_penalty=1.0, no_repeat_ngram_size=0, max_new_tokens=24)
TEXTS = [
    "I failed my exam today and feel stupid",
    "my cat is sick",
    "hello there",
    "I got a new job today! " * 6,
    "can't sleep again, third night in a row",
    "ok",
]


def req(text: str, sampling: SamplingParams = GREEDY, **kw: object) -> GenerationRequest:
    msgs = (ChatTurn("system", "You are kind."), ChatTurn("user", text))
    return GenerationRequest(messages=msgs, sampling=sampling, **kw)  # type: ignore[arg-type]


def engine_for(loaded, **settings: object) -> ReplyEngine:
    es = EngineSettings(**{"max_new_tokens": 64, **settings})  # type: ignore[arg-type]
    return ReplyEngine(ModelSettings(threads=1), es, loaded=loaded)


class Gate:
    """Holds the model's forward passes until ``open()``: makes queue states deterministic.

    Both ways the engine runs the model are held: transformers' modules and the fast path's passes."""

    def __init__(self, loaded, monkeypatch: pytest.MonkeyPatch) -> None:
        from model.fastpath import FastDecoder

        self.event = threading.Event()
        self.entered = threading.Event()
        inner = loaded.model.model.forward
        fast_inner = FastDecoder.forward

        def hold() -> None:
            self.entered.set()
            self.event.wait(timeout=60)

        def gated(*a, **kw):
            hold()
            return inner(*a, **kw)

        def fast_gated(*a, **kw):
            hold()
            return fast_inner(*a, **kw)

        loaded.model.model.forward = gated
        monkeypatch.setattr(FastDecoder, "forward", fast_gated)

    def open(self) -> None:
        self.event.set()

    async def wait_entered(self) -> None:
        assert await asyncio.to_thread(self.entered.wait, 30), "the worker never reached the model"


async def wait_for(cond: Callable[[], bool], limit: float = 30.0) -> None:
    """Poll a condition the worker thread changes (not a sleep hoping for luck: it waits for a state)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + limit
    while not cond():
        assert loop.time() < end, "condition not reached"
        await asyncio.sleep(0.005)


# ---------------------------------------------------------------------- correctness


async def test_batched_greedy_replies_equal_replies_alone(tiny_loaded):
    async with engine_for(tiny_loaded) as engine:
        alone = [await engine.generate(req(t)) for t in TEXTS]

        async def later(i: int, t: str):
            await asyncio.sleep(0.003 * i)  # staggered: requests join a running batch
            return await engine.generate(req(t))

        together = await asyncio.gather(*(later(i, t) for i, t in enumerate(TEXTS)))
        assert engine.stats["steps"] > 0
    for a, b in zip(alone, together, strict=True):
        assert a.status == b.status == "ok"
        assert a.texts == b.texts
    assert len({a.text for a in alone}) >= 4, "the tiny model should answer different prompts differently"


async def test_engine_matches_transformers_generate(tiny_loaded):
    from model.prompt import PromptBuilder

    pb = PromptBuilder(tiny_loaded.tokenizer)
    async with engine_for(tiny_loaded) as engine:
        results = await asyncio.gather(*(engine.generate(req(t)) for t in TEXTS[:4]))
    for text, gen in zip(TEXTS[:4], results, strict=True):
        ids = pb.build(req(text).messages, 768).ids
        with torch.no_grad():
            out = tiny_loaded.model.generate(
                torch.tensor([ids]), max_new_tokens=24, do_sample=False, pad_token_id=0
            )
        new = out[0, len(ids) :].tolist()
        eos = tiny_loaded.tokenizer.eos_token_id
        if eos in new:
            new = new[: new.index(eos)]
        expected = tiny_loaded.tokenizer.decode(new, skip_special_tokens=False)
        # The engine also cuts at template stop strings; compare up to that cut.
        from model.engine_worker import cut_at_stop

        assert gen.text == cut_at_stop(expected, pb.stop)[0].strip()


async def test_each_caller_gets_its_own_reply_in_a_full_batch(tiny_loaded):
    """More requests than slots: everyone is answered, with the reply for their own prompt."""
    async with engine_for(tiny_loaded, max_batch_size=3) as engine:
        alone = {t: (await engine.generate(req(t))).text for t in TEXTS}
        many = [TEXTS[i % len(TEXTS)] for i in range(14)]
        results = await asyncio.gather(*(engine.generate(req(t)) for t in many))
    assert [r.text for r in results] == [alone[t] for t in many]


# ---------------------------------------------------------------------- sampling, stops, candidates


async def test_candidates_are_several_and_seed_reproducible(tiny_loaded):
    sampled = SamplingParams(temperature=1.0, top_k=50, top_p=0.95, max_new_tokens=16)
    async with engine_for(tiny_loaded) as engine:
        a = await engine.generate(req(TEXTS[0], sampled, num_candidates=3, seed=11))
        b = await engine.generate(req(TEXTS[0], sampled, num_candidates=3, seed=11))
        c = await engine.generate(req(TEXTS[0], sampled, num_candidates=3, seed=12))
        # The same seeded request inside a busy batch still gives the same texts.
        d, *_ = await asyncio.gather(
            engine.generate(req(TEXTS[0], sampled, num_candidates=3, seed=11)),
            *(engine.generate(req(t)) for t in TEXTS[1:]),
        )
    assert a.status == "ok" and len(a.texts) == 3 and len(a.finish_reasons) == 3
    assert len(set(a.texts)) == 3, a.texts
    assert a.texts == b.texts == d.texts
    assert a.texts != c.texts


async def test_stop_string_cuts_the_reply(tiny_loaded):
    async with engine_for(tiny_loaded) as engine:
        full = await engine.generate(req(TEXTS[0]))
        words = full.text.split()
        assert len(words) >= 3, full.text
        stop = words[2]
        cut = await engine.generate(req(TEXTS[0], stop=(stop,)))
    assert cut.finish_reasons == ("stop",)
    assert stop not in cut.text
    assert full.text.startswith(cut.text)
    assert len(cut.text) < len(full.text)


async def test_max_new_tokens_and_length_reason(tiny_loaded):
    short = SamplingParams(temperature=0, repetition_penalty=1.0, no_repeat_ngram_size=0, max_new_tokens=5)
    async with engine_for(tiny_loaded) as engine:
        gen = await engine.generate(req(TEXTS[2], short))
    assert gen.status == "ok"
    assert gen.new_tokens <= 5
    assert gen.finish_reasons in {("length",), ("stop",)}


# ---------------------------------------------------------------------- failures and backpressure


async def test_exception_in_one_request_does_not_hurt_others(tiny_loaded, monkeypatch):
    from model.prompt import PromptBuilder

    real_build = PromptBuilder.build

    def build(self, messages, budget):
        if any("BOOM" in t.content for t in messages):
            raise RuntimeError("broken prompt")
        return real_build(self, messages, budget)

    monkeypatch.setattr(PromptBuilder, "build", build)
    async with engine_for(tiny_loaded) as engine:
        alone = await engine.generate(req(TEXTS[0]))
        results = await asyncio.gather(
            engine.generate(req(TEXTS[0])), engine.generate(req("BOOM")), engine.generate(req(TEXTS[0]))
        )
        after = await engine.generate(req(TEXTS[0]))
    assert [r.status for r in results] == ["ok", "error", "ok"]
    assert "broken prompt" in results[1].error
    assert results[0].text == results[2].text == alone.text == after.text


@pytest.mark.parametrize("fast", [True, False], ids=["fast-path", "transformers"])
async def test_model_failure_in_prefill_fails_only_that_request(tiny_loaded, monkeypatch, fast):
    from model.fastpath import FastDecoder

    inner = tiny_loaded.model.model.forward

    def forward(*a, **kw):
        ids = kw.get("input_ids")
        if ids is not None and ids.shape[1] > 1 and ids.shape[0] == 1 and ids.shape[1] > 150:
            raise RuntimeError("simulated model failure")
        return inner(*a, **kw)

    fast_inner = FastDecoder.forward

    def fast_forward(self, tokens, positions, keys, values, segments):
        if any(seg.keys[0].shape[1] > 150 for seg in segments):  # a pass reading the long prompt
            raise RuntimeError("simulated model failure")
        return fast_inner(self, tokens, positions, keys, values, segments)

    tiny_loaded.model.model.forward = forward
    monkeypatch.setattr(FastDecoder, "forward", fast_forward)
    long_text = "please read all of this " * 40
    async with engine_for(tiny_loaded, fast_decode=fast) as engine:
        ok, bad = await asyncio.gather(engine.generate(req(TEXTS[1])), engine.generate(req(long_text)))
        again = await engine.generate(req(TEXTS[1]))
        assert (engine._decoder.fast is not None) == fast
    assert ok.status == "ok" and again.status == "ok" and ok.text == again.text
    assert bad.status == "error" and "simulated model failure" in bad.error


async def test_fast_path_reads_prompts_inside_the_decode_passes(tiny_loaded, monkeypatch):
    """A prompt arriving while replies run is read in chunks in the same passes as their next
    tokens; everyone still gets exactly the reply they get alone."""
    from model.fastpath import FastDecoder

    long_text = "tell me everything about your day, " * 30  # several chunks
    async with engine_for(tiny_loaded) as engine:
        alone = {t: await engine.generate(req(t)) for t in (TEXTS[0], TEXTS[2], long_text)}
        engine._decoder.prefix.clear()
        passes: list[tuple[int, int]] = []  # (decode rows, prompt tokens) per pass
        fast_inner = FastDecoder.forward

        def spy(self, tokens, positions, keys, values, segments):
            prompt = sum(seg.length for seg in segments)
            passes.append((int(tokens.shape[0]) - prompt, prompt))
            return fast_inner(self, tokens, positions, keys, values, segments)

        monkeypatch.setattr(FastDecoder, "forward", spy)
        first = asyncio.create_task(engine.generate(req(TEXTS[0])))
        await wait_for(lambda: engine.active_sequences() == 1)
        rest = await asyncio.gather(engine.generate(req(long_text)), engine.generate(req(TEXTS[2])))
        together = [await first, *rest]
    assert [g.texts for g in together] == [
        alone[TEXTS[0]].texts,
        alone[long_text].texts,
        alone[TEXTS[2]].texts,
    ]
    mixed = [p for p in passes if p[0] and p[1]]
    assert mixed, f"no pass carried both running replies and prompt tokens: {passes}"
    from model.engine_worker import PREFILL_CHUNK_WITH_DECODE

    assert all(p[1] <= PREFILL_CHUNK_WITH_DECODE for p in mixed)


@pytest.mark.parametrize("wait_s", [3.0, 0.0])
async def test_short_prompts_are_read_first_until_a_request_waited_too_long(tiny_loaded, monkeypatch, wait_s):
    """Prompts waiting to be read go shortest first; one queued longer than SHORTEST_FIRST_WAIT_S goes
    first (0 s: every request has, so arrival order)."""
    from model import engine_worker

    monkeypatch.setattr(engine_worker, "SHORTEST_FIRST_WAIT_S", wait_s)
    long_text = "tell me everything about your day, " * 30  # more than one chunk next to a reply
    firsts: list[object] = []
    async with engine_for(tiny_loaded) as engine:
        engine._decoder.first_token_hook = lambda request, _s: firsts.append(request)
        gate = Gate(tiny_loaded, monkeypatch)
        running = asyncio.create_task(engine.generate(req(TEXTS[0])))
        await gate.wait_entered()  # its prompt is being read: the next two wait in the queue
        long_req, short_req = req(long_text), req(TEXTS[2])
        waiting = [asyncio.create_task(engine.generate(r)) for r in (long_req, short_req)]
        await wait_for(lambda: engine.queued() == 2)
        gate.open()
        results = await asyncio.gather(running, *waiting)
    assert all(g.status == "ok" for g in results)
    order = [r for r in firsts if r in (long_req, short_req)]
    assert order == ([short_req, long_req] if wait_s else [long_req, short_req])


async def test_cancelled_request_frees_its_slot(tiny_loaded):
    long = SamplingParams(temperature=0, repetition_penalty=1.0, no_repeat_ngram_size=0, max_new_tokens=2000)
    engine = engine_for(tiny_loaded, max_batch_size=1, max_new_tokens=2000)
    async with engine:
        task = asyncio.create_task(engine.generate(req(TEXTS[0], long)))
        await wait_for(lambda: engine.active_sequences() == 1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # With one slot, this only completes if the cancelled sequence left the batch.
        gen = await asyncio.wait_for(engine.generate(req(TEXTS[1])), timeout=30)
        assert gen.status == "ok"
        await wait_for(lambda: engine.active_sequences() == 0)


async def test_cancelled_request_whose_prompt_is_being_read_frees_its_place(tiny_loaded, monkeypatch):
    """Fast path: a caller that gives up while its prompt is still being read (between chunks) is
    dropped at the next pass, and its reserved slot goes to the next request."""
    import model.engine_worker as worker

    monkeypatch.setattr(worker, "PREFILL_TOKENS_PER_STEP", 64)  # a prompt read in several passes
    engine = engine_for(tiny_loaded, max_batch_size=1)
    long_text = "this is a long story about my week, " * 30
    async with engine:
        assert engine._decoder.fast is not None
        gate = Gate(tiny_loaded, monkeypatch)
        task = asyncio.create_task(engine.generate(req(long_text)))
        await gate.wait_entered()  # the first chunk of the prompt is being read
        [pending] = engine._decoder.pending
        assert pending.left > 64
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        gate.open()
        gen = await asyncio.wait_for(engine.generate(req(TEXTS[1])), timeout=30)
        assert gen.status == "ok"
        assert engine._decoder.pending == [] and engine.active_sequences() == 0
        assert pending.done < len(pending.run.prompt.ids), "the cancelled prompt was never read to the end"


async def test_full_queue_answers_busy_at_once(tiny_loaded, monkeypatch):
    gate = Gate(tiny_loaded, monkeypatch)
    async with engine_for(tiny_loaded, max_batch_size=1, queue_size=1) as engine:
        first = asyncio.create_task(engine.generate(req(TEXTS[0])))
        await gate.wait_entered()  # the worker holds `first` inside the model
        second = asyncio.create_task(engine.generate(req(TEXTS[1])))  # fills the queue
        await wait_for(lambda: engine.queued() == 1)
        third = await engine.generate(req(TEXTS[2]))
        assert third.status == "busy" and "full" in third.error
        gate.open()
        assert (await first).status == "ok"
        assert (await second).status == "ok"


async def test_request_waiting_past_its_deadline_gets_busy(tiny_loaded, monkeypatch):
    gate = Gate(tiny_loaded, monkeypatch)
    async with engine_for(tiny_loaded, max_batch_size=1) as engine:
        first = asyncio.create_task(engine.generate(req(TEXTS[0])))
        await gate.wait_entered()
        late = await engine.generate(req(TEXTS[1], timeout_s=0.05))
        assert late.status == "busy" and late.queued_s >= 0.05
        gate.open()
        assert (await first).status == "ok"
        # The abandoned job is skipped, not run: the engine answers the next caller normally.
        assert (await engine.generate(req(TEXTS[2]))).status == "ok"
        assert engine.stats["requests"] == 2


async def test_close_answers_queued_requests_busy_and_refuses_new_ones(tiny_loaded, monkeypatch):
    gate = Gate(tiny_loaded, monkeypatch)
    engine = engine_for(tiny_loaded, max_batch_size=1)
    await engine.start()
    running = asyncio.create_task(engine.generate(req(TEXTS[0])))
    await gate.wait_entered()
    queued = asyncio.create_task(engine.generate(req(TEXTS[1])))
    await wait_for(lambda: engine.queued() == 1)
    closing = asyncio.create_task(engine.close())
    await asyncio.sleep(0)
    gate.open()
    await closing
    assert (await running).status == "ok"  # the running batch is finished
    assert (await queued).status == "busy"
    with pytest.raises(EngineClosed):
        await engine.generate(req(TEXTS[2]))


async def test_start_failure_is_raised_to_the_caller(tmp_path):
    engine = ReplyEngine(
        ModelSettings(path=str(tmp_path / "missing.gguf"), cache_dir=tmp_path, dtype="float32")
    )
    from model.loader import ModelNotFoundError

    with pytest.raises(ModelNotFoundError):
        await engine.start()
    with pytest.raises(EngineClosed):
        await engine.generate(req("hi"))


async def test_describe_and_health(tiny_loaded):
    async with engine_for(tiny_loaded) as engine:
        assert "tiny-random-llama" in engine.describe()
        assert await engine.healthy()
    assert not await engine.healthy()


async def test_prefix_cache_reuse_gives_the_same_reply(tiny_loaded):
    """A follow-up turn starts with the previous prompt: it reuses those keys/values, same result."""
    first = req(TEXTS[0])
    follow = GenerationRequest(
        messages=(*first.messages, ChatTurn("assistant", "oh no"), ChatTurn("user", "yes, really")),
        sampling=GREEDY,
    )
    async with engine_for(tiny_loaded) as engine:
        engine_cold = await engine.generate(follow)
        engine._decoder.prefix.clear()
        await engine.generate(first)
        reused_before = engine.stats.get("prefix_reused_tokens", 0)
        warm = await engine.generate(follow)
        assert engine.stats.get("prefix_reused_tokens", 0) > reused_before
    assert warm.text == engine_cold.text


async def test_next_turn_reuses_the_previous_prompt_and_reply(tiny_loaded):
    """The finished conversation (prompt + reply) is kept: the next turn prefills only what is new."""
    from model.prompt import PromptBuilder

    first = req(TEXTS[3])
    pb = PromptBuilder(tiny_loaded.tokenizer)
    async with engine_for(tiny_loaded) as engine:
        reply = await engine.generate(first)
        assert reply.new_tokens > 3
        follow = GenerationRequest(
            messages=(*first.messages, ChatTurn("assistant", reply.text), ChatTurn("user", "tell me more")),
            sampling=GREEDY,
        )
        before = engine.stats.get("prefix_reused_tokens", 0)
        warm = await engine.generate(follow)
        reused = engine.stats.get("prefix_reused_tokens", 0) - before
        engine._decoder.prefix.clear()
        cold = await engine.generate(follow)
    first_prompt = len(pb.build(first.messages, 768).ids)
    # (more than the prompt: the random model's reply re-tokenizes differently after a few tokens)
    assert reused > first_prompt, "the reply's keys/values should be reused too, not only the prompt's"
    assert warm.text == cold.text


def test_prefix_cache_keeps_the_longest_conversation_and_its_budget():
    from model.engine_worker import PrefixCache

    kv = lambda n: [torch.zeros(2, n, 4)]  # noqa: E731 - one layer, 2 heads, head_dim 4: 32 B/token, k + v 64 B
    cache = PrefixCache(max_bytes=3_000, min_tokens=4)
    cache.put(list(range(10)), kv(10), kv(10))
    cache.put(list(range(20)), kv(20), kv(20))  # the same conversation, one turn later
    assert list(cache.entries) == [tuple(range(20))], "the shorter prefix is dropped, not kept twice"
    assert cache.lookup(list(range(15)) + [99])[0] == 15
    assert cache.bytes == 20 * 64
    cache.put([7] * 40, kv(40), kv(40))  # 2560 B more: over the budget, the oldest entry goes
    assert cache.bytes <= 3_000 and tuple([7] * 40) in cache.entries
    assert cache.lookup(list(range(20)))[1] is None
    cache.put([1] * 100, kv(100), kv(100))  # larger than the whole budget: not kept
    assert tuple([1] * 100) not in cache.entries


async def test_loads_a_local_model_folder(tmp_path, tiny_loaded):
    from model.loader import load_model

    folder = tmp_path / "my-model"
    tiny_loaded.model.save_pretrained(folder)
    tiny_loaded.tokenizer.save_pretrained(folder)
    loaded = load_model(ModelSettings(path=str(folder), dtype="float32", threads=1, cache_dir=tmp_path))
    assert loaded.source == "folder" and loaded.name == "my-model" and loaded.has_chat_template
    async with ReplyEngine(
        ModelSettings(threads=1), EngineSettings(max_new_tokens=8), loaded=loaded
    ) as engine:
        gen = await engine.generate(req(TEXTS[1]))
    assert gen.status == "ok" and gen.new_tokens > 0


async def test_prompts_sharing_a_cached_prefix_prefill_together_with_the_same_replies(
    tiny_loaded, monkeypatch
):
    """transformers path: follow-ups of different lengths reusing one cached prompt are prefilled as
    one batch."""
    first = req(TEXTS[0])
    follows = [
        GenerationRequest(
            messages=(*first.messages, ChatTurn("assistant", "oh no"), ChatTurn("user", t)),
            sampling=GREEDY,
        )
        for t in TEXTS[1:5]
    ]
    async with engine_for(tiny_loaded, fast_decode=False) as engine:
        cold = []
        for f in follows:
            engine._decoder.prefix.clear()
            cold.append(await engine.generate(f))
        engine._decoder.prefix.clear()
        await engine.generate(first)  # caches the prompt every follow-up starts with

        shapes: list[int] = []
        inner = tiny_loaded.model.model.forward

        def spy(*a, **kw):
            if kw.get("position_ids") is not None and kw["position_ids"].shape[1] > 1:
                shapes.append(int(kw["input_ids"].shape[0]))  # a prefill with a past
            return inner(*a, **kw)

        gate = Gate(
            tiny_loaded, monkeypatch
        )  # holds the worker inside a forward pass while all four queue up
        blocker = asyncio.create_task(engine.generate(req(TEXTS[5])))
        await gate.wait_entered()
        tasks = [asyncio.create_task(engine.generate(f)) for f in follows]
        await wait_for(lambda: engine.queued() == len(follows))
        tiny_loaded.model.model.forward = spy
        gate.open()
        warm = await asyncio.gather(*tasks)
        assert (await blocker).status == "ok"
    assert max(shapes) >= 2, f"prefix hits were prefilled one by one: {shapes}"
    for c, w in zip(cold, warm, strict=True):
        assert c.status == w.status == "ok"
        assert c.texts == w.texts
