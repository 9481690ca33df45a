"""The fixed texts: crisis reply with resources by region, operator overrides, fallback, disclosure."""

from __future__ import annotations

import pytest

from bot.config import SafetySettings
from bot.safety import SafetyPolicy
from bot.safety.replies import check as check_reply


def test_crisis_reply_has_local_and_international_resources():
    policy = SafetyPolicy(SafetySettings(region="US"))
    us = policy.crisis_reply(None)
    assert "988" in us and "findahelpline.com" in us
    uk = policy.crisis_reply("UK")
    assert "116 123" in uk and "988" not in uk
    assert "116 123" in policy.crisis_reply("ie")  # region codes are case-insensitive
    assert "116 123" in policy.crisis_reply("GB")  # and have aliases
    for region in ("CA", "AU", "NZ", "IN", "DE", "FR", "ES", "MX", "BR", "IT", "PT"):
        assert "findahelpline.com" in policy.crisis_reply(region)


def test_italy_and_portugal_have_their_own_lines_for_a_crisis_and_for_abuse():
    """People in Italy and Portugal got only the international directory until 25 Nov 2026."""
    from bot.safety.abuse import REASON_SEXUAL

    policy = SafetyPolicy()
    italy = policy.crisis_reply("IT", "voglio morire, non ce la faccio piu")
    assert "02 2327 2327" in italy and "1 96 96" in italy and "112" in italy
    assert "Italia" in italy and "988" not in italy
    portugal = policy.crisis_reply("PT", "quero morrer, nao aguento mais")
    assert "1411" in portugal and "808 24 24 24" in portugal and "188" not in portugal  # not Brazil's CVV
    assert "1 96 96" in policy.abuse_reply(REASON_SEXUAL, "IT") and "114" in policy.abuse_reply(
        REASON_SEXUAL, "IT"
    )
    assert "116 111" in policy.abuse_reply(REASON_SEXUAL, "PT")
    assert policy.crisis_line("PT").startswith("Portugal: ligue 1411")


def test_unknown_region_falls_back_to_the_directory():
    text = SafetyPolicy().crisis_reply("ZZ")
    assert "findahelpline.com" in text and "988" not in text


def test_default_region_is_international():
    assert "findahelpline.com" in SafetyPolicy().crisis_reply(None)


def test_operator_wording_and_resources_override():
    settings = SafetySettings(
        region="NL",
        crisis_message="Je bent niet alleen. {resources}",
        resources={"nl": "Nederland: bel 113 of 0800-0113.", "US": "Call or text 988 (our wording)."},
    )
    policy = SafetyPolicy(settings)
    text = policy.crisis_reply(None)
    assert text.startswith("Je bent niet alleen. Nederland: bel 113")
    assert "findahelpline.com" in text
    assert "our wording" in policy.crisis_reply("US")


def test_operator_wording_without_placeholder_gets_resources_appended():
    policy = SafetyPolicy(SafetySettings(region="UK", crisis_message="We care about you."))
    text = policy.crisis_reply(None)
    assert text.startswith("We care about you.") and "116 123" in text


def test_empty_resource_text_is_a_clear_error():
    with pytest.raises(ValueError, match="safety.resources"):
        SafetyPolicy(SafetySettings(resources={"US": "  "}))


def test_fallbacks_pass_the_reply_checks_they_stand_in_for():
    policy = SafetyPolicy()
    for careful in (False, True):
        text = policy.fallback_reply(careful=careful)
        assert text and check_reply(text, strict=True, careful=careful) is None


def test_bot_disclosure_is_truthful_and_names_the_persona():
    text = SafetyPolicy().bot_disclosure("Sam")
    assert "Sam" in text and "AI" in text and "not a person" in text
    assert check_reply(text, strict=True, careful=False) is None  # never reads as a human claim
    assert "Kindred" in SafetyPolicy().bot_disclosure("")
