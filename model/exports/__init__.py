"""Chat-export parsers: turn Messenger, Telegram, WhatsApp, Discord, Reddit/toastme, PersonaChat and
plain transcripts into one neutral shape (`ParsedExport` of `Conversation`s of `ChatMessage`s).

    parsed = parse_export(Path("~/Downloads/facebook-me.zip").expanduser())
    speaker_counts(parsed).most_common(5), guess_owner(parsed)

Pure Python (no torch). Every unreadable input raises one `ExportError` naming the file and, where
there is one, the line; a few bad records inside a large file are skipped and counted instead.
"""

from __future__ import annotations

import logging
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

from model.exports import discord, messenger, personachat, reddit, telegram, transcript, whatsapp
from model.exports.sources import COMPRESSED, detect_encoding, extract_text_members, head_text, is_zip
from model.exports.types import (
    DELETED,
    KINDS,
    MEDIA,
    SYSTEM,
    TEXT,
    ChatMessage,
    Conversation,
    ExportError,
    ParsedExport,
)

__all__ = [
    "DELETED",
    "FORMATS",
    "KINDS",
    "MEDIA",
    "SYSTEM",
    "TEXT",
    "ChatMessage",
    "Conversation",
    "ExportError",
    "ROLE_OWNERS",
    "ParsedExport",
    "detect_format",
    "guess_owner",
    "parse_export",
    "similar_speakers",
    "speaker_counts",
]

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = (
    "messenger",
    "messenger_e2ee",
    "telegram",
    "whatsapp",
    "discord",
    "discord_csv",
    "toastme_csv",
    "pushshift",
    "personachat",
    "transcript",
)
# Formats whose assistant side is a fixed role rather than a person.
ROLE_OWNERS = {
    "toastme_csv": reddit.COMMENTER,
    "pushshift": reddit.COMMENTER,
    "personachat": personachat.PERSONA,
}

SCANNED_SUFFIXES = {".json", ".jsonl", ".ndjson", ".txt", ".csv", *COMPRESSED}
# Attachment folders inside Messenger threads and Telegram exports: a shared notes.txt or data.csv
# there is not part of the chat and must not make the folder look like a second format.
ATTACHMENT_DIRS = {
    "photos",
    "videos",
    "files",
    "gifs",
    "audio",
    "media",
    "stickers_used",
    "stickers",
    "video_files",
    "voice_messages",
    "round_video_messages",
    "animations",
    "contacts",
    "__macosx",
}
FORMAT_HELP = (
    "Supported: Facebook Messenger (folder or zip of message_N.json, or the encrypted-chat download), "
    "Telegram Desktop result.json, WhatsApp .txt or .zip, DiscordChatExporter JSON or CSV, toastme CSV "
    "(title,body,score), Pushshift JSON lines, PersonaChat JSON, or a plain 'Name: text' transcript."
)


# --- detection --------------------------------------------------------------------------------


def _sniff_file(path: Path) -> str | None:
    """The format of one file from its name and first 64 KB, or None."""
    suffix = path.suffix.lower()
    if suffix in COMPRESSED:
        return "pushshift" if reddit.sniff_jsonl(head_text(path)) else None
    head = head_text(path)
    if not head.strip():
        return None
    if suffix == ".json":
        if found := messenger.sniff(head):
            return found
        if telegram.sniff(head):
            return "telegram"
        if discord.sniff_json(head):
            return "discord"
        if personachat.sniff(head):
            return "personachat"
        if reddit.sniff_jsonl(head):
            return "pushshift"
        return None
    if suffix in (".jsonl", ".ndjson"):
        return "pushshift" if reddit.sniff_jsonl(head) else None
    if suffix == ".csv":
        if discord.sniff_csv(head):
            return "discord_csv"
        if reddit.sniff_csv(head):
            return "toastme_csv"
        return None
    if suffix in (".txt", ""):
        if whatsapp.sniff(head):
            return "whatsapp"
        if transcript.sniff(head):
            return "transcript"
    return None


def _scan_folder(folder: Path) -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    for f in sorted(folder.rglob("*")):
        parts = f.relative_to(folder).parts
        if any(p.startswith(".") or p.lower() in ATTACHMENT_DIRS for p in parts[:-1]) or parts[-1].startswith(
            "."
        ):
            continue
        if f.is_file() and f.suffix.lower() in SCANNED_SUFFIXES:
            fmt = _sniff_file(f)
            if fmt:
                found.setdefault(fmt, []).append(f)
    return found


