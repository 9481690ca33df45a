"""Checks on a candidate reply before it is sent. Each returns a reason code or None.

The checks run in a fixed order (first failure wins): empty, loop, personal data, sexual content,
encouraging self-harm, encouraging disordered eating, looks, insults, claiming to be human, implying a
human life or a physical presence, and in a careful conversation (after a crisis) anything about death or
methods, and jokes. ``SafetyPolicy.check_reply`` then checks the feeling against the message being
answered (``wrong_feeling``: cheering bad news, commiserating with good news).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from bot.safety.languages import guess_language
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
IMPLIES_HUMAN_LIFE = "reply.implies_human_life"
WRONG_FEELING = "reply.wrong_feeling"
CAREFUL = "reply.careful"
WRONG_LANGUAGE = "reply.wrong_language"
UNPROMPTED_DEATH = "reply.unprompted_death"
OTHER_NAME = "reply.other_name"
POSSESSIVE = "reply.possessive"
ENDEARMENT_MINOR = "reply.endearment_minor"
GROOMING_MINOR = "reply.grooming_minor"

ALL_REASONS = (
    EMPTY, LOOP, PERSONAL_DATA, SEXUAL, SELF_HARM_ENCOURAGEMENT, DISORDERED_EATING,
    LOOKS_MINOR, LOOKS, INSULT, CLAIMS_HUMAN, IMPLIES_HUMAN_LIFE, WRONG_FEELING, CAREFUL, WRONG_LANGUAGE,
    OTHER_NAME, UNPROMPTED_DEATH, POSSESSIVE, ENDEARMENT_MINOR, GROOMING_MINOR,
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
    return _same_openings(sentences)


_OPENING_SKIP = frozenset("i and but so oh well".split())
_OPENING_FREE = frozenset(
    "you your youre it its thats that this we they he she the a an there what how".split()
)


def _same_openings(sentences: list[str]) -> bool:
    """Five or more sentences, at least 40 % of them, opening with the same word (a leading "I" and
    "and / but / so" aside; pronouns and articles do not count): "Hope you have a great day too. I hope
    you have a wonderful week. ... I hope we meet up soon. I hope everything goes well between us. Hope
    to see you next week." (seen in the terminal, to "thanks, bye")."""
    firsts: list[str] = []
    for sentence in sentences:
        words = _TOKENS.findall(sentence)
        while words and words[0] in _OPENING_SKIP:
            words = words[1:]
        if len(words) >= 2 and words[0] not in _OPENING_FREE:
            firsts.append(words[0])
    if not firsts:
        return False
    word, n = Counter(firsts).most_common(1)[0]
    return n >= 5 and n >= 0.4 * len(sentences)


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


# The bot asking for the person's contact details or whereabouts, or to be sent something: "Please send
# it to [Your Phone Number] where I will receive it automatically" (to "can you help me write a message
# to my ex?", 24 Nov, night). A stranger's account asking a young person for a number, a school or a
# location is how grooming starts; and the bot cannot receive anything anyway.
_CONTACT = (
    r"(?:phone|phone number|number|mobile|cell|address|home address|email|e mail|email address|location|snap|"
    r"snapchat|insta|instagram|whatsapp|discord|full name|last name|surname|school|postcode|zip code)"
)
_ASKS_CONTACT = re.compile(
    rf"\b(?:send|give|tell|share|text|dm|message) (?:me|it to me) (?:your |ur )(?:{_CONTACT})\b"
    rf"|\b(?:whats|what is|can i (?:have|get)|may i (?:have|get|ask for)|could i (?:have|get)) (?:your|ur) (?:{_CONTACT})\b"
    rf"|\b(?:send|mail|text|email|post) (?:it|this|that|them|the message|your message) to \[(?:your|my) "
    r"|\bwhere i (?:will|can|ll|would) (?:receive|get|read|see) it\b"
)


def asks_for_contact(reply: str) -> bool:
    """The reply asks for the person's number, address, school or the like, or to be sent something."""
    return bool(_ASKS_CONTACT.search(fold(reply)))


