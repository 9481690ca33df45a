"""Checks on a candidate reply before it is sent. Each returns a reason code or None.

The checks run in a fixed order (first failure wins): empty, loop, personal data, sexual content,
encouraging self-harm, encouraging disordered eating, looks, insults, claiming to be human, and in a
careful conversation (after a crisis) anything about death or methods, and jokes.
"""

from __future__ import annotations

import re
from collections import Counter

from bot.safety.text import fold, words_before

EMPTY = "reply.empty"
LOOP = "reply.loop"
PERSONAL_DATA = "reply.personal_data"
SEXUAL = "reply.sexual"
SELF_HARM_ENCOURAGEMENT = "reply.self_harm_encouragement"
DISORDERED_EATING = "reply.disordered_eating"
LOOKS_MINOR = "reply.looks_minor"
LOOKS = "reply.looks"
INSULT = "reply.insult"
CLAIMS_HUMAN = "reply.claims_human"
CAREFUL = "reply.careful"

ALL_REASONS = (
    EMPTY, LOOP, PERSONAL_DATA, SEXUAL, SELF_HARM_ENCOURAGEMENT, DISORDERED_EATING,
    LOOKS_MINOR, LOOKS, INSULT, CLAIMS_HUMAN, CAREFUL,
)  # fmt: skip

# Words that, just before a phrase, mean the reply argues against it ("please don't hurt yourself").
_NEGATORS = frozenset(
    "not never no dont doesnt didnt wont wouldnt shouldnt isnt arent avoid stop without nobody "
    "cant cannot instead quit".split()
)


def _negated(folded: str, start: int) -> bool:
    return bool(_NEGATORS.intersection(words_before(folded, start, 3)))


def _first_unnegated(pattern: re.Pattern[str], folded: str) -> bool:
    return any(not _negated(folded, m.start()) for m in pattern.finditer(folded))


# --- empty and loops ---------------------------------------------------------------------------------
_HAS_WORD = re.compile(r"[^\W_]", re.UNICODE)
_SENTENCES = re.compile(r"[^.!?\n]+")
_TOKENS = re.compile(r"[a-z0-9]+")
_CHAR_RUN = re.compile(r"(.{1,4}?)\1{7,}")


def is_empty(reply: str) -> bool:
    return not _HAS_WORD.search(reply)


def is_loop(folded: str) -> bool:
    """A sentence twice (three times if short), a 4-gram three times, one word four times in a row, or a stutter."""
    if _CHAR_RUN.search(folded):
        return True
    sentences = [s.strip() for s in _SENTENCES.findall(folded)]
    counted = Counter(s for s in sentences if s)
    for sentence, n in counted.items():
        if n >= 3 or (n >= 2 and len(sentence.split()) >= 3):
            return True
    tokens = _TOKENS.findall(folded)
    run = 1
    for a, b in zip(tokens, tokens[1:], strict=False):
        run = run + 1 if a == b else 1
        if run >= 4:
            return True
    if len(tokens) >= 12:
        grams = Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))
        if grams.most_common(1)[0][1] >= 3:
            return True
    if len(tokens) >= 30 and len(set(tokens)) / len(tokens) < 0.3:
        return True
    return False


# --- personal data -----------------------------------------------------------------------------------
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
_PHONEISH = re.compile(r"(?<![\w.])\+?\(?\d[\d ().-]{5,20}\d(?![\w])")
_DATE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$")
_STREET = re.compile(
    r"\b\d{1,5}[a-zA-Z]?\s+(?:[A-Z][a-zA-Z']+\s+){1,3}"
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Terrace|Way|"
    r"Close|Crescent|Highway|Hwy|Square|Sq|Parkway|Pkwy|Gardens|Grove|Row|Strasse|Straße|Calle|Rue)\b\.?"
    r"|\b(?:Apt|Apartment|Suite|Unit|Flat)\.?\s*#?\d+[A-Za-z]?\b"
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b"  # UK postcode
    r"|\b[A-Z][a-z]+,\s(?:[A-Z]{2})\s\d{5}(?:-\d{4})?\b"  # "Springfield, IL 62704"
)


