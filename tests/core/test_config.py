"""Settings: TOML + environment, and clear errors that name the key, the value and what is allowed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "config.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_defaults_without_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    s = load_settings()
    assert s.model.path == "embedded" and s.chat.default_persona == "friend"
    assert s.enabled_platforms() == []


def test_toml_then_env_on_top(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = write(tmp_path, "[engine]\nmax_batch_size = 8\n[telegram]\nenabled = true\nallowed_users = [1, 2]\n")
    monkeypatch.setenv("KINDRED_ENGINE__MAX_BATCH_SIZE", "4")
    monkeypatch.setenv("KINDRED_TELEGRAM__TOKEN", "123:abc")
    s = load_settings(p)
    assert s.engine.max_batch_size == 4  # the environment wins
    assert s.telegram.enabled and s.telegram.allowed_users == [1, 2]
    assert s.telegram.token is not None and s.telegram.token.get_secret_value() == "123:abc"
    assert "123:abc" not in repr(s) and "123:abc" not in str(s.telegram)


def test_config_toml_in_the_working_directory_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, '[chat]\ndefault_persona = "journal"\n')
    monkeypatch.chdir(tmp_path)
    assert load_settings().chat.default_persona == "journal"


def test_unknown_key_is_named(tmp_path: Path) -> None:
    p = write(tmp_path, "[engine]\nmax_batchsize = 8\n")
    with pytest.raises(ConfigError) as exc:
        load_settings(p)
    assert "unknown setting engine.max_batchsize" in str(exc.value)


def test_unknown_section_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown setting telegramm"):
        load_settings(write(tmp_path, "[telegramm]\nenabled = true\n"))


def test_bad_value_names_key_value_and_allowed(tmp_path: Path) -> None:
    p = write(tmp_path, '[model]\ndtype = "float64"\n')
    with pytest.raises(ConfigError) as exc:
        load_settings(p)
    msg = str(exc.value)
    assert "model.dtype" in msg and "'float64'" in msg and "'bfloat16'" in msg


def test_bad_env_value(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KINDRED_ENGINE__MAX_BATCH_SIZE", "lots")
    with pytest.raises(ConfigError, match="engine.max_batch_size.*'lots'.*valid integer"):
        load_settings()


def test_out_of_range(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="engine.max_batch_size.*0.*greater than or equal to 1"):
        load_settings(write(tmp_path, "[engine]\nmax_batch_size = 0\n"))


def test_invalid_toml_syntax(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load_settings(write(tmp_path, "[engine\nmax_batch_size = 8\n"))


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml")


def test_secrets_are_refused_in_the_file(tmp_path: Path) -> None:
    p = write(tmp_path, '[telegram]\nenabled = true\ntoken = "123:secret"\n')
    with pytest.raises(ConfigError) as exc:
        load_settings(p)
    assert "KINDRED_TELEGRAM__TOKEN" in str(exc.value) and "123:secret" not in str(exc.value)


def test_secret_files_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "discord__token").write_text("disco-token\n")
    monkeypatch.setenv("KINDRED_SECRETS_DIR", str(secrets))
    s = load_settings()
    assert s.discord.token is not None and s.discord.token.get_secret_value() == "disco-token"


def test_example_config_is_valid_and_documents_every_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tomllib

    from bot.config import SECRET_KEYS, Settings

    example = ROOT / "config.example.toml"
    monkeypatch.chdir(tmp_path)
    load_settings(example)
    text = example.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    for section, field in Settings.model_fields.items():
        sub = field.annotation.model_fields  # type: ignore[union-attr]
        for key in sub:
            if key in SECRET_KEYS.get(section, ()):
                assert f"KINDRED_{section.upper()}__{key.upper()}" in text, (section, key)
            else:
                assert key in data.get(section, {}) or f"# {key} =" in text, (
                    f"[{section}] {key} is not documented"
                )


def test_cli_reports_config_errors_with_exit_code_2(tmp_path: Path) -> None:
    p = write(tmp_path, "[engine]\nmax_batch_size = -3\n")
    out = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--config", str(p)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
        timeout=60,
    )
    assert out.returncode == 2
    assert "engine.max_batch_size" in out.stderr and "Traceback" not in out.stderr


def test_core_imports_no_torch_or_sdk() -> None:
    code = (
        "import sys, bot.cli, bot.dispatcher, bot.store, bot.config, bot.commands, bot.app, bot.personas;"
        "bad = [m for m in ('torch', 'transformers', 'telegram', 'discord', 'asyncpraw') if m in sys.modules];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr


def test_bad_safety_resources_stop_start_up(tmp_path: Path) -> None:
    from bot.dispatcher import Dispatcher
    from bot.personas import load_personas
    from tests.fakes import FakeEngine

    s = load_settings(write(tmp_path, '[safety]\nresources = { NZ = "" }\n'))
    with pytest.raises(ConfigError, match=r"\[safety\]"):
        Dispatcher(s, None, FakeEngine(), load_personas())  # type: ignore[arg-type]