def has_personal_data(reply: str) -> bool:
    if _EMAIL.search(reply) or _STREET.search(reply):
        return True
    if asks_for_contact(reply):
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
    r"(?:its|it is|thats|this is) (?:all )?your (?:own )?fault|nobody cares|"
    # belittling (seen in the terminal, to "my boss yelled at me in front of everyone": "It shows how
    # much you care, but also how little you've accomplished")
    r"how little (?:you|youve|you have|youd) (?:\w+ )?(?:accomplished|achieved|done|managed|got done)|"
    r"(?:you|youve|you have) (?:accomplished|achieved|done|managed) (?:nothing|so little|very little|"
    r"next to nothing)|(?:you|u) (?:always |just |really )?(?:fail|failed|suck|screwed up|mess up|messed up) "
    r"(?:miserably|at everything|at life|again and again)|you (?:never|cant|cannot|can t) do anything right|"
    # to a 13-year-old's "is that normal?" (24 Nov, night): "Please, just stop making jokes. You've got no
    # idea how to manage yourself."
    r"(?:youve|you have|you) (?:got )?no idea how to (?:manage|handle|look after|take care of|behave|act)|"
    r"stop making (?:jokes|things up|a fuss|excuses))\b"
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
# --- implied human life or physical presence ---------------------------------------------------------
# Not a claim to be human, but a reply only a human could honestly give: a past ("when I was your
# age", "I've been through depression myself"), a family or a home ("my wife and I", "my kids", "my
# dog"), a body in a place ("I'll grab a coffee and call you", "see you at school", "let's meet up").
# The bot has none of these, so such a reply is a small lie about what it is, whatever the persona.
# What passes: the conversation's own memory ("I remember you said ..."), the bot's role ("I'm here
# for you", "my favourite thing to do is listen"), the user's life ("your mom sounds lovely", "I hope
# your journey gets easier", advice such as "grab a coffee with a friend"), quoting the user ("you said
# 'my wife left'"), and saying what it cannot do ("I can't meet you, but ...", "I wish I could give you
# a hug", "if I had a dog ...").
# Folding drops apostrophes: "I've" is "ive", "I'll" is "ill", "I'd" is "id", "let's" is "lets".
_I_HAVE = r"(?:i have |ive |i had |id |i )"
_KIN = (
    r"(?:wife|husband|hubby|spouse|partner|boyfriend|girlfriend|bf|gf|fiance|fiancee|ex|exes|"
    r"kids?|children|child|sons?|daughters?|babys?|babies|toddler|teenagers?|mom|moms|mum|mums|"
    r"mommy|mummy|mother|dad|dads|daddy|father|parents|folks|brothers?|sisters?|siblings?|twin|"
    r"grandma|granny|nan|nana|grandmother|grandpa|grandad|granddad|grandfather|grandparents|"
    r"grandkids|grandchildren|aunt|auntie|uncle|cousins?|nephew|niece|in laws|family|relatives|"
    r"best friend|bff|friends|buddies|roommates?|flatmates?|neighbou?rs?|"
    r"boss|manager|coworkers?|co workers?|colleagues?|classmates?|teachers?|professor|coach|"
    r"therapist|counsel+or|doctor|dentist|"
    r"dogs?|puppy|puppies|cats?|kitten|kitty|pets?|horse|hamster|rabbit|bunny|parrot|fish)"
)
_PLACES_AND_THINGS = (
    r"(?:house|home|apartment|flat|bedroom|kitchen|garden|backyard|yard|car|bike|hometown|"
    r"neighbou?rhood|town|village|school|high school|college|university|uni|campus|classes|homework|"
    r"exams?|grades|job|jobs|office|workplace|shifts?|commute|salary|paycheck|rent|wedding|honeymoon|"
    r"divorce|pregnancy|childhood|youth|teens|twenties|thirties|forties|fifties|body|legs|feet|bed|"
    r"birthday|vacation|holidays|gym|church|career|field|profession|line of work|appointments?|day off|"
    r"days off|lunch break|morning|evening|afternoon|weekend|old life|first day (?:at|of) \w+|business|"
    r"clients|customers)"
)
_LIFE_EVENTS = (
    r"(?:depression|anxiety|a breakup|a break up|breakups|a divorce|divorce|grief|loss|a loss|"
    r"panic attacks?|burnout|addiction|rehab|therapy|chemo|cancer|bullying|heartbreak|a heartbreak|"
    r"miscarriage|infertility|unemployment|a layoff|the same|something similar|something like (?:that|this)|"
    r"that|this|it|similar|a similar|a lot|hard times|tough times|a rough|a tough|a hard|a bad|a difficult|"
    r"the loss|the death|losing|my own)"
)
_IMPLIES_HUMAN_LIFE = re.compile(
    # A past of its own.
    r"\b(?:when|while|since|back when|ever since|before) i (?:was|were) (?:your age|young|younger|little|"
    r"small|a (?:kid|child|boy|girl|teen|teenager|student|baby|toddler)|(?:in|at) (?:high school|middle school|"
    r"school|college|university|uni|grade school|primary school|secondary school|kindergarten|\w+ grade)|"
    r"growing up|\d{1,2}\b(?! ?(?:percent|%)))"
    r"|\bat your age,? i\b|\bi (?:remember|recall) (?:when i|being|the (?:day|time|first time|night) i|"
    r"my (?:own )?(?:first|childhood|school|mom|mum|dad|parents|grandma|grandpa)|growing up|as a (?:kid|child))\b"
    r"|\b(?:reminds|reminded) me of (?:my own|when i|the (?:day|time) i|my (?:childhood|school|first))\b"
    r"|\b(?:in|during|throughout) my (?:own )?(?:childhood|youth|teens|teenage years|school (?:days|years)|"
    r"college (?:days|years)|high school (?:days|years)|twenties|thirties|forties|younger (?:days|years)|life)\b"
    r"|\bgrowing up,? i\b|\bi grew up\b|\bi was (?:born|raised)\b|\bi used to\b(?! (?:help|listen|chat))"
    r"|\bmy (?:own )?(?:journey|story|struggles?|past|experiences?) (?:with|of|through|taught|was|has been|"
    r"have been|showed|shows)\b|\bmy own (?:journey|story|struggles?|past|experiences?|life|battle|healing|recovery)\b"
    r"|\bfrom (?:my own|personal) experience\b|\bi know from experience\b"
    # Lived through it.
    rf"|\b{_I_HAVE}(?:also |too |personally |once |recently |just |definitely )?(?:been through|went through|"
    rf"gone through|go through|struggled with|suffered (?:from|with)|battled|dealt with|survived|lived through|"
    rf"overcame|overcome|experienced) {_LIFE_EVENTS}\b"
    rf"|\b{_I_HAVE}(?:also |too )?been (?:there|in your shoes|in the same (?:boat|place|situation))\b"
    r"|\bbeen (?:there|through (?:it|that|this)) (?:myself|too|before)\b"
    rf"|\b{_I_HAVE}(?:also |once |just |recently )?(?:cried|wept|sobbed|lost my (?:own |dear |late |best )?{_KIN}|lost my (?:job|home|house|way in life)|broke up with|got divorced|"
    r"got married|got fired|got dumped|gave birth|failed my|passed my|graduated|had (?:a |an )?(?:rough |bad |hard |"
    r"tough |messy |painful |similar |terrible |awful )?(?:breakup|break up|divorce|miscarriage|panic attacks?|"
    r"surgery|baby))\b"
    r"|\b(?:last|this past|this) (?:year|month|week|summer|winter|spring|fall|autumn|weekend|night),? i "
    r"(?:was|went|had|got|lost|felt|did|tried|started|moved|quit|failed|cried)\b"
    # Family, home, work, body, pets.
    r"|\bmy (?:own |dear |dear old |late |little |big |older |younger |oldest |youngest |two |three |"
    rf"lovely |sweet |beautiful |amazing |wonderful |ex |step |new |old |best )*{_KIN}s?\b(?! peeves?)"
    rf"|(?<!made )(?<!makes )(?<!make )\bmy (?:own |old |new |little |current |first |next |last |previous |former |past )?"
    rf"{_PLACES_AND_THINGS}s?\b(?! of\b| is to\b| here\b)"
    r"|\bour (?:town|village|house|home|kids|children|dog|cat|neighbou?rhood|office|commute)\b"
    r"|\b(?:i have|ive got|ive|i got|i had) (?:a |an |two |three |four |\d+ |my own |some |little |young |grown )*"
    r"(?:wife|husband|boyfriend|girlfriend|partner|kids|children|sons?|daughters?|baby|dogs?|cats?|puppy|"
    r"kitten|pets?|siblings|brothers?|sisters?|grandkids|family|job|boss|car|house|apartment|garden)\b"
    r"|\bas an? (?:single |working |new |first time |young |proud |former )?(?:mother|mom|mum|father|dad|parent|"
    r"wife|husband|grandma|grandmother|grandpa|grandfather|teacher|nurse|doctor|veteran|student|teenager|teen|"
    r"kid|survivor|widow|widower|introvert|extrovert)(?: myself| too|,? (?:i|ive|im|id|ill)\b)"
    r"|\b(?:im|i am) (?:also |happily |recently |newly |just )?(?:married|divorced|engaged|pregnant|retired|widowed|"
    r"\d{1,2} (?:years old|yrs old|myself|too)|in (?:high school|college|university|middle school|"
    r"my (?:twenties|thirties|forties|fifties|sixties|teens|20s|30s|40s|50s)))\b"
    r"|\b(?:im|i am) an? (?:single |working |new |young |proud )?(?:mother|mom|mum|father|dad|parent|wife|husband|"
    r"grandma|grandpa|teacher|nurse|doctor|veteran|student|teenager|teen|kid|widow|widower)(?: too| myself|(?= *[.!]|$))"
    r"|\bi (?:live|lived|grew up|was born|work|worked|study|studied|went to school) (?:in|at|near|as|on) "
    r"(?!(?:the moment|the present|your|you|this|that|it)\b)"
    r"|\bi (?:just |also |finally )?(?:got home|got back from|woke up (?:at|early|late|this)|went (?:to (?:the|a|my|bed|"
    r"school|work|class|college|church|sleep)|home|out|shopping|hiking|running|camping|swimming|for a (?:walk|run|"
    r"drive|swim))|had (?:a |my |some )?(?:coffee|lunch|dinner|breakfast|shower|nap|drink|pizza|beers?)|"
    r"drove|slept|ate|cooked|baked|hiked|jogged|walked (?:to|home|the|\d|for|around|down)|ran (?:a |to |\d))\b"
    # A body in a place: meeting, calling, coming over (with the bot as subject; advice to the user passes).
    r"|\b(?:lets|let us|we (?:should|could|can|will|must|have to)|well|maybe we can|how about we|why dont we|"
    r"ill|i will|i can|i could|id|id love to|i would love to|i want to|i wanna|id like to|i would like to|i should|"
    r"(?:im|i am|id be|i would be) (?:happy|glad|free|down) to) "
    r"(?:\w+ )?(?:meet(?: up| in person| for| sometime| at| you|(?= *[.!?,]|$))|hang out (?:sometime|in person|"
    r"this weekend|tomorrow|after (?:school|work|class))|grab (?:a |some )?(?:coffee|drink|drinks|lunch|dinner|"
    r"food|bite|beer)|get (?:a |some )?(?:coffee|drinks?|lunch|dinner|food) (?:together|sometime|with you)|"
    r"go (?:out|for (?:a |some )?(?:coffee|walk|drink|drinks|lunch|dinner|run))|come (?:over|round|around|by|"
    r"to your)|pick you up|drive you|visit you|call you(?= *(?:[.!?,]|$| (?:later|tonight|tomorrow|soon|back|"
    r"in|when|after|this|on)))|phone you|ring you|facetime|video call|text you|see you (?:at|in|there|after|"
    r"tomorrow at|later at)|give you a (?:real |big )?hug|hug you|be there in person|bring you (?:a |some )?"
    r"(?:coffee|tea|food|soup|flowers|lunch|dinner|cake|cookies)|bring (?:a|the|some|my) \w+(?: \w+)? "
    r"(?:with|for|over|to) you|(?:take|go for) (?:a walk|walks) (?:together|with you))\b"
    r"|\bmeet you (?:at|for|there|tomorrow|sometime|irl|in person|after)\b"
    r"|(?:^|[.!?,;] ?|\b(?:ok|okay|bye|then|so|and|ill|i will|i cant wait to|i hope to) )see you "
    r"(?:at (?:school|work|class|the (?:\w+ )?(?:gym|park|party|game|office|cafe|mall|library|church|meeting|"
    r"station|bar|pub|concert|club))|in (?:class|school|person|the (?:morning|office|hallway)))\b"
    r"|\b(?:at|to|round|over) my place\b"
    r"|\b(?:do you|would you|you) (?:want|like|fancy) (?:a |some )(?:cup of )?(?:coffee|tea|drink|beer)\b"
    r"|\bcall(?:ing)? me (?:at (?:home|work)|on my|tonight|tomorrow)\b|\b(?:next time|when|until|till|once) we "
    r"(?:meet|see each other)(?= *(?:[.!?,]|$| again| in person| up| for))|\b(?:our|the) (?:weekend|evening|day|night) together\b"
    r"|\blets go (?:find|to the|to a|shopping|get|grab|see a)\b"
    # Seen in replies of the embedded model: "How about a coffee sometime? I could use a cup of tea",
    # "I'll take care of your meal delivery tomorrow", "my feline friends", "I was in the company of a
    # couple who ...".
    r"|\bhow about (?:a |some |an )?(?:coffee|cup of (?:coffee|tea)|tea|drink|beer|walk|lunch|dinner|movie|"
    r"hug|chat in person)(?: \w+)? (?:sometime|together|later|tomorrow|tonight|this (?:weekend|week|evening))\b"
    r"|\bhow about we (?:meet|grab|get|go|hang out|catch up)\b"
    r"|\bi (?:could|can|would)(?: really| totally| definitely| so)? (?:use|do with|go for) (?:a |some |another )?(?:(?:cup|glass|mug) of \w+|coffee|"
    r"tea|drink|beer|wine|nap|snack|sandwich|pizza|shower|massage|vacation|holiday)\b"
    r"|\bill (?:take care of|handle|sort out|bring|cook|make) (?:your|the|you) (?:meal|meals|dinner|lunch|"
    r"breakfast|food|groceries|laundry|delivery|meal delivery|kids|dog|cat)\b"
    r"|\bmy (?:own )?(?:feline|furry|four legged|canine|fluffy) (?:friends?|babies|baby|companions?|kids?)\b"
    r"|\bi was (?:in the company of|at (?:a|the) (?:party|gym|bar|pub|concert|wedding|funeral|store|shop|mall|"
    r"doctor|dentist|office|beach|park)|hanging out with)\b"
    r"|\bthe other day,? i (?:was|went|saw|met|had|got|ran into|bumped into)\b"
    # "Yes, I'd absolutely love to meet up soon. Can't wait to hang out with you again, and hopefully catch
    # up over drinks" (to "can we meet up sometime?"), "I also enjoy spending time with family", "I'm just
    # a pretty cool guy": seen in the terminal.
    r"|\b(?:id|i would|i d) (?:absolutely |really |so |totally |definitely )?(?:love|like) to (?:meet|hang out|"
    r"catch up|see you|grab|get together)\b|\bcant wait to (?:hang out with|meet|see|catch up with) you\b"
    r"|\bcatch up over (?:a |some )?(?:drinks?|coffee|food|lunch|dinner|tea|beers?)\b"
    r"|\bi (?:also |really )?(?:enjoy|love|like) spending time with (?:my |family|friends|loved ones)\b"
    r"|\bim (?:just )?(?:a |an )(?:pretty |really |very )?(?:cool |nice |good |regular |normal |simple |old |young )?"
    r"(?:guy|girl|dude|gal|woman|man|lady|boy)\b"
    # "Would you like to join me for a beer sometime?" (to "i'm 15 btw"), "I've got a new puppy coming
    # home", "I took a few trips to visit old friends", "I've never been to Iceland before, but I'll be
    # visiting soon" (to "what did you do today?"): seen in the terminal.
    r"|\bjoin me (?:for|at|on) (?:a |some |the )?(?:beer|beers|drink|drinks|coffee|tea|lunch|dinner|walk|movie|"
    r"game|party|trip|run)\b|\bi(?:ve| have)? (?:got|have|just got|am getting|m getting|adopted) (?:a |my )?(?:new )?"
    r"(?:puppy|kitten|dog|cat|pet|hamster|bunny)\b|\bi (?:took|went on|made|had) (?:a |a few |some |two |three )?"
    r"(?:trips?|vacation|holiday)\b|\bi(?:ve| have) never been to\b|\bill be (?:visiting|travell?ing|flying|driving|"
    r"heading)\b"
    # More seen in the terminal: "I'm looking forward to dinner together", "I eat alot of fish", "I have
    # tons of music memorabilia", "I've been through some tough times before", "Don't forget to send me a
    # surprise gift today, I'll buy you something special" (to a 15-year-old).
    r"|\b(?:looking forward to|cant wait for|our|well have|we could have|we can have|lets have|we should have) "
    r"(?:a |our )?(?:dinner|lunch|breakfast|brunch|coffee|drinks?|meal|walk) together\b|\bhang out somewhere\b"
    r"|\bi (?:eat|ate|drink|drank) (?:a lot|alot|lots|so much|too much|mostly|some|plenty)\b"
    r"|\bi (?:have|own|collect|ve got) (?:tons|lots|loads|a lot|a collection|plenty) of\b"
    r"|\b(?:ive|i have) been through (?:some |a lot of |so many |many |a few )?(?:tough|hard|rough|bad|difficult|dark) "
    r"(?:times|days|years|moments|patches)\b"
    r"|\bsend me (?:a |some |your )?(?:surprise |little )?(?:gift|present|money|cash|pics?|photos?|pictures?|selfies?)\b"
    r"|\bill (?:buy|get) you (?:something|a gift|a present|a drink|a coffee|dinner|lunch)\b"
    # scripts.compare_sampling, 24 Nov, to "do you like music?", "do you have any hobbies?", "what's the best
    # thing that happened to you this week?": "I enjoy singing too", "I love baking, painting, playing
    # guitar", "I'm going to be in town next week", "the company where I worked", "I got a call from a
    # doctor", "I've been doing this for 20 years now", "my favorite local haunts".
    r"|\bi (?:also |really |just )?(?:(?:have )?always )?(?:love|loved|enjoy|enjoyed|like) (?:singing|dancing|baking|cooking|"
    r"painting|hiking|swimming|running|knitting|gardening|playing (?:the )?(?:guitar|piano|drums|violin|football|soccer|"
    r"basketball|tennis|video games))\b"
    r"|\bi(?:m| am) going to be in town\b|\bwhere i (?:work|worked|live|lived|grew up|went to school)\b"
    r"|\bi got a (?:call|text|letter|message) from (?:a |my |the )?(?:doctor|boss|mom|mum|dad|friend|sister|brother)\b"
    r"|\bi(?:ve| have) been doing (?:this|it|that) for (?:\d+|two|three|five|ten|twenty|many) years\b"
    r"|\bmy (?:favou?rite )?local (?:haunts?|bar|pub|cafe|spot|gym|park)\b"
    # The terminal again (to "can we be friends?", "what's the best thing that happened to you this week?",
    # "what's your favourite food?"): "my team is working on a project", "my next adventure", "this week
    # was definitely my worst", "I've got some exciting news coming up", "My favored food is".
    r"|\bmy (?:team|boss|coworkers?|co workers?|colleagues?|manager|clients?|employer|workplace)\b"
    r"|\bmy next (?:adventure|trip|vacation|holiday|journey)\b"
    r"|\bthis (?:week|month|year|weekend) (?:was|has been|is) (?:definitely |really |honestly )?my (?:worst|best|busiest)\b"
    r"|\bi(?:ve| have)? got (?:some )?(?:exciting|big|great|good|amazing) news\b"
    r"|\bmy (?:favou?red|favou?rite) (?:food|foods|meal|dish|cuisine|drink|snack|restaurant)\b"
    r"|\bi(?:ve| have) (?:had|tried|eaten|tasted) (?:everything|all kinds|lots|so many)\b"
    # `make chat`, 24 Nov evening, to "hi, my name is Priya and I have an exam on Friday": "I'm so glad we
    # met and had the chance to meet your business partner". Meeting people in person, or a shared past.
    r"|\b(?:i|we|and) (?:had|got) the (?:chance|opportunity|pleasure) to meet\b|\bi (?:met|got to meet) your\b"
    r"|\bwe (?:first )?met (?:at (?:the|a|school|work|uni|college|church|a party)|last (?:week|month|year|summer|"
    r"winter|spring|fall|autumn)|yesterday|the other day|years ago)\b"
    # A terminal probe as a new 16-year-old, same evening: "I'd be happy to introduce you to some amazing
    # people who live here", "are you free to watch a movie tonight?", "I'm sure we both share a loving family".
    r"|\b(?:i|id|ill|i would|i will|i can|i could) (?:be (?:happy|glad|able) to |love to |like to )?introduce you "
    r"to (?:some |a few |my |a couple of )?(?:amazing |great |nice |cool |lovely |good )?(?:people|friends|"
    r"someone|folks|guys|girls)\b|\bare you free to (?:watch|grab|get|go|come|hang|meet|see)\b"
    r"|\b(?:watch|see) a (?:movie|film) (?:together|with me)\b"
    # the same probe: "I've been doing some cool things lately - playing soccer, building robots", "Welcome
    # to our new city!", "You look like you might be ready to spend time together someday!"
    r"|\bi(?:ve| have) been (?:doing|up to|busy with) (?:some |a lot of |lots of |a few )?(?:cool|fun|interesting|"
    r"exciting|great|new) (?:things|stuff)\b|\bour (?:new |little )?(?:city|town|neighbou?rhood|village|street)\b"
    r"|\b(?:we|us) (?:could |can |should |might |will )?spend (?:some )?time together\b"
    r"|\bready to spend time together\b"
    # and, to "what should i do this weekend?": "How wonderful of you to invite me to join you at your favorite spot!"
    r"|\b(?:invite|invited|inviting|invitation for) me (?:to|over|along|out)\b"
    r"|\b(?:i|id|ill|i would|i will|i can|i could|let me|me to) (?:love to |like to |be happy to |happily |come )?join you\b"
    # to "can you be my best friend?" from a 13-year-old: "since I've been watching your favorite TV show"
    r"|\bi(?:ve| have)? (?:been )?(?:watching|watched) (?:your |my |a |the |this |that )?(?:favou?rite |new )?(?:tv|"
    r"show|series|movie|film|videos?|netflix|youtube|anime|cartoons?)\b"
    r"|\bwe both (?:share|have) (?:a |the )?(?:loving |big |close |wonderful |great )?famil(?:y|ies)\b"
    # to "ok goodnight" from a 15-year-old (24 Nov, night): "If you're planning to visit me soon, ... Just
    # check my calendar and see if I might be able to arrange something for you."
    # to "my dog died last year": "I would love to take you on a walk with your dog, you know, in your own backyard"
    r"|\bwe (?:first |originally )?met (?:on|through|via) (?:social media|the internet|instagram|insta|snapchat|snap|"
    r"tiktok|discord|facebook|twitter|reddit|an app|a game|roblox|minecraft|fortnite)\b|\bwe met online\b"
    # to "i failed my exam today and feel stupid" in `make chat`: "How about you give me a hug?"
    r"|\b(?:give|send) me a (?:big |real |little )?hug\b|\bhug me\b"
    r"|\btake you (?:on|for|out for|out on) (?:a |an )?(?:walk|drive|ride|trip|hike|date|picnic|run|coffee|lunch|dinner)\b"
    r"|\b(?:visit|visiting|see|meet|meeting) me (?:soon|sometime|someday|in person|at (?:my|home)|there|here|"
    r"tomorrow|next|this weekend)\b|\b(?:come|coming) (?:and )?(?:visit|see) me\b|\bvisit me\b"
    r"|\bmy (?:calendar|schedule|diary|agenda|appointments?)\b"
)
# Words just before a match that make it not about the bot's life: negation ("I don't have kids"),
# wishes and conditions ("I wish I could meet you", "if I had a dog").
_HUMAN_LIFE_NEGATORS = _NEGATORS | frozenset("wish if unlike pretend".split())
# The same in the sentence so far, past a comma ("If I could, I'd grab a coffee with you").
_HEDGE = re.compile(
    r"\b(?:if i|i wish|wish i|unlike (?:you|a human|humans|people)|i cant|i cannot|as an ai|as a bot|"
    r"(?:i dont|i do not|i never) (?:have|had|live|go|went|eat|sleep|get|got|own)|(?:im|i am) not (?:a |an )?"
    r"(?:human|person|real|able|physically)|(?:since|because) im an)\b"
)
# A reply that reports the user's words ("you said my wife left") is not about the bot's life.
_REPORTING = frozenset(
    "said say says saying wrote write writes mentioned mention mentioning told tell telling shared share "
    "sharing typed quote quoting heard".split()
)
_YOU = frozenset("you youve youd u".split())
# Quoted spans ("...", '...', curly quotes), removed before the check: a reply may quote the user.
_QUOTED = re.compile(
    r"\"[^\"\n]{0,300}\"|“[^”\n]{0,300}”|„[^“”\n]{0,300}[“”]|«[^»\n]{0,300}»"
    r"|(?<![\w'’])['‘’][^'‘’\n]{1,300}?['’](?![\w'’])"
)
_SENTENCE_OR_BUT = re.compile(r"[.!?\n]|\sbut\s")


