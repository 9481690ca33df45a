"""WhatsApp: every timestamp variant, iOS marks, multi-line, notices, media, day/month inference, encodings, zip."""

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from model.exports import (
    DELETED,
    MEDIA,
    TEXT,
    ExportError,
    detect_format,
    guess_owner,
    parse_export,
    speaker_counts,
)
from model.exports.whatsapp import LINE_START

FIXTURES = Path(__file__).parent / "fixtures" / "whatsapp"
NB, LRM = "\u202f", "\u200e"


def _utc(*args):
    return datetime(*args, tzinfo=UTC).timestamp()


# Each seen prefix, and the time it means, with a second line that fixes the day/month order.
VARIANTS = [
    ("12/31/20, 9:15 PM - ", _utc(2020, 12, 31, 21, 15)),
    ("[31.12.20, 21:15:03] ", _utc(2020, 12, 31, 21, 15, 3)),
    ("2/11/19, 14:18 - ", _utc(2019, 2, 11, 14, 18)),
    ("09/17/19, 8:30:52 AM \u2013 ", _utc(2019, 9, 17, 8, 30, 52)),
    ("[17.9.2019, 16:37:47] ", _utc(2019, 9, 17, 16, 37, 47)),
    ("9/24/2019 11:30 p.m. - ", _utc(2019, 9, 24, 23, 30)),
    ("12/24/2019 11:30 p. m. - ", _utc(2019, 12, 24, 23, 30)),
    ("09-10-2022 10:37:00 p.m. - ", _utc(2022, 9, 10, 22, 37)),
    ("[09/10/22 10:37:00 p.m.] ", _utc(2022, 9, 10, 22, 37)),
    ("2023/12/20, 5:46 pm - ", _utc(2023, 12, 20, 17, 46)),
    ("2023-12-20, 5:46 p.m. - ", _utc(2023, 12, 20, 17, 46)),
    (f"{LRM}[1/2/22, 9:05:12{NB}PM] ", _utc(2022, 1, 2, 21, 5, 12)),
    ("12/31/20, 12:05 AM - ", _utc(2020, 12, 31, 0, 5)),
]


@pytest.mark.parametrize("prefix,expected", VARIANTS)
def test_every_timestamp_variant(tmp_path, prefix, expected):
    assert LINE_START.match(prefix + "Ana: hi")
    path = tmp_path / "chat.txt"
    path.write_text(f"{prefix}Ana: hi\n{prefix}Bo: yo\n", encoding="utf-8")
    parsed = parse_export(path)
    assert parsed.format == "whatsapp"
    first = parsed.conversations[0].messages[0]
    assert (first.speaker, first.text) == ("Ana", "hi")
    # 2/11/19 and 09-10-2022 style dates are ambiguous alone; these files are in time order both
    # ways, so the separator habit decides: '/' and '-' month-first, '.' day-first.
    assert first.time == expected


def test_android_group_chat_with_notices_media_deleted_multiline_and_colon_names():
    parsed = parse_export(FIXTURES / "android_us.txt")
    (chat,) = parsed.conversations
    rows = [(m.speaker, m.kind, m.text) for m in chat.messages]
    assert rows[:2] == [
        ("Ana", TEXT, "who's bringing drinks?"),
        ("Bob:Builder 🔨", TEXT, "me! 🍾\nalso chips\nand dip"),
    ]
    assert ("Sam 🌻", MEDIA, "") in rows
    assert ("Ana", DELETED, "") in rows
    assert ("Ana", TEXT, "see you at 10: don't be late") in rows  # only the first ': ' splits
    assert ("Sam 🌻", TEXT, "ok!!") in rows  # "<This message was edited>" removed
    assert chat.participants == ["Ana", "Bob:Builder 🔨", "Sam 🌻"]
    # encryption notice, created group, added, and the subject change whose quotes hold ': '
    assert parsed.skipped["system notice"] == 4
    assert all("changed the subject" not in s for s in chat.participants)
    assert chat.messages[0].time == _utc(2020, 12, 31, 21, 16)  # 12/31 proves month-first


def test_ios_day_first_inferred_from_a_late_line_and_ios_notices():
    parsed = parse_export(FIXTURES / "ios_de.txt")
    (chat,) = parsed.conversations
    assert parsed.skipped["system notice"] == 1  # the U+200E-marked encryption notice
    assert chat.messages[0].text == "Hallo!"
    # "01.02.21" alone could be Jan 2; "13.02.21" further down shows the file is day-first.
    assert chat.messages[0].time == _utc(2021, 2, 1, 21, 15, 10)
    assert chat.messages[-2].text == "jaaa\nZweite Zeile"
    assert chat.messages[-1].kind == MEDIA  # <attached: ...>
    assert chat.messages[2].kind == MEDIA  # image omitted


