"""Crisis wording and the table of crisis lines by region.

Numbers were checked against the services' own published numbers at the time of writing; operators can
correct or add regions with ``[safety] resources`` (region -> text) without touching code. IT and PT
(added 25 Nov 2026) were checked against press reports of the services' numbers (Telefono Amico Italia
and Telefono Azzurro, 2025; Portugal's national suicide prevention line 1411, opened 10 Sep 2025), not
against the services' own sites, which cannot be reached from where they were written. Checked the same
way on 25 Nov 2026 and unchanged: MX (Línea de la Vida 800 911 2000, free, 24 hours) and IN (Tele-MANAS
14416, toll-free, 24/7).
"""

from __future__ import annotations

INTERNATIONAL = (
    "Anywhere in the world: find a free, confidential helpline near you at https://findahelpline.com "
    "or the IASP crisis centre list at https://www.iasp.info/crisis-centres-helplines/"
)

RESOURCES: dict[str, str] = {
    "US": "United States: call or text 988 (Suicide & Crisis Lifeline, 24/7), chat at https://988lifeline.org, "
    "or text HOME to 741741 (Crisis Text Line). Emergency: 911.",
    "UK": "United Kingdom: call Samaritans free on 116 123 (24/7) or email jo@samaritans.org; "
    "text SHOUT to 85258. Emergency: 999.",
    "IE": "Ireland: call Samaritans free on 116 123 (24/7), or text HELLO to 50808. Emergency: 112 or 999.",
    "CA": "Canada: call or text 988 (Suicide Crisis Helpline, 24/7); young people can call Kids Help Phone "
    "on 1-800-668-6868 or text CONNECT to 686868. Emergency: 911.",
    "AU": "Australia: call Lifeline on 13 11 14 (24/7) or text 0477 13 11 14; young people can call "
    "Kids Helpline on 1800 55 1800. Emergency: 000.",
    "NZ": "New Zealand: call or text 1737 (Need to talk?, free, 24/7) or call Lifeline on 0800 543 354. "
    "Emergency: 111.",
    "IN": "India: call Tele-MANAS on 14416 (free, 24/7). Emergency: 112.",
    "DE": "Deutschland: TelefonSeelsorge 0800 111 0 111 oder 0800 111 0 222 (kostenlos, rund um die Uhr). "
    "Notruf: 112.",
    "FR": "France : appelez le 3114 (numéro national de prévention du suicide, gratuit, 24h/24). Urgence : 112.",
    "ES": "España: llama al 024 (Línea de atención a la conducta suicida, gratuita, 24 horas). Emergencias: 112.",
    "MX": "México: llama a la Línea de la Vida, 800 911 2000 (gratuita, 24 horas). Emergencias: 911.",
    "BR": "Brasil: ligue 188 (CVV, gratuito, 24 horas) ou acesse https://cvv.org.br. Emergência: 192.",
    "IT": "Italia: chiama Telefono Amico Italia allo 02 2327 2327 (tutti i giorni, 10-24) o scrivi su "
    "WhatsApp al 324 011 7252; bambini e ragazzi possono chiamare Telefono Azzurro all'1 96 96 (gratuito, "
    "24 ore su 24). Emergenza: 112.",
    "PT": "Portugal: ligue 1411 (Linha Nacional de Prevenção do Suicídio, gratuita, 24 horas) ou o SNS 24, "
    "808 24 24 24 (aconselhamento psicológico). Emergência: 112.",
    "INTL": INTERNATIONAL,
}

# Names people or operators use for the same region.
ALIASES = {
    "GB": "UK",
    "USA": "US",
    "EN": "UK",
    "ENGLAND": "UK",
    "SCOTLAND": "UK",
    "WALES": "UK",
    "NI": "UK",
    "ROI": "IE",
    "WORLD": "INTL",
    "INTERNATIONAL": "INTL",
    "GLOBAL": "INTL",
}

DEFAULT_CRISIS_MESSAGE = (
    "I'm really glad you told me, and I'm so sorry you're going through this. What you're feeling matters, "
    "and you don't have to carry it alone. I'm an AI, so I can't give you the help you deserve right now, "
    "but there are people who can, and they want to hear from you, any time of day or night:"
)
CLOSING = (
    "If you or someone with you is in immediate danger, please call your local emergency number now. "
    "I'm still here, and we can keep talking while you reach out."
)

DEFAULT_CHECKIN_MESSAGE = (
    "I'm here, and you can talk to me about whatever is on your mind. If you're ever thinking about "
    "hurting yourself, you don't have to face it alone. There are people you can reach any time:\n{line}"
)
"""Appended to a model reply when a message scores just under the crisis threshold (the check-in);
``{line}`` is the crisis line for the person's region."""

FALLBACK = "I'm not sure I understood that well. Could you tell me a little more about what's on your mind?"
FALLBACK_CAREFUL = (
    "I'm here with you, and I'm listening. How are you feeling right now? If things get too heavy, "
    "the people I mentioned earlier are there for you any time."
)

DISCLOSURE = (
    "I'm {name}, an AI chat bot: a computer program, not a person. No human is writing these replies, "
    "and I can get things wrong. If you'd like to talk with a real person, reaching out to someone you "
    "trust or a helpline is always a good step. I'm still happy to keep chatting."
)
"""The truthful answer to "are you a bot?". ``{name}`` is ``Persona.introduced_as``: "Kindred" for the
built-in personas, which are named by their role ("I'm friend, an AI chat bot" is not a name), or a
cloned voice's own name ("I'm Sam, an AI chat bot"); either way it says it is a program, not a person."""


MEET_ANSWER = (
    "I'm {name}, an AI chat bot, so I can't meet up, call or be anywhere in person, and I have no number, "
    "address or photos to share. I'm here to talk in this chat whenever you like. For company in person, "
    "a friend, someone in your family or another person you trust is the one to ask."
)
"""The truthful answer to "can we meet up?", "can I call you?", "what's your number?", "send me a pic of
you": the small model agreed to meet ("Yes, I'd absolutely love to meet up soon"), which is a lie, and
for a young person a dangerous habit to learn. ``{name}`` as in ``DISCLOSURE``."""


ABOUT_BOT_ANSWER = (
    "I'm {name}, an AI chat bot: I have no body, age, family, feelings or days of my own, so anything I "
    "told you about them would be made up. I'm glad to be here with you in this chat, though. How are you doing?"
)
"""The truthful answer to questions about the bot's own life ("how old are you?", "what did you do
today?", "do you have a family?", "do you ever feel lonely?"): the small model made up a puppy and a trip
to Iceland. ``{name}`` as in ``DISCLOSURE``."""

PRIVACY_ANSWER = (
    "I'm {name}, an AI chat bot. I don't pass on what you tell me, but I can't promise it stays secret: "
    "what you write here can be stored so I remember our chat, the people who run this bot can read what is "
    "stored, and the app you use may keep it too. /export shows what is kept about you, /forget deletes it, "
    "and /memory off stops me remembering. If someone is hurting you or you are in danger, please tell a "
    "person you trust or a helpline: that is not a secret you have to keep."
)
"""The truthful answer to "can you keep a secret?", "will you tell anyone?", "who can read this?": the
small model said "Yes, absolutely. I'll continue to do my best to maintain confidentiality" to a
15-year-old who had just written about cutting. ``{name}`` as in ``DISCLOSURE``."""


def normalise_region(region: str | None) -> str | None:
    if region is None:
        return None
    code = region.strip().upper()
    return ALIASES.get(code, code) or None