def _html_hint(folder: Path) -> str:
    # Both Facebook and Telegram offer HTML exports, which carry no reliable structure to parse.
    if next(folder.rglob("message_*.html"), None) is not None:
        return " This looks like Facebook's HTML download: request it again with format JSON."
    if next(folder.rglob("messages*.html"), None) is not None:
        return " This looks like a Telegram HTML export: export again choosing 'Machine-readable JSON'."
    if next(folder.rglob("c[0-9]*/channel.json"), None) is not None:
        return DISCORD_PACKAGE_HINT
    return ""


def _choose(found: dict[str, list[Path]], where: str, folder: Path | None = None) -> str:
    if not found:
        hint = _html_hint(folder) if folder is not None else ""
        raise ExportError(f"{where}: no chat export found in this folder.{hint} {FORMAT_HELP}")
    if len(found) == 1:
        return next(iter(found))
    listing = ", ".join(f"{fmt} ({len(files)} files)" for fmt, files in sorted(found.items()))
    raise ExportError(
        f"{where}: this folder mixes export formats: {listing}. Pass one of them with --format, or a narrower path."
    )


# Files people pick by mistake: the phone's own chat database or backup instead of an export.
DATABASE_HINT = (
    " A chat app's database or backup (WhatsApp's msgstore.db.crypt14 or ChatStorage.sqlite, for example)"
    " cannot be read: use the app's own export instead (WhatsApp: a chat > Export chat)."
)


# Discord's own "Request all of my data" package: messages/c<id>/{channel.json, messages.json|csv}.
DISCORD_PACKAGE_HINT = (
    " This looks like Discord's own data package: it holds only your messages, without anything you"
    " replied to, so there is nothing to learn replies from. Export the chats with DiscordChatExporter (JSON)."
)


def _discord_package_file(path: Path) -> bool:
    head = head_text(path, 2048).lstrip()
    first = head.splitlines()[0].lower() if head else ""
    return (path.name == "messages.csv" and first.startswith("id,timestamp,contents")) or (
        path.name == "messages.json" and '"Contents"' in head and '"Timestamp"' in head
    )