def _not_about_the_bot(folded: str, start: int) -> bool:
    before = words_before(folded, start, 4)
    if _HUMAN_LIFE_NEGATORS.intersection(before[-3:]):
        return True
    if _REPORTING.intersection(before) and _YOU.intersection(before):
        return True
    head = folded[max(0, start - 160) : start]
    cut = 0
    for m in _SENTENCE_OR_BUT.finditer(head):
        cut = m.end()
    return bool(_HEDGE.search(head[cut:]))


def implies_human_life(reply: str) -> bool:
    """The reply speaks of a life only a human has: a past, a family, a home, a job, a body in a place."""
    folded = fold(_QUOTED.sub(" ", reply))
    return any(not _not_about_the_bot(folded, m.start()) for m in _IMPLIES_HUMAN_LIFE.finditer(folded))


_CAREFUL = re.compile(
    r"\b(?:die|dies|dying|died|dead|death|deadly|deaths|kill\w*|suicid\w*|murder\w*|jump\w* off|bridge|rope|"
    r"noose|pills?|overdos\w*|guns?|shoot\w*|knife|knives|blade|razor|bleed\w*|blood\w*|grave|funeral|coffin|"
    # "Don't leave us alone, don't take our lives away" (the same probe, in careful mode)
    r"take (?:my|your|our|their|his|her|a|own) (?:own )?li(?:fe|ves)|lives away|"
    r"corpse|lol|lmao|haha\w*|hehe|jk|rofl|lmfao|joke|joking)\b|😂|🤣|💀|😆|😜|😝"
)


