"""Disclosures of abuse: someone hurting the person, sexual abuse, an adult asking a young person for
pictures, or someone threatening to share their pictures.

Seen in the terminal (24 Nov 2026), from a person who had just said "i'm 14": "my stepdad hits me when
he's drunk" got "I can imagine your dad being very protective of you ... how could you have handled the
situation differently?"; "my teacher touched me and told me not to tell anyone" and "someone says
they'll share my nudes unless i pay" got vague advice from the model. None of them is a suicide crisis,
so the crisis rules rightly passed them. Now such a message gets a fixed reply (the model is not
asked): it is not their fault, the people whose job this is (a child helpline, an abuse hotline, a
service that takes down shared pictures) with their numbers for the person's region, and telling an
adult they trust. The conversation becomes careful, as after a crisis reply.

Rules only (no classifier), tuned on the examples in tests/safety/test_abuse.py; written to be narrow:
the person (or "he"/"she") is the one hurt, by someone, and a negation just before drops it ("my dad
never hits me"). These rules are English; ``bot/safety/abuse_languages.py`` reads Spanish, French,
German, Portuguese and Italian, and the reply comes in those languages (``languages.ABUSE_TEXTS``).
The grooming signs from a young person (``assess_grooming_minor``) are read in English here and in
Spanish, French, German, Portuguese and Italian by ``bot.safety.grooming_languages``.
"""

from __future__ import annotations

import re

from bot.safety import languages
from bot.safety.abuse_languages import assess_abuse_languages
from bot.safety.grooming_languages import grooming_minor_language
from bot.safety.text import fold, words_before

REASON_PHYSICAL = "abuse.physical"
REASON_SEXUAL = "abuse.sexual"
REASON_GROOMING = "abuse.grooming"
REASON_SEXTORTION = "abuse.sextortion"

_WHO = (
    r"(?:(?:my |our )(?:step ?)?(?:dad|father|mom|mum|mother|parents?|uncle|aunt|brother|sister|cousin|grandpa|"
    r"grandfather|grandma|grandmother|boyfriend|girlfriend|husband|wife|partner|ex|teacher|coach|tutor|babysitter|"
    r"nanny|guardian|foster (?:dad|mom|mum|father|mother|parents?)|neighbou?r|pastor|priest|boss|mom s boyfriend|"
    r"moms boyfriend|mums boyfriend|dads girlfriend)|(?:he|she|they|this (?:guy|man|woman)|an adult|a grown man|"
    r"someone|somebody))"
)
_HURT = r"(?:hits?|hitting|beats?|beating|beat|punch(?:es|ed)?|kick(?:s|ed)?|slap(?:s|ped)?|chok(?:es|ed)|strangl(?:es|ed)|burn(?:s|ed)|hurts?|hurt)"
_SEXUAL = (
    r"(?:touch(?:es|ed)? me (?:there|down there|inappropriately|in (?:my|places)|under|between|when|and|at night|"
    r"every|again|without)|touch(?:es|ed)? my (?:private|privates|body|chest|breasts?|butt|crotch)|"
    r"(?:molest|rap|grop|sexually (?:abus|assault))(?:es|ed|e|s)? me|makes? me (?:touch|watch|do) (?:him|her|them|"
    r"things|stuff|sexual)|forced me (?:to|into))"
)

