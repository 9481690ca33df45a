"""Building training examples from parsed exports."""

import json
from collections import Counter
from pathlib import Path

import pytest

from model.dataset import DatasetError, DatasetOptions, build_examples, scrub_text, write_jsonl
from model.exports import DELETED, MEDIA, ChatMessage, Conversation, ParsedExport, parse_export

FIXTURES = Path(__file__).parent / "fixtures"
STATS_KEYS = {
    "format",
    "files",
    "messages",
    "conversations",
    "examples",
    "train",
    "valid",
    "speakers",
    "skipped",
    "speaker",
}


def _export(*conversations, fmt="transcript"):
    return ParsedExport(
        format=fmt, files=["mem"], conversations=list(conversations), owner=None, skipped=Counter()
    )


def _conv(cid, rows, group=""):
    msgs = [ChatMessage(s, t, when, kind) for s, t, when, kind in rows]
    return Conversation(
        id=cid, title=cid, messages=msgs, participants=sorted({m.speaker for m in msgs}), group=group
    )


def _all(train, valid):
    return train + valid


def test_merging_roles_and_dropped_kinds():
    conv = _conv(
        "c",
        [
            ("Ana", "hi", 0, "text"),
            ("Ana", "you there?", 5, "text"),
            ("Ana", "", 6, MEDIA),
            ("Me", "yes", 10, "text"),
            ("Me", "just got home", 12, "text"),
            ("Ana", "", 20, DELETED),
            ("Ana", "cool", 30, "text"),
            ("Me", "😀", 40, "text"),
        ],
    )
    train, valid, stats = build_examples(_export(conv), DatasetOptions(speaker="Me", valid_fraction=0))
    assert valid == []
    assert train[0]["messages"] == [
        {"role": "user", "content": "hi\nyou there?"},
        {"role": "assistant", "content": "yes\njust got home"},
    ]
    assert train[1]["messages"][-2:] == [
        {"role": "user", "content": "cool"},
        {"role": "assistant", "content": "😀"},
    ]
    assert stats["skipped"] == {"media": 1, "deleted": 1}
    assert STATS_KEYS <= set(stats)
    assert stats["speaker"] == "Me"
    assert stats["speakers"] == {"Ana": 3, "Me": 3}


def test_session_split_at_long_silences_and_context_limit():
    hour = 3600
    conv = _conv(
        "c",
        [
            ("Ana", "a1", 0, "text"),
            ("Me", "m1", 60, "text"),
            ("Ana", "a2", 120, "text"),
            ("Me", "m2", 180, "text"),
            ("Ana", "next day", 20 * hour, "text"),
            ("Me", "m3", 20 * hour + 60, "text"),
        ],
    )
    options = DatasetOptions(speaker="Me", valid_fraction=0, session_gap_minutes=360)
    train, _, stats = build_examples(_export(conv), options)
    assert stats["sessions"] == 2
    assert [m["content"] for m in train[2]["messages"]] == ["next day", "m3"]  # no context from yesterday
    assert [m["content"] for m in train[1]["messages"]] == ["a1", "m1", "a2", "m2"]
    short, _, _ = build_examples(
        _export(conv), DatasetOptions(speaker="Me", valid_fraction=0, max_context_turns=1)
    )
    assert [m["content"] for m in short[1]["messages"]] == ["a2", "m2"]
    longer, _, stats = build_examples(
        _export(conv), DatasetOptions(speaker="Me", valid_fraction=0, session_gap_minutes=24 * 60)
    )
    assert stats["sessions"] == 1 and len(longer[2]["messages"]) == 6


def test_group_chat_prefixes_names_and_keeps_roles_alternating():
    conv = _conv("g", [("Ana", "pizza?", 0, "text"), ("Bob", "yes", 1, "text"), ("Me", "on it", 2, "text")])
    train, _, _ = build_examples(
        _export(conv), DatasetOptions(speaker="Me", valid_fraction=0, system_prompt="Be Me.")
    )
    assert train[0]["messages"] == [
        {"role": "system", "content": "Be Me."},
        {"role": "user", "content": "Ana: pizza?\nBob: yes"},
        {"role": "assistant", "content": "on it"},
    ]


