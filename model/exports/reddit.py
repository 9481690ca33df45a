"""r/toastme data: BigQuery CSV (title, body, score) and Pushshift JSON lines.

Both become one two-message conversation per (post, top-level comment): the poster's title as
the user turn and the comment as the assistant turn. Speakers are the fixed roles ``poster`` and
``commenter`` (real Reddit names would make every commenter a different "speaker").
"""

from __future__ import annotations

import csv
import json
import logging
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from model.exports.sources import detect_encoding, head_text, iter_lines
from model.exports.types import ChatMessage, Conversation, ExportError

log = logging.getLogger(__name__)

POSTER, COMMENTER = "poster", "commenter"
REMOVED = {"[removed]", "[deleted]", "[deleted by user]", ""}
BOTS = {"automoderator"}

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # Reddit bodies can exceed csv's 128 KB default


def _pair(
    conv_id: str, title: str, body: str, group: str, posted: float | None, replied: float | None
) -> Conversation:
    messages = [ChatMessage(POSTER, title, posted), ChatMessage(COMMENTER, body, replied)]
    return Conversation(
        id=conv_id, title=title, messages=messages, participants=[POSTER, COMMENTER], group=group
    )


def _score(value: object) -> int | None:
    try:
        return int(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


# --- BigQuery CSV -----------------------------------------------------------------------------


def sniff_csv(head: str) -> bool:
    first = head.splitlines()[0] if head else ""
    cols = {c.strip().strip('"').lower() for c in first.split(",")}
    return {"title", "body"} <= cols


def parse_toastme_csv(path: Path, name: str | None = None) -> tuple[list[Conversation], Counter[str]]:
    name = name or str(path)
    skipped: Counter[str] = Counter()
    conversations: list[Conversation] = []
    with open(path, "rb") as fb:
        encoding = detect_encoding(fb.read(4096))
    with open(path, encoding=encoding, newline="") as f:
        reader = csv.reader(f)
        try:
            header = [h.strip().lower() for h in next(reader)]
        except StopIteration:
            raise ExportError(f"{name}: the file is empty") from None
        except UnicodeDecodeError as e:
            raise ExportError(f"{name} line 1: the text is not valid {encoding} ({e.reason})") from None
        if "title" not in header or "body" not in header:
            raise ExportError(
                f"{name} line 1: expected a header with columns title, body, score; got {header}"
            )
        ti, bi = header.index("title"), header.index("body")
        si = header.index("score") if "score" in header else None
        row_number = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except UnicodeDecodeError as e:
                raise ExportError(
                    f"{name} line {reader.line_num + 1}: the text is not valid {encoding} ({e.reason})"
                ) from None
            except csv.Error as e:
                raise ExportError(f"{name} line {reader.line_num}: broken CSV ({e})") from None
            row_number += 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                skipped["bad record"] += 1
                continue
            title, body = row[ti].strip(), row[bi].strip()
            score = _score(row[si]) if si is not None else None
            if not title or body in REMOVED:
                skipped["removed or deleted"] += 1
                continue
            if si is not None and score is not None and score < 1:
                skipped["score below 1"] += 1
                continue
            conversations.append(
                _pair(f"row{row_number}", title, body, group=title, posted=None, replied=None)
            )
    return conversations, skipped


# --- Pushshift JSON lines ---------------------------------------------------------------------


def _record_kind(record: object) -> str | None:
    if not isinstance(record, dict):
        return None
    if "link_id" in record and "body" in record:
        return "comment"
    if "title" in record and ("selftext" in record or "subreddit" in record or "author" in record):
        return "submission"
    return None


def sniff_jsonl(head: str) -> bool:
    for line in head.splitlines()[:5]:
        if not line.strip():
            continue
        try:
            return _record_kind(json.loads(line)) is not None
        except json.JSONDecodeError:
            return False
    return False


@dataclass
class _Submission:
    title: str
    author: str
    created: float | None


@dataclass
class _Comment:
    link: str
    id: str
    body: str
    author: str
    created: float | None


def _float(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def pushshift_kinds(path: Path) -> set[str]:
    """Which record kinds a Pushshift file starts with (to pair a comments file with its submissions)."""
    kinds: set[str] = set()
    for line in head_text(path).splitlines()[:20]:
        try:
            kind = _record_kind(json.loads(line))
        except json.JSONDecodeError:
            continue
        if kind:
            kinds.add(kind)
    return kinds


def parse_pushshift(
    files: list[Path], names: list[str] | None = None
) -> tuple[list[Conversation], Counter[str]]:
    """Stream every file once: keep submissions (id -> title, author) and the comments that pass the
    per-comment rules; join them at the end, since comments may come before their submissions."""
    names = names or [str(f) for f in files]
    skipped: Counter[str] = Counter()
    submissions: dict[str, _Submission] = {}
    comments: list[_Comment] = []
    for path, name in zip(files, names, strict=True):
        good = bad = 0
        first_bad = None
        for number, line in iter_lines(path, name):
            try:
                record = json.loads(line) if line is not None else None
            except json.JSONDecodeError:
                record = None
            kind = _record_kind(record)
            if kind is None:
                bad += 1
                first_bad = first_bad or number
                skipped["bad record"] += 1
                continue
            good += 1
            assert isinstance(record, dict)
            if kind == "submission":
                sid = str(record.get("id") or "").removeprefix("t3_")
                title = str(record.get("title") or "").strip()
                if sid and title:
                    submissions[sid] = _Submission(
                        title, str(record.get("author") or ""), _float(record.get("created_utc"))
                    )
                else:
                    skipped["bad record"] += 1
                continue
            body = str(record.get("body") or "").strip()
            link = str(record.get("link_id") or "")
            if record.get("parent_id") != link:
                skipped["not a top-level comment"] += 1
            elif body in REMOVED:
                skipped["removed or deleted"] += 1
            elif (_score(record.get("score")) or 0) < 1:
                skipped["score below 1"] += 1
            elif str(record.get("author") or "").lower() in BOTS:
                skipped["bot comment"] += 1
            else:
                comments.append(
                    _Comment(
                        link.removeprefix("t3_"),
                        str(record.get("id") or len(comments)),
                        body,
                        str(record.get("author") or ""),
                        _float(record.get("created_utc")),
                    )
                )
        if good == 0 and bad:
            raise ExportError(
                f"{name} line {first_bad}: not Pushshift JSON lines (no submission or comment record found)"
            )
    if comments and not submissions:
        raise ExportError(
            f"{', '.join(names)}: comments but no submissions; put the submissions file next to the comments "
            "file (or pass the folder holding both)"
        )
    conversations: list[Conversation] = []
    for c in comments:
        post = submissions.get(c.link)
        if post is None:
            skipped["comment without its submission"] += 1
            continue
        if c.author and c.author not in ("[deleted]",) and c.author == post.author:
            skipped["reply by the post's author"] += 1
            continue
        conversations.append(
            _pair(
                f"{c.link}/{c.id}", post.title, c.body, group=c.link, posted=post.created, replied=c.created
            )
        )
    return conversations, skipped