def test_day_month_order_from_time_order_when_no_part_exceeds_12(tmp_path):
    # 05/06, 06/06, 05/07: day-first reads June 5, June 6, July 5 (forward); month-first would
    # read May 6, June 6, May 7 (back in time), so day-first wins.
    text = "05/06/21, 10:00 - A: one\n06/06/21, 10:00 - B: two\n05/07/21, 10:00 - A: three\n"
    (tmp_path / "c.txt").write_text(text)
    chat = parse_export(tmp_path / "c.txt").conversations[0]
    assert [m.time for m in chat.messages] == [
        _utc(2021, 6, 5, 10),
        _utc(2021, 6, 6, 10),
        _utc(2021, 7, 5, 10),
    ]


def test_ios_narrow_no_break_space_and_bom(tmp_path):
    parsed = parse_export(FIXTURES / "ios_us_bom.txt")
    chat = parsed.conversations[0]
    assert chat.messages[0].speaker == "Lee"  # not "\ufeffLee"
    assert chat.messages[3].text == "not much: just tired"
    assert chat.messages[3].time == _utc(2022, 1, 2, 23, 59, 59)
    assert chat.messages[4].time == _utc(2022, 1, 3, 0, 0, 1)  # 12:00:01 AM is just after midnight
    assert [m.kind for m in chat.messages] == [TEXT, MEDIA, TEXT, TEXT, DELETED, TEXT]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_utf16_with_bom_and_utf8_with_bom(tmp_path, encoding):
    text = (FIXTURES / "android_us.txt").read_text(encoding="utf-8")
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # these codecs write no BOM: add it like phones do
        data = ("\ufeff" + text).encode(encoding)
    (tmp_path / "chat.txt").write_bytes(data)
    parsed = parse_export(tmp_path / "chat.txt")
    assert parsed.conversations[0].messages[1].text == "me! 🍾\nalso chips\nand dip"


def test_zip_with_media_and_chat_txt(tmp_path):
    archive = tmp_path / "WhatsApp Chat - NYE.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(FIXTURES / "ios_us_bom.txt", "_chat.txt")
        z.writestr("00000012-PHOTO-2022-01-02.jpg", b"\xff\xd8\xff not really a jpeg")
    assert detect_format(archive) == "whatsapp"
    parsed = parse_export(archive)
    assert parsed.files == [f"{archive}!_chat.txt"]
    assert parsed.conversations[0].title == "NYE"


def test_wrongly_encoded_text_names_file_and_line(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("12/31/20, 9:15 PM - Ana: hi\n12/31/20, 9:16 PM - Bo: caf\u00e9\n".encode("cp1252"))
    with pytest.raises(ExportError, match=r"latin1\.txt line 2: the text is not valid UTF-8"):
        parse_export(path)


def test_an_impossible_date_is_skipped_and_counted(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text(
        "12/31/20, 9:15 PM - Ana: hi\n12/32/20, 9:16 PM - Bo: bad date\n12/31/20, 9:17 PM - Bo: yo\n"
    )
    parsed = parse_export(path)
    assert [m.text for m in parsed.conversations[0].messages] == ["hi", "yo"]
    assert parsed.skipped["bad timestamp"] == 1


def _chatty_ana(path: Path, ana: str = "Ana") -> Path:
    # Ana writes three messages for each of Sam's, so counting messages would pick her.
    lines = []
    for day in range(1, 11):
        lines += [f"1/{day}/21, 10:0{k} AM - {ana}: news {k}" for k in range(3)]
        lines.append(f"1/{day}/21, 10:05 AM - Sam: ok")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_one_to_one_chat_named_after_the_other_person_names_the_exporter(tmp_path):
    parsed = parse_export(_chatty_ana(tmp_path / "WhatsApp Chat with Ana.txt"))
    assert guess_owner(parsed) == "Sam"
    archive = tmp_path / "WhatsApp Chat - Ana.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(_chatty_ana(tmp_path / "_chat.txt"), "_chat.txt")
    assert guess_owner(parse_export(archive)) == "Sam"
    # Without a telling name it stays the count-based guess.
    assert guess_owner(parse_export(_chatty_ana(tmp_path / "chat.txt"))) == "Ana"


def test_phone_number_names_lose_their_invisible_direction_marks(tmp_path):
    # Android wraps an unsaved contact's number in U+202A ... U+202C, which nobody can type for --speaker.
    number = "\u202a+44 7700 900123\u202c"
    parsed = parse_export(_chatty_ana(tmp_path / "chat.txt", ana=number))
    assert speaker_counts(parsed)["+44 7700 900123"] == 30
