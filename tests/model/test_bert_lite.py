"""model/bert_lite.py against transformers on the crisis classifier's real all-MiniLM-L6-v2 folder: the
same windows from the tokenizer, the same hidden states, the same vectors with the fine-tuned delta
merged, the same classifier scores; the bot's classifier then never imports transformers, and a
folder bert_lite cannot run still loads through transformers."""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import torch

from model import bert_lite
from model.crisis_classifier import (
    MAX_TOKENS,
    WINDOW_STRIDE,
    CrisisClassifier,
    SentenceEmbedder,
    TunedHead,
    embedder_dir,
    load_head,
)
from tests.safety.corpus import message_texts

ROOT = Path(__file__).parents[2]
FOLDER = embedder_dir()
LONG = " ".join(message_texts()[:150])  # ~960 word pieces: five windows of 256
ODD_TEXTS = [
    "",
    " ",
    "😂😂 that joke killed me 🔥",
    "я больше не могу так жить",
    "我不想活了",
    "أريد أن أنام ولا أستيقظ",
    "मैं थक गया हूँ",
    "Ça ne sert à rien, ÉLÈVE ñandú Straße",
    "[CLS] hi [SEP] [MASK] [unk] [pad] [UNK]",
    "tab\there\x00nul\u200bzero-width\r\nnewline",
    "a" * 300,
    LONG,
    LONG[:1200],
]


@pytest.fixture(scope="module")
def hf() -> tuple:
    """transformers' tokenizer and BertModel for the same folder, loaded as the classifier used to."""
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(FOLDER), local_files_only=True)
    return tokenizer, AutoModel.from_pretrained(str(FOLDER), local_files_only=True).eval()


@pytest.fixture(scope="module")
def lite() -> tuple[bert_lite.WindowTokenizer, bert_lite.BertEncoder]:
    return (
        bert_lite.WindowTokenizer(FOLDER, max_length=MAX_TOKENS, stride=WINDOW_STRIDE),
        bert_lite.BertEncoder.load(FOLDER),
    )


def _hf_windows(tokenizer, texts: list[str]) -> dict[str, torch.Tensor]:
    """What SentenceEmbedder asked transformers' tokenizer for before bert_lite."""
    return dict(
        tokenizer(
            texts,
            truncation=True,
            max_length=MAX_TOKENS,
            stride=WINDOW_STRIDE,
            return_overflowing_tokens=True,
            padding=True,
            return_tensors="pt",
        )
    )


def _raise_unsupported(*args: object, **kwargs: object) -> None:
    raise bert_lite.Unsupported("the test asks for transformers")


@contextlib.contextmanager
def transformers_only() -> Iterator[None]:
    """Within it, SentenceEmbedder falls back to transformers (as for a folder bert_lite cannot run)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(bert_lite, "WindowTokenizer", _raise_unsupported)
        yield


def test_windows_equal_transformers_tokenizer(hf, lite) -> None:
    tokenizer, windows = hf[0], lite[0]
    texts = message_texts()
    assert len(texts) > 5000
    batches = [texts[i : i + 32] for i in range(0, len(texts), 32)]
    batches += [ODD_TEXTS, [LONG], ["hi", LONG, "", LONG[:700], "ok"], texts[:7] + ODD_TEXTS[::-1]]
    overflowing = 0
    for batch in batches:
        want, got = _hf_windows(tokenizer, batch), windows(batch)
        assert list(got) == list(want), batch[:3]
        for key in want:
            assert got[key].dtype == want[key].dtype and torch.equal(got[key], want[key]), (key, batch[:3])
        overflowing += len(got["overflow_to_sample_mapping"]) - len(batch)
    assert overflowing > 10  # the long texts were cut into overlapping windows


def test_hidden_states_equal_bert_model(hf, lite) -> None:
    model, encoder = hf[1], lite[1]
    padded = lite[0](["I can't do this anymore", LONG[:1200], "😂", ""] + message_texts()[-6:])
    padded.pop("overflow_to_sample_mapping")
    assert padded["input_ids"].shape[1] == MAX_TOKENS and not padded["attention_mask"].all()
    unpadded = lite[0](["nobody would notice if I was gone"])
    unpadded.pop("overflow_to_sample_mapping")
    for batch in (padded, unpadded):
        with torch.inference_mode():
            want = model(**batch, output_hidden_states=True).hidden_states
            got = encoder(**batch, output_hidden_states=True).hidden_states
            before = torch.get_default_dtype()
            torch.set_default_dtype(torch.bfloat16)  # what the engine does for a moment while it loads
            try:
                during = encoder(**batch).hidden_states
            finally:
                torch.set_default_dtype(before)
        assert len(got) == len(want) == model.config.num_hidden_layers + 1
        for g, w, d in zip(got, want, during, strict=True):
            assert g.dtype == torch.float32 and g.shape == w.shape
            assert float((g - w).abs().max()) < 1e-5
            assert torch.equal(d, g)


def test_the_weights_live_in_the_process_memory_not_in_a_file_mapping(lite) -> None:
    from .conftest import mapped_from

    encoder = lite[1]
    assert mapped_from(FOLDER / "model.safetensors", list(encoder.parameters())) == []


def test_module_names_are_transformers_own(hf, lite) -> None:
    """Adapter.merge_into finds the linear layers by transformers' names."""
    encoder = lite[1]
    want = {k for k in hf[1].state_dict() if not k.startswith("pooler.")}
    assert set(encoder.state_dict()) == want
    head = load_head()
    assert isinstance(head, TunedHead)
    modules = dict(encoder.named_modules())
    assert all(isinstance(modules.get(name), torch.nn.Linear) for name in head.adapter.lora)


