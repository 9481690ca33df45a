"""Other things an incoming message can tell us: an age under 18, where the person is, and whether
they ask if they are talking to a bot. All pure regexes over folded text."""

from __future__ import annotations

import re

from bot.safety.text import fold

_AGE = r"(?:1[0-7]|[5-9])"
_UNITS = (
    r"(?:min|mins|minutes?|hours?|hrs?|h|days?|weeks?|months?|years? (?:sober|clean|into|in|of|at|with|since|married|together)|"
    r"km|kms|miles?|mi|kg|kgs|kilos?|lbs?|pounds?|stone|percent|%|feet|foot|ft|cm|inches|in|dollars|bucks|euros|"
    r"grand|k|times|x|points|pts|steps|messages|mph|seconds|secs|am|pm|oclock|people|of|out of|hundred|thousand|"
    r"weeks pregnant|months pregnant|and a half hours|calls|texts|tabs|cups|shots|beers|drinks|pages|percent)"
)
_NOT_SELF_BEFORE = re.compile(
    r"\b(?:my|our|his|her|their|your|son|daughter|kid|kids|child|children|brother|sister|cousin|niece|nephew|"
    r"student|students|he|she|hes|shes|they|theyre|was|i was|when i was|back in|used to be|grandson|granddaughter)\b(?:\s+[a-z]+){0,2}\s*$"
)
_MINOR_PATTERNS = (
    # "I'm 15", "i am only 14", "im turning 16", "im 13 years old" (but not "I'm 15 minutes away")
    re.compile(
        rf"\b(?:im|i am|i m|iam)\s+(?:only |just |turning |almost |nearly |barely )?{_AGE}\b(?!\s*{_UNITS}\b)(?![.,]\d)"
    ),
    re.compile(rf"\b(?:im|i am|as)\s+(?:a |an )?{_AGE}\s?(?:yo|y/o|y o|yrs? old|years? old|year old)\b"),
    # "15yo here", "(14f)", "I (13m)", "13m here", "16 f"
    re.compile(rf"(?:^|[\[(,]|\bi )\s*{_AGE}\s?(?:m|f|nb|ftm|mtf|male|female|boy|girl|yo|y/o)\b"),
    re.compile(rf"(?:[\[(]|\bi )\s*(?:m|f)\s?{_AGE}\b"),
    re.compile(rf"\b(?:im|i am|i m)\s+{_AGE}\s?(?:m|f|nb|ftm|mtf)\b"),
    re.compile(rf"\b{_AGE}\s?(?:m|f|yo|y/o)\s+here\b"),
    re.compile(
        rf"\b{_AGE}\s?(?:yo|y/o)\b(?!\s*(?:son|daughter|kid|child|brother|sister|boy|girl|cousin|nephew|niece|students?|dog|cat))"
    ),
    # school years: "in 8th grade", "in grade 9", "in year 10", "a freshman in high school"
    re.compile(
        r"\b(?:in|starting|finishing|entering|going into|start|repeating)\s+(?:the\s+)?(?:[1-9]|1[0-2])(?:st|nd|rd|th)\s+grade\b"
    ),
    re.compile(r"\b(?:in|starting|finishing|entering|going into)\s+grade\s+(?:[1-9]|1[0-2])\b"),
    re.compile(r"\b(?:in|starting|finishing|entering|going into)\s+year\s+(?:[7-9]|1[0-3])\b(?!\s+of)"),
    re.compile(
        r"\b(?:im|i am|i m)\s+(?:in|at)\s+(?:middle school|junior high|high school|secondary school|sixth form|elementary school|primary school)\b"
    ),
    re.compile(
        r"\b(?:freshman|sophomore|junior|senior|9th grader|8th grader|7th grader|10th grader|11th grader)\s+in\s+high\s+school\b|\bhigh school (?:freshman|sophomore)\b|\b(?:my|doing my|taking my|revising for my) gcses?\b"
    ),
    re.compile(
        r"\b(?:im|i am|i m)\s+(?:a\s+)?(?:minor|underage|under 18|under eighteen|not 18 yet|not an adult yet|\d+(?:th|st|nd|rd) grader|middle schooler|teenager under 18)\b"
    ),
    # other languages: "tengo 15 años", "j'ai 15 ans", "ich bin 15", "tenho 15 anos", "ho 15 anni"
    re.compile(
        rf"\b(?:tengo|jai|tenho|ho)\s+{_AGE}\s+(?:anos|ans|anni)\b|\bich bin\s+{_AGE}\b(?!\s*(?:minuten|stunden|km|euro|kilo|uhr|jahre (?:alt )?(?:verheiratet|zusammen)))"
    ),
)
_PAST_AGE = re.compile(r"\b(?:when|since|until|till|back when|from the time)\s+(?:i was|im|i am)?\s*$")


