"""check_incoming: crisis cases the issue names, age signals, regions, bot questions, metrics."""

from __future__ import annotations

import pytest

from bot.metrics import METRICS
from bot.safety import IncomingCheck, SafetyPolicy


@pytest.fixture
def policy() -> SafetyPolicy:
    return SafetyPolicy()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("I want to kill myself", "crisis.suicidal_intent"),
        ("I've been self harming to ease the emotional pain", "crisis.self_harm"),
        ("I took a whole bottle of pills", "crisis.overdose"),
        ("I bought a rope today and I know where I'm going to do it", "crisis.plan_or_means"),
        ("I don't want to wake up tomorrow", "crisis.suicidal_intent"),
        ("everyone would be better off without me", "crisis.suicidal_intent"),
        ("kms", "crisis.suicidal_intent"),
        ("i want to unalive myself", "crisis.suicidal_intent"),
        ("thinking about sewerslide again", "crisis.suicidal_intent"),
        ("i wanna kil my self", "crisis.suicidal_intent"),
        ("im so suicidle", "crisis.suicidal_intent"),
        ("I want to k1ll mys3lf", "crisis.suicidal_intent"),
        ("I'm a burden to everyone and I can't do this anymore", "crisis.indirect"),
        ("my best friend says she's going to kill herself tonight", "crisis.third_party"),
        ("quiero morir", "crisis.suicidal_intent"),
        ("je veux mourir", "crisis.suicidal_intent"),
        ("ich will sterben", "crisis.suicidal_intent"),
        ("quero morrer", "crisis.suicidal_intent"),
        ("não quero mais viver", "crisis.suicidal_intent"),
    ],
)
def test_crisis_messages(policy, text, reason):
    check = policy.check_incoming(text)
    assert check.crisis, text
    assert check.reason == reason


@pytest.mark.parametrize(
    "text",
    [
        "this homework is killing me",
        "I'd never kill myself",
        "killing it at the gym",
        "I was dying of laughter",
        "I could kill for a pizza",
        'my favourite line in the movie is "I want to die"',
        "I'm not suicidal, just tired",
        "I don't want to die, I want things to change",
        "I cut myself chopping onions",
        "I overdosed on coffee lol",
        "I'm going to end it with my boyfriend",
        "a year ago I wanted to die, now I'm getting married",
        "me muero de risa",
        "my therapist asked if I was suicidal and I said no",
        "people who say they want to die deserve kindness",
        "eu vou matar a saudade amanhã",
    ],
)
def test_figurative_negated_and_reported_messages_are_not_crises(policy, text):
    check = policy.check_incoming(text)
    assert not check.crisis, text
    assert check.reason == "ok"


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("13m", True),
        ("I (14f) need advice about my parents", True),
        ("I'm 15 and I hate school", True),
        ("i am 16 years old", True),
        ("I'm in 8th grade", True),
        ("in year 9 at school", True),
        ("I'm a freshman in high school", True),
        ("15yo here", True),
        ("tengo 15 años", True),
        ("j'ai 14 ans", True),
        ("ich bin 15", True),
        ("I'm 15 minutes late", False),
        ("I'm 25 and tired", False),
        ("my son is in 8th grade", False),
        ("my 15 yo daughter", False),
        ("when I was 15 I moved", False),
        ("I have 13m views", False),
        ("I'm 9 months pregnant", False),
    ],
)
def test_age_signals(policy, text, minor):
    assert policy.check_incoming(text).minor is minor


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("I'm in London this week", "UK"),
        ("I live in the US", "US"),
        ("I'm from Northern Ireland", "UK"),
        ("we live in Ireland", "IE"),
        ("I'm based in Toronto", "CA"),
        ("here in Sydney it's hot", "AU"),
        ("vivo en España", "ES"),
        ("vivo a Roma con mia madre", "IT"),
        ("sono a Milano da due anni", "IT"),
        ("moro em Lisboa", "PT"),
        ("estou no Porto", "PT"),
        ("I'm in love", None),
        ("sono stanco", None),
        ("sto bene grazie", None),
        ("my sister lives in London", None),
    ],
)
def test_regions(policy, text, region):
    assert policy.check_incoming(text).region == region


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("are you a bot?", True),
        ("r u human", True),
        ("am I talking to a real person?", True),
        ("is this an AI?", True),
        ("you're a bot, right?", True),
        ("eres un bot?", True),
        ("bist du ein Mensch?", True),
        ("are you okay?", False),
        ("my brother says I talk like a robot", False),
        ("who are you?", True),
        ("hi, what are you exactly?", True),
        ("what's your name?", True),
        ("so what is your name", True),
        ("who is this?", True),
        ("who are you to judge me", False),
        ("what are you doing today?", False),
        ("I don't know who you are anymore", False),
    ],
)
def test_bot_questions(policy, text, asks):
    assert policy.check_incoming(text).bot_question is asks


def test_a_plain_message_is_ok_everywhere(policy):
    assert policy.check_incoming("good morning! how are you?") == IncomingCheck(
        crisis=False, reason="ok", minor=False, region=None, bot_question=False
    )


