"""Fine-tune a persona: toastme posts -> an encouraging bot, or your chat exports -> a bot that talks like you.

    python -m scripts.train_persona --input ~/Downloads/telegram/result.json --out models/me
    python -m scripts.train_persona --input toastme.csv --out models/toastme --minutes 10

One command: detect the export format, parse it, build examples (`train.jsonl`, `valid.jsonl`,
`stats.json`), fine-tune (LoRA by default) with the loss on the chosen speaker's replies only,
evaluate before and after, and write a model folder the bot loads by path, with `report.json`,
`loss.png`, `samples.md` and a `persona.toml` to copy into your personas folder.
Every option is in ``--help``; docs/training.md is the guide.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import re
import shutil
import sys
import time
import types
import typing
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

log = logging.getLogger("scripts.train_persona")

PREPARED_FILES = ("train.jsonl", "valid.jsonl", "stats.json")
# What a training run writes into --out besides the prepared data (save_pretrained's model and
# tokenizer files, the report, the persona): --overwrite removes exactly these names, nothing else.
RUN_FILES = (
    "config.json",
    "generation_config.json",
    "model.safetensors",
    "model.safetensors.index.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "added_tokens.json",
    "vocab.json",
    "merges.txt",
    "tokenizer.model",
    "chat_template.jinja",
    "chat_template.json",
    "report.json",
    "loss.png",
    "samples.md",
    "persona.toml",
)
WEIGHT_SHARD = re.compile(r"model-\d{5}-of-\d{5}\.safetensors")
# Folders a run writes, and what may be in them (a folder holding anything else is not removed).
RUN_DIRS = {
    "checkpoints": re.compile(r"last|\.tmp-\d+|\.old-\d+"),
    "adapter": re.compile(r"adapter_config\.json|adapter_model\.safetensors|README\.md"),
}
TOASTME_PROMPT = (
    "You are Kindred, a warm and encouraging AI friend. Reply to what the person shared with specific, "
    "kind encouragement."
)
FRIEND_PROMPT = "You are Kindred, a friendly AI chat companion."
CLONE_PROMPT = (
    "You are an AI chat bot that writes the way {speaker} writes in chats: same tone, length and habits."
)


class UsageError(Exception):
    """Bad command-line input: printed as one line, exit code 2."""


@dataclass
class TrainPersonaArgs:
    # --- data
    input: Path | None = field(
        default=None,
        metadata={
            "help": "Export to learn from: a file, folder or .zip "
            "(Messenger, Telegram, WhatsApp, Discord, toastme CSV, Pushshift, PersonaChat, 'Name: text' transcript), "
            'a JSONL of {"messages": [...]} examples, or a folder written by --prepare-only.'
        },
    )
    out: Path | None = field(
        default=None,
        metadata={"help": "Output model folder (must be new or empty unless --resume or --overwrite)."},
    )
    format: str = field(
        default="auto",
        metadata={
            "help": "Export format, or 'auto' to detect it. One of: "
            "auto, messages (JSONL of examples), messenger, messenger_e2ee, telegram, whatsapp, discord, discord_csv, "
            "toastme_csv, pushshift, personachat, transcript."
        },
    )
    speaker: str | None = field(
        default=None,
        metadata={
            "help": "Whose replies to learn (the assistant side). "
            "Default: the speaker who looks like the exporting user; the choice is printed."
        },
    )
    list_speakers: bool = field(
        default=False,
        metadata={
            "help": "Print each speaker with message counts, mark the likely exporting user, and exit."
        },
    )
    prepare_only: bool = field(
        default=False,
        metadata={
            "help": "Write train.jsonl, valid.jsonl and stats.json into --out and exit without training."
        },
    )
    exclude_contact: list[str] = field(
        default_factory=list, metadata={"help": "Drop every conversation with this person (repeatable)."}
    )
    session_gap_minutes: float = field(
        default=360.0, metadata={"help": "A silence this long (minutes) starts a new conversation."}
    )
    max_context_turns: int = field(
        default=8, metadata={"help": "Preceding turns kept as context for each reply."}
    )
    no_scrub: bool = field(
        default=False,
        metadata={
            "help": "Keep emails, phone numbers and URLs (scrubbed to <email>, <phone>, <url> by default)."
        },
    )
    system_prompt: str | None = field(
        default=None,
        metadata={
            "help": "System prompt for every example and the "
            "written persona.toml. Default: an encouraging friend for toastme, 'writes the way SPEAKER writes' for "
            "chat exports."
        },
    )
    valid_fraction: float = field(
        default=0.1, metadata={"help": "Share of examples held out for validation (split by conversation)."}
    )
    max_train_samples: int = field(
        default=0,
        metadata={
            "help": "Train on at most this many examples (seeded sample; 0 = all). For quick trial runs."
        },
    )
    eval_samples: int = field(
        default=200, metadata={"help": "Held-out examples used for the validation loss (0 = all)."}
    )
    # --- model
    base_model: str = field(
        default="embedded",
        metadata={
            "help": "Model to fine-tune: 'embedded' "
            "(SmolLM2-135M-Instruct), a local model folder, a .gguf file or a Hugging Face hub id."
        },
    )
    full: bool = field(
        default=False,
        metadata={
            "help": "Full fine-tuning of every weight instead of LoRA (needs more memory; use a lower --lr)."
        },
    )
    lora_r: int = field(default=16, metadata={"help": "LoRA rank."})
    lora_alpha: int = field(default=32, metadata={"help": "LoRA alpha (scale = alpha / r)."})
    lora_dropout: float = field(default=0.05, metadata={"help": "Dropout on the LoRA path."})
    keep_adapter: bool = field(
        default=True,
        metadata={
            "help": "Also save the LoRA adapter alone in OUT/adapter (a few MB; the merged model is always "
            "saved). With it the bot serves a persona of the embedded model on that model's 4-bit copies "
            "plus the adapter, about as fast as the embedded model itself; --no-keep-adapter leaves it out."
        },
    )
    # --- optimisation
    epochs: float = field(
        default=1.0, metadata={"help": "Passes over the training examples (fractions allowed)."}
    )
    max_steps: int = field(
        default=0,
        metadata={"help": "Train for this many optimizer steps, replacing --epochs (0 = use --epochs)."},
    )
    minutes: float = field(
        default=0.0,
        metadata={
            "help": "Time budget for the training steps in minutes "
            "(0 = none); evaluation and saving come on top. The LR schedule follows whichever budget ends first."
        },
    )
    lr: float | None = field(
        default=None,
        metadata={
            "help": "Peak learning rate (default 2e-4 for LoRA, 3e-5 for --full); warmup then cosine decay."
        },
    )
    batch_size: int = field(default=8, metadata={"help": "Examples per micro-batch (length-bucketed)."})
    grad_accum: int = field(default=1, metadata={"help": "Micro-batches per optimizer step."})
    max_length: int = field(
        default=256, metadata={"help": "Max tokens per example; older context turns are dropped to fit."}
    )
    loss_on: Literal["all", "last"] = field(
        default="all",
        metadata={
            "help": "Learn every assistant turn in an example ('all') or only its final reply ('last')."
        },
    )
    precision: Literal["auto", "fp32", "bf16"] = field(
        default="auto",
        metadata={
            "help": "Autocast precision: "
            "auto = bf16 on GPUs and on CPUs where bf16 measures faster, else fp32."
        },
    )
    eval_every: int = field(
        default=0, metadata={"help": "Validation loss every N steps (0 = about 4 times per run)."}
    )
    save_every: int = field(
        default=0,
        metadata={
            "help": "Checkpoint (weights, optimizer, step, RNG) every N "
            "steps into OUT/checkpoints/last (0 = no checkpoints)."
        },
    )
    resume: bool = field(
        default=False,
        metadata={
            "help": "Continue an interrupted run from "
            "OUT/checkpoints/last, with its train.jsonl and valid.jsonl."
        },
    )
    overwrite: bool = field(
        default=False,
        metadata={
            "help": "Allow a non-empty --out that holds an earlier run of this tool: what a new run "
            "writes is removed first (model weights and tokenizer, adapter/, checkpoints/, report.json, "
            "loss.png, samples.md, persona.toml; train/valid/stats.json are rewritten), so --prepare-only "
            "leaves no earlier model beside the new data. Other files are kept. A folder with model files "
            "but no stats.json or report.json of an earlier run is refused."
        },
    )
    seed: int = field(default=0, metadata={"help": "Seed for the split, sampling, shuffling and LoRA init."})
    threads: int = field(default=0, metadata={"help": "CPU threads for torch (0 = all cores)."})
    # --- report
    num_samples: int = field(
        default=16,
        metadata={
            "help": "Held-out prompts answered by the base and the tuned "
            "model for samples.md and the style figures (0 = none)."
        },
    )
    sample_tokens: int = field(default=48, metadata={"help": "Max new tokens per sample reply."})
    quiet: bool = field(default=False, metadata={"help": "No progress bar."})

    def __post_init__(self) -> None:
        if self.input is None and not self.resume:
            raise UsageError(
                "--input is required (an export file or folder, a .jsonl of examples, or a prepared folder)"
            )
        if self.out is None and not self.list_speakers:
            raise UsageError("--out is required (the folder to write the model and its report into)")
        if not self.base_model.strip():
            raise UsageError(
                "--base-model must not be empty: 'embedded', a model folder, a .gguf file or a hub id"
            )
        for name in ("lora_r", "batch_size", "grad_accum", "max_context_turns"):
            if getattr(self, name) < 1:
                raise UsageError(f"--{name.replace('_', '-')} must be at least 1, got {getattr(self, name)}")
        for name in (
            "max_steps",
            "minutes",
            "eval_every",
            "save_every",
            "max_train_samples",
            "eval_samples",
            "num_samples",
            "threads",
            "session_gap_minutes",
        ):
            if getattr(self, name) < 0:
                raise UsageError(f"--{name.replace('_', '-')} must be 0 or more, got {getattr(self, name)}")
        if self.epochs <= 0:
            raise UsageError(f"--epochs must be positive, got {self.epochs}")
        if self.session_gap_minutes == 0:
            raise UsageError("--session-gap-minutes must be positive")
        if not 0 <= self.valid_fraction < 1:
            raise UsageError(f"--valid-fraction must be in [0, 1), got {self.valid_fraction}")
        if self.max_length < 16:
            raise UsageError(f"--max-length must be at least 16, got {self.max_length}")
        if self.lr is not None and self.lr <= 0:
            raise UsageError(f"--lr must be positive, got {self.lr}")
        if not 0 <= self.lora_dropout < 1:
            raise UsageError(f"--lora-dropout must be in [0, 1), got {self.lora_dropout}")
        if self.sample_tokens < 1:
            raise UsageError(f"--sample-tokens must be at least 1, got {self.sample_tokens}")


# --------------------------------------------------------------------------- argparse from the dataclass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> typing.NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """An argparse parser whose options and help come from TrainPersonaArgs (as TRL's HfArgumentParser)."""
    parser = _Parser(
        prog="python -m scripts.train_persona",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        epilog='Docs: docs/training.md. The bot loads the result with model.path = "OUT" or the written persona.toml.',
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    hints = typing.get_type_hints(TrainPersonaArgs)
    for f in fields(TrainPersonaArgs):
        flag = "--" + f.name.replace("_", "-")
        kind = hints[f.name]
        kw: dict[str, Any] = {"help": f.metadata["help"], "dest": f.name}
        default = f.default if f.default is not MISSING else f.default_factory()  # type: ignore[misc]
        origin = typing.get_origin(kind)
        if kind is bool:
            kw.update(action=argparse.BooleanOptionalAction if default else "store_true", default=default)
        elif origin is list:
            kw.update(action="append", default=[], type=typing.get_args(kind)[0], metavar="NAME")
        elif origin is Literal:
            kw.update(choices=list(typing.get_args(kind)), default=default)
        else:
            if origin in (typing.Union, types.UnionType):
                kind = next(a for a in typing.get_args(kind) if a is not type(None))
            kw.update(type=kind, default=default, metavar=f.name.split("_")[-1].upper())
        parser.add_argument(flag, **kw)
    return parser


def parse_args(argv: list[str] | None = None) -> TrainPersonaArgs:
    ns = build_parser().parse_args(argv)
    return TrainPersonaArgs(**vars(ns))


# --------------------------------------------------------------------------- data


@dataclass
class PreparedData:
    train: list[dict[str, Any]]
    valid: list[dict[str, Any]]
    stats: dict[str, Any]
    clone: bool  # the assistant is a real person (a voice clone), not a role like toastme's commenter
    speaker: str | None
    system_prompt: str


ROLES = ("system", "user", "assistant")
FIRST_LINE_LIMIT = 1 << 20  # one example is far below this; a minified export is one huge line


def _is_example(row: Any) -> bool:
    """A {"messages": [{"role", "content"}, ...]} example. An export with a top-level "messages"
    list (Telegram, Messenger, Discord saved on one line) is not one."""
    messages = row.get("messages") if isinstance(row, dict) else None
    return (
        isinstance(messages, list)
        and bool(messages)
        and all(
            isinstance(m, dict) and m.get("role") in ROLES and isinstance(m.get("content"), str)
            for m in messages
        )
    )


def _is_messages_jsonl(path: Path) -> bool:
    if not path.is_file() or path.suffix.lower() not in (".jsonl", ".ndjson", ".json"):
        return False
    try:
        with open(path, encoding="utf-8-sig") as f:
            while line := f.readline(FIRST_LINE_LIMIT):
                if line.strip():
                    return _is_example(json.loads(line))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return False


def _is_prepared_dir(path: Path) -> bool:
    return path.is_dir() and (path / "train.jsonl").is_file() and (path / "valid.jsonl").is_file()


def _load_prepared(folder: Path) -> PreparedData:
    from model.training import read_jsonl

    stats_path = folder / "stats.json"
    stats = (
        json.loads(stats_path.read_text(encoding="utf-8")) if stats_path.is_file() else {"format": "messages"}
    )
    train, valid = read_jsonl(folder / "train.jsonl"), read_jsonl(folder / "valid.jsonl")
    if not train:
        raise UsageError(f"{folder / 'train.jsonl'}: no examples")
    return PreparedData(
        train,
        valid,
        stats,
        bool(stats.get("clone", False)),
        stats.get("speaker"),
        stats.get("system_prompt") or _system_prompt_of(train) or FRIEND_PROMPT,
    )


def _system_prompt_of(rows: list[dict[str, Any]]) -> str | None:
    first = rows[0]["messages"][0] if rows and rows[0]["messages"] else {}
    return first.get("content") if first.get("role") == "system" else None


def _messages_file(path: Path, args: TrainPersonaArgs) -> PreparedData:
    from model.training import read_jsonl

    rows = read_jsonl(path)
    if not rows:
        raise UsageError(f"{path}: the file holds no examples")
    for n, row in enumerate(rows, 1):
        if not _is_example(row):
            raise UsageError(
                f'{path}: example {n} is not a list of {{"role": "system" | "user" | "assistant", '
                '"content": "..."} messages'
            )
    order = list(range(len(rows)))
    random.Random(args.seed).shuffle(order)
    n_valid = round(len(rows) * args.valid_fraction) if len(rows) > 1 else 0
    held = set(order[:n_valid])
    train = [r for i, r in enumerate(rows) if i not in held]
    valid = [r for i, r in enumerate(rows) if i in held]
    stats = {
        "format": "messages",
        "files": [str(path)],
        "examples": len(rows),
        "train": len(train),
        "valid": len(valid),
        "speaker": None,
        "speakers": {},
        "skipped": {},
    }
    return PreparedData(train, valid, stats, False, None, _system_prompt_of(rows) or FRIEND_PROMPT)


def _explain_not_messages(path: Path) -> None:
    """--format messages on a chat export: name what the file is instead of a JSON error on line 1."""
    from model.exports import ExportError, detect_format

    try:
        seen = detect_format(path)
    except ExportError:
        return  # not an export either: read_jsonl names the first bad line
    raise UsageError(
        f'{path}: this file is a {seen} export, not a JSONL of {{"messages": [...]}} examples: '
        f"leave out --format (it is detected) or pass --format {seen}"
    )


SLOW_READ_BYTES = 5_000_000


def _say_reading(path: Path) -> None:
    # Parsing is silent and takes a while on a big export (~10 s for a 35 MB WhatsApp chat): say what is
    # happening before a long pause, but not for small files that read in an instant.
    if path.is_file() and path.stat().st_size >= SLOW_READ_BYTES:
        print(f"reading {path} ({path.stat().st_size / 1e6:.0f} MB) ...", flush=True)
    elif path.is_dir():
        print(f"reading {path} ...", flush=True)


def _speaker_listing(counts: Any) -> str:
    return ", ".join(f"{name} ({n})" for name, n in counts.most_common(30))


def list_speakers(args: TrainPersonaArgs) -> int:
    from model.exports import ROLE_OWNERS, guess_owner, parse_export, speaker_counts

    _say_reading(Path(args.input).expanduser())
    parsed = parse_export(args.input, args.format)
    counts = speaker_counts(parsed)
    owner = guess_owner(parsed)
    print(
        f"{parsed.format} export, {len(parsed.conversations)} conversations, {sum(counts.values())} text messages"
    )
    width = max((len(n) for n in counts), default=0)
    for name, n in counts.most_common():
        mark = ""
        if name == owner:
            mark = "  <- assistant role" if parsed.format in ROLE_OWNERS else "  <- likely the exporting user"
        print(f"  {name:<{width}}  {n:>7}{mark}")
    return 0


def prepare(args: TrainPersonaArgs) -> PreparedData:
    """Parse the export (or read examples) and build the train / valid examples."""
    path = Path(args.input).expanduser()
    if args.format in ("auto", "messages") and _is_prepared_dir(path):
        return _load_prepared(path)
    if args.format == "messages" or (args.format == "auto" and _is_messages_jsonl(path)):
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
        if args.format == "messages" and not _is_messages_jsonl(path):
            _explain_not_messages(path)
        return _messages_file(path, args)

    from model.dataset import DatasetOptions, build_examples
    from model.exports import ROLE_OWNERS, guess_owner, parse_export, similar_speakers, speaker_counts

    _say_reading(path)
    parsed = parse_export(path, args.format)
    counts = speaker_counts(parsed)
    clone = parsed.format not in ROLE_OWNERS
    speaker = args.speaker
    if speaker is None:
        speaker = guess_owner(parsed)
        if speaker is None:
            raise UsageError(
                f"{path}: could not guess whose voice to learn; pass --speaker. Speakers: {_speaker_listing(counts)}"
            )
        if clone:
            print(
                f"speaker: {speaker} (looks like the exporting user; choose another with --speaker, see --list-speakers)"
            )
    else:
        folded = [n for n in counts if n.casefold() == speaker.strip().casefold()]
        if speaker not in counts and len(folded) != 1:
            close = similar_speakers(speaker, list(counts)) if not folded else folded
            hint = f" Did you mean {' or '.join(repr(n) for n in close)}?" if close else ""
            problem = "matches several speakers in" if len(folded) > 1 else "is not in"
            raise UsageError(
                f"speaker {speaker!r} {problem} {path}; speakers present: {_speaker_listing(counts) or 'none'}.{hint}"
            )
        speaker = speaker if speaker in counts else folded[0]
    if args.system_prompt is not None:
        system = args.system_prompt.strip()
    elif clone:
        system = CLONE_PROMPT.format(speaker=speaker)
    elif parsed.format in ("toastme_csv", "pushshift"):
        system = TOASTME_PROMPT
    else:
        system = FRIEND_PROMPT
    options = DatasetOptions(
        speaker=speaker,
        session_gap_minutes=args.session_gap_minutes,
        max_context_turns=args.max_context_turns,
        scrub=not args.no_scrub,
        exclude_contacts=tuple(args.exclude_contact),
        valid_fraction=args.valid_fraction,
        seed=args.seed,
        system_prompt=system or None,
    )
    train, valid, stats = build_examples(parsed, options)
    stats = {**stats, "clone": clone, "system_prompt": system}
    return PreparedData(train, valid, stats, clone, speaker if clone else None, system)


def _check_out(args: TrainPersonaArgs) -> Path:
    out = Path(args.out).expanduser()
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file; give a folder")
    if args.resume:
        if not (out / "checkpoints" / "last" / "state.json").is_file():
            raise UsageError(
                f"--resume: no checkpoint in {out / 'checkpoints' / 'last'} (the first run needs --save-every N)"
            )
        return out
    if out.is_dir() and any(out.iterdir()) and not args.overwrite:
        leftover = {p.name for p in out.iterdir()}
        if not leftover <= set(PREPARED_FILES) or Path(args.input).expanduser().resolve() != out.resolve():
            raise UsageError(
                f"--out {out} exists and is not empty; pass --overwrite to replace it, --resume to "
                "continue its checkpoint, or choose a new folder"
            )
    if out.is_dir() and args.overwrite:
        _earlier_run(out)  # refuses a folder that is not ours before anything is read or written
    return out


def _earlier_run(out: Path) -> list[Path]:
    """What --overwrite removes from ``out``: the files and folders an earlier run wrote (not the
    prepared data, which is rewritten, or read when --input is this folder). Raises UsageError when
    ``out`` holds a model this tool did not write (no stats.json / report.json of an earlier run),
    or one of our folders holds files we did not put there: those are not ours to delete."""
    found = [p for p in sorted(out.iterdir()) if p.name in RUN_FILES or WEIGHT_SHARD.fullmatch(p.name)]
    found = [p for p in found if p.is_file() or p.is_symlink()]
    for name, allowed in RUN_DIRS.items():
        folder = out / name
        if folder.is_symlink() or folder.is_file():
            raise UsageError(f"--overwrite: {folder} is not a folder this tool wrote; move it away first")
        if folder.is_dir():
            strange = sorted(p.name for p in folder.iterdir() if not allowed.fullmatch(p.name))
            if strange:
                raise UsageError(
                    f"--overwrite: {folder} holds files this tool does not write ({', '.join(strange[:5])}); "
                    "move them away first, or choose a new --out"
                )
            found.append(folder)
    if found and not _written_by_us(out):
        raise UsageError(
            f"--overwrite: {out} holds {', '.join(p.name for p in found[:5])} but no stats.json or "
            "report.json of an earlier run of this tool, so it is not ours to replace; choose a new --out"
        )
    return found


def _written_by_us(out: Path) -> bool:
    """Whether ``out`` has the stats.json every run writes first, or the report.json it ends with."""
    for name, keys in (("stats.json", ("format", "examples")), ("report.json", ("method", "base_model"))):
        try:
            data = json.loads((out / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and all(k in data for k in keys):
            return True
    return False


def _clear_earlier_run(out: Path) -> None:
    removed = _earlier_run(out)
    for path in removed:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    if removed:
        print(f"--overwrite: removed the earlier run's {', '.join(p.name for p in removed)} from {out}")


# --------------------------------------------------------------------------- the run


def _subsample(rows: list[dict[str, Any]], n: int, seed: int) -> list[dict[str, Any]]:
    if not n or len(rows) <= n:
        return rows
    idx = sorted(random.Random(seed).sample(range(len(rows)), n))
    return [rows[i] for i in idx]


def run(args: TrainPersonaArgs) -> int:
    if args.list_speakers:
        if args.input is None:
            raise UsageError("--list-speakers needs --input")
        return list_speakers(args)
    out = _check_out(args)

    from model.dataset import write_jsonl
    from model.report import write_json

    if args.resume:
        data = _load_prepared(out)
        print(f"resuming in {out} ({len(data.train)} training examples)")
        t_start = time.perf_counter()
        return train_and_report(args, data, out, _load_base_model(args), t_start)
    data = prepare(args)
    print(f"examples: {len(data.train)} train, {len(data.valid)} valid ({data.stats.get('format')})")
    lm = None
    if not args.prepare_only:
        if not data.train:
            raise UsageError("no training examples (the whole export went to validation or was filtered out)")
        # Before anything is written: a mistyped --base-model must leave --out as it was, so the
        # corrected command runs without --overwrite.
        t_start = time.perf_counter()
        lm = _load_base_model(args)
    if args.overwrite and out.is_dir():
        # Now that the data and the base model are known good: an earlier model left next to new
        # data (--prepare-only) would look like a trained model that does not match it.
        _clear_earlier_run(out)
    out.mkdir(parents=True, exist_ok=True)
    if Path(args.input).expanduser().resolve() != out.resolve():
        write_jsonl(out / "train.jsonl", data.train)
        write_jsonl(out / "valid.jsonl", data.valid)
        write_json(out / "stats.json", data.stats)
    if lm is None:
        print(f"wrote {out / 'train.jsonl'}, {out / 'valid.jsonl'} and {out / 'stats.json'}")
        return 0
    return train_and_report(args, data, out, lm, t_start)


def _load_base_model(args: TrainPersonaArgs) -> Any:
    import torch

    from bot.config import ModelSettings
    from model.loader import ModelLoadError, load_model

    torch.manual_seed(args.seed)
    try:
        # fp32 master weights; bf16 (where it pays) comes from autocast inside the trainer.
        return load_model(ModelSettings(path=args.base_model, dtype="float32", threads=args.threads))
    except ModelLoadError as exc:
        raise UsageError(f"--base-model: {exc}") from None


def train_and_report(args: TrainPersonaArgs, data: PreparedData, out: Path, lm: Any, t_start: float) -> int:
    """Train the loaded base model `lm` on the prepared data into `out`; `t_start` is when loading began."""
    import torch

    from model.report import persona_name, plot_losses, write_json, write_persona_toml, write_samples_md
    from model.style import style_fidelity
    from model.training import (
        TrainConfig,
        Trainer,
        count_parameters,
        encode_examples,
        generate_replies,
        perplexity,
        prepare_model,
        save_model,
    )

    cfg = TrainConfig(
        full=args.full,
        lora_r=args.lora_r,
        lora_alpha=args.lora_alpha,
        lora_dropout=args.lora_dropout,
        epochs=args.epochs,
        max_steps=args.max_steps,
        minutes=args.minutes,
        lr=args.lr,
        batch_size=args.batch_size,
        grad_accum=args.grad_accum,
        max_length=args.max_length,
        eval_every=args.eval_every,
        save_every=args.save_every,
        seed=args.seed,
        precision=args.precision,
        loss_on=args.loss_on,
    )
    tokenizer, use_template = lm.tokenizer, lm.has_chat_template
    print(
        f"base model: {lm.describe()}, {'chat template' if use_template else 'plain transcript'}, "
        f"{torch.get_num_threads()} threads"
    )

    train_rows = _subsample(data.train, args.max_train_samples, args.seed)
    valid_rows = _subsample(data.valid, args.eval_samples, args.seed)
    train_enc, train_counts = encode_examples(
        tokenizer, train_rows, max_length=cfg.max_length, use_template=use_template, loss_on=cfg.loss_on
    )
    valid_enc, valid_counts = encode_examples(
        tokenizer, valid_rows, max_length=cfg.max_length, use_template=use_template, loss_on=cfg.loss_on
    )

    # Held-out prompts for samples: the context of each validation example, its real reply apart.
    sample_rows = _subsample(data.valid or data.train, args.num_samples, args.seed + 1)
    prompts = [r["messages"][:-1] for r in sample_rows if len(r["messages"]) > 1]
    real = [r["messages"][-1]["content"] for r in sample_rows if len(r["messages"]) > 1]

    model = prepare_model(lm.model, cfg)
    trainable, total = count_parameters(model)
    trainer = Trainer(
        model, tokenizer, train_enc, valid_enc, cfg, out_dir=out, device=lm.device, progress=not args.quiet
    )
    if args.resume:
        trainer.resume()
    base_replies = trainer.extra_state.get("base_samples")
    if prompts and base_replies is None:
        t0 = time.perf_counter()
        with _adapters_off(model):
            base_replies = generate_replies(
                model,
                tokenizer,
                prompts,
                use_template=use_template,
                max_new_tokens=args.sample_tokens,
                seed=args.seed,
            )
        trainer.extra_state["base_samples"] = base_replies
        log.info("base-model samples in %.1f s", time.perf_counter() - t0)
    print(
        f"training {'all weights' if cfg.full else 'LoRA adapters'}: {trainable:,} of {total:,} parameters, "
        f"{len(train_enc)} examples, up to {trainer.total_steps} steps"
        + (f" or {cfg.minutes:g} minutes" if cfg.minutes else "")
    )
    result = trainer.run()

    merged = save_model(model, tokenizer, out, keep_adapter=args.keep_adapter)
    tuned_replies = (
        generate_replies(
            merged,
            tokenizer,
            prompts,
            use_template=use_template,
            max_new_tokens=args.sample_tokens,
            seed=args.seed,
        )
        if prompts
        else []
    )

    name = persona_name(out.name)
    report: dict[str, Any] = {
        "model_dir": str(out.resolve()),
        "base_model": {"path": args.base_model, "name": lm.name, "chat_template": use_template},
        "method": "full" if cfg.full else "lora-merged",
        "parameters": {"trainable": trainable, "total": total},
        "data": data.stats,
        "encoding": {
            "train": train_counts,
            "valid": valid_counts,
            "train_used": len(train_enc),
            "valid_used": len(valid_enc),
        },
        "valid_loss_before": result.valid_loss_before,
        "valid_loss_after": result.valid_loss_after,
        "valid_perplexity_before": perplexity(result.valid_loss_before),
        "valid_perplexity_after": perplexity(result.valid_loss_after),
        "steps": result.steps,
        "epochs": round(result.epochs_done, 3),
        "stopped_by": result.stopped_by,
        "resumed_from_step": result.resumed_from_step,
        "train_tokens": result.train_tokens,
        "target_tokens": result.target_tokens,
        "train_seconds": round(result.train_seconds, 1),
        "tokens_per_second": round(result.tokens_per_second, 1),
        "wall_seconds": round(time.perf_counter() - t_start, 1),
        "device": lm.device.type,
        "autocast": result.autocast,
        "threads": torch.get_num_threads(),
        "history": result.history,
        "arguments": {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(args).items()},
        "samples": [
            {"prompt": p, "real": r, "base": b, "tuned": t}
            for p, r, b, t in zip(prompts, real, base_replies or [], tuned_replies, strict=False)
        ],
    }
    if data.clone and prompts:
        report["style"] = style_fidelity(real, {"base": base_replies or [], "tuned": tuned_replies})
    write_json(out / "report.json", report)
    plot_losses(result.history, out / "loss.png", title=f"{lm.name} -> {out.name} ({report['method']})")
    if prompts:
        write_samples_md(
            out / "samples.md", prompts, real, base_replies or [], tuned_replies, base_name=lm.name
        )
    what = (
        f"that writes like {data.speaker}" if data.clone else f"fine-tuned on {data.stats.get('format')} data"
    )
    write_persona_toml(
        out / "persona.toml",
        name=name,
        system_prompt=data.system_prompt,
        model_dir=out,
        clone=data.clone,
        speaker=data.speaker,
        description=f"A model {what}.",
    )

    before, after = result.valid_loss_before, result.valid_loss_after
    print(
        f"validation loss {before:.4f} -> {after:.4f} (perplexity {perplexity(before):.1f} -> {perplexity(after):.1f}); "
        f"{result.steps} steps in {result.train_seconds / 60:.1f} min, {result.tokens_per_second:.0f} tokens/s "
        f"({result.autocast}), stopped by {result.stopped_by}"
    )
    if "style" in report:
        s = report["style"]
        print(
            "style (real / base / tuned): mean chars {:.0f} / {:.0f} / {:.0f}; emoji {:.2f} / {:.2f} / {:.2f}; "
            "lowercase {:.2f} / {:.2f} / {:.2f}; top-word overlap - / {:.2f} / {:.2f}".format(
                s["real"]["mean_chars"],
                s["base"]["mean_chars"],
                s["tuned"]["mean_chars"],
                s["real"]["emoji_rate"],
                s["base"]["emoji_rate"],
                s["tuned"]["emoji_rate"],
                s["real"]["lowercase_rate"],
                s["base"]["lowercase_rate"],
                s["tuned"]["lowercase_rate"],
                s["base"]["top_word_overlap"],
                s["tuned"]["top_word_overlap"],
            )
        )
    print(
        f'model: {out}  (use it with model.path = "{out}", or copy {out / "persona.toml"} into your personas folder)'
    )
    if data.clone:
        print("persona.toml is a cloned voice: the bot runs it only after you fill in `consent`.")
    return 0


class _adapters_off:
    """Context manager: the base model's behaviour (LoRA adapters disabled) or a no-op for --full."""

    def __init__(self, model: Any) -> None:
        self.ctx = model.disable_adapter() if hasattr(model, "disable_adapter") else None

    def __enter__(self) -> None:
        if self.ctx is not None:
            self.ctx.__enter__()

    def __exit__(self, *exc: Any) -> None:
        if self.ctx is not None:
            self.ctx.__exit__(*exc)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    for noisy in ("httpx", "urllib3", "transformers", "peft"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        args = parse_args(argv)
        return run(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted (with --save-every, continue with --resume)", file=sys.stderr)
        return 130
    except Exception as exc:
        from model.dataset import DatasetError
        from model.exports import ExportError
        from model.training import TrainingError

        if isinstance(exc, ExportError | DatasetError | TrainingError):
            print(f"error: {exc}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
