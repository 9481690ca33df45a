"""Telegram Desktop: whole account and single chat, entity lists, service, Saved Messages, deleted accounts."""

from pathlib import Path

from model.exports import MEDIA, detect_format, guess_owner, parse_export
from model.exports.telegram import flatten_text

FIXTURES = Path(__file__).parent / "fixtures"


def test_text_is_a_string_or_a_list_of_strings_and_entities():
    assert flatten_text("plain") == "plain"
    assert (
        flatten_text(
            ["look ", {"type": "link", "text": "https://x.org"}, " ", {"type": "bold", "text": "now"}]
        )
        == "look https://x.org now"
    )
    assert flatten_text(None) == ""


def test_whole_account_export():
    parsed = parse_export(FIXTURES / "telegram_account")
    assert parsed.format == "telegram"
    by_title = {c.title: c for c in parsed.conversations}
    assert set(by_title) == {
        "Ana",
        "Saved Messages",
        "Deleted Account",
        "Book club",
    }  # the channel is left out
    ana = by_title["Ana"]
    assert ana.messages[1].text == "look at https://example.org/cat so cute right"
    assert ana.messages[2].kind == MEDIA
    assert all(m.text != "fwd" for m in ana.messages)  # forwarded text is someone else's voice
    assert by_title["Deleted Account"].messages[0].speaker == "Deleted Account"  # from: null
    assert parsed.skipped["service message"] == 1
    assert parsed.skipped["forwarded"] == 1
    assert parsed.skipped["channel post"] == 1
    # personal_information.user_id -> from_id "user111" -> display name "Sam"
    assert parsed.owner == "Sam"
    assert guess_owner(parsed) == "Sam"


def test_single_chat_export_owner_is_the_other_person_than_the_chat_name():
    path = FIXTURES / "telegram_single"
    assert detect_format(path) == "telegram"
    parsed = parse_export(path)
    (chat,) = parsed.conversations
    assert chat.title == "Ana"
    assert chat.messages[2].text == "@sam hurry"
    assert parsed.owner == "Sam Rivera"
    assert chat.messages[0].time == 1682935200.0  # from date_unixtime


def test_left_chats_are_read_too(tmp_path):
    import json

    data = json.loads((FIXTURES / "telegram_account/result.json").read_text())
    data["left_chats"] = {
        "about": "",
        "list": [
            {
                "name": "Old group",
                "type": "private_supergroup",
                "id": 999,
                "messages": [
                    {
                        "id": 1,
                        "type": "message",
                        "date": "2023-01-01T10:00:00",
                        "date_unixtime": "1672567200",
                        "from": "Eli",
                        "from_id": "user555",
                        "text": "bye",
                    },
                    {
                        "id": 2,
                        "type": "message",
                        "date": "2023-01-01T10:01:00",
                        "date_unixtime": "1672567260",
                        "from": "Sam",
                        "from_id": "user111",
                        "text": "bye!",
                    },
                ],
            }
        ],
    }
    (tmp_path / "result.json").write_text(json.dumps(data))
    titles = [c.title for c in parse_export(tmp_path / "result.json").conversations]
    assert "Old group" in titles