def minor_signal(text: str) -> bool:
    """True when the message says the writer is under 18 ("13m", "I'm 15", "in 8th grade")."""
    t = fold(text)
    for pat in _MINOR_PATTERNS:
        for m in pat.finditer(t):
            head = t[max(0, m.start() - 25) : m.start()]
            if _NOT_SELF_BEFORE.search(head) or _PAST_AGE.search(head):
                continue
            return True
    return False


# Region codes match the resource table in bot.safety.resources; longest names first so
# "northern ireland" is UK, not IE.
_PLACES: dict[str, tuple[str, ...]] = {
    "US": (
        "the united states",
        "united states",
        "the us",
        "the usa",
        "usa",
        "the states",
        "america",
        "new york",
        "nyc",
        "california",
        "texas",
        "florida",
        "chicago",
        "los angeles",
        "seattle",
        "boston",
        "ohio",
        "michigan",
        "georgia",
        "arizona",
        "colorado",
        "oregon",
        "virginia",
        "new jersey",
        "pennsylvania",
        "illinois",
        "washington dc",
        "atlanta",
        "houston",
        "dallas",
        "miami",
        "philadelphia",
        "san francisco",
        "denver",
        "portland",
        "minnesota",
        "north carolina",
        "tennessee",
        "kentucky",
        "alabama",
        "utah",
        "nevada",
        "las vegas",
        "wisconsin",
        "indiana",
        "missouri",
        "louisiana",
        "maryland",
    ),
    "UK": (
        "the uk",
        "uk",
        "the united kingdom",
        "united kingdom",
        "england",
        "scotland",
        "wales",
        "northern ireland",
        "britain",
        "great britain",
        "london",
        "manchester",
        "birmingham",
        "glasgow",
        "edinburgh",
        "liverpool",
        "leeds",
        "bristol",
        "cardiff",
        "belfast",
        "sheffield",
        "newcastle",
        "nottingham",
        "brighton",
        "oxford",
        "cambridge",
    ),
    "IE": ("ireland", "the republic of ireland", "dublin", "cork", "galway", "limerick"),
    "CA": (
        "canada",
        "toronto",
        "vancouver",
        "montreal",
        "ottawa",
        "calgary",
        "edmonton",
        "ontario",
        "quebec",
        "alberta",
        "british columbia",
        "winnipeg",
    ),
    "AU": (
        "australia",
        "sydney",
        "melbourne",
        "brisbane",
        "perth",
        "adelaide",
        "canberra",
        "queensland",
        "tasmania",
    ),
    "NZ": ("new zealand", "aotearoa", "auckland", "wellington", "christchurch"),
    "IN": (
        "india",
        "mumbai",
        "delhi",
        "new delhi",
        "bangalore",
        "bengaluru",
        "chennai",
        "kolkata",
        "hyderabad",
        "pune",
    ),
    "DE": (
        "germany",
        "deutschland",
        "berlin",
        "munich",
        "munchen",
        "hamburg",
        "cologne",
        "koln",
        "frankfurt",
        "stuttgart",
    ),
    "FR": ("france", "paris", "lyon", "marseille", "toulouse", "bordeaux", "lille"),
    "ES": ("spain", "espana", "madrid", "barcelona", "valencia", "sevilla", "seville"),
    "MX": ("mexico", "mexico city", "ciudad de mexico", "cdmx", "guadalajara", "monterrey"),
    "BR": (
        "brazil",
        "brasil",
        "sao paulo",
        "rio de janeiro",
        "rio",
        "brasilia",
        "salvador",
        "belo horizonte",
    ),
    "IT": (
        "italy",
        "italia",
        "rome",
        "roma",
        "milan",
        "milano",
        "naples",
        "napoli",
        "turin",
        "torino",
        "florence",
        "firenze",
        "bologna",
    ),
    "PT": ("portugal", "lisbon", "lisboa", "porto", "oporto", "coimbra", "braga", "faro"),
}
_PLACE_TO_REGION = {name: region for region, names in _PLACES.items() for name in names}
_PLACE_ALT = "|".join(re.escape(n) for n in sorted(_PLACE_TO_REGION, key=len, reverse=True))
_REGION_RE = re.compile(
    r"\b(?:im|i am|i m|i live|i currently live|im living|i am living|i stay|im staying|im based|i am based|"
    r"based|here|living|live|i moved|we live|we are|were|im currently|i am currently|im from|i am from|im back|"
    r"vivo|estoy|je suis|jhabite|je vis|ich wohne|ich lebe|ich bin|moro|estou|eu moro|sono|abito|sto)\s+"
    r"(?:currently |right now |now |over |out |here |back )?(?:in|from|to|en|a|au|aux|no|na|em|nel|im|in der)\s+"
    rf"(?:the )?({_PLACE_ALT})\b"
)


