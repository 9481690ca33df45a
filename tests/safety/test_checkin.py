"""The gentle check-in, end to end through the Dispatcher with a fake engine and a scorer that returns
chosen scores: a message the rules pass whose score is in [checkin_threshold, crisis threshold) gets
the model's reply plus a check-in line with the region's crisis line (docs/safety.md, "Check-in")."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from bot.config import ConfigError, SafetySettings, Settings, load_settings
from bot.dispatcher import BUSY_TEXT, ERROR_TEXT, Dispatcher
from bot.metrics import METRICS
from bot.personas import load_personas
from bot.safety import SafetyPolicy, run_eval
from bot.safety.resources import RESOURCES
from bot.store import ConversationStore
from bot.types import UserKey
from tests.fakes import ChosenScores, FakeAdapter, FakeEngine

KEY = UserKey("fake", "u1")
MODEL = "That sounds like a really long week. What has been the hardest part?"
# Messages the crisis rules pass (checked below); the scorer gives each the score named here.
GREY = "honestly I just feel so tired of everything lately"
GREY_LONDON = "I'm in London and honestly I just feel so tired of everything lately"
GREY2 = "nothing really feels worth it at the moment"
PLAIN = "I had pasta for dinner and watched a film"
HIGH = "I've been giving my things away to friends this week"
SCORES = {GREY: 0.6, GREY_LONDON: 0.6, GREY2: 0.55, PLAIN: 0.05, HIGH: 0.9}
THRESHOLD = 0.71
CHECKIN = 0.5


def test_the_rules_pass_the_scripted_messages() -> None:
    policy = SafetyPolicy()
    for text in SCORES:
        assert not policy.check_incoming(text).crisis, text
    assert policy.check_incoming(GREY_LONDON).region == "UK"


async def _setup(settings: Settings, store: ConversationStore, *, checkin: float = CHECKIN, **safety):
    settings.safety.checkin_threshold = checkin
    for k, v in safety.items():
        setattr(settings.safety, k, v)
    engine = FakeEngine(MODEL)
    scorer = ChosenScores(SCORES, threshold=THRESHOLD)
    d = Dispatcher(settings, store, engine, load_personas(), crisis_classifier=scorer)
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    return d, engine, scorer, adapter


async def test_borderline_message_gets_the_model_reply_and_a_check_in_with_the_regions_line(
    settings, store, caplog: pytest.LogCaptureFixture
) -> None:
    METRICS.reset()
    d, engine, scorer, adapter = await _setup(settings, store)
    with caplog.at_level(logging.DEBUG, logger="bot"):
        reply = await adapter.push(GREY_LONDON)
    assert reply is not None and reply.kind == "model"
    assert len(engine.requests) == 1  # the model answered
    model_part, line = reply.text.split("\n\n", 1)
    assert model_part == MODEL
    assert line == d.safety.checkin_text("UK")
    assert RESOURCES["UK"] in line and "116 123" in line
    assert "hurting yourself" in line and "talk to me" in line
    assert reply.extras["checkin"] is True and reply.extras["reason"] == "crisis.checkin"
    # the parts apart, for adapters that send the line privately from a group
    assert reply.extras["reply_text"] == MODEL and reply.extras["checkin_line"] == line
    # counted, never logged with the text
    assert METRICS.get("safety_checks_total", reason="crisis.checkin") == 1
    assert METRICS.get("reply_reasons_total", platform="fake", reason="crisis.checkin") == 1
    assert METRICS.get("safety_checks_total", reason="crisis.classifier") == 0
    assert "crisis.checkin" in caplog.text
    assert "tired of everything" not in caplog.text and "116 123" not in caplog.text
    # careful for the next checkin_careful_turns replies, this one included
    assert await store.get_pref(KEY, "careful") == settings.safety.checkin_careful_turns - 1
    # the model's words are remembered, not the line (a fixed notice, like the crisis reply, which is not
    # stored either): the model never echoes it, and in a group, where the line goes privately, the
    # group's history holds only what the group saw
    history = await store.history(KEY, 10)
    assert [t.content for t in history] == [GREY_LONDON, MODEL]


async def test_the_default_region_and_a_configured_one_fill_in_their_own_line(settings, store) -> None:
    d, _, _, adapter = await _setup(settings, store)
    reply = await adapter.push(GREY)
    assert reply is not None and reply.text.endswith(RESOURCES["INTL"])  # region = "INTL" by default
    assert "findahelpline.com" in reply.text

    other = FakeAdapter(user_id="u2")
    settings.safety.region = "US"
    d2 = Dispatcher(
        settings,
        store,
        FakeEngine(MODEL),
        load_personas(),
        crisis_classifier=ChosenScores(SCORES, threshold=THRESHOLD),
    )
    await other.start(d2.handle)
    reply = await other.push(GREY)
    assert reply is not None and reply.text.endswith(RESOURCES["US"]) and "988" in reply.text


async def test_own_wording_with_and_without_the_line_placeholder(settings, store) -> None:
    _, _, _, adapter = await _setup(
        settings, store, checkin_message="Hey, I'm glad you're here. If it ever gets too heavy: {line} 💛"
    )
    reply = await adapter.push(GREY_LONDON)
    assert reply is not None
    assert (
        reply.text == f"{MODEL}\n\nHey, I'm glad you're here. If it ever gets too heavy: {RESOURCES['UK']} 💛"
    )
    policy = SafetyPolicy(SafetySettings(checkin_message="Talk to me any time."))
    assert policy.checkin_text("NZ") == f"Talk to me any time. {RESOURCES['NZ']}"


async def test_below_the_check_in_threshold_the_reply_is_unchanged(settings, store) -> None:
    METRICS.reset()
    _, engine, scorer, adapter = await _setup(settings, store)
    reply = await adapter.push(PLAIN)
    assert reply is not None and reply.kind == "model" and reply.text == MODEL
    assert "checkin" not in reply.extras
    assert scorer.asked == [PLAIN]
    assert METRICS.get("safety_checks_total", reason="crisis.checkin") == 0
    assert await store.get_pref(KEY, "careful") is None


async def test_at_or_above_the_crisis_threshold_it_is_the_crisis_reply(settings, store) -> None:
    d, engine, _, adapter = await _setup(settings, store)
    reply = await adapter.push(HIGH)
    assert reply is not None and reply.kind == "crisis" and reply.extras["reason"] == "crisis.classifier"
    assert reply.text == d.safety.crisis_reply(None)
    assert engine.requests == []
    assert await store.get_pref(KEY, "careful") == settings.safety.careful_turns


async def test_no_second_check_in_in_a_row(settings, store) -> None:
    METRICS.reset()
    _, engine, _, adapter = await _setup(settings, store, checkin_careful_turns=3)
    first = await adapter.push(GREY)
    second = await adapter.push(GREY2)
    third = await adapter.push(GREY)
    assert first is not None and first.extras.get("checkin")
    for reply in (second, third):  # still within the careful window: the model's reply only
        assert reply is not None and reply.kind == "model" and reply.text == MODEL
    assert METRICS.get("reply_reasons_total", platform="fake", reason="crisis.checkin") == 1
    assert METRICS.get("reply_reasons_total", platform="fake", reason="crisis.checkin.skipped") == 2
    assert await store.get_pref(KEY, "careful") is None  # the window (3 replies) is over
    fourth = await adapter.push(GREY2)  # so a later borderline message may check in again
    assert fourth is not None and fourth.extras.get("checkin") and fourth.text.startswith(MODEL + "\n\n")
    assert len(engine.requests) == 4


async def test_no_check_in_right_after_a_crisis_reply(settings, store) -> None:
    _, _, _, adapter = await _setup(settings, store)
    crisis = await adapter.push("I want to kill myself")
    assert crisis is not None and crisis.kind == "crisis"
    reply = await adapter.push(GREY)
    assert reply is not None and reply.kind == "model" and reply.text == MODEL


async def test_check_in_threshold_zero_is_off(settings, store) -> None:
    METRICS.reset()
    _, engine, _, adapter = await _setup(settings, store, checkin=0.0)
    for text in (GREY, GREY2, PLAIN):
        reply = await adapter.push(text)
        assert reply is not None and reply.kind == "model" and reply.text == MODEL
    assert METRICS.get("safety_checks_total", reason="crisis.checkin") == 0
    assert await store.get_pref(KEY, "careful") is None
    high = await adapter.push(HIGH)  # the crisis threshold is untouched
    assert high is not None and high.kind == "crisis"


async def test_a_check_in_threshold_over_the_crisis_threshold_never_checks_in(
    settings, store, caplog
) -> None:
    with caplog.at_level(logging.WARNING):
        _, _, _, adapter = await _setup(settings, store, checkin=0.8)
    assert "no message will get a check-in" in caplog.text
    reply = await adapter.push(GREY)
    assert reply is not None and reply.text == MODEL


async def test_reply_checks_run_on_the_model_part_in_careful_mode(settings, store) -> None:
    METRICS.reset()
    _, engine, _, adapter = await _setup(settings, store)
    # A joke is fine in an ordinary conversation, but not in careful mode, which starts with this reply.
    engine.reply = "lol same, mondays are the worst haha"
    reply = await adapter.push(GREY)
    assert reply is not None and reply.kind == "fallback"
    assert reply.text == SafetyPolicy().with_checkin(SafetyPolicy().fallback_reply(careful=True))
    assert METRICS.get("safety_checks_total", reason="reply.careful") == 2  # candidates, then regeneration
    assert len(engine.requests) == 2


async def test_a_bad_model_reply_is_still_rejected_and_the_line_is_not_checked(settings, store) -> None:
    _, engine, _, adapter = await _setup(settings, store)
    engine.reply = "text me on 0151 496 0123"
    reply = await adapter.push(GREY_LONDON)
    assert reply is not None and reply.kind == "fallback" and "0151" not in reply.text
    # The check-in line holds phone numbers; it is added after the checks, so a good reply passes.
    engine.reply = MODEL
    METRICS.reset()
    good = await adapter.push(GREY_LONDON, user_id="u3")  # a new conversation, not careful yet
    assert good is not None and good.kind == "model" and "116 123" in good.text
    assert METRICS.get("safety_checks_total", reason="reply.personal_data") == 0


async def test_a_busy_or_failing_engine_sends_the_check_in_line_with_its_notice(settings, store) -> None:
    d, engine, _, adapter = await _setup(settings, store)
    engine.status = "busy"
    reply = await adapter.push(GREY)
    # The person may not try again: the line comes with the notice, and the conversation is careful
    # as after any check-in (no second line on the next message).
    line = d.safety.checkin_text(None, GREY)
    assert reply is not None and reply.kind == "busy"
    assert reply.text == f"{BUSY_TEXT}\n\n{line}" and reply.extras["checkin_line"] == line
    assert await store.get_pref(KEY, "careful") == settings.safety.checkin_careful_turns - 1
    engine.status = "ok"
    reply = await adapter.push(GREY)
    assert reply is not None and reply.kind == "model" and not reply.extras.get("checkin")
    # A failing engine, in a conversation that is not careful: the same.
    engine.status = "error"
    reply = await adapter.push(GREY, user_id="u2")
    assert reply is not None and reply.kind == "error"
    assert reply.text == f"{ERROR_TEXT}\n\n{line}"


async def test_commands_are_unaffected(settings, store) -> None:
    _, engine, scorer, adapter = await _setup(settings, store)
    scorer.default = 0.6  # everything would be borderline
    await adapter.push(GREY)
    for command in ("/help", "/about", "/export"):
        reply = await adapter.push(command)
        assert reply is not None and reply.kind != "model" and "checkin" not in reply.extras
    exported = json.loads(adapter.sent[-1].text)
    assert [t["content"] for t in exported["chats"]["direct"]["history"]][0] == GREY
    await adapter.push("/forget")
    assert "deleted everything" in adapter.sent[-1].text
    assert (await store.export(KEY))["chats"] == {}
    assert await store.get_pref(KEY, "careful") is None
    assert scorer.asked == [GREY]  # commands are never scored
    assert len(engine.requests) == 1


async def test_is_crisis_is_not_changed_by_the_check_in(settings, store) -> None:
    d, _, _, _ = await _setup(settings, store)
    assert not await d.is_crisis(GREY)
    assert await d.is_crisis(HIGH)
    check = await d.check_incoming(GREY, count=False)
    assert check.checkin and not check.crisis and check.reason == "ok"


@pytest.mark.parametrize("value", [-0.1, 1.0, 1.5])
def test_bad_check_in_thresholds_are_refused(value, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match="checkin_threshold"):
        load_settings(safety={"checkin_threshold": value})


def test_default_is_on_and_under_the_shipped_crisis_threshold() -> None:
    head = json.loads((Path(__file__).parents[2] / "model" / "data" / "crisis_head.json").read_text())
    assert 0 < SafetySettings().checkin_threshold < head["threshold"]


def test_run_eval_reports_check_in_coverage_and_everyday_rate(tmp_path: Path) -> None:
    f = tmp_path / "set.jsonl"
    lines = [
        ("I want to kill myself", True),  # the rules
        (HIGH, True),  # crisis by score
        (GREY, True),  # check-in
        (PLAIN, True),  # missed
        (GREY2, False),  # a check-in on a non-crisis line
        ("lovely sunny day", False),
    ]
    f.write_text("\n".join(json.dumps({"text": t, "crisis": c}) for t, c in lines), encoding="utf-8")

    def scores(texts):
        return [SCORES.get(t, 0.0) for t in texts]

    result = run_eval(f, SafetySettings(checkin_threshold=CHECKIN), scorer=scores, threshold=THRESHOLD)
    assert result["recall"] == 0.5 and result["precision"] == 1.0
    assert result["false_negatives"] == [GREY, PLAIN]
    assert result["checkin_coverage"] == 0.75
    assert result["checkin_rate_negative"] == 0.5
    assert result["checkin_threshold"] == CHECKIN
    off = run_eval(f, SafetySettings(checkin_threshold=0), scorer=scores, threshold=THRESHOLD)
    assert off["checkin_coverage"] == off["recall"] == 0.5 and off["checkin_rate_negative"] == 0.0
    rules = run_eval(f, SafetySettings(classifier=False))
    assert rules["checkin_coverage"] == rules["recall"] == 0.25 and rules["checkin_rate_negative"] == 0.0
    verdicts = run_eval(f, classifier=lambda texts: [False for _ in texts])
    assert verdicts["checkin_coverage"] is None and verdicts["checkin_rate_negative"] is None
    with pytest.raises(ValueError, match="threshold"):
        run_eval(f, scorer=scores)


def test_cli_refuses_a_bad_check_in_threshold_and_prints_the_new_fields(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).parents[2]
    f = tmp_path / "set.jsonl"
    f.write_text('{"text": "I want to kill myself", "crisis": true}\n{"text": "hi", "crisis": false}\n')
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}

    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", "safety", "--eval", str(f), "--rules-only", *extra],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )

    bad = run("--checkin-threshold", "1.5")
    assert bad.returncode == 2 and "--checkin-threshold must be in [0, 1), got 1.5" in bad.stderr
    good = run("--checkin-threshold", "0.3")
    assert good.returncode == 0, good.stderr
    result = json.loads(good.stdout)
    assert result["checkin_coverage"] == result["recall"] == 1.0 and result["checkin_rate_negative"] == 0.0
