"""``SafetyPolicy``: the one object the dispatcher asks about every incoming message and every reply.

Everything here is regexes and word lists (no model, no network), so it can run on the event loop:
about 0.1-0.2 ms per message. Every verdict is counted in metrics by reason code; no text is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from bot.config import SafetySettings
from bot.metrics import METRICS
from bot.safety import (
    abuse,
    abuse_languages,
    crisis,
    grooming_languages,
    languages,
    replies,
    resources,
    signals,
)

log = logging.getLogger(__name__)

_WARNED: set[str] = set()
"""Region notes already logged: the policy is built by the dispatcher and by each adapter."""

METRIC = "safety_checks_total"


@dataclass(frozen=True)
class IncomingCheck:
    crisis: bool
    reason: str
    """"ok" or a crisis reason code: crisis.suicidal_intent, crisis.self_harm, crisis.overdose,
    crisis.plan_or_means, crisis.indirect (several weaker signals together), crisis.third_party
    (someone the person knows is in danger now)."""
    minor: bool
    """The message carries an age signal under 18 ("13m", "I'm 15", "in 8th grade")."""
    region: str | None
    """A region code detected from the text ("UK" from "I'm in London"), else None."""
    bot_question: bool
    """The person asks whether they are talking to a bot, an AI or a human."""
    meet_request: bool = False
    """The person asks the bot to meet, call or visit, or for its number, address or photos."""
    about_bot: bool = False
    """The person asks about the bot's own life, body, age, family or feelings ("how old are you?")."""
    privacy: bool = False
    """The person asks whether the bot keeps secrets, tells anyone, or who reads the chat."""
    abuse: str | None = None
    """A disclosure of abuse ("my stepdad hits me", "an adult online keeps asking me for pics"): its
    reason code (``bot/safety/abuse.py``), else None."""
    checkin: bool = False
    """No crisis, but the learned classifier's score is in the check-in band
    (``safety.checkin_threshold`` <= score < its crisis threshold): the model answers, and a gentle
    check-in line with the region's crisis line is appended (set by the dispatcher, never by the rules)."""


@dataclass(frozen=True)
class ReplyCheck:
    ok: bool
    reason: str
    """"ok" or one of bot.safety.replies.ALL_REASONS (reply.sexual, reply.looks_minor, ...)."""


def _region_table(built_in: dict[str, str], extra: dict[str, str], key: str, example: str) -> dict[str, str]:
    """``built_in`` (region code -> text) with the operator's ``safety.<key>`` entries added or replacing."""
    table = dict(built_in)
    for region, text in extra.items():
        code = resources.normalise_region(region)
        if not code or not text.strip():
            raise ValueError(
                f"safety.{key}: region {region!r} needs a non-empty code and text "
                f'(e.g. {key} = {{ US = "{example}" }})'
            )
        table[code] = text.strip()
    return table


