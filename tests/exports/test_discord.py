"""DiscordChatExporter JSON and CSV."""

from pathlib import Path

from model.exports import MEDIA, TEXT, detect_format, guess_owner, parse_export

FIXTURES = Path(__file__).parent / "fixtures" / "discord"


def test_json_keeps_default_and_reply_and_skips_non_speech_types():
    parsed = parse_export(FIXTURES / "general.json")
    assert parsed.format == "discord"
    (chan,) = parsed.conversations
    assert chan.id == "42"
    assert chan.title == "Friends / Text Channels / general"
    assert [(m.speaker, m.kind, m.text) for m in chan.messages] == [
        ("ana", TEXT, "anyone up for games tonight?"),
        ("sam", TEXT, "yes!! 🎮"),  # a Reply
        ("ana", MEDIA, ""),  # attachment only
        ("ana", TEXT, "cool, 9pm"),
        ("sam", TEXT, "see you then"),
    ]
    # GuildMemberJoin, ChannelPinnedMessage, ThreadCreated, RecipientAdd
    assert parsed.skipped["non-speech message"] == 4
    assert chan.messages[0].time == 1682935260.123 - 2 * 3600 + 0  # 10:01+02:00 is 08:01 UTC


def test_csv_with_quoted_multiline_content_old_dates_and_a_broken_row():
    assert detect_format(FIXTURES / "dm.csv") == "discord_csv"
    parsed = parse_export(FIXTURES / "dm.csv")
    (chat,) = parsed.conversations
    assert [m.kind for m in chat.messages] == [TEXT, TEXT, MEDIA, TEXT, TEXT]
    assert chat.messages[3].text == 'multi\nline, with "quotes"'
    assert chat.messages[4].time == 1682935500.0  # "01-May-23 10:05 AM"
    assert parsed.skipped["bad record"] == 1


def test_folder_of_channel_files_is_one_conversation_per_channel(tmp_path):
    for name in ("a.json", "b.json"):
        (tmp_path / name).write_bytes((FIXTURES / "general.json").read_bytes())
    parsed = parse_export(tmp_path)
    assert len(parsed.conversations) == 2
    assert len(parsed.files) == 2


def test_a_direct_message_channel_is_named_after_the_other_person(tmp_path):
    import json

    def msg(i, name):
        return {
            "id": str(i),
            "type": "Default",
            "timestamp": f"2023-05-01T10:{i:02d}:00+00:00",
            "content": f"message {i}",
            "author": {
                "id": str(len(name)),
                "name": name,
                "discriminator": "0000",
                "nickname": name,
                "isBot": False,
            },
            "attachments": [],
            "embeds": [],
            "stickers": [],
            "reactions": [],
            "mentions": [],
        }

    messages = [msg(i, "sam" if i % 4 == 3 else "ana") for i in range(20)]  # ana writes 3x more
    data = {
        "guild": {"id": "0", "name": "Direct Messages"},
        "channel": {"id": "7", "type": "DirectTextChat", "category": "Private", "name": "ana"},
        "dateRange": {"after": None, "before": None},
        "exportedAt": "2023-05-02T00:00:00+00:00",
        "messages": messages,
        "messageCount": len(messages),
    }
    path = tmp_path / "Direct Messages - Private - ana [7].json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert guess_owner(parse_export(path)) == "sam"
