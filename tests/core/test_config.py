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


@pytest.mark.parametrize("key", ["resources", "abuse_resources"])
def test_bad_safety_resources_stop_start_up(tmp_path: Path, key: str) -> None:
    from bot.dispatcher import Dispatcher
    from bot.personas import load_personas
    from tests.fakes import FakeEngine

    s = load_settings(write(tmp_path, f'[safety]\n{key} = {{ NZ = "" }}\n'))
    with pytest.raises(ConfigError, match=rf"\[safety\].*{key}"):
        Dispatcher(s, None, FakeEngine(), load_personas())  # type: ignore[arg-type]


# --- what a new user gets wrong ------------------------------------------------------------------


def _cli(tmp_path: Path, *args: str, **env_extra: str) -> subprocess.CompletedProcess[str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("KINDRED_")}
    env.update(HOME=str(tmp_path), PYTHONPATH=str(ROOT), KINDRED_MEMORY__DB_PATH=str(tmp_path / "k.db"))
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )


def test_env_list_that_is_not_json_names_the_variable_without_a_traceback(tmp_path: Path) -> None:
    out = _cli(tmp_path, "doctor", "--skip-model", KINDRED_TELEGRAM__ALLOWED_USERS="123,456")
    assert out.returncode == 2, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    assert "KINDRED_TELEGRAM__ALLOWED_USERS = '123,456' is invalid" in out.stderr
    assert "[123, 456]" in out.stderr  # how to write it


def test_env_list_as_json_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KINDRED_TELEGRAM__ALLOWED_USERS", "[123, 456]")
    monkeypatch.setenv("KINDRED_SAFETY__RESOURCES__NZ", "Call or text 1737")
    s = load_settings()
    assert s.telegram.allowed_users == [123, 456]
    # Environment names are case-insensitive; the safety policy normalises the region code.
    assert {k.upper(): v for k, v in s.safety.resources.items()} == {"NZ": "Call or text 1737"}


def test_env_table_that_is_not_json_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KINDRED_SAFETY__RESOURCES", "NZ")
    with pytest.raises(ConfigError, match="KINDRED_SAFETY__RESOURCES = 'NZ' is invalid: a table is written"):
        load_settings()


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("KINDRED_TELEGRAM_TOKEN", "KINDRED_TELEGRAM__TOKEN"),  # one underscore: silently ignored before
        ("KINDRED_TELGRAM__ENABLED", "KINDRED_TELEGRAM__ENABLED"),
        ("KINDRED_ENGINE__MAX_BATCHSIZE", "KINDRED_ENGINE__MAX_BATCH_SIZE"),
    ],
)
def test_misspelt_environment_variable_stops_start_up_with_a_suggestion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, suggestion: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(name, "123:do-not-print-me")
    with pytest.raises(ConfigError) as exc:
        load_settings()
    msg = str(exc.value)
    assert f"unknown environment variable {name}; did you mean {suggestion}?" in msg
    assert "do-not-print-me" not in msg


def test_misspelt_environment_variable_through_the_cli(tmp_path: Path) -> None:
    out = _cli(tmp_path, "doctor", "--skip-model", KINDRED_TELEGRAM_TOKEN="123:do-not-print-me")
    assert out.returncode == 2
    assert "did you mean KINDRED_TELEGRAM__TOKEN?" in out.stderr
    assert "do-not-print-me" not in out.stdout + out.stderr and "Traceback" not in out.stderr


def test_kindred_variables_that_are_not_settings_are_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "secrets").mkdir()
    monkeypatch.setenv("KINDRED_SECRETS_DIR", str(tmp_path / "secrets"))
    monkeypatch.setenv("KINDRED_TEST_ANYTHING", "x")
    monkeypatch.setenv("kindred_logging__level", "warning")  # names are case-insensitive
    assert load_settings().logging.level == "WARNING"


def test_unknown_keys_get_a_suggestion(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as exc:
        load_settings(write(tmp_path, "[telgram]\nenabled = true\n[engine]\nmax_batchsize = 8\n"))
    msg = str(exc.value)
    assert "unknown setting telgram (in" in msg and "did you mean 'telegram'?" in msg
    assert "did you mean 'max_batch_size'?" in msg


def test_log_level_in_lower_case_is_accepted(tmp_path: Path) -> None:
    assert load_settings(write(tmp_path, '[logging]\nlevel = "debug"\n')).logging.level == "DEBUG"
    with pytest.raises(ConfigError) as exc:
        load_settings(write(tmp_path, '[logging]\nlevel = "verbose"\n'))
    msg = str(exc.value)
    assert "'verbose'" in msg and msg.count("'WARNING'") == 1  # the allowed values, said once


def test_unreadable_config_file_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = write(tmp_path, "[engine]\nmax_batch_size = 8\n")
    real = Path.read_text

    def refuse(self: Path, *a: object, **kw: object) -> str:
        if self == p:  # root reads any file, so chmod 000 cannot show this here
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", refuse)
    with pytest.raises(ConfigError, match=r"cannot read the config file .*config.toml: Permission denied"):
        load_settings(p)


def test_config_that_is_a_folder_is_named_as_such(tmp_path: Path) -> None:
    out = _cli(tmp_path, "doctor", "--config", str(tmp_path))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "is a folder, not a file (from --config)" in out.stderr


def test_a_section_given_a_table_in_the_environment_does_not_echo_its_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KINDRED_TELEGRAM", '{"token": "123:do-not-print-me", "enabled": "maybe"}')
    with pytest.raises(ConfigError) as exc:
        load_settings()
    assert "telegram.enabled" in str(exc.value) and "do-not-print-me" not in str(exc.value)
