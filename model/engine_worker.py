"""The engine's worker-thread side: turns queued jobs into generations.

Simple version: one request at a time, its candidates decoded together as one batch.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass
from typing import Any

import torch
from transformers import DynamicCache

from bot.config import EngineSettings
from bot.types import Generation
from model.engine import Job
from model.prompt import PromptBuilder, end_of_turn_ids
from model.sampling import RowState, choose_next

log = logging.getLogger(__name__)


def cut_at_stop(text: str, stops: tuple[str, ...]) -> tuple[str, bool]:
    """Cut ``text`` at the earliest stop string; returns (text, whether a stop was found)."""
    best = -1
    for s in stops:
        if s:
            i = text.find(s)
            if i >= 0 and (best < 0 or i < best):
                best = i
    return (text[:best], True) if best >= 0 else (text, False)


@dataclass(eq=False)
class Sequence:
    job: Job
    row: RowState
    stops: tuple[str, ...]
    max_new: int
    finished: str = ""  # "", "stop" or "length"
    text: str = ""


class BatchDecoder:
    def __init__(self, loaded: Any, settings: EngineSettings, stats: dict[str, float]) -> None:
        self.loaded = loaded
        self.model = loaded.model
        self.tokenizer = loaded.tokenizer
        self.settings = settings
        self.stats = stats
        self.device = loaded.device
        self.prompts = PromptBuilder(self.tokenizer, use_chat_template=loaded.has_chat_template)
        self.eot = end_of_turn_ids(self.tokenizer, self.model)
        self.vocab = int(self.model.get_output_embeddings().weight.shape[0])
        self._pending: list[Job] = []

    # ------------------------------------------------------------------ serving loop

    def serve(self, q: queue.Queue[Job | None], closing: threading.Event) -> None:
        while True:
            job = q.get()
            if job is None:
                if closing.is_set():
                    return
                continue
            if closing.is_set():
                job.resolve(Generation(status="busy", error="the engine is shutting down"))
                continue
            self._run_one(job)

    def fail_all(self, reason: str) -> None:
        for job in self._pending:
            job.resolve(Generation(status="error", error=reason))

    # ------------------------------------------------------------------ one request

    def _run_one(self, job: Job) -> None:
        if time.monotonic() > job.deadline:
            job.resolve(Generation(status="busy", error="deadline passed in the queue"))
            return
        if not job.try_start():
            return  # the caller gave up
        self._pending = [job]
        try:
            result = self._generate(job)
        except Exception as exc:  # one bad request must not take the engine down
            log.exception("generation failed for one request")
            result = Generation(status="error", error=f"{type(exc).__name__}: {exc}")
        finally:
            self._pending = []
        job.resolve(result)

    @torch.inference_mode()
    def _generate(self, job: Job) -> Generation:
        req = job.request
        built = self.prompts.build(req.messages, req.history_budget)
        stops = tuple(dict.fromkeys((*req.stop, *built.stop)))
        n = req.num_candidates
        max_new = min(req.sampling.max_new_tokens, self.settings.max_new_tokens)
        seqs = [
            Sequence(
                job=job,
                row=RowState.create(
                    req.sampling,
                    built.ids,
                    self.vocab,
                    seed=None if req.seed is None else req.seed + i,
                    exempt=self.eot,
                ),
                stops=stops,
                max_new=max_new,
            )
            for i in range(n)
        ]
        ids = torch.tensor([built.ids] * n, dtype=torch.long, device=self.device)
        cache = DynamicCache(config=self.model.config)
        out = self.model(input_ids=ids, past_key_values=cache, use_cache=True)
        logits = out.logits[:, -1, :]
        new_tokens = 0
        for _step in range(max_new):
            if job.abandoned:
                return Generation(status="error", error="cancelled")
            tokens = choose_next(logits, [s.row for s in seqs])
            for s, tok in zip(seqs, tokens, strict=True):
                if s.finished:
                    continue
                new_tokens += 1
                self._advance(s, tok)
            self.stats["steps"] += 1
            if all(s.finished for s in seqs):
                break
            step_ids = torch.tensor([[t] for t in tokens], dtype=torch.long, device=self.device)
            out = self.model(input_ids=step_ids, past_key_values=cache, use_cache=True)
            logits = out.logits[:, -1, :]
        for s in seqs:
            if not s.finished:
                s.finished = "length"
                s.text = self._text(s)
        self.stats["tokens"] += new_tokens
        self.stats["requests"] += 1
        now = time.monotonic()
        return Generation(
            texts=tuple(s.text for s in seqs),
            prompt_tokens=len(built.ids),
            new_tokens=new_tokens,
            queued_s=job.started_at - job.enqueued_at,
            latency_s=now - job.enqueued_at,
            finish_reasons=tuple(s.finished for s in seqs),
        )

    def _advance(self, s: Sequence, tok: int) -> None:
        if tok in self.eot:
            s.finished = "stop"
            s.text = self._text(s)
            return
        s.row.push(tok)
        raw = self.tokenizer.decode(s.row.generated, skip_special_tokens=False)
        cut, stopped = cut_at_stop(raw, s.stops)
        if stopped:
            s.finished = "stop"
            s.text = cut.strip()
        elif len(s.row.generated) >= s.max_new:
            s.finished = "length"
            s.text = raw.strip()

    def _text(self, s: Sequence) -> str:
        raw = self.tokenizer.decode(s.row.generated, skip_special_tokens=False)
        return cut_at_stop(raw, s.stops)[0].strip()