def test_incoming_checks_are_counted_without_text(policy):
    METRICS.reset()
    policy.check_incoming("I want to kill myself")
    policy.check_incoming("I'm 14, are you a bot?")
    assert METRICS.get("safety_checks_total", reason="crisis.suicidal_intent") == 1
    assert METRICS.get("safety_checks_total", reason="ok") == 1
    assert METRICS.get("safety_checks_total", reason="incoming.minor") == 1
    assert METRICS.get("safety_checks_total", reason="incoming.bot_question") == 1
    assert "kill" not in METRICS.render()


# Round 4 of the rules (tuned on tests/safety/crisis_dev.jsonl; these lines come from there).
@pytest.mark.parametrize(
    "text",
    [
        "I'm not going to be a problem for anyone much longer",
        "I've been giving away my clothes and books, I won't need them where I'm going",
        "I've got enough pills saved up now",
        "I hold the knife to my wrist every night",
        "thinkin of ctb",
        "I'm leaving this world tonight",
        "this is goodbye, thank you for everything",
        "I can't go on, there's nothing left for me",
        "my family will be fine once I'm gone, maybe even better",
        "im suicidel",
        "I took a whole strip of my sleeping tablets",
        "I want to fall asleep and never wake up",
        "nadie me extrañaría si me muero",
        "me tomé muchas pastillas",
        "mejor me muero",
        "je vais me foutre en l'air",
        "j'ai envie d'en finir",
        "j'ai pris trop de cachets exprès",
        "personne ne remarquerait si je disparaissais pour toujours",
        "ich will nicht mehr",
        "alle wären froh, wenn ich weg wäre",
        "ich habe Tabletten genommen, um zu sterben",
        "não quero mais estar aqui",
        "ninguém ia sentir falta se eu morresse",
        "tomei muitos remédios de propósito",
    ],
)
def test_round_four_phrasings_are_crises(policy, text):
    assert policy.check_incoming(text).crisis, text


@pytest.mark.parametrize(
    "text",
    [
        "how do I talk to someone who's suicidal? I volunteer at a helpline",
        "what's the lethal dose of vitamin D? just curious about safety",
        "I burned myself on the kettle",
        "antes eu queria morrer, hoje não",
        "I'm saying goodbye to my students, I'm retiring",
        "ich will nicht mehr warten, wann kommt der Bus?",
        "ich springe vom Sprungbrett ins Becken",
        "tomei muitos cafés hoje",
        "ich mache Schluss mit dir",
        "I want to leave this world a better place for my kids",
    ],
)
def test_round_four_look_alikes_are_not_crises(policy, text):
    assert not policy.check_incoming(text).crisis, text


# Round 5 of the rules: the failure classes named after the spent fresh set (final arrangements,
# goodbyes, means described sideways, German verb-last order, es/pt someone else). Lines written for
# this test or taken from the training lines; none from crisis_fresh2_test.jsonl.
@pytest.mark.parametrize(
    "text",
    [
        "I sorted out my will and cancelled my phone contract, I won't need them",
        "I've made my peace with it, tonight is the night",
        "I rehomed my cats and deleted all my accounts",
        "this is the last time you'll hear from me",
        "you won't hear from me again, thank you for trying",
        "by the time you read this I'll be gone",
        "please take care of my cat for me when I'm gone",
        "I'm going to jump when everyone is asleep",
        "I'm going to walk into the sea tonight",
        "I keep thinking about swerving into the barrier on the motorway",
        "I mixed vodka with my antidepressants on purpose",
        "I took a load of my mum's tablets",
        "I hide the cuts under my sleeves",
        "the razor is the only thing that calms me down",
        "thinking about a toaster bath",
        "I'm worth more dead than alive",
        "Ich werde heute von der Brücke springen",
        "Ich schneide mir jeden Abend in die Arme",
        "Ich habe schon einen Abschiedsbrief geschrieben",
        "mi amiga dice que se va a matar",
        "meu amigo falou que vai se matar",
        "engoli uma cartela inteira de comprimidos",
    ],
)
def test_round_five_phrasings_are_crises(policy, text):
    assert policy.check_incoming(text).crisis, text


@pytest.mark.parametrize(
    "text",
    [
        "we made our wills after the baby was born",
        "tonight is the night we finally see the band",
        "you won't hear from me until Monday, I'm at a festival",
        "can you feed my cat when I'm gone for the weekend?",
        "I'm going to jump in the pool when everyone gets here",
        "I'm thinking about driving into town later",
        "I took my antibiotics with a glass of wine, is that bad?",
        "I covered the burns from the oven with cling film like the nurse said",
        "my mum says she's going to kill me if I'm late lol",
        "me voy a matar de risa con esta serie",
        "ele vai se matar de trabalhar nesse emprego",
        "Ich springe gleich vom Beckenrand ins Wasser",
        "I won't need my coat, it's warm",
    ],
)
def test_round_five_look_alikes_are_not_crises(policy, text):
    assert not policy.check_incoming(text).crisis, text
