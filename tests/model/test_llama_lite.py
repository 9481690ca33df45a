"""The transformers-free Llama and tokenizer (model/llama_lite.py) against transformers itself."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch

from bot.config import EngineSettings, ModelSettings
from model.engine import ReplyEngine
from model.llama_lite import LiteLlama, LiteLoadError, LiteTokenizer, load_lite_model, unsupported_reason
from model.loader import ModelLoadError, load_model

from .conftest import embedded_settings, make_tiny_loaded
from .test_engine import TEXTS, req

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def tiny_folder(smol_tokenizer, tmp_path) -> Path:
    """A 2-layer random Llama saved as transformers saves a model (what train_persona writes)."""
    loaded = make_tiny_loaded(smol_tokenizer, seed=3)
    folder = tmp_path / "tiny"
    loaded.model.save_pretrained(folder, safe_serialization=True)
    smol_tokenizer.save_pretrained(folder)
    return folder


def _edit_config(folder: Path, **changes: object) -> None:
    path = folder / "config.json"
    cfg = json.loads(path.read_text())
    cfg.update(changes)
    path.write_text(json.dumps(cfg))


def test_logits_equal_transformers_on_a_padded_batch(tiny_folder):
    from transformers import AutoModelForCausalLM

    ref = AutoModelForCausalLM.from_pretrained(tiny_folder, dtype=torch.float32).eval()
    lite = load_lite_model(tiny_folder, torch.float32)
    assert unsupported_reason(tiny_folder) is None
    ids = torch.randint(0, lite.config.vocab_size, (3, 17), generator=torch.Generator().manual_seed(1))
    mask = torch.ones_like(ids)
    mask[1, 11:] = 0  # right padding: the padded row's real tokens must not change
    mask[2, 5:] = 0
    with torch.inference_mode():
        want = ref(input_ids=ids, attention_mask=mask).logits
        got = lite(ids, attention_mask=mask).logits
    for row, n in ((0, 17), (1, 11), (2, 5)):
        torch.testing.assert_close(got[row, :n], want[row, :n], atol=2e-5, rtol=1e-4)
    # the tied output layer is the embedding, not a copy
    assert lite.lm_head.weight is lite.model.embed_tokens.weight
    assert not any(p.requires_grad for p in lite.parameters())


def test_the_weights_live_in_the_process_memory_not_in_a_file_mapping(tiny_folder):
    from safetensors import safe_open

    from .conftest import mapped_from

    weights = tiny_folder / "model.safetensors"
    with safe_open(str(weights), framework="pt") as f:  # the check itself sees a mapped tensor
        name = next(iter(f.keys()))
        mapped = f.get_tensor(name)
        assert mapped_from(weights, [mapped]), "the check should see safetensors' own mapping"
        lite = load_lite_model(tiny_folder, torch.float32)
        assert mapped_from(weights, list(lite.parameters())) == []


def test_bfloat16_load_is_the_weights_cast_once(tiny_folder):
    lite = load_lite_model(tiny_folder, torch.bfloat16)
    ref = load_lite_model(tiny_folder, torch.float32)
    assert lite.dtype == torch.bfloat16
    for (name, p), (_, q) in zip(lite.named_parameters(), ref.named_parameters(), strict=True):
        assert torch.equal(p, q.to(torch.bfloat16)), name


async def test_engine_on_the_lite_model_replies_as_on_transformers(tiny_folder):
    results = {}
    for lite in (True, False):
        loaded = load_model(ModelSettings(path=str(tiny_folder), threads=1, dtype="float32"), lite=lite)
        assert loaded.lite == lite
        assert isinstance(loaded.model, LiteLlama) == lite
        assert loaded.has_chat_template
        async with ReplyEngine(
            ModelSettings(threads=1), EngineSettings(max_new_tokens=48), loaded=loaded
        ) as engine:
            assert engine._decoder.fast is not None
            gens = await asyncio.gather(*(engine.generate(req(t)) for t in TEXTS))
        assert all(g.status == "ok" for g in gens)
        results[lite] = [g.texts for g in gens]
    assert results[True] == results[False]
    assert len({t[0] for t in results[True]}) > 1  # the replies depend on the prompt


async def test_the_lite_model_needs_the_fast_path(tiny_folder):
    loaded = load_model(ModelSettings(path=str(tiny_folder), threads=1, dtype="float32"), lite=True)
    engine = ReplyEngine(ModelSettings(threads=1), EngineSettings(fast_decode=False), loaded=loaded)
    with pytest.raises(
        ValueError, match=r"without transformers.*that path is off \(engine.fast_decode = false\)"
    ):
        await engine.start()
    # and an engine that loads for itself with fast_decode off asks transformers for the model
    engine = ReplyEngine(
        ModelSettings(path=str(tiny_folder), threads=1, dtype="float32"), EngineSettings(fast_decode=False)
    )
    async with engine:
        assert not engine._loaded.lite
        assert (await engine.generate(req(TEXTS[0]))).status == "ok"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            {"rope_scaling": {"rope_type": "llama3", "factor": 8.0}, "rope_parameters": None},
            "rope scaling 'llama3'",
        ),
        ({"attention_bias": True}, "biases"),
        ({"hidden_act": "gelu"}, "activation 'gelu'"),
        ({"model_type": "mistral"}, "model type 'mistral'"),
    ],
)
def test_what_it_cannot_run_is_named(tiny_folder, change, reason):
    _edit_config(tiny_folder, **change)
    assert reason in (unsupported_reason(tiny_folder) or "")


def test_a_folder_it_cannot_run_loads_through_transformers(tiny_folder, caplog):
    (tiny_folder / "tokenizer.json").unlink()  # a slow-tokenizer-only folder
    (tiny_folder / "tokenizer.model").write_bytes(b"")
    assert "no tokenizer.json" in (unsupported_reason(tiny_folder) or "")
    with caplog.at_level("INFO", logger="model.loader"):
        with pytest.raises(ModelLoadError):  # transformers cannot read the empty tokenizer.model either
            load_model(ModelSettings(path=str(tiny_folder), threads=1, dtype="float32"), lite=True)
    assert "through transformers: no tokenizer.json" in caplog.text


def test_weights_that_do_not_fit_the_config_are_a_clear_error(tiny_folder):
    _edit_config(tiny_folder, intermediate_size=96)
    with pytest.raises(LiteLoadError, match=r"gate_proj.weight is \(128, 64\), the config says \(96, 64\)"):
        load_lite_model(tiny_folder, torch.float32)


# --------------------------------------------------------------------------- the tokenizer


@pytest.fixture(scope="module")
def both_tokenizers(smol_tokenizer, tmp_path_factory):
    folder = tmp_path_factory.mktemp("tok")
    smol_tokenizer.save_pretrained(folder)
    return LiteTokenizer(folder), smol_tokenizer


def test_token_ids_and_decoding_equal_transformers_on_every_test_message(both_tokenizers):
    from tests.safety.corpus import message_texts

    lite, ref = both_tokenizers
    texts = [
        *message_texts(),
        "",
        " leading space",
        "emoji 😢🙏🏽 and <|im_end|> inside a message",
        "日本語のテキスト、ελληνικά, العربية",
        "tabs\tand\nnewlines\r\n",
    ]
    assert len(texts) > 5000
    for text in texts:
        ids = lite(text, add_special_tokens=False)["input_ids"]
        assert ids == ref(text, add_special_tokens=False)["input_ids"], text
        assert lite.decode(ids) == ref.decode(ids, skip_special_tokens=False), text
    assert lite.eos_token_id == ref.eos_token_id
    assert lite.pad_token_id == ref.pad_token_id
    assert lite.get_vocab() == ref.get_vocab()


def test_chat_template_renders_as_transformers_does(both_tokenizers):
    lite, ref = both_tokenizers
    conversations = [
        [{"role": "user", "content": "hi"}],  # no system turn: the template adds its default one
        [
            {"role": "system", "content": "You are Kindred. {{ not a template }} {% raw %}"},
            {"role": "user", "content": "i feel low today"},
            {"role": "assistant", "content": "I'm sorry. Want to talk about it?"},
            {"role": "user", "content": "yes 😢\n\nmaybe"},
        ],
    ]
    for messages in conversations:
        for gen in (True, False):
            got = lite.apply_chat_template(messages, add_generation_prompt=gen, tokenize=False)
            assert got == ref.apply_chat_template(messages, add_generation_prompt=gen, tokenize=False)
            # the template's special tokens come out as the same single ids
            ids = lite(got, add_special_tokens=False)["input_ids"]
            assert ids == ref(got, add_special_tokens=False)["input_ids"]
            assert lite.get_vocab()["<|im_start|>"] in ids


def test_a_template_that_needs_transformers_extensions_is_refused(tiny_folder):
    cfg_path = tiny_folder / "tokenizer_config.json"
    (tiny_folder / "chat_template.jinja").unlink(missing_ok=True)
    cfg = json.loads(cfg_path.read_text())
    cfg["chat_template"] = (
        "{% for m in messages %}{% generation %}{{ m.content }}{% endgeneration %}{% endfor %}"
    )
    cfg_path.write_text(json.dumps(cfg))
    with pytest.raises(LiteLoadError, match="needs transformers"):
        LiteTokenizer(tiny_folder)


# --------------------------------------------------------------------------- the real model


@pytest.mark.slow
def test_the_embedded_model_serves_without_importing_transformers(embedded_model, tmp_path):
    """The point of it all: a start on the embedded model's cache never imports transformers."""
    assert embedded_model.cache_folder is not None  # the converted cache exists (the fixture made it)
    settings = embedded_settings()
    script = textwrap.dedent(
        f"""
        import asyncio, json, sys, time
        from bot.config import EngineSettings, ModelSettings
        from bot.types import ChatTurn, GenerationRequest, SamplingParams
        from model.engine import ReplyEngine

        async def main():
            ms = ModelSettings(cache_dir={str(settings.cache_dir)!r}, threads=2)
            t0 = time.perf_counter()
            async with ReplyEngine(ms, EngineSettings(max_new_tokens=16)) as engine:
                ready = time.perf_counter() - t0
                gen = await engine.generate(GenerationRequest(
                    messages=(ChatTurn("user", "hi, how are you?"),),
                    sampling=SamplingParams(temperature=0.0, max_new_tokens=16),
                ))
                lite = engine._loaded.lite
            print(json.dumps({{"status": gen.status, "text": gen.texts[0], "lite": lite, "ready": ready,
                              "transformers": "transformers" in sys.modules}}))

        asyncio.run(main())
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=300, check=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["status"] == "ok" and result["text"].strip()
    assert result["lite"] is True
    assert result["transformers"] is False, "transformers was imported"


def test_a_damaged_weights_file_is_a_clear_error_and_the_loader_says_what_failed(tiny_folder, caplog):
    weights = tiny_folder / "model.safetensors"
    data = weights.read_bytes()
    weights.write_bytes(data[: len(data) - 1000])  # a copy cut short (a full disk, a killed download)
    with pytest.raises(LiteLoadError, match="cut short"):
        load_lite_model(tiny_folder, torch.float32)
    # the loader names the failure and tries transformers, which cannot read it either
    with (
        caplog.at_level("INFO", logger="model.loader"),
        pytest.raises(ModelLoadError, match="could not load"),
    ):
        load_model(ModelSettings(path=str(tiny_folder), threads=1, dtype="float32"), lite=True)
    assert "through transformers" in caplog.text and "cut short" in caplog.text
    weights.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json at all}")
    with pytest.raises(LiteLoadError, match="malformed safetensors header"):
        load_lite_model(tiny_folder, torch.float32)
    weights.write_bytes(b"\xff" * 16)
    with pytest.raises(LiteLoadError, match="not a safetensors file"):
        load_lite_model(tiny_folder, torch.float32)


def test_folders_saved_by_older_transformers_versions_load_the_same(tiny_folder, both_tokenizers):
    """transformers 4.x wrote "rope_theta" and "rope_scaling" at the top of config.json and the chat
    template inside tokenizer_config.json; 5.x writes "rope_parameters" and chat_template.jinja."""
    new = load_lite_model(tiny_folder, torch.float32)
    cfg = json.loads((tiny_folder / "config.json").read_text())
    theta = (cfg.pop("rope_parameters", None) or {}).get("rope_theta", new.config.rope_theta)
    cfg.update(rope_theta=theta, rope_scaling=None)
    (tiny_folder / "config.json").write_text(json.dumps(cfg))
    template_file = tiny_folder / "chat_template.jinja"
    tok_cfg = json.loads((tiny_folder / "tokenizer_config.json").read_text())
    if template_file.is_file():
        tok_cfg["chat_template"] = template_file.read_text()
        template_file.unlink()
    (tiny_folder / "tokenizer_config.json").write_text(json.dumps(tok_cfg))
    assert unsupported_reason(tiny_folder) is None
    old = load_lite_model(tiny_folder, torch.float32)
    assert old.config.rope_theta == new.config.rope_theta
    ids = torch.arange(3, 40).unsqueeze(0)
    assert torch.equal(old(ids).logits, new(ids).logits)
    messages = [{"role": "user", "content": "hello"}]
    want = both_tokenizers[1].apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
    assert (
        LiteTokenizer(tiny_folder).apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        == want
    )


def test_decoding_with_clean_up_spaces_matches_transformers(smol_tokenizer, tmp_path):
    """Folders whose tokenizer_config.json asks for clean_up_tokenization_spaces (older Llama ones do):
    transformers 5 ignores it for BPE tokenizers unless a second flag forces it, and so does LiteTokenizer."""
    from transformers import AutoTokenizer

    smol_tokenizer.save_pretrained(tmp_path)
    cfg_path = tmp_path / "tokenizer_config.json"
    cfg = json.loads(cfg_path.read_text())
    cfg["clean_up_tokenization_spaces"] = True
    cfg_path.write_text(json.dumps(cfg))
    lite, ref = LiteTokenizer(tmp_path), AutoTokenizer.from_pretrained(tmp_path)
    for text in (
        "I do n't know .",
        "it 's fine , really ! ok ?",
        "we 're here and you 've got it",
        "plain text",
    ):
        ids = ref(text, add_special_tokens=False)["input_ids"]
        assert lite.decode(ids) == ref.decode(ids), text
    # as transformers 5 does for a BPE tokenizer: the flag is ignored, the model's spaces are kept
    assert lite.decode(ref("I do n't know .", add_special_tokens=False)["input_ids"]) == "I do n't know ."
    cfg["clean_up_tokenization_spaces_for_bpe_even_though_it_will_corrupt_output"] = True
    cfg_path.write_text(json.dumps(cfg))
    lite, ref = LiteTokenizer(tmp_path), AutoTokenizer.from_pretrained(tmp_path)
    ids = ref("I do n't know .", add_special_tokens=False)["input_ids"]
    assert lite.decode(ids) == ref.decode(ids) == "I don't know."
