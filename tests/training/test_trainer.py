"""Fine-tuning tiny models built in the test: the loss falls, the folder loads and generates, resume is exact."""

from __future__ import annotations

import json

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from model.training import (
    TrainConfig,
    Trainer,
    TrainingError,
    encode_examples,
    generate_replies,
    load_checkpoint_state,
    prepare_model,
    save_model,
)

from .conftest import SAM, chat_rows

pytestmark = pytest.mark.slow


def _setup(model_dir, cfg, n_train=96, n_valid=24):
    tok = AutoTokenizer.from_pretrained(model_dir)
    torch.manual_seed(cfg.seed)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    use_template = bool(tok.chat_template)
    train, _ = encode_examples(tok, chat_rows(n_train, seed=1), max_length=128, use_template=use_template)
    valid, _ = encode_examples(tok, chat_rows(n_valid, seed=2), max_length=128, use_template=use_template)
    return tok, prepare_model(model, cfg), train, valid


@pytest.mark.parametrize("full", [False, True], ids=["lora", "full"])
def test_tiny_model_loss_falls_and_saved_folder_loads_and_generates(tiny_model_dir, tmp_path, full):
    cfg = TrainConfig(
        full=full,
        max_steps=40,
        epochs=100,
        lr=1e-2 if not full else 3e-3,
        batch_size=8,
        precision="fp32",
        eval_every=10,
        lora_r=16,
        lora_alpha=32,
    )
    tok, model, train, valid = _setup(tiny_model_dir, cfg)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    assert (trainable == total) == full  # LoRA trains a small part only

    result = Trainer(model, tok, train, valid, cfg, progress=False).run()
    assert result.steps == 40 and result.stopped_by == "max_steps"
    # A random tiny base learns slowly through LoRA alone; full fine-tuning learns the replies outright.
    assert result.valid_loss_after < result.valid_loss_before - (3.0 if full else 0.5), result
    assert [s for s, _ in result.history["valid"]] == [0, 10, 20, 30, 40]
    assert result.train_tokens > result.target_tokens > 0 and result.tokens_per_second > 0

    out = tmp_path / "out"
    save_model(model, tok, out)
    assert (out / "config.json").is_file() and (out / "model.safetensors").is_file()
    assert not (out / "adapter_config.json").exists()  # merged: a plain model folder
    loaded = AutoModelForCausalLM.from_pretrained(out)
    loaded_tok = AutoTokenizer.from_pretrained(out)
    assert loaded_tok.chat_template == tok.chat_template
    replies = generate_replies(
        loaded,
        loaded_tok,
        [m["messages"][:-1] for m in chat_rows(4, seed=3)],
        use_template=True,
        max_new_tokens=12,
    )
    assert len(replies) == 4 and all(isinstance(r, str) for r in replies)
    if full:  # it learnt Sam's replies: most generated replies are one of Sam's lines
        assert sum(r in SAM for r in replies) >= 2, replies


def test_saved_folder_loads_in_the_bot_loader(tiny_model_dir, tmp_path):
    from bot.config import ModelSettings
    from model.loader import load_model

    cfg = TrainConfig(max_steps=3, precision="fp32")
    tok, model, train, valid = _setup(tiny_model_dir, cfg, n_train=24, n_valid=8)
    Trainer(model, tok, train, valid, cfg, progress=False).run()
    save_model(model, tok, tmp_path / "m", keep_adapter=True)
    assert (tmp_path / "m" / "adapter" / "adapter_config.json").is_file()
    lm = load_model(ModelSettings(path=str(tmp_path / "m"), dtype="float32", cache_dir=tmp_path / "cache"))
    assert lm.source == "folder" and lm.has_chat_template


def test_transcript_model_trains_without_a_chat_template(tiny_plain_model_dir):
    cfg = TrainConfig(max_steps=25, lr=1e-2, precision="fp32", eval_every=25)
    tok, model, train, valid = _setup(tiny_plain_model_dir, cfg, n_train=64, n_valid=16)
    result = Trainer(model, tok, train, valid, cfg, progress=False).run()
    assert result.valid_loss_after < result.valid_loss_before


class _Interrupted(Trainer):
    """Stops after ``stop_at`` steps, as if the run had been killed right after a checkpoint."""

    stop_at = 3

    def _stop_reason(self):
        return "interrupted" if self.step >= self.stop_at else super()._stop_reason()


