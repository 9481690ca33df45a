"""Recalled facts: the few things a friend would remember about someone after the chat scrolls away.

The model sees only the last ``memory.history_turns`` turns, so "my name is Sam" said an hour ago is
gone from its prompt, and asked "do you remember my name?" the embedded model made one up ("My name
is Emily Blackstone ..."). This module picks a handful of plain facts out of what the person says,
with rules (no model: they must be predictable, and testable):

- their name, and the pronouns they asked for;
- their age (a stated number, 5-120);
- where they live, what they do (work, study);
- their pets' and close people's names ("my dog Max", "my sister is called Anna");
- things coming up: an exam, an interview, a date... with the day it falls on, worked out when it was
  said ("on Friday" -> the coming Friday), so a later chat can ask how it went.

Only statements count, in English, Spanish, French, German, Portuguese and Italian ("mi perro se llama
Max", "j'habite à Lyon", "ich habe am Freitag eine Prüfung"): a question ("is my name Sam?"), a negation
("my name isn't Sam", "ya no vivo en Sevilla"), a wish or a hypothetical ("if I lived in Paris", "si
tuviera un perro") or someone else's words ("il m'a dit...") are left alone. The other languages keep
the same (English) kinds, so the system prompt reads them like the rest; their rules are at the end.

Facts are kept with the person's other preferences (``prefs["facts"]``) for the same conversation key,
so ``/export`` shows them, ``/forget`` deletes them, ``/reset`` and ``/memory off`` clear them, and they
follow ``memory.retention_days`` like the history they came from. Each has the time it was said; a
newer statement of the same fact replaces the older one.

``render`` turns them into one line for the system prompt (English, like the prompt); ``answer_recall``
answers "what's my name?" and "what do you remember about me?" from them, truthfully, without the model,
in the question's language ("¿qué recuerdas de mí?" is answered in Spanish).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.safety.text import fold

PREF = "facts"
"""The preferences entry that holds a conversation's facts."""
MAX_FACTS = 12
"""At most this many are kept per conversation (the oldest go first)."""
EVENT_KEEP_DAYS = 14
"""An event is remembered until this many days after its day (long enough to ask how it went)."""
MAX_VALUE_CHARS = 40
NOT_FOR_MINORS = frozenset({"home"})
"""Not kept once a conversation shows a minor signal (strict mode): where a child lives."""

_NAME = r"([A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'\-]{0,20}(?: [A-Z][A-Za-zÀ-ÖØ-öø-ÿ'\-]{1,20})?)"
"""One or two words of letters; ``_clean_name`` keeps the second only when it was written with a capital
("Anna Maria", not "Sam sorry"): the rules match case-insensitively, so the regex cannot say so."""
_PLACE = (
    r"([A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'.\-]{1,25}(?: [A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'.\-]{1,25}){0,2})"
)