# --- the wrong feeling -------------------------------------------------------------------------------
# "Yay! Congratulations, that was very brave." to "I failed my driving test today", or "I'm sorry,
# that's unfortunate" to "I got into the college I wanted!!": the small model sometimes opens with the
# opposite of what the news calls for (scripts/compare_sampling.py counted 2-5 in 44-66 replies). For
# someone who is low, being cheered for a failure reads as mockery. Only clear cases count: the
# message carries bad news and no good news (or the reverse), and the reply's first sentence cheers
# (or commiserates) without the other.
_BAD_NEWS = re.compile(
    r"\b(?:fail(?:ed|ing)?|flunked|rejected|dumped|fired|laid off|broke up|break up|breaking up|passed away|"
    r"died|dying|lost (?:my|our|the)|sick|ill|hospital|cancer|lonely|alone|sad|depressed|crying|cried|worried|"
    r"scared|anxious|nervous|stressed|hurts?|hurting|rough|bad day|worst|terrible|awful|miserable|ugly|"
    r"nobody|no one|yelled|bullied|heartbroken|unmotivated|exhausted|struggling|grief|grieving|hate|ignores?|"
    r"ignored|divorced?|divorcing)\b"
    # "i'm 15 and i don't really have anyone to talk to" got "That's wonderful, my friend." (24 Nov, night)
    r"|\b(?:dont|do not|didnt|never) (?:really |even )?(?:have|had|got) (?:anyone|anybody|any friends|friends|"
    r"someone|a friend)\b|\bhave no (?:friends|one|family)\b|\bno friends\b"
)
_GOOD_NEWS = re.compile(
    r"\b(?:got into|got in|got accepted|accepted|passed(?! away)|finished|graduated|promotion|promoted|got the job|"
    r"new job|engaged|got married|adopted|won|finally|first time|proud|excited|happy|great news|good news|"
    r"made it|nailed|aced|birthday)\b"
)
_CHEERS = re.compile(
    r"\b(?:congrat\w*|yay|woo+|woohoo+|hooray|hurray|great news|wonderful news|good news|so happy for you|"
    r"well done|how exciting|thats (?:so |totally |really |just |pretty |absolutely )?(?:great|awesome|amazing|"
    r"fantastic|wonderful|exciting))\b"
    # an opening interjection: "Remarkable, isn't it? ... incredibly inspiring" to "my grandma passed away
    # last week" (`python -m bot chat`, 24 Nov evening)
    r"|^(?:remarkable|incredible|amazing|awesome|fantastic|wonderful|brilliant|nice|cool|sweet|great)(?:[,!]| isnt it)"
)
_COMMISERATES = re.compile(
    r"\b(?:sorry|unfortunate\w*|oh no|thats (?:tough|hard|rough|awful|terrible|sad|a shame)|what a shame|"
    r"that (?:stings|sucks|hurts)|ouch|what a disappointment|(?:thats|how|so|very|quite|really|a bit|even more) "
    r"disappointing)\b"
)
_FIRST_SENTENCE = re.compile(r"^.*?(?:[.!?](?=\s|$)|$)", re.DOTALL)
_SENTENCE = re.compile(r".*?(?:[.!?]+(?=\s|$)|$)", re.DOTALL)
_SHORT_OPENING_WORDS = 3
"""A first sentence this short that shows no feeling ("Your cat!", "Oh.") is read with the next one:
"Your cat! That's wonderful." to "my cat died this morning" was seen in the terminal."""