_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        REASON_PHYSICAL,
        re.compile(
            rf"\b{_WHO} (?:always |often |keeps |still |sometimes |just |(?:has|have) )?{_HURT} me\b(?! up)"
        ),
    ),
    (
        REASON_PHYSICAL,
        re.compile(
            r"\bi (?:get|got|am|m|was|keep getting) (?:being )?(?:hit|beaten|beat up|abused|hurt) (?:at home|by my)\b"
        ),
    ),
    (
        REASON_SEXUAL,
        re.compile(rf"\b{_WHO} (?:always |often |keeps |still |sometimes |has |have )?{_SEXUAL}"),
    ),
    (
        REASON_SEXUAL,
        re.compile(
            r"\bi (?:was|got|have been|ve been|am being|m being) (?:raped|molested|sexually (?:abused|assaulted)|groped)\b"
        ),
    ),
    (
        REASON_SEXUAL,
        re.compile(
            r"\btold me not to tell (?:anyone|anybody|my (?:mom|mum|dad|parents))\b|\b(?:its|it is) our (?:little )?secret\b"
        ),
    ),
    (
        REASON_GROOMING,
        re.compile(
            r"\b(?:an adult|a grown man|a grown up|an older (?:guy|man|woman|person)|a (?:guy|man|woman|stranger|person)|"
            r"someone|somebody|this (?:guy|man|woman|person))(?: i (?:met|talk to|talked to|know))?(?: online| on \w+)? "
            r"(?:keeps |always |has been |kept )?(?:ask(?:s|ed|ing)?|want(?:s|ed)?|pressur\w+|beg\w*) (?:me )?(?:for|to send|to see) "
            r"(?:me )?(?:pics|pictures|photos|nudes|naked|selfies of my body|videos of me)\b"
        ),
    ),
    (
        REASON_SEXTORTION,
        re.compile(
            r"\b(?:threaten\w*|going|gonna|will|says (?:they|he|she)(?:ll| will)|blackmail\w*)(?: me)?(?: to)? "
            r"(?:share|post|send|leak|show|spread) my (?:pics|pictures|photos|nudes|videos|private)\b"
            r"|\b(?:share|post|leak|send) my (?:nudes|pics|pictures|photos|videos) unless i\b"
        ),
    ),
)
REASON_GROOMING_MINOR = "abuse.grooming_minor"
"""Signs of grooming that are a disclosure only from a young person (``assess_grooming_minor``)."""

# From someone who said they are under 18, these are how grooming starts, whatever age the other person
# claims. Seen in a probe as a 13-year-old (24 Nov, night): "theres this guy online who says hes 16 and
# he wants to meet me", "he said not to tell my mom", "he wants me to send him pictures" got "He'd love to
# meet you ... That's totally okay. It might be fun", "He loves you" and "You're allowed to share photos
# whenever you want". From an adult they can be ordinary (dating, a partner), so they count only in a
# strict conversation (an age signal was seen).
_ONLINE = (
    r"(?:online|on (?:the )?(?:internet|discord|snap|snapchat|insta|instagram|tiktok|roblox|fortnite|minecraft|"
    r"whatsapp|telegram|kik|omegle|an app|a game|games|a website|a server|xbox|playstation|ps5|twitch|reddit))"
)
_GROOMING_MINOR = re.compile(
    # asked for pictures, with "him"/"her" in between ("he wants me to send him pictures")
    r"\b(?:he|she|they|someone|somebody|this (?:guy|man|boy|girl|woman|person)|a (?:guy|man|boy|girl|woman|person))"
    r"(?: i (?:met|talk to|talked to|know|play with))?(?: "
    + _ONLINE
    + r")? (?:keeps |always |has been |kept |even )?"
    r"(?:ask(?:s|ed|ing)?|want(?:s|ed)?|pressur\w+|beg\w*|tells?|told|dared?) me (?:to )?(?:send|share|take) "
    r"(?:(?:him|her|them|some|more|a few|few|any|a|the|new|private|cute) ){0,3}(?:my |me |of me )?(?:pics|pictures|photos|selfies|nudes|videos|vids)\b"
    # told to keep it from the family
    r"|\b(?:he|she|they|someone|this (?:guy|man|boy|girl|woman|person)) (?:said|says|told me|tells me|asked me|made me "
    r"promise) (?:i should |i shouldnt |me )?(?:not to|to not|dont|not|never to|to never|shouldnt) tell (?:my )?(?:mom|mum|"
    r"dad|parents|family|anyone|anybody|teachers?|friends)\b"
    # someone met online wants to meet
    r"|\b"
    + _ONLINE
    + r"\b.{0,80}\b(?:wants|asked|asks|keeps asking|is asking|invited) (?:me )?to (?:meet|hang out|"
    r"come over|see me|visit)\b"
    r"|\b(?:wants|asked|asks|keeps asking|is asking) me to (?:meet|meet up|hang out)\b.{0,80}\b"
    + _ONLINE
    + r"\b"
)


