"""Reading export files: encodings, JSON with useful errors, compressed line files, zip archives.

Every failure here becomes one ExportError that names the file and, where there is one, the line.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import json
import lzma
import os
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from model.exports.types import ExportError

SNIFF_BYTES = 64 * 1024
COMPRESSED = (".gz", ".bz2", ".xz", ".zst")


def _line_of(data: bytes, pos: int) -> int:
    return data.count(b"\n", 0, pos) + 1


def detect_encoding(head: bytes) -> str:
    """Pick a codec from the byte-order mark; without one, UTF-16 shows itself by NUL bytes."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"  # the codec reads the BOM and picks the byte order
    sample = head[:4096]
    if len(sample) >= 4 and sample.count(b"\x00") > len(sample) // 4:
        # ASCII text in UTF-16 without a BOM: every other byte is NUL.
        return "utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"
    return "utf-8"


def decode_bytes(data: bytes, name: str) -> str:
    """Decode a whole text file (UTF-8 with or without BOM, UTF-16 LE/BE); errors name the line."""
    if not data.strip():
        raise ExportError(f"{name}: the file is empty")
    encoding = detect_encoding(data)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        line = _line_of(data, e.start)
        bad = data[e.start : e.start + 1].hex()
        raise ExportError(
            f"{name} line {line}: the text is not valid {encoding.upper().replace('-SIG', '')} "
            f"(byte 0x{bad} at offset {e.start}). Save the file as UTF-8 or UTF-16 and try again."
        ) from None


# Whole-file readers (JSON exports, WhatsApp, transcripts) hold the bytes, the text and every parsed
# message at once: a 34 MB WhatsApp chat peaked at 500 MB, about 15 times its size.
MEMORY_PER_FILE_BYTE = 15


def available_memory() -> int | None:
    """Bytes of memory free for new allocations (Linux MemAvailable), or None when unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def check_fits_in_memory(path: Path, name: str) -> None:
    """Refuse, before reading a byte, a file too big to parse in the memory this machine has."""
    try:
        size = path.stat().st_size
    except OSError:
        return
    free = available_memory()
    if free is None or size * MEMORY_PER_FILE_BYTE <= free:
        return
    raise ExportError(
        f"{name}: the file is {size / 1e9:.1f} GB; reading it needs about "
        f"{size * MEMORY_PER_FILE_BYTE / 1e9:.0f} GB of memory and {free / 1e9:.1f} GB is free. "
        "Export less at once (a single chat, or a shorter period), or run this on a machine with more memory."
    )


def read_text(path: Path, name: str | None = None) -> str:
    name = name or str(path)
    check_fits_in_memory(path, name)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ExportError(f"{name}: cannot read the file ({e.strerror or e})") from None
    return decode_bytes(data, name)


def head_text(path: Path, size: int = SNIFF_BYTES) -> str:
    """The start of a file as text, for sniffing only (lenient: a cut multi-byte char is replaced)."""
    try:
        with open_binary(path) as f:
            data = f.read(size)
    except (OSError, EOFError, ExportError, lzma.LZMAError):
        return ""
    return data.decode(detect_encoding(data), errors="replace").lstrip("\ufeff")


def load_json(path: Path, name: str | None = None) -> Any:
    name = name or str(path)
    text = read_text(path, name)
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        hint = ""
        # A whole export always ends with its closing bracket; a cut-off download or copy does not
        # (the error itself may point far back, at the start of the string that never ends).
        end = text.rstrip()
        if e.pos >= len(end) - 1 or (end[:1] in "{[" and not end.endswith(("}", "]"))):
            hint = (
                " The file ends before the JSON is complete: it looks truncated; download or copy it again."
            )
        raise ExportError(
            f"{name} line {e.lineno} column {e.colno}: not valid JSON ({e.msg}).{hint}"
        ) from None


def open_binary(path: Path) -> IO[bytes]:
    """Open a plain or compressed file for reading bytes."""
    suffix = path.suffix.lower()
    if suffix == ".gz":
        return gzip.open(path, "rb")
    if suffix == ".bz2":
        return bz2.open(path, "rb")
    if suffix == ".xz":
        return lzma.open(path, "rb")
    if suffix == ".zst":
        try:
            import zstandard  # type: ignore[import-not-found]  # optional: Pushshift dumps use it
        except ImportError:
            raise ExportError(
                f"{path}: .zst files need the 'zstandard' package (pip install zstandard), "
                "or decompress first with `zstd -d`"
            ) from None
        # Pushshift dumps use a long window; max_window_size is what their readers pass.
        dctx = zstandard.ZstdDecompressor(max_window_size=2**31)
        return io.BufferedReader(dctx.stream_reader(open(path, "rb")))  # type: ignore[arg-type]
    return open(path, "rb")


def iter_lines(path: Path, name: str | None = None) -> Iterator[tuple[int, str | None]]:
    """Yield (line number, text) for each non-blank line, streaming; text is None when the line
    is not valid UTF-8 (the caller counts it as a bad record instead of failing the whole file)."""
    name = name or str(path)
    try:
        with open_binary(path) as f:
            for number, raw in enumerate(f, start=1):
                if not raw.strip():
                    continue
                if number == 1:
                    raw = raw.removeprefix(codecs.BOM_UTF8)
                try:
                    yield number, raw.decode("utf-8")
                except UnicodeDecodeError:
                    yield number, None
    except (OSError, EOFError, lzma.LZMAError) as e:
        raise ExportError(f"{name}: cannot read the file ({e})") from None


def is_zip(path: Path) -> bool:
    return path.is_file() and zipfile.is_zipfile(path)


# Members worth extracting from an archive: chat text and JSON, never the (large) media.
ARCHIVE_SUFFIXES = (".txt", ".json", ".jsonl", ".ndjson", ".csv")


def extract_text_members(archive: Path, dest: Path) -> list[str]:
    """Extract the text/JSON/CSV members of a zip into dest, refusing unsafe paths."""
    names: list[str] = []
    try:
        with zipfile.ZipFile(archive) as z:
            wanted = []
            for info in z.infolist():
                member = info.filename
                parts = Path(member).parts
                if info.is_dir() or not member.lower().endswith(ARCHIVE_SUFFIXES):
                    continue
                if member.startswith(("/", "\\")) or ".." in parts or "__MACOSX" in parts:
                    continue  # zip-slip guard, and macOS resource forks are not chats
                wanted.append(info)
            # The text is unpacked to a temporary folder: make sure it fits before filling the disk.
            # (zipfile stops a member at its declared size, so a lying header cannot write more.)
            needed = sum(info.file_size for info in wanted)
            free = shutil.disk_usage(dest).free
            if needed > free - (256 << 20):
                raise ExportError(
                    f"{archive}: unpacking its chat files needs {needed / 1e9:.1f} GB and the temporary folder "
                    f"{dest.parent} has {free / 1e9:.1f} GB free. Unzip it yourself somewhere with room and pass "
                    "the folder, or point TMPDIR at a bigger disk."
                )
            for info in wanted:
                member = info.filename
                target = dest / member
                target.parent.mkdir(parents=True, exist_ok=True)
                with z.open(info) as src, open(target, "wb") as out:
                    while chunk := src.read(1 << 20):
                        out.write(chunk)
                names.append(member)
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise ExportError(f"{archive}: cannot read the zip archive ({e})") from None
    return names
