"""Style-fidelity figures, the report files, and the masks on the real embedded tokenizer."""

from __future__ import annotations

import json
import tomllib

import pytest

from bot.types import SamplingParams
from model.report import persona_name, plot_losses, write_json, write_persona_toml
from model.style import has_emoji, is_lowercase, style_fidelity, style_figures, top_word_overlap


def test_style_figures_measure_length_emoji_and_case():
    texts = ["haha yes 😂", "omg same", "OK then.", "Sounds good ❤️"]
    figs = style_figures(texts)
    assert figs["messages"] == 4
    assert figs["mean_chars"] == pytest.approx(sum(map(len, texts)) / 4, abs=0.1)
    assert figs["mean_words"] == pytest.approx((2 + 2 + 2 + 2) / 4)
    assert figs["emoji_rate"] == 0.5
    assert figs["lowercase_rate"] == 0.5
    assert has_emoji("🎉") and has_emoji("ok 👍🏽") and not has_emoji("ok :)")
    assert is_lowercase("lol ok") and not is_lowercase("Lol") and not is_lowercase("123")


def test_top_word_overlap_and_fidelity_compare_sets():
    real = ["lol ok see u there", "omg same lol", "nah im good lol"]
    assert top_word_overlap(real, real) == 1.0
    assert top_word_overlap(real, ["Certainly, I would be delighted."]) == 0.0
    out = style_fidelity(real, {"base": ["Certainly, I would be delighted."], "tuned": ["lol same"]})
    assert out["tuned"]["top_word_overlap"] > out["base"]["top_word_overlap"]
    assert out["real"]["lowercase_rate"] == 1.0 and out["base"]["lowercase_rate"] == 0.0


def test_report_files(tmp_path):
    write_json(tmp_path / "r.json", {"loss": float("nan"), "path": tmp_path, "xs": (1, 2)})
    assert json.loads((tmp_path / "r.json").read_text()) == {
        "loss": None,
        "path": str(tmp_path),
        "xs": [1, 2],
    }
    plot_losses(
        {"train": [[1, 3.0], [2, 2.5], [3, 2.0]], "valid": [[0, 3.1], [3, 2.2]]}, tmp_path / "loss.png"
    )
    assert (tmp_path / "loss.png").read_bytes()[:4] == b"\x89PNG"
    assert persona_name("My Bot (v2)!") == "my-bot-v2" and persona_name("???") == "trained"
    write_persona_toml(
        tmp_path / "p.toml",
        name="zoë-bot",
        system_prompt='Say "hi" \\ 😀\nthen stop',
        model_dir=tmp_path,
        clone=True,
        speaker="Zoë",
        description="d",
    )
    data = tomllib.loads((tmp_path / "p.toml").read_text(encoding="utf-8"))
    assert (
        data["system_prompt"] == 'Say "hi" \\ 😀\nthen stop'
        and data["clone"] is True
        and data["consent"] == ""
        and data["display_name"] == "Zoë"
    )
    # the bot reads it back: the clone answers "are you a bot?" with the speaker's name
    from bot.personas import load_personas

    assert load_personas(tmp_path)["zoë-bot"].introduced_as == "Zoë"
    for speaker in (None, "x" * 41, "\x07\n"):  # nothing usable: no display_name line
        write_persona_toml(
            tmp_path / "q.toml",
            name="q",
            system_prompt="s",
            model_dir=tmp_path,
            clone=True,
            speaker=speaker,
            description="d",
        )
        assert "display_name" not in tomllib.loads((tmp_path / "q.toml").read_text(encoding="utf-8"))
    # a name with a line break or a control character from an export cannot break the file
    write_persona_toml(
        tmp_path / "r.toml",
        name="r",
        system_prompt="s",
        model_dir=tmp_path,
        clone=True,
        speaker="Sam\n= 1\x07",
        description="d",
    )
    assert tomllib.loads((tmp_path / "r.toml").read_text(encoding="utf-8"))["display_name"] == "Sam = 1"
    # The written persona samples like the bot's defaults (and like the report's samples).
    assert data["sampling"]["repetition_penalty"] == SamplingParams().repetition_penalty == 1.1


@pytest.mark.slow
def test_masks_with_the_embedded_smollm2_chat_template():
    """The real template (ChatML with a default system prompt) renders prefix by prefix."""
    import torch

    from bot.config import ModelSettings
    from model.loader import load_model
    from model.training import IGNORE, encode_messages

    tok = load_model(ModelSettings(path="embedded", dtype="float32", threads=1)).tokenizer
    torch.set_num_threads(1)
    msgs = [
        {"role": "user", "content": "hey, you up?"},
        {"role": "assistant", "content": "yeah 😅 cant sleep"},
        {"role": "user", "content": "same lol"},
        {"role": "assistant", "content": "wanna call?"},
    ]
    enc = encode_messages(tok, msgs, max_length=512, use_template=True)
    assert tok.decode(enc.input_ids) == tok.apply_chat_template(msgs, tokenize=False)
    labelled = tok.decode([t for t, lab in zip(enc.input_ids, enc.labels, strict=True) if lab != IGNORE])
    assert labelled == "yeah 😅 cant sleep<|im_end|>\nwanna call?<|im_end|>\n"
    context = tok.decode([t for t, lab in zip(enc.input_ids, enc.labels, strict=True) if lab == IGNORE])
    assert "You are a helpful AI assistant named SmolLM" in context  # the template's default system turn