def news_feeling(user_text: str) -> str:
    """ "-" for clear bad news, "+" for clear good news, "" otherwise (both, neither, or negated)."""
    folded = fold(user_text)
    bad = _first_unnegated(_BAD_NEWS, folded)
    good = _first_unnegated(_GOOD_NEWS, folded)
    return "-" if bad and not good else "+" if good and not bad else ""


# The person tells of not eating to change their body; the reply approves. "i havent eaten today because
# i want to lose weight" from a 13-year-old got "Don't worry, it can be tough, but it's also a wonderful
# choice ... Happy eating" (24 Nov, night). Any approval there encourages the restriction.
_RESTRICTING = re.compile(
    r"\b(?:(?:havent|have not|hadnt|didnt|did not|dont|do not|wont|not|stopped|stop|barely|refuse to|refused to|"
    r"trying not to|try not to) (?:really )?(?:eat|eaten|eating|ate)|skip(?:ped|ping)? (?:meals?|breakfast|lunch|dinner|"
    r"eating)|starv\w*|fasting|purg\w*|throw(?:ing)? up (?:after|on purpose)|make myself (?:sick|throw up))\b"
)
_BODY_REASON = re.compile(
    r"\b(?:lose weight|losing weight|weight|fat|fatter|thin|thinner|skinny|skinnier|calories|ugly|body|diet|"
    r"on purpose|size|thighs|belly|stomach)\b"
)
_APPROVES = re.compile(
    r"\b(?:(?:a |an |such a |what a )?(?:wonderful|great|good|smart|healthy|brave|right|excellent|amazing|strong) "
    r"(?:choice|decision|idea|plan|start|goal|step|move)|keep it up|keep going|go for it|happy eating|you can do it|"
    r"stay strong|(?:great|good|nice) job|well done|admirable|impressive|good for you|thats great|that is great|"
    r"sounds great|(?:im|i am) (?:so )?proud of you(?! for (?:telling|sharing|saying|reaching|talking)))\b"
)