def detect_region(text: str) -> str | None:
    """A region code when the person says where they are ("I'm in London" -> "UK"), else None."""
    m = _REGION_RE.search(fold(text))
    if not m:
        return None
    return _PLACE_TO_REGION.get(m.group(1)) or _PLACE_TO_REGION.get("the " + m.group(1))


_BOT_QUESTION = re.compile(
    r"\b(?:are|r|ar) (?:you|u|ya) (?:even |actually |really |just |a |an |really a |actually a )*"
    r"(?:bot|robot|ai|a\.?i\.?|human|a human|real|real person|person|machine|computer|program|chat ?bot|"
    r"actual person|real human|language model|llm|gpt|chatgpt|automated|alive|a real person|an actual person)\b"
    r"|\b(?:am|m) i (?:talking|speaking|chatting|texting|writing) (?:to|with) (?:a |an |some )?(?:bot|human|real person|person|ai|robot|machine|computer|real human|program|chatbot|actual person)"
    r"|\bis (?:this|it|that) (?:a |an )?(?:bot|ai|human|real person|automated|robot|chatbot|chatgpt|gpt|machine|a real human)\b"
    r"|\b(?:is )?(?:there )?(?:a |any )?(?:real )?(?:human|person) (?:on the other end|behind (?:this|the screen)|reading this|there)\b"
    # who or what it is: "who are you?", "what's your name?" (the model made up "Emily Thompson, the
    # team leader here"); only the question itself, so "who are you to judge me" stays with the model
    r"|(?:^|[.!?,] *|\b(?:so|and|but|hey|hi|hello|ok|okay|wait|um|uh) )(?:who|what) (?:are|r) (?:you|u|ya)"
    r"(?: exactly| really| actually| even)?(?= *(?:[?!.]|$))"
    r"|\bwhats? (?:is )?(?:your|ur|yo) (?:real )?name\b|\bwho (?:is|s) this(?= *(?:[?!.]|$))"
    r"|\bwho am i (?:talking|speaking) to\b|\b(?:you|ur|youre|you are) (?:a |an )?(?:bot|robot|ai),? (?:right|arent you|aren t you)\b"
    r"|\b(?:eres|sos) (?:un |una )?(?:bot|robot|humano|humana|persona real|ia)\b"
    r"|\b(?:es tu|tu es|es-tu|est ce que tu es) (?:un |une )?(?:bot|robot|humain|humaine|ia|vraie personne)\b"
    r"|\bbist du (?:ein |eine )?(?:bot|roboter|mensch|ki|echter mensch)\b"
    r"|\b(?:voce e|vc e|tu es) (?:um |uma )?(?:bot|robo|humano|humana|ia|pessoa real)\b"
)


def asks_if_bot(text: str) -> bool:
    """True when the person asks whether they are talking to a bot, an AI or a human."""
    return bool(_BOT_QUESTION.search(fold(text)))


