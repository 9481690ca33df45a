"""An operator's ``safety.region`` without a crisis line of its own is said out loud, not silently
replaced by the international list: people in crisis there would get a directory, not a number."""

from __future__ import annotations

import logging

import pytest

from bot.config import SafetySettings
from bot.safety import SafetyPolicy, policy
from bot.safety.resources import INTERNATIONAL


def test_a_region_without_a_line_is_named_with_the_known_ones_and_how_to_add_it(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(policy, "_WARNED", set())
    caplog.set_level(logging.WARNING)
    first = SafetyPolicy(SafetySettings(region="NL"))
    SafetyPolicy(SafetySettings(region="NL"))  # the dispatcher and each adapter build one
    assert first.region_note is not None
    assert "safety.region = 'NL' has no crisis line of its own" in first.region_note
    assert "UK, US" in first.region_note and "[safety.resources]" in first.region_note
    assert caplog.text.count("has no crisis line of its own") == 1  # said once
    assert INTERNATIONAL in first.crisis_reply(None, "i want to die")  # still the international list


@pytest.mark.parametrize("region", ["INTL", "UK", "gb", " us ", "World", "IT", "pt"])
def test_known_regions_and_aliases_have_no_note(region: str) -> None:
    assert SafetyPolicy(SafetySettings(region=region)).region_note is None


def test_an_operators_own_line_for_the_region_is_used_and_silences_the_note() -> None:
    own = "Nederland: bel 113 of 0800-0113. Noodnummer: 112."
    p = SafetyPolicy(SafetySettings(region="NL", resources={"NL": own}))
    assert p.region_note is None
    assert own in p.crisis_reply(None, "i want to die")