def test_resume_continues_exactly_where_the_checkpoint_left_off(tiny_model_dir, tmp_path):
    # Dropout on, so the restored RNG matters too.
    cfg = TrainConfig(max_steps=6, save_every=3, lr=5e-3, precision="fp32", lora_dropout=0.1, eval_every=100)
    tok, model, train, valid = _setup(tiny_model_dir, cfg)
    straight = Trainer(model, tok, train, valid, cfg, out_dir=tmp_path / "a", progress=False).run()

    tok, model, train, valid = _setup(tiny_model_dir, cfg)
    first = _Interrupted(model, tok, train, valid, cfg, out_dir=tmp_path / "b", progress=False)
    first.extra_state["note"] = "kept"
    first.run()
    state = load_checkpoint_state(tmp_path / "b")
    assert state["step"] == 3 and state["extra"] == {"note": "kept"}

    # A fresh process: new model (a different LoRA init, overwritten by the checkpoint), new optimizer.
    torch.manual_seed(123)
    tok, model, train, valid = _setup(tiny_model_dir, TrainConfig(**{**cfg.__dict__, "seed": 0}))
    resumed = Trainer(model, tok, train, valid, cfg, out_dir=tmp_path / "b", progress=False)
    resumed.resume()
    assert resumed.step == 3 and resumed.extra_state == {"note": "kept"}
    result = resumed.run()
    assert result.steps == 6 and result.resumed_from_step == 3
    got = [loss for _, loss in result.history["train"]]
    want = [loss for _, loss in straight.history["train"]]
    assert got == pytest.approx(want, rel=1e-5)
    assert result.valid_loss_after == pytest.approx(straight.valid_loss_after, rel=1e-5)
    assert result.valid_loss_before == pytest.approx(straight.valid_loss_before)


def test_resume_refuses_a_different_configuration(tiny_model_dir, tmp_path):
    cfg = TrainConfig(max_steps=2, save_every=1, precision="fp32")
    tok, model, train, valid = _setup(tiny_model_dir, cfg, n_train=16, n_valid=4)
    Trainer(model, tok, train, valid, cfg, out_dir=tmp_path, progress=False).run()
    other = TrainConfig(max_steps=4, save_every=1, precision="fp32", batch_size=4)
    tok, model, train, valid = _setup(tiny_model_dir, other, n_train=16, n_valid=4)
    with pytest.raises(TrainingError, match="batch-size was 8"):
        Trainer(model, tok, train, valid, other, out_dir=tmp_path, progress=False).resume()
    assert json.loads((tmp_path / "checkpoints" / "last" / "state.json").read_text())["step"] == 2


def test_time_budget_stops_the_run(tiny_model_dir):
    cfg = TrainConfig(minutes=0.02, epochs=1000, precision="fp32", eval_every=1000)  # 1.2 s
    tok, model, train, valid = _setup(tiny_model_dir, cfg, n_train=32, n_valid=4)
    result = Trainer(model, tok, train, valid, cfg, progress=False).run()
    assert result.stopped_by == "minutes"
    assert 1.2 <= result.train_seconds < 10


def test_bad_configuration_is_refused():
    with pytest.raises(TrainingError, match="batch_size"):
        TrainConfig(batch_size=0)
    with pytest.raises(TrainingError, match="max_length"):
        TrainConfig(max_length=4)


def test_ctrl_c_saves_a_checkpoint_that_resumes(tiny_model_dir, tmp_path):
    cfg = TrainConfig(max_steps=4, save_every=100, eval_every=2, precision="fp32")
    tok, model, train, valid = _setup(tiny_model_dir, cfg, n_train=32, n_valid=4)

    def interrupt(step, loss):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Trainer(model, tok, train, valid, cfg, out_dir=tmp_path, progress=False, on_eval=interrupt).run()
    assert load_checkpoint_state(tmp_path)["step"] == 2
    tok, model, train, valid = _setup(tiny_model_dir, cfg, n_train=32, n_valid=4)
    trainer = Trainer(model, tok, train, valid, cfg, out_dir=tmp_path, progress=False)
    trainer.resume()
    assert trainer.run().steps == 4