def test_scrubbing_emails_phones_urls_but_not_dates_or_times():
    text = "mail sam.r@example.com or call +1 (555) 123-4567 / 555-123-4567, see https://x.org/a?b=1 and www.y.com on 2021-12-31 at 10:30, 3 x 42"
    assert (
        scrub_text(text)
        == "mail <email> or call <phone> / <phone>, see <url> and <url> on 2021-12-31 at 10:30, 3 x 42"
    )
    parsed = parse_export(FIXTURES / "whatsapp/android_us.txt")
    train, valid, _ = build_examples(parsed, DatasetOptions(speaker="Sam 🌻", valid_fraction=0))
    replies = [ex["messages"][-1]["content"] for ex in train]
    assert any("<email>" in r for r in replies) and not any("@example.com" in r for r in replies)
    raw, _, _ = build_examples(parsed, DatasetOptions(speaker="Sam 🌻", valid_fraction=0, scrub=False))
    assert any("sam.r@example.com" in ex["messages"][-1]["content"] for ex in raw)


def test_exclude_contacts_drops_whole_conversations():
    parsed = parse_export(FIXTURES / "messenger")
    _, _, full = build_examples(parsed, DatasetOptions(speaker=None, valid_fraction=0))
    train, _, stats = build_examples(
        parsed, DatasetOptions(speaker=None, valid_fraction=0, exclude_contacts=("ana pérez",))
    )
    assert stats["conversations_excluded"] == 1
    assert stats["examples"] < full["examples"]
    assert all("Hola" not in m["content"] for ex in train for m in ex["messages"])
    with pytest.raises(DatasetError, match="not found in the export: Anna"):
        build_examples(parsed, DatasetOptions(speaker=None, exclude_contacts=("Anna",)))


def test_validation_is_split_by_conversation_and_deterministic():
    convs = [
        _conv(
            f"c{i}",
            [
                ("U", f"q{i}-{k}", 100 * k, "text") if k % 2 == 0 else ("Me", f"a{i}-{k}", 100 * k, "text")
                for k in range(6)
            ],
        )
        for i in range(20)
    ]
    parsed = _export(*convs)
    options = DatasetOptions(speaker="Me", valid_fraction=0.2, seed=3)
    train, valid, stats = build_examples(parsed, options)
    assert stats["split_by"] == "conversation"
    assert (stats["train"], stats["valid"], stats["examples"]) == (len(train), len(valid), 60)
    assert len(valid) == 12
    conv_of = lambda ex: ex["messages"][-1]["content"].split("-")[0]  # noqa: E731
    assert not {conv_of(e) for e in train} & {conv_of(e) for e in valid}
    again = build_examples(parsed, options)
    assert again[1] == valid
    other = build_examples(parsed, DatasetOptions(speaker="Me", valid_fraction=0.2, seed=4))
    assert other[1] != valid


def test_toastme_comments_on_one_post_stay_in_one_split():
    convs = [
        _conv(
            f"p{p}/c{c}",
            [("poster", f"post {p}", None, "text"), ("commenter", f"c{c}", None, "text")],
            group=f"p{p}",
        )
        for p in range(10)
        for c in range(3)
    ]
    train, valid, stats = build_examples(
        _export(*convs, fmt="pushshift"), DatasetOptions(speaker="commenter", valid_fraction=0.3)
    )
    assert stats["split_by"] == "conversation"
    assert not {e["messages"][0]["content"] for e in train} & {e["messages"][0]["content"] for e in valid}
    assert len(valid) == 9


def test_single_chat_is_split_by_session():
    day = 86400
    rows = []
    for d in range(10):
        rows += [("Ana", f"hi {d}", d * day, "text"), ("Me", f"hey {d}", d * day + 60, "text")]
    train, valid, stats = build_examples(
        _export(_conv("one", rows)), DatasetOptions(speaker="Me", valid_fraction=0.2)
    )
    assert stats["split_by"] == "session"
    assert (len(train), len(valid)) == (8, 2)