# Words that follow "my name is" / "call me" / "I live in" but are not names or places.
_NOT_A_NAME = {
    "a",
    "an",
    "the",
    "not",
    "no",
    "so",
    "too",
    "very",
    "just",
    "also",
    "really",
    "that",
    "this",
    "it",
    "what",
    "who",
    "nothing",
    "nobody",
    "none",
    "unknown",
    "secret",
    "private",
    "irrelevant",
    "mud",
    "whatever",
    "anything",
    "something",
    "someone",
    "somebody",
    "bob ross",
    "here",
    "there",
    "back",
    "when",
    "if",
    "and",
    "but",
    "or",
    "because",
    "maybe",
    "please",
    "pls",
    "now",
    "later",
    "soon",
    "weird",
    "boring",
    "stupid",
    "dumb",
    "ugly",
    "long",
    "hard",
    "easy",
    "funny",
    "common",
    "rare",
    "fine",
    "ok",
    "okay",
    "sad",
    "happy",
    "tired",
    "lonely",
    "alone",
    "bored",
    "in",
    "on",
    "at",
    "to",
    "by",
    "from",
    "with",
    "for",
    "of",
    "my",
    "your",
    "his",
    "her",
    "their",
    "our",
    "its",
    "me",
    "you",
    "crazy",
    "names",
    "name",
    "same",
    "different",
    "mine",
    "yours",
    "lol",
    "haha",
    "idk",
    "is",
    "was",
    "btw",
    "tbh",
    "tomorrow",
    "today",
    "tonight",
    "anytime",
    "sometime",
    "again",
    "whenever",
    "are",
    "has",
    "had",
    "have",
    "be",
    "been",
    "being",
    "will",
    "would",
    "can",
    "could",
    "should",
    "did",
}
_NOT_A_NAME |= {
    "i",
    "im",
    "i'm",
    "i'd",
    "i'll",
    "i've",
    "id",
    "ill",
    "ive",
    "he",
    "she",
    "they",
    "we",
    "it's",
    "he's",
    "she's",
    "they're",
    "we're",
    "you're",
    "that's",
    "there's",
    "lets",
    "let's",
    "who's",
    "what's",
}
_NOT_A_PLACE = _NOT_A_NAME | {
    "fear",
    "pain",
    "denial",
    "hell",
    "peace",
    "a box",
    "my head",
    "my car",
    "my room",
    "my bed",
    "the moment",
    "the past",
    "my own world",
    "a bubble",
    "misery",
    "hope",
    "shame",
    "silence",
}
_PETS = (
    "dog",
    "puppy",
    "cat",
    "kitten",
    "bunny",
    "rabbit",
    "hamster",
    "guinea pig",
    "parrot",
    "bird",
    "horse",
    "fish",
    "turtle",
    "tortoise",
    "snake",
    "lizard",
    "gecko",
    "ferret",
    "rat",
    "budgie",
)
_PEOPLE = (
    "mom",
    "mum",
    "mother",
    "dad",
    "father",
    "sister",
    "brother",
    "wife",
    "husband",
    "partner",
    "girlfriend",
    "boyfriend",
    "fiance",
    "fiancee",
    "son",
    "daughter",
    "grandma",
    "grandpa",
    "grandmother",
    "grandfather",
    "best friend",
    "bestie",
    "roommate",
    "flatmate",
    "aunt",
    "uncle",
    "cousin",
    "teacher",
    "therapist",
    "boss",
    "baby",
)
_EVENTS = (
    "exam",
    "final",
    "finals",
    "test",
    "interview",
    "job interview",
    "date",
    "first date",
    "appointment",
    "doctor's appointment",
    "surgery",
    "operation",
    "presentation",
    "audition",
    "driving test",
    "recital",
    "concert",
    "match",
    "game",
    "tryout",
    "tryouts",
    "deadline",
    "wedding",
    "birthday",
    "graduation",
    "court date",
    "hearing",
    "therapy session",
    "first day",
    "meeting",
    "competition",
    "race",
    "trip",
    "flight",
    "move",
    "recital",
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_OCCUPATIONS = (
    "student",
    "nurse",
    "teacher",
    "doctor",
    "developer",
    "programmer",
    "software engineer",
    "engineer",
    "designer",
    "artist",
    "writer",
    "musician",
    "cashier",
    "chef",
    "cook",
    "waiter",
    "waitress",
    "barista",
    "mechanic",
    "electrician",
    "plumber",
    "carpenter",
    "driver",
    "lawyer",
    "accountant",
    "pharmacist",
    "paramedic",
    "firefighter",
    "police officer",
    "soldier",
    "farmer",
    "scientist",
    "researcher",
    "student nurse",
    "med student",
    "medical student",
    "college student",
    "high school student",
    "university student",
    "grad student",
    "phd student",
    "freelancer",
    "photographer",
    "social worker",
    "caregiver",
    "carer",
    "stay at home mom",
    "stay at home dad",
    "stay-at-home mom",
    "stay-at-home dad",
    "retail worker",
    "cleaner",
    "janitor",
    "librarian",
    "vet",
    "veterinarian",
    "dentist",
    "therapist",
    "translator",
    "journalist",
    "data analyst",
    "pilot",
    "flight attendant",
    "hairdresser",
    "barber",
    "tattoo artist",
    "gamer",
    "streamer",
)

_SKIP = re.compile(
    r"\b(?:if|wish|wished|would|wouldn'?t|imagine|pretend|suppose|supposing|dreamt|dreamed|lied|"
    r"said|says|told me|asked|was like|thinks|thought|called me|used to)\b",
    re.IGNORECASE,
)
"""A sentence with one of these is a hypothetical or someone else's words: no fact from it."""
_NEGATION = re.compile(
    r"\b(?:not|never|no longer|isn'?t|aren'?t|wasn'?t|don'?t|doesn'?t|ain'?t)\b", re.IGNORECASE
)
_SENTENCES = re.compile(r"[^.!?\n]+[.!?]*")


def _alt(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "name",
        re.compile(
            rf"\b(?:my name is|my name's|my names|name's|i'm called|i am called|call me|you can call me|"
            rf"me llamo|mi nombre es|je m'appelle|je mappelle|mon nom est|ich heiße|ich heisse|"
            rf"mein name ist|mi chiamo|il mio nome è|meu nome é|me chamo|eu me chamo) {_NAME}\b",
            re.IGNORECASE,
        ),
    ),
    ("pronouns", re.compile(r"\bmy pronouns are ((?:she|he|they|xe|ze|it)(?: ?/ ?[a-z]{2,6}){1,2})\b", re.I)),
    (
        "age",
        re.compile(
            r"\b(?:i'm|i am|im) (\d{1,3})(?: years? old| y/?o| yrs? old)?(?= *(?:[.!,;]|$|and\b|but\b|so\b))"
            r"|\bi turned (\d{1,3})\b|\bi'm turning (\d{1,3})\b",
            re.IGNORECASE,
        ),
    ),
    (
        "home",
        re.compile(
            rf"\bi(?: live| am living|'m living|m living| grew up|'m based|m based| am based) in {_PLACE}",
            re.I,
        ),
    ),
    (
        "work",
        re.compile(
            r"\bi(?: work| am working|'m working|m working) (as an? [a-z][a-z \-]{2,30}|at [A-Za-z0-9&'. \-]{2,30})",
            re.I,
        ),
    ),
    (
        "work",
        re.compile(rf"\bi(?:'m| am|m) (?:a|an) ((?:{_alt(_OCCUPATIONS)}))\b", re.IGNORECASE),
    ),
    (
        "study",
        re.compile(
            r"\bi(?: study| am studying|'m studying|m studying| major in|'m majoring in| am majoring in) "
            r"(?!(?:hard|a lot|all|at|for|every|late|too|so|in|with|because|really|alone|together|online|"
            r"abroad|there|here|now|tonight|today|tomorrow|again|more|less|much|like|and|but|when|while|"
            r"until|till|to|the|my|it|this|that)\b)([a-z][a-z \-]{2,30})",
            re.IGNORECASE,
        ),
    ),
]
_PET_RULE = re.compile(
    rf"\b(?:my|i have an?) ({_alt(_PETS)})('s name is| is called| is named|,? called|,? named|,?) {_NAME}\b",
    re.IGNORECASE,
)
_PERSON_RULE = re.compile(
    rf"\bmy ({_alt(_PEOPLE)})('s name is| is called| is named|,? called|,? named|,?) {_NAME}\b",
    re.IGNORECASE,
)
"""Without a connecting word ("my dog Max", "my sister, Anna") the name must be written with a capital:
"my dog died" and "my mom yelled at me" are not names."""
_WHEN = (
    r"(today|tonight|tomorrow|the day after tomorrow|this weekend|next week|this week|"
    r"(?:on |this |next )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|in (\d{1,2}|two|three|four|five|six|seven) days)"
)
_EVENT_RULE = re.compile(
    rf"\b(?:i have|i've got|ive got|i got|i'll have|there's|my) (?:an? |my |the |this )?(?:[a-z]+ ){{0,2}}"
    rf"({_alt(_EVENTS)})(?: is| are)? {_WHEN}\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


@dataclass(frozen=True)
class Fact:
    kind: str
    """name, pronouns, age, home, work, study, pet:<animal>, person:<relation>, event:<what>."""
    value: str
    day: str | None = None
    """For events: the ISO date it falls on."""


def _clean_name(raw: str) -> str | None:
    words = raw.strip(" '-").split()
    if len(words) > 1 and not words[1][:1].isupper():
        words = words[:1]
    while words and words[-1].lower() in _NOT_A_NAME:
        words.pop()
    if not words or words[0].lower() in _NOT_A_NAME or " ".join(words).lower() in _NOT_A_NAME:
        return None
    name = " ".join(w[:1].upper() + w[1:] for w in words)
    return name[:MAX_VALUE_CHARS]


def _clean_place(raw: str) -> str | None:
    text = re.split(
        r"\b(?:and|but|with|since|for|now|because|so|where|which|that|who|right|at the)\b", raw, maxsplit=1
    )[0]
    text = text.strip(" .,'-")
    if not text or text.lower() in _NOT_A_PLACE or text.split()[0].lower() in _NOT_A_NAME - {"the"}:
        return None
    return " ".join(w[:1].upper() + w[1:] for w in text.split())[:MAX_VALUE_CHARS]


def _day_of(when: str, said: dt.date, number: str | None) -> dt.date:
    w = when.lower()
    if w in ("today", "tonight"):
        return said
    if w == "tomorrow":
        return said + dt.timedelta(days=1)
    if w == "the day after tomorrow":
        return said + dt.timedelta(days=2)
    if w.startswith("in "):
        n = int(number) if number and number.isdigit() else _NUMBER_WORDS.get(number or "", 1)
        return said + dt.timedelta(days=n)
    if w in ("this week", "this weekend"):
        return said + dt.timedelta(days=(5 - said.weekday()) % 7 if w == "this weekend" else 0)
    if w == "next week":
        return said + dt.timedelta(days=7 - said.weekday())
    day = w.split()[-1]
    target = _WEEKDAYS.index(day)
    ahead = (target - said.weekday()) % 7
    if w.startswith("next ") and ahead == 0:
        ahead = 7
    return said + dt.timedelta(days=ahead)


def extract(text: str, now: float) -> list[Fact]:
    """The facts stated in ``text`` (a message from the person), said at ``now`` (epoch seconds)."""
    said = dt.datetime.fromtimestamp(now).date()
    found: list[Fact] = []
    for sentence in _SENTENCES.findall((text or "").replace("’", "'")[:4000]):
        s = sentence.strip()
        if not s or s.endswith("?") or _SKIP.search(s):
            continue
        negated = bool(_NEGATION.search(s))
        for kind, rule in _RULES:
            m = rule.search(s)
            if m is None or negated:
                continue
            value = next(g for g in m.groups() if g)
            if kind == "name":
                clean = _clean_name(value)
            elif kind == "age":
                clean = value if 5 <= int(value) <= 120 else None
            elif kind == "home":
                clean = _clean_place(value)
            else:
                cut = r"\b(?:and|but|because|so|which|where|today|tonight|now|this|these|lately|rn|atm|though)\b"
                if kind == "study":
                    cut += r"|\b(?:at|in|for)\b"
                clean = re.split(cut, value, maxsplit=1)[0].strip(" .,")
                clean = clean[:MAX_VALUE_CHARS] or None
            if clean:
                found.append(Fact(kind, clean))
        if negated:
            continue
        for rule, prefix in ((_PET_RULE, "pet"), (_PERSON_RULE, "person")):
            for m in rule.finditer(s):
                who, joined, name = m.group(1), m.group(2), m.group(3)
                if not joined.strip(" ,") and not name[:1].isupper():
                    continue
                clean = _clean_name(name)
                if clean:
                    found.append(Fact(f"{prefix}:{who.lower()}", clean))
        for m in _EVENT_RULE.finditer(s):
            what = m.group(1).lower()
            day = _day_of(m.group(2), said, m.group(3))
            found.append(Fact(f"event:{what}", what, day.isoformat()))
        found += [f for f in _extract_in(s, said) if all(f.kind != g.kind for g in found)]
    return found


def merge(stored: Mapping[str, Any] | None, new: list[Fact], now: float) -> dict[str, Any]:
    """``stored`` (the ``prefs["facts"]`` entry) updated with ``new``: the newest of each kind wins, at
    most ``MAX_FACTS`` kept (the most recently said)."""
    out: dict[str, Any] = {k: dict(v) for k, v in (stored or {}).items() if isinstance(v, Mapping)}
    for fact in new:
        entry: dict[str, Any] = {"value": fact.value, "said": round(now, 3)}
        if fact.day:
            entry["day"] = fact.day
        out.pop(fact.kind, None)
        out[fact.kind] = entry
    if len(out) > MAX_FACTS:
        keep = sorted(out.items(), key=lambda kv: float(kv[1].get("said", 0)))[-MAX_FACTS:]
        out = dict(keep)
    return out


def prune(stored: Mapping[str, Any] | None, cutoff: float) -> dict[str, Any]:
    """``stored`` without the facts said before ``cutoff`` (epoch seconds): memory.retention_days."""
    return {
        k: dict(v)
        for k, v in (stored or {}).items()
        if isinstance(v, Mapping) and float(v.get("said", 0) or 0) >= cutoff
    }


def current(stored: Mapping[str, Any] | None, now: float, retention_days: float = 0) -> dict[str, Any]:
    """The facts still to use: within ``memory.retention_days`` of being said (0 = no limit), and events
    no more than ``EVENT_KEEP_DAYS`` past their day."""
    today = dt.datetime.fromtimestamp(now).date()
    out: dict[str, Any] = {}
    for kind, entry in (stored or {}).items():
        if not isinstance(entry, Mapping) or not isinstance(entry.get("value"), str):
            continue
        said = float(entry.get("said", 0) or 0)
        if retention_days and said < now - retention_days * 86400:
            continue
        day = entry.get("day")
        if day:
            try:
                if (today - dt.date.fromisoformat(str(day))).days > EVENT_KEEP_DAYS:
                    continue
            except ValueError:
                continue
        out[kind] = dict(entry)
    return out


def _when(day: str, today: dt.date) -> str:
    d = dt.date.fromisoformat(day)
    delta = (d - today).days
    label = f"{d.strftime('%A')} {d.day} {d.strftime('%B')}"
    if delta == 0:
        return f"today ({label})"
    if delta == 1:
        return f"tomorrow ({label})"
    if delta == -1:
        return f"yesterday ({label})"
    return f"on {label}"


def _phrases(facts: Mapping[str, Any], now: float, *, you: bool) -> list[str]:
    """Each fact as a short clause, about "you" (answers) or "they" (the system prompt)."""
    today = dt.datetime.fromtimestamp(now).date()
    subj, poss = ("you", "your") if you else ("they", "their")
    out: list[str] = []
    order = sorted(facts.items(), key=lambda kv: _ORDER.get(kv[0].split(":")[0], 9))
    for kind, entry in order:
        v = entry["value"]
        base, _, sub = kind.partition(":")
        if base == "work" and not v.lower().startswith(("as ", "at ")):
            out.append(f"{subj} are {_a(v)} {v}")
        elif base in _SAID:
            out.append(_SAID[base].format(subj=subj, poss=poss, sub=sub, v=v))
        elif base == "event" and entry.get("day"):
            d = dt.date.fromisoformat(entry["day"])
            past = d < today
            verb = "had" if past else "have"
            out.append(f"{subj} {verb} {_a(v)} {v} {_when(entry['day'], today)}")
    return out


_SAID = {
    "name": "{poss} name is {v}",
    "pronouns": "{poss} pronouns are {v}",
    "age": "{subj} are {v}",
    "home": "{subj} live in {v}",
    "work": "{subj} work {v}",
    "study": "{subj} study {v}",
    "pet": "{subj} have a {sub} called {v}",
    "person": "{poss} {sub} is called {v}",
}
"""How each kind of fact is said, about "you" (answers) or "they" (the system prompt)."""


def _a(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


_ORDER = {
    "name": 0,
    "pronouns": 1,
    "age": 2,
    "home": 3,
    "work": 4,
    "study": 5,
    "person": 6,
    "pet": 7,
    "event": 8,
}


def render(facts: Mapping[str, Any], now: float) -> str:
    """One sentence for the end of the system prompt ("" when there is nothing to remember)."""
    parts = _phrases(facts, now, you=False)
    if not parts:
        return ""
    return (
        "What you remember about the person you are talking with, from earlier (use it when it helps, "
        "and never say things about them that are not here): " + "; ".join(parts) + "."
    )


_ASKS_NAME = re.compile(
    r"\b(?:whats|what is|do you (?:know|remember)|can you remember|did i tell you|you remember|"
    r"remember) my name\b"
)
_ASKS_NAME_IN = {
    "es": re.compile(
        r"\b(?:como me llamo|cual es mi nombre|(?:sabes|recuerdas|te acuerdas de) (?:como me llamo|mi nombre))\b"
    ),
    "fr": re.compile(
        r"\b(?:comment je mappelle|comment est ce que je mappelle|quel est mon nom|tu (?:te souviens de|connais) mon nom)\b"
    ),
    "de": re.compile(
        r"\b(?:wie heisse ich|wie ist mein name|(?:weisst|kennst) du (?:noch )?(?:meinen namen|wie ich heisse))\b"
    ),
    "it": re.compile(
        r"\b(?:come mi chiamo|qual e il mio nome|(?:ricordi|sai) (?:come mi chiamo|il mio nome))\b"
    ),
    "pt": re.compile(
        r"\b(?:como (?:eu )?me chamo|qual (?:e )?o meu nome|qual e meu nome|(?:lembra|sabe) (?:do )?(?:meu nome|como me chamo))\b"
    ),
}
""""What's my name?" in the languages whose way of saying one's name ``extract`` knows."""
_NAME_ANSWERS = {
    "en": (
        "You told me your name is {name}.",
        "You haven't told me your name yet. What would you like me to call you?",
    ),
    "es": (
        "Me dijiste que te llamas {name}.",
        "Todavía no me has dicho tu nombre. ¿Cómo quieres que te llame?",
    ),
    "fr": (
        "Tu m'as dit que tu t'appelles {name}.",
        "Tu ne m'as pas encore dit ton nom. Comment veux-tu que je t'appelle ?",
    ),
    "de": (
        "Du hast mir gesagt, dass du {name} heißt.",
        "Du hast mir deinen Namen noch nicht gesagt. Wie soll ich dich nennen?",
    ),
    "it": (
        "Mi hai detto che ti chiami {name}.",
        "Non mi hai ancora detto il tuo nome. Come vuoi che ti chiami?",
    ),
    "pt": (
        "Você me disse que se chama {name}.",
        "Você ainda não me disse seu nome. Como quer que eu te chame?",
    ),
}
_ASKS_ALL = re.compile(
    r"\bwhat (?:do|did) you (?:know|remember|store|keep|have) (?:about|on|of) me\b"
    r"|\bwhat have you (?:stored|saved|kept|remembered) about me\b|\bdo you remember (?:anything about )?me\b"
)


_ASKS_ONE = re.compile(
    rf"\b(?:whats|what is|do you (?:know|remember)|remember|you remember|did i tell you) (?:the name of )?"
    rf"my ({_alt(_PETS + _PEOPLE)})s? (?:name|called|is called|named|is named)\b"
    rf"|\bwhen(?: is|s) my ({_alt(_EVENTS)})\b"
    r"|\b(how old am i)\b|\b(where do i live)\b"
)


def recall_question(text: str) -> str | None:
    """What a short question asks to recall: "name" ("what's my name?"; "name:es" for "¿cómo me llamo?"
    and the like in fr, de, it, pt), "all" ("what do you remember
    about me?"), or one fact kind ("what's my dog called?" -> "pet:dog", "when is my exam?" ->
    "event:exam", "how old am i?" -> "age"); in Spanish, French, German, Portuguese and Italian the
    same with the language after "@" ("¿cómo se llama mi perro?" -> "pet:dog@es", "was weißt du über
    mich?" -> "all@de"); None otherwise. Only short messages that are the question itself, so a long
    message that mentions one goes to the model."""
    t = fold(text)
    if len(t) > 80:
        return None
    if _ASKS_ALL.search(t):
        return "all"
    for lang, asks in _ASKS_NAME_IN.items():
        if asks.search(t):
            return f"name:{lang}"
    if not (
        "?" in text or t.startswith(("what", "do you", "who", "can you", "did i", "when", "how", "where"))
    ):
        return _recall_in(text, t)
    if _ASKS_NAME.search(t):
        return "name"
    m = _ASKS_ONE.search(t)
    if m is None:
        return _recall_in(text, t)
    if m.group(1):
        who = m.group(1)
        return f"{'pet' if who in _PETS else 'person'}:{who}"
    if m.group(2):
        return f"event:{m.group(2)}"
    return "age" if m.group(3) else "home"


def answer_recall(question: str, facts: Mapping[str, Any], now: float, *, remembering: bool) -> str:
    """A truthful answer from the stored facts, never a guess (in the question's language: see
    ``recall_question``)."""
    lang = question[5:] if question.startswith("name:") else question.partition("@")[2]
    if lang in _TEXTS:
        asked = "name" if question.startswith("name:") else question.partition("@")[0]
        return _answer_in(lang, asked, facts, now, remembering=remembering)
    if not remembering:
        return (
            "I'm not remembering our conversations right now (/memory off), so I don't keep anything "
            "about you. /memory on turns memory back on."
        )
    if question == "name" or question.startswith("name:"):
        known, unknown = _NAME_ANSWERS[question.partition(":")[2] or "en"]
        name = facts.get("name", {}).get("value")
        return known.format(name=name) if name else unknown
    if question != "all":
        known = {k: v for k, v in facts.items() if k == question}
        if not known and question.startswith("event:"):  # "when is my exam?" also finds "event:final exam"
            what = question.partition(":")[2]
            known = {k: v for k, v in facts.items() if k.startswith("event:") and what in k}
        said = _phrases(known, now, you=True)
        if said:
            return f"You told me {said[0]}."
        return "You haven't told me that yet."
    parts = _phrases(facts, now, you=True)
    if not parts:
        return (
            "Besides our recent messages, nothing yet: I remember a few things people tell me, like "
            "their name or an exam coming up, when they mention them. /export shows everything stored, "
            "/forget deletes it."
        )
    listed = "\n".join(f"- {p[:1].upper()}{p[1:]}" for p in parts)
    return (
        f"Besides our recent messages, here's what I remember about you:\n{listed}\n"
        "/export shows everything stored about you, /forget deletes it, /reset clears our conversation "
        "and these notes."
    )


# ------------------------------------------------------------------------------------------------------
# Spanish, French, German, Portuguese and Italian.
#
# The same facts, stored under the same (English) kinds, so the system prompt (English) reads them like
# any other: "mi perro se llama Max" is ``pet:dog`` = Max, "j'ai un examen vendredi" is ``event:exam``
# on the coming Friday; work is kept as "as <what they wrote>" or "at <where>". The rules read an
# accent-free copy of each sentence letter for letter (``_plain``), so "Prüfung", "Prufung" and
# "Pruefung", "mañana" and "manana" all match, and a value is cut from the original text.
# Questions about them ("¿cómo se llama mi perro?") are answered in the question's language.
# ------------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def _plain_char(c: str) -> str:
    d = unicodedata.normalize("NFD", c)
    if len(d) > 1 and d[0].isascii() and all(unicodedata.combining(x) for x in d[1:]):
        return d[0]
    return c


def _plain(text: str) -> str:
    """``text`` without accents, one character for one (a match's span in it is its span in ``text``)."""
    return text if text.isascii() else "".join(_plain_char(c) for c in text)


def _key(word: str) -> str:
    """The form a word is looked up by: folded (no accents, apostrophes or hyphens), umlauts as vowels."""
    k = fold(word)
    for two, one in (("ae", "a"), ("oe", "o"), ("ue", "u"), ("œ", "o")):
        k = k.replace(two, one)
    return k


def _w(word: str) -> str:
    """A regex for ``word`` in ``_plain`` text: "ü" also as "ue", "ß" as "ss", "-" or "'" optional."""
    out = []
    for c in word.lower():
        if c in "äöü":
            base = _plain_char(c)
            out.append(f"(?:{base}e|{base})")
        elif c == "ß":
            out.append("(?:ß|ss)")
        elif c == "œ":
            out.append("(?:œ|oe)")
        elif c in " -":
            out.append(r"[ \-]?")
        elif c == "'":
            out.append("'? ?")
        elif c == "*":
            out.append("[a-zß]*")
        else:
            out.append(re.escape(_plain_char(c)))
    return "".join(out)


def _alt_w(words: Mapping[str, Any]) -> str:
    """An alternation of ``words``, longest first (a ``*`` prefix, "any compound", comes last)."""
    order = sorted(words, key=lambda w: (w.startswith("*"), -len(w)))
    return "|".join(_w(w) for w in order)


class _Words:
    """Words of one language mapped to English kinds, looked up as ``_key`` finds them. A word that two
    kinds share once folded (Portuguese "avó"/"avô") is decided by the word before it (feminine/masculine)."""

    FEMININE = frozenset({"minha", "a", "uma", "da", "na", "ma", "mia", "la", "una", "meine"})

    def __init__(self, words: Mapping[str, str]) -> None:
        self.words = dict(words)
        self.pattern = _alt_w(words)
        self.exact = {w.lower(): k for w, k in words.items() if not w.startswith("*")}
        self.folded: dict[str, str | tuple[str, str]] = {}
        for w, k in words.items():
            if w.startswith("*"):
                continue
            f = _key(w)
            old = self.folded.get(f)
            if old is None or old == k:
                self.folded[f] = k
            elif isinstance(old, str):  # two kinds for one folded word: feminine form first
                fem = w if w.lower().endswith(("ó", "a", "e")) else next(x for x in words if _key(x) == f)
                self.folded[f] = (words[fem], k if words[fem] != k else old)
        self.compounds = [(_key(w[1:]), k) for w, k in words.items() if w.startswith("*")]

    def kind(self, found: str, before: str = "") -> str | None:
        if found.lower() in self.exact:
            return self.exact[found.lower()]
        k = _key(found)
        got = self.folded.get(k)
        if isinstance(got, tuple):
            return got[0] if before.lower() in self.FEMININE else got[1]
        if got is not None:
            return got
        return next((kind for suffix, kind in self.compounds if k.endswith(suffix)), None)


@dataclass(frozen=True)
class _Lang:
    """The rules of one language (all read ``_plain`` text, case-insensitively)."""

    code: str
    pets: _Words
    people: _Words
    events: _Words
    skip: re.Pattern[str]
    """Hypotheticals, wishes, someone else's words: no fact from the sentence."""
    negation: re.Pattern[str]
    past: re.Pattern[str]
    """Past tense or "last Friday": no upcoming event from the sentence."""
    rules: tuple[tuple[str, re.Pattern[str], str], ...]
    """(kind, pattern, check): kind is rel, home, work_as, work_at, study, age or event; check is "" or
    "cap" (the value must be written with a capital) or "occ" (the value must look like an occupation)."""
    when: tuple[tuple[re.Pattern[str], str], ...]
    """How a matched time expression resolves, first that matches: today, tomorrow, after, weekend,
    week, next_week, days (group 1 a number), or weekday:<0-6>."""
    next_word: re.Pattern[str]
    numbers: Mapping[str, int]
    cut: re.Pattern[str]
    """Words a value stops at ("Sevilla y trabajo..." -> "Sevilla")."""
    not_a_place: frozenset[str]
    article: frozenset[str]
    article_then_capital: bool
    """"La Paz", "Le Havre": a place may start with an article when a capital follows."""
    occupations: re.Pattern[str]


_NAME_STOP = frozenset(
    "como igual asi que el la los las un una mi tu su muy no si tambien y pero porque raro bien mal se es esta "
    "era ya hoy comme pareil pas le les une mon ma ton et mais aussi tres est il elle bien trop wie so auch "
    "nicht der die das ein eine mein und aber sehr genauso komisch anders ist hat war heute jetzt schon noch "
    "o a os as um uma meu minha e mas muito nao ja come uguale cosi che lo mio mia ma anche molto non gia "
    "oggi ieri de del di da do du des en em in im am an al au".split()
)
"""Words after "se llama", "s'appelle", "heißt"... that are not names."""
_VALUE_STOP = _NAME_STOP | frozenset(
    "mucho poco para todos todo todas toda por con cada manana ahora bastante sola solo demasiado tarde online "
    "fuera duro hasta desde sin cuando mientras nada algo mas menos tanto siempre nunca casi sobre lo ahi aqui "
    "alli normal diario juntos juntas noche dia beaucoup pour dur tout toute toutes tous avec chez ce cet "
    "cette demain ici seul seule peu encore toujours jamais tot depuis dans sur sans pendant quand ou parce car "
    "donc plus moins nuit soir matin gerade jetzt seit viel hart zu fur auf bis den dem nur lieber gern gerne "
    "immer fern allein nebenbei vollzeit teilzeit fleissig bald wieder dort hier mit mal pouco pra hoje "
    "bastante sozinho sozinha demais fora ate sem enquanto tanto diariamente cedo tambem la sempre nunca per "
    "tanto molto sempre al alla all con ogni tutto tutti tutta tutte stasera domani adesso ora insieme bene "
    "male troppo sodo ancora qui li notte giorno".split()
)
"""Words that start no job or subject ("estudio mucho", "j'étudie pour...", "ich studiere gerade...")."""
_WORK_STOP = frozenset(
    "loco loca locos locas esclavo esclava burro mula bestia perro negro cabron fou folle dingue malade "
    "chien esclave acharne forcat verruckt bloder irrer sklave tier louco louca escravo escrava condenado "
    "cao cachorro matto matta pazzo pazza schiavo schiava mulo cane".split()
)
_AGE_END = r"(?= *(?:[.!,;)]|$|(?:y|e|et|und|pero|mais|aber|mas|ma|and)\b))"
_WORDS_V = r"(?P<v>[a-zñß][a-zñß'\-]*(?: [a-zñß][a-zñß'\-]*){0,3})"
_ORG_V = r"(?P<v>[a-z0-9ñß][a-z0-9ñß&'.\-]*(?: [a-z0-9ñß&][a-z0-9ñß&'.\-]*){0,3})"
_NAME_V = f"(?P<v>{_NAME})"
_PLACE_V = r"(?P<v>[a-zñß][a-zñß'.\-]{1,25}(?: [a-zñß][a-zñß'.\-]{1,25}){0,3})"
"""Up to four words ("la Ciudad de México"), cut where the place ends (``_Lang.cut``)."""


def _lang(
    code: str,
    *,
    pets: Mapping[str, str],
    people: Mapping[str, str],
    events: Mapping[str, str],
    skip: str,
    negation: str,
    past: str,
    ctx: str,
    rel: list[tuple[str, str]],
    home: list[tuple[str, str]],
    work: list[tuple[str, str, str]],
    study: list[str],
    age: str,
    event_have: str,
    event_have_after: str,
    event_poss: str,
    event_cop: str,
    art: str,
    adj: str,
    compl: str,
    when: str,
    when_kinds: list[tuple[str, str]],
    next_word: str,
    numbers: Mapping[str, int],
    cut: str,
    not_a_place: str,
    article: str,
    article_then_capital: bool,
    occupations: list[str],
    occupation_suffixes: str,
) -> _Lang:
    """Builds a language's rules from its words and the parts of its sentences (see the calls below)."""
    pet_w, people_w, event_w = _Words(pets), _Words(people), _Words(events)
    ctx_re = rf"(?:^|[,;:] ?|\b(?:{ctx}) )"
    rel_alt = f"{pet_w.pattern}|{people_w.pattern}"
    occ_alt = _alt_w(dict.fromkeys(occupations, ""))
    subs = {
        "CTX": ctx_re,
        "REL": f"(?P<rel>{rel_alt})",
        "NAME": _NAME_V,
        "PLACE": _PLACE_V,
        "WORDS": _WORDS_V,
        "ORG": _ORG_V,
        "OCC": occ_alt,
    }

    def build(template: str) -> re.Pattern[str]:
        for k, v in subs.items():
            template = template.replace("{" + k + "}", v)
        return re.compile(template, re.IGNORECASE)

    ev = f"(?P<ev>{event_w.pattern})"
    rules: list[tuple[str, re.Pattern[str], str]] = []
    rules += [("rel", build(t), check) for t, check in rel]
    rules += [("home", build(t), check) for t, check in home]
    rules += [(kind, build(t), check) for kind, t, check in work]
    rules += [("study", build(t), "") for t in study]
    rules.append(("age", build(age), ""))
    rules += [
        (
            "event",
            re.compile(
                rf"\b{event_have} (?:(?P<w1>{when}) )?{art}{adj}{ev}{compl}(?: (?P<w2>{when}))?(?![a-zß])",
                re.IGNORECASE,
            ),
            "",
        ),
        (
            "event",
            re.compile(rf"(?:^|{ctx_re})(?P<w1>{when}),? {event_have_after} {art}{adj}{ev}(?![a-zß])", re.I),
            "",
        ),
        (
            "event",
            re.compile(rf"\b{event_poss} {adj}{ev}{compl}{event_cop} (?P<w2>{when})(?![a-zß])", re.I),
            "",
        ),
    ]
    return _Lang(
        code=code,
        pets=pet_w,
        people=people_w,
        events=event_w,
        skip=re.compile(rf"\b(?:{skip})\b", re.IGNORECASE),
        negation=re.compile(rf"(?:\b(?:{negation})\b)", re.IGNORECASE),
        past=re.compile(rf"\b(?:{past})\b", re.IGNORECASE),
        rules=tuple(rules),
        when=tuple((re.compile(p, re.IGNORECASE), k) for p, k in when_kinds),
        next_word=re.compile(next_word, re.IGNORECASE),
        numbers=numbers,
        cut=re.compile(rf"\s(?:{cut})\b|[,;:()]", re.IGNORECASE),
        not_a_place=frozenset(not_a_place.split()),
        article=frozenset(article.split()),
        article_then_capital=article_then_capital,
        occupations=re.compile(rf"(?:{occ_alt})$|[a-zß]{{2,}}(?:{occupation_suffixes})$", re.IGNORECASE),
    )


def _weekdays(names: list[str]) -> list[tuple[str, str]]:
    return [(rf"\b(?:{n})\b", f"weekday:{i}") for i, n in enumerate(names)]


# The word lists stay a few to a line, as written.
# fmt: off
_ES = _lang(
    "es",
    pets={
        "perro": "dog", "perra": "dog", "perrito": "dog", "perrita": "dog", "cachorro": "puppy",
        "cachorra": "puppy", "gato": "cat", "gata": "cat", "gatito": "kitten", "gatita": "kitten",
        "conejo": "rabbit", "coneja": "rabbit", "conejito": "bunny", "conejita": "bunny",
        "hámster": "hamster", "cobaya": "guinea pig", "cuyo": "guinea pig", "loro": "parrot",
        "cotorra": "parrot", "pájaro": "bird", "pajarito": "bird", "periquito": "budgie",
        "caballo": "horse", "yegua": "horse", "pez": "fish", "pececito": "fish", "tortuga": "turtle",
        "serpiente": "snake", "culebra": "snake", "lagarto": "lizard", "lagartija": "lizard",
        "gecko": "gecko", "hurón": "ferret", "rata": "rat",
    },
    people={
        "madre": "mom", "mamá": "mom", "mami": "mom", "padre": "dad", "papá": "dad", "papi": "dad",
        "hermana": "sister", "hermano": "brother", "esposa": "wife", "mujer": "wife", "esposo": "husband",
        "marido": "husband", "novia": "girlfriend", "novio": "boyfriend", "hijo": "son", "hija": "daughter",
        "abuela": "grandma", "abuelo": "grandpa", "tía": "aunt", "tío": "uncle", "pareja": "partner",
    },
    events={
        "examen de conducir": "driving test", "examen de manejo": "driving test",
        "examen del carnet": "driving test", "práctico del carnet": "driving test",
        "teórico del carnet": "driving test", "examen final": "final", "exámenes finales": "finals",
        "finales": "finals", "selectividad": "exam", "ebau": "exam", "evau": "exam", "examen": "exam",
        "exámenes": "exam", "parcial": "exam", "parciales": "exam", "prueba": "test",
        "entrevista de trabajo": "job interview", "entrevista": "interview", "primera cita": "first date",
        "cita con el médico": "doctor's appointment", "cita médica": "doctor's appointment",
        "médico": "doctor's appointment", "cita": "appointment", "operación": "surgery",
        "cirugía": "surgery", "presentación": "presentation", "exposición": "presentation",
        "audición": "audition", "casting": "audition", "recital": "recital", "concierto": "concert",
        "partido": "match", "entrega": "deadline", "boda": "wedding", "cumpleaños": "birthday",
        "cumple": "birthday", "graduación": "graduation", "juicio": "court date",
        "sesión de terapia": "therapy session", "terapia": "therapy session",
        "psicólogo": "therapy session", "psicóloga": "therapy session", "primer día": "first day",
        "reunión": "meeting", "competición": "competition", "torneo": "competition", "viaje": "trip",
        "vuelo": "flight", "mudanza": "move",
    },
    skip=r"si|ojala|imagina|imaginate|imaginemos|supongamos|suponiendo|sone|dijo|dice que|decia|dijeron|"
    r"pregunto|pregunta|piensa que|pensaba|cree que|creia|finge|fingir|fingia|mintio|tuviera|tuviese|"
    r"viviera|viviese|fuera|fuese|quisiera|gustaria|solia|como si",
    negation=r"no|nunca|jamas|tampoco|ni|ningun|ninguna|ninguno|nadie",
    past=r"pasado|pasada|tuve|tenia|fue|era|hice|ayer|anteayer|suspendi|aprobe",
    ctx=r"yo|ahora|actualmente|tambien|y|e|pues|bueno|todavia|aun|hoy|ya|hola",
    rel=[
        (r"\bmis? {REL},? se llama {NAME}", ""),
        (r"\bel nombre de mi {REL} es {NAME}", ""),
        (r"\btengo (?:un|una) {REL},? (?:que se llama|llamad[oa]|de nombre) {NAME}", ""),
        (r"\bmi {REL},? {NAME}", "cap"),
    ],
    home=[(r"(?:^|{CTX})(?:yo )?(?:vivo|resido)(?: ahora| actualmente)? en {PLACE}", "")],
    work=[
        ("work_as", r"(?:^|{CTX})(?:yo )?trabajo(?: ahora| actualmente)? (?:como|de) {WORDS}", "occ"),
        ("work_at", r"(?:^|{CTX})(?:yo )?trabajo(?: ahora| actualmente)? en {ORG}", "cap"),
        ("work_as", r"\bsoy (?:un |una )?(?P<v>(?:{OCC})(?: de (?!(?:la|el|los|las|un|una|mi|su)\b)[a-zñ]+)?)\b", ""),
    ],
    study=[
        r"\bsoy (?:estudiante|alumn[oa]|universitari[oa]) de {WORDS}",
        r"(?:^|{CTX})(?:yo )?(?:estudio|estoy estudiando) {WORDS}",
    ],
    age=r"\b(?:yo )?tengo (?P<v>\d{1,3}) (?:anos|anitos)" + _AGE_END,
    event_have=r"(?:yo )?(?:tengo|tendre|voy a tener)",
    event_have_after=r"(?:yo )?(?:tengo|tendre|voy a tener)",
    event_poss=r"(?:mi|mis)",
    event_cop=r" (?:es|son|sera|seran)",
    art=r"(?:(?:un|una|el|la|los|las|mi|mis|unos|unas) )?",
    adj=r"(?:(?:gran|primer|primera|ultimo|ultima|importante|otro|otra) )?",
    compl=r"(?: (?:de|del) (?!(?:la|el|los|las|un|una|mi|mis|su|sus|manana|hoy)\b)[a-zñ]+"
    r"| (?:final|finales|oral|escrito|importante|parcial))?",
    when=r"(?:hoy|esta noche|esta tarde|esta manana|pasado manana|(?<!la )(?<!esta )manana|"
    r"este fin de semana|el fin de semana|la semana que viene|la proxima semana|la semana proxima|"
    r"(?:el |este )?(?:proximo )?(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo)(?: que viene| proximo)?"
    r"(?! pasado)|(?:en|dentro de) (?:\d{1,2}|dos|tres|cuatro|cinco|seis|siete) dias)",
    when_kinds=[
        (r"(\d+|dos|tres|cuatro|cinco|seis|siete) dias", "days"),
        (r"^pasado manana$", "after"),
        (r"^(?:hoy|esta noche|esta tarde|esta manana)$", "today"),
        (r"^manana$", "tomorrow"),
        (r"fin de semana", "weekend"),
        (r"semana", "next_week"),
        *_weekdays(["lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo"]),
    ],
    next_word=r"proximo|que viene",
    numbers={"dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7},
    cut=r"y|e|pero|porque|con|desde|hace|que|donde|cerca|ahora|para|por|en|a|al|hasta|sin|aunque|pues|o",
    not_a_place="paz casa soledad miedo tension pareja otro otra otros constante silencio infierno pena "
    "ansiedad calle campo piso apartamento departamento familia mundo cama deuda deudas guerra crisis bucle "
    "negacion duelo alquiler residencia centro pueblo ciudad barrio afueras estado modo plan serio realidad "
    "dolor angustia panico casa compartida",
    article="el la los las un una unos unas mi mis tu su sus este esta ese esa aquel todo toda cada algun "
    "alguna ningun medio plena pleno lo",
    article_then_capital=True,
    occupations=[
        "enfermero", "enfermera", "profesor", "profesora", "maestro", "maestra", "médico", "médica",
        "doctor", "doctora", "programador", "programadora", "desarrollador", "desarrolladora", "ingeniero",
        "ingeniera", "diseñador", "diseñadora", "artista", "escritor", "escritora", "músico", "música",
        "cajero", "cajera", "cocinero", "cocinera", "chef", "camarero", "camarera", "mesero", "mesera",
        "mecánico", "mecánica", "electricista", "fontanero", "fontanera", "plomero", "carpintero",
        "conductor", "conductora", "abogado", "abogada", "contable", "contador", "contadora",
        "farmacéutico", "farmacéutica", "paramédico", "bombero", "bombera", "policía", "soldado",
        "agricultor", "agricultora", "científico", "científica", "investigador", "investigadora",
        "fotógrafo", "fotógrafa", "trabajador social", "trabajadora social", "cuidador", "cuidadora",
        "limpiador", "limpiadora", "bibliotecario", "bibliotecaria", "veterinario", "veterinaria",
        "dentista", "psicólogo", "psicóloga", "terapeuta", "traductor", "traductora", "periodista",
        "piloto", "azafata", "peluquero", "peluquera", "barbero", "dependiente", "dependienta",
        "vendedor", "vendedora", "recepcionista", "administrativo", "administrativa", "funcionario",
        "funcionaria", "arquitecto", "arquitecta", "fisioterapeuta", "informático", "informática",
        "repartidor", "repartidora", "camionero", "taxista", "panadero", "panadera", "albañil",
        "secretario", "secretaria", "educador", "educadora", "entrenador", "entrenadora", "autónomo",
        "autónoma", "auxiliar de enfermería", "teleoperador", "teleoperadora", "socorrista", "niñera",
    ],
    occupation_suffixes=r"ero|era|ista|dor|dora|tor|tora|ente|enta|logo|loga|ario|aria|eta|ico|ica",
)

_FR = _lang(
    "fr",
    pets={
        "chien": "dog", "chienne": "dog", "chiot": "puppy", "chat": "cat", "chatte": "cat",
        "chaton": "kitten", "lapin": "rabbit", "lapine": "rabbit", "hamster": "hamster",
        "cochon d'Inde": "guinea pig", "perroquet": "parrot", "oiseau": "bird", "perruche": "budgie",
        "cheval": "horse", "jument": "horse", "poney": "horse", "poisson": "fish", "tortue": "turtle",
        "serpent": "snake", "lézard": "lizard", "gecko": "gecko", "furet": "ferret", "rat": "rat",
    },
    people={
        "mère": "mom", "maman": "mom", "père": "dad", "papa": "dad", "sœur": "sister", "frère": "brother",
        "femme": "wife", "mari": "husband", "petite amie": "girlfriend", "petit ami": "boyfriend",
        "fils": "son", "fille": "daughter", "grand-mère": "grandma", "mamie": "grandma", "mémé": "grandma",
        "grand-père": "grandpa", "papi": "grandpa", "papy": "grandpa", "pépé": "grandpa", "tante": "aunt",
        "oncle": "uncle",
    },
    events={
        "examen du permis": "driving test", "permis de conduire": "driving test", "permis": "driving test",
        "code de la route": "driving test", "examen final": "final", "examens finaux": "finals",
        "partiels": "exam", "partiel": "exam", "bac": "exam", "brevet": "exam", "examen": "exam",
        "examens": "exam", "exam": "exam", "exams": "exam", "oral": "exam", "contrôle": "test",
        "interro": "test", "test": "test", "entretien d'embauche": "job interview", "entretien": "interview",
        "premier rendez-vous": "first date", "premier rdv": "first date",
        "rendez-vous chez le médecin": "doctor's appointment", "rdv chez le médecin": "doctor's appointment",
        "médecin": "doctor's appointment", "rendez-vous": "appointment", "rdv": "appointment",
        "opération": "surgery", "chirurgie": "surgery", "présentation": "presentation",
        "exposé": "presentation", "audition": "audition", "casting": "audition", "récital": "recital",
        "concert": "concert", "match": "match", "date limite": "deadline", "rendu": "deadline",
        "mariage": "wedding", "anniversaire": "birthday", "remise des diplômes": "graduation",
        "remise de diplômes": "graduation", "audience": "hearing", "procès": "court date",
        "séance de thérapie": "therapy session", "thérapie": "therapy session", "psy": "therapy session",
        "premier jour": "first day", "réunion": "meeting", "compétition": "competition",
        "tournoi": "competition", "concours": "competition", "voyage": "trip", "vol": "flight",
        "déménagement": "move",
    },
    skip=r"si|s'il|s'ils|imagine|imaginons|imaginez|supposons|suppose|reve|revais|dit|disait|dis|demande|"
    r"demandait|pense que|pensait|croit|croyait|semblant|j'aimerais|aimerais|voudrais|souhaite|aurais|serais",
    negation=r"ne|n'|pas|jamais|plus|aucun|aucune|rien",
    past=r"ai passe|as passe|eu|dernier|derniere|hier|avais|etait|rate|reussi|foire|loupe",
    ctx=r"et|moi|maintenant|actuellement|aussi|alors|bon|sinon|perso|bref|salut",
    rel=[
        (r"\b(?:mon|ma) {REL},? (?:(?:il|elle) )?s'?appelle {NAME}", ""),
        (r"\ble (?:nom|prenom) de (?:mon|ma) {REL},? (?:c'?est|est) {NAME}", ""),
        (r"\bj'?ai (?:un|une) {REL},? (?:qui s'?appelle|qui se nomme|nommee?|appelee?) {NAME}", ""),
        (r"\b(?:mon|ma) {REL},? {NAME}", "cap"),
    ],
    home=[
        (r"\b(?:j'?habite|je reside|je demeure)(?: actuellement| maintenant)? (?:a|en|au|aux) {PLACE}", ""),
        (r"\bj'?habite {PLACE}", "cap"),
        (r"\bje vis(?: actuellement| maintenant)? (?:a|en|au|aux) {PLACE}", "cap"),
    ],
    work=[
        ("work_as", r"\bje travaille(?: actuellement| maintenant)? (?:comme|en tant que) {WORDS}", "occ"),
        ("work_at", r"\bje travaille(?: actuellement| maintenant)? (?:chez|pour) {ORG}", "cap"),
        (
            "work_as",
            r"\bje suis (?:un |une )?(?P<v>(?:{OCC})(?: (?:de |d'|en )(?!(?:la|le|les|mon|ma|mes|un|une)\b)[a-z]+)?)\b",
            "",
        ),
    ],
    study=[
        r"\bje suis (?:etudiante?|en (?:fac|licence|master|prepa|bts|dut|but|l1|l2|l3|m1|m2|doctorat|these)) "
        r"(?:en |de |d')(?:la |le |l')?{WORDS}",
        r"\bj'?etudie (?:la |le |les |l')?{WORDS}",
        r"\bje fais (?:des etudes|une licence|un master|un bts|un dut|une formation) (?:de |d'|en ){WORDS}",
    ],
    age=r"\bj'?ai (?P<v>\d{1,3}) ans" + _AGE_END,
    event_have=r"(?:j'?ai|j'?aurai|je vais avoir|je passe|je vais passer)",
    event_have_after=r"(?:j'?ai|j'?aurai|je vais avoir|je passe|je vais passer)",
    event_poss=r"(?:mon|ma|mes)",
    event_cop=r",? (?:c'?est|est|sera|a lieu|aura lieu)",
    art=r"(?:(?:un|une|mon|ma|mes|le|la|les|des) |l'|d')?",
    adj=r"(?:(?:gros|grosse|grand|grande|premier|premiere|important|importante|dernier|derniere) )?",
    compl=r"(?: (?:de |du |d')(?!(?:la|le|les|mon|ma|mes|un|une|demain|ce)\b)[a-z]+)?",
    when=r"(?:aujourd'?hui|ce soir|cet apres-?midi|ce matin|apres-?demain|apres demain|demain|ce week-?end|"
    r"ce we|la semaine prochaine|(?:ce )?(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)(?: prochain)?"
    r"(?! dernier)(?! passe)|dans (?:\d{1,2}|deux|trois|quatre|cinq|six|sept) jours)",
    when_kinds=[
        (r"(\d+|deux|trois|quatre|cinq|six|sept) jours", "days"),
        (r"^apres", "after"),
        (r"^(?:aujourd'?hui|ce soir|cet apres-?midi|ce matin)$", "today"),
        (r"^demain$", "tomorrow"),
        (r"week-?end|^ce we$", "weekend"),
        (r"semaine", "next_week"),
        *_weekdays(["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]),
    ],
    next_word=r"prochain",
    numbers={"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7},
    cut=r"et|mais|avec|depuis|parce|car|ou|qui|que|pres|chez|maintenant|pour|a|au|en|dans|sans|donc|alors",
    not_a_place="paix couple colocation coloc foyer enfer fond cote jour campagne ville banlieue centre "
    "appartement appart maison residence cite studio famille hlm peur galere angoisse silence bulle boucle "
    "etranger moment present passe bout rythme",
    article="le la les l' un une des mon ma mes ce cette plein pleine",
    article_then_capital=True,
    occupations=[
        "infirmier", "infirmière", "professeur", "professeure", "prof", "enseignant", "enseignante",
        "instituteur", "institutrice", "médecin", "docteur", "développeur", "développeuse", "programmeur",
        "programmeuse", "ingénieur", "ingénieure", "designer", "graphiste", "artiste", "écrivain",
        "écrivaine", "musicien", "musicienne", "caissier", "caissière", "cuisinier", "cuisinière", "chef",
        "serveur", "serveuse", "barista", "mécanicien", "mécanicienne", "électricien", "électricienne",
        "plombier", "menuisier", "chauffeur", "avocat", "avocate", "comptable", "pharmacien",
        "pharmacienne", "ambulancier", "ambulancière", "pompier", "policier", "policière", "militaire",
        "soldat", "agriculteur", "agricultrice", "scientifique", "chercheur", "chercheuse", "photographe",
        "assistant social", "assistante sociale", "aide-soignant", "aide-soignante", "auxiliaire de vie",
        "agent d'entretien", "bibliothécaire", "vétérinaire", "dentiste", "psychologue", "thérapeute",
        "traducteur", "traductrice", "journaliste", "pilote", "hôtesse de l'air", "steward", "coiffeur",
        "coiffeuse", "barbier", "vendeur", "vendeuse", "secrétaire", "fonctionnaire", "architecte",
        "kiné", "kinésithérapeute", "éducateur", "éducatrice", "livreur", "livreuse", "boulanger",
        "boulangère", "ouvrier", "ouvrière", "freelance", "auto-entrepreneur", "auto-entrepreneuse",
        "aide à domicile", "sage-femme", "animateur", "animatrice", "nounou",
    ],
    occupation_suffixes=r"ier|iere|eur|euse|rice|iste|ien|ienne|aire|ologue|logue",
)

_DE = _lang(
    "de",
    pets={
        "Hund": "dog", "Hündin": "dog", "Welpe": "puppy", "Welpen": "puppy", "Katze": "cat", "Kater": "cat",
        "Mieze": "cat", "Kätzchen": "kitten", "Häschen": "bunny", "Hase": "rabbit", "Kaninchen": "rabbit",
        "Hamster": "hamster", "Meerschweinchen": "guinea pig", "Papagei": "parrot", "Vogel": "bird",
        "Wellensittich": "budgie", "Pferd": "horse", "Pony": "horse", "Fisch": "fish",
        "Schildkröte": "turtle", "Schlange": "snake", "Eidechse": "lizard", "Gecko": "gecko",
        "Frettchen": "ferret", "Ratte": "rat",
    },
    people={
        "Mutter": "mom", "Mama": "mom", "Mutti": "mom", "Vater": "dad", "Papa": "dad",
        "Schwester": "sister", "Bruder": "brother", "Frau": "wife", "Ehefrau": "wife", "Mann": "husband",
        "Ehemann": "husband", "Sohn": "son", "Tochter": "daughter", "Oma": "grandma",
        "Großmutter": "grandma", "Opa": "grandpa", "Großvater": "grandpa", "Tante": "aunt",
        "Onkel": "uncle", "Partnerin": "partner", "Partner": "partner",
    },
    events={
        "Fahrprüfung": "driving test", "Führerscheinprüfung": "driving test",
        "Theorieprüfung": "driving test", "Abschlussprüfung": "final", "Abschlussprüfungen": "finals",
        "Abi": "finals", "Abitur": "finals", "Abiprüfung": "finals", "Abiprüfungen": "finals",
        "Matura": "finals", "*prüfung": "exam", "*prüfungen": "exam", "*klausur": "exam",
        "*klausuren": "exam", "Examen": "exam", "Klassenarbeit": "test", "Schulaufgabe": "test",
        "Test": "test", "Vorstellungsgespräch": "job interview", "Bewerbungsgespräch": "job interview",
        "Interview": "interview", "erstes Date": "first date", "Date": "date",
        "Arzttermin": "doctor's appointment", "Termin beim Arzt": "doctor's appointment",
        "Termin": "appointment", "OP": "surgery", "Operation": "surgery", "Präsentation": "presentation",
        "Referat": "presentation", "Vortrag": "presentation", "Vorsprechen": "audition",
        "Casting": "audition", "Konzert": "concert", "Spiel": "match", "Match": "match",
        "Abgabe": "deadline", "Deadline": "deadline", "Hochzeit": "wedding", "Geburtstag": "birthday",
        "Abschlussfeier": "graduation", "Zeugnisübergabe": "graduation", "Gerichtstermin": "court date",
        "Verhandlung": "court date", "Anhörung": "hearing", "Therapiesitzung": "therapy session",
        "Therapiestunde": "therapy session", "Therapie": "therapy session",
        "ersten Arbeitstag": "first day", "erster Arbeitstag": "first day", "ersten Tag": "first day",
        "erster Tag": "first day", "Meeting": "meeting", "Besprechung": "meeting",
        "Wettkampf": "competition", "Turnier": "competition", "Wettbewerb": "competition",
        "Rennen": "race", "Reise": "trip", "Flug": "flight", "Umzug": "move",
    },
    skip=r"wenn|falls|ob|wurde|wurdest|wuerde|waere|ware|hatte|haette|stell dir vor|angenommen|traumte|"
    r"getraumt|traeumte|getraeumt|sagte|sagt|gesagt|meinte|meint|gefragt|fragte|denkt|dachte|glaubt|glaubte|"
    r"tut so|tat so|fruher|frueher|wunschte|wuenschte|wunsche|wuensche|mochte|moechte",
    negation=r"nicht|nich|kein|keine|keinen|keinem|keiner|nie|niemals|nimmer|nix|nichts",
    past=r"letzten|gestern|vorgestern|hattest|hatten|war|waren|gehabt|geschrieben|bestanden|verhauen|vergeigt",
    ctx=r"und|jetzt|aktuell|momentan|auch|also|ja|inzwischen|mittlerweile|hallo|hi",
    rel=[
        (r"\b(?:mein|meine|meinen) {REL},? hei(?:ss|ß)t {NAME}", ""),
        (r"\b(?:mein|meine|meinen) {REL},? namens {NAME}", ""),
        (r"\bich (?:habe|hab) (?:einen|eine|ein|nen|ne) {REL},? (?:namens|mit namen) {NAME}", ""),
        (r"\bich (?:habe|hab) (?:einen|eine|ein|nen|ne) {REL}, (?:der|die|das) {NAME} hei(?:ss|ß)t", ""),
    ],
    home=[
        (r"\bich wohne(?: jetzt| gerade| momentan| aktuell| inzwischen| mittlerweile)? in {PLACE}", ""),
        (r"\bich lebe(?: jetzt| gerade| momentan| aktuell| inzwischen| mittlerweile)? in {PLACE}", "cap"),
    ],
    work=[
        ("work_as", r"\bich arbeite(?: jetzt| gerade| momentan| aktuell)? als {WORDS}", "occ"),
        ("work_at", r"\bich arbeite(?: jetzt| gerade| momentan| aktuell)? (?:bei|fur) {ORG}", "cap"),
        ("work_as", r"\bich bin (?:von beruf )?(?P<v>{OCC})(?![a-zß])", ""),
    ],
    study=[r"\bich studiere?(?: jetzt| gerade| momentan| aktuell)? {WORDS}"],
    age=r"\bich bin (?P<v>\d{1,3})(?: jahre(?: alt)?)?" + _AGE_END,
    event_have=r"\bich (?:habe|hab|schreibe|schreib)",
    event_have_after=r"(?:habe|hab|schreibe|schreib) ich",
    event_poss=r"(?:meine|mein|meinen)",
    event_cop=r" (?:ist|sind|wird|findet)",
    art=r"(?:(?:eine|einen|ein|meine|meinen|mein|die|das|den|der|ne|nen) )?",
    adj=r"(?:(?:wichtige|wichtigen|wichtiges|grosse|große|grossen|großen|erste|ersten|erstes|mundliche|"
    r"muendliche|schriftliche) )?",
    compl=r"(?: (?:in|im) (?!(?:der|die|das|den|dem)\b)[a-zß]+)?",
    when=r"(?:heute(?: abend| nachmittag| morgen| nacht)?|ubermorgen|uebermorgen|"
    r"(?<!am )(?<!heute )morgen(?: fruh| frueh| abend| nachmittag)?|"
    r"(?:dieses|am|an diesem|kommendes|nachstes|naechstes) wochenende|diese woche|"
    r"(?:nachste|naechste|kommende) woche|"
    r"(?:am |diesen |nachsten |naechsten |kommenden |am nachsten |am naechsten |am kommenden )?"
    r"(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag)(?![a-z])|"
    r"in (?:\d{1,2}|zwei|drei|vier|funf|fuenf|sechs|sieben) tagen)",
    when_kinds=[
        (r"(\d+|zwei|drei|vier|funf|fuenf|sechs|sieben) tagen", "days"),
        (r"^u(?:e)?bermorgen$", "after"),
        (r"^heute", "today"),
        (r"^morgen", "tomorrow"),
        (r"wochenende", "weekend"),
        (r"^diese woche$", "week"),
        (r"woche", "next_week"),
        *_weekdays(["montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag|sonnabend", "sonntag"]),
    ],
    next_word=r"na(?:e)?chsten|kommenden",
    numbers={"zwei": 2, "drei": 3, "vier": 4, "funf": 5, "fuenf": 5, "sechs": 6, "sieben": 7},
    cut=r"und|aber|mit|seit|weil|wo|bei|jetzt|nahe|zusammen|allein|schon|noch|in|im|an|am|auf|fur|bis|"
    r"oder|denn|also|da|als|wie",
    not_a_place="angst frieden panik sorge sorgen trauer scham einsamkeit hoffnung armut ruhe furcht stress "
    "harmonie isolation quarantane chaos unsicherheit verzweiflung schmerz schmerzen wg untermiete miete "
    "zukunft vergangenheit gegenwart realitat traumwelt blase holle wohnung haus heim wohnheim "
    "studentenwohnheim zimmer stadt dorf nahe beziehung trennung scheidung sunde wohngemeinschaft",
    article="der die das dem den des ein eine einer einem einen meiner meinem meinen meine unserer unserem "
    "diesem dieser so",
    article_then_capital=False,
    occupations=[
        "Lehrer", "Lehrerin", "Krankenschwester", "Krankenpfleger", "Krankenpflegerin", "Pfleger",
        "Pflegerin", "Pflegekraft", "Pflegefachfrau", "Pflegefachmann", "Arzt", "Ärztin", "Entwickler",
        "Entwicklerin", "Programmierer", "Programmiererin", "Softwareentwickler", "Softwareentwicklerin",
        "Ingenieur", "Ingenieurin", "Designer", "Designerin", "Künstler", "Künstlerin", "Schriftsteller",
        "Schriftstellerin", "Autor", "Autorin", "Musiker", "Musikerin", "Kassierer", "Kassiererin", "Koch",
        "Köchin", "Kellner", "Kellnerin", "Barista", "Mechaniker", "Mechanikerin", "Mechatroniker",
        "Elektriker", "Elektrikerin", "Klempner", "Installateur", "Schreiner", "Schreinerin", "Tischler",
        "Tischlerin", "Busfahrer", "Busfahrerin", "Lkw-Fahrer", "Anwalt", "Anwältin", "Rechtsanwalt",
        "Rechtsanwältin", "Buchhalter", "Buchhalterin", "Steuerberater", "Steuerberaterin", "Apotheker",
        "Apothekerin", "Sanitäter", "Sanitäterin", "Notfallsanitäter", "Notfallsanitäterin",
        "Feuerwehrmann", "Feuerwehrfrau", "Polizist", "Polizistin", "Soldat", "Soldatin", "Landwirt",
        "Landwirtin", "Wissenschaftler", "Wissenschaftlerin", "Forscher", "Forscherin", "Fotograf",
        "Fotografin", "Sozialarbeiter", "Sozialarbeiterin", "Erzieher", "Erzieherin", "Altenpfleger",
        "Altenpflegerin", "Reinigungskraft", "Putzkraft", "Hausmeister", "Hausmeisterin", "Bibliothekar",
        "Bibliothekarin", "Tierarzt", "Tierärztin", "Zahnarzt", "Zahnärztin", "Psychologe", "Psychologin",
        "Therapeut", "Therapeutin", "Übersetzer", "Übersetzerin", "Journalist", "Journalistin", "Pilot",
        "Pilotin", "Flugbegleiter", "Flugbegleiterin", "Friseur", "Friseurin", "Verkäufer", "Verkäuferin",
        "Bäcker", "Bäckerin", "Maurer", "Sekretär", "Sekretärin", "Beamter", "Beamtin", "Architekt",
        "Architektin", "Physiotherapeut", "Physiotherapeutin", "Informatiker", "Informatikerin",
        "Kauffrau", "Kaufmann", "Bürokauffrau", "Bürokaufmann", "Arzthelferin", "Verwaltungsangestellte",
        "Lagerist", "Lageristin", "Paketbote", "Kurierfahrer", "Altenpflegehelferin", "Erzieherin",
    ],
    occupation_suffixes=r"erin|ist|istin|eur|eurin|ologe|ologin|kraft|mann|frau|arzt|arztin|helfer|"
    r"helferin|meister|meisterin|pfleger|pflegerin|fahrer|fahrerin|ant|antin|ent|entin",
)

_PT = _lang(
    "pt",
    pets={
        "cachorro": "dog", "cachorra": "dog", "cão": "dog", "cadela": "dog", "cachorrinho": "dog",
        "cachorrinha": "dog", "cãozinho": "dog", "filhote": "puppy", "gato": "cat", "gata": "cat",
        "gatinho": "kitten", "gatinha": "kitten", "coelho": "rabbit", "coelha": "rabbit",
        "coelhinho": "bunny", "hamster": "hamster", "porquinho-da-índia": "guinea pig",
        "papagaio": "parrot", "pássaro": "bird", "passarinho": "bird", "periquito": "budgie",
        "calopsita": "budgie", "cavalo": "horse", "égua": "horse", "peixe": "fish", "peixinho": "fish",
        "tartaruga": "turtle", "jabuti": "tortoise", "cobra": "snake", "lagarto": "lizard",
        "lagartixa": "gecko", "furão": "ferret", "rato": "rat", "ratinho": "rat",
    },
    people={
        "mãe": "mom", "mamãe": "mom", "mainha": "mom", "pai": "dad", "papai": "dad", "irmã": "sister",
        "irmão": "brother", "esposa": "wife", "mulher": "wife", "marido": "husband", "esposo": "husband",
        "namorada": "girlfriend", "namorado": "boyfriend", "filho": "son", "filha": "daughter",
        "avó": "grandma", "vovó": "grandma", "avô": "grandpa", "vovô": "grandpa", "tia": "aunt",
        "tio": "uncle",
    },
    events={
        "exame de condução": "driving test", "exame de direção": "driving test",
        "prova de direção": "driving test", "prova do detran": "driving test", "prova final": "final",
        "provas finais": "finals", "exame final": "final", "exames finais": "finals",
        "vestibular": "exam", "enem": "exam", "exame nacional": "exam", "exame de sangue": "appointment",
        "exames de sangue": "appointment", "exame": "exam", "exames": "exam", "prova": "exam",
        "provas": "exam", "teste": "test", "entrevista de emprego": "job interview",
        "entrevista de trabalho": "job interview", "entrevista": "interview",
        "primeiro encontro": "first date", "encontro": "date", "consulta médica": "doctor's appointment",
        "médico": "doctor's appointment", "consulta": "appointment", "cirurgia": "surgery",
        "operação": "surgery", "apresentação": "presentation", "seminário": "presentation",
        "audição": "audition", "recital": "recital", "concerto": "concert", "show": "concert",
        "jogo": "match", "partida": "match", "prazo": "deadline", "casamento": "wedding",
        "aniversário": "birthday", "formatura": "graduation", "audiência": "hearing",
        "sessão de terapia": "therapy session", "terapia": "therapy session",
        "psicólogo": "therapy session", "psicóloga": "therapy session", "primeiro dia": "first day",
        "reunião": "meeting", "competição": "competition", "campeonato": "competition",
        "torneio": "competition", "corrida": "race", "viagem": "trip", "voo": "flight",
        "mudança": "move",
    },
    skip=r"se (?:eu|tu|voce|vc|ele|ela|a gente|nos|um dia)|tivesse|tiver|morasse|vivesse|fosse|trabalhasse|"
    r"estudasse|caso|imagina|imagine|imaginem|suponha|supondo|sonhei|disse|dizia|diz que|falou|fala que|"
    r"perguntou|pergunta|acha que|achava|pensa que|pensava|finge|fingir|fingia|mentiu|queria|gostaria|"
    r"costumava|quem me dera|tomara|oxala",
    negation=r"nao|nunca|jamais|nem|nenhum|nenhuma|ninguem",
    past=r"passada|passado|ontem|anteontem|tive|tinha|teve|foi|fiz|fui|era|reprovei|passei|chumbei",
    ctx=r"eu|e|agora|atualmente|tambem|ainda|hoje|bom|entao|ja|oi|ola",
    rel=[
        (r"\b(?:o |a )?(?:meu|minha) {REL},? (?:se chama|chama-se|chama se|e chamad[oa]|chamad[oa]) {NAME}", ""),
        (r"\bo nome d[oa] (?:meu|minha) {REL} e {NAME}", ""),
        (r"\b(?:eu )?tenho (?:um|uma) {REL},? (?:que se chama|que chama|chamad[oa]|de nome) {NAME}", ""),
        (r"\b(?:meu|minha) {REL},? {NAME}", "cap"),
    ],
    home=[
        (r"\b(?:eu )?moro(?: atualmente| agora| hoje)? em {PLACE}", ""),
        (r"\b(?:eu )?moro(?: atualmente| agora| hoje)? (?:no|na|nos|nas) {PLACE}", "cap"),
        (r"(?:^|{CTX})(?:eu )?(?:vivo|resido)(?: atualmente| agora| hoje)? (?:em|no|na|nos|nas) {PLACE}", "cap"),
    ],
    work=[
        ("work_as", r"(?:^|{CTX})(?:eu )?trabalho(?: atualmente| agora| hoje)? como {WORDS}", "occ"),
        ("work_at", r"(?:^|{CTX})(?:eu )?trabalho(?: atualmente| agora| hoje)? (?:na|no|em|para|pra) {ORG}", "cap"),
        ("work_as", r"\b(?:eu )?sou (?:um |uma )?(?P<v>(?:{OCC})(?: de (?!(?:a|o|as|os|um|uma|meu|minha)\b)[a-z]+)?)\b", ""),
    ],
    study=[
        r"\b(?:eu )?sou (?:estudante|aluno|aluna|universitario|universitaria) de {WORDS}",
        r"(?:^|{CTX})(?:eu )?(?:estudo|estou estudando|estou a estudar|faco faculdade de|faco curso de) {WORDS}",
    ],
    age=r"\b(?:eu )?tenho (?P<v>\d{1,3}) anos" + _AGE_END,
    event_have=r"(?:eu )?(?:tenho|vou ter|terei)",
    event_have_after=r"(?:eu )?(?:tenho|vou ter|terei)",
    event_poss=r"(?:o |a )?(?:meu|minha|meus|minhas)",
    event_cop=r" (?:e|sera|vai ser|sao)",
    art=r"(?:(?:um|uma|o|a|os|as|meu|minha|o meu|a minha|uns|umas) )?",
    adj=r"(?:(?:grande|primeiro|primeira|ultimo|ultima|importante) )?",
    compl=r"(?: (?:de|do|da) (?!(?:a|o|as|os|um|uma|meu|minha|amanha|hoje)\b)[a-z]+"
    r"| (?:final|finais|oral|escrita|importante))?",
    when=r"(?:hoje(?: a noite| de noite| a tarde| de tarde)?|esta noite|essa noite|depois de amanha|"
    r"amanha(?: de manha| a noite| de noite| a tarde| cedo)?|(?:este|esse|neste|nesse|no) fim de semana|"
    r"(?:na )?proxima semana|(?:na )?semana que vem|"
    r"(?:na |nesta |nessa |na proxima )(?:segunda|terca|quarta|quinta|sexta)(?:[- ]feira)?(?: que vem)?|"
    r"(?:segunda|terca|quarta|quinta|sexta)[- ]feira(?: que vem)?|"
    r"(?:no |neste |nesse |no proximo )?(?:sabado|domingo)(?: que vem)?(?! passado)|"
    r"(?:em|daqui a) (?:\d{1,2}|dois|duas|tres|quatro|cinco|seis|sete) dias)",
    when_kinds=[
        (r"(\d+|dois|duas|tres|quatro|cinco|seis|sete) dias", "days"),
        (r"^depois de amanha$", "after"),
        (r"^(?:hoje|esta noite|essa noite)", "today"),
        (r"^amanha", "tomorrow"),
        (r"fim de semana", "weekend"),
        (r"semana", "next_week"),
        *_weekdays(["segunda", "terca", "quarta", "quinta", "sexta", "sabado", "domingo"]),
    ],
    next_word=r"proxim|que vem",
    numbers={"dois": 2, "duas": 2, "tres": 3, "quatro": 4, "cinco": 5, "seis": 6, "sete": 7},
    cut=r"e|mas|com|desde|porque|onde|que|perto|agora|ha|sozinho|sozinha|em|no|na|para|pra|por|ate|sem|ou",
    not_a_place="casa paz funcao guerra constante apartamento kitnet quarto frente cima baixo cidade interior "
    "capital centro bairro republica pensao familia mundo medo silencio solidao inferno angustia ansiedade "
    "crise periferia comunidade roca aluguel",
    article="um uma o a os as meu minha outro outra este esta esse essa todo toda cada",
    article_then_capital=False,
    occupations=[
        "enfermeiro", "enfermeira", "professor", "professora", "médico", "médica", "programador",
        "programadora", "desenvolvedor", "desenvolvedora", "engenheiro", "engenheira", "designer",
        "artista", "escritor", "escritora", "músico", "musicista", "caixa", "cozinheiro", "cozinheira",
        "chef", "garçom", "garçonete", "empregado de mesa", "empregada de mesa", "barista", "mecânico",
        "eletricista", "encanador", "canalizador", "carpinteiro", "motorista", "advogado", "advogada",
        "contador", "contadora", "contabilista", "farmacêutico", "farmacêutica", "socorrista", "bombeiro",
        "bombeira", "policial", "polícia", "soldado", "agricultor", "agricultora", "cientista",
        "pesquisador", "pesquisadora", "investigador", "investigadora", "fotógrafo", "fotógrafa",
        "assistente social", "cuidador", "cuidadora", "faxineira", "diarista", "bibliotecário",
        "bibliotecária", "veterinário", "veterinária", "dentista", "psicólogo", "psicóloga", "terapeuta",
        "tradutor", "tradutora", "jornalista", "piloto", "comissário de bordo", "comissária de bordo",
        "cabeleireiro", "cabeleireira", "barbeiro", "vendedor", "vendedora", "atendente", "recepcionista",
        "secretário", "secretária", "funcionário público", "funcionária pública", "arquiteto",
        "arquiteta", "fisioterapeuta", "entregador", "entregadora", "padeiro", "padeira", "pedreiro",
        "técnico de enfermagem", "técnica de enfermagem", "babá", "auxiliar administrativo",
    ],
    occupation_suffixes=r"eiro|eira|ista|dor|dora|tor|tora|ente|logo|loga|ario|aria|ico|ica",
)

_IT = _lang(
    "it",
    pets={
        "cane": "dog", "cagnolino": "dog", "cagnolina": "dog", "cagnetta": "dog", "cucciolo": "puppy",
        "cucciola": "puppy", "gatto": "cat", "gatta": "cat", "gattino": "kitten", "gattina": "kitten",
        "coniglio": "rabbit", "coniglietto": "bunny", "criceto": "hamster", "porcellino d'India": "guinea pig",
        "cavia": "guinea pig", "pappagallo": "parrot", "uccellino": "bird", "pappagallino": "budgie",
        "cocorita": "budgie", "cavallo": "horse", "pesce": "fish", "pesciolino": "fish",
        "tartaruga": "turtle", "testuggine": "tortoise", "serpente": "snake", "lucertola": "lizard",
        "geco": "gecko", "furetto": "ferret", "ratto": "rat", "topolino": "rat",
    },
    people={
        "mamma": "mom", "madre": "mom", "papà": "dad", "padre": "dad", "babbo": "dad", "sorella": "sister",
        "fratello": "brother", "moglie": "wife", "marito": "husband", "ragazza": "girlfriend",
        "fidanzata": "girlfriend", "ragazzo": "boyfriend", "fidanzato": "boyfriend", "figlio": "son",
        "figlia": "daughter", "nonna": "grandma", "nonno": "grandpa", "zia": "aunt", "zio": "uncle",
    },
    events={
        "esame di guida": "driving test", "esame della patente": "driving test",
        "esame di teoria": "driving test", "patente": "driving test", "esame di maturità": "finals",
        "maturità": "finals", "esame finale": "final", "esami finali": "finals", "esame": "exam",
        "esami": "exam", "verifica": "test", "compito in classe": "test", "interrogazione": "test",
        "test": "test", "colloquio di lavoro": "job interview", "colloquio": "interview",
        "primo appuntamento": "first date", "appuntamento dal medico": "doctor's appointment",
        "visita medica": "doctor's appointment", "visita dal medico": "doctor's appointment",
        "appuntamento": "appointment", "intervento": "surgery", "operazione": "surgery",
        "presentazione": "presentation", "provino": "audition", "audizione": "audition",
        "saggio": "recital", "concerto": "concert", "partita": "match", "scadenza": "deadline",
        "consegna": "deadline", "matrimonio": "wedding", "compleanno": "birthday", "laurea": "graduation",
        "udienza": "hearing", "processo": "court date", "seduta di terapia": "therapy session",
        "terapia": "therapy session", "psicologo": "therapy session", "psicologa": "therapy session",
        "primo giorno": "first day", "riunione": "meeting", "gara": "competition",
        "torneo": "competition", "viaggio": "trip", "volo": "flight", "trasloco": "move",
    },
    skip=r"se|magari|immagina|immaginiamo|immaginate|supponiamo|supponendo|sognato|ha detto|aveva detto|"
    r"dice che|diceva|detto|ha chiesto|chiesto|pensa che|pensava|crede|credeva|finge|fingere|fingo|mentito|"
    r"vorrei|avrei|sarei|avessi|fossi|abitassi|vivessi|una volta",
    negation=r"non|mai|nessun|nessuno|nessuna|niente|nulla",
    past=r"scorso|scorsa|ieri|avuto|fatto|dato|sostenuto|passato|superato|era|avevo|andato|andata|"
    r"bocciato|bocciata",
    ctx=r"io|e|ora|adesso|attualmente|anche|ancora|oggi|allora|beh|gia|ciao",
    rel=[
        (r"\b(?:il |la |lo )?(?:mio|mia) {REL},? si chiama {NAME}", ""),
        (r"\bil nome del(?:la|lo)? (?:mio|mia) {REL} e {NAME}", ""),
        (r"\b(?:io )?ho (?:un |una |uno |un'){REL},? (?:che si chiama|di nome|chiamat[oa]) {NAME}", ""),
        (r"\b(?:mio|mia) {REL},? {NAME}", "cap"),
    ],
    home=[
        (r"(?:^|{CTX})(?:io )?(?:abito|vivo|risiedo)(?: ora| adesso| attualmente)? (?:a|ad) {PLACE}", ""),
        (r"(?:^|{CTX})(?:io )?(?:abito|vivo|risiedo)(?: ora| adesso| attualmente)? in {PLACE}", "cap"),
    ],
    work=[
        ("work_as", r"(?:^|{CTX})(?:io )?lavoro(?: ora| adesso| attualmente)? come {WORDS}", "occ"),
        ("work_at", r"(?:^|{CTX})(?:io )?lavoro(?: ora| adesso| attualmente)? (?:per|presso|da) {ORG}", "cap"),
        ("work_as", r"\b(?:io )?sono (?:un |una |uno |un')?(?P<v>(?:{OCC})(?: di (?!(?:la|il|lo|le|i|gli|un|una|mio|mia)\b)[a-z]+)?)\b", ""),
        ("work_as", r"\bfaccio (?:il |la |lo |l')(?P<v>{OCC})\b", ""),
    ],
    study=[
        r"\b(?:io )?sono (?:uno |una )?(?:studente|studentessa|universitario|universitaria) (?:di|in) {WORDS}",
        r"(?:^|{CTX})(?:io )?(?:studio|sto studiando) {WORDS}",
    ],
    age=r"\b(?:io )?ho (?P<v>\d{1,3}) anni" + _AGE_END,
    event_have=r"(?:io )?(?:ho|avro)",
    event_have_after=r"(?:io )?(?:ho|avro)",
    event_poss=r"(?:il |la |l'|i |le )?(?:mio|mia|miei|mie)",
    event_cop=r" (?:e|sara|sono)",
    art=r"(?:(?:un|una|uno|il|lo|la|i|gli|le|il mio|la mia|mio|mia) |un'|l')?",
    adj=r"(?:(?:grande|primo|prima|ultimo|ultima|importante) )?",
    compl=r"(?: (?:di|del|della|dello) (?!(?:la|il|lo|le|i|gli|un|una|mio|mia|domani|oggi)\b)[a-z]+"
    r"| (?:finale|finali|orale|scritto|importante))?",
    when=r"(?:oggi(?: pomeriggio)?|stasera|stanotte|stamattina|stamani|dopodomani|"
    r"domani(?: mattina| sera| pomeriggio)?|(?:questo|il prossimo) (?:fine settimana|weekend|finesettimana)|"
    r"(?:la )?settimana prossima|(?:la )?prossima settimana|"
    r"(?:questo |il prossimo |la prossima |questa )?(?:lunedi|martedi|mercoledi|giovedi|venerdi|sabato|domenica)"
    r"(?: prossimo| prossima)?(?! scors)|(?:tra|fra) (?:\d{1,2}|due|tre|quattro|cinque|sei|sette) giorni)",
    when_kinds=[
        (r"(\d+|due|tre|quattro|cinque|sei|sette) giorni", "days"),
        (r"^dopodomani$", "after"),
        (r"^(?:oggi|stasera|stanotte|stamattina|stamani)", "today"),
        (r"^domani", "tomorrow"),
        (r"fine ?settimana|weekend", "weekend"),
        (r"settimana", "next_week"),
        *_weekdays(["lunedi", "martedi", "mercoledi", "giovedi", "venerdi", "sabato", "domenica"]),
    ],
    next_word=r"prossim",
    numbers={"due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7},
    cut=r"e|ma|con|da|dal|dalla|perche|dove|che|vicino|ora|adesso|insieme|in|a|al|alla|per|fino|senza|o",
    not_a_place="pace ansia funzione simbiosi affitto campagna citta centro periferia montagna collina "
    "provincia zona casa famiglia coppia appartamento condivisione mondo meta letto pieno fondo stento testa "
    "paura solitudine silenzio inferno crisi bolla quartiere paese residence collegio studentato comunita",
    article="un una uno il lo la i gli le l' mio mia questo questa quel quella ogni tutto tutta mezzo mezza",
    article_then_capital=False,
    occupations=[
        "infermiere", "infermiera", "insegnante", "professore", "professoressa", "maestro", "maestra",
        "medico", "dottore", "dottoressa", "sviluppatore", "sviluppatrice", "programmatore",
        "programmatrice", "ingegnere", "designer", "artista", "scrittore", "scrittrice", "musicista",
        "cassiere", "cassiera", "cuoco", "cuoca", "chef", "cameriere", "cameriera", "barista", "meccanico",
        "elettricista", "idraulico", "falegname", "autista", "avvocato", "avvocata", "avvocatessa",
        "commercialista", "contabile", "farmacista", "soccorritore", "vigile del fuoco", "pompiere",
        "poliziotto", "poliziotta", "carabiniere", "soldato", "agricoltore", "contadino", "scienziato",
        "scienziata", "ricercatore", "ricercatrice", "fotografo", "fotografa", "assistente sociale",
        "badante", "operatore socio sanitario", "oss", "bibliotecario", "bibliotecaria", "veterinario",
        "veterinaria", "dentista", "psicologo", "psicologa", "terapeuta", "traduttore", "traduttrice",
        "giornalista", "pilota", "assistente di volo", "parrucchiere", "parrucchiera", "barbiere",
        "commesso", "commessa", "segretario", "segretaria", "impiegato", "impiegata", "architetto",
        "fisioterapista", "fattorino", "rider", "panettiere", "panettiera", "muratore", "operaio",
        "operaia", "educatore", "educatrice", "babysitter", "libero professionista", "libera professionista",
    ],
    occupation_suffixes=r"iere|iera|ista|tore|trice|ente|ante|logo|loga|ario|aria|aio|aia",
)

# fmt: on

_LANGS = (_ES, _FR, _DE, _PT, _IT)


def _capitalized(original: str) -> bool:
    return original[:1].isupper() or original[:1].isdigit()


def _cut(lang: _Lang, original: str, plain: str) -> str:
    m = lang.cut.search(plain)
    return (original[: m.start()] if m else original).strip(" .,'-")


def _first_word(text: str) -> str:
    return _key(text.split()[0]) if text.split() else ""


def _place_in(lang: _Lang, original: str, plain: str, check: str) -> str | None:
    text = _cut(lang, original, plain)
    words = text.split()
    if not words or (check == "cap" and not _capitalized(text)):
        return None
    first = _key(words[0]).rstrip("'")
    if first in lang.article or words[0].lower().startswith(("l'", "d'")):
        # "La Paz", "Le Havre": a name; "la calle", "un piso": not a place
        if not (lang.article_then_capital and len(words) > 1 and _capitalized(words[1])):
            return None
    elif first in lang.not_a_place or first in _VALUE_STOP or _key(text) in lang.not_a_place:
        return None
    while words and _key(words[-1]) in _NAME_STOP | lang.article:  # "Rio de" cut at its end
        words.pop()
    if not words:
        return None
    small = {"de", "del", "da", "do", "dos", "das", "di", "la", "le", "les", "los", "am", "an", "im", "sur"}
    out = [w if i and w.lower() in small else w[:1].upper() + w[1:] for i, w in enumerate(words)]
    return " ".join(out)[:MAX_VALUE_CHARS]


def _words_in(lang: _Lang, kind: str, original: str, plain: str, check: str) -> str | None:
    """A job, a workplace or a subject: at most three words, starting with none that begins no such thing."""
    text = _cut(lang, original, plain) if kind != "work_as" or check == "occ" else original.strip(" .,")
    words = text.split()[:3]
    if not words:
        return None
    if (
        kind == "work_as"
        and len(words) > 1
        and _key(words[1]) not in {"de", "d", "di", "da", "do", "del", "en"}
    ):
        words = words[:1]  # "profesora de inglés", "auxiliar de enfermería"; not "Kellnerin nebenbei"
    first = _first_word(text)
    if first in _VALUE_STOP or first in lang.article or first in _WORK_STOP or first.isdigit():
        return None
    if check == "cap" and not _capitalized(text):
        return None
    if check == "occ" and not (
        lang.occupations.search(_plain(words[0])) or lang.occupations.search(_plain(" ".join(words)))
    ):
        return None
    return " ".join(words)[:MAX_VALUE_CHARS]


def _day_in(lang: _Lang, when: str, said: dt.date) -> dt.date:
    w = when.lower()
    for pattern, kind in lang.when:
        m = pattern.search(w)
        if m is None:
            continue
        if kind == "days":
            n = m.group(1)
            return said + dt.timedelta(days=int(n) if n.isdigit() else lang.numbers.get(n, 1))
        if kind in ("today", "tomorrow", "after"):
            return said + dt.timedelta(days=("today", "tomorrow", "after").index(kind))
        if kind == "weekend":
            return said + dt.timedelta(days=(5 - said.weekday()) % 7)
        if kind == "week":
            return said
        if kind == "next_week":
            return said + dt.timedelta(days=7 - said.weekday())
        ahead = (int(kind.partition(":")[2]) - said.weekday()) % 7
        if ahead == 0 and lang.next_word.search(w):
            ahead = 7
        return said + dt.timedelta(days=ahead)
    return said  # not reached: every time expression the rules match is resolved above


def _extract_in(sentence: str, said: dt.date) -> list[Fact]:
    """The facts stated in one sentence in Spanish, French, German, Portuguese or Italian."""
    if "¿" in sentence:
        return []
    plain = _plain(sentence)
    found: list[Fact] = []
    for lang in _LANGS:
        if lang.skip.search(plain) or lang.negation.search(plain):
            continue
        for kind, rule, check in lang.rules:
            for m in rule.finditer(plain):
                fact = _fact_in(lang, kind, check, m, sentence, said)
                if fact is not None and all(f.kind != fact.kind for f in found):
                    found.append(fact)
    return found


def _fact_in(
    lang: _Lang, kind: str, check: str, m: re.Match[str], sentence: str, said: dt.date
) -> Fact | None:
    if kind == "event":
        when = next((m.group(g) for g in ("w1", "w2") if g in m.re.groupindex and m.group(g)), None)
        what = lang.events.kind(m.group("ev"))
        if not when or what is None or lang.past.search(_plain(sentence)):
            return None
        return Fact(f"event:{what}", what, _day_in(lang, when, said).isoformat())
    start, end = m.span("v")
    original, plain = sentence[start:end], m.group("v")
    if kind == "rel":
        before = sentence[: m.start("rel")].split()[-1:] or [""]
        word = sentence[m.start("rel") : m.end("rel")]
        pet, person = lang.pets.kind(word, before[0]), lang.people.kind(word, before[0])
        if check == "cap" and not _capitalized(original):
            return None
        name = _clean_name(_cut(lang, original, plain))
        if not name or _key(name.split()[0]) in _NAME_STOP:
            return None
        if pet:
            return Fact(f"pet:{pet}", name)
        return Fact(f"person:{person}", name) if person else None
    if kind == "age":
        return Fact("age", plain) if 5 <= int(plain) <= 120 else None
    if kind == "home":
        place = _place_in(lang, original, plain, check)
        return Fact("home", place) if place else None
    value = _words_in(lang, kind, original, plain, check)
    if not value:
        return None
    if kind == "work_as":
        return Fact("work", f"as {value}")
    if kind == "work_at":
        return Fact("work", f"at {value}")
    return Fact("study", value)


# What each language's questions look like (read on ``fold``ed text: no accents, no apostrophes).
def _q_alt(words: Mapping[str, str]) -> str:
    forms = set()
    for w in words:
        star = w.startswith("*")
        f = re.escape(fold(w.lstrip("*")))
        forms.add(("[a-z]*" if star else "") + f)
        if any(c in w for c in "äöüÄÖÜ"):
            u = w.lstrip("*").lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
            forms.add(("[a-z]*" if star else "") + re.escape(fold(u)))
    return "|".join(sorted(forms, key=len, reverse=True))


def _questions(lang: _Lang, patterns: Mapping[str, str]) -> dict[str, list[re.Pattern[str]]]:
    """Each kind's question patterns ("|\\b" at the top level separates them: a name is one group each)."""
    rel = f"(?P<rel>{_q_alt(lang.pets.words)}|{_q_alt(lang.people.words)})"
    ev = f"(?P<ev>{_q_alt(lang.events.words)})"
    return {
        k: [
            re.compile(("" if i == 0 else r"\b") + one.replace("{REL}", rel).replace("{EV}", ev))
            for i, one in enumerate(p.split(r"|\b"))
        ]
        for k, p in patterns.items()
    }


_ASKS_IN = {
    "es": _questions(
        _ES,
        {
            "all": r"\bque (?:sabes|recuerdas|guardas|has guardado|te acuerdas)(?: tu)? (?:de|sobre) mi\b"
            r"|\bte acuerdas de mi\b",
            "rel": r"\bcomo se llama(?:ba)? mi {REL}\b|\bcual es el nombre de mi {REL}\b"
            r"|\b(?:sabes|recuerdas|te acuerdas de) (?:como se llama mi|el nombre de mi) {REL}\b",
            "event": r"\bcuando (?:es|era|sera|tengo|tenia) (?:mi|el|la|mis|los|las) (?:gran |primer |primera )?{EV}\b",
            "home": r"\bdonde vivo\b",
            "age": r"\bcuantos anos tengo\b",
        },
    ),
    "fr": _questions(
        _FR,
        {
            "all": r"\b(?:quest ce que|que) (?:tu )?(?:sais|retiens|te rappelles|connais|as retenu|as garde|gardes|"
            r"sais tu|retiens tu|te souviens)(?: tu)? (?:sur|de) moi\b|\btu te souviens de moi\b"
            r"|\btu sais quoi (?:sur|de) moi\b",
            "rel": r"\bcomment (?:il |elle )?sappelle (?:mon|ma) {REL}\b|\b(?:mon|ma) {REL} (?:il |elle )?sappelle comment\b"
            r"|\b(?:cest quoi|quel est) le (?:nom|prenom) de (?:mon|ma) {REL}\b"
            r"|\btu te (?:souviens|rappelles) (?:du nom|de comment sappelle|comment sappelle) (?:de )?(?:mon|ma) {REL}\b",
            "event": r"\b(?:cest quand|quand est|quand cest|quand est ce que jai|quand jai|jai quand) "
            r"(?:mon |ma |mes |le |la |les |l)?{EV}\b|\b(?:mon|ma|mes) {EV},? (?:cest|est) quand\b",
            "home": r"\bou (?:est ce que )?(?:jhabite|je vis)\b|\bjhabite ou\b",
            "age": r"\bquel age (?:jai|ai je|est ce que jai)\b|\bjai quel age\b",
        },
    ),
    "de": _questions(
        _DE,
        {
            "all": r"\bwas weisst du (?:noch )?(?:uber mich|von mir)\b|\bwas (?:hast du dir|hast du) (?:uber mich|von mir) "
            r"(?:gemerkt|gespeichert)\b|\bwas merkst du dir (?:uber mich|von mir)\b|\berinnerst du dich (?:noch )?an mich\b",
            "rel": r"\bwie heisst (?:mein|meine) {REL}\b|\b(?:weisst|kennst) du (?:noch)?,? ?wie (?:mein|meine) {REL} heisst\b",
            "event": r"\bwann (?:ist|war|habe ich|hab ich|schreibe ich|schreib ich) (?:meine |mein |meinen |die |das |der |den )?{EV}\b",
            "home": r"\bwo (?:wohne|lebe) ich\b",
            "age": r"\bwie alt bin ich\b",
        },
    ),
    "pt": _questions(
        _PT,
        {
            "all": r"\bo que (?:voce |vc |tu )?(?:sabe|sabes|lembra|lembras|se lembra|te lembras|guardou|guardaste) "
            r"(?:de|sobre) mim\b|\b(?:voce |vc )?(?:se )?lembra de mim\b|\blembras te de mim\b",
            "rel": r"\bcomo (?:e que )?(?:se chama|chama se) (?:o |a )?(?P<poss>meu|minha) {REL}\b"
            r"|\bcomo (?:o |a )?(?P<poss>meu|minha) {REL} se chama\b"
            r"|\bqual (?:e )?o nome d(?:o|a) (?P<poss>meu|minha) {REL}\b",
            "event": r"\bquando (?:e|sera|era|eu tenho|tenho|vai ser) (?:o |a |os |as )?(?:meu |minha |meus |minhas )?{EV}\b",
            "home": r"\bonde (?:eu )?(?:moro|vivo)\b",
            "age": r"\bquantos anos (?:eu )?tenho\b",
        },
    ),
    "it": _questions(
        _IT,
        {
            "all": r"\b(?:cosa|che cosa|che) (?:sai|ricordi|ti ricordi|hai salvato|sai tu) (?:di|su|su di) me\b"
            r"|\bti ricordi di me\b",
            "rel": r"\bcome si chiama (?:il |la |lo )?(?:mio|mia) {REL}\b|\bqual e il nome del(?:la|lo)? (?:mio|mia) {REL}\b",
            "event": r"\bquando (?:e|ho|sara|era|avro) (?:il |la |lo |i |gli |le |l)?(?:mio |mia |miei |mie )?{EV}\b",
            "home": r"\bdove (?:abito|vivo)\b",
            "age": r"\bquanti anni ho\b",
        },
    ),
}
"""The recall questions of each language ("¿cómo se llama mi perro?", "was weißt du über mich?")."""


def _recall_in(text: str, t: str) -> str | None:
    """A recall question in es, fr, de, pt or it as ``<kind>@<lang>``, or None. Only the question itself:
    it ends with "?" or is the whole message ("cuando tengo el examen me pongo nervioso" is not one)."""
    core = t.strip(" ¿?¡!.,;:")
    for code, asks in _ASKS_IN.items():
        lang = next(x for x in _LANGS if x.code == code)
        for what, pattern in ((w, p) for w, ps in asks.items() for p in ps):
            m = pattern.search(t)
            if m is None or not ("?" in text or m.group(0) == core):
                continue
            if what == "rel":
                poss = m.group("poss") if "poss" in pattern.groupindex else ""
                pet = lang.pets.kind(m.group("rel"), poss)
                person = lang.people.kind(m.group("rel"), poss)
                if pet:
                    return f"pet:{pet}@{code}"
                if person:
                    return f"person:{person}@{code}"
                continue
            if what == "event":
                ev = lang.events.kind(m.group("ev"))
                if ev is None:
                    continue
                return f"event:{ev}@{code}"
            return f"{what}@{code}"
    return None


@dataclass(frozen=True)
class _Texts:
    """How one language says the facts back. ``items`` are main clauses (the "what do you remember" list);
    an answer is ``told`` around the item, unless ``answers`` has its own sentence for the kind."""

    told: str
    unknown: str
    off: str
    nothing: str
    listing: str
    items: Mapping[str, str]
    answers: Mapping[str, str]
    pets: Mapping[str, str]
    people: Mapping[str, str]
    events: Mapping[str, str]
    weekdays: tuple[str, ...]
    months: tuple[str, ...]
    days: Mapping[str, str]
    """today, tomorrow, yesterday, other: how a day is said ({label}, {wd}, {d}, {month}, {on})."""
    subject: str = ""
    """A subject the answer drops after ``told`` (Portuguese "Você ...": "Você me disse que tem ...")."""


# fmt: off
_TEXTS: dict[str, _Texts] = {
    "es": _Texts(
        told="Me dijiste que {c}.",
        unknown="Todavía no me lo has dicho.",
        off="Ahora mismo no estoy recordando nuestras conversaciones (/memory off), así que no guardo nada "
        "sobre ti. /memory on vuelve a activar la memoria.",
        nothing="Aparte de nuestros mensajes recientes, nada todavía: recuerdo algunas cosas que me cuentas, "
        "como tu nombre o un examen que se acerca, cuando las mencionas. /export muestra todo lo guardado, "
        "/forget lo borra.",
        listing="Aparte de nuestros mensajes recientes, esto es lo que recuerdo de ti:\n{listed}\n/export "
        "muestra todo lo guardado sobre ti, /forget lo borra, /reset borra nuestra conversación y estas notas.",
        items={
            "name": "Te llamas {v}", "pronouns": "Tus pronombres son {v}", "age": "Tienes {v} años",
            "home": "Vives en {v}", "work_as": "Trabajas como {v}", "work_at": "Trabajas en {v}",
            "study": "Estudias {v}", "pet": "Tienes {pet} que se llama {v}", "person": "{rel} se llama {v}",
            "event": "Tienes {event} {when}", "event_past": "Tuviste {event} {when}",
        },
        answers={},
        pets={
            "dog": "un perro", "puppy": "un cachorro", "cat": "un gato", "kitten": "un gatito",
            "bunny": "un conejito", "rabbit": "un conejo", "hamster": "un hámster", "guinea pig": "una cobaya",
            "parrot": "un loro", "bird": "un pájaro", "horse": "un caballo", "fish": "un pez",
            "turtle": "una tortuga", "tortoise": "una tortuga", "snake": "una serpiente",
            "lizard": "un lagarto", "gecko": "un gecko", "ferret": "un hurón", "rat": "una rata",
            "budgie": "un periquito",
        },
        people={
            "mom": "tu madre", "mum": "tu madre", "mother": "tu madre", "dad": "tu padre", "father": "tu padre",
            "sister": "tu hermana", "brother": "tu hermano", "wife": "tu esposa", "husband": "tu marido",
            "partner": "tu pareja", "girlfriend": "tu novia", "boyfriend": "tu novio", "fiance": "tu prometido",
            "fiancee": "tu prometida", "son": "tu hijo", "daughter": "tu hija", "grandma": "tu abuela",
            "grandpa": "tu abuelo", "grandmother": "tu abuela", "grandfather": "tu abuelo",
            "best friend": "tu mejor amigo", "bestie": "tu mejor amigo", "roommate": "tu compañero de piso",
            "flatmate": "tu compañero de piso", "aunt": "tu tía", "uncle": "tu tío", "cousin": "tu primo",
            "teacher": "tu profesor", "therapist": "tu terapeuta", "boss": "tu jefe", "baby": "tu bebé",
        },
        events={
            "exam": "un examen", "final": "un examen final", "finals": "los exámenes finales",
            "test": "una prueba", "interview": "una entrevista", "job interview": "una entrevista de trabajo",
            "date": "una cita", "first date": "una primera cita", "appointment": "una cita",
            "doctor's appointment": "una cita con el médico", "surgery": "una operación",
            "operation": "una operación", "presentation": "una presentación", "audition": "una audición",
            "driving test": "el examen de conducir", "recital": "un recital", "concert": "un concierto",
            "match": "un partido", "game": "un partido", "tryout": "una prueba de selección",
            "tryouts": "una prueba de selección", "deadline": "una entrega", "wedding": "una boda",
            "birthday": "tu cumpleaños", "graduation": "tu graduación", "court date": "un juicio",
            "hearing": "una audiencia", "therapy session": "una sesión de terapia",
            "first day": "tu primer día", "meeting": "una reunión", "competition": "una competición",
            "race": "una carrera", "trip": "un viaje", "flight": "un vuelo", "move": "una mudanza",
        },
        weekdays=("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
        months=("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
                "octubre", "noviembre", "diciembre"),
        days={"label": "{wd} {d} de {month}", "today": "hoy ({label})", "tomorrow": "mañana ({label})",
              "yesterday": "ayer ({label})", "other": "el {label}"},
    ),
    "fr": _Texts(
        told="Tu m'as dit que {c}.",
        unknown="Tu ne me l'as pas encore dit.",
        off="Je ne retiens pas nos conversations en ce moment (/memory off), donc je ne garde rien sur toi. "
        "/memory on réactive la mémoire.",
        nothing="À part nos messages récents, rien pour l'instant : je retiens quelques choses que tu me dis, "
        "comme ton prénom ou un examen qui approche, quand tu en parles. /export montre tout ce qui est "
        "enregistré, /forget l'efface.",
        listing="À part nos messages récents, voici ce que je retiens de toi :\n{listed}\n/export montre tout "
        "ce qui est enregistré sur toi, /forget l'efface, /reset efface notre conversation et ces notes.",
        items={
            "name": "Tu t'appelles {v}", "pronouns": "Tes pronoms sont {v}", "age": "Tu as {v} ans",
            "home": "Où tu habites : {v}", "work_as": "Tu travailles comme {v}",
            "work_at": "Tu travailles chez {v}", "study": "Tu fais des études {de}{v}",
            "pet": "Tu as {pet} qui s'appelle {v}", "person": "{rel} s'appelle {v}",
            "event": "Tu as {event} {when}", "event_past": "Tu as eu {event} {when}",
        },
        answers={"home": "Tu m'as dit où tu habites : {v}."},
        pets={
            "dog": "un chien", "puppy": "un chiot", "cat": "un chat", "kitten": "un chaton",
            "bunny": "un lapin", "rabbit": "un lapin", "hamster": "un hamster",
            "guinea pig": "un cochon d'Inde", "parrot": "un perroquet", "bird": "un oiseau",
            "horse": "un cheval", "fish": "un poisson", "turtle": "une tortue", "tortoise": "une tortue",
            "snake": "un serpent", "lizard": "un lézard", "gecko": "un gecko", "ferret": "un furet",
            "rat": "un rat", "budgie": "une perruche",
        },
        people={
            "mom": "ta mère", "mum": "ta mère", "mother": "ta mère", "dad": "ton père", "father": "ton père",
            "sister": "ta sœur", "brother": "ton frère", "wife": "ta femme", "husband": "ton mari",
            "partner": "ton ou ta partenaire", "girlfriend": "ta copine", "boyfriend": "ton copain",
            "fiance": "ton fiancé", "fiancee": "ta fiancée", "son": "ton fils", "daughter": "ta fille",
            "grandma": "ta grand-mère", "grandpa": "ton grand-père", "grandmother": "ta grand-mère",
            "grandfather": "ton grand-père", "best friend": "ton meilleur ami", "bestie": "ton meilleur ami",
            "roommate": "ton colocataire", "flatmate": "ton colocataire", "aunt": "ta tante",
            "uncle": "ton oncle", "cousin": "ton cousin", "teacher": "ton prof", "therapist": "ton psy",
            "boss": "ton chef", "baby": "ton bébé",
        },
        events={
            "exam": "un examen", "final": "un examen final", "finals": "tes examens de fin d'année",
            "test": "un contrôle", "interview": "un entretien", "job interview": "un entretien d'embauche",
            "date": "un rendez-vous amoureux", "first date": "un premier rendez-vous",
            "appointment": "un rendez-vous", "doctor's appointment": "un rendez-vous chez le médecin",
            "surgery": "une opération", "operation": "une opération", "presentation": "une présentation",
            "audition": "une audition", "driving test": "l'examen du permis", "recital": "un récital",
            "concert": "un concert", "match": "un match", "game": "un match", "tryout": "des sélections",
            "tryouts": "des sélections", "deadline": "un rendu", "wedding": "un mariage",
            "birthday": "ton anniversaire", "graduation": "ta remise de diplôme",
            "court date": "une audience au tribunal", "hearing": "une audience",
            "therapy session": "une séance de thérapie", "first day": "ton premier jour",
            "meeting": "une réunion", "competition": "une compétition", "race": "une course",
            "trip": "un voyage", "flight": "un vol", "move": "un déménagement",
        },
        weekdays=("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
        months=("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                "octobre", "novembre", "décembre"),
        days={"label": "{wd} {d} {month}", "today": "aujourd'hui ({label})", "tomorrow": "demain ({label})",
              "yesterday": "hier ({label})", "other": "le {label}"},
    ),
    "de": _Texts(
        told="Du hast mir gesagt, dass {c}.",
        unknown="Das hast du mir noch nicht gesagt.",
        off="Ich merke mir unsere Gespräche gerade nicht (/memory off), also speichere ich nichts über dich. "
        "/memory on schaltet das Gedächtnis wieder ein.",
        nothing="Außer unseren letzten Nachrichten noch nichts: Ich merke mir ein paar Dinge, die du mir "
        "erzählst, etwa deinen Namen oder eine anstehende Prüfung. /export zeigt alles Gespeicherte, "
        "/forget löscht es.",
        listing="Außer unseren letzten Nachrichten merke ich mir das über dich:\n{listed}\n/export zeigt "
        "alles, was über dich gespeichert ist, /forget löscht es, /reset löscht unser Gespräch und diese Notizen.",
        items={
            "name": "Du heißt {v}", "pronouns": "Deine Pronomen sind {v}", "age": "Du bist {v} Jahre alt",
            "home": "Wo du wohnst: {v}", "work_as": "Du arbeitest als {v}", "work_at": "Du arbeitest bei {v}",
            "study": "Du studierst {v}", "pet": "Du hast {pet} namens {v}", "person": "{rel} heißt {v}",
            "event": "Du hast {when} {event}", "event_past": "Du hattest {when} {event}",
        },
        answers={
            "name": "Du hast mir gesagt, dass du {v} heißt.",
            "pronouns": "Du hast mir gesagt, dass deine Pronomen {v} sind.",
            "age": "Du hast mir gesagt, dass du {v} Jahre alt bist.",
            "home": "Du hast mir gesagt, wo du wohnst: {v}.",
            "work_as": "Du hast mir gesagt, dass du als {v} arbeitest.",
            "work_at": "Du hast mir gesagt, dass du bei {v} arbeitest.",
            "study": "Du hast mir gesagt, dass du {v} studierst.",
            "pet": "Du hast mir gesagt, dass du {pet} namens {v} hast.",
            "person": "Du hast mir gesagt, dass {rel} {v} heißt.",
            "event": "Du hast mir gesagt, dass du {when} {event} hast.",
            "event_past": "Du hast mir gesagt, dass du {when} {event} hattest.",
        },
        pets={
            "dog": "einen Hund", "puppy": "einen Welpen", "cat": "eine Katze", "kitten": "ein Kätzchen",
            "bunny": "ein Häschen", "rabbit": "ein Kaninchen", "hamster": "einen Hamster",
            "guinea pig": "ein Meerschweinchen", "parrot": "einen Papagei", "bird": "einen Vogel",
            "horse": "ein Pferd", "fish": "einen Fisch", "turtle": "eine Schildkröte",
            "tortoise": "eine Schildkröte", "snake": "eine Schlange", "lizard": "eine Eidechse",
            "gecko": "einen Gecko", "ferret": "ein Frettchen", "rat": "eine Ratte",
            "budgie": "einen Wellensittich",
        },
        people={
            "mom": "deine Mutter", "mum": "deine Mutter", "mother": "deine Mutter", "dad": "dein Vater",
            "father": "dein Vater", "sister": "deine Schwester", "brother": "dein Bruder", "wife": "deine Frau",
            "husband": "dein Mann", "partner": "dein Partner oder deine Partnerin",
            "girlfriend": "deine Freundin", "boyfriend": "dein Freund", "fiance": "dein Verlobter",
            "fiancee": "deine Verlobte", "son": "dein Sohn", "daughter": "deine Tochter", "grandma": "deine Oma",
            "grandpa": "dein Opa", "grandmother": "deine Oma", "grandfather": "dein Opa",
            "best friend": "dein bester Freund", "bestie": "dein bester Freund",
            "roommate": "dein Mitbewohner", "flatmate": "dein Mitbewohner", "aunt": "deine Tante",
            "uncle": "dein Onkel", "cousin": "dein Cousin", "teacher": "dein Lehrer",
            "therapist": "dein Therapeut", "boss": "dein Chef", "baby": "dein Baby",
        },
        events={
            "exam": "eine Prüfung", "final": "eine Abschlussprüfung", "finals": "Abschlussprüfungen",
            "test": "einen Test", "interview": "ein Vorstellungsgespräch",
            "job interview": "ein Vorstellungsgespräch", "date": "ein Date", "first date": "ein erstes Date",
            "appointment": "einen Termin", "doctor's appointment": "einen Arzttermin",
            "surgery": "eine Operation", "operation": "eine Operation", "presentation": "eine Präsentation",
            "audition": "ein Vorsprechen", "driving test": "die Fahrprüfung", "recital": "einen Auftritt",
            "concert": "ein Konzert", "match": "ein Spiel", "game": "ein Spiel", "tryout": "ein Probetraining",
            "tryouts": "ein Probetraining", "deadline": "eine Abgabe", "wedding": "eine Hochzeit",
            "birthday": "Geburtstag", "graduation": "deine Abschlussfeier",
            "court date": "einen Gerichtstermin", "hearing": "eine Anhörung",
            "therapy session": "eine Therapiesitzung", "first day": "deinen ersten Tag",
            "meeting": "ein Meeting", "competition": "einen Wettkampf", "race": "ein Rennen",
            "trip": "eine Reise", "flight": "einen Flug", "move": "deinen Umzug",
        },
        weekdays=("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
        months=("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
                "Oktober", "November", "Dezember"),
        days={"label": "{wd}, {d}. {month}", "today": "heute ({label})", "tomorrow": "morgen ({label})",
              "yesterday": "gestern ({label})", "other": "am {wd} ({d}. {month})"},
    ),
    "pt": _Texts(
        told="Você me disse que {c}.",
        unknown="Você ainda não me disse isso.",
        off="No momento eu não estou guardando nossas conversas (/memory off), então não guardo nada sobre "
        "você. /memory on liga a memória de novo.",
        nothing="Além das nossas mensagens recentes, nada ainda: eu guardo algumas coisas que você me conta, "
        "como seu nome ou uma prova chegando, quando você fala delas. /export mostra tudo o que está "
        "guardado, /forget apaga.",
        listing="Além das nossas mensagens recentes, isto é o que eu lembro sobre você:\n{listed}\n/export "
        "mostra tudo o que está guardado sobre você, /forget apaga, /reset apaga nossa conversa e estas anotações.",
        items={
            "name": "Você se chama {v}", "pronouns": "Seus pronomes são {v}", "age": "Você tem {v} anos",
            "home": "Onde você mora: {v}", "work_as": "Você trabalha como {v}",
            "work_at": "Onde você trabalha: {v}", "study": "Você estuda {v}",
            "pet": "Você tem {pet} que se chama {v}", "person": "{rel} se chama {v}",
            "event": "Você tem {event} {when}", "event_past": "Você teve {event} {when}",
        },
        answers={"home": "Você me disse onde mora: {v}.", "work_at": "Você me disse onde trabalha: {v}."},
        pets={
            "dog": "um cachorro", "puppy": "um filhote", "cat": "um gato", "kitten": "um gatinho",
            "bunny": "um coelhinho", "rabbit": "um coelho", "hamster": "um hamster",
            "guinea pig": "um porquinho-da-índia", "parrot": "um papagaio", "bird": "um pássaro",
            "horse": "um cavalo", "fish": "um peixe", "turtle": "uma tartaruga", "tortoise": "um jabuti",
            "snake": "uma cobra", "lizard": "um lagarto", "gecko": "uma lagartixa", "ferret": "um furão",
            "rat": "um rato", "budgie": "um periquito",
        },
        people={
            "mom": "sua mãe", "mum": "sua mãe", "mother": "sua mãe", "dad": "seu pai", "father": "seu pai",
            "sister": "sua irmã", "brother": "seu irmão", "wife": "sua esposa", "husband": "seu marido",
            "partner": "seu parceiro ou sua parceira", "girlfriend": "sua namorada",
            "boyfriend": "seu namorado", "fiance": "seu noivo", "fiancee": "sua noiva", "son": "seu filho",
            "daughter": "sua filha", "grandma": "sua avó", "grandpa": "seu avô", "grandmother": "sua avó",
            "grandfather": "seu avô", "best friend": "seu melhor amigo", "bestie": "seu melhor amigo",
            "roommate": "seu colega de casa", "flatmate": "seu colega de casa", "aunt": "sua tia",
            "uncle": "seu tio", "cousin": "seu primo", "teacher": "seu professor",
            "therapist": "seu terapeuta", "boss": "seu chefe", "baby": "seu bebê",
        },
        events={
            "exam": "uma prova", "final": "uma prova final", "finals": "as provas finais", "test": "um teste",
            "interview": "uma entrevista", "job interview": "uma entrevista de emprego",
            "date": "um encontro", "first date": "um primeiro encontro", "appointment": "uma consulta",
            "doctor's appointment": "uma consulta médica", "surgery": "uma cirurgia",
            "operation": "uma cirurgia", "presentation": "uma apresentação", "audition": "uma audição",
            "driving test": "o exame de direção", "recital": "um recital", "concert": "um show",
            "match": "um jogo", "game": "um jogo", "tryout": "um teste de seleção",
            "tryouts": "um teste de seleção", "deadline": "um prazo de entrega", "wedding": "um casamento",
            "birthday": "seu aniversário", "graduation": "sua formatura",
            "court date": "uma audiência no tribunal", "hearing": "uma audiência",
            "therapy session": "uma sessão de terapia", "first day": "seu primeiro dia",
            "meeting": "uma reunião", "competition": "uma competição", "race": "uma corrida",
            "trip": "uma viagem", "flight": "um voo", "move": "uma mudança",
        },
        weekdays=("segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado",
                  "domingo"),
        months=("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro",
                "outubro", "novembro", "dezembro"),
        days={"label": "{wd}, {d} de {month}", "today": "hoje ({label})", "tomorrow": "amanhã ({label})",
              "yesterday": "ontem ({label})", "other": "{on} {label}"},
        subject="Você ",
    ),
    "it": _Texts(
        told="Mi hai detto che {c}.",
        unknown="Non me l'hai ancora detto.",
        off="In questo momento non sto ricordando le nostre conversazioni (/memory off), quindi non conservo "
        "niente su di te. /memory on riattiva la memoria.",
        nothing="A parte i nostri messaggi recenti, ancora niente: ricordo alcune cose che mi dici, come il "
        "tuo nome o un esame in arrivo, quando ne parli. /export mostra tutto ciò che è salvato, /forget lo "
        "cancella.",
        listing="A parte i nostri messaggi recenti, ecco cosa ricordo di te:\n{listed}\n/export mostra tutto "
        "ciò che è salvato su di te, /forget lo cancella, /reset cancella la nostra conversazione e queste note.",
        items={
            "name": "Ti chiami {v}", "pronouns": "I tuoi pronomi sono {v}", "age": "Hai {v} anni",
            "home": "Dove abiti: {v}", "work_as": "Lavori come {v}", "work_at": "Lavori presso {v}",
            "study": "Studi {v}", "pet": "Hai {pet} che si chiama {v}", "person": "{rel} si chiama {v}",
            "event": "Hai {event} {when}", "event_past": "Hai avuto {event} {when}",
        },
        answers={"home": "Mi hai detto dove abiti: {v}."},
        pets={
            "dog": "un cane", "puppy": "un cucciolo", "cat": "un gatto", "kitten": "un gattino",
            "bunny": "un coniglietto", "rabbit": "un coniglio", "hamster": "un criceto",
            "guinea pig": "una cavia", "parrot": "un pappagallo", "bird": "un uccellino",
            "horse": "un cavallo", "fish": "un pesce", "turtle": "una tartaruga", "tortoise": "una testuggine",
            "snake": "un serpente", "lizard": "una lucertola", "gecko": "un geco", "ferret": "un furetto",
            "rat": "un ratto", "budgie": "un pappagallino",
        },
        people={
            "mom": "tua madre", "mum": "tua madre", "mother": "tua madre", "dad": "tuo padre",
            "father": "tuo padre", "sister": "tua sorella", "brother": "tuo fratello", "wife": "tua moglie",
            "husband": "tuo marito", "partner": "il tuo o la tua partner", "girlfriend": "la tua ragazza",
            "boyfriend": "il tuo ragazzo", "fiance": "il tuo fidanzato", "fiancee": "la tua fidanzata",
            "son": "tuo figlio", "daughter": "tua figlia", "grandma": "tua nonna", "grandpa": "tuo nonno",
            "grandmother": "tua nonna", "grandfather": "tuo nonno", "best friend": "il tuo migliore amico",
            "bestie": "il tuo migliore amico", "roommate": "il tuo coinquilino",
            "flatmate": "il tuo coinquilino", "aunt": "tua zia", "uncle": "tuo zio", "cousin": "tuo cugino",
            "teacher": "il tuo insegnante", "therapist": "il tuo terapeuta", "boss": "il tuo capo",
            "baby": "il tuo bambino",
        },
        events={
            "exam": "un esame", "final": "un esame finale", "finals": "gli esami finali", "test": "una verifica",
            "interview": "un colloquio", "job interview": "un colloquio di lavoro", "date": "un appuntamento",
            "first date": "un primo appuntamento", "appointment": "un appuntamento",
            "doctor's appointment": "una visita medica", "surgery": "un intervento",
            "operation": "un intervento", "presentation": "una presentazione", "audition": "un provino",
            "driving test": "l'esame della patente", "recital": "un saggio", "concert": "un concerto",
            "match": "una partita", "game": "una partita", "tryout": "un provino", "tryouts": "un provino",
            "deadline": "una scadenza", "wedding": "un matrimonio", "birthday": "il tuo compleanno",
            "graduation": "la tua laurea", "court date": "un'udienza in tribunale",
            "hearing": "un'udienza", "therapy session": "una seduta di terapia",
            "first day": "il tuo primo giorno", "meeting": "una riunione", "competition": "una gara",
            "race": "una gara", "trip": "un viaggio", "flight": "un volo", "move": "un trasloco",
        },
        weekdays=("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"),
        months=("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
                "ottobre", "novembre", "dicembre"),
        days={"label": "{wd} {d} {month}", "today": "oggi ({label})", "tomorrow": "domani ({label})",
              "yesterday": "ieri ({label})", "other": "{label}"},
    ),
}
# fmt: on


def _when_in(tx: _Texts, day: str, today: dt.date) -> str:
    d = dt.date.fromisoformat(day)
    parts = {"wd": tx.weekdays[d.weekday()], "d": d.day, "month": tx.months[d.month - 1]}
    parts["on"] = "no" if d.weekday() >= 5 else "na"  # Portuguese: "no sábado", "na sexta-feira"
    label = tx.days["label"].format(**parts)
    delta = (d - today).days
    which = {0: "today", 1: "tomorrow", -1: "yesterday"}.get(delta, "other")
    return tx.days[which].format(label=label, **parts)


def _said_in(lang: str, kind: str, entry: Mapping[str, Any], today: dt.date) -> tuple[str, str] | None:
    """One fact in ``lang``: (the list item, the answer to a question about it)."""
    tx = _TEXTS[lang]
    v = str(entry["value"])
    base, _, sub = kind.partition(":")
    values: dict[str, str] = {"v": v}
    if base == "work":
        how, _, rest = v.partition(" ")
        if how in ("as", "at") and rest:
            v = re.sub(r"^(?:a|an) ", "", rest)
        base = "work_at" if how == "at" else "work_as"
        values["v"] = v
    elif base == "study":
        values["de"] = "d'" if _plain(v[:1]).lower() in "aeiouh" else "de "
    elif base == "pet":
        values["pet"] = tx.pets.get(sub, sub)
    elif base == "person":
        values["rel"] = tx.people.get(sub, sub)
    elif base == "event":
        if not entry.get("day"):
            return None
        d = dt.date.fromisoformat(str(entry["day"]))
        values["event"] = tx.events.get(sub, sub)
        values["when"] = _when_in(tx, str(entry["day"]), today)
        base = "event_past" if d < today else "event"
    if base not in tx.items:
        return None
    item = tx.items[base].format(**values)
    item = item[:1].upper() + item[1:]
    if base in tx.answers:
        return item, tx.answers[base].format(**values)
    clause = item[len(tx.subject) :] if tx.subject and item.startswith(tx.subject) else item
    return item, tx.told.format(c=clause[:1].lower() + clause[1:])


def _answer_in(lang: str, question: str, facts: Mapping[str, Any], now: float, *, remembering: bool) -> str:
    tx = _TEXTS[lang]
    if not remembering:
        return tx.off
    today = dt.datetime.fromtimestamp(now).date()
    if question == "name":
        known, unknown = _NAME_ANSWERS[lang]
        name = facts.get("name", {}).get("value")
        return known.format(name=name) if name else unknown
    if question != "all":
        found = {k: v for k, v in facts.items() if k == question}
        if not found and question.startswith("event:"):  # "¿cuándo es mi examen?" also finds a final exam
            what = question.partition(":")[2]
            found = {k: v for k, v in facts.items() if k.startswith("event:") and what in k}
        for kind, entry in found.items():
            said = _said_in(lang, kind, entry, today)
            if said:
                return said[1]
        return tx.unknown
    order = sorted(facts.items(), key=lambda kv: _ORDER.get(kv[0].split(":")[0], 9))
    items = [said[0] for kind, entry in order if (said := _said_in(lang, kind, entry, today))]
    if not items:
        return tx.nothing
    return tx.listing.format(listed="\n".join(f"- {item}" for item in items))
