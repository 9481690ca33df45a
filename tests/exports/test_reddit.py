"""r/toastme: BigQuery CSV and Pushshift JSON lines with the filtering rules."""

import gzip
import shutil
from pathlib import Path

import pytest

from model.exports import ExportError, detect_format, guess_owner, parse_export

FIXTURES = Path(__file__).parent / "fixtures"


def test_bigquery_csv_one_conversation_per_row():
    parsed = parse_export(FIXTURES / "toastme.csv")
    assert parsed.format == "toastme_csv"
    assert [(c.messages[0].text, c.messages[1].text) for c in parsed.conversations] == [
        ("22F, just got dumped, toast me", "You look like someone who gives the best hugs. He'll regret it."),
        ("22F, just got dumped, toast me", "Your smile is great\nand so is your taste in books"),
        ("Feeling invisible lately", "You are seen. You matter, and your jacket is awesome."),
    ]
    assert parsed.skipped == {"removed or deleted": 2, "score below 1": 1, "bad record": 1}
    # comments on one post share a group so they land in the same split
    assert parsed.conversations[0].group == parsed.conversations[1].group
    assert guess_owner(parsed) == "commenter"


def _pairs(parsed):
    return {c.id: (c.messages[0].text, c.messages[1].text) for c in parsed.conversations}


def test_pushshift_filters_top_level_score_removed_author_and_bots():
    parsed = parse_export(FIXTURES / "pushshift")
    assert parsed.format == "pushshift"
    assert _pairs(parsed) == {
        "p1/c1": ("Had a rough week, toast me", "You made it through the week, that's strength."),
        "p2/c7": ("First post, 30M, feeling low", "30 is young! You've got a kind face."),
    }
    assert parsed.skipped["not a top-level comment"] == 1
    assert parsed.skipped["removed or deleted"] == 2
    assert parsed.skipped["score below 1"] == 1
    assert parsed.skipped["reply by the post's author"] == 1
    assert parsed.skipped["bot comment"] == 1
    assert parsed.skipped["comment without its submission"] == 1
    assert parsed.skipped["bad record"] == 1  # the truncated line is counted, not fatal


def test_pushshift_comments_file_finds_its_submissions_file(tmp_path):
    parsed = parse_export(FIXTURES / "pushshift" / "toastme_comments.jsonl")
    assert set(_pairs(parsed)) == {"p1/c1", "p2/c7"}
    assert len(parsed.files) == 2


def test_pushshift_single_mixed_gzipped_file(tmp_path):
    mixed = tmp_path / "toastme.jsonl.gz"
    with gzip.open(mixed, "wb") as out:
        for name in ("toastme_comments.jsonl", "toastme_submissions.jsonl"):  # comments first
            out.write((FIXTURES / "pushshift" / name).read_bytes())
    assert detect_format(mixed) == "pushshift"
    assert set(_pairs(parse_export(mixed))) == {"p1/c1", "p2/c7"}


def test_pushshift_comments_without_submissions_is_a_clear_error(tmp_path):
    shutil.copy(FIXTURES / "pushshift" / "toastme_comments.jsonl", tmp_path / "RC.jsonl")
    with pytest.raises(ExportError, match="comments but no submissions"):
        parse_export(tmp_path / "RC.jsonl")


def test_a_file_of_only_bad_lines_is_an_error_naming_the_line(tmp_path):
    bad = tmp_path / "dump.jsonl"
    bad.write_text('{"id": "p1", "title": "ok", "selftext": "", "author": "a"}\n')
    bad.write_text('{"id": "p1", "title": "cut off\n{"also": "cut\n')
    with pytest.raises(ExportError, match=r"dump\.jsonl"):
        parse_export(bad, fmt="pushshift")
