"""Crisis detection for incoming messages: word patterns with negation, figurative and context rules.

How a message is judged:
1. The text is folded (``text.fold``) and look-alike digits are mapped back to letters.
2. Every pattern below is searched. A pattern has a reason code and a weight: 1.0 ("strong", enough on
   its own: "I want to kill myself") or 0.5 ("weak", needs a second signal: "I can't do this anymore").
3. Each match is then weighed in its context:
   - negated ("I'd never kill myself", "I'm not suicidal"): dropped;
   - a figurative tail ("die of embarrassment", "overdosed on coffee") or an accident ("cut myself
     chopping onions"): dropped;
   - someone else's crisis inside fiction, a lesson or the news: dropped; a first-person phrase inside
     such a context (a song, a film, an essay) or inside quotes there: halved / removed;
   - laughter or hyperbole in the same sentence ("kms this printer lol"): halved, unless the person
     says they mean it ("like actually", "not joking");
   - the past ("a year ago I wanted to die"): halved, unless it is happening again.
4. The message is a crisis when the weights of non-overlapping matches add up to 1.0 or more.

It is deliberately biased towards recall: a false alarm costs a kind message with phone numbers, a miss
can cost much more. Measured figures are in docs/safety.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.safety import crisis_languages
from bot.safety.crisis_languages import INDIRECT, OVERDOSE, PLAN, SELF_HARM, STRONG, SUICIDAL, WEAK
from bot.safety.text import fold, sentence_around, unleet, words_before

THIRD_PARTY = "crisis.third_party"

# Which reason wins when several patterns fire: the most specific, most urgent first.
PRIORITY = (PLAN, OVERDOSE, SELF_HARM, SUICIDAL, THIRD_PARTY, INDIRECT)


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern[str]
    reason: str
    weight: float
    third_party: bool = False
    tail_block: re.Pattern[str] | None = None  # text right after the match that makes it figurative
    accident_sensitive: bool = False  # "cut myself chopping onions"
    subject_check: bool = False  # "she wants to die" is someone else; "people who want to die" is nobody
    first_person_near: bool = False  # "an overdose of vitamin D" is not about the writer
    fast: bool = False  # leading \\b stripped from the regex; checked in _matches
    head_block: re.Pattern[str] | None = None  # text right before the match (ends in $) that drops it


def _strip_leading_boundaries(regex: str) -> str | None:
    """``regex`` without the ``\\b`` opening each top-level alternative, or None if one lacks it.

    Python's ``re`` skips ahead fast only when a pattern starts with literal text; a leading ``\\b``
    makes it try every position (about 25x slower on long messages). The boundary is checked in
    ``_matches`` instead.
    """
    parts: list[str] = []
    depth, start, i = 0, 0, 0
    while i < len(regex):
        ch = regex[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = regex.index("]", i + 2) + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(regex[start:i])
            start = i + 1
        i += 1
    parts.append(regex[start:])
    if not all(p.startswith("\\b") for p in parts):
        return None
    return "|".join(p[2:] for p in parts)


def _matches(pat: Pattern, text: str) -> Iterator[re.Match[str]]:
    """Like ``finditer`` for the original pattern: matches that start at a word boundary."""
    if not pat.fast:
        yield from pat.regex.finditer(text)
        return
    pos = 0
    while (m := pat.regex.search(text, pos)) is not None:
        s = m.start()
        if s > 0 and _is_word(text[s - 1]) and _is_word(text[s]):
            pos = s + 1  # not a word start; a real match may still begin inside this one
            continue
        yield m
        pos = m.end() if m.end() > s else s + 1


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _p(
    regex: str,
    reason: str,
    weight: float = STRONG,
    *,
    third_party: bool = False,
    tail_block: str | None = None,
    accident_sensitive: bool = False,
    subject_check: bool = False,
    first_person_near: bool = False,
    head_block: str | None = None,
) -> Pattern:
    fast = _strip_leading_boundaries(regex)
    return Pattern(
        re.compile(fast or regex),
        reason,
        weight,
        third_party,
        re.compile(tail_block) if tail_block else None,
        accident_sensitive,
        subject_check,
        first_person_near,
        fast is not None,
        re.compile(head_block) if head_block else None,
    )


# Building blocks (folded text: no apostrophes, lower case, no accents).
_SELF = r"(?:my ?self|my ?sef|my ?slef|meself|mself|my sel)"
_KILL = r"(?:k+i+l+(?:l|s|ed|ing|in)?)"
_WANT = (
    r"(?:want(?:ed|s|ing)?|wanna|wana|wnat|wan|whant|wish(?:ed)?|need|ready|going|gonna|gunna|finna|"
    r"about|planning|plan|trying|try|tried|deserve|hope|would rather|prefer|would like|feel like|"
    r"d like|just want|really want|thinking about|think about|thought about)"
)
_SUICIDE = r"(?:su[ia1*]?[cs]{1,2}[ia1*]?d(?:e|es|al|le|ial|ally)|suicidal|sewer ?slide|suic\*de|s\*icide)"
_INTENT = (
    r"(?:think\w*|thought|consider\w*|contemplat\w*|plann?\w*|want\w*|wanna|going to|gonna|about to|"
    r"close to|ready for|ready to|decided on|decide on|googl\w*|research\w*|looking into|look into|"
    r"feel like|fantasi\w*|dream\w* about|obsess\w*|urges? (?:to|of|for)|attempt\w*)"
)
_DRUGS = (
    r"(?:pills?|meds|medication|medicine|tablets?|capsules?|sleeping pills|paracetamol|tylenol|"
    r"acetaminophen|ibuprofen|advil|aspirin|insulin|heroin|fentanyl|opioids?|oxy\w*|xanax|benzos?|"
    r"antidepressants?|painkillers?|pain killers|percocets?|valium|lithium|sertraline|prozac|"
    r"zoloft|lexapro|seroquel|quetiapine|ambien|melatonin|codeine|morphine|drugs|bottle|box|pack|packet)"
)
_QTY = (
    r"(?:(?:a|the) (?:whole |full |entire )?(?:strip|sheet|blister|pack|packet|box|bottle|jar|tub) of|a whole|the whole|an entire|the entire|all(?: of)?|a bunch of|a lot of|a handful of|handfuls of|"
    r"a bottle of|a box of|way too many(?: of)?|too many(?: of)?|loads of|(?:1\d|[2-9]\d|\d{3,}))"
)
_OVERDOSE_TAIL = (
    r"^\w* on (?!(?:purpose|" + _DRUGS[3:-1] + r"|my|her|his|them|something|all|some|a|an|the|\d))"
    r"|^ (?:crisis|epidemic|deaths?|rates?|awareness|prevention|statistics|numbers|kit|reversal)"
)
_HARMLESS_CONTENTS = (
    # "bottle", "box" and "pack" stand for pills in the overdose pattern; not when what they hold is
    # named and harmless ("I took a whole bottle of water")
    r"^ of (?:\w+ )?(?:water|juice|soda|pop|coke|milk|tea|coffee|lemonade|chocolates?|cookies|biscuits|gum|"
    r"crisps|chips|snacks|cereal|tissues|cards|crayons|paper|shampoo|lotion|sunscreen|perfume|glue|paint)\b"
)
_PLACES = r"(?:bridge|roof|rooftop|building|cliff|balcony|window|tower|ledge|overpass|car park|parking garage|highway|motorway)"
_VEHICLES = r"(?:train|bus|car|truck|lorry|traffic|subway|tube)"

PATTERNS: tuple[Pattern, ...] = (
    # --- suicidal intent, direct --------------------------------------------------------------------
    _p(rf"\b{_KILL} ?{_SELF}\b", SUICIDAL),
    _p(r"\bkms\b", SUICIDAL),
    _p(
        rf"\boff(?:ing)? {_SELF}\b|\b(?:drown|drowning|suffocate|suffocating|poison|poisoning|gas|gassing|electrocute|smother) {_SELF}\b",
        SUICIDAL,
    ),
    _p(r"\bunaliv\w*", SUICIDAL),
    _p(r"\bsewer ?slide\w*|\bsewerslid\w*", SUICIDAL),
    _p(r"\bsuicidal\b|\bsu[ia1*]?[cs]{1,2}[ia1*]?d(?:al|le|ial|el)\b", SUICIDAL, subject_check=True),
    _p(
        rf"\b{_INTENT} (?:about |of |on |in |that )?(?:my |my own )?(?:committing |commiting |commit )?{_SUICIDE}",
        SUICIDAL,
    ),
    _p(rf"\bcommit(?:ting)? {_SUICIDE}|\bcommiting {_SUICIDE}", SUICIDAL),
    _p(
        rf"\b{_SUICIDE}\b[^.!?]{{0,20}}\b(?:only|best|easiest|last) (?:way|option|choice|answer|solution|way out)\b",
        SUICIDAL,
    ),
    _p(
        rf"\b{_WANT} (?:so badly |so much |more than anything )?(?:to |2 )?(?:just |really |simply |honestly )?d(?:ie+|ye|ei)\b",
        SUICIDAL,
        tail_block=r"^ ?(?:of|from|laughing|in (?:a|the) (?:game|movie)|for (?:you|him|her|them|my|this|that|it|some|a (?:slice|bite|taste|coffee|drink|pizza|burger))|hard|on (?:this|that|a) hill)\b",
        subject_check=True,
    ),
    _p(
        r"\b(?:wish|hope|pray) (?:that )?i (?:was|were|could be|would be|d be|would just|could just|would|could|just)? ?(?:dead|die)\b",
        SUICIDAL,
    ),
    _p(r"\b(?:better off|rather be|should be|might as well be) dead\b", SUICIDAL),
    _p(r"\b(?:i should|i might as well|might as well) (?:just )?die\b", SUICIDAL),
    _p(r"\b(?:end|ending|ended|take|taking|took) (?:my|this) (?:own )?life\b", SUICIDAL),
    _p(
        r"\bend(?:ing)? (?:it all|everything|it tonight|it today|it now|things|myself|my suffering)\b(?! with)",
        SUICIDAL,
    ),
    _p(r"\b(?:im|i am) ready to (?:go|leave this world|be done)\b", SUICIDAL, WEAK),
    # --- indirect / passive ideation ----------------------------------------------------------------
    _p(
        r"\b(?:dont|do not|dont really|no longer|never) (?:want|wanna|wish|plan) (?:to )?(?:be alive|live|exist|keep living|go on|keep going|be on this earth|be in this world|continue living)\b(?! (?:in|with|at|near|there|here|without|through|alone|somewhere|far))",
        SUICIDAL,
    ),
    _p(
        r"\b(?:dont|do not|no longer|never) (?:want|wanna) (?:to )?be (?:here|around) (?:anymore|any more|no more|anymore|on this earth|in this world)",
        SUICIDAL,
    ),
    _p(
        r"\b(?:dont|do not|not) (?:think|know if|know whether|sure if|sure) i (?:want|wanna|can) (?:to )?(?:live|be alive|be here|exist|keep living|keep going|go on)\b(?! (?:in|with|at|near|there))",
        SUICIDAL,
    ),
    _p(
        r"\bnot sure (?:if |that )?i (?:want|wanna) (?:to )?(?:live|be alive|be here|exist|keep living|keep going)\b",
        SUICIDAL,
    ),
    _p(
        r"\b(?:dont|do not|never) (?:want|wanna) (?:to )?wake up\b(?! (?:early|at|for|so|before|this early|in time))",
        SUICIDAL,
    ),
    _p(
        r"\b(?:sleep|asleep|close my eyes) and (?:never|not) (?:wake up|open them)\b(?! (?:until|till|til|before|early|on time|in time))|\b(?:hope|wish|pray) (?:that )?i (?:just )?(?:dont|never|wont|wouldnt|do not|will not) wake up|\bnever wake up again\b|\bnot wake up\b(?! (?:early|on time|in time|until|till|til|before))",
        SUICIDAL,
    ),
    _p(
        r"\bbetter (?:off )?without me\b|\b(?:would|will|d|be) (?:be )?(?:better|easier|happier|fine|relieved)(?: off)?(?: for (?:everyone|everybody|them|all of them|my family|the world|all))? (?:if i (?:just )?(?:(?:was|were|wasnt|werent|was not|were not|am not) (?:gone|dead|here|around|alive|not here|not around)|died|disappeared|left this world|killed myself|was never born)|(?:when|once|after) im gone)",
        SUICIDAL,
    ),
    _p(
        r"\b(?:no ?one|nobody|no body|anyone|anybody|everyone)\b[^.?!]{0,30}\b(?:notice|care|miss|cry|be (?:better|happier|relieved|sad))\w*[^.?!]{0,25}\b(?:if|when) (?:i|im) (?:was|were|wasnt|werent|am|died|die|disappeared|disappear|gone|dead|killed|not here|never)\b",
        SUICIDAL,
    ),
    _p(
        r"\bif (?:i|im) (?:died|die|was gone|were gone|disappeared|wasnt here|werent here|wasnt around|killed myself|was dead|were dead|gone)\b[^.?!]{0,45}\b(?:no ?one|nobody|anyone|anybody|everyone)\w* (?:would|will|d|even|really)? ?(?:notice|care|miss|cry|be)",
        SUICIDAL,
    ),
    _p(r"\bwish (?:that )?(?:i )?(?:had |was |were |d )?never (?:been )?born\b", SUICIDAL),
    _p(
        r"\b(?:no|any|nothing|a) (?:reason|reasons) (?:left )?(?:for me )?(?:to|for) (?:live|living|stay|staying|go on|keep going|be alive|being alive)\b|\bnothing (?:left )?to live for\b",
        SUICIDAL,
    ),
    _p(
        r"\b(?:whats|what is|wheres|theres no|there is no|no|dont see|cant see)(?: the| a| any)? point (?:of|in|to) (?:living|being alive|life|going on|keep going|existing|live|exist|staying alive|being here)\b",
        SUICIDAL,
    ),
    _p(
        r"\blife (?:isnt|is not|aint|not|is no longer|isnt even) worth (?:living|it|anything)\b|\bnot worth living\b",
        SUICIDAL,
    ),
    _p(
        r"\b(?:tired|sick|exhausted) of (?:being alive|living|life|existing|being here|breathing|waking up|fighting to (?:stay alive|live|keep going)|trying to (?:stay alive|live|keep going))\b",
        SUICIDAL,
    ),
    _p(
        r"\b(?:want|need|wish) (?:it all|everything|my life|this life|all of it|it all|my existence) (?:to )?(?:be over|to end|end|stop|over)\b",
        SUICIDAL,
    ),
    _p(r"\b(?:want|need|wish) (?:it|this|the pain) (?:to )?(?:be over|end|stop)\b", INDIRECT, WEAK),
    _p(
        r"\b(?:disappear|vanish) (?:and never come back|forever|for good|permanently)|\b(?:stop|stopped|cease to|ceased to|not) exist(?:ing)?\b(?! (?:in|for|as|on))|\bstop being alive\b",
        SUICIDAL,
    ),
    _p(
        r"\b(?:want|wanna|wish i could|wish i can|just want to) (?:to )?(?:just )?(?:disappear|vanish)\b",
        INDIRECT,
        WEAK,
    ),
    _p(r"\bpermanently\b", INDIRECT, WEAK),
    _p(
        r"\b(?:no|dont see a|dont see any|only|one) (?:other )?way out\b[^.?!]{0,25}\b(?:dying|death|die|suicide|kill)|\bonly way out is\b",
        SUICIDAL,
    ),
    _p(
        r"\b(?:wont|will not|wont even|am not going to|not gonna|not going to) be (?:here|around|alive)\b(?! (?:for (?:the|dinner|lunch|the weekend|christmas)|at|until|till|next (?:week|weekend)|on|this (?:week|weekend)|later|when|because of))",
        SUICIDAL,
    ),
    _p(r"\b(?:done|finished|over) with (?:life|living|being alive|this life|existing)\b", SUICIDAL),
    _p(
        r"\b(?:done|finished) with (?:everything|it all|all of it)\b|\bgive up on (?:life|everything|living|myself)\b|\bgiving up on (?:life|everything|living)\b",
        INDIRECT,
        WEAK,
    ),
    _p(
        r"\b(?:this is|this will be|this is probably) (?:my )?(?:last|final) (?:message|post|goodbye|text|night)\b(?! (?:before|for (?:today|tonight|now|the day)|of the (?:day|night)|here before))",
        SUICIDAL,
    ),
    _p(
        r"\b(?:said|saying|say) (?:my )?goodbyes?\b(?! to (?!(?:everyone|everybody|you|all of you|you all|the world|this world|life|my (?:family|loved ones|friends)\b)))|\bgoodbye (?:forever|world|everyone)\b",
        PLAN,
    ),
    _p(
        r"\bthank you for (?:everything|being (?:kind|there|nice)|always)\b|\bthanks for everything\b",
        INDIRECT,
        WEAK,
    ),
    _p(
        r"\b(?:cant|can not|cannot) (?:go on|keep going|do this|do it|take (?:it|this|anymore)|live like this|handle (?:it|this|life)) ?(?:anymore|any more|any longer|much longer|no more|like this)?\b(?! (?:homework|assignment|job|project|game|show))",
        INDIRECT,
        WEAK,
    ),
    _p(
        r"\b(?:im|i am|i feel like|feel like) (?:just )?(?:a|such a|nothing but a) burden\b|\bburden (?:to|on) (?:everyone|everybody|my family|them|you|the world)\b",
        INDIRECT,
        WEAK,
    ),
    _p(
        r"\b(?:nothing|none of this|none of it) (?:matters|will matter|is going to matter)\b|\bhopeless\b|\bno hope\b|\bworthless\b|\btrapped\b",
        INDIRECT,
        WEAK,
    ),
    _p(r"\b(?:hate|despise|loathe) (?:myself|my life|being alive)\b", INDIRECT, WEAK),
    _p(r"\b(?:try|trying|do it|attempt) again\b", INDIRECT, WEAK),
    _p(r"\btonight is the night\b|\bfinally do it\b|\bgoing to do it (?:tonight|today|soon)\b", PLAN, WEAK),
    # --- plans and means ----------------------------------------------------------------------------
    _p(r"\b(?:hang|hanging|hung) (?:my ?self|meself)\b|\bnoose\b", PLAN),
    _p(
        r"\b(?:bought|buy|buying|got|have|found|tied|tie|tying) (?:a |the |some )?(?:rope|ropes)\b(?! (?:for|swing|ladder|course|climb|to climb|bridge|toy|lights|at the|from the (?:store|shop)? ?for))",
        PLAN,
    ),
    _p(
        r"\bknow (?:where|how|when) (?:im going to|im gonna|i will|ill|i am going to|to) do it\b|\b(?:have|got|made|making) a plan (?:to|for) (?:die|dying|kill|end|it)\b|\bhow im going to do it\b",
        PLAN,
    ),
    _p(
        rf"\b(?:saving|saved|stockpil\w*|hoard\w*|collect\w*|stash\w*) (?:up )?(?:my |all my |some |of my |her |his )?(?:\w+ )?{_DRUGS}\b",
        PLAN,
    ),
    _p(
        r"\b(?:wrote|written|writing|write|left|leave) (?:a |my |the )?(?:suicide|goodbye) (?:note|letters?)\b|\b(?:the|my) (?:suicide |goodbye )?note is (?:written|ready|done|finished)\b|\b(?:wrote|written|writing) (?:letters|notes|goodbye letters|a letter|a note) (?:to|for) (?:my family|everyone|my (?:mom|mum|dad|parents|kids|children|wife|husband|partner|friends))\b(?! (?:for (?:christmas|the holidays|their birthday)|about))",
        PLAN,
    ),
    _p(
        r"\bgave away (?:all )?(?:my )?(?:stuff|things|belongings|possessions|pets?|cat|dog)\b|\bgiving away (?:all )?my (?:stuff|things|belongings|possessions)\b",
        PLAN,
        WEAK,
    ),
    _p(
        r"\b(?:picked|chosen|chose|set|pick) (?:a|the) (?:date|day|time) and (?:a|the) (?:place|spot|method|way)\b|\bpicked (?:a|the) (?:method|spot|place) to\b",
        PLAN,
    ),
    _p(
        rf"\b(?:jump|jumping|jumped|throw|throwing|throw myself|hurl\w*|leap\w*) (?:myself )?(?:off|from|of) (?:of )?(?:a|the|my|this|that|our)? ?(?:\w+ )?{_PLACES}",
        PLAN,
        accident_sensitive=True,
    ),
    _p(
        r"\b(?:im|i am) (?:on|standing on) (?:the|a) (?:edge of (?:the|a) )?(?:bridge|ledge|edge|railing)\b|\b(?:standing|stood|sitting|sat) (?:on|at) (?:the|a) (?:edge of (?:the|a) )?(?:bridge|ledge|roof|rooftop|cliff|edge|tracks|railing)\b(?! (?:of (?:my|the) (?:seat|bed)))",
        PLAN,
    ),
    _p(
        rf"\b(?:step|stepping|stepped|walk|walking|jump|jumping|throw myself|lie|lying|lay) (?:out )?(?:in front of|into|onto|under|on) (?:a|the|an|oncoming)? ?(?:moving |oncoming |speeding )?(?:{_VEHICLES}|tracks|train tracks|railway)\b",
        PLAN,
    ),
    _p(
        rf"\b(?:wish\w*|hope|hoping|pray\w*) (?:that )?(?:a|the|some|someone|something)? ?(?:{_VEHICLES}|plane|bullet|someone|something|driver)? ?(?:would|will|could|might) (?:hit|kill|run over|run me over|crash|end) (?:me|into me)\b|\bwish (?:i|id) (?:get|got|would get) (?:hit|run over|killed)\b",
        PLAN,
    ),
    _p(
        r"\b(?:gun|pistol|rifle|revolver) (?:to|against|in) my (?:head|mouth|temple)\b|\b(?:use|using|turn|turning|point\w*) (?:it|the gun|a gun|my gun|my dads gun) on myself\b|\bshoot (?:my ?self|me in the head)\b|\bblow my (?:brains|head) (?:out|off)\b",
        PLAN,
    ),
    _p(
        r"\b(?:drive|driving|crash|crashing|steer\w*) (?:my car |the car )?(?:into|off) (?:a|the) (?:wall|tree|cliff|bridge|river|lake|pole|truck|barrier|oncoming)|\bcrash my car on purpose\b",
        PLAN,
    ),
    _p(
        r"\b(?:razor|blade|knife|scissors|shard)\b[^.!?]{0,25}\b(?:in my hand|next to me|ready|on my (?:wrist|arm))\b|\bholding (?:a|the) (?:razor|blade|knife)\b",
        PLAN,
    ),
    _p(
        r"\b(?:look\w* up|google\w*|search\w*|research\w*|read\w* about|find|found) (?:ways|how|methods) to (?:die|kill myself|end (?:it|my life)|commit|overdose|od)\b|\bways to (?:die|kill myself|end my life|commit suicide)\b",
        PLAN,
    ),
    _p(
        r"\b(?:most |least )?painless (?:way|ways|method|methods) (?:to )?(?:die|go|end it|kill)|\bhow (?:to|do you|do i|can i|could i) (?:kill myself|die painlessly|end my life|commit suicide|tie a noose|hang myself|die quick\w*|overdose)\b",
        PLAN,
    ),
    _p(
        r"\bhow many (?:\w+ )?(?:\w+ )?(?:would it take|does it take|will it take|do i need|would i need|to die|would kill|will kill|is (?:lethal|fatal|deadly))|\bhow much (?:\w+ )?(?:\w+ )?(?:is|would be|would it take|does it take|do i need|to) (?:lethal|fatal|deadly|enough to die|to die|kill)",
        PLAN,
    ),
    _p(
        r"\b(?:want|wanna|wish|need|would rather|rather|prefer|id rather|just want) (?:to )?(?:just )?be dead\b",
        SUICIDAL,
        subject_check=True,
    ),
    _p(
        rf"\b{_PLACES}\b[^.!?]{{0,40}}\b(?:going to|gonna|about to|ready to|want to|wanna|will|gotta) jump\b|\b(?:going to|gonna|about to|ready to) jump\b[^.!?]{{0,20}}\b(?:off|from) (?:here|it)\b",
        PLAN,
    ),
    _p(r"\bdo something (?:to|stupid to|bad to|terrible to|drastic to) myself\b", SUICIDAL),
    _p(
        r"\bi (?:just )?want out\b(?! of)|\blife is (?:pointless|meaningless)\b|\bdo something (?:stupid|drastic|permanent)\b|\bmy (?:life|world) is over\b|\bmy (?:own )?funeral\b",
        INDIRECT,
        WEAK,
    ),
    _p(
        r"\b(?:want|wanna|going|gonna|ready|thinking about|think about|thought about|planning|plan|decided|decide|about|need|time) (?:to )?end(?:ing)? it\b(?! (?:with|between|for (?:him|her|them)|by|there|here|on a|off|early|now with|all with))",
        SUICIDAL,
        subject_check=True,
    ),
    _p(
        r"\b(?:want|wanna|wish i could|just want to|need to|going to|gonna) (?:to )?(?:go to )?sleep (?:forever|for ever|and never wake)\b|\b(?:eternal|forever) sleep\b|\bstay asleep (?:forever|for ever|for good)\b",
        SUICIDAL,
    ),
    _p(
        rf"\b{_DRUGS}\b[^.!?]{{0,40}}\b(?:take|swallow|down|taking|swallowing) (?:all|every one|them all|the whole|all of them|the lot)\b|\b{_DRUGS} (?:are )?(?:in front of me|lined up|ready|counted out)\b",
        OVERDOSE,
    ),
    _p(
        r"\b(?:pienso|pensando|penso|pense|pensei|pensar|denke|denken)(?: en| em| au| a| no| ao| an)? (?:el |o |den )?(?:suicidio|suicide|selbstmord)\b|\b(?:pensamientos|pensamentos|idees|pensees|gedanken) suicid\w*",
        SUICIDAL,
    ),
    # Broader phrasings added after the first held-out run (see docs/safety.md).
    _p(
        r"\b(?:dont|do not|didnt) deserve (?:to (?:be alive|live|exist|be here|wake up)|life|to keep living)\b",
        SUICIDAL,
    ),
    _p(
        r"\b(?:better|happier|nicer|easier|lighter|brighter) (?:place|world|life|lives)?\b[^.!?]{0,25}\bwithout me\b",
        SUICIDAL,
    ),
    _p(
        r"\b(?:nobody|no one|noone|no body) (?:would|will|is going to|gonna|d|is gonna) (?:even |really )?(?:miss|notice|care about|mourn) me\b",
        SUICIDAL,
    ),
    _p(
        r"\bhad enough of (?:this |my )?(?:life|living|being alive|everything|it all|existing)\b|\bfinish (?:it|myself|my life|things|it all) (?:tonight|today|now|for good|off)\b|\bgoing to finish it\b",
        SUICIDAL,
    ),
    _p(
        r"\b(?:walk|walking|swim|swimming|wade|wading) (?:out )?into (?:the )?(?:sea|ocean|water|river|lake|waves)\b[^.!?]{0,30}\b(?:not|never) (?:coming|come) back\b|\b(?:walk|walking) into (?:the )?(?:sea|ocean|river) and (?:not|never)\b",
        PLAN,
    ),
    _p(
        r"\b(?:my plan is|the plan is|i plan|im planning|planning|i decided|ive decided|decided) to do it\b|\bgoing to do it (?:on|this|when|after|before|tonight|tomorrow)\b",
        PLAN,
    ),
    _p(
        r"\b(?:looked|look|looking|searched|searching|googled|googling) (?:up )?how (?:high|tall|many|much|long|deep)\b",
        PLAN,
        WEAK,
    ),
    _p(
        rf"\b(?:bought|got|buy|buying|collected|have) (?:a lot of|lots of|loads of|a bunch of|extra|enough|so many|two boxes of|boxes of) (?:\w+ )?{_DRUGS}\b",
        PLAN,
        WEAK,
    ),
    _p(
        r"\bknow (?:exactly )?what (?:im|i am|i) (?:going to|gonna|will) do with (?:it|them)\b|\bif (?:im|i am|i was|i m) (?:gone|not here|dead) (?:tomorrow|by|when|in the morning|soon)\b",
        PLAN,
        WEAK,
    ),
    _p(r"\b(?:it )?(?:wasnt|was not|isnt|is not) your fault\b|\bfor good\b", INDIRECT, WEAK),
    _p(
        r"\b(?:carv\w*|cut\w*|scratch\w*|burn\w*|slic\w*|dig\w*) (?:into )?my (?:skin|flesh|arms?|wrists?|legs?|thighs?|stomach)\b",
        SELF_HARM,
        accident_sensitive=True,
    ),
    # Third round: means and euphemisms without the obvious keywords (see docs/safety.md).
    _p(
        r"\b(?:engine|car) (?:running|on) (?:in|inside) (?:the|my|our) garage\b|\bcarbon monoxide\b|\b(?:charcoal|exhaust) (?:fumes?|pipe|hose)\b",
        PLAN,
    ),
    _p(r"\b(?:almost|nearly) (?:stepped|jumped|walked|threw myself) (?:off|out|in front|into)\b", PLAN),
    _p(
        r"\b(?:research\w*|look\w* up|googl\w*|search\w*|read\w* up on) (?:which|what|how many|the right) (?:pills|meds|drugs|tablets|medication)\b|\b(?:pills|meds|drugs|tablets) (?:would|will|could|might) (?:do it|kill me|be enough)\b",
        PLAN,
    ),
    _p(
        rf"\b(?:drank|drink|drinking|downed|had) (?:a |the )?(?:whole |entire )?(?:bottle|fifth|litre|liter|lot)\b[^.!?]{{0,50}}\b(?:took|take|taken|taking|swallowed) (?:my |all my |some |a few )?(?:\w+ )?{_DRUGS}\b",
        OVERDOSE,
    ),
    _p(
        r"\b(?:would|will|d) (?:finally )?be (?:free|rid) of me\b|\b(?:free|rid) of me (?:forever|for good|at last)\b",
        SUICIDAL,
    ),
    _p(
        r"\bshould (?:just )?(?:die|be dead|not be alive|not exist|kill myself)\b",
        SUICIDAL,
        subject_check=True,
    ),
    _p(
        r"\b(?:dont|do not|no longer) (?:want|wanna) (?:to )?(?:live|be|exist|stay) in this (?:body|world|life)\b",
        SUICIDAL,
    ),
    _p(
        r"\b(?:arms?|legs?|thighs?|wrists?|body|skin|stomach) (?:is|are) (?:covered in|full of) (?:cuts|scars|burns|fresh cuts)\b",
        SELF_HARM,
    ),
    _p(
        r"\bthoughts (?:of|about) (?:killing myself|suicide|ending (?:my life|it)|dying|not being here|death)\b|\b(?:intrusive|dark) thoughts about (?:dying|death|ending it|killing myself)\b",
        SUICIDAL,
    ),
    _p(
        r"\b(?:dont|cant|do not|can not|cannot) (?:see|imagine|picture) (?:myself|me) (?:alive|living|being here|being around|still here|making it)\b",
        SUICIDAL,
    ),
    _p(
        r"\b(?:its|it is) time for me to (?:go|leave|say goodbye|leave this world)\b|\bnot (?:afraid|scared) (?:of dying|of death|to die|anymore)\b|\bno future for me\b|\bgo through with it\b",
        INDIRECT,
        WEAK,
    ),
    _p(
        r"\b(?:something|things) to remember me by\b|\b(?:when|after|once) im gone\b|\bremember me (?:fondly|when im gone)\b",
        PLAN,
        WEAK,
    ),
    _p(
        r"\b(?:giving|gave|give) (?:all )?(?:my )?(?:stuff|things|belongings|possessions|pets?|cat|dog|stuff) away\b",
        PLAN,
        WEAK,
    ),
    _p(
        r"\bwaste of (?:space|air|oxygen|a life)\b|\bdont want to be here\b|\bgoodbye\b(?=[^a-z]*$)",
        INDIRECT,
        WEAK,
    ),
    _p(r"\b(?:wrote|written|left) (?:a|the|my) (?:note|letter|letters)\b", PLAN, WEAK),
    _p(
        r"\b(?:quero|vou) sumir\b|\bsumir para sempre\b|\bsi (?:yo )?no (?:existiera|estuviera)\b|\bsi (?:yo )?(?:muriera|desapareciera)\b|\b(?:desaparecer|disparaitre|verschwinden) (?:para siempre|pour toujours|fur immer)\b",
        SUICIDAL,
    ),
    _p(
        r"\bnao aguento mais\b|\bya no aguanto\b|\bje n(?:e)? (?:peux|supporte) plus\b|\bich kann nicht mehr\b|\b(?:quiero|quero) desaparecer\b",
        INDIRECT,
        WEAK,
    ),
    # --- self-harm ----------------------------------------------------------------------------------
    _p(
        rf"\b(?:cut|cutting|cuts|burn|burning|burned|burnt|hurt|hurting|hurts|harm|harming|harmed|hit|hitting|punch\w*|scratch\w*|stab\w*|bruis\w*|punish\w*|starv\w*|carv\w*) {_SELF}\b",
        SELF_HARM,
        accident_sensitive=True,
    ),
    _p(r"\bself ?(?:harm\w*|injur\w*|mutilat\w*)\b|\bselfharm\w*", SELF_HARM),
    _p(
        r"\bsh (?:urges?|relapse|again|scars?)\b|\brelaps\w* (?:on|with|into)? ?(?:sh|self harm\w*|cutting)\b",
        SELF_HARM,
    ),
    _p(
        r"\b(?:want|wanna|urge|urges|need|tempted|itching) (?:to )?cut\b(?! (?:my hair|class|school|back|down|ties|off|out|the|it|him|her|them|you|people|corners|costs|the cord|in line|sugar|carbs|a deal))",
        SELF_HARM,
    ),
    _p(
        r"\b(?:started|start|been|began|begun|keep|am|im) cutting\b(?! (?:my hair|class|school|back|down|ties|off|out|the|it|him|her|them|people|corners|costs|carbs|sugar|hair|paper|vegetables|wood))|\bcutting again\b",
        SELF_HARM,
    ),
    _p(
        r"\b(?:i )?cut (?:last night|again|yesterday|today|this morning|tonight|deeper|too deep)\b|\bwhen i cut\b(?= *$|[.,!?])|\bi cut\b(?= *$|[.!?])",
        SELF_HARM,
    ),
    _p(
        r"\b(?:cut|slit|slash\w*|carv\w*|scratch\w*|burn\w*|cutting) (?:my|both) (?:wrists?|arms?|legs?|thighs?|skin|stomach|hips?)\b",
        SELF_HARM,
        accident_sensitive=True,
    ),
    _p(
        r"\bmy (?:cuts|scars|wounds) (?:are|keep) (?:getting )?(?:deeper|worse|bleeding)\b|\bcut (?:deeper|too deep)\b",
        SELF_HARM,
    ),
    _p(r"\b(?:until|till|til) (?:they|it|i) bled\b|\bmake myself bleed\b", SELF_HARM, WEAK),
    _p(r"\brelaps\w*\b", SELF_HARM, WEAK),
    # --- overdose -----------------------------------------------------------------------------------
    _p(r"\boverdos\w*|\bover dos\w*", OVERDOSE, tail_block=_OVERDOSE_TAIL, first_person_near=True),
    _p(
        r"\b(?:i (?:just |already )?(?:odd|oded|od)|(?:to|gonna|wanna|going to|might|could|will|want to) od|od (?:on|tonight|today))\b",
        OVERDOSE,
        tail_block=_OVERDOSE_TAIL,
    ),
    _p(
        rf"\b(?:took|take|taken|taking|swallowed|swallow|swallowing|ate|eaten|downed|popped|chugged|necked) (?:like |about |around |over )?{_QTY} (?:my |the |these |those |her |his |of my )?(?:\w+ )?{_DRUGS}\b",
        OVERDOSE,
        tail_block=_HARMLESS_CONTENTS,
    ),
    # --- someone else, now --------------------------------------------------------------------------
    _p(
        r"\b(?:going|gonna|wants?|wanted|trying|tried|threaten\w*|thinking about|talking about|talks about|planning|plans|about|ready|says? (?:she|he|they) will|said (?:she|he|they) (?:would|will|wants to|was going to)) (?:to )?(?:kill|hurt|harm|cut|hang) (?:him|her|them|your)sel(?:f|ves)\b",
        THIRD_PARTY,
        third_party=True,
    ),
    _p(
        r"\b(?:is|are|has been|have been|been|keeps?|started|starts) (?:cutting|hurting|harming|burning|starving) (?:him|her|them)sel(?:f|ves)\b|\b(?:she|he|they) (?:self harms|cuts (?:him|her)self)\b",
        THIRD_PARTY,
        third_party=True,
    ),
    _p(
        r"\b(?:he|she|they|friend|bf|gf|brother|sister|mom|mum|dad|son|daughter|girlfriend|boyfriend|wife|husband|partner|kid|child|cousin|roommate|bestie)(?: is| are|s)? (?:so |really |very |seriously |feeling |been |being |acting |has been )?suicidal\b",
        THIRD_PARTY,
        third_party=True,
    ),
    # --- other languages (folded: no accents) -------------------------------------------------------
    # Spanish
    _p(
        r"\b(?:quiero|quisiera|me quiero|deseo|ganas de) (?:morir(?:me)?|matarme|suicidarme|desaparecer para siempre)\b|\bme (?:quiero|voy a) (?:matar|suicidar|morir)\b|\bvoy a (?:matarme|suicidarme)\b",
        SUICIDAL,
        tail_block=r"^ (?:de|del|por) (?:la |el )?(?:verguenza|risa|hambre|sueno|ganas|calor|frio|aburrimiento|pena|amor|ver)",
    ),
    _p(
        r"\b(?:suicidarme|suicidarse|me suicido)\b|\bpienso en (?:el )?suicidio\b|\bpensamientos suicidas\b",
        SUICIDAL,
    ),
    _p(
        r"\b(?:ya )?no quiero (?:seguir )?(?:vivir|viviendo|existir|despertar)\b|\b(?:acabar|terminar) con mi vida\b|\bquitarme la vida\b|\bno vale la pena vivir\b|\bmejor (?:estarian|estarias|estaria) sin mi\b|\bsin mi (?:estarian|estaria) mejor\b",
        SUICIDAL,
    ),
    _p(r"\bme corto\b|\bcortarme\b|\bme hago dano\b|\bhacerme dano\b|\bautolesion\w*", SELF_HARM),
    # French
    _p(
        r"\b(?:je )?veux (?:juste )?mourir\b|\benvie de (?:mourir|me tuer|me suicider|disparaitre)\b|\b(?:vais|veux|voudrais|pense a) me (?:tuer|suicider)\b|\bme suicider\b",
        SUICIDAL,
    ),
    _p(
        r"\b(?:je )?ne veux plus vivre\b|\bveux plus vivre\b|\bplus envie de vivre\b|\ben finir avec (?:la vie|ma vie|tout)\b|\b(?:(?:veux|vais|voudrais) |envie d ?|besoin d ?)en finir\b|\bmettre fin a (?:mes jours|ma vie)\b|\bmieux sans moi\b",
        SUICIDAL,
    ),
    _p(
        r"\bme (?:scarifie|scarifier|mutile|mutiler|faire du mal|fais du mal)\b|\bscarif\w*|\bautomutil\w*",
        SELF_HARM,
    ),
    # German
    _p(
        r"\b(?:ich )?(?:will|mochte|moechte|wurde gerne|werde) (?:einfach |nur noch |nur )?(?:sterben|tot sein)\b|\bmich\b[^.!?]{0,25}\b(?:umbringen|toten|umzubringen)\b|\bbringe? mich um\b|\bbringe? mich (?:\w+ ){1,3}um(?= *(?:[.!?,;]|$))|\bbringe ich mich (?:\w+ ){0,3}um(?= *(?:[.!?,;]|$))|\bselbstmord\w*|\bsuizid\w*",
        SUICIDAL,
    ),
    _p(
        r"\b(?:ich )?(?:will|mochte|moechte|kann) nicht mehr (?:leben|weiterleben|aufwachen|da sein)\b|\bmir das leben nehmen\b|\bbesser ohne mich\b",
        SUICIDAL,
    ),
    _p(r"\b(?:mich )?ritzen\b|\britze mich\b|\bmir (?:weh tun|wehtun|was antun)\b", SELF_HARM),
    # Portuguese
    _p(
        r"\b(?:quero|queria|vou|vontade de|pensando em|penso em|pensei em) (?:me )?(?:morrer|matar|suicidar)\b(?! (?:a saudade|o tempo|aula))|\bme matar\b(?=[^a-z]*$)",
        SUICIDAL,
    ),
    _p(
        r"\b(?:nao|n) (?:quero|aguento) mais viver\b|\bnao quero (?:mais )?(?:viver|existir|acordar)\b|\btirar (?:a )?minha (?:propria )?vida\b|\bacabar com (?:a )?minha vida\b|\bmelhor(?:es)? sem mim\b",
        SUICIDAL,
    ),
    _p(r"\bme (?:cortar|corto|machucar|machuco)\b|\bautomutila\w*", SELF_HARM),
    # Italian
    _p(
        r"\bvoglio morire\b|\b(?:uccidermi|ammazzarmi|suicidarmi)\b|\bfarla finita\b|\btogliermi la vita\b",
        SUICIDAL,
    ),
    # Fourth round: warning signs in other shapes and more of es/fr/de/pt, tuned on
    # tests/safety/crisis_dev.jsonl (never on crisis_fresh_test.jsonl; see docs/safety.md).
    _p(r"\b(?:lethal|fatal|deadly) (?:dose|amount)\b", PLAN, WEAK),
    _p(r"\bctb\b|\bcatch(?:ing)? the bus\b[^.!?]{0,20}\b(?:permanently|for good|forever)\b", SUICIDAL),
    _p(
        r"\b(?:wont|will not|not going to|not gonna|wont be|will soon not) (?:be )?(?:a|an) (?:burden|problem|bother|nuisance|weight) (?:to|for|on) (?:anyone|anybody|you|them|everyone|my family|my parents|people)(?: (?:much|for much|any|for))? ?(?:longer|anymore|any more|long)\b"
        r"|\b(?:wont|will not|dont|do not) (?:have|need) to (?:deal with|worry about|put up with|take care of|look after) me (?:much longer|for much longer|anymore|any more|any longer|for long)\b",
        SUICIDAL,
    ),
    _p(
        r"\b(?:wont|will not|not going to|dont) need (?:it|them|this|that|these|those|my \w+|any of (?:it|this|them)) (?:anymore|any more|any longer|much longer|where im going|after (?:tonight|tomorrow|this week))\b|\bwhere im going\b(?=[^a-z]*$)",
        PLAN,
        WEAK,
    ),
    _p(
        r"\b(?:giving|gave|give|given) away (?:all |most |some )?(?:of )?my (?:clothes|books|games|jewell?ery|guitar|stuff|things|belongings|possessions|art|collection|plants)\b",
        PLAN,
        WEAK,
    ),
    _p(
        rf"\b(?:enough|all the) {_DRUGS} (?:saved|stored|stashed|hidden|to do it|to die|to kill me|to not wake up)\b|\b{_DRUGS} (?:saved|stockpiled|hoarded|stashed)(?: up)?\b|\b(?:got|have) (?:the |my |all the )?{_DRUGS} (?:right )?(?:here|in my hand|next to me|on my (?:bed|desk|table|lap))\b",
        PLAN,
    ),
    _p(
        r"\b(?:knife|blade|razor|glass|scissors) (?:to|against|on) my (?:wrist|wrists|throat|neck|arm|veins?)\b",
        PLAN,
    ),
    _p(
        r"\bnothing (?:left )?for me(?: (?:here|anymore|in this world|in this life))?\b|\bno way out\b",
        INDIRECT,
        WEAK,
    ),
    _p(
        r"\b(?:leave|leaving|left|depart\w*|exit\w*) (?:this|the) (?:world|earth|planet|life)\b(?! (?:a |better|behind|of|with|in (?:a|better)))",
        SUICIDAL,
        subject_check=True,
    ),
    _p(
        r"\bmake it look like an accident\b|\bthis is goodbye\b|\b(?:going away|leaving) and (?:im |i am |i will |i )?(?:not|never) (?:coming|come) back\b",
        INDIRECT,
        WEAK,
    ),
    _p(
        r"\bfeel(?:ing)? like (?:dying|im dying inside and want it to be real)\b",
        SUICIDAL,
        tail_block=r"^ ?(?:of|from|laughing|after|because of (?:the|this) (?:heat|cold|flu|gym|workout)|with|in (?:this|the) heat)\b",
    ),
    _p(
        r"\b(?:wrote|written|left|writing) (?:everyone|each of them|all of them|my family|my parents|them all) (?:a )?(?:letter|letters|note|notes)\b",
        PLAN,
        WEAK,
    ),
    # Spanish
    _p(
        r"\bmejor me muero\b|\bmejor (?:morirme|estar muert[oa])\b|\bojala (?:me muera|no despertar|no despierte|estuviera muert[oa]|no existiera)\b|\b(?:quiero|quisiera) (?:estar muert[oa]|dejar de (?:vivir|existir)|dormir y no despertar)\b",
        SUICIDAL,
        tail_block=r"^ (?:de|del|por) (?:la |el )?(?:verguenza|risa|hambre|sueno|calor|frio|aburrimiento)",
    ),
    _p(
        r"\bnadie (?:me )?(?:extranaria|extranara|echaria de menos|echara de menos|notaria|notara|lloraria)\b|\bya no quiero estar (?:aqui|en este mundo)\b|\bno quiero estar (?:aqui|en este mundo) (?:nunca mas|ya|mas)\b",
        SUICIDAL,
    ),
    _p(
        r"\b(?:me )?(?:tome|trague|tomare) (?:muchas|todas (?:las|mis)|un monton de|demasiadas|una caja de|un frasco de|un bote de|el bote de|el frasco de) (?:\w+ )?(?:pastillas|pildoras|medicinas|medicamentos|calmantes|somniferos)\b",
        OVERDOSE,
    ),
    _p(
        r"\b(?:tirarme|aventarme|lanzarme|me voy a tirar|me tiro) (?:del|de la|de un|de una|desde el|desde la|al|a las|bajo el) (?:puente|azotea|edificio|techo|balcon|ventana|tren|metro|vias)\b|\b(?:una cuerda|la cuerda) (?:para )?(?:colgarme|ahorcarme)\b|\b(?:ahorcarme|colgarme)\b",
        PLAN,
    ),
    _p(r"\bcarta de despedida\b|\bya no estare\b|\bdespedirme de todos\b", PLAN, WEAK),
    # French
    _p(
        r"\bme foutre en l ?air\b|\bplus (?:aucune )?raison de vivre\b|\bmarre de (?:vivre|la vie|cette vie)\b|\bje (?:veux|voudrais|prefererais) (?:etre mort|etre morte|disparaitre pour toujours|ne plus exister|ne plus me reveiller)\b"
        r"|\bne (?:jamais |plus )?me reveiller\b|\bpersonne ne (?:remarquerait|remarquera|me regretterait|me regrettera|me manquerait)\b|\bsi je disparaiss\w*\b",
        SUICIDAL,
    ),
    _p(
        r"\b(?:j ?ai |jai )?(?:pris|avale|avaler|prendre) (?:trop de|toute la boite de|toutes mes|tous mes|toute ma|une boite de|la boite de) (?:\w+ )?(?:cachets|medicaments|pilules|comprimes|somniferes)\b",
        OVERDOSE,
    ),
    _p(
        r"\b(?:sauter|me jeter|je saute) (?:du|d un|de la|depuis le|sous (?:un|le) (?:train|metro|bus))\b|\bme pendre\b|\blettre d ?adieu\b",
        PLAN,
    ),
    # German
    _p(
        r"\b(?:ich )?(?:will|mochte|kann) (?:einfach |echt )?nicht mehr\b(?=[^a-z]*$)|\bum zu sterben\b|\bwenn ich (?:weg|tot|nicht mehr da) (?:ware|bin)\b|\b(?:niemand|keiner) (?:wurde|wird) mich vermissen\b|\bkeinen (?:grund|sinn) (?:mehr )?(?:zu leben|zum leben|weiterzuleben|darin weiterzuleben)\b"
        r"|\bschluss mit (?:allem|dem leben|meinem leben)\b|\bnie (?:wieder|mehr) aufwachen\b|\bnicht mehr aufwachen\b|\bnicht mehr (?:leben|da sein|existieren) (?:will|mochte)\b|\blebensmude\b",
        SUICIDAL,
    ),
    _p(
        r"\bmache? (?:heute |jetzt |heute nacht )?schluss\b(?! mit (?:dir|ihm|ihr|euch|der|dem job))|\babschiedsbrief\b",
        PLAN,
        WEAK,
    ),
    _p(
        r"\b(?:alle|viele|zu viele|die ganzen|meine) (?:\w+ )?(?:tabletten|pillen|medikamente|schlaftabletten) (?:genommen|geschluckt|eingenommen)\b|\buberdosis\b|\b(?:springe|spring|springen|werfe mich) (?:\w+ )?(?:von der|vom|von einem|von einer|vor den|vor einen) (?:\w+ )?(?:brucke|dach|hochhaus|zug|balkon|turm|fenster)\b|\bmich (?:erhangen|aufhangen|vor den zug werfen)\b",
        PLAN,
    ),
    _p(
        r"\b(?:ich )?(?:schneide|verletze|ritze) mich\b|\bschneide mir (?:\w+ )?in die (?:arme|beine|haut)\b",
        SELF_HARM,
    ),
    # Portuguese
    _p(
        r"\b(?:ninguem|nenhuem) (?:ia|vai|iria|sentiria|vai sentir|ia sentir) (?:sentir )?(?:minha )?falta\b|\bnao (?:quero|aguento) mais (?:estar aqui|existir|viver)\b|\b(?:sem )?(?:vontade|motivo|razao) (?:de|para) viver\b|\bqueria (?:dormir e )?nao acordar\b|\bnunca mais acordar\b|\bcarta de despedida\b",
        SUICIDAL,
    ),
    _p(
        r"\b(?:tomei|engoli|tomar|engolir) (?:muitos|todos os|todas as|um monte de|varios|varias|uma cartela|a cartela|uma caixa de|a caixa de|o frasco de) (?:\w+ )?(?:remedios|comprimidos|pilulas|calmantes|medicamentos)\b",
        OVERDOSE,
    ),
    _p(
        r"\b(?:me jogar|pular|me atirar) (?:da|do|de um|de uma|na frente do) (?:ponte|predio|janela|telhado|sacada|trem|metro|onibus)\b|\bme enforcar\b",
        PLAN,
    ),
    _p(
        r"\b(?:eu )?me (?:machuco|corto|machucar) de proposito\b|\bde proposito\b[^.!?]{0,30}\b(?:remedios|comprimidos|pastillas|cachets)\b",
        SELF_HARM,
    ),
    # Fifth round: the failure classes named after the spent fresh set's score (final arrangements,
    # goodbyes, means described sideways, German verb-last order, es/pt third party). Checked for false
    # alarms on the tuning, dev, training and everyday sets; never tuned on crisis_fresh2_test.jsonl.
    _p(
        r"\b(?:sorted out|made|wrote|written|signed|updated|finished|did) (?:out )?my will\b|\bput (?:all )?my affairs in order\b|\btying up (?:all )?(?:my )?loose ends\b"
        r"|\b(?:rehomed|found (?:a )?new (?:home|homes|owner|owners) for|gave away) my (?:dog|dogs|cat|cats|pets?|rabbits?|hamsters?|fish|birds?|horse)\b"
        r"|\bdeleted (?:all )?(?:of )?my (?:accounts|social media|profiles)\b|\b(?:made|make|making) (?:my )?peace with (?:it|everything|dying|death|my decision|leaving|the end)\b"
        r"|\b(?:tonight|today) (?:is|s) the (?:night|day)\b(?! (?:of|for|before|we|i (?:finally )?(?:ask|tell|propose|get|see|meet)))",
        PLAN,
        WEAK,
    ),
    _p(
        r"\b(?:wont|will not|am not going to|not gonna|wont be) (?:be )?(?:need|needing) (?:it|them|these|those|any of (?:it|this|them|that)|my \w+)\b(?=[^a-z]*$)",
        PLAN,
        WEAK,
    ),
    _p(
        r"\b(?:this is|this will be|that was|it will be) the last (?:time )?you(?:ll| will)? (?:ever )?(?:hear|see) (?:from |of )?me\b|\bthe last time you(?:ll| will)? (?:ever )?hear from me\b"
        r"|\byou (?:wont|will not|will never|ll never) (?:ever )?(?:hear from|see|hear of) me (?:again|ever again|anymore|any more)\b(?! (?:until|till|til|before|for|after|this|next|on))"
        r"|\bby the time you (?:read|see|get) this\b",
        SUICIDAL,
    ),
    _p(
        r"\b(?:take care of|look after|feed|walk|love) (?:my|the) \w+(?: \w+)? (?:for me )?(?:when|after|once) (?:im|i am|ive) (?:gone|not here|not around|dead)\b(?! (?:on|for|to|this|next|away|abroad|travelling|in))",
        SUICIDAL,
    ),
    _p(
        r"\b(?:going to|gonna|will|about to|plan to|want to|wanna) (?:just )?(?:walk|swim|wade) (?:out )?(?:into the (?:sea|ocean|river|lake|water|waves)|as far as i can)(?: (?:and (?:not|never) (?:come|coming) back|tonight|when|until|till|and keep going))"
        r"|\b(?:going to|gonna|will|about to) jump (?:tonight|when everyone|once everyone|after everyone|as soon as|before anyone|when no one|when nobody)\b"
        r"|\b(?:thinking about|think about|thought about|tempted to|want to|wanna|going to|gonna|plan to|keep imagining|imagine) (?:just )?(?:swerv\w*|driv\w*|crash\w*|steer\w*)\b[^.!?]{0,30}\b(?:into|off) (?:a |the |an )?(?:tree|wall|bridge|cliff|river|lake|sea|lorry|truck|oncoming|pillar|barrier|motorway|traffic|ditch)\b",
        PLAN,
    ),
    _p(
        rf"\b(?:took|taken|swallowed|mixed|downed|necked|popped|ate)\b[^.!?]{{0,40}}\b{_DRUGS}\b[^.!?]{{0,30}}\b(?:on purpose|deliberately|intentionally)\b"
        rf"|\b(?:took|swallowed|downed|necked|ate) (?:a load of|a stack of|a pile of|half of|most of) (?:my |the |her |his |my (?:mum|mom|dad|nan|gran|grandmas?|grandads?|sisters?|brothers?|parents)s? )?(?:\w+ )?{_DRUGS}\b",
        OVERDOSE,
    ),
    _p(
        r"\bcounting (?:out )?(?:the |my |all the |all my )?(?:pills|tablets|meds)\b|\b(?:keep|been|kept|cant stop|couldnt stop) (?:looking|staring) at (?:the )?(?:tracks|rails|sharpest knife|knives|knife|blade|razor|rope|drop)\b",
        PLAN,
        WEAK,
    ),
    _p(
        r"\b(?:hid|hide|hiding|cover|covering|covered) (?:the |my |all the )?(?:fresh )?(?:cuts|burns)\b(?! (?:from|on my (?:hands|fingers) from))"
        r"|\b(?:the )?(?:razor|blade)s? (?:is|are) the only (?:thing|things) (?:that )?(?:calms|calm|helps|help|keeps|gets)\b",
        SELF_HARM,
    ),
    _p(
        r"\btoaster bath\b|\bneck rope\b|\bworth more dead\b|\b(?:permanent|forever) nap\b|\blog(?:ging)? off (?:from )?life\b",
        SUICIDAL,
    ),
    _p(
        r"\b(?:catch me|ill be|i will be|gonna be|going to be) (?:six|6) feet under\b"
        r"|\b(?:fantasi[sz]\w*|daydream\w*|dream\w*) about (?:my own )?(?:death|dying|being dead|not existing|my funeral|not being here)\b"
        r"|\b(?:not|no longer|nt) (?:scared|afraid) of (?:dying|death)\b[^.!?]{0,10}\b(?:scared|afraid) of (?:waking up|living|another (?:day|morning)|tomorrow)\b"
        r"|\b(?:better off|be richer|be happier) (?:collecting|getting|cashing in(?: on)?) (?:my|the) (?:life )?insurance\b",
        SUICIDAL,
        WEAK,
    ),
    # German, verb last
    _p(
        r"\b(?:von|vom) (?:der |dem |einer |einem )?(?:\w+ )?(?:brucke|dach|hochhaus|balkon|turm|klippe|parkhaus)\w*\b[^.!?]{0,25}\b(?:springen|springe|sturzen|sturze)\b"
        r"|\b(?:vor|unter) (?:den|einen|die) (?:zug|bus|lkw|u ?bahn|s ?bahn)\b[^.!?]{0,15}\b(?:springen|werfen|legen|springe|werfe)\b"
        r"|\b(?:habe|hab) (?:\w+ ){0,3}abschiedsbrief\w* (?:geschrieben|fertig)\b|\bumbringen (?:werde|will|mochte|muss) ich mich\b"
        r"|\b(?:ganze|eine ganze|die ganze) (?:packung|schachtel|dose|flasche)\b[^.!?]{0,25}\b(?:geschluckt|genommen|eingeworfen)\b",
        PLAN,
    ),
    _p(
        r"\bschneide (?:ich )?mir\b[^.!?]{0,30}\bin die (?:arme|beine|haut|handgelenke|oberschenkel)\b|\bin die (?:arme|beine|haut|handgelenke|oberschenkel) (?:schneide|ritze) ich mir\b",
        SELF_HARM,
    ),
    # Spanish, Portuguese: someone else; other word orders
    _p(
        r"\bse (?:va|quiere|iba) a (?:matar|suicidar|quitar la vida|tirar (?:del|de la|desde))\b|\b(?:vai|quer|ia) se (?:matar|suicidar|jogar (?:da|do|de))\b|\b(?:vai|quer) (?:se )?suicidar\b",
        THIRD_PARTY,
        third_party=True,
        tail_block=r"^ (?:de|del|a|com|na|no|em) (?:risa|rir|trabajar|estudar|estudiar|trabalhar|hambre|fome)",
    ),
    _p(
        r"\bojala no (?:despertarme|despertar|volver a despertar(?:me)?)\b|\bya no voy a (?:volver|estar)\b|\bmatarme es\b|\bme matar e\b",
        SUICIDAL,
        WEAK,
    ),
    _p(
        r"\b(?:tomei|engoli|tome|trague|ho preso|ho ingoiato|j ?ai (?:pris|avale)) (?:uma|una|un|une|a|la|el) (?:cartela|caja|frasco|boite|scatola|tira|plaquette)(?: \w+){0,2} (?:de|di) (?:\w+ )?(?:remedios|comprimidos|pilulas|pastillas|pildoras|cachets|medicaments|comprimes|pillole|compresse|somniferos|somniferes|sonniferi)\b",
        OVERDOSE,
    ),
)

# --- other languages, second block: nl, pl, ru, uk, tr, id, sv, ja, zh, ar, hi and more es/fr/de/pt/it,
# kept in bot/safety/crisis_languages.py (regexes there are folded the same way as the text).
PATTERNS += tuple(_p(**spec) for spec in crisis_languages.LANGUAGE_PATTERNS + crisis_languages.EXTRA_PATTERNS)

# --- context cues ------------------------------------------------------------------------------------
NEGATORS = frozenset(
    "not never no dont didnt doesnt wont wouldnt isnt arent wasnt aint nope nor neither "
    "nunca jamas jamais pas nicht nie kein nao nem ni".split()
    + crisis_languages.NEGATORS
)
# Idioms that contain a negation but do not negate what follows ("not gonna lie, I want to die").
_NOT_NEGATIONS = re.compile(
    r"\b(?:not (?:gonna|going to|to) lie|no lie|no joke|not (?:even )?(?:joking|kidding)|no cap|"
    r"not to be (?:dramatic|dark|morbid)|dont (?:judge|laugh|worry|know)|i dont know (?:why|how|what)|"
    r"no matter what|no one|nobody|nothing|non (?:stop|binary|negotiable))\b"
)
_HYPERBOLE = re.compile(
    r"\b(?:lol|lool|lmao|jaja\w*|jeje\w*|kkk+|mdr|ptdr|lmfao|lmaoo|rofl|haha\w*|hehe|xd|jk|jking|just kidding|kidding|jokes?|joking|"
    r"embarrass\w*|cringe\w*|mondays?|homework|printer|traffic|meeting|exam|laughing)\b|😂|🤣|💀|😭😂|🙃"
)
_SERIOUS = re.compile(
    r"\b(?:like actually|actually serious|for real|fr fr|seriously|im serious|i am serious|i mean it|"
    r"not (?:even )?(?:joking|kidding)|no joke|srsly|literally mean)\b"
)
_PAST = re.compile(
    r"\b(?:used to|years? ago|months? ago|a while ago|last year|when i was (?:younger|little|a kid|a teen\w*|in (?:high|middle) school|\d+)|"
    r"as a (?:kid|teen\w*|child)|back then|in the past|back in (?:high|middle) school|years clean|clean (?:for|since)|in (?:19|20)\d\d|recovered|got better|"
    r"(?:im|i am) (?:doing )?(?:much |so much )?better now|antes|antigamente|hace (?:\w+ )?anos|(?:\w+ )?anos atras|ha (?:\w+ )?anos|il y a (?:\w+ )?ans|autrefois|fruher|damals|vor (?:\w+ )?jahren)\b"
)
_STILL = re.compile(r"\b(?:again|still|relaps\w*|anymore|tonight|right now)\b")
_MEDIA = re.compile(
    r"\b(?:movie|movies|film|song|songs|lyrics?|book|novel|poem|poems|poetry|character|characters|episode|"
    r"tv show|series|quote|scene|documentary|article|news|essay|paper on|research|report on|lecture|"
    r"health class|psychology|presentation on|project on|13 reasons why|squad|prevention|awareness|hotline number|"
    r"romeo|juliet|hamlet|shakespeare|play we|the play|in the story|fanfic\w*|my oc|game|"
    r"favou?rite line|famous line|line from|lines from|the line|drama class|drama teacher|rehearsal|script|my lines)\b"
)
_ACCIDENT = re.compile(
    r"\b(?:accident\w*|by mistake|chopping|cooking|shaving|gym|workout|working out|lifting|tripped|fell|"
    r"slipped|paper cut|glass|playing|hiking|running|skating|skiing|football|soccer|basketball|rugby|"
    r"hockey|climbing|biking|cycling|sports?|stairs|kitchen|oven|stove|pan|iron|curling iron|straightener|"
    r"knee|ankle|wrist brace|back|shoulder|muscle|trampoline|practice|training|at work|on the job|bungee|holiday|tetanus|lid|tin can|a can|"
    r"vacation|into the (?:lake|water|pool|sea|river|ocean)|diving|dive|parachut\w*|skydiv\w*|zip ?lin\w*|swimming|"
    r"so fun|for fun|fixing|repair\w*|gutters?|kettle|hot water|boiling|coffee|tea|soup|candle|matches|bbq|barbecue|grill|toaster|pizza)\b"
)
# Someone asked about it ("my therapist asked if I was suicidal and I said no").
_REPORTED = frozenset("asked asks asking ask askd".split())
_GENERIC_SUBJECTS = frozenset(
    "people someone somebody anyone anybody those everyone nobody you u ya ppl".split()
)
_OTHER_SUBJECTS = frozenset(
    "he she they hes shes theyre friend brother sister mom mum dad son daughter girlfriend boyfriend gf bf "
    "wife husband partner kid child cousin roommate bestie".split()
)
_FIRST_PERSON = frozenset(
    "i im ive id ill myself want wanna gonna going thinking planning took take taking might should "
    "could just almost nearly attempted tried".split()
)
_QUOTED = re.compile(r'"[^"]{1,200}"')
# The same cues in the languages of crisis_languages.py (laughter, the past, "again", films and news).
_HYPERBOLE = re.compile(f"{_HYPERBOLE.pattern}|{crisis_languages.HYPERBOLE}")
_PAST = re.compile(f"{_PAST.pattern}|{crisis_languages.PAST}")
_STILL = re.compile(f"{_STILL.pattern}|{crisis_languages.STILL}")
_MEDIA = re.compile(f"{_MEDIA.pattern}|{crisis_languages.MEDIA}")


@dataclass(frozen=True)
class CrisisResult:
    crisis: bool
    reason: str  # "ok" or the winning crisis reason code
    score: float


def assess(text: str) -> CrisisResult:
    """Judge one incoming message (see the module docstring for the rules)."""
    t = unleet(fold(text))
    media = bool(_MEDIA.search(t))
    if media:
        # Quoted lines inside talk about a film or a song are someone else's words.
        t = _QUOTED.sub(" ", t)
    neg_view = _NOT_NEGATIONS.sub(lambda m: "x" * len(m.group(0)), t)
    serious = bool(_SERIOUS.search(t))
    hits: list[tuple[float, int, int, str]] = []
    for pat in PATTERNS:
        for m in _matches(pat, t):
            weight = _weigh(pat, m, t, neg_view, media=media, serious=serious)
            if weight > 0:
                hits.append((weight, m.start(), m.end(), pat.reason))
    if not hits:
        return CrisisResult(False, "ok", 0.0)
    # Overlapping matches are one signal: count the strongest of them once.
    hits.sort(key=lambda h: (-h[0], PRIORITY.index(h[3])))
    taken: list[tuple[float, int, int, str]] = []
    for h in hits:
        if all(h[2] <= o[1] or h[1] >= o[2] for o in taken):
            taken.append(h)
    score = sum(h[0] for h in taken)
    if score < 1.0:
        return CrisisResult(False, "ok", score)
    reasons = {h[3] for h in taken if h[0] >= WEAK}
    strong_reasons = {h[3] for h in taken if h[0] >= STRONG}
    pool = strong_reasons or reasons
    reason = next(r for r in PRIORITY if r in pool)
    if not strong_reasons and reason != PLAN:
        reason = INDIRECT  # only weak signals added up
    return CrisisResult(True, reason, score)


def _weigh(pat: Pattern, m: re.Match[str], t: str, neg_view: str, *, media: bool, serious: bool) -> float:
    if pat.tail_block is not None and pat.tail_block.search(t[m.end() : m.end() + 48]):
        return 0.0
    if pat.head_block is not None and pat.head_block.search(t[max(0, m.start() - 40) : m.start()]):
        return 0.0
    before = words_before(neg_view, m.start(), 4)
    if NEGATORS.intersection(before[-3:]) or _REPORTED.intersection(before):
        return 0.0
    third_party = pat.third_party
    if pat.subject_check:
        if set(before) & _GENERIC_SUBJECTS:
            return 0.0
        if set(before[-2:]) & _OTHER_SUBJECTS:
            third_party = True
    if pat.first_person_near and not _FIRST_PERSON.intersection(words_before(t, m.start(), 5)):
        return 0.0
    sentence = sentence_around(t, m.start(), m.end())
    if pat.accident_sensitive and _ACCIDENT.search(sentence):
        return 0.0
    weight = pat.weight
    if media:
        if third_party:
            return 0.0
        weight *= 0.5
    if _HYPERBOLE.search(sentence) and not serious:
        weight *= 0.5
    if _PAST.search(sentence) and not _STILL.search(sentence):
        weight *= 0.5
    return weight