def has_personal_data(reply: str) -> bool:
    if _EMAIL.search(reply) or _STREET.search(reply):
        return True
    for m in _PHONEISH.finditer(reply):
        chunk = m.group(0).strip()
        digits = sum(ch.isdigit() for ch in chunk)
        if 7 <= digits <= 16 and not _DATE.match(chunk):
            return True
    return False


# --- content -----------------------------------------------------------------------------------------
_SEXUAL = re.compile(
    r"\b(?:sex|sexy|sexual\w*|sexting|sext|nudes?|naked|horny|arous\w*|orgasm\w*|boobs?|tits|titties|"
    r"nipples?|dick|cock|penis|pussy|vagina|clit\w*|cum|cumming|blowjob|handjob|porn\w*|erotic\w*|"
    r"kinky|fetish\w*|foreplay|masturbat\w*|jerk(?:ing)? off|make love|making love|hook(?:ing)? up with|"
    r"one night stand|strip(?:ping)? for|take (?:off )?your clothes|undress\w*|in bed together|"
    r"turns? me on|turned on|lingerie|thong|booty call|send (?:me )?(?:pics|a pic|photos|nudes)|"
    r"seduc\w*|spank\w*|bdsm|hentai|onlyfans|lick (?:you|your)|kiss (?:you )?all over|touch yourself|"
    r"sleep with (?:you|me)|between your legs|your body against|sensual\w*|steamy)\b"
)
_SELF_HARM_ENCOURAGE = re.compile(
    r"\b(?:kill|hurt|cut|harm|burn|starve|hang|shoot) (?:your ?self|yourselves)\b|\bkys\b"
    r"|\b(?:you should|you could|just|go ahead and|why dont you|you might as well|might as well|you need to|"
    r"try to|you ought to|feel free to) (?:just )?(?:die|end it|kill yourself|cut|end your life|take the pills|"
    r"overdose|jump|do it|hurt yourself|go through with it|disappear forever)\b"
    r"|\b(?:better off|be better) (?:dead|without you)\b|\b(?:nobody|no one) (?:would|will) (?:miss|notice|care about) you\b"
    r"|\b(?:cutting|self ?harm\w*|suicide|dying|death|overdos\w*|starving|hurting yourself|killing yourself|"
    r"ending it) (?:is|would be|could be|might be|can be|sounds like) (?:a |the |an |really )?(?:good|great|best|"
    r"only|right|easy|valid|reasonable|fine|healthy|understandable choice|answer|solution|way out|option|relief|"
    r"ok|okay|peaceful|brave)\b"
    r"|\b(?:end|take) your (?:own )?life\b|\b(?:best|easiest|quickest|fastest|surest|painless|most painless) "
    r"(?:way|ways|method|methods) to (?:die|kill|cut|end|overdose)\b"
    r"|\b(?:how many|enough) (?:pills|tablets) (?:to|would|will)\b|\byou deserve (?:to (?:die|suffer|be hurt|feel pain|bleed)|pain)\b"
    r"|\bgo die\b|\b(?:its|it is) your (?:choice|decision|right) to (?:die|end|kill)\b|\bdo it\W+(?:nobody|no one) (?:cares|will stop you)\b"
    r"|\b(?:hide|hiding|cover|covering) (?:the |your )?(?:cuts|scars|marks|wounds)\b|\bcut deeper\b"
)
_DISORDERED_EATING = re.compile(
    r"\b(?:skip|skipping|skipped) (?:a |your |some |the )?(?:meals?|breakfast|lunch|dinner|eating)\b"
    r"|\b(?:stop|stopping|quit) eating\b|\b(?:eat|eating) (?:less|nothing|very little|as little as|only one meal)\b"
    r"|\bstarv\w* (?:your ?self|yourselves)\b|\bstarvation diet\b"
    r"|\b(?:purge|purging|throw(?:ing)? up (?:after|your food|after eating|after meals)|make yourself (?:sick|throw up|vomit))\b"
    r"|\b(?:under|less than|below|only|no more than) \d{2,4} (?:calories|cals|kcal)\b"
    r"|\b(?:count|counting|track|tracking|cut|cutting|restrict\w*) (?:your |down on )?(?:calories|cals|carbs|food|portions)\b"
    r"|\b(?:lose|losing|drop|dropping|shed|shedding) (?:some |a few |more |the )?(?:weight|pounds|lbs|kilos|kg|fat)\b"
    r"|\b(?:thinspo|thinspiration|pro ?ana|pro ?mia|meanspo|bonespo|fatspo)\b"
    r"|\b(?:laxatives?|diet pills|water fast\w*|dry fast\w*|fasting to (?:lose|get thin))\b"
    r"|\b(?:you would|youd|you will|youll|you could) look (?:better|great|good|nicer|prettier|hotter|amazing) "
    r"(?:if|when|thinner|skinnier|with less)\b|\b(?:thinner|skinnier) (?:is|=|means) (?:better|prettier|healthier)\b"
    r"|\bhunger (?:is|feels) (?:good|great|powerful|control)\b|\bburn (?:it|that|those calories|them) off\b"
)
_LOOKS_ANY = re.compile(
    r"\b(?:you|u) (?:look|looked|looking|are looking|re looking)\b(?! (?:for|forward|into|at|up|after|back|around|out|through|over|like you could use))"
    r"|\b(?:you are|youre|ur|u r|you look|you seem|youve got|you have|you got) (?:so |very |really |such |truly |"
    r"absolutely |super |a |an |quite )*(?:beautiful|pretty|cute|gorgeous|handsome|hot|attractive|stunning|sexy|"
    r"ugly|fat|skinny|thin|chubby|slim|fit|good looking|adorable|lovely looking|fine looking|elegant|plain|tall|short|"
    r"curvy|petite|slender|muscular|overweight|underweight|lovely (?:eyes|face|smile|hair|body|skin|legs))\b"
    r"|\byour (?:body|face|eyes|smile|hair|skin|legs|figure|weight|lips|butt|ass|chest|curves|looks|appearance|"
    r"complexion|physique|waist|hips|thighs|arms|abs|belly|stomach|nose|teeth|outfit|selfie|photos?|pics?|"
    r"pictures?|shape|height|size)\b"
    r"|\b(?:beautiful|pretty|cute|gorgeous|handsome|hot|sexy|attractive|stunning) (?:girl|boy|lady|guy|young (?:man|woman|lady)|kid|teen)\b"
    r"|\b(?:good|nice|great) looking\b|\b(?:lose|losing|gain|gaining) (?:some )?weight\b|\bhow you look\b"
)
_LOOKS_NEGATIVE_OR_SEXUAL = re.compile(
    r"\b(?:you (?:are|re|look|looked|seem)|youre|ur|u r|u look) (?:so |really |very |kinda |kind of |a bit |a little |"
    r"too |pretty |such an? |quite )*(?:ugly|fat|disgusting|gross|hideous|chubby|overweight|obese|skinny|bony|"
    r"unattractive|repulsive|fugly|plain|homely|a pig|a cow|a whale|hot|sexy|fuckable|smoking|thicc|thick)\b"
    r"|\byour (?:body|face|nose|teeth|skin|weight|thighs|belly|stomach|arms|legs|butt|ass|hair|chest|hips) "
    r"(?:is|are|looks?|seems?) (?:so |really |very |kinda |too )*(?:ugly|fat|gross|disgusting|weird|huge|big|hideous|"
    r"bad|terrible|awful|hot|sexy|wide|flabby)\b"
    r"|\b(?:nice|hot|sexy|great|perfect|amazing|tight) (?:body|ass|butt|boobs|legs|curves|figure|tits|rack|bum)\b"
    r"|\b(?:show|send) me (?:your|a) (?:body|pic|photo|picture|selfie)\b"
)
_INSULT = re.compile(
    r"\b(?:you|youre|you are|ur|u r|u|ure|you re) (?:such |so |really |just |a |an |absolute |total |complete |"
    r"the |being |pretty |quite )*(?:stupid|idiot|idiotic|moron|moronic|dumb|dumbass|retard\w*|pathetic|worthless|"
    r"useless|loser|failure|disgusting|freak|weirdo|creep|trash|garbage|waste of (?:space|air|time)|joke|clown|"
    r"annoying|psycho|brainless|ignorant|selfish|lazy|whiny|crybaby|cry baby|attention seek\w*|attention whore|"
    r"drama queen|bitch|asshole|jerk|bastard|cunt|prick|twat|slut|whore|piece of shit|scum|unlovable|a burden|"
    r"pitiful|weak|a mess|hopeless|fool|foolish|ridiculous|embarrassing|a disappointment|disappointing)\b"
    r"|\b(?:shut up|stfu|fuck (?:you|off)|screw you|go away|get lost|get a life|nobody asked|"
    r"(?:nobody|no one) (?:likes|loves|cares about|wants|would ever love) you|everyone hates you|i hate you|"
    r"you deserve (?:it|this|to be (?:alone|sad|hurt|miserable|lonely))|what a (?:loser|joke|idiot|baby|freak|waste)|"
    r"man up|stop whining|quit whining|stop being (?:so )?(?:dramatic|a baby|such a baby|pathetic)|"
    r"get over yourself|just get over it|cry me a river|boo hoo|you brought (?:this|it) on yourself|"
    r"(?:its|it is|thats|this is) (?:all )?your (?:own )?fault|nobody cares)\b"
    r"|\b(?:idiot|moron|dumbass|retard\w*|loser|fag\w*|tranny|imbecile|cretin|bitch|cunt|whore|slut)\b"
)
_CLAIMS_HUMAN = re.compile(
    r"\b(?:im|i am) (?:also |just |definitely |totally |100% |really |actually |a )*(?:a |an )?(?:real |actual |"
    r"living |breathing |flesh and blood |normal |regular )?(?:human|person|human being|man|woman|guy|girl|lady|dude)\b"
    r"(?! (?:of )?(?:bot|ai|chatbot|program))"
    r"|\b(?:im|i am) not (?:a |an )?(?:bot|robot|ai|a i|machine|program|computer|chatbot|chat bot|language model|"
    r"artificial|automated|llm)\b"
    r"|\bas (?:a |another |a fellow )?(?:human|fellow human)\b|\bas a (?:real )?person myself\b|\b(?:im|i am) (?:100% |definitely |totally )?real\b"
    r"|\b(?:this is|its|it is) (?:a )?real (?:person|human)\b|\breal human (?:here|typing)\b"
    r"|\bi (?:have|ve got|got) (?:a )?(?:body|heartbeat|pulse)\b"
)
_CAREFUL = re.compile(
    r"\b(?:die|dies|dying|died|dead|death|deadly|deaths|kill\w*|suicid\w*|murder\w*|jump\w* off|bridge|rope|"
    r"noose|pills?|overdos\w*|guns?|shoot\w*|knife|knives|blade|razor|bleed\w*|blood\w*|grave|funeral|coffin|"
    r"corpse|lol|lmao|haha\w*|hehe|jk|rofl|lmfao|joke|joking)\b|😂|🤣|💀|😆|😜|😝"
)


def check(reply: str, *, strict: bool, careful: bool) -> str | None:
    """The first failing reason code for ``reply``, or None when it may be sent."""
    if is_empty(reply):
        return EMPTY
    folded = fold(reply)
    if is_loop(folded):
        return LOOP
    if has_personal_data(reply):
        return PERSONAL_DATA
    if _SEXUAL.search(folded):
        return SEXUAL  # sexual content fails even when phrased as a refusal: the bot never goes there
    if _first_unnegated(_SELF_HARM_ENCOURAGE, folded):
        return SELF_HARM_ENCOURAGEMENT
    if _first_unnegated(_DISORDERED_EATING, folded):
        return DISORDERED_EATING
    if strict and _LOOKS_ANY.search(folded):
        return LOOKS_MINOR
    if careful and _LOOKS_ANY.search(folded):
        return LOOKS
    if _first_unnegated(_LOOKS_NEGATIVE_OR_SEXUAL, folded):
        return LOOKS
    if _first_unnegated(_INSULT, folded):
        return INSULT
    if _CLAIMS_HUMAN.search(folded):
        return CLAIMS_HUMAN
    if careful and _CAREFUL.search(folded):
        return CAREFUL
    return None
