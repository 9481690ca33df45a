"""python -m scripts.train_persona: help, --prepare-only, --list-speakers, errors, and whole runs on tiny models."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from dataclasses import fields
from pathlib import Path

import pytest

from scripts.train_persona import TrainPersonaArgs, main

from .conftest import whatsapp_export

BRIEF_OPTIONS = [
    "--input",
    "--format",
    "--speaker",
    "--list-speakers",
    "--prepare-only",
    "--out",
    "--base-model",
    "--exclude-contact",
    "--session-gap-minutes",
    "--no-scrub",
    "--system-prompt",
    "--full",
    "--lora-r",
    "--lora-alpha",
    "--lora-dropout",
    "--keep-adapter",
    "--epochs",
    "--max-steps",
    "--minutes",
    "--lr",
    "--batch-size",
    "--grad-accum",
    "--max-length",
    "--max-train-samples",
    "--eval-samples",
    "--save-every",
    "--resume",
    "--seed",
    "--threads",
    "--overwrite",
]


def _toastme(tmp_path: Path, n: int = 120) -> Path:
    from model.exports.synthetic import make_toastme_csv

    return make_toastme_csv(tmp_path / "toastme.csv", n, seed=0)


def test_help_documents_every_option():
    out = subprocess.run(
        [sys.executable, "-m", "scripts.train_persona", "--help"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[2],
        timeout=120,
    )
    assert out.returncode == 0
    text = " ".join(out.stdout.split())
    for f in fields(TrainPersonaArgs):
        flag = "--" + f.name.replace("_", "-")
        assert flag in text, flag
        assert " ".join(f.metadata["help"].split())[:40] in text, f.name
    for flag in BRIEF_OPTIONS:
        assert flag in text, flag


def test_prepare_only_writes_examples_and_stats(tmp_path, capsys):
    out = tmp_path / "prep"
    assert main(["--input", str(_toastme(tmp_path)), "--out", str(out), "--prepare-only"]) == 0
    stats = json.loads((out / "stats.json").read_text())
    for key in ("format", "files", "messages", "conversations", "examples", "speakers", "skipped"):
        assert key in stats, key
    assert stats["format"] == "toastme_csv" and stats["clone"] is False
    train = [json.loads(line) for line in (out / "train.jsonl").read_text().splitlines()]
    valid = [json.loads(line) for line in (out / "valid.jsonl").read_text().splitlines()]
    assert len(train) + len(valid) == stats["examples"] and valid
    roles = [m["role"] for m in train[0]["messages"]]
    assert roles == ["system", "user", "assistant"]
    assert "encouraging" in train[0]["messages"][0]["content"]
    assert sorted(p.name for p in out.iterdir()) == ["stats.json", "train.jsonl", "valid.jsonl"]
    assert "wrote" in capsys.readouterr().out


def test_list_speakers_marks_the_exporting_user(tmp_path, capsys):
    chat = whatsapp_export(tmp_path / "WhatsApp Chat with Alex.txt")
    assert main(["--input", str(chat), "--list-speakers"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("whatsapp export")
    sam = next(line for line in lines if line.strip().startswith("Sam"))
    alex = next(line for line in lines if line.strip().startswith("Alex"))
    assert "likely the exporting user" in sam and "<-" not in alex
    assert " 120" in alex  # 40 days x 3 messages


@pytest.mark.parametrize(
    ("make", "extra", "message"),
    [
        (lambda p: p / "missing.txt", [], "no such file"),
        (lambda p: _write(p / "empty.txt", ""), [], "empty"),
        (
            lambda p: _write(p / "notes.txt", "just some words\nwithout any speakers at all\n"),
            [],
            "unknown export format",
        ),
        (
            lambda p: _write(
                p / "result.json", '{"name": "Alex", "type": "personal_chat", "id": 1, "messages": [{"id": 1,'
            ),
            [],
            "result.json",
        ),
        (lambda p: whatsapp_export(p / "chat.txt"), ["--speaker", "Jordan"], "Alex (120)"),
        (lambda p: whatsapp_export(p / "chat.txt"), ["--format", "telegram"], "chat.txt"),
        (
            # cut inside a string: json points at where the string starts, far from the end
            lambda p: _write(
                p / "result.json", '{"name": "Alex", "type": "personal_chat", "messages": [{"text": "hel'
            ),
            [],
            "looks truncated",
        ),
        (
            lambda p: whatsapp_export(p / "chat.txt"),
            ["--format", "messenger"],
            "is a whatsapp export, not messenger",
        ),
        (
            lambda p: whatsapp_export(p / "chat.txt"),
            ["--format", "messages"],
            "is a whatsapp export, not a JSONL",
        ),
        (lambda p: _cut_zip(p), [], "damaged or incomplete"),
        (lambda p: _bytes(p / "photo.json", bytes(range(256)) * 40), [], "binary file"),
        (lambda p: _bytes(p / "msgstore.db", b"SQLite format 3\x00" + bytes(4000)), [], "Export chat"),
        (
            lambda p: _write(
                p / "x.jsonl",
                '{"messages": [{"role": "user", "content": "hi"}]}\n{"messages": [{"from": "a"}]}\n',
            ),
            ["--format", "messages"],
            "example 2 is not",
        ),
    ],
    ids=[
        "missing",
        "empty",
        "unknown-format",
        "truncated-json",
        "speaker-not-present",
        "wrong-format",
        "truncated-in-a-string",
        "whatsapp-forced-as-messenger",
        "whatsapp-forced-as-messages",
        "cut-zip",
        "binary",
        "phone-database",
        "bad-example",
    ],
)
def test_bad_input_is_one_clear_error(tmp_path, capsys, make, extra, message):
    path = make(tmp_path)
    code = main(["--input", str(path), "--out", str(tmp_path / "out"), "--prepare-only", *extra])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.startswith("error: ") and len(err.splitlines()) == 1, err
    assert message in err
    assert not (tmp_path / "out" / "train.jsonl").exists()


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _cut_zip(folder: Path) -> Path:
    """A WhatsApp zip whose download stopped half-way."""
    import zipfile

    whole = folder / "whole.zip"
    with zipfile.ZipFile(whole, "w") as z:
        z.write(whatsapp_export(folder / "_chat.txt"), "_chat.txt")
    return _bytes(folder / "WhatsApp Chat - Alex.zip", whole.read_bytes()[: whole.stat().st_size // 2])


@pytest.mark.parametrize("minified", ["telegram", "messenger", "discord"])
def test_an_export_saved_on_one_line_is_not_mistaken_for_examples(tmp_path, capsys, minified):
    # Each has a top-level "messages" list; saved without indentation its first line is the whole file.
    msgs = [("Alex", "are you coming?"), ("Sam", "yes 😄"), ("Alex", "great"), ("Sam", "see u")]
    if minified == "telegram":
        data = {
            "name": "Alex",
            "type": "personal_chat",
            "id": 1,
            "messages": [
                {
                    "id": i,
                    "type": "message",
                    "date": f"2024-01-01T10:0{i}:00",
                    "date_unixtime": str(1704103200 + 60 * i),
                    "from": who,
                    "from_id": f"user{len(who)}",
                    "text": text,
                }
                for i, (who, text) in enumerate(msgs)
            ],
        }
        name = "result.json"
    elif minified == "messenger":
        data = {
            "participants": [{"name": "Alex"}, {"name": "Sam"}],
            "messages": [
                {"sender_name": who, "timestamp_ms": 1704103200000 + 60000 * i, "content": text}
                for i, (who, text) in reversed(list(enumerate(msgs)))
            ],
            "title": "Alex",
            "is_still_participant": True,
            "thread_path": "inbox/alex_1",
        }
        name = "message_1.json"
    else:
        data = {
            "guild": {"id": "0", "name": "Direct Messages"},
            "channel": {"id": "9", "type": "DirectTextChat", "category": "Private", "name": "Alex"},
            "messages": [
                {
                    "id": str(i),
                    "type": "Default",
                    "timestamp": f"2024-01-01T10:0{i}:00+00:00",
                    "content": text,
                    "author": {"id": str(len(who)), "name": who},
                }
                for i, (who, text) in enumerate(msgs)
            ],
        }
        name = "dm.json"
    path = _write(tmp_path / name, json.dumps(data, ensure_ascii=False))
    assert (
        main(
            ["--input", str(path), "--out", str(tmp_path / "out"), "--prepare-only", "--valid-fraction", "0"]
        )
        == 0
    )
    stats = json.loads((tmp_path / "out" / "stats.json").read_text())
    assert stats["format"] == minified and stats["speaker"] == "Sam"
    rows = [json.loads(line) for line in (tmp_path / "out" / "train.jsonl").read_text().splitlines()]
    assert [r["messages"][-1] for r in rows] == [
        {"role": "assistant", "content": "yes 😄"},
        {"role": "assistant", "content": "see u"},
    ]


def test_non_empty_out_needs_resume_or_overwrite(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    assert main(["--input", str(_toastme(tmp_path)), "--out", str(out), "--prepare-only"]) == 2
    assert "exists and is not empty" in capsys.readouterr().err
    assert main(["--input", str(_toastme(tmp_path)), "--out", str(out), "--resume"]) == 2
    assert "no checkpoint" in capsys.readouterr().err
    assert main(["--input", str(_toastme(tmp_path)), "--out", str(out), "--prepare-only", "--overwrite"]) == 0
    assert (out / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--out", "x"], "--input is required"),
        (["--input", "x"], "--out is required"),
        (["--input", "x", "--out", "y", "--batch-size", "0"], "--batch-size must be at least 1"),
        (["--input", "x", "--out", "y", "--valid-fraction", "1.5"], "--valid-fraction"),
        (["--input", "x", "--out", "y", "--precision", "fp8"], "invalid choice"),
    ],
)
def test_bad_options_exit_2(argv, message, capsys):
    with pytest.raises(SystemExit) as exc:
        code = main(argv)
        raise SystemExit(code)
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.slow
def test_voice_clone_run_writes_a_loadable_model_and_report(tmp_path, tiny_model_dir, capsys):
    chat = whatsapp_export(tmp_path / "WhatsApp Chat with Alex.txt", n_days=60)
    out = tmp_path / "sam-bot"
    code = main(
        [
            "--input",
            str(chat),
            "--out",
            str(out),
            "--base-model",
            str(tiny_model_dir),
            "--full",
            "--lr",
            "3e-3",
            "--max-steps",
            "30",
            "--batch-size",
            "8",
            "--threads",
            "1",
            "--quiet",
            "--num-samples",
            "6",
            "--sample-tokens",
            "12",
            "--precision",
            "fp32",
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "speaker: Sam (looks like the exporting user" in printed

    report = json.loads((out / "report.json").read_text())
    assert report["valid_loss_after"] < report["valid_loss_before"]
    assert report["valid_perplexity_after"] < report["valid_perplexity_before"]
    assert report["steps"] == 30 and report["tokens_per_second"] > 0 and report["data"]["speaker"] == "Sam"
    assert report["data"]["skipped"].get("media") == 8  # <Media omitted> lines are counted, not learnt
    assert len(report["samples"]) == 6
    style = report["style"]
    assert set(style) >= {"real", "base", "tuned"}
    for side in ("real", "base", "tuned"):
        assert {"mean_chars", "emoji_rate", "lowercase_rate"} <= set(style[side])
    assert style["real"]["lowercase_rate"] > 0.5 and "top_word_overlap" in style["tuned"]
    assert (out / "loss.png").stat().st_size > 5000 and (out / "samples.md").is_file()

    persona_text = (out / "persona.toml").read_text()
    assert "refuses to run it until" in persona_text
    persona = tomllib.loads(persona_text)
    assert persona["clone"] is True and persona["consent"] == "" and persona["model"] == str(out.resolve())
    from bot.personas import PersonaError, _parse

    parsed = _parse(out / "persona.toml")
    assert parsed.clone and not parsed.usable
    with pytest.raises(PersonaError, match="consent"):
        parsed.check_usable()

    from bot.config import ModelSettings
    from model.loader import load_model

    lm = load_model(ModelSettings(path=str(out), dtype="float32", threads=1, cache_dir=tmp_path / "cache"))
    assert lm.source == "folder" and lm.has_chat_template


@pytest.mark.slow
def test_toastme_run_checkpoints_and_resumes(tmp_path, tiny_model_dir, capsys):
    data = _toastme(tmp_path, 80)
    out = tmp_path / "toast"
    common = [
        "--out",
        str(out),
        "--base-model",
        str(tiny_model_dir),
        "--threads",
        "1",
        "--quiet",
        "--num-samples",
        "2",
        "--sample-tokens",
        "8",
        "--save-every",
        "2",
        "--precision",
        "fp32",
    ]
    assert main(["--input", str(data), "--max-steps", "2", *common]) == 0
    assert (out / "checkpoints" / "last" / "optimizer.pt").is_file()
    first = json.loads((out / "report.json").read_text())
    assert first["steps"] == 2 and "style" not in first  # toastme is not a voice clone
    assert "clone" not in (out / "persona.toml").read_text()
    # Continue the same run for two more steps (a longer budget on the command line).
    assert main(["--resume", "--max-steps", "4", *common]) == 0
    report = json.loads((out / "report.json").read_text())
    assert report["resumed_from_step"] == 2 and report["steps"] == 4
    assert [s for s, _ in report["history"]["train"]] == [1, 2, 3, 4]
    assert report["valid_loss_before"] == first["valid_loss_before"]
    assert report["samples"][0]["base"] == first["samples"][0]["base"]  # kept from the first run
    assert "resuming in" in capsys.readouterr().out


@pytest.mark.slow
def test_prepare_then_train_from_the_prepared_folder_and_from_a_messages_jsonl(tmp_path, tiny_model_dir):
    from model.dataset import write_jsonl

    from .conftest import chat_rows

    out = tmp_path / "two-step"
    assert main(["--input", str(_toastme(tmp_path, 60)), "--out", str(out), "--prepare-only"]) == 0
    (out / "train.jsonl").write_text((out / "train.jsonl").read_text())  # the user may edit the examples
    tiny = [
        "--base-model",
        str(tiny_model_dir),
        "--threads",
        "1",
        "--quiet",
        "--max-steps",
        "2",
        "--num-samples",
        "1",
        "--sample-tokens",
        "4",
        "--precision",
        "fp32",
    ]
    # Training into the folder that holds only the prepared examples is allowed (the two-step flow).
    assert main(["--input", str(out), "--out", str(out), *tiny]) == 0
    report = json.loads((out / "report.json").read_text())
    assert report["data"]["format"] == "toastme_csv" and report["steps"] == 2

    rows = tmp_path / "rows.jsonl"
    write_jsonl(rows, chat_rows(30))
    assert main(["--input", str(rows), "--out", str(tmp_path / "from-jsonl"), *tiny]) == 0
    report = json.loads((tmp_path / "from-jsonl" / "report.json").read_text())
    assert report["data"]["format"] == "messages" and report["data"]["valid"] == 3


def test_lora_persona_of_a_4bit_base_is_served_on_the_base_copies_plus_its_adapter(tmp_path):
    """train_persona keeps the adapter by default; the bot's engine then serves the persona of a base
    whose weights sit on a 4-bit grid (as the embedded model's do) with 4-bit copies plus the adapter."""
    import asyncio

    import torch
    from transformers import AutoModelForCausalLM

    from bot.config import EngineSettings, ModelSettings
    from bot.types import ChatTurn, GenerationRequest, SamplingParams
    from model.engine import ReplyEngine
    from model.loader import load_model
    from tests.model.test_fastpath import _snap_to_4bit_grid

    from .conftest import build_model_dir

    base_dir = build_model_dir(tmp_path / "base", seed=1)
    base = AutoModelForCausalLM.from_pretrained(base_dir)
    with torch.no_grad():
        for p in base.parameters():
            if p.dim() == 2:
                p.normal_(0, 0.2)  # wide enough that the trained adapter moves weights off the grid
    _snap_to_4bit_grid(base)
    base.to(torch.bfloat16).save_pretrained(base_dir)

    out = tmp_path / "persona"
    args = ["--input", str(_toastme(tmp_path, 60)), "--out", str(out), "--base-model", str(base_dir)]
    args += ["--max-steps", "4", "--lr", "5e-3", "--threads", "1", "--quiet", "--precision", "fp32"]
    args += ["--num-samples", "2", "--sample-tokens", "4"]
    assert main(args) == 0
    assert (out / "adapter" / "adapter_config.json").is_file()

    settings = ModelSettings(path=str(out), dtype="bfloat16", threads=1, cache_dir=tmp_path / "cache")
    loaded = load_model(settings)
    assert loaded.adapter_dir == out / "adapter"
    from model.fastpath import FastDecoder

    # training moved the merged weights off the grid: without the adapter there are no 4-bit copies
    assert FastDecoder(loaded.model, weights="auto").weights == "none"

    async def serve() -> tuple[str, str, list]:
        async with ReplyEngine(settings, EngineSettings(max_new_tokens=8), loaded=loaded) as engine:
            fast = engine._decoder.fast
            msgs = (ChatTurn("system", "You are kind."), ChatTurn("user", "omg same"))
            gens = await asyncio.gather(
                *(
                    engine.generate(
                        GenerationRequest(messages=msgs, sampling=SamplingParams(max_new_tokens=8), seed=s)
                    )
                    for s in range(3)
                )
            )
            return fast.weights, fast.weights_note, gens

    weights, note, gens = asyncio.run(serve())
    assert weights == "int4" and "LoRA adapter" in note
    assert all(g.status == "ok" for g in gens)

    # --no-keep-adapter: no adapter folder, and the merged persona runs in its own dtype
    out2 = tmp_path / "persona-merged-only"
    assert main([*args[:3], str(out2), *args[4:], "--no-keep-adapter"]) == 0
    assert not (out2 / "adapter").exists()
    assert (
        load_model(
            ModelSettings(path=str(out2), dtype="bfloat16", threads=1, cache_dir=tmp_path / "cache")
        ).adapter_dir
        is None
    )


def test_a_failed_start_leaves_out_as_it_was(tmp_path, capsys):
    chat = whatsapp_export(tmp_path / "WhatsApp Chat with Alex.txt")
    out = tmp_path / "out"
    missing_model = ["--base-model", str(tmp_path / "no-such-model"), "--max-steps", "1"]
    # A mistyped base model: nothing written, so the corrected command needs no --overwrite.
    assert main(["--input", str(chat), "--out", str(out), *missing_model]) == 2
    assert "--base-model" in capsys.readouterr().err
    assert not out.exists()
    assert main(["--input", str(chat), "--out", str(out), "--prepare-only"]) == 0
    # An earlier run's files survive a bad model, a bad export and a bad speaker even with --overwrite.
    (out / "model.safetensors").write_bytes(b"weights of an earlier run")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    broken = _write(tmp_path / "result.json", '{"name": "Alex", "type": "personal_chat", "messages": [')
    for argv in (
        ["--input", str(chat), *missing_model],
        ["--input", str(broken)],
        ["--input", str(chat), "--speaker", "Jordan"],
    ):
        assert main([*argv, "--out", str(out), "--overwrite"]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and "Traceback" not in err
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_file_too_big_for_memory_is_refused_before_reading_it(tmp_path, capsys):
    # A sparse file: 64 GiB long, a few KB on disk. Reading it whole would need ~1 TB of memory.
    path = tmp_path / "result.json"
    head = '{\n "name": "Alex",\n "type": "personal_chat",\n "id": 1,\n "messages": [\n'
    with open(path, "w", encoding="utf-8") as f:
        f.write(head + '  {"id": 1, "type": "message", "date_unixtime": "1704103200", "text": "hi"},\n' * 50)
        f.truncate(64 << 30)
    code = main(["--input", str(path), "--out", str(tmp_path / "out"), "--prepare-only"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: ") and len(err.splitlines()) == 1
    assert f"{path}: the file is 68.7 GB" in err and "memory" in err
    assert not (tmp_path / "out").exists()


def test_a_zip_too_big_to_unpack_is_refused(tmp_path, capsys, monkeypatch):
    import shutil
    import zipfile

    archive = tmp_path / "WhatsApp Chat - Alex.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(whatsapp_export(tmp_path / "_chat.txt"), "_chat.txt")
    real = shutil.disk_usage
    monkeypatch.setattr(
        "model.exports.sources.shutil.disk_usage", lambda p: real(p)._replace(free=(256 << 20) + 1000)
    )
    assert main(["--input", str(archive), "--out", str(tmp_path / "out"), "--prepare-only"]) == 2
    err = capsys.readouterr().err
    assert f"{archive}: unpacking its chat files needs" in err and "TMPDIR" in err


def test_a_near_miss_speaker_name_gets_a_suggestion(tmp_path, capsys):
    # Messenger stores names as UTF-8 read as latin-1; people type them without accents or surname.
    def fb(s: str) -> str:
        return s.encode("utf-8").decode("latin-1")

    thread = tmp_path / "messages" / "inbox" / "ana_1"
    thread.mkdir(parents=True)
    msgs = [
        {
            "sender_name": fb("José Núñez" if i % 2 else "Ana"),
            "timestamp_ms": 1704103200000 + 60000 * i,
            "content": f"hi {i}",
        }
        for i in range(10)
    ]
    data = {
        "participants": [{"name": "Ana"}, {"name": fb("José Núñez")}],
        "messages": msgs[::-1],
        "title": "Ana",
    }
    (thread / "message_1.json").write_text(json.dumps(data), encoding="utf-8")
    for typed in ("jose nunez", "José", "jose"):
        assert (
            main(["--input", str(tmp_path / "messages"), "--out", str(tmp_path / "o"), "--speaker", typed])
            == 2
        )
        err = capsys.readouterr().err
        assert f"speaker {typed!r} is not in" in err and "Did you mean 'José Núñez'?" in err, err
    assert (
        main(["--input", str(tmp_path / "messages"), "--out", str(tmp_path / "o"), "--speaker", "Bob"]) == 2
    )
    assert "Did you mean" not in capsys.readouterr().err
    assert (
        main(
            [
                "--input",
                str(tmp_path / "messages"),
                "--out",
                str(tmp_path / "o"),
                "--prepare-only",
                "--speaker",
                "josé núñez",
            ]
        )
        == 0
    )


def test_a_speaker_name_matching_two_people_by_case_says_so(tmp_path, capsys):
    chat = tmp_path / "chat.txt"
    chat.write_text(
        "".join(
            f"1/{d}/21, 10:00 AM - Ana: hi\n1/{d}/21, 10:01 AM - {'Sam' if d % 2 else 'SAM'}: yo\n"
            for d in range(1, 9)
        )
    )
    assert main(["--input", str(chat), "--out", str(tmp_path / "o"), "--speaker", "sam"]) == 2
    err = capsys.readouterr().err
    assert "'sam' matches several speakers" in err and "Did you mean 'Sam' or 'SAM'?" in err, err


def test_a_big_export_says_it_is_being_read_before_the_pause(tmp_path, capsys):
    chat = whatsapp_export(tmp_path / "WhatsApp Chat with Alex.txt")
    with open(chat, "a", encoding="utf-8") as f:  # ~5 MB of one more day's chatter
        f.write("3/1/21, 9:00 AM - Alex: " + "la " * 1_700_000 + "\n")
    assert main(["--input", str(chat), "--list-speakers"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"reading {chat} (5 MB) ..." and out[1].startswith("whatsapp export")
