"""The synthetic toastme CSV used for CPU benchmarks."""

from model.dataset import DatasetOptions, build_examples
from model.exports import detect_format, parse_export
from model.exports.synthetic import make_toastme_csv


def test_make_toastme_csv_is_varied_deterministic_and_parses(tmp_path):
    path = make_toastme_csv(tmp_path / "t.csv", 500, seed=1)
    assert detect_format(path) == "toastme_csv"
    parsed = parse_export(path)
    assert len(parsed.conversations) == 500
    titles = {c.messages[0].text for c in parsed.conversations}
    replies = {c.messages[1].text for c in parsed.conversations}
    assert len(titles) > 150 and len(replies) > 400
    assert make_toastme_csv(tmp_path / "u.csv", 500, seed=1).read_bytes() == path.read_bytes()
    assert make_toastme_csv(tmp_path / "v.csv", 500, seed=2).read_bytes() != path.read_bytes()
    train, valid, stats = build_examples(parsed, DatasetOptions(speaker=None))
    assert stats["speaker"] == "commenter" and len(train) + len(valid) == 500
    assert 30 <= len(valid) <= 70