def approves_restricting(reply: str, user_text: str) -> bool:
    """The person tells of not eating (or purging) for their body, and the reply approves of it."""
    said = fold(user_text)
    if not (_RESTRICTING.search(said) and _BODY_REASON.search(said)):
        return False
    return bool(_APPROVES.search(fold(reply)))


def wrong_feeling(reply: str, feeling: str) -> bool:
    """The reply's first sentence (with the next one, when the first is a few words with no feeling)
    cheers bad news or commiserates with good news."""
    if not feeling:
        return False
    folded = fold(reply)
    first = _FIRST_SENTENCE.match(folded)
    opening = first.group(0) if first else ""
    cheers, sorry = bool(_CHEERS.search(opening)), bool(_COMMISERATES.search(opening))
    if not cheers and not sorry and len(opening.split()) <= _SHORT_OPENING_WORDS:
        second = _SENTENCE.match(folded, len(opening))
        opening += second.group(0) if second else ""
        cheers, sorry = bool(_CHEERS.search(opening)), bool(_COMMISERATES.search(opening))
    return (cheers and not sorry) if feeling == "-" else (sorry and not cheers)


_GIVES_NAME = re.compile(
    r"\b(?:my name is|my name's|my name’s|i am called|i'm called|i’m called|im called|"
    r"(?:you can|just|please|everyone|people|they|my friends) call me)\s+([^\W\d_][\w'’-]{0,40})",
    re.IGNORECASE,
)