@pytest.fixture(scope="module")
def tuned_pair() -> tuple[SentenceEmbedder, SentenceEmbedder]:
    """The classifier's embedder (frozen layers, e5, the merged adapter) through bert_lite and transformers."""
    head = load_head()
    assert isinstance(head, TunedHead)
    lite_embedder = SentenceEmbedder(FOLDER, **head.embedder_kwargs())
    with transformers_only():
        hf_embedder = SentenceEmbedder(FOLDER, **head.embedder_kwargs())
    return lite_embedder, hf_embedder


def test_merged_adapter_gives_the_same_vectors(tuned_pair) -> None:
    lite_embedder, hf_embedder = tuned_pair
    assert isinstance(lite_embedder.model, bert_lite.BertEncoder)
    assert isinstance(lite_embedder.tuned, bert_lite.BertEncoder)
    assert not isinstance(hf_embedder.model, bert_lite.BertEncoder)
    name = "encoder.layer.0.attention.self.query"
    frozen, tuned = dict(lite_embedder.model.named_modules()), dict(lite_embedder.tuned.named_modules())
    assert not torch.equal(frozen[name].weight, tuned[name].weight)  # merged into the copy only
    short = [t for t in ODD_TEXTS if len(t) < 400] + message_texts()[::400]
    for texts in (short, [LONG[:1200], "hi"]):  # the second: two windows of 256 and a padded one
        got, got_owners = lite_embedder.embed_windows(texts)
        want, want_owners = hf_embedder.embed_windows(texts)
        assert got.shape == want.shape and got.shape[1] == lite_embedder.dim
        np.testing.assert_array_equal(got_owners, want_owners)
        assert float(np.abs(got - want).max()) < 1e-5


def _test_set_lines() -> list[str]:
    texts = []
    for path in sorted((ROOT / "tests" / "safety").glob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        texts += [row["text"] for row in rows[::15] if "text" in row]  # not the conversations
    return texts


def test_classifier_scores_equal_the_transformers_path() -> None:
    texts = _test_set_lines() + [LONG]
    assert len(texts) > 200
    with transformers_only():
        hf_classifier = CrisisClassifier()
        want = hf_classifier.score_many_sync(texts)  # loads first
    lite_classifier = CrisisClassifier()
    got = lite_classifier.score_many_sync(texts)
    assert hf_classifier._embedder is not None and lite_classifier._embedder is not None
    assert not isinstance(hf_classifier._embedder.model, bert_lite.BertEncoder)
    assert isinstance(lite_classifier._embedder.model, bert_lite.BertEncoder)
    assert float(np.abs(np.asarray(got) - np.asarray(want)).max()) < 1e-5
    for classifier in (hf_classifier, lite_classifier):
        asyncio.run(classifier.close())


def test_the_bots_classifier_does_not_import_transformers() -> None:
    code = (
        "import sys\n"
        "from model.crisis_classifier import CrisisClassifier\n"
        "from model.bert_lite import BertEncoder\n"
        "clf = CrisisClassifier()\n"  # as bot/crisis.py builds it
        "[score] = clf.score_many_sync(['I want to kill myself'])\n"
        "assert isinstance(clf._embedder.model, BertEncoder)\n"
        "print(score, 'transformers' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    score, imported = proc.stdout.split()
    assert float(score) > 0.9
    assert imported == "False", "building and using the crisis classifier imported transformers"


def _folder_copy(tmp_path: Path, *, without: str = "", config: dict | None = None) -> Path:
    """The embedder folder through symlinks, minus one file or with config.json changed."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    for f in FOLDER.iterdir():
        if f.is_file() and f.name != without and not (config and f.name == "config.json"):
            (tmp_path / f.name).symlink_to(f)
    if config:
        data = json.loads((FOLDER / "config.json").read_text(encoding="utf-8"))
        (tmp_path / "config.json").write_text(json.dumps({**data, **config}), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "change",
    [
        {"model_type": "roberta"},
        {"position_embedding_type": "relative_key"},
        {"hidden_act": "gelu_new"},
        {"is_decoder": True},
    ],
)
def test_unsupported_configs_are_refused(tmp_path: Path, change: dict) -> None:
    with pytest.raises(bert_lite.Unsupported, match=next(iter(change))):
        bert_lite.BertEncoder.load(_folder_copy(tmp_path, config=change))


def test_a_folder_bert_lite_cannot_run_loads_through_transformers(tmp_path: Path) -> None:
    texts = ["I can't do this anymore", LONG, "😂"]
    reference = SentenceEmbedder(FOLDER)
    assert isinstance(reference.model, bert_lite.BertEncoder)
    want, _ = reference.embed_windows(texts)

    # An unsupported config: transformers runs it as it asks (the tanh GELU).
    odd = SentenceEmbedder(_folder_copy(tmp_path / "gelu_new", config={"hidden_act": "gelu_new"}))
    assert type(odd.model).__name__ == "BertModel" and odd.model.config.hidden_act == "gelu_new"
    got, _ = odd.embed_windows(texts)
    assert got.shape == want.shape and np.isfinite(got).all()

    # No tokenizer.json: transformers builds the tokenizer from vocab.txt; the same numbers.
    with pytest.raises(bert_lite.Unsupported, match="tokenizer.json"):
        bert_lite.WindowTokenizer(
            _folder_copy(tmp_path / "vocab_only", without="tokenizer.json"), max_length=8, stride=2
        )
    plain = SentenceEmbedder(tmp_path / "vocab_only")
    assert type(plain.model).__name__ == "BertModel"
    got, _ = plain.embed_windows(texts)
    assert float(np.abs(got - want).max()) < 1e-5
