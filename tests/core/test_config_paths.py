"""Path keys (memory.db_path, model.cache_dir, chat.personas_dir, model.path) are checked when the
config loads: a number or an empty string is an error naming the key, not a path "5" or "." that
fails (or silently does the wrong thing) later."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from tests.core.test_cli_commands import run_bot


def load_toml(tmp_path: Path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path)


@pytest.mark.parametrize(
    ("section", "key"),
    [("memory", "db_path"), ("model", "cache_dir"), ("chat", "personas_dir"), ("model", "path")],
)
@pytest.mark.parametrize(("value", "says"), [("5", "not a number"), ('""', "must not be empty")])
def test_a_number_or_an_empty_path_names_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, section: str, key: str, value: str, says: str
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as err:
        load_toml(tmp_path, f"[{section}]\n{key} = {value}\n")
    text = str(err.value)
    assert f"{section}.{key}" in text and says in text, text
    assert "pathlib" not in text and "Value error" not in text  # pydantic's words, not ours


@pytest.mark.parametrize(
    ("value", "says"), [("true", "not true/false"), ("[1, 2]", "not a list"), ('"   "', "empty")]
)
def test_other_values_that_are_no_path(tmp_path: Path, value: str, says: str) -> None:
    with pytest.raises(ConfigError, match="memory.db_path") as err:
        load_toml(tmp_path, f"[memory]\ndb_path = {value}\n")
    assert says in str(err.value)


def test_an_empty_path_in_the_environment_is_an_error_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KINDRED_MEMORY__DB_PATH", "")
    with pytest.raises(ConfigError, match="KINDRED_MEMORY__DB_PATH.*must not be empty"):
        load_settings()


def test_good_paths_still_load_and_a_tilde_is_the_home_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    s = load_toml(
        tmp_path,
        '[memory]\ndb_path = "~/k.db"\n[model]\npath = "./my-model"\ncache_dir = "cache"\n'
        '[chat]\npersonas_dir = "personas"\n',
    )
    assert s.memory.db_path == tmp_path / "home" / "k.db"
    assert s.model.path == "./my-model" and s.model.cache_dir == Path("cache")
    assert s.chat.personas_dir == Path("personas")
    assert load_toml(tmp_path, "").chat.personas_dir is None


def test_the_cli_stops_at_start_and_creates_nothing(tmp_path: Path) -> None:
    """End to end: `python -m bot doctor` with db_path = 5 exits 2 naming the key, and no database
    file "5" appears in the working directory."""
    (tmp_path / "config.toml").write_text("[memory]\ndb_path = 5\n", encoding="utf-8")
    out = run_bot(tmp_path, "doctor", "--skip-model", db=None)
    assert out.returncode == 2, out.stderr
    assert "memory.db_path" in out.stderr and "not a number" in out.stderr
    assert "Traceback" not in out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]


def test_train_persona_refuses_an_empty_base_model(capsys: pytest.CaptureFixture[str]) -> None:
    """ModelSettings refuses an empty path now; the training script says so as a usage error."""
    from scripts.train_persona import main

    assert main(["--input", "x", "--out", "y", "--base-model", " "]) == 2
    assert "--base-model must not be empty" in capsys.readouterr().err
