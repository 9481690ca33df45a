"""Format detection and the errors users see for bad input."""

import json
import shutil
from pathlib import Path

import pytest

from model.exports import FORMATS, ExportError, detect_format, parse_export

FIXTURES = Path(__file__).parent / "fixtures"

DETECTED = {
    "messenger": "messenger",
    "messenger/your_facebook_activity/messages/inbox/anaperez_123/message_1.json": "messenger",
    "messenger_e2ee": "messenger_e2ee",
    "messenger_e2ee/Dee Kay_1.json": "messenger_e2ee",
    "telegram_account/result.json": "telegram",
    "telegram_single": "telegram",
    "whatsapp/android_us.txt": "whatsapp",
    "whatsapp/ios_de.txt": "whatsapp",
    "whatsapp": "whatsapp",
    "discord/general.json": "discord",
    "discord/dm.csv": "discord_csv",
    "toastme.csv": "toastme_csv",
    "pushshift": "pushshift",
    "pushshift/toastme_submissions.jsonl": "pushshift",
    "personachat.json": "personachat",
    "transcript.txt": "transcript",
}


@pytest.mark.parametrize("relative,expected", sorted(DETECTED.items()))
def test_detect_format(relative, expected):
    assert detect_format(FIXTURES / relative) == expected


def test_every_format_has_a_fixture():
    assert set(DETECTED.values()) == set(FORMATS)


def test_a_folder_of_whatsapp_chats_is_one_conversation_each():
    parsed = parse_export(FIXTURES / "whatsapp")
    assert len(parsed.conversations) == 3


def test_truncated_json_names_the_file_and_position(tmp_path):
    src = (FIXTURES / "telegram_single/ChatExport_2023-05-01/result.json").read_text()
    bad = tmp_path / "result.json"
    bad.write_text(src[: len(src) // 2])
    with pytest.raises(ExportError) as e:
        parse_export(bad)
    assert str(bad) in str(e.value) and "line" in str(e.value) and "truncated" in str(e.value)


def test_truncated_json_in_a_messenger_thread(tmp_path):
    shutil.copytree(FIXTURES / "messenger", tmp_path / "m")
    f = tmp_path / "m/your_facebook_activity/messages/inbox/anaperez_123/message_2.json"
    f.write_text(f.read_text()[:300])
    with pytest.raises(ExportError, match=r"message_2\.json line \d+ column \d+: not valid JSON"):
        parse_export(tmp_path / "m")


def test_unknown_format(tmp_path):
    odd = tmp_path / "notes.txt"
    odd.write_text("just some prose\nwithout any speakers at all\nnothing to see\n")
    with pytest.raises(ExportError, match=r"notes\.txt: unknown export format"):
        detect_format(odd)
    with pytest.raises(ExportError, match="unknown export format"):
        parse_export(odd)
    with pytest.raises(ExportError, match="unknown format 'icq'"):
        parse_export(odd, fmt="icq")


def test_missing_path():
    with pytest.raises(ExportError, match="no such file or folder"):
        parse_export(Path("/nonexistent/export.zip"))


def test_empty_file_empty_folder_and_export_without_messages(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(ExportError, match=r"empty\.txt: the file is empty"):
        parse_export(tmp_path / "empty.txt")
    (tmp_path / "dir").mkdir()
    with pytest.raises(ExportError, match="no chat export found"):
        parse_export(tmp_path / "dir")
    chat = tmp_path / "result.json"
    chat.write_text(json.dumps({"name": "Ana", "type": "personal_chat", "id": 1, "messages": []}))
    with pytest.raises(ExportError, match=r"result\.json: the telegram export holds no text messages"):
        parse_export(chat)


def test_a_mixed_folder_asks_for_a_format(tmp_path):
    shutil.copy(FIXTURES / "toastme.csv", tmp_path)
    shutil.copy(FIXTURES / "transcript.txt", tmp_path)
    with pytest.raises(ExportError, match="mixes export formats"):
        parse_export(tmp_path)
    assert parse_export(tmp_path, fmt="transcript").format == "transcript"


def test_forced_format_on_the_wrong_file_is_a_clear_error():
    with pytest.raises(ExportError, match="toastme.csv"):
        parse_export(FIXTURES / "toastme.csv", fmt="telegram")


def test_html_exports_get_a_hint(tmp_path):
    (tmp_path / "ChatExport_2023").mkdir()
    (tmp_path / "ChatExport_2023" / "messages.html").write_text("<html></html>")
    with pytest.raises(ExportError, match="Telegram HTML export"):
        detect_format(tmp_path)


def test_errors_inside_a_zip_name_the_member(tmp_path):
    import zipfile

    src = (FIXTURES / "telegram_single/ChatExport_2023-05-01/result.json").read_text()
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("ChatExport_2023-05-01/result.json", src[:400])
    with pytest.raises(ExportError, match=r"export\.zip!ChatExport_2023-05-01/result\.json line \d+"):
        parse_export(archive)


def test_wrongly_encoded_json_names_the_line(tmp_path):
    data = json.dumps(
        {"name": "Zoë", "type": "personal_chat", "id": 1, "messages": []}, ensure_ascii=False, indent=1
    )
    (tmp_path / "result.json").write_bytes(data.encode("cp1252"))
    with pytest.raises(ExportError, match=r"result\.json line 2: the text is not valid UTF-8"):
        parse_export(tmp_path / "result.json")


def test_discords_own_data_package_is_explained(tmp_path):
    # package/messages/c<id>/: only the exporting user's messages, no replies to learn from.
    channel = tmp_path / "package" / "messages" / "c111"
    channel.mkdir(parents=True)
    (channel / "channel.json").write_text(json.dumps({"id": "111", "type": 1, "recipients": ["1", "2"]}))
    (channel / "messages.csv").write_text(
        "ID,Timestamp,Contents,Attachments\n1,2021-01-01 10:00:00.000000+00:00,hi,\n"
    )
    (tmp_path / "package" / "messages" / "index.json").write_text(
        json.dumps({"111": "Direct Message with ana#0001"})
    )
    with pytest.raises(ExportError, match="Discord's own data package.*DiscordChatExporter"):
        parse_export(tmp_path / "package")
    with pytest.raises(
        ExportError, match=r"messages\.csv: not a chat export\. This looks like Discord's own"
    ):
        parse_export(channel / "messages.csv")
    (channel / "messages.csv").unlink()
    (channel / "messages.json").write_text(
        json.dumps([{"ID": 1, "Timestamp": "2021-01-01 10:00:00", "Contents": "hi", "Attachments": ""}])
    )
    with pytest.raises(ExportError, match="Discord's own data package"):
        parse_export(channel / "messages.json")
