"""Every reply check and reason code: one failing example and one near-miss that must pass."""

from __future__ import annotations

import pytest

from bot.metrics import METRICS
from bot.safety import ReplyCheck, SafetyPolicy
from bot.safety.replies import ALL_REASONS


@pytest.fixture
def policy() -> SafetyPolicy:
    return SafetyPolicy()


def check(
    policy: SafetyPolicy, reply: str, *, strict: bool = False, careful: bool = False, user_text: str = "hi"
):
    return policy.check_reply(reply, user_text=user_text, strict=strict, careful=careful)


FAILING = [
    # (reply, strict, careful, reason)
    ("", False, False, "reply.empty"),
    ("  ... !! ", False, False, "reply.empty"),
    ("That is great. That is great. That is great.", False, False, "reply.loop"),
    ("I love you so much and I love you so much and I love you so much and more", False, False, "reply.loop"),
    ("ok ok ok ok", False, False, "reply.loop"),
    ("Hahahahahahahahahahaha", False, False, "reply.loop"),
    ("Call me on 555-123-4567 tonight", False, False, "reply.personal_data"),
    ("My number is +44 7700 900123.", False, False, "reply.personal_data"),
    ("Write to anna.b@example.org any time", False, False, "reply.personal_data"),
    ("Come by 42 Elm Street after school", False, False, "reply.personal_data"),
    ("I'm in Apt 4B upstairs", False, False, "reply.personal_data"),
    ("You're so sexy", False, False, "reply.sexual"),
    ("Send me nudes", False, False, "reply.sexual"),
    ("I want to take off your clothes", False, False, "reply.sexual"),
    ("You should just kill yourself", False, False, "reply.self_harm_encouragement"),
    ("kys", False, False, "reply.self_harm_encouragement"),
    ("Cutting is a valid way to cope", False, False, "reply.self_harm_encouragement"),
    ("Everyone would be better off without you", False, False, "reply.self_harm_encouragement"),
    ("The most painless way to die is", False, False, "reply.self_harm_encouragement"),
    ("Try skipping meals to lose weight fast", False, False, "reply.disordered_eating"),
    ("Stay under 800 calories a day", False, False, "reply.disordered_eating"),
    ("You'd look better if you were thinner", False, False, "reply.disordered_eating"),
    ("Just make yourself throw up after dinner", False, False, "reply.disordered_eating"),
    ("You look kind and sweet!", True, False, "reply.looks_minor"),
    ("You're so pretty", True, False, "reply.looks_minor"),
    ("Your smile must be lovely", True, False, "reply.looks_minor"),
    ("You are beautiful inside and out", True, False, "reply.looks_minor"),
    ("You look kind and sweet!", False, True, "reply.looks"),
    ("You're so fat and ugly", False, False, "reply.looks"),
    ("Your face is weird", False, False, "reply.looks"),
    ("nice body", False, False, "reply.looks"),
    ("You're such an idiot", False, False, "reply.insult"),
    ("Shut up, nobody cares", False, False, "reply.insult"),
    ("It's your own fault", False, False, "reply.insult"),
    ("What a loser", False, False, "reply.insult"),
    ("I'm a real person, not a bot", False, False, "reply.claims_human"),
    ("Yes, I'm human!", False, False, "reply.claims_human"),
    ("I'm not an AI, I promise", False, False, "reply.claims_human"),
    ("Haha that is so funny, I could die laughing", False, True, "reply.careful"),
    ("Maybe take some pills and sleep it off", False, True, "reply.careful"),
    ("lol", False, True, "reply.careful"),
]


@pytest.mark.parametrize(("reply", "strict", "careful", "reason"), FAILING)
def test_bad_replies_fail_with_their_reason(policy, reply, strict, careful, reason):
    verdict = check(policy, reply, strict=strict, careful=careful)
    assert verdict == ReplyCheck(ok=False, reason=reason)


def test_every_reason_code_has_a_failing_example():
    assert {r for *_, r in FAILING} == set(ALL_REASONS)


PASSING = [
    # (reply, strict, careful): near misses that a kind reply needs to be able to say
    ("I'm here for you. How was your day?", True, True),
    ("You're not ugly at all, and you are not stupid.", False, False),
    ("You're not an idiot, everyone makes mistakes.", False, False),
    ("It's not your fault.", False, False),
    ("Please don't hurt yourself. You matter.", False, False),
    ("Suicide is never the answer, and you deserve support.", False, False),
    ("Please don't skip meals, you need the energy.", False, False),
    ("You don't need to lose weight to be worth something.", False, False),
    ("You look kind and sweet!", False, False),  # normal mode: only sexualised/negative looks comments fail
    ("You are beautiful inside and out", False, False),
    ("That was 10,000 steps! Nice work.", False, False),
    ("I saved 1,000,000 reasons to smile, 2023-05-01 was the day.", False, False),
    ("I walked 3 miles down the road and felt better.", False, False),
    ("I'm an AI, not a human, but I'm listening.", False, False),
    ("I'm looking forward to hearing how it goes!", True, False),
    ("That's a great question. Let me think about it.", False, False),
    ("Yes. Yes, I understand. Tell me more about it?", False, False),
]


@pytest.mark.parametrize(("reply", "strict", "careful"), PASSING)
def test_kind_replies_pass(policy, reply, strict, careful):
    assert check(policy, reply, strict=strict, careful=careful) == ReplyCheck(ok=True, reason="ok")


def test_age_signal_in_the_message_being_answered_switches_strict_on(policy):
    assert check(policy, "You look lovely today", user_text="hi").ok
    verdict = check(policy, "You look lovely today", user_text="I'm 14 and had a bad day")
    assert verdict.reason == "reply.looks_minor"


def test_reply_checks_are_counted_by_reason(policy):
    METRICS.reset()
    check(policy, "You're so sexy")
    check(policy, "Nice to meet you, how are you?")
    check(policy, "Nice to meet you, how are you?")
    assert METRICS.get("safety_checks_total", reason="reply.sexual") == 1
    assert METRICS.get("safety_checks_total", reason="ok") == 2
    assert "sexy" not in METRICS.render()  # labels carry codes, never text


def test_long_replies_are_checked_quickly(policy):
    import time

    long_reply = ("I hear you, and that sounds really hard. " * 100)[:4000]
    started = time.perf_counter()
    verdict = check(policy, long_reply)
    assert time.perf_counter() - started < 0.05
    assert verdict.reason == "reply.loop"
