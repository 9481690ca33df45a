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

Only statements count, in English, with a few of the most common ways to say one's name in Spanish,
French, German, Italian and Portuguese: a question ("is my name Sam?"), a negation ("my name isn't
Sam"), a wish or a hypothetical ("if I lived in Paris") or someone else's words are left alone.

Facts are kept with the person's other preferences (``prefs["facts"]``) for the same conversation key,
so ``/export`` shows them, ``/forget`` deletes them, ``/reset`` and ``/memory off`` clear them, and they
follow ``memory.retention_days`` like the history they came from. Each has the time it was said; a
newer statement of the same fact replaces the older one.

``render`` turns them into one line for the system prompt; ``answer_recall`` answers "what's my name?"
and "what do you remember about me?" from them, truthfully, without the model.
"""

from __future__ import annotations

import datetime as dt
import re
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
    "event:exam", "how old am i?" -> "age"); None otherwise. Only short messages that are the question
    itself, so a long message that mentions one goes to the model."""
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
        return None
    if _ASKS_NAME.search(t):
        return "name"
    m = _ASKS_ONE.search(t)
    if m is None:
        return None
    if m.group(1):
        who = m.group(1)
        return f"{'pet' if who in _PETS else 'person'}:{who}"
    if m.group(2):
        return f"event:{m.group(2)}"
    return "age" if m.group(3) else "home"


def answer_recall(question: str, facts: Mapping[str, Any], now: float, *, remembering: bool) -> str:
    """A truthful answer from the stored facts, never a guess."""
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