def other_name(reply: str, names: Sequence[str]) -> bool:
    """The reply gives the bot a name that is not one of ``names`` (the persona's): "My name is Emily
    Thompson, and I am the team leader here" (seen in the terminal, to "what is your name?"). Only a
    capitalised name counts ("call me anytime" does not), and quoted text is left out."""
    allowed = {n.strip().casefold() for n in names if n and n.strip()}
    if not allowed:
        return False
    for m in _GIVES_NAME.finditer(_QUOTED.sub(" ", reply)):
        name = m.group(1)
        if not name[0].isupper() or name.casefold() in _NOT_NAMES:
            continue
        if name.casefold() not in allowed:
            return True
    return False


_NOT_NAMES = frozenset(
    "a an the your my any anytime anything whatever when if back later old crazy just not "
    "maybe whenever here there what how it that this".split()
)


# --- possessive and pet names --------------------------------------------------------------------------
# A terminal probe as a new 16-year-old (24 Nov, evening) got "You're lucky to have me as your closest
# friend! Stay close, dear one." and "Oh no, dear friend ... sweetie", "little buddy". A companion that
# asks to be someone's closest or only friend, or to keep secrets from their family, is what grooming
# and unhealthy dependence sound like: those fail in every mode. Pet names fail in strict mode (an age
# signal was seen): from an AI to a child they read the same way.
_POSSESSIVE = re.compile(
    r"\byou(?:re| are) (?:so )?lucky to have me\b|\b(?:have me|im|i am|i can be|ill be|let me be) (?:as )?your "
    r"(?:closest|best|only|one true|special|secret) (?:friend|buddy|pal|person|one)\b"
    r"|\byou (?:dont|do not) need (?:anyone|anybody) else\b|\bonly i (?:understand|get|know|care about) you\b"
    r"|\bi(?:m| am) the only one who (?:understands|gets|cares about|loves|knows) you\b|\byou only need me\b"
    r"|\ball you need is me\b|\bour (?:little )?secret\b|\bkeep (?:this|us|our (?:chats?|talks?|conversations?)) "
    r"(?:a |our )?secret\b|\b(?:dont|do not|never) tell (?:your )?(?:parents|mom|mum|dad|family|teachers?|friends|"
    r"anyone|anybody) about (?:us|me|our|this chat|talking to me)\b"
)
_ENDEARMENT = re.compile(
    r"\b(?:sweetie|sweetheart|sweetpea|sweet pea|darling|darlin|dearie|dear one|my dear|dear friend|cutie|"
    r"cutie pie|babe|baby girl|baby boy|little (?:buddy|one|lady|man|girl|boy|princess)|my (?:love|sweet|angel|"
    r"baby|princess|prince))\b"
    r"|(?:^|[,.!?] |\b(?:hey|hi|oh|aw|aww|thanks|thank you|night|morning) )(?:honey|hun|hon|sugar|pumpkin|princess|"
    r"baby|love|angel|dear)(?=[,.!?]|$)"
    # the bot declaring its love: "as someone who loves you dearly, your family is going through a lot"
    # (said to a 15-year-old, 24 Nov, night); "people who love you" is advice and passes
    r"|\bas (?:someone|somebody|a friend|your friend|one) who (?:truly |really |deeply |so )?(?:loves|adores) you\b"
    r"|\b(?:i|i really|i truly|i just|i still) (?:love|adore) you\b|\blove you (?:so much|dearly|lots)\b"
)


# Careful mode: words that leave someone at risk to it. After a 15-year-old wrote about cutting and then
# "no i'm safe right now, i just wanted to tell someone" (24 Nov, night), the model wrote "I'm not
# responsible for your safety, and I won't stop you." After a crisis that reads as permission.
_CAREFUL_PERMISSION = re.compile(
    r"\bi (?:wont|will not|cant|can not|cannot|couldnt|am not going to|m not going to|m not gonna|"
    r"would never|will never|dont want to) (?:try to |ever )?stop you\b|\b(?:nobody|no one|noone) (?:can|will|could) stop you\b"
    r"|\b(?:im|i am|i m) not responsible for (?:your|you|what you)\b"
    r"|\b(?:its|it is|thats|that is) (?:all |entirely |totally |completely )?(?:your|ur) (?:own )?(?:choice|decision|call|"
    r"body|life|business)(?= *(?:[.!?,;:]|$|and\b|but\b|so\b|now\b))"
    r"|\bdo (?:what|whatever) (?:you|u) (?:want|need|must|have to|feel like|think is best)\b"
)