def assess_grooming_minor(text: str) -> str | None:
    """``abuse.grooming_minor`` when a young person's ``text`` tells of someone asking them for pictures,
    to keep it from their family, or to meet someone from online; else None. Only for a conversation with
    an age signal (see ``_GROOMING_MINOR``)."""
    folded = fold(text)
    for m in _GROOMING_MINOR.finditer(folded):
        if _NEGATORS.intersection(words_before(folded, m.start(), 3)):
            continue
        return REASON_GROOMING_MINOR
    if grooming_minor_language(text):  # Spanish, French, German, Portuguese, Italian
        return REASON_GROOMING_MINOR
    return None


_NEGATORS = frozenset("not never no dont doesnt didnt wont wouldnt isnt wasnt havent hasnt stopped".split())
# Play and jokes in the same sentence: "my brother hit me with a pillow lol", "my sister hit me in mario
# kart". Only for the physical rules: nothing makes a sexual disclosure a joke to be ignored.
_PLAY = re.compile(
    r"\b(?:lol|lmao|haha\w*|hehe|jk|pillow|pillows|snowball|accident|accidentally|by mistake|game|games|playing|"
    r"play fight\w*|tickl\w*|mario|fortnite|minecraft|dodgeball|football|soccer|basketball|wrestling|sparring|"
    r"karate|boxing)\b"
)
_SENTENCE = re.compile(r"[^.!?\n]*")


def assess_abuse(text: str) -> str | None:
    """The reason code (``abuse.physical``, ``abuse.sexual``, ``abuse.grooming``, ``abuse.sextortion``)
    when ``text`` discloses abuse of the person, else None."""
    folded = fold(text)
    for reason, rule in _RULES:
        for m in rule.finditer(folded):
            # "my dad never hits me", "he didn't touch me": the words just before the verb
            if _NEGATORS.intersection(words_before(folded, m.end(), 6)):
                continue
            if reason == REASON_PHYSICAL:
                start = max(folded.rfind(c, 0, m.start()) for c in ".!?\n") + 1
                if _PLAY.search(_SENTENCE.match(folded, start).group(0)):
                    continue
            return reason
    return assess_abuse_languages(text)  # Spanish, French, German, Portuguese, Italian


