"""Facebook Messenger: layouts, split thread files, guarded mojibake repair, e2ee flat format."""

import json
import shutil
from pathlib import Path

import pytest

from model.exports import MEDIA, TEXT, detect_format, guess_owner, parse_export, speaker_counts
from model.exports.messenger import fix_mojibake

FIXTURES = Path(__file__).parent / "fixtures"
ACTIVITY = FIXTURES / "messenger" / "your_facebook_activity"


def _thread(parsed, suffix):
    return next(c for c in parsed.conversations if c.id.endswith(suffix))


def test_fix_mojibake_repairs_and_leaves_correct_unicode_alone():
    assert fix_mojibake("Ã©") == "é"
    assert fix_mojibake("\u00f0\u009f\u0098\u008a") == "😊"  # an emoji as four odd characters
    assert fix_mojibake("ya llegó José 😀") == "ya llegó José 😀"  # char above U+00FF: already Unicode
    assert fix_mojibake("café") == "café"  # latin-1 bytes that are not UTF-8: genuine text
    assert fix_mojibake("plain ascii") == "plain ascii"


def test_split_thread_files_are_merged_oldest_first_with_mixed_encodings():
    parsed = parse_export(FIXTURES / "messenger")
    assert parsed.format == "messenger"
    ana = _thread(parsed, "anaperez_123")
    assert ana.id == "inbox/anaperez_123"
    assert ana.title == "Ana Pérez"
    assert ana.participants == ["Ana Pérez", "Sam Rivera"]
    times = [m.time for m in ana.messages]
    assert times == sorted(times)
    texts = [m.text for m in ana.messages if m.kind == TEXT]
    # Messages from message_2.json (older) come before those of message_1.json.
    assert texts[0] == "Hola Sam! ¿qué tal? 😊"
    assert "naïve question: you there? 🙂" in texts
    assert texts[-2:] == ["ya llegó José 😀", "café"]
    assert texts.index("Bien! café time ☕") < texts.index("sí, ya voy")


def test_unsent_calls_reactions_and_notices_are_dropped_media_kept_as_media():
    parsed = parse_export(FIXTURES / "messenger")
    ana = _thread(parsed, "anaperez_123")
    assert all("oops wrong chat" not in m.text for m in ana.messages)
    assert all(not m.text.startswith("Reacted") for m in ana.messages)
    assert [m.kind for m in ana.messages].count(MEDIA) == 2  # a photo and a sticker
    assert parsed.skipped["unsent"] == 1
    assert parsed.skipped["call"] == 1
    assert parsed.skipped["reaction"] == 1
    hikers = _thread(parsed, "hikers_456")
    assert [m.text for m in hikers.messages] == ["hike on sunday?", "I'm in", "count me in too"]
    assert parsed.skipped["system notice"] == 2  # "named the group" and an Unsubscribe


def test_owner_is_the_person_in_every_thread():
    parsed = parse_export(FIXTURES / "messenger")
    assert guess_owner(parsed) == "Sam Rivera"
    assert speaker_counts(parsed)["Sam Rivera"] == 6


@pytest.mark.parametrize(
    "root", ["messages", "your_activity_across_facebook/messages", "your_facebook_activity/messages"]
)
@pytest.mark.parametrize(
    "category", ["inbox", "archived_threads", "filtered_threads", "message_requests", "e2ee_cutover"]
)
def test_every_root_layout_and_subfolder_is_found(tmp_path, root, category):
    thread = tmp_path / "export" / root / category / "friend_9"
    shutil.copytree(ACTIVITY / "messages" / "inbox" / "anaperez_123", thread)
    assert detect_format(tmp_path / "export") == "messenger"
    parsed = parse_export(tmp_path / "export")
    assert [c.id for c in parsed.conversations] == [f"{category}/friend_9"]


def test_a_zipped_download_is_read_and_files_are_named_inside_the_zip(tmp_path):
    archive = shutil.make_archive(str(tmp_path / "facebook-sam"), "zip", FIXTURES / "messenger")
    parsed = parse_export(Path(archive))
    assert parsed.format == "messenger"
    assert len(parsed.conversations) == 2
    assert all(f.startswith(archive + "!") for f in parsed.files)


def test_e2ee_flat_download_merges_parts_and_drops_unsent():
    parsed = parse_export(FIXTURES / "messenger_e2ee")
    assert parsed.format == "messenger_e2ee"
    (conv,) = parsed.conversations
    assert conv.title == "Dee Kay"
    assert conv.participants == ["Dee Kay", "Sam Rivera"]
    assert [(m.speaker, m.kind, m.text) for m in conv.messages] == [
        ("Sam Rivera", MEDIA, ""),
        ("Dee Kay", TEXT, "did you get home ok?"),
        ("Sam Rivera", TEXT, "yep, thanks 😴"),
    ]
    assert parsed.skipped["unsent"] == 1


def test_a_bad_record_is_skipped_and_counted(tmp_path):
    data = json.loads((ACTIVITY / "messages/inbox/anaperez_123/message_1.json").read_text())
    data["messages"].insert(1, {"content": "no sender, no time"})
    data["messages"].insert(2, "not even an object")
    thread = tmp_path / "messages" / "inbox" / "x_1"
    thread.mkdir(parents=True)
    (thread / "message_1.json").write_text(json.dumps(data))
    parsed = parse_export(tmp_path)
    assert parsed.skipped["bad record"] == 2
    assert speaker_counts(parsed)["Sam Rivera"] >= 1


def test_shared_attachments_do_not_look_like_another_format(tmp_path):
    shutil.copytree(FIXTURES / "messenger", tmp_path / "m")
    files = tmp_path / "m/your_facebook_activity/messages/inbox/anaperez_123/files"
    files.mkdir()
    (files / "notes.txt").write_text("Ana: this is a shared file\nSam: not a chat\n")
    (files / "scores.csv").write_text("title,body,score\nx,y,1\n")
    assert detect_format(tmp_path / "m") == "messenger"


def test_one_file_of_a_split_thread_brings_its_siblings():
    parsed = parse_export(ACTIVITY / "messages/inbox/anaperez_123/message_1.json")
    assert len(parsed.files) == 2
    assert parsed.conversations[0].messages[0].text == "Hola Sam! ¿qué tal? 😊"
    e2ee = parse_export(FIXTURES / "messenger_e2ee" / "Dee Kay_1.json")
    assert len(e2ee.files) == 2 and len(e2ee.conversations) == 1
