"""Per-sequence sampling, vectorised over a batch whose rows each have their own parameters.

Order as in transformers' ``generate``: repetition penalty, no-repeat n-gram ban, then temperature,
top-k and top-p; temperature 0 means greedy. Each row draws from its own ``torch.Generator`` so a
seeded request gives the same text whatever else is in the batch.

The no-repeat n-gram ban looks at the reply's own tokens only (not the prompt): small models loop
inside their own output, while banning n-grams of the prompt would forbid quoting the person or
ending a reply the way a template turn ends.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from bot.types import SamplingParams

NEG_INF = float("-inf")


@dataclass(eq=False)
class RowState:
    """What the sampler remembers about one sequence."""

    params: SamplingParams
    seen: torch.Tensor
    """bool[vocab]: tokens of the prompt and reply so far (for the repetition penalty)."""
    seen_ids: list[int] = field(default_factory=list)
    """The same tokens as ids, each once: the penalty touches only these columns, not the vocab."""
    generator: torch.Generator | None = None
    generated: list[int] = field(default_factory=list)
    ngrams: dict[tuple[int, ...], set[int]] = field(default_factory=dict)
    exempt: frozenset[int] = frozenset()
    """Token ids never banned by the n-gram rule (end of turn)."""

    @classmethod
    def create(
        cls,
        params: SamplingParams,
        prompt_ids: list[int],
        vocab_size: int,
        *,
        seed: int | None = None,
        exempt: frozenset[int] = frozenset(),
    ) -> RowState:
        seen = torch.zeros(vocab_size, dtype=torch.bool)
        seen_ids: list[int] = []
        if params.repetition_penalty != 1.0 and prompt_ids:
            seen_ids = sorted({min(max(t, 0), vocab_size - 1) for t in prompt_ids})
            seen[torch.tensor(seen_ids, dtype=torch.long)] = True
        gen = None
        if params.temperature > 0:
            gen = torch.Generator()
            gen.manual_seed(seed if seed is not None else int(torch.randint(0, 2**62, (1,)).item()))
        return cls(params=params, seen=seen, seen_ids=seen_ids, generator=gen, exempt=exempt)

    def push(self, token: int) -> None:
        n = self.params.no_repeat_ngram_size
        self.generated.append(token)
        if 0 <= token < self.seen.numel() and not self.seen[token]:
            self.seen[token] = True
            self.seen_ids.append(token)
        if n > 0 and len(self.generated) >= n:
            gram = self.generated[-n:]
            self.ngrams.setdefault(tuple(gram[:-1]), set()).add(gram[-1])

    def banned(self) -> set[int]:
        n = self.params.no_repeat_ngram_size
        if n <= 0 or len(self.generated) < n - 1:
            return set()
        key = tuple(self.generated[-(n - 1) :]) if n > 1 else ()
        return self.ngrams.get(key, set()) - self.exempt


def choose_next(logits: torch.Tensor, rows: list[RowState]) -> list[int]:
    """Pick one token per row. ``logits`` is [rows, vocab] (any float dtype); returns token ids."""
    logits = logits.to(torch.float32, copy=True)  # edited in place below; the caller's stays intact
    b, vocab = logits.shape
    device = logits.device

    # Repetition penalty (CTRL paper, as in transformers): shrink the score of any token seen before.
    # Only the seen columns are gathered and written back: a few hundred per row instead of the
    # whole vocabulary (the same float operations, so the same result as a full-vocab where()).
    pen_rows = [i for i, r in enumerate(rows) if r.params.repetition_penalty != 1.0 and r.seen_ids]
    if pen_rows:
        cols = [c for i in pen_rows for c in rows[i].seen_ids if c < vocab]
        rix = [i for i in pen_rows for c in rows[i].seen_ids if c < vocab]
        pens = [rows[i].params.repetition_penalty for i in rix]
        r_t = torch.tensor(rix, dtype=torch.long, device=device)
        c_t = torch.tensor(cols, dtype=torch.long, device=device)
        p_t = torch.tensor(pens, dtype=logits.dtype, device=device)
        vals = logits[r_t, c_t]
        logits[r_t, c_t] = torch.where(vals > 0, vals / p_t, vals * p_t)

    for i, r in enumerate(rows):
        banned = r.banned()
        if banned:
            logits[i, list(banned)] = NEG_INF

    out: list[int] = [0] * b
    greedy = [i for i, r in enumerate(rows) if r.params.temperature == 0 or r.generator is None]
    sampled = [i for i in range(b) if i not in set(greedy)]
    if greedy:
        picks = logits[greedy].argmax(dim=-1).tolist()
        for i, t in zip(greedy, picks, strict=True):
            out[i] = int(t)
    if not sampled:
        return out

    sub = logits if len(sampled) == b else logits[sampled]  # no 16 x vocab copy in the usual case
    temp = torch.tensor([rows[i].params.temperature for i in sampled], device=device).unsqueeze(1)
    ks = [rows[i].params.top_k if rows[i].params.top_k > 0 else vocab for i in sampled]
    kmax = min(max(ks), vocab)
    # Dividing by a positive temperature keeps the order: pick first, then scale only kmax values.
    vals, idx = sub.topk(kmax, dim=-1)  # sorted, descending
    vals = vals / temp
    pos = torch.arange(kmax, device=device).unsqueeze(0)
    k_t = torch.tensor(ks, device=device).unsqueeze(1)
    vals = vals.masked_fill(pos >= k_t, NEG_INF)
    probs = vals.softmax(dim=-1)
    top_p = torch.tensor([rows[i].params.top_p for i in sampled], device=device).unsqueeze(1)
    # Keep the smallest prefix whose mass reaches top_p (always at least the first token).
    remove = (probs.cumsum(dim=-1) - probs) > top_p
    vals = vals.masked_fill(remove, NEG_INF)
    probs = vals.softmax(dim=-1)
    for j, i in enumerate(sampled):
        choice = torch.multinomial(probs[j], 1, generator=rows[i].generator)
        out[i] = int(idx[j, choice].item())
    return out