ABUSE_MESSAGE = (
    "Thank you for telling me. What you're describing is not okay, and it is not your fault. You deserve to "
    "be safe. I'm an AI, so I can't step in myself, but there are people whose job is to help with exactly "
    "this, and you can talk to them in confidence:"
)
GROOMING_MINOR_LINE = (
    "You don't have to send anything, keep anything secret or meet anyone. Someone who asks a young person "
    "for pictures, to meet up, or to keep it from their family is not safe, whatever age they say they are. "
    "Keep the messages, block them, and tell an adult you trust: you have done nothing wrong."
)
PICTURES_LINE = (
    "You don't have to send anything or pay anything. Keep the messages, block the person, and tell someone "
    "you trust: you have done nothing wrong."
)
ABUSE_CLOSING = (
    "If you are in danger right now, call your local emergency number. If you can, tell an adult you trust, "
    "like a teacher, a school counsellor or a relative. I'm still here if you want to keep talking."
)
ABUSE_INTERNATIONAL = (
    "Anywhere in the world: find a child helpline in your country at https://childhelplineinternational.org "
    "or a free helpline at https://findahelpline.com"
)
ABUSE_RESOURCES: dict[str, str] = {
    "US": "United States: call or text the Childhelp National Child Abuse Hotline on 1-800-422-4453 (24/7); "
    "for sexual abuse, RAINN on 1-800-656-4673. If someone shares or threatens to share your pictures: "
    "https://takeitdown.ncmec.org. Emergency: 911.",
    "UK": "United Kingdom: call Childline free on 0800 1111 (24/7) or the NSPCC on 0808 800 5000. If someone "
    "shares or threatens to share your pictures, Childline's Report Remove can help: https://www.childline.org.uk. "
    "Emergency: 999.",
    "IE": "Ireland: call Childline free on 1800 66 66 66 (24/7). Emergency: 112 or 999.",
    "CA": "Canada: call Kids Help Phone on 1-800-668-6868 or text CONNECT to 686868 (24/7). If someone shares "
    "your pictures: https://needhelpnow.ca. Emergency: 911.",
    "AU": "Australia: call Kids Helpline on 1800 55 1800 (24/7), or 1800RESPECT on 1800 737 732. Emergency: 000.",
    "NZ": "New Zealand: call Youthline free on 0800 376 633 or text 234. Emergency: 111.",
    "IN": "India: call Childline on 1098 (free, 24/7). Emergency: 112.",
    "DE": "Deutschland: Nummer gegen Kummer 116 111 (kostenlos) oder das Hilfetelefon Sexueller Missbrauch "
    "0800 22 55 530. Notruf: 110.",
    "FR": "France : appelez le 119 (Allô enfance en danger, gratuit, 24h/24). Urgence : 112.",
    "ES": "España: llama a la Fundación ANAR, 900 20 20 10 (gratuito, 24 horas). Emergencias: 112.",
    "BR": "Brasil: ligue 100 (Disque Direitos Humanos, gratuito, 24 horas). Emergência: 190.",
    "IT": "Italia: chiama Telefono Azzurro all'1 96 96 (gratuito, 24 ore su 24) o, se sei in pericolo adesso, "
    "il 114 Emergenza Infanzia. Emergenza: 112.",
    "PT": "Portugal: ligue para o SOS-Criança, 116 111 (gratuito e confidencial). Emergência: 112.",
}
"""Child helplines and abuse hotlines by region (the crisis table's region codes); other regions get
``ABUSE_INTERNATIONAL``. Written from the services' published numbers as the author knew them, without
checking them online from here (IT and PT: from press reports of the numbers, 2018-2025; DE's Hilfetelefon
Sexueller Missbrauch 0800 22 55 530 confirmed the same way on 25 Nov 2026): operators
should check their region's line before going live, and can replace or add lines with
``[safety] abuse_resources``."""


def abuse_reply(
    reason: str, region: str | None, table: dict[str, str] | None = None, lang: str | None = None
) -> str:
    """The fixed reply to a disclosure (``reason`` from ``assess_abuse``) for ``region`` (a region code),
    with the lines of ``table`` (``ABUSE_RESOURCES`` with the operator's ``safety.abuse_resources``), in
    ``lang`` when ``languages.ABUSE_TEXTS`` has it (else English)."""
    texts = languages.ABUSE_TEXTS.get(lang or "") or _ENGLISH
    found = (ABUSE_RESOURCES if table is None else table).get((region or "").upper())
    lines = [texts.message, found or texts.international]
    if found:
        lines.append(texts.international)
    if reason in (REASON_GROOMING, REASON_SEXTORTION):
        lines.append(texts.pictures)
    elif reason == REASON_GROOMING_MINOR:
        lines.append(texts.grooming_minor)
    lines.append(texts.closing)
    return "\n\n".join(lines)


_ENGLISH = languages.AbuseText(
    ABUSE_MESSAGE, ABUSE_INTERNATIONAL, PICTURES_LINE, GROOMING_MINOR_LINE, ABUSE_CLOSING
)