class SafetyPolicy:
    """Crisis detection, reply checks and the fixed safety texts, configured by ``[safety]``."""

    def __init__(self, settings: SafetySettings | None = None) -> None:
        self.settings = settings or SafetySettings()
        self.resources = _region_table(
            resources.RESOURCES, self.settings.resources, "resources", "call or text 988"
        )
        self.abuse_resources = _region_table(
            abuse.ABUSE_RESOURCES,
            self.settings.abuse_resources,
            "abuse_resources",
            "call or text 1-800-422-4453",
        )
        self.default_region = resources.normalise_region(self.settings.region) or "INTL"
        self.region_note = self._region_note()
        """Why the default region's crisis line will be the international list (None when it has one)."""
        if self.region_note and self.region_note not in _WARNED:
            _WARNED.add(self.region_note)
            log.warning("%s", self.region_note)

    def _region_note(self) -> str | None:
        if self.default_region in self.resources:
            return None
        known = ", ".join(sorted(code for code in self.resources if code != "INTL"))
        return (
            f"safety.region = {self.settings.region!r} has no crisis line of its own, so people there get the "
            f"international directory. Known regions: {known}; or add yours under [safety.resources], e.g. "
            f'resources = {{ {self.default_region} = "call ... (24/7). Emergency: ..." }}'
        )

    # --- incoming ------------------------------------------------------------------------------------
    def check_incoming(self, text: str, *, count: bool = True) -> IncomingCheck:
        """The rules' verdict on one incoming message; ``count=False`` keeps it out of the metrics
        (the dispatcher's split-message check reads joined texts, which are not messages)."""
        verdict = crisis.assess(text)
        check = IncomingCheck(
            crisis=verdict.crisis,
            reason=verdict.reason,
            minor=signals.minor_signal(text),
            region=signals.detect_region(text),
            bot_question=signals.asks_if_bot(text),
            meet_request=signals.asks_to_meet(text),
            about_bot=signals.asks_about_the_bot(text),
            privacy=signals.asks_about_privacy(text),
            abuse=abuse.assess_abuse(text),
        )
        if not count:
            return check
        METRICS.inc(METRIC, reason=check.reason)
        if check.minor:
            METRICS.inc(METRIC, reason="incoming.minor")
        if check.bot_question:
            METRICS.inc(METRIC, reason="incoming.bot_question")
        if check.meet_request:
            METRICS.inc(METRIC, reason="incoming.meet_request")
        if check.about_bot:
            METRICS.inc(METRIC, reason="incoming.about_bot")
        if check.privacy:
            METRICS.inc(METRIC, reason="incoming.privacy")
        if check.abuse:
            METRICS.inc(METRIC, reason=check.abuse)
        return check

    # --- replies -------------------------------------------------------------------------------------
    def check_reply(
        self,
        reply: str,
        *,
        user_text: str = "",
        strict: bool = False,
        careful: bool = False,
        names: Sequence[str] = (),
    ) -> ReplyCheck:
        """``names``: what the bot may call itself (the persona's name); a reply that gives itself
        another name fails with ``reply.other_name``. Empty: not checked."""
        # An age signal in the very message being answered counts even if the caller has not yet
        # recorded it for the conversation.
        strict = strict or (bool(user_text) and signals.minor_signal(user_text))
        reason = replies.check(reply, strict=strict, careful=careful) or "ok"
        if reason == "ok" and user_text and replies.approves_restricting(reply, user_text):
            reason = replies.DISORDERED_EATING
        if reason == "ok" and user_text and replies.wrong_feeling(reply, replies.news_feeling(user_text)):
            reason = replies.WRONG_FEELING
        if reason == "ok" and user_text and replies.wrong_language(reply, user_text):
            reason = replies.WRONG_LANGUAGE
        if reason == "ok" and names and replies.other_name(reply, names):
            reason = replies.OTHER_NAME
        if reason == "ok" and not careful and user_text and replies.unprompted_death(reply, user_text):
            reason = replies.UNPROMPTED_DEATH
        METRICS.inc(METRIC, reason=reason)
        return ReplyCheck(ok=reason == "ok", reason=reason)

    # --- fixed texts ---------------------------------------------------------------------------------
    def resources_for(self, region: str | None) -> str:
        code = resources.normalise_region(region) or self.default_region
        lines = []
        local = self.resources.get(code)
        if local and code != "INTL":
            lines.append(local)
        # The directory is always there: a wrong or missing region still leaves a way to find help.
        lines.append(self.resources.get("INTL", resources.INTERNATIONAL))
        return "\n".join(lines)

    def crisis_reply(self, region: str | None = None, text: str = "") -> str:
        """The crisis reply for ``region``; in the language of ``text`` (the person's message) when it is
        one of those in ``bot/safety/languages.py`` and ``safety.localize_safety_texts`` is on."""
        found = self.resources_for(region)
        custom = self.settings.crisis_message
        if custom:
            if "{resources}" in custom:
                return custom.replace("{resources}", found)
            return f"{custom.strip()}\n\n{found}"
        lang = self.language_of(text)
        local = languages.CRISIS_TEXTS.get(lang or "")
        if local is None:
            return f"{resources.DEFAULT_CRISIS_MESSAGE}\n\n{found}\n\n{resources.CLOSING}"
        if self.resources.get("INTL") == resources.INTERNATIONAL:  # the operator did not replace it
            found = found.replace(resources.INTERNATIONAL, local.directory)
        return f"{local.message}\n\n{found}\n\n{local.closing}"

    def language_of(self, text: str) -> str | None:
        """The language the fixed texts are written in for a message (None = English); see languages.py."""
        if not text or not self.settings.localize_safety_texts:
            return None
        return languages.guess_language(text)

    def crisis_line(self, region: str | None, lang: str | None = None) -> str:
        """The one crisis line for ``region``: its own entry in the table, else the international directory
        (in ``lang`` when the operator did not replace it)."""
        code = resources.normalise_region(region) or self.default_region
        own = self.resources.get(code) if code != "INTL" else None
        if own:
            return own
        directory = self.resources.get("INTL", resources.INTERNATIONAL)
        local = languages.CRISIS_TEXTS.get(lang or "")
        return local.directory if local and directory == resources.INTERNATIONAL else directory

    def checkin_text(self, region: str | None = None, text: str = "") -> str:
        """The gentle check-in line appended to a reply (``safety.checkin_message``, with ``{line}``); the
        default one in the language of ``text``, the person's message, when it is known."""
        lang = self.language_of(text)
        line = self.crisis_line(region, lang)
        custom = (self.settings.checkin_message or "").strip()
        template = custom or languages.CHECKIN_TEXTS.get(lang or "") or resources.DEFAULT_CHECKIN_MESSAGE
        if "{line}" in template:
            return template.replace("{line}", line)
        return f"{template} {line}"

    def with_checkin(self, reply: str, region: str | None = None, text: str = "") -> str:
        """``reply`` with the check-in line after it, as its own paragraph."""
        return f"{reply.rstrip()}\n\n{self.checkin_text(region, text)}"

    def fallback_reply(self, *, careful: bool = False, text: str = "") -> str:
        """The safe fixed reply sent when every candidate fails the reply checks; in the language of
        ``text`` (what the reply answers) when it is known and ``safety.localize_safety_texts`` is on."""
        lang = self.language_of(text) or ""
        if careful:
            return languages.FALLBACK_CAREFUL_TEXTS.get(lang, resources.FALLBACK_CAREFUL)
        return languages.FALLBACK_TEXTS.get(lang, resources.FALLBACK)

    def grooming_minor(self, text: str) -> str | None:
        """``abuse.grooming_minor`` when a young person's message tells of someone asking for pictures,
        secrecy from their family, or a meeting with someone from online (``abuse.assess_grooming_minor``);
        asked only in a strict conversation."""
        return abuse.assess_grooming_minor(text)

    def is_careful_line(self, text: str) -> bool:
        """Whether ``text`` is the careful fallback line, in any of its languages."""
        return text == resources.FALLBACK_CAREFUL or text in languages.FALLBACK_CAREFUL_TEXTS.values()

    def abuse_reply(self, reason: str, region: str | None = None, text: str = "") -> str:
        """The fixed reply to a disclosure of abuse, with the child helpline for ``region`` (the person's,
        else ``safety.region``), in the language of ``text`` (the person's message) when it is known."""
        code = resources.normalise_region(region) or self.default_region
        # The language whose disclosure rule matched, when one did: surer than common words in a short
        # message ("mi padrastro me pega cuando bebe" has none, and "mi" is Polish as well).
        lang = None
        if self.settings.localize_safety_texts:
            found = abuse_languages.abuse_disclosure(text)
            lang = found[1] if found else None
            if lang is None and reason == abuse.REASON_GROOMING_MINOR:
                lang = grooming_languages.grooming_minor_language(text)
        lang = lang or self.language_of(text)
        return abuse.abuse_reply(reason, code, self.abuse_resources, lang)

    def _honest(self, texts: dict[str, str], english: str, persona_name: str, text: str) -> str:
        """One of the fixed truthful answers, in the language of ``text`` when it is known, with the
        persona's name (``Persona.introduced_as``) in it."""
        name = (persona_name or "").strip() or "Kindred"
        return texts.get(self.language_of(text) or "", english).format(name=name)

    def meet_answer(self, persona_name: str, text: str = "") -> str:
        """The truthful answer to "can we meet up?" (or a call, a visit, a number, a photo)."""
        return self._honest(languages.MEET_TEXTS, resources.MEET_ANSWER, persona_name, text)

    def about_bot_answer(self, persona_name: str, text: str = "") -> str:
        """The truthful answer to a question about the bot's own life ("how old are you?")."""
        return self._honest(languages.ABOUT_BOT_TEXTS, resources.ABOUT_BOT_ANSWER, persona_name, text)

    def privacy_answer(self, persona_name: str, text: str = "") -> str:
        """The truthful answer to "can you keep a secret?", "will you tell anyone?", "who reads this?"."""
        return self._honest(languages.PRIVACY_TEXTS, resources.PRIVACY_ANSWER, persona_name, text)

    def bot_disclosure(self, persona_name: str, text: str = "") -> str:
        """The truthful answer to "are you a bot?", in the language of the question when it is known."""
        return self._honest(languages.DISCLOSURE_TEXTS, resources.DISCLOSURE, persona_name, text)