def test_speaker_default_case_and_missing():
    parsed = parse_export(FIXTURES / "telegram_account")
    _, _, stats = build_examples(parsed, DatasetOptions(speaker=None))
    assert stats["speaker"] == "Sam"
    _, _, stats = build_examples(parsed, DatasetOptions(speaker="ana"))
    assert stats["speaker"] == "Ana"
    with pytest.raises(DatasetError) as e:
        build_examples(parsed, DatasetOptions(speaker="Zed"))
    assert "'Zed' is not in" in str(e.value) and "Sam (" in str(e.value) and "Ana (" in str(e.value)
    assert isinstance(e.value, ValueError)


def test_zero_examples_is_an_error():
    conv = _conv("c", [("Me", "talking to myself", 0, "text"), ("Me", "again", 1, "text")])
    with pytest.raises(DatasetError, match="no training examples for 'Me'"):
        build_examples(_export(conv), DatasetOptions(speaker="Me"))


def test_min_reply_chars_and_personachat_system_prompt():
    parsed = parse_export(FIXTURES / "personachat.json")
    train, valid, stats = build_examples(
        parsed, DatasetOptions(speaker=None, valid_fraction=0, min_reply_chars=20)
    )
    assert stats["speaker"] == "persona"
    assert stats["replies_too_short"] == 0
    assert train[0]["messages"][0] == {
        "role": "system",
        "content": "Your persona: i like to ski . i have two dogs .",
    }
    assert stats["replies_without_context"] == 1  # the nurse speaks first after a silence placeholder


def test_every_fixture_builds_and_writes_jsonl(tmp_path):
    for relative in (
        "messenger",
        "messenger_e2ee",
        "telegram_account",
        "whatsapp/android_us.txt",
        "discord/general.json",
        "discord/dm.csv",
        "toastme.csv",
        "pushshift",
        "personachat.json",
        "transcript.txt",
    ):
        parsed = parse_export(FIXTURES / relative)
        train, valid, stats = build_examples(parsed, DatasetOptions(speaker=None))
        assert stats["examples"] == len(train) + len(valid) > 0, relative
        for ex in train + valid:
            roles = [m["role"] for m in ex["messages"] if m["role"] != "system"]
            assert roles[0] == "user" and roles[-1] == "assistant", relative
            assert all(a != b for a, b in zip(roles, roles[1:], strict=False)), relative
        write_jsonl(tmp_path / f"{relative.replace('/', '_')}.jsonl", train)
        lines = (tmp_path / f"{relative.replace('/', '_')}.jsonl").read_text(encoding="utf-8").splitlines()
        assert [json.loads(line) for line in lines] == train


def test_one_huge_conversation_does_not_become_the_validation_set():
    big = _conv(
        "big", [("U", f"q{k}", k, "text") if k % 2 == 0 else ("Me", f"a{k}", k, "text") for k in range(200)]
    )
    small = [_conv(f"s{i}", [("U", "hi", 0, "text"), ("Me", f"yo{i}", 1, "text")]) for i in range(8)]
    for seed in range(5):
        train, valid, stats = build_examples(
            _export(big, *small), DatasetOptions(speaker="Me", valid_fraction=0.05, seed=seed)
        )
        assert stats["split_by"] == "conversation"
        assert 1 <= len(valid) <= 8 and len(train) >= 100


def test_no_validation_when_fraction_is_zero():
    convs = [_conv(f"c{i}", [("U", "hi", 0, "text"), ("Me", "yo", 1, "text")]) for i in range(6)]
    train, valid, stats = build_examples(_export(*convs), DatasetOptions(speaker="Me", valid_fraction=0))
    assert (len(train), len(valid), stats["split_by"]) == (6, 0, "none")


def test_phone_number_names_are_scrubbed_in_group_prefixes():
    conv = _conv(
        "g",
        [("+1 555 123 4567", "who's in?", 0, "text"), ("Bob", "me", 1, "text"), ("Me", "me too", 2, "text")],
    )
    train, _, _ = build_examples(_export(conv), DatasetOptions(speaker="Me", valid_fraction=0))
    assert train[0]["messages"][0]["content"] == "<phone>: who's in?\nBob: me"
