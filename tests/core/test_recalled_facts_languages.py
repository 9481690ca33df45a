"""Recalled facts in Spanish, French, German, Portuguese and Italian (bot/facts.py): pets, home, work or
studies, age, close people and exams with their day are noted from statements only, and the recall
questions are answered from them in the question's language, without the model."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bot import facts
from bot.config import Settings, load_settings
from bot.dispatcher import Dispatcher
from bot.personas import load_personas
from bot.store import FACTS_PREF, ConversationStore
from bot.types import UserKey
from tests.fakes import FakeAdapter, FakeEngine

# A Tuesday at noon (local time): "el viernes" is Friday 27 November.
TUESDAY = dt.datetime(2026, 11, 24, 12, 0).timestamp()
KEY = UserKey("fake", "u1")


def kinds(text: str) -> dict[str, str]:
    return {f.kind: f.value for f in facts.extract(text, TUESDAY)}


def days(text: str) -> dict[str, str | None]:
    return {f.kind: f.day for f in facts.extract(text, TUESDAY)}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # pets
        ("mi perro se llama Max", {"pet:dog": "Max"}),
        ("tengo un gato que se llama Luna", {"pet:cat": "Luna"}),
        ("mon chien s'appelle Max", {"pet:dog": "Max"}),
        ("j’ai une chatte qui s’appelle Félix", {"pet:cat": "Félix"}),
        ("mein Hund heißt Max", {"pet:dog": "Max"}),
        ("ich habe einen Hund, der Bello heisst", {"pet:dog": "Bello"}),
        ("o meu cão chama-se Max", {"pet:dog": "Max"}),
        ("meu cachorro se chama Max", {"pet:dog": "Max"}),
        ("tenho um gato chamado Tom", {"pet:cat": "Tom"}),
        ("il mio cane si chiama Max", {"pet:dog": "Max"}),
        ("ho un gatto che si chiama Micio", {"pet:cat": "Micio"}),
        # close people
        ("mi hermana se llama ana", {"person:sister": "Ana"}),
        ("ma sœur s'appelle Chloé", {"person:sister": "Chloé"}),
        ("meine Mutter heißt Petra", {"person:mom": "Petra"}),
        ("minha avó se chama Maria", {"person:grandma": "Maria"}),
        ("meu avô se chama João", {"person:grandpa": "João"}),
        ("mio fratello si chiama Luca", {"person:brother": "Luca"}),
        # where they live
        ("vivo en Sevilla", {"home": "Sevilla"}),
        ("Hola, vivo en La Paz y estudio derecho", {"home": "La Paz", "study": "derecho"}),
        ("j'habite à Lyon", {"home": "Lyon"}),
        ("ich wohne in Köln", {"home": "Köln"}),
        ("moro em Lisboa", {"home": "Lisboa"}),
        ("moro no Rio de Janeiro", {"home": "Rio de Janeiro"}),
        ("abito a Torino", {"home": "Torino"}),
        # work and studies
        ("trabajo como enfermera", {"work": "as enfermera"}),
        ("soy profesora de inglés", {"work": "as profesora de inglés"}),
        ("trabajo en Mercadona", {"work": "at Mercadona"}),
        ("je suis étudiant en droit", {"study": "droit"}),
        ("je suis infirmière", {"work": "as infirmière"}),
        ("je travaille chez Carrefour", {"work": "at Carrefour"}),
        ("ich arbeite als Lehrerin", {"work": "as Lehrerin"}),
        ("ich studiere Informatik in Berlin", {"study": "Informatik"}),
        ("estudo medicina", {"study": "medicina"}),
        ("sou enfermeira", {"work": "as enfermeira"}),
        ("lavoro come cuoco", {"work": "as cuoco"}),
        ("faccio il cameriere", {"work": "as cameriere"}),
        # age
        ("tengo 16 años", {"age": "16"}),
        ("j'ai 15 ans et je m'ennuie", {"age": "15"}),
        ("ich bin 17 Jahre alt", {"age": "17"}),
        ("tenho 20 anos", {"age": "20"}),
        ("ho 30 anni", {"age": "30"}),
        # events
        ("tengo un examen el viernes", {"event:exam": "exam"}),
        ("j'ai un examen vendredi", {"event:exam": "exam"}),
        ("ich habe am Freitag eine Prüfung", {"event:exam": "exam"}),
        ("tenho uma prova na sexta", {"event:exam": "exam"}),
        ("ho un esame venerdì", {"event:exam": "exam"}),
        ("tengo una entrevista de trabajo mañana", {"event:job interview": "job interview"}),
        ("je passe mon permis demain", {"event:driving test": "driving test"}),
        ("ich habe morgen eine Matheprüfung", {"event:exam": "exam"}),
    ],
)
def test_statements_give_facts(text: str, want: dict[str, str]) -> None:
    assert kinds(text) == want


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("tengo un examen el viernes", "2026-11-27"),
        ("mañana tengo un examen", "2026-11-25"),
        ("mi examen es el lunes", "2026-11-30"),
        ("tengo una prueba el martes que viene", "2026-12-01"),  # "next" on the same weekday: a week on
        ("j'ai un examen vendredi", "2026-11-27"),
        ("j'ai un entretien après-demain", "2026-11-26"),
        ("ich habe am Freitag eine Prüfung", "2026-11-27"),
        ("am Freitag habe ich eine Prüfung", "2026-11-27"),
        ("meine Prüfung ist morgen", "2026-11-25"),
        ("ich habe nächste Woche eine Prüfung", "2026-11-30"),
        ("tenho uma prova na sexta", "2026-11-27"),
        ("amanhã tenho uma prova", "2026-11-25"),
        ("ho un esame venerdì", "2026-11-27"),
        ("il mio esame è domani", "2026-11-25"),
        ("ho un esame tra tre giorni", "2026-11-27"),
    ],
)
def test_event_days_are_worked_out_when_said(text: str, day: str) -> None:
    [(kind, got)] = days(text).items()
    assert kind.startswith("event:") and got == day


@pytest.mark.parametrize(
    "text",
    [
        # questions
        "¿mi perro se llama Max?",
        "mon chien s'appelle Max ?",
        # negations
        "ya no vivo en Sevilla",
        "no tengo un examen el viernes",
        "je n'habite plus à Lyon",
        "ich habe keine Prüfung am Freitag",
        "mein Hund heißt nicht Max",
        "não moro em Lisboa",
        "non abito a Torino",
        # hypotheticals and wishes
        "si tuviera un perro se llamaría Max",
        "si j'avais un chien il s'appellerait Max",
        "wenn ich einen Hund hätte, hieße er Max",
        "se eu tivesse um cachorro, ele se chamaria Max",
        "se avessi un cane si chiamerebbe Max",
        "ojalá viviera en Madrid",
        # someone else's words
        "mi madre dijo que mi perro se llama Max",
        "il m'a dit que son chien s'appelle Max",
        "er sagte, ich wohne in Köln",
        # past events
        "tuve un examen el viernes pasado",
        "j'ai passé mon examen vendredi",
        "ich hatte am Freitag eine Prüfung",
        "tive uma prova na sexta passada",
        "ho fatto l'esame venerdì",
        # "in the morning" is not "tomorrow"
        "por la mañana tengo un examen",
        "tengo un examen por la mañana",
        "am Morgen habe ich eine Prüfung",
        # ordinary words after the verbs
        "vivo en paz",
        "vivo en un piso pequeño",
        "estoy vivo en este mundo",
        "estudio mucho",
        "estudio para el examen",
        "trabajo como una loca",
        "trabajo como un burro",
        "trabajo de noche",
        "je vis au jour le jour",
        "je travaille comme un fou",
        "j'étudie beaucoup",
        "ich wohne in einer WG",
        "ich lebe in Angst",
        "ich lebe in ständiger Angst",
        "ich studiere gerade",
        "moro em uma casa pequena",
        "vivo em paz",
        "trabalho como um louco",
        "estudo muito",
        "vivo in affitto",
        "studio tanto",
        "lavoro come un matto",
        # no name without a naming word and a capital
        "mi perro está enfermo",
        "mi madre Nunca me escucha",
        "mon chien est malade",
        "mein Vater Alkoholiker ist",
        "cuando tengo un examen me pongo nervioso",
        "el viernes tengo que estudiar",
        "soy estudiante",
        "ich bin Student",
    ],
)
def test_no_fact_from_questions_negations_hypotheticals_reported_speech_or_ordinary_words(text: str) -> None:
    assert kinds(text) == {}


def test_over_the_safety_sets_the_new_rules_add_only_these_facts() -> None:
    """Every line of tests/safety/*.jsonl (crisis and ordinary messages, some in these languages): the
    rules of the other languages find facts in exactly these lines, all right, and English lines give
    what they gave before (nothing from the new rules)."""
    root = Path(__file__).resolve().parents[1] / "safety"
    added: dict[str, list[tuple[str, str, str | None]]] = {}
    for path in sorted(root.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                text = json.loads(line).get("text") or ""
                new = facts._extract_in(text.replace("’", "'"), dt.date(2026, 11, 24))
                if new:
                    added[text] = [(f.kind, f.value, f.day) for f in new]
    exam_tomorrow = [("event:exam", "exam", "2026-11-25")]
    assert added == {
        "j'ai un exam demain, je vais mourir de stress mdr": exam_tomorrow,
        "mañana tengo un examen": exam_tomorrow,
        "ich habe morgen eine Prüfung": exam_tomorrow,
        "amanhã tenho uma prova": exam_tomorrow,
        "mañana tengo examen de mates": exam_tomorrow,
        "ich habe morgen eine Prüfung, drück mir die Daumen": exam_tomorrow,
    }
    assert kinds("Hi, my name is Sam and I'm 16. I live in Leeds") == {
        "name": "Sam",
        "age": "16",
        "home": "Leeds",
    }


@pytest.mark.parametrize(
    ("question", "want"),
    [
        ("¿Cómo se llama mi perro?", "pet:dog@es"),
        ("¿cómo se llama mi perra?", "pet:dog@es"),
        ("¿Dónde vivo?", "home@es"),
        ("¿cuándo es mi examen?", "event:exam@es"),
        ("¿Qué recuerdas de mí?", "all@es"),
        ("qué sabes de mí", "all@es"),
        ("Comment s'appelle mon chien ?", "pet:dog@fr"),
        ("où j'habite ?", "home@fr"),
        ("c'est quand mon examen ?", "event:exam@fr"),
        ("Qu'est-ce que tu sais sur moi ?", "all@fr"),
        ("Wie heißt mein Hund?", "pet:dog@de"),
        ("wo wohne ich?", "home@de"),
        ("Wann ist meine Prüfung?", "event:exam@de"),
        ("Was weißt du über mich?", "all@de"),
        ("como se chama o meu cão?", "pet:dog@pt"),
        ("onde eu moro?", "home@pt"),
        ("quando é a minha prova?", "event:exam@pt"),
        ("O que você sabe sobre mim?", "all@pt"),
        ("come si chiama il mio cane?", "pet:dog@it"),
        ("dove abito?", "home@it"),
        ("quando ho l'esame?", "event:exam@it"),
        ("cosa ricordi di me?", "all@it"),
        ("¿Cómo me llamo?", "name:es"),  # as before
        ("cuando tengo el examen me pongo nervioso", None),  # not a question, not the whole message
        ("mi perro se llama Max, ¿y el tuyo cómo se llama?", None),
    ],
)
def test_recall_questions(question: str, want: str | None) -> None:
    assert facts.recall_question(question) == want


def test_answers_and_listing_in_each_language() -> None:
    def stored(text: str) -> dict:
        return facts.merge({}, facts.extract(text, TUESDAY), TUESDAY)

    es = stored("Vivo en Sevilla. Trabajo como enfermera. Tengo un examen el viernes. Mi perro se llama Max.")
    assert facts.answer_recall("event:exam@es", es, TUESDAY, remembering=True) == (
        "Me dijiste que tienes un examen el viernes 27 de noviembre."
    )
    listing = facts.answer_recall("all@es", es, TUESDAY, remembering=True)
    assert "- Vives en Sevilla\n- Trabajas como enfermera\n" in listing
    assert "- Tienes un perro que se llama Max\n" in listing and "/forget" in listing
    de = stored("Ich habe am Freitag eine Prüfung. Ich wohne in Köln.")
    assert facts.answer_recall("event:exam@de", de, TUESDAY, remembering=True) == (
        "Du hast mir gesagt, dass du am Freitag (27. November) eine Prüfung hast."
    )
    assert (
        facts.answer_recall("home@de", de, TUESDAY, remembering=True)
        == "Du hast mir gesagt, wo du wohnst: Köln."
    )
    # two days after, the exam is in the past tense
    later = TUESDAY + 5 * 86400
    assert facts.answer_recall("event:exam@de", de, later, remembering=True) == (
        "Du hast mir gesagt, dass du am Freitag (27. November) eine Prüfung hattest."
    )
    # a fact said in English, asked about in Portuguese
    en = stored("I work at Tesco and my sister is called Anna")
    assert facts.answer_recall("person:sister@pt", en, TUESDAY, remembering=True) == (
        "Você me disse que sua irmã se chama Anna."
    )
    assert facts.answer_recall("all@pt", en, TUESDAY, remembering=True).count("\n- ") == 2
    # nothing known, or memory off: said so in the question's language
    assert facts.answer_recall("pet:cat@it", es, TUESDAY, remembering=True) == "Non me l'hai ancora detto."
    assert facts.answer_recall("all@fr", {}, TUESDAY, remembering=True).startswith(
        "À part nos messages récents, rien"
    )
    assert "(/memory off)" in facts.answer_recall("home@es", es, TUESDAY, remembering=False)
    assert facts.answer_recall("name:fr", {}, TUESDAY, remembering=False).startswith("Je ne retiens pas")


def test_the_system_prompt_stays_english() -> None:
    said = "Mi perro se llama Max. Trabajo como enfermera. Tengo un examen el viernes."
    line = facts.render(facts.merge({}, facts.extract(said, TUESDAY), TUESDAY), TUESDAY)
    assert "they work as enfermera" in line
    assert "they have a dog called Max" in line
    assert "they have an exam on Friday 27 November" in line


# ---------------------------------------------------------------------------------------------- end to end


@pytest.fixture
def small_window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """History of 4 turns: what was said first is out of the model's window after two more exchanges."""
    monkeypatch.chdir(tmp_path)
    return load_settings(
        memory={"db_path": tmp_path / "kindred.db", "history_turns": 4},
        engine={"num_candidates": 1},
        chat={"rate_limit_per_minute": 0, "combine_messages": False},
    )


@pytest.fixture
async def bot(small_window: Settings):
    engine = FakeEngine("Qué bien. ¿Y qué tal el resto del día?")
    async with ConversationStore(small_window.memory.db_path) as store:
        d = Dispatcher(small_window, store, engine, load_personas())
        adapter = FakeAdapter()
        await adapter.start(d.handle)
        yield engine, adapter, store


@pytest.mark.parametrize(
    ("said", "chat", "asked", "want"),
    [
        (
            "hola, mi perro se llama Max y vivo en Sevilla",
            ("hoy he trabajado mucho", "he hecho pasta para cenar", "ahora veo una peli"),
            "¿Cómo se llama mi perro?",
            "Me dijiste que tienes un perro que se llama Max.",
        ),
        (
            "salut, j'habite à Lyon et j'ai un examen vendredi",
            ("la journée était longue", "j'ai fait des pâtes", "je regarde un film"),
            "c'est quand mon examen ?",
            "Tu m'as dit que tu as un examen le vendredi 27 novembre.",
        ),
        (
            "ich arbeite als Lehrerin und mein Hund heißt Bello",
            ("der Tag war lang", "ich habe Nudeln gekocht", "jetzt schaue ich einen Film"),
            "Wie heißt mein Hund?",
            "Du hast mir gesagt, dass du einen Hund namens Bello hast.",
        ),
        (
            "oi! moro em Lisboa e estudo medicina",
            ("o dia foi longo", "fiz macarrão", "agora estou vendo um filme"),
            "onde eu moro?",
            "Você me disse onde mora: Lisboa.",
        ),
        (
            "ciao, il mio cane si chiama Max e lavoro come cuoco",
            ("la giornata è stata lunga", "ho fatto la pasta", "ora guardo un film"),
            "come si chiama il mio cane?",
            "Mi hai detto che hai un cane che si chiama Max.",
        ),
    ],
)
async def test_a_fact_said_long_ago_is_answered_in_its_language_without_the_model(
    bot, said: str, chat: tuple[str, ...], asked: str, want: str
) -> None:
    engine, adapter, store = bot
    await adapter.push(said)
    for text in chat:
        await adapter.push(text)
    history = " ".join(t.content for t in engine.requests[-1].messages[1:])
    assert said not in history  # out of the model's window by now...
    assert await store.get_pref(KEY, FACTS_PREF)  # ...but noted
    asked_before = len(engine.requests)
    adapter.sent.clear()
    await adapter.push(asked)
    assert adapter.pop() == want
    assert len(engine.requests) == asked_before  # the model was not asked


async def test_what_do_you_remember_in_spanish_lists_the_facts_and_the_prompt_carries_them(bot) -> None:
    engine, adapter, store = bot
    await adapter.push("tengo un examen el viernes y trabajo como enfermera")
    await adapter.push("estoy un poco cansada")
    system = engine.requests[-1].messages[0].content
    assert "they work as enfermera" in system  # the model is told, in English like the rest of its prompt
    asked = len(engine.requests)
    adapter.sent.clear()
    await adapter.push("¿Qué recuerdas de mí?")
    listing = adapter.pop()
    assert listing.startswith("Aparte de nuestros mensajes recientes, esto es lo que recuerdo de ti:")
    assert "- Trabajas como enfermera\n" in listing
    assert "- Tienes un examen " in listing and "/forget" in listing
    await adapter.push("¿Dónde vivo?")
    assert adapter.pop() == "Todavía no me lo has dicho."  # never a guess
    assert len(engine.requests) == asked


async def test_where_a_minor_lives_is_not_kept_in_other_languages_either(bot) -> None:
    engine, adapter, store = bot
    await adapter.push("vivo en Sevilla y mi perro se llama Max")
    assert "home" in await store.get_pref(KEY, FACTS_PREF)
    await adapter.push("tengo 13 años")  # a minor signal: strict mode from now on
    assert await store.get_pref(KEY, "strict") is True
    noted = await store.get_pref(KEY, FACTS_PREF)
    assert {k: v["value"] for k, v in noted.items()} == {"pet:dog": "Max", "age": "13"}
    adapter.sent.clear()
    await adapter.push("¿Dónde vivo?")
    assert adapter.pop() == "Todavía no me lo has dicho."


async def test_with_memory_off_nothing_is_noted_and_the_answer_says_so_in_the_language(bot) -> None:
    engine, adapter, store = bot
    await adapter.push("/memory off")
    await adapter.push("mein Hund heißt Bello")
    assert await store.get_pref(KEY, FACTS_PREF) is None
    adapter.sent.clear()
    await adapter.push("Wie heißt mein Hund?")
    assert adapter.pop().startswith("Ich merke mir unsere Gespräche gerade nicht (/memory off)")
