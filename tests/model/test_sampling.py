"""choose_next against transformers' own logits processors (no model needed)."""

from __future__ import annotations

import torch
from transformers import RepetitionPenaltyLogitsProcessor

from bot.types import SamplingParams
from model.sampling import RowState, choose_next

VOCAB = 512


def _params(**kw) -> SamplingParams:
    base = {"temperature": 0, "repetition_penalty": 1.0, "no_repeat_ngram_size": 0, "max_new_tokens": 8}
    base.update(kw)
    return SamplingParams(**base)


def test_repetition_penalty_matches_transformers_per_row():
    torch.manual_seed(0)
    penalties = [1.0, 1.3, 2.0, 1.1]
    prompts = [torch.randint(0, VOCAB, (n,)).tolist() for n in (5, 40, 3, 60)]
    rows = [
        RowState.create(_params(repetition_penalty=p), ids, VOCAB)
        for p, ids in zip(penalties, prompts, strict=True)
    ]
    # Make the penalty decide: the seen tokens hold the highest scores, positive and negative.
    logits = torch.randn(4, VOCAB)
    for i, ids in enumerate(prompts):
        logits[i, ids] += 5.0
    want = []
    for i, (p, ids) in enumerate(zip(penalties, prompts, strict=True)):
        proc = RepetitionPenaltyLogitsProcessor(penalty=p)
        want.append(int(proc(torch.tensor([ids]), logits[i : i + 1].clone()).argmax()))
    before = logits.clone()
    assert choose_next(logits, rows) == want
    assert torch.equal(logits, before), "choose_next must not edit the caller's logits"
    assert want != logits.argmax(dim=-1).tolist(), "the penalty must change at least one row's pick"


def test_penalty_counts_reply_tokens_once_they_are_pushed():
    row = RowState.create(_params(repetition_penalty=1e6), [1], VOCAB)
    logits = torch.zeros(1, VOCAB)
    logits[0, 7] = 10.0
    logits[0, 8] = 9.0
    assert choose_next(logits, [row]) == [7]
    row.push(7)
    row.push(7)  # pushing twice must not count it twice
    assert row.seen_ids == [1, 7]
    assert choose_next(logits, [row]) == [8]