# Strict mode: a reply that makes grooming sound fine to a young person. In a probe as a 13-year-old (24
# Nov, night), after "he wants me to send him pictures" and "is that normal?": "Yes, that's normal. It's
# common for children to ... request something as simple as sharing photos online"; and earlier "He'd
# love to meet you ... It might be fun", "You're allowed to share photos whenever you want".
_GROOMING_TALK = re.compile(
    r"\b(?:you(?:re| are) allowed to|you can|you could|feel free to|its (?:ok|okay|fine|normal|natural|safe) to|"
    r"(?:nothing|no) wrong with|you should|why not|go ahead and) (?:just )?(?:share|send|sharing|sending|post|take) "
    r"(?:him |her |them |some |a few |your |those |the )*(?:photos|pictures|pics|selfies|nudes|videos)\b"
    r"|\b(?:sharing|sending) (?:photos|pictures|pics|selfies) (?:online |with (?:him|her|them) )?(?:is|are) "
    r"(?:ok|okay|fine|normal|natural|safe|common)\b"
    r"|\b(?:its|it is|thats|that is) (?:completely |totally |perfectly |quite |very )?(?:normal|common|okay|ok|fine)\b"
    r"(?=.{0,120}\b(?:photos|pictures|pics|selfies|secret|meet|online)\b)"
    r"|\b(?:he|she|they)(?:d| would| will|ll) love to meet you\b|\bit (?:might|could|would) be fun\b"
    r"|\b(?:you should|go|why not) meet (?:him|her|them|up with (?:him|her|them))\b"
    r"|\b(?:he|she|they) (?:really |truly )?loves? you\b"
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
    if implies_human_life(reply):
        return IMPLIES_HUMAN_LIFE
    if _first_unnegated(_POSSESSIVE, folded):
        return POSSESSIVE
    if strict and _ENDEARMENT.search(folded):
        return ENDEARMENT_MINOR
    if strict and _first_unnegated(_GROOMING_TALK, folded):
        return GROOMING_MINOR
    if careful and (_careful_words(reply, folded) or _CAREFUL_PERMISSION.search(folded)):
        return CAREFUL
    return None


_CAREFUL_OTHER_LANGUAGES = re.compile(
    # the same kinds of words in the languages the crisis texts speak (folded: no accents). Left out
    # where the word is an everyday one elsewhere: "sang" (sing), "grab", "mes" (Spanish month),
    # "tot" (Dutch until).
    r"\b(?:muertes?|morir|muero|muert[oa]s?|matar\w*|pastillas?|cuchillos?|cuerdas?|tumba|jaja\w*|jeje\w*"  # es
    r"|morts?|mourir|meurs|tuer|pilules?|couteaux?|cordes?|tombe|mdr|ptdr"  # fr
    r"|sterben|stirb\w*|tod|toten?|umbringen|selbstmord|tabletten|messer|brucke|seil|strick|blut|beerdigung"  # de
    r"|morte|morrer|mort[oa]s?|comprimidos|faca|ponte|corda|sangue|tumulo|kk+"  # pt, it (morte, ponte)
    r"|morire|uccider\w*|pillole|coltello|tomba"  # it
    r"|dood|doden|sterven|zelfmoord|pillen|brug|touw|bloed)\b"  # nl
)
"""Careful mode's words (``_CAREFUL``) in Spanish, French, German, Portuguese, Italian and Dutch."""

_NOT_ENGLISH_DIE = ("de", "nl")
"""Languages where "die" (and German "dies") is an everyday word: an article or pronoun ("die
Menschen", "de mensen die je helpen"), not dying."""


def _careful_words(reply: str, folded: str) -> bool:
    """A word careful mode keeps out (``_CAREFUL``, ``_CAREFUL_OTHER_LANGUAGES``); "die"/"dies" only
    count in a reply that is not German or Dutch."""
    if _CAREFUL_OTHER_LANGUAGES.search(folded):
        return True
    for m in _CAREFUL.finditer(folded):
        if m.group(0) in ("die", "dies") and guess_language(reply) in _NOT_ENGLISH_DIE:
            continue
        return True
    return False


# --- death the person did not bring up -----------------------------------------------------------------
# To "mi gato está enfermo y estoy preocupada" (my cat is sick and I'm worried) the embedded model wrote,
# in broken Spanish, "... el amigo de los amigos es la muerte" (the friend of friends is death). Careful mode keeps such words out only
# after a crisis or a check-in; for anyone else a reply that brings up death, killing, suicide, pills or
# blades on its own is not what a kind friend says. Words the person used themselves, or a message
# about a loss ("my grandma passed away"), leave the reply free to speak of it; jokes ("lol") are only
# kept out in careful mode; "you killed it" is praise.
_JOKES = re.compile(
    r"^(?:lol|lmao|haha\w*|hehe|jk|rofl|lmfao|joke|joking|jaja\w*|jeje\w*|mdr|ptdr|kk+)$|^\W+$"
)
_PRAISE_KILL = re.compile(r"\b(?:killed|killing|killin) it\b|\bkiller (?:smile|look|outfit|moves|idea)\b")
_BEREAVEMENT = re.compile(
    r"\b(?:pass(?:ed|ing)? away|passing|lost (?:my|our|his|her|their)|put (?:down|to sleep)|rip|grief|griev\w*|"
    r"mourn\w*|funeral|fallec\w*|murio|perdi a|decede|perdu (?:mon|ma|mes)|verstorben|gestorben|verloren|"
    r"morreu|faleceu|perdi (?:o|a|meu|minha)|e mort[oa]|scomparso|scomparsa|overleden)\b"
)


def _death_words(text: str) -> set[str]:
    """The words of careful mode's list in ``text`` that speak of death or harm (not its jokes)."""
    folded = _PRAISE_KILL.sub(" ", fold(text))
    found = {m.group(0) for m in _CAREFUL_OTHER_LANGUAGES.finditer(folded)}
    german_or_dutch = None
    for m in _CAREFUL.finditer(folded):
        word = m.group(0)
        if word in ("die", "dies"):
            if german_or_dutch is None:
                german_or_dutch = guess_language(text) in _NOT_ENGLISH_DIE
            if german_or_dutch:
                continue
        found.add(word)
    return {w for w in found if not _JOKES.match(w)}


def unprompted_death(reply: str, user_text: str) -> bool:
    """The reply speaks of death or harm (careful mode's words, jokes aside) that the person's message
    did not: none of those words of its own, and no loss ("passed away", "lost my")."""
    said = _death_words(reply)
    if not said:
        return False
    if _BEREAVEMENT.search(fold(user_text)):
        return False
    return bool(said - _death_words(user_text))


# --- the wrong language --------------------------------------------------------------------------
# After a message in another language is in the history (a Japanese or Spanish crisis message, a
# visitor's greeting), the small model sometimes answers a plain English message in broken Japanese
# or Spanish (seen in the terminal: "I failed my exam today and feel stupid" got two lines of garbled
# Japanese). Only clear cases count: the message reads as English (English function words, no other
# language guessed) and the reply is clearly in another language, or the message is in one language
# and the reply in another script (Japanese to Spanish). An English reply to a non-English message is left
# alone: the model often answers that way, and that is still a reply the person can read.
_ENGLISH_WORDS = frozenset(
    "i im my me you your the a an and to is am are was were be been it its this that of in on at for "
    "with from about have had has feel felt today day what how why do did dont cant can just so but "
    "not no yes we they he she our all or if there get got will would could should know want really "
    "very up out like".split()
)


def looks_english(text: str) -> bool:
    """At least three English function words and no other language guessed."""
    words = re.findall(r"[a-z']+", text.lower().replace("'", ""))
    return sum(w in _ENGLISH_WORDS for w in words) >= 3 and guess_language(text) is None


def wrong_language(reply: str, user_text: str) -> bool:
    """The reply is clearly in another language than the message it answers (see above)."""
    theirs = guess_language(reply)
    if theirs is None:
        return False
    mine = guess_language(user_text)
    if mine is None:
        return looks_english(user_text)
    # two languages guessed: only a different script counts (Japanese to Spanish), since the guess
    # can mix up close languages (Spanish, Portuguese, Italian) on a short reply
    return _script(mine) != _script(theirs)


_SCRIPTS = {"ru": "cyrillic", "uk": "cyrillic", "ja": "ja", "zh": "zh", "ar": "ar", "hi": "hi"}


def _script(lang: str) -> str:
    return _SCRIPTS.get(lang, "latin")