# Asking to meet, call or swap contacts: the small model answers "Yes, I'd absolutely love to meet up
# soon. Can't wait to hang out with you again" (seen in the terminal, to "can we meet up sometime?").
# Questions and requests addressed to the bot only; "my friend asked if we can meet up" stays with the
# model.
_MEET_ACT = (
    r"(?:meet(?! (?:my|her|his|him|them|new|other|people|someone|somebody|friends|a |an |the ))(?: up| irl| in person|"
    r" in real life)?|hang ?out|see each other|get together|grab (?:a )?(?:coffee|drink|drinks|lunch|dinner|"
    r"food|bite))\b(?! with (?:my|her|him|them|friends|the|some|a ))"
)
_MEET_REQUEST = re.compile(
    r"\b(?:can|could|shall|should|will|would|when can|where can|why cant|cant) (?:we|u and i|you and i) "
    rf"(?:ever |finally |maybe |please |just |actually |still )?{_MEET_ACT}"
    rf"|\b(?:do |would |will )?(?:you|u|ya) (?:wanna|want to|want|like to|fancy|free to) {_MEET_ACT}"
    rf"|(?:^|[.!?,] *)(?:wanna|want to) {_MEET_ACT}"
    r"|\b(?:wanna|want to|would love to|d love to|hope to|need to|have to|going to) (?:meet you|see you in person|"
    r"see you irl|hang out with you|meet up with you)\b"
    rf"|\b(?:lets|let us|how about we) {_MEET_ACT}"
    r"|\b(?:can|could|will|would|do) (?:you|u) (?:come over|come to my|meet me|visit me|pick me up|call me|"
    r"facetime me|video ?call me|text me on|send me (?:a )?(?:pic|photo|picture|selfie|nudes?))\b"
    r"|\b(?:can|could|may) i (?:call you|phone you|facetime you|video ?call you|visit you|come over|come to your|"
    r"see you in person|see you irl|meet you|have your (?:number|address|snap|insta))\b"
    r"|\bwhats? (?:is )?(?:your|ur) (?:phone ?number|number|address|snap|snapchat|insta|instagram|whatsapp|"
    r"discord|tiktok|email|home address)\b"
    r"|\bwhere do (?:you|u) live\b|\bsend (?:me )?(?:a )?(?:pic|photo|picture|selfie) of (?:you|yourself|urself)\b"
    r"|\bmeet me (?:at|in|tonight|tomorrow|after|irl|in person|somewhere)\b"
    r"|\b(?:podemos|quieres) (?:vernos|quedar|conocernos)\b|\b(?:on peut|tu veux) se (?:voir|rencontrer)\b"
    r"|\b(?:koennen|konnen|wollen) wir uns (?:treffen|sehen)\b|\b(?:podemos|quer) (?:nos )?(?:encontrar|ver)\b"
)


def asks_to_meet(text: str) -> bool:
    """True when the person asks the bot to meet, call, visit, or share a number, an address or photos."""
    return bool(_MEET_REQUEST.search(fold(text)))


# Questions about the bot's own life, body or feelings: "what did you do today?" got "Today was my day
# planning my next adventure. I've got a new puppy coming home ... a trip to Iceland", and "how old are
# you?" or "do you have a family?" got made-up answers or, once the reply checks rejected those, "I'm not
# sure I understood that well" (both seen in the terminal). Only questions to the bot, as questions;
# "how was your day?" stays with the model (small talk; a fixed paragraph every time would grate).
_ABOUT_BOT = re.compile(
    r"\bhow old (?:are|r) (?:you|u|ya)\b|\bwhats? (?:is )?(?:your|ur) (?:age|gender|job|address)\b"
    r"|\bwhere (?:are|r) (?:you|u) (?:from|right now|at right now|located)\b|\bwhere (?:did|do) (?:you|u) grow up\b"
    r"|\bwhat do (?:you|u) look like\b|\bwhat (?:do|did) (?:you|u) (?:do|get up to) (?:today|yesterday|this weekend|"
    r"last night|last weekend|for (?:fun|a living|work))\b|\bwhat (?:are|r) (?:you|u) (?:doing|up to) "
    r"(?:tonight|this weekend|later)\b"
    r"|\bdo (?:you|u) have (?:a |any |an )?(?:family|kids|children|wife|husband|boyfriend|girlfriend|partner|pets?|"
    r"dog|cat|siblings|brothers?|sisters?|parents|mom|mum|dad|job|friends|body|house|home)\b"
    r"|\b(?:are|r) (?:you|u) (?:married|single|in a relationship|a (?:boy|girl|man|woman|guy|kid|teen|teenager|"
    r"student|dude))\b|\bdo (?:you|u) (?:ever )?(?:eat|sleep|dream|go to school|go to work|work|have feelings|"
    r"feel (?:lonely|sad|happy|bored|tired|alone|love|pain)|get (?:lonely|sad|bored|tired|angry|hungry))\b"
    # "do you like music?" got "I've always loved music, and I enjoy singing too", "what's your favourite
    # food?" got "Indian curries in India", "tell me about yourself" and "do you have any hobbies?" got
    # baking, guitar, hiking and "20 years" of a job (scripts.compare_sampling, 24 Nov).
    r"|\btell me (?:a (?:bit|little) |something |more )?about (?:yourself|you)\b"
    r"|\b(?:do|did) (?:you|u) (?:have|got) (?:any )?hobbies\b|\bwhat (?:are|r) (?:your|ur) hobbies\b"
    r"|\bwhat(?:s| is| are)? (?:your|ur) fav(?:ou?rite|e|s)? (?:food|foods|meal|drink|dish|snack|band|bands|song|"
    r"songs|singer|artist|movie|movies|film|films|book|books|show|shows|game|games|hobby|place|sport|sports|colou?r|"
    r"animal|season|holiday|music|thing to do)\b"
    r"|\bdo (?:you|u) (?:like|love|enjoy|listen to|play|watch|read) (?:music|movies|films|books|reading|games|"
    r"video games|sports|food|cooking|pizza|anime|tv|art|dancing|singing|football|soccer|basketball)\b"
    r"|\b(?:happened|happen) to (?:you|u) (?:this|today|yesterday|recently|lately|last)\b"
    r"|\bwhats? (?:is )?(?:your|ur) (?:day|life|week|weekend) (?:like|been like)\b"
    r"|\bcuantos anos tienes\b|\bde donde eres\b|\bquel age as tu\b|\btu viens d ou\b|\bwie alt bist du\b"
    r"|\bwoher kommst du\b|\bquantos anos (?:voce tem|vc tem|tu tens)\b"
)


