"""PersonaChat JSON and plain 'Name: text' transcripts."""

from pathlib import Path

from model.exports import detect_format, guess_owner, parse_export

FIXTURES = Path(__file__).parent / "fixtures"


def test_personachat_rebuilds_dialogs_from_the_last_utterance():
    parsed = parse_export(FIXTURES / "personachat.json")
    assert parsed.format == "personachat"
    first = parsed.conversations[0]
    assert [(m.speaker, m.text) for m in first.messages] == [
        ("partner", "hello how are you ?"),
        ("persona", "hi ! i am just back from skiing ."),
        ("partner", "nice . any pets ?"),
        ("persona", "two dogs , both very fluffy ."),  # the last candidate is gold
    ]
    assert first.system == "Your persona: i like to ski . i have two dogs ."
    assert parsed.skipped["silence placeholder"] == 1
    assert parsed.skipped["bad record"] == 1
    assert guess_owner(parsed) == "persona"


def test_transcript_with_continuations_and_separators():
    assert detect_format(FIXTURES / "transcript.txt") == "transcript"
    parsed = parse_export(FIXTURES / "transcript.txt")
    assert len(parsed.conversations) == 2
    first = parsed.conversations[0]
    assert first.messages[-1].text == "same: work was wild\nit just kept going"
    assert first.participants == ["Ana", "Sam"]
    assert all(m.time is None for m in first.messages)