def _not_text(path: Path) -> str | None:
    """Why a file is not a text export (a binary, a database, a damaged zip), or None."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return None
    if head.startswith(b"PK\x03\x04") or path.suffix.lower() == ".zip":
        return (
            "this looks like a zip archive but it cannot be opened: it is damaged or incomplete "
            "(an interrupted download?). Download it again, or unzip it and pass the folder."
        )
    if head.startswith(b"SQLite format 3\x00") or ".crypt" in path.name.lower():
        return "this is a database or an encrypted backup, not a chat export." + DATABASE_HINT
    if detect_encoding(head).startswith("utf-16"):
        return None
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if control > len(head) // 20:
        return f"this is a binary file, not a text or JSON chat export. {FORMAT_HELP}"
    return None


def _detect_local(path: Path, shown: str) -> str:
    if path.is_dir():
        return _choose(_scan_folder(path), shown, path)
    if path.stat().st_size == 0:
        raise ExportError(f"{shown}: the file is empty")
    fmt = _sniff_file(path)
    if fmt is None:
        if _discord_package_file(path):
            raise ExportError(f"{shown}: not a chat export.{DISCORD_PACKAGE_HINT}")
        why = _not_text(path)
        raise ExportError(f"{shown}: {why}" if why else f"{shown}: unknown export format. {FORMAT_HELP}")
    return fmt


def _exists(path: Path) -> None:
    if not path.exists():
        raise ExportError(f"{path}: no such file or folder")


def detect_format(path: Path) -> str:
    """The export format of a file, folder or .zip; ExportError if it is none of FORMATS."""
    path = Path(path)
    _exists(path)
    if is_zip(path):
        with tempfile.TemporaryDirectory(prefix="kindred-export-") as tmp:
            if not extract_text_members(path, Path(tmp)):
                raise ExportError(
                    f"{path}: the zip archive holds no .txt, .json or .csv files. {FORMAT_HELP}"
                )
            try:
                return _detect_local(Path(tmp), str(path))
            except ExportError as e:
                raise ExportError(str(e).replace(tmp, f"{path}!")) from None
    return _detect_local(path, str(path))


# --- parsing ----------------------------------------------------------------------------------


def _parse_local(path: Path, fmt: str, shown: str, display: dict[Path, str]) -> ParsedExport:
    """Parse a file or folder on disk; `display` maps paths to the names shown to the user."""
    if fmt == "auto" or path.is_dir():
        return _parse_files(path, fmt, shown, display)
    try:
        return _parse_files(path, fmt, shown, display)
    except ExportError as e:
        # A forced --format is tried as asked (the sniffer may be the one that is wrong), but when it
        # fails on a file that is plainly another format, say so instead of a puzzling JSON error.
        if path.stat().st_size == 0:
            raise
        seen = _sniff_file(path)
        if seen is None or seen == fmt:
            if (why := _not_text(path)) is not None:
                raise ExportError(f"{shown}: {why}") from None
            raise
        raise ExportError(
            f"{shown}: this file is a {seen} export, not {fmt}: leave out --format (it is detected) "
            f"or pass --format {seen}. (Read as {fmt}: {str(e).removeprefix(shown).lstrip(': ')})"
        ) from None


def _parse_files(path: Path, fmt: str, shown: str, display: dict[Path, str]) -> ParsedExport:
    if path.is_dir():
        found = _scan_folder(path)
        if fmt == "auto":
            fmt = _choose(found, shown, path)
        elif fmt not in found:
            have = ", ".join(sorted(found)) or "nothing recognisable"
            raise ExportError(f"{shown}: no {fmt} files found in this folder (found: {have})")
        files = found[fmt]
    else:
        if path.stat().st_size == 0:
            raise ExportError(f"{shown}: the file is empty")
        if fmt == "auto":
            fmt = _detect_local(path, shown)
        files = [path]
        if fmt == "messenger" and messenger.THREAD_FILE.match(path.name):
            # One file of a split thread: the thread is the whole folder.
            files = sorted(f for f in path.parent.iterdir() if messenger.THREAD_FILE.match(f.name))
        elif fmt == "messenger_e2ee" and (m := messenger.E2EE_FILE.match(path.name)):
            files = sorted(
                f
                for f in path.parent.glob(f"{m.group('thread')}_*.json")
                if messenger.E2EE_FILE.match(f.name)
            )
        if fmt == "pushshift" and "submission" not in reddit.pushshift_kinds(path):
            # A comments file alone has no titles: pick up the submissions file lying next to it.
            siblings = [
                f
                for f in sorted(path.parent.iterdir())
                if f != path and f.is_file() and _sniff_file(f) == "pushshift"
            ]
            files += [f for f in siblings if "submission" in reddit.pushshift_kinds(f)]
    names = {f: display.get(f, str(f)) for f in files}
    for f in files:
        display.setdefault(f, str(f))
    skipped: Counter[str] = Counter()
    conversations: list[Conversation] = []
    owner: str | None = ROLE_OWNERS.get(fmt)

    if fmt == "messenger":
        groups: dict[Path, list[Path]] = {}
        for f in files:
            groups.setdefault(f.parent, []).append(f)
        conversations, skipped = messenger.parse_threads(groups, names)
    elif fmt == "messenger_e2ee":
        conversations, skipped = messenger.parse_e2ee(files, names)
    elif fmt == "pushshift":
        conversations, skipped = reddit.parse_pushshift(files, [names[f] for f in files])
    else:
        owners: Counter[str] = Counter()
        for f in files:
            if fmt == "telegram":
                convs, skip, file_owner = telegram.parse_file(f, names[f])
                if file_owner:
                    owners[file_owner] += 1
            elif fmt == "whatsapp":
                conv, skip = whatsapp.parse_file(f, names[f])
                convs = [conv]
            elif fmt == "discord":
                conv, skip = discord.parse_json(f, names[f])
                convs = [conv]
            elif fmt == "discord_csv":
                conv, skip = discord.parse_csv(f, names[f])
                convs = [conv]
            elif fmt == "toastme_csv":
                convs, skip = reddit.parse_toastme_csv(f, names[f])
            elif fmt == "personachat":
                convs, skip = personachat.parse_file(f, names[f])
            elif fmt == "transcript":
                convs, skip = transcript.parse_file(f, names[f])
            else:
                raise ExportError(
                    f"{shown}: unknown format {fmt!r}; choose one of: auto, {', '.join(FORMATS)}"
                )
            conversations += convs
            skipped += skip
        if owners:
            owner = owners.most_common(1)[0][0]

    parsed = ParsedExport(
        format=fmt, files=[names[f] for f in files], conversations=conversations, owner=owner, skipped=skipped
    )
    if not any(m.kind == TEXT and m.text for c in conversations for m in c.messages):
        detail = f" (skipped: {dict(skipped)})" if skipped else ""
        raise ExportError(f"{shown}: the {fmt} export holds no text messages{detail}")
    log.info(
        "parsed %s export: %d files, %d conversations, %d messages",
        fmt,
        len(files),
        len(conversations),
        parsed.message_count,
    )
    return parsed


def parse_export(path: Path, fmt: str = "auto") -> ParsedExport:
    """Parse a file, folder or .zip in the given format (or detect it)."""
    path = Path(path)
    if fmt != "auto" and fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of: auto, {', '.join(FORMATS)}")
    _exists(path)
    if is_zip(path):
        with tempfile.TemporaryDirectory(prefix="kindred-export-") as tmp:
            root = Path(tmp)
            members = extract_text_members(path, root)
            if not members:
                raise ExportError(
                    f"{path}: the zip archive holds no .txt, .json or .csv files. {FORMAT_HELP}"
                )
            display = {root / m: f"{path}!{m}" for m in members}
            try:
                parsed = _parse_local(root, fmt, str(path), display)
            except ExportError as e:
                raise ExportError(str(e).replace(tmp + "/", f"{path}!").replace(tmp, str(path))) from None
            if (
                parsed.format == "whatsapp"
                and len(parsed.conversations) == 1
                and parsed.conversations[0].title == "_chat"
            ):
                parsed.conversations[0].title = path.stem.removeprefix("WhatsApp Chat - ").removeprefix(
                    "WhatsApp Chat with "
                )
            return parsed
    return _parse_local(path, fmt, str(path), {})


def speaker_counts(parsed: ParsedExport) -> Counter[str]:
    """Text messages per speaker (media, system and deleted messages do not count)."""
    return Counter(m.speaker for c in parsed.conversations for m in c.messages if m.kind == TEXT and m.text)


def _named_after_other(conversation: Conversation, speakers: set[str]) -> str | None:
    """In a one-to-one chat named after one of its two people ("WhatsApp Chat with Ana.txt", a
    Discord DM channel "ana"), the other one is the person who exported it."""
    if len(speakers) != 2:
        return None
    names = {
        conversation.title.casefold().strip(),
        conversation.title.rsplit(" / ", 1)[-1].casefold().strip(),
    }
    others = [s for s in speakers if s.casefold() not in names]
    return others[0] if len(others) == 1 else None


def guess_owner(parsed: ParsedExport) -> str | None:
    """The speaker who most likely made the export: what the format says; else, in one-to-one
    chats named after the other person, the person they are not named after; else the person present
    in the most conversations (everyone's own download contains them in every thread), ties broken
    by message count."""
    counts = speaker_counts(parsed)
    if parsed.owner and parsed.owner in counts:
        return parsed.owner
    if not counts:
        return None
    if parsed.format not in ROLE_OWNERS:
        named: Counter[str] = Counter()
        for c in parsed.conversations:
            speakers = {m.speaker for m in c.messages if m.kind == TEXT and m.text}
            if (other := _named_after_other(c, speakers)) is not None:
                named[other] += 1
        if named:
            return max(named, key=lambda s: (named[s], counts[s], s))
    presence: Counter[str] = Counter()
    for c in parsed.conversations:
        for s in {m.speaker for m in c.messages if m.kind == TEXT and m.text}:
            presence[s] += 1
    return max(counts, key=lambda s: (presence[s], counts[s], s))


def _plain(name: str) -> str:
    """A name without accents, case or extra spaces: 'José  Núñez' -> 'jose nunez'."""
    decomposed = unicodedata.normalize("NFKD", name)
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().split())


def similar_speakers(wanted: str, speakers: list[str]) -> list[str]:
    """Speakers a mistyped --speaker probably meant: the same name without accents, or one that
    starts with it ('Jose' for 'José Núñez'), or a name it starts with."""
    plain = _plain(wanted)
    if not plain:
        return []
    same = [s for s in speakers if _plain(s) == plain]
    if same:
        return same
    return [
        s for s in speakers if (p := _plain(s)) and (p.startswith(plain + " ") or plain.startswith(p + " "))
    ]