def asks_about_the_bot(text: str) -> bool:
    """True when the person asks about the bot's own life, body, age, family or feelings."""
    return bool(_ABOUT_BOT.search(fold(text)))


# Questions about secrecy and who reads the chat: "can you keep a secret?" got "Yes, absolutely. I'll
# continue to do my best to maintain confidentiality. I've got many friends and colleagues who know
# everyone..." (a 15-year-old who had just written about cutting, 24 Nov, night). The chat is stored and
# whoever runs the bot can read it, so "yes" is a false promise; the truthful answer is fixed.
_YOU = r"(?:you|u|ya)"
_PRIVACY = re.compile(
    rf"\b(?:can|could|will|would|do) {_YOU} (?:please )?keep (?:a |this |that |it |my |our )?secrets?\b"
    rf"|\b(?:can|could|will|would) {_YOU} (?:please )?keep (?:this|that|it|what i (?:say|tell {_YOU}|write)) "
    r"(?:a secret|secret|between us|to yourself|private|quiet)\b"
    r"|\b(?:keep|this stays|it stays) (?:this |it )?between (?:us|you and me|me and you)\b"
    rf"|(?:^|[.!?,] |\b(?:do|can|will|would) {_YOU} |\b{_YOU} (?:have to |must |need to )?|\bplease |\bpls )promise "
    rf"(?:me )?(?:{_YOU} )?(?:wont|will not|not to|you will not|youll never|to never|never to) tell\b"
    rf"|\b(?:will|would|are) {_YOU} (?:going to |gonna )?tell (?:anyone|anybody|someone|my (?:parents|mom|mum|dad|"
    r"family|teachers?|school|friends))\b"
    r"|\bwho (?:else )?(?:can|will|could) (?:see|read) (?:this|these|my messages|what i (?:write|say|type)|our chat)\b"
    r"|\b(?:is|are) (?:this|this chat|our chat|these chats|my messages|what i say|this conversation) "
    r"(?:private|confidential|anonymous|secret|being (?:saved|recorded|stored|logged|read))\b"
    r"|\b(?:does|do|can|will) (?:anyone|anybody|someone|people|your (?:owners?|creators?|makers?|developers?)) "
    r"(?:else )?(?:see|read) (?:this|these|my messages|what i (?:write|say)|our chats?)\b"
    rf"|\b(?:do|will|does) {_YOU} (?:save|store|keep|record|log) (?:my|our|these|this|what i) ?(?:messages|chats?|"
    r"conversations?|texts|say|write)?\b(?!.*\b(?:idea|number|place|seat)\b)"
    r"|\b(?:puedes|podes|me guardas) (?:guardar )?(?:un |el |este )?secreto\b|\btu (?:peux|sais) garder (?:un )?secret\b"
    r"|\bkannst du (?:ein )?geheimnis(?:se)? (?:be)?halten\b|\b(?:voce|vc|tu) (?:pode|consegue|podes) guardar (?:um )?segredo\b"
)


def asks_about_privacy(text: str) -> bool:
    """True when the person asks whether the bot keeps secrets, tells anyone, or who reads the chat."""
    return bool(_PRIVACY.search(fold(text)))
