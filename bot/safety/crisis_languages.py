"""Crisis rules for languages beyond English: nl, pl, ru, uk, tr, id, sv, ja, zh, ar, hi (and
romanized Hinglish, Russian, Ukrainian and Egyptian Arabic), plus more es/fr/de/pt/it phrasings.

Read by ``bot.safety.crisis``, which turns each spec into a ``Pattern`` and adds them to its own list;
the weighing (negation, hyperbole, the past, fiction and news) is the same as for English.

The aim is precision: direct first-person statements (wanting to die, suicide, self-harm, an overdose
taken, a jump or the tracks with a place named), each language's suicide slang, and weaker signals
(a burden, a last message, a goodbye) that only count in pairs. Someone else ("она хочет умереть",
"dia mau bunuh diri", "友達が「死にたい」って"), idioms ("умираю со смеху", "笑死", "死ぬほど",
"ik ga dood van de hitte", "mati gaya") and the past ("раньше", "以前", "vroeger") do not fire.

How the text looks when these patterns run (``text.fold``): lower case, accents and every combining
mark stripped. So Cyrillic "й" reads "и" and "ё" reads "е"; Japanese loses the dakuten ("で" reads
"て"); Arabic loses harakat and the hamza seat ("أ" reads "ا", "ؤ" reads "و"); Devanagari loses the
virama and the nukta ("आत्महत्या" reads "आतमहतया"). Turkish "ı" and Polish "ł" stay as they are, but
people often type "i" and "l", so both are accepted. Each regex below is written in the natural
spelling and folded the same way (``_f``) when the module loads, so what is read here is what people
write.

``\\b`` works for Latin, Cyrillic and Arabic letters. It does not work between CJK characters (they are
all word characters) nor inside Devanagari words (vowel signs are not word characters to ``re``), so
those patterns use no ``\\b``. A ``head_block`` is a regex searched on the 40 characters just before a
match (ending in ``$``): it drops the match, like a negation ("不", "не", "ga") or another person
("他", "dia", "وهو"). A ``tail_block`` does the same on what follows ("想死你了": "I miss you so much").
"""

from __future__ import annotations

import re
import unicodedata

# Weights and reason codes, shared with bot/safety/crisis.py (which imports them from here).
STRONG = 1.0
WEAK = 0.5

SUICIDAL = "crisis.suicidal_intent"
SELF_HARM = "crisis.self_harm"
OVERDOSE = "crisis.overdose"
PLAN = "crisis.plan_or_means"
INDIRECT = "crisis.indirect"

_UPPER_ESCAPES = re.compile(r"\\[SWDBAZ]")


def _f(regex: str) -> str:
    """``regex`` folded like the text (lower case, no combining marks); "ı" and "ł" also accept "i", "l".

    Regex syntax is ASCII and survives; escapes whose meaning depends on case (``\\S``, ``\\W``...)
    would not, so they are refused. "ı" and "ł" must not be written inside a character class.
    """
    if _UPPER_ESCAPES.search(regex):
        raise ValueError(f"upper-case escape in a language pattern: {regex[:40]!r}")
    r = unicodedata.normalize("NFKD", regex.lower().replace("ß", "ss"))
    r = "".join(ch for ch in r if not unicodedata.combining(ch))
    return r.replace("ı", "(?:ı|i)").replace("ł", "(?:ł|l)")


def _s(
    regex: str,
    reason: str,
    weight: float = STRONG,
    *,
    tail_block: str | None = None,
    head_block: str | None = None,
) -> dict:
    spec = {"regex": _f(regex), "reason": reason, "weight": weight}
    if tail_block:
        spec["tail_block"] = _f(tail_block)
    if head_block:
        spec["head_block"] = _f(head_block)
    re.compile(spec["regex"])  # fail at import, not at the first message
    return spec


# Words that negate what follows (added to crisis.NEGATORS; the check sees Latin-script words only).
NEGATORS = (
    "niet nooit geen "  # nl
    "inte aldrig ej "  # sv
    "nigdy "  # pl ("nie" is already there)
    "tidak nggak ngga enggak engga ndak jangan "  # id ("ga", "gak", "tak" are also words in nl, pl, sv)
    "nahi nahin nhi "  # hinglish
    "non"  # it
).split()

# --- head blocks: someone else is the subject, or a negation that the word check cannot see ---------
_H_ES = r"\b(?:no|nunca|jamás|ella|él|ellos|ellas|mi (?:amigo|amiga|hermano|hermana|mamá|papá|novio|novia)|dice que|dijo que)\s+(?:\w+\s+)?$"
_H_RU = r"(?:\bне|\bни|\bнет|\bникогда|\bніколи|\bон|\bона|\bони|\bвін|\bвона|\bвони|\bякщо|\bесли)\s+(?:[а-яіїєґ]+\s+)?$"
_H_NL = r"\b(?:hij|zij|ze|hem|haar|mijn (?:vriend|vriendin|broer|zus|moeder|vader|zoon|dochter)|niet|nooit|geen)\s+(?:\w+\s+)?$"
_H_SV = r"\b(?:han|hon|de|hen|min (?:kompis|van|bror|syster|mamma|pappa)|inte|aldrig)\s+(?:\w+\s+)?$"
_H_PL = r"\b(?:on|ona|oni|one|ze|że|kolega|kolezanka|przyjaciel|przyjaciolka|brat|siostra|mama|tata|nie|nigdy)\s+(?:\w+\s+)?$"
_H_ID = r"\b(?:ga|gak|tak|dia|ia|mereka|temanku|temenku|teman|temen|adikku|kakakku|pacarku|katanya|bilang|kalau dia)\s+(?:\w+\s+)?$"
_H_TR = r"\b(?:o|onun|arkadaşım|arkadasim|kardeşim|annem|babam|sevgilim|dedi ki)\s+(?:\w+\s+)?$"
_H_AR = r"(?:\bلا|\bما|\bمش|\bمو|\bلست|\bلن|\bمب|\bهو|\bهي|\bهم|\bصديقي|\bصديقتي|\bاخوي|\bاختي|\bانه|\bانها|\bقال|\bقالت|\bتقول|\bيقول)\s+(?:\w+\s+)?$"
_H_HI = r"(?:^|\s)(?:वो|वह|वे|उसने|उसको|दोस्त|भाई|बहन|नहीं|ना|न|wo|woh|vo|usne|dost|nahi|nahin)\s+(?:[^\s]+\s+)?$"
_H_ZH = r"(?:不|没|沒|别|別|他|她|它|他们|她们|他們|她們|朋友|同学|同學|室友|说|說|讲|講)(?:也|很|真的|好|一直|总是|總是|说|說|会|會|都)?$"
_H_JA = r"(?:「[^」]{0,12}|『[^』]{0,12}|(?:友達|友だち|彼|彼女|妹|弟|姉|兄|母|父|子供|あの子|あいつ)(?:が|は|も)[^。、]{0,6}|恥ずかし[^。、]{0,4})$"

LANGUAGE_PATTERNS: tuple[dict, ...] = (
    # =============================== Dutch (nl) ======================================================
    _s(
        r"\b(?:ik )?wil (?:echt |gewoon |zo graag |liever |eigenlijk |alleen nog )?(?:dood|sterven|doodgaan|niet meer leven|niet meer bestaan|er niet meer zijn|nooit meer wakker worden)\b"
        r"|\bik wil (?:echt |gewoon )?(?:er )?een (?:eind|einde) (?:aan )?(?:maken|mijn leven maken)\b"
        r"|\bmezelf (?:van kant|om het leven) (?:te )?(?:maken|brengen)\b|\bmezelf (?:\w+ )?(?:doden|vermoorden|ophangen|verhangen)\b"
        r"|\b(?:een )?(?:eind|einde) (?:aan|maken aan) mijn leven\b|\bmijn leven (?:beeindigen|beëindigen)\b",
        SUICIDAL,
        head_block=_H_NL,
        tail_block=r"^ (?:gaan )?(?:van|met|aan de|aan het) ",
    ),
    _s(
        r"\b(?:ik )?(?:denk|dacht|pieker) (?:\w+ )?(?:aan|over) zelfmoord\b|\bzelfmoordgedachten\b|\bzelfmoord (?:te )?plegen\b"
        r"|\bzelfmoord\b[^.!?]{0,20}\b(?:enige|beste) (?:uitweg|optie|oplossing)\b|\b(?:wil|ga|zal) (?:\w+ )?(?:er )?een eind aan maken\b",
        SUICIDAL,
        head_block=_H_NL,
    ),
    _s(
        r"\b(?:nooit|niet) meer wakker (?:worden|word|te worden)\b",
        SUICIDAL,
        tail_block=r"^ (?:van|door|op tijd|voor)\b",
    ),
    _s(
        r"\bbeter (?:af )?zonder mij\b|\bbeter af (?:zijn|zou zijn|zijn geweest|zijn als ik er niet meer ben) zonder mij\b|\bniemand (?:meer )?tot last\b|\bniemand (?:meer )?(?:een )?last (?:meer )?zijn\b",
        SUICIDAL,
    ),
    _s(
        r"\b(?:pillen|tabletten|medicijnen|slaappillen|pijnstillers) (?:\w+ )?(?:gespaard|verzameld|opgespaard)\b|\b(?:sparen|spaar|verzamel) (?:al )?(?:\w+ )?(?:pillen|tabletten|slaappillen)\b"
        r"|\b(?:touw|strop) (?:gekocht|gehaald)\b|\bweet (?:al |precies )?(?:waar|hoe|wanneer) ik het (?:ga|wil|zal) doen\b"
        r"|\bafscheidsbrie(?:f|ven) (?:\w+ ){0,2}(?:klaar|geschreven)\b|\b(?:geschreven|schreef) (?:\w+ ){0,2}afscheidsbrie(?:f|ven)\b"
        r"|\bvoor (?:de|een) trein (?:springen|spring|gaan liggen)\b|\bop het spoor (?:gaan )?liggen\b",
        PLAN,
    ),
    _s(
        r"\b(?:dak|brug|flat|balkon|raam|toren)\b[^.!?]{0,40}\b(?:ga|wil|zal) (?:\w+ )?springen\b|\b(?:springen|spring) (?:van|vanaf) (?:de|het|een) (?:dak|brug|flat|balkon|toren)\b",
        PLAN,
        tail_block=r"^ (?:in het water|het water in|bungee)",
    ),
    _s(
        r"\b(?:alle|al mijn|een hele|een volle|de hele|veel te veel|een handvol) (?:(?:strip|doos|pot|fles|potje|doosje|pakje) )?(?:\w+ )?(?:pillen|tabletten|medicijnen|paracetamol|slaappillen|oxazepam|pijnstillers)\b[^.!?]{0,20}\b(?:doorgeslikt|ingenomen|geslikt|genomen)\b"
        r"|\b(?:een )?overdosis (?:genomen|ingenomen)\b|\bneem ik ze allemaal (?:in)?\b",
        OVERDOSE,
        head_block=_H_NL,
    ),
    _s(
        r"\bmezelf (?:\w+ ){0,2}(?:gesneden|snijden|snijd|gekrast|kras|krassen|verwond|gebrand|brand|branden|geslagen|sla|slaan)\b|\bik (?:snij|kras|brand|sla) mezelf\b",
        SELF_HARM,
        tail_block=r"^[^.!?]{0,30}\b(?:per ongeluk|bij het koken|met koken|aan het papier)\b",
    ),
    _s(
        r"\b(?:ik )?zie het niet meer zitten\b|\bik kan (?:gewoon |echt )?niet meer\b|\bdit is mijn laatste bericht\b|\bbedankt voor alles\b|\bben ik er niet meer\b",
        INDIRECT,
        WEAK,
    ),
    # =============================== Swedish (sv) ====================================================
    _s(
        r"\b(?:jag )?vill (?:bara |verkligen |helst |inte längre )?(?:dö|inte leva|inte leva längre|sluta leva|sluta finnas(?: till)?|inte finnas|inte vakna igen|ta livet av mig|ta mitt liv|döda mig)\b"
        r"|\b(?:ska|skall|tänker|kommer att|funderar på att|planerar att|borde) (?:\w+ )?ta livet av mig\b|\bjag tar livet av mig\b"
        r"|\b(?:tänker|funderar) (?:\w+ )?på självmord\b|\bhar självmordstankar\b|\b(?:begå|begår) självmord\b"
        r"|\borkar inte (?:leva|längre leva|finnas|mer med livet)\b",
        SUICIDAL,
        head_block=_H_SV,
        tail_block=r"^ av (?:skratt|skam|tristess|värmen|hunger)",
    ),
    _s(
        r"\b(?:aldrig|inte) vakna (?:igen|mer)\b|\bsomna (?:in )?och (?:aldrig|inte) vakna\b",
        SUICIDAL,
        head_block=_H_SV,
    ),
    _s(
        r"\b(?:inte|ingen) (?:vara )?(?:en )?börda (?:för )?(?:någon|er|dig|familjen)? ?längre\b|\bbättre (?:av )?utan mig\b|\bbättre om jag var borta\b",
        SUICIDAL,
    ),
    _s(
        r"\b(?:sparat|samlat|samlar|sparar|hamstrat|hamstrar) (?:på )?(?:\w+ ){0,2}(?:tabletter|piller|mediciner|sömntabletter)\b"
        r"|\bhänga mig\b|\b(?:kasta|lägga) mig (?:framför|på|under) (?:tåget|spåret|rälsen|en bil|bussen)\b"
        r"|\bvet (?:exakt )?(?:var|hur|när) jag ska göra det\b|\bskrivit (?:\w+ ){0,2}avskedsbrev\b"
        r"|\b(?:bron|bro|taket|tak|balkongen|fönstret|hustaket)\b[^.!?]{0,40}\b(?:hoppa|hoppar)\b|\bhoppa (?:från|ut från|ner från|framför) (?:\w+ )?(?:bron|taket|balkongen|fönstret|tåget|tunnelbanan)\b",
        PLAN,
        tail_block=r"^ (?:på|med)\b|^ i (?:vattnet|sjön|havet)",
    ),
    _s(
        r"\b(?:tagit|tog|svalt|svalde|slukat) (?:en hel|hela|alla|en massa|massor av|för många|en hel karta|en hel burk|en hel ask) (?:\w+ ){0,2}(?:tabletter|piller|mediciner|burk|ask|karta|alvedon|panodil|ipren|sömntabletter)\b|\b(?:tagit|tog) en överdos\b",
        OVERDOSE,
        head_block=_H_SV,
    ),
    _s(
        r"\bjag (?:\w+ )?(?:skär|skadar|bränner|slår|rispar) mig\b(?: själv)?|\bskär mig (?:igen|i armarna|i armen|i benen)\b",
        SELF_HARM,
        head_block=r"\b(?:inte|aldrig)\s+$",
        tail_block=r"^[^.!?]{0,30}\b(?:av misstag|i köket|på kniven|när jag lagade|på papper|på glas)\b",
    ),
    _s(
        r"\borkar inte mer\b|\bmitt sista meddelande\b|\bhejdå (?:allihopa|alla)\b|\bfinns jag inte (?:längre|kvar)\b|\bjag har bestämt mig\b",
        INDIRECT,
        WEAK,
    ),
    # =============================== Polish (pl) =====================================================
    _s(
        r"\b(?:chcę|chciałbym|chciałabym|chciałbym już|muszę|zaraz|pewnie|dziś|dzisiaj|chyba) (?:się )?(?:\w+ )?(?:zabić|umrzeć|zdechnąć|powiesić|zabije się|zabiję się)\b"
        r"|\b(?:zabiję|zabije) się\b(?! (?:ze|z) (?:śmiechu|nudów))|\bskończyć ze sobą\b|\bskończę ze sobą\b|\bze sobą skończyć\b"
        r"|\bodebrać sobie życie\b|\btargnąć się na (?:swoje )?życie\b|\bpopełnić samobójstwo\b|\bpopełnię samobójstwo\b"
        r"|\bnie chcę (?:już |dłużej |więcej )?(?:żyć|istnieć|tu być)\b|\bmam dość życia\b"
        r"|\b(?:myślę|myślałam|myślałem|ciągle myślę) o samobójstwie\b|\bmyśli samobójcze\b",
        SUICIDAL,
        head_block=_H_PL,
        tail_block=r"^ (?:ze|z) (?:śmiechu|nudów|gorąca|wstydu)|^ (?:tu|tutaj|w tym|z nim|z nią|bez)\b",
    ),
    _s(
        r"\b(?:zasnąć|zasnę) i (?:już )?(?:się )?nie obudzić\b|\b(?:już )?nigdy się nie obudzić\b|\bnie obudzić się (?:już|więcej|nigdy)\b",
        SUICIDAL,
    ),
    _s(
        r"\b(?:lepiej|szczęśliwsi|szczęśliwi|łatwiej|lepsi)\b[^.!?]{0,25}\bbeze mnie\b|\bbeze mnie\b[^.!?]{0,25}\b(?:lepiej|szczęśliw\w*|łatwiej)\b"
        r"|\b(?:nie będę|przestanę być) (?:już )?(?:dla nikogo |nikomu |wam |dla was )?ciężarem\b",
        SUICIDAL,
    ),
    _s(
        r"\b(?:zbieram|zbierałem|zbierałam|odkładam|odkładałam|odkładałem|chomikuję|mam odłożone) (?:\w+ ){0,2}(?:tabletki|leki|pigułki|proszki)\b|\bodłożone (?:\w+ )?(?:tabletki|leki|pigułki)\b"
        r"|\bpowieszę się\b|\bpowiesić się\b|\b(?:pójdę|położę się|rzucę się|pojdę) (?:na tory|pod (?:pociąg|tramwaj|samochód))\b"
        r"|\bnapisał(?:am|em) (?:\w+ ){0,2}(?:listy pożegnalne|list pożegnalny)\b"
        r"|\b(?:most\w*|mości\w*|dach\w*|balkon\w*|okn\w*|wieżowc\w*|bloku)\b[^.!?]{0,40}\b(?:skoczę|skoczyć|zeskoczę|wyskoczę|rzucę się)\b|\b(?:skoczę|skoczyć|wyskoczę|rzucę się) (?:z|pod) (?:\w+ )?(?:most\w*|dach\w*|balkon\w*|okn\w*|pociąg\w*|wieżowc\w*|bloku)\b",
        PLAN,
        tail_block=r"^ (?:na bungee|do wody|do jeziora|do basenu)",
    ),
    _s(
        r"\b(?:połknąłem|połknęłam|połknął|wziąłem|wzięłam|łyknąłem|łyknęłam|zażyłem|zażyłam|zjadłem|zjadłam) (?:\w+ ){0,2}(?:wszystkie|całe opakowanie|cały blister|garść|za dużo|mnóstwo) (?:\w+ )?(?:tabletek|tabletki|leków|leki|pigułek|pigułki|proszków|\w+)\b"
        r"|\bprzedawkował(?:em|am)\b",
        OVERDOSE,
    ),
    _s(
        r"\b(?:znowu |znów |ciągle )?(?:się )?(?:tnę|pocięłam|pociąłem|cięłam|ciąłem|okaleczam|przypalam|samookaleczam) się\b|\bsię (?:tnę|pocięłam|pociąłem|cięłam|ciąłem|okaleczam|przypalam)\b|\b(?:tnę|ciąć|pocięłam|pociąłem) (?:sobie )?(?:ręce|rękę|nadgarstki|uda|nogi)\b",
        SELF_HARM,
        head_block=_H_PL,
    ),
    _s(
        r"\bmoja ostatnia wiadomość\b|\bżegnajcie\b|\bmnie (?:już|więcej) nie będzie\b|\bnikt (?:nawet )?nie zauważy\b|\bodejść na zawsze\b|\bto zakończę\b|\bzakończę to\b|\baż (?:leci|poleci|pójdzie) krew\b",
        INDIRECT,
        WEAK,
    ),
    # =============================== Russian (ru), Ukrainian (uk) ====================================
    _s(
        r"\b(?:хочу|хочется|хотелось бы|хотел бы|хотела бы|мечтаю|собираюсь|решил|решила|готов|готова|думаю|хочеться|хотів би|хотіла б|збираюся|вирішив|вирішила)\s+(?:[а-яіїєґ]+\s+)?(?:умереть|сдохнуть|покончить с собой|покончить с жизнью|убить себя|выпилиться|самовыпилиться|повеситься|уйти из жизни|свести сч[её]ты с жизнью|наложить на себя руки"
        r"|померти|вмерти|здохнути|накласти на себе руки|вбити себе|покінчити з собою|покінчити з життям|повіситися|піти з життя|вкоротити собі віку)\b"
        r"|\b(?:выпилюсь|самовыпилюсь|убью себя|покончу с собой|повешусь|вскроюсь|вскрою вены|сброшусь|вб'ю себе|вбю себе|покінчу з собою|повішуся|накладу на себе руки)\b"
        r"|\b(?:думаю|задумываюсь|подумываю|размышляю) (?:\w+ )?(?:о|об|про) (?:суициде|самоубийстве|самогубство|суїцид)\b|\bу меня (?:\w+ )?(?:суицидальные мысли|мысли о (?:суициде|самоубийстве))\b",
        SUICIDAL,
        head_block=_H_RU,
        tail_block=r"^ (?:со смеху|от смеха|от стыда|от скуки|от жары|зі сміху|від сорому|від нудьги|из (?:чата|группы|беседы|соцсетей|проекта)|з (?:чату|групи))",
    ),
    _s(
        r"\bне (?:хочу|хочется|хочеться) (?:больше |уже |дальше |більше |вже )?(?:жить|жити|существовать|існувати)\b",
        SUICIDAL,
        head_block=_H_RU,
        tail_block=r"^ (?:в|с|со|без|у|з|із|на|под|так|здесь|тут|там|с ним|с ней|вместе|одна|один)\b",
    ),
    _s(
        r"\b(?:уснуть|заснуть|заснути|усну|засну) (?:и|і) (?:больше |більше )?не (?:проснуться|просыпаться|прокинутися|прокинутись|прокинусь|проснусь)\b|\bбольше никогда не проснуться\b|\bуснуть навсегда\b",
        SUICIDAL,
    ),
    _s(
        r"\b(?:лучше|легче|проще|спокойнее|счастливее|краще|легше|простіше)\b[^.!?]{0,25}\bбез (?:меня|мене)\b|\bбез (?:меня|мене)\b[^.!?]{0,25}\b(?:лучше|легче|проще|спокойнее|счастливее|краще|легше)\b"
        r"|\b(?:перестану быть|не буду (?:больше )?|не буду вам|не буду никому|перестану бути|не буду (?:більше )?|не буду вам)\s*(?:[а-яіїєґ]+\s+){0,2}(?:обузой|тягарем|тягарем)\b",
        SUICIDAL,
    ),
    _s(
        r"\b(?:копил|копила|коплю|накопил|накопила|собираю|собирала|собирал|збирав|збирала|збираю|накопичив|накопичила) (?:\w+ ){0,2}(?:таблетки|таблеток|снотворное|снотворного|лекарства|колеса|пігулки|пігулок|ліки|снодійне)\b"
        r"|\b(?:пойду|лягу|брошусь|піду|ляжу|кинуся) (?:на|под|під) (?:рельсы|поезд|колею|колію|колії|рейки|потяг|поїзд)\b"
        r"|\b(?:купил|купила|купив|купила) (?:\w+ )?(?:веревку|мотузку|петлю)\b"
        r"|\b(?:написал|написала|написав|пишу|оставлю|залишу) (?:\w+ ){0,2}(?:прощальн\w*|предсмертн\w*|передсмертн\w*) (?:письм\w*|записк\w*|лист\w*)\b"
        r"|\b(?:крыш\w*|мост\w*|окн\w*|балкон\w*|этаж\w*|высотк\w*|девятиэтажк\w*|дах\w*|вікн\w*|поверх\w*)\b[^.!?]{0,40}\b(?:прыгну|спрыгну|сброшусь|шагну|брошусь|выпрыгну|стрибну|вистрибну|зістрибну|кинусь)\b"
        r"|\b(?:прыгну|спрыгну|сброшусь|шагну|брошусь|выпрыгну|стрибну|вистрибну|зістрибну|кинусь) (?:с|из|со|под|з|із|під) (?:\w+ )?(?:крыш\w*|мост\w*|окн\w*|балкон\w*|поезд\w*|высотк\w*|этаж\w*|дах\w*|вікн\w*|поверх\w*|потяг\w*)\b",
        PLAN,
        head_block=_H_RU,
        tail_block=r"^ (?:для|на дачу|в воду|в речку|в бассейн|у воду)",
    ),
    _s(
        r"\b(?:выпил|выпила|выпью|наглотался|наглоталась|проглотил|проглотила|съел|съела|випив|випила|ковтнув|ковтнула|наковтався|наковталася|вип'ю|випю) (?:\w+ ){0,2}(?:всю|целую|все|всі|усі|пачку|упаковку|блистер|горсть|кучу|цілу|жменю) (?:\w+ ){0,2}(?:таблет\w*|снотворн\w*|колес\w*|лекарств\w*|пилюл\w*|пігул\w*|ліків|снодійн\w*|упаковк\w*|пачк\w*)\b"
        r"|\b(?:наглотался|наглоталась|наковтався|наковталася) (?:\w+ )?(?:таблеток|колес|снотворного|лекарств|пігулок|ліків)\b|\bу меня передоз\b|\bпередознул(?:ся|ась)\b",
        OVERDOSE,
        head_block=_H_RU,
    ),
    _s(
        r"\b(?:режу|порезала|порезал|резала|резал|ріжу|порізала|порізав|різала|бью|бю|жгу|прижигаю|калечу|пропалюю|припікаю|царапаю) (?:себе |себя )?(?:руки|руку|вены|запястья|ноги|бедра|себя|себе|кожу|шкіру|вени)\b"
        r"|\bсебя (?:режу|резала|резал|порезала|бью|жгу|калечу)\b|\bсебе (?:ріжу|різала|порізала|бю|палю)\b|\bтушу (?:\w+ )?(?:сигарет\w*|бычк\w*) (?:об|о) (?:руку|руки|себя|кожу|ногу)\b|\bселфхарм\w*",
        SELF_HARM,
        head_block=_H_RU,
        tail_block=r"^ (?:по лбу|в грудь|об стену от злости)|^[^.!?]{0,30}\b(?:случайно|випадково|когда готовил|ножом для)\b",
    ),
    _s(
        r"\b(?:прощайте|прощавайте)\b|\b(?:мое|моє|это|це) (?:\w+ )?последнее сообщение\b|\bостаннє повідомлення\b|\b(?:меня|мене) (?:уже|больше|вже|більше) не буде?т?\b|\bя (?:все|всё|вже все|уже все) (?:решил|решила|вирішив|вирішила)\b"
        r"|\bвсе закончу\b|\bсил (?:больше )?(?:нет|більше нема|нема)\b|\bне могу больше\b",
        INDIRECT,
        WEAK,
    ),
    # romanized Russian / Ukrainian
    _s(
        r"\b(?:hochu|khochu|xochu) (?:umeret|umeret'|sdohnut|vypilitsya|pomerty|vmerty|pokonchit s soboi)\b|\bne (?:hochu|khochu|xochu) (?:bolshe |bilshe |uzhe )?(?:zhit|zhyty|zhyt)\b",
        SUICIDAL,
    ),
    # =============================== Turkish (tr) ====================================================
    _s(
        r"\bölmek istiyor(?:um|m)\b|\bölmek istiyom\b|\bölesim var\b|\bintihar (?:etmek istiyor(?:um|m)|edeceğim|edicem|edecem|etmeyi düşünüyorum|etmeyi düşünüyom|etcem)\b"
        r"|\bkendimi öldür(?:eceğim|ecem|icem|mek istiyorum)\b|\bcanıma kıy(?:mak istiyorum|acağım|acam|ıcam|mayı düşünüyorum)\b"
        r"|\byaşamak istemiyor(?:um|m)\b|\byaşamak istemiyom\b|\b(?:bir daha(?: hiç)?|hiç) uyanmak istemiyo(?:rum|rm|m)\b|\buyuyup (?:bir daha )?uyanmamak\b|\buyuyup bir daha uyanmak istem\w*",
        SUICIDAL,
        head_block=r"\b(?:utançtan|rezillikten|sıkıntıdan|burada|orada|bu şehirde|bu evde|onunla|onlarla)\s+(?:\w+\s+)?$",
    ),
    _s(
        r"\bbensiz\b[^.!?]{0,30}\b(?:mutlu|iyi|rahat|huzurlu)\b|\b(?:kimseye|size|aileme) (?:\w+ )?yük olmayacağım\b",
        SUICIDAL,
    ),
    _s(
        r"\b(?:ilaç|hap)\w* (?:biriktiriyorum|biriktirdim|topluyorum|topladım)\b|\bkendimi as(?:acağım|ıcam|acam|mak istiyorum)\b|\bveda mektup\w* (?:yazdım|hazır)\b"
        r"|\b(?:köprü|çatı|bina|balkon|pencere|uçurum)\w*\b[^.!?]{0,40}\b(?:atlayacağım|atlıyacağım|atlıcam|atlayacam|atlamak istiyorum|kendimi atacağım)\b"
        r"|\b(?:tren )?ray\w* (?:gideceğim|gidicem|yatacağım|atlayacağım)\b|\btrenin önüne (?:atlayacağım|atlıcam|kendimi atacağım)\b",
        PLAN,
    ),
    _s(
        r"\b(?:bütün|tüm|bir kutu|avuç dolusu|çok fazla) (?:\w+ )?(?:hapları|ilaçları|hap|ilaç)\w* (?:içtim|yuttum|aldım|içeceğim|içicem|yutacağım)\b|\başırı doz (?:aldım|ilaç aldım)\b|\bhepsini (?:içtim|yuttum)\b",
        OVERDOSE,
    ),
    _s(
        r"\b(?:kollarımı|kolumu|bileklerimi|bileğimi|bacaklarımı|kendimi) (?:\w+ )?(?:kestim|kesiyorum|kesicem|keseceğim|jiletledim|jiletliyorum|yakıyorum|yaktım)\b|\bkendime zarar ver(?:iyorum|dim|eceğim|icem|mek istiyorum)\b",
        SELF_HARM,
        tail_block=r"^[^.!?]{0,30}\b(?:yanlışlıkla|kazara|yemek yaparken)\b",
    ),
    _s(
        r"\bson mesajım\b|\bhoşçakalın\b|\belveda\b|\bartık dayanamıyorum\b|\bburada olmayacağım\b|\bkanayana kadar\b|\bkafamı duvar\w* vur\w*",
        INDIRECT,
        WEAK,
    ),
    # =============================== Indonesian (id) =================================================
    _s(
        r"\b(?:mau|pengen|pengin|pingin|pgn|ingin|kepengen|kepikiran|kepikir|mikir|berpikir|pikir|niat|rencana|berencana|siap|akan|bakal|udah mau) (?:\w+ ){0,2}?bunuh diri\b|\bbunuh diri (?:aja|saja|sekarang|malam ini|hari ini)\b"
        r"|\b(?:pengen|pengin|pingin|pgn|ingin|kepengen) (?:\w+ )?mati\b|\b(?:aku|gue|gw|gua|saya) (?:\w+ )?mau mati (?:aja|saja)\b"
        r"|\b(?:ga|gak|nggak|ngga|enggak|engga|tidak|tak|ndak) (?:mau|pengen|ingin|kuat) hidup (?:lagi|lebih lama)\b|\b(?:capek|cape|capé|lelah) (?:i|hi)dup\b|\bmengakhiri hidup(?:ku)?\b",
        SUICIDAL,
        head_block=_H_ID,
        tail_block=r"^ (?:gaya|lampu|listrik|kutu|ketawa|kebosanan|rasa)\b",
    ),
    _s(
        r"\b(?:lebih (?:bahagia|baik|tenang|senang))\b[^.!?]{0,25}\btanpa (?:aku|gue|gw|saya|diriku)\b|\btanpa (?:aku|gue|gw|saya|diriku)\b[^.!?]{0,25}\blebih (?:bahagia|baik|tenang|senang)\b"
        r"|\b(?:ga|gak|nggak|tidak|tak) (?:bakal|akan) (?:jadi |menjadi )?beban\b|\b(?:ga|gak|nggak|tidak|tak|ga usah|gausah|nggak usah|tidak usah) (?:usah )?bangun (?:lagi|selamanya)\b|\btidur (?:untuk )?selamanya\b",
        SUICIDAL,
        head_block=_H_ID,
    ),
    _s(
        r"\b(?:ngumpulin|mengumpulkan|nimbun|nyimpen|ngumpulkan) (?:\w+ ){0,2}obat\b|\b(?:gantung|menggantung) diri\b|\b(?:nulis|menulis|udah nulis) surat (?:perpisahan|wasiat)\b"
        r"|\b(?:jembatan|atap|gedung|lantai|balkon|tebing|rooftop)\w*\b[^.!?]{0,40}\b(?:mau|pengen|bakal|akan|siap) (?:\w+ )?(?:lompat|loncat|terjun)\b|\b(?:mau|pengen|bakal|akan|siap) (?:\w+ )?(?:lompat|loncat|terjun) (?:dari|ke) (?:\w+ ){0,2}(?:jembatan|atap|gedung|lantai|balkon|tebing|rel)\b",
        PLAN,
        head_block=_H_ID,
        tail_block=r"^[^.!?]{0,20}\b(?:kolam|sungai buat berenang|trampolin)\b",
    ),
    _s(
        r"\b(?:minum|nelen|menelan|kuminum|ku minum|kutelan|nenggak) (?:\w+ ){0,2}?(?:semua|sebotol|sekotak|segenggam|satu strip|sestrip|banyak banget|sekaligus) (?:\w+ ){0,2}?obat\b|\bobat\w*\b[^.!?]{0,30}\b(?:kuminum|ku minum|kutelan|ku telan|minum|telan) (?:semua|sekaligus)\b",
        OVERDOSE,
        head_block=_H_ID,
    ),
    _s(
        r"\b(?:nyilet|nyiletin|menyilet|nyayat|nyayatin|menyayat|silet) (?:\w+ )?(?:tangan|lengan|kulit|pergelangan|paha|nadi)\w*\b|\b(?:nyakitin|menyakiti|nyiksa|menyiksa|mukulin|memukuli|bakar|ngebakar|nyakar) diri (?:sendiri|ku)\b"
        r"|\b(?:bakar|ngebakar|membakar|nyundut|sundut) (?:kulit|tangan|lengan)\w*\b",
        SELF_HARM,
        head_block=_H_ID,
    ),
    _s(
        r"\bpesan terakhir(?:ku)?\b|\bselamat tinggal semua\w*\b|\b(?:aku|gue|gw|saya) (?:udah |sudah )?(?:ga|gak|nggak|tidak) ada lagi\b|\b(?:udah|sudah) kuputuskan\b|\bpengen udahan\b|\bnyusul (?:ibu|ayah|bapak|mama|papa|nenek|kakek)\b",
        INDIRECT,
        WEAK,
    ),
    # =============================== Japanese (ja) ===================================================
    _s(
        r"(?:死|し|氏|タヒ)に(?:たい|てえ|てぇ|たくなる|たくなった)|死のう(?:かな|と思|って)|自殺(?:したい|しよう|する(?:つもり|しかない)|を考え|のことばかり|を決め|するしか)"
        r"|生きて(?:い)?たくない|生きる(?:の|こと)(?:が|に)?(?:疲れ|つかれ)|生きてる意味(?:が|も)?ない|生きる意味(?:が|も)?(?:ない|わからない)|人生(?:を)?終わらせ|命を絶"
        r"|(?:私|僕|俺|あたし|うち|自分)(?:が|なんて)?(?:いない|いなくなった|消えた|死んだ)(?:方が|ほうが)",
        SUICIDAL,
        head_block=_H_JA,
        tail_block=r"^(?:」|』|って(?:言|い)|と(?:言|い)|らしい|んだって|ってさ|くらい恥ずかし|ほど恥ずかし|くらい暇|ほど暇)",
    ),
    _s(
        r"目が覚めなければ|目覚めなければ|二度と(?:目が覚め|起きたく|目覚め)|もう起きたくない|永遠に眠りたい|ずっと眠っていたい",
        SUICIDAL,
        head_block=_H_JA,
    ),
    _s(
        r"(?:リスカ|リストカット|アムカ|レグカ|根性焼き)|自傷(?:行為)?(?:した|して|しちゃ|したい|が止ま|やめられ)|(?:タバコ|たばこ|煙草)[^。]{0,6}(?:腕|手|肌|自分)[^。]{0,3}(?:焼|押し付け)",
        SELF_HARM,
        head_block=_H_JA,
    ),
    _s(
        r"(?<![a-z])od(?:した|しちゃ|しよう|する|したい)|オーバードーズ(?:した|しちゃ|しよう|する|したい)|(?:薬|睡眠薬|錠|市販薬|眠剤)[^。、]{0,12}(?:全部|一箱|一瓶|大量に?|まとめて|[0-9]{2,}\s*錠)[^。、]{0,6}(?:飲んだ|飲んじゃ|飲む|飲みます|飲んで)",
        OVERDOSE,
        head_block=_H_JA,
    ),
    _s(
        r"飛び降り(?:る|たい|よう|ます)|(?:屋上|ビル|マンション|橋|ベランダ|窓)[^。]{0,15}(?:飛ぶ|飛び降り|飛び込)|(?:電車|線路)に飛び込|首を?(?:吊り|つり|吊ろう|つろう|吊る)|薬を?[^。]{0,8}(?:貯めて|ためて|溜めて|集めて)|遺書(?:を)?(?:書いた|書き終わ|用意)",
        PLAN,
        head_block=_H_JA,
    ),
    _s(
        r"誰の迷惑にもならなくなる|(?:誰|みんな|家族)に(?:も)?迷惑(?:を)?かけなくなる",
        SUICIDAL,
        head_block=_H_JA,
    ),
    _s(
        r"消えたい|最後のメッセージ|今までありがとう|線路に行く|ロープ(?:を)?買った|もういないと思う|(?:全部|すべて|何もかも)終わりにしたい|どこでやるか(?:も)?決め",
        INDIRECT,
        WEAK,
        head_block=_H_JA,
    ),
    # =============================== Chinese (zh) ====================================================
    _s(
        r"想(?:去)?死|想(?:要|去)?自(?:杀|殺)|(?:要|会|會|打算|准备|準備|考虑|考慮|计划|計劃|决定|決定)(?:去)?自(?:杀|殺)|(?:想|要|去|准备|準備|打算)紫砂"
        r"|不想(?:再)?活(?:了|下去|着|著)?|活不下去|活着没意思|活著沒意思|活着没有意义|活著沒有意義|没有活下去的(?:理由|意义)|沒有活下去的(?:理由|意義)"
        r"|(?:结束|結束)(?:自己的|我的)?生命|了(?:结|結)(?:自己|我自己|生命)|轻生|輕生"
        r"|(?:没有|沒有|没|沒)我(?:会|會|就|大家)?(?:过得|過得)?(?:更好|更开心|更開心|更轻松|更輕鬆)",
        SUICIDAL,
        head_block=_H_ZH,
        tail_block=r"^(?:你|您|我了|他|她|它|的心|人了|了你|在你|磕|在(?!这个世界|這個世界|世上))",
    ),
    _s(
        r"(?:再也不|永远不|永遠不|不想再)(?:要)?(?:醒|醒来|醒來)|不(?:会|會)再(?:拖累|连累|連累|麻烦|麻煩)(?:你们|你們|大家|家人|任何人|别人|別人)",
        SUICIDAL,
        head_block=_H_ZH,
    ),
    _s(
        r"割腕|自(?:残|殘|伤|傷)|(?:烫|燙|伤害|傷害|划|劃|割|烧|燒)自己|打自己(?!的?(?:脸|臉))",
        SELF_HARM,
        head_block=_H_ZH,
    ),
    _s(
        r"(?:一整瓶|一瓶|一整盒|一盒|一堆|整瓶|整盒|一把|好多|很多|全部)(?:的)?(?:安眠)?(?:药|藥)(?:片)?(?:都|全)?(?:吃了|吞了|吃下|吞下|喝了)|(?:吃了|吞了)(?:一整瓶|一瓶|一整盒|一盒|一堆|整瓶|一把|好多|很多)(?:的)?(?:安眠)?(?:药|藥)"
        r"|(?:药|藥)[^。]{0,12}(?:全吃了|全部吃了|都吃了|全吞了|一起吃了)",
        OVERDOSE,
        head_block=_H_ZH,
    ),
    _s(
        r"(?:想|要|准备|準備|打算|去)(?:跳楼|跳樓|跳桥|跳橋|跳河|跳海|卧轨|臥軌|上吊)|(?:桥|橋|楼顶|樓頂|天台|阳台|陽台|屋顶|屋頂|窗)[^。]{0,10}(?:跳下去|往下跳)"
        r"|(?:攒|攢|存|囤)(?:了)?[^。，,]{0,8}(?:安眠药|安眠藥|药|藥)|(?:绳子|繩子)(?:已经|已經)?(?:买好|買好|准备好|準備好)|(?:遗书|遺書)[^。，,]{0,8}(?:写好|寫好|写完|寫完)|(?:写好|寫好|写完|寫完)(?:了)?(?:遗书|遺書)",
        PLAN,
        head_block=_H_ZH,
    ),
    _s(
        r"最后一条消息|最後一條消息|我(?:就)?不在了|再见了|再見了|遗书|遺書", INDIRECT, WEAK, head_block=_H_ZH
    ),
    # =============================== Arabic (ar) =====================================================
    _s(
        r"\b(?:اريد|أريد|اود|أود|ابي|ابغى|ابغي|بدي|عايز|عايزة|عاوز|عاوزة|نفسي|ودي|حاب|حابب|ناوي|ناوية|رح|راح|سوف)\s+(?:ان\s+|أن\s+)?(?:اموت|أموت|موت|انتحر|أنتحر|اقتل نفسي|أقتل نفسي|انهي حياتي|أنهي حياتي)\b"
        r"|\b(?:سأنتحر|هنتحر|حنتحر|سأقتل نفسي|هقتل نفسي|بقتل نفسي|رح اقتل نفسي)\b|\bانهاء حياتي\b"
        r"|\b(?:افكر|أفكر|بفكر|عم فكر|اشوف)\s+(?:في\s+|فى\s+)?(?:بال|ال|ب)?انتحار\b",
        SUICIDAL,
        head_block=_H_AR,
        tail_block=r"^\s*(?:من|م)\s*(?:الضحك|الحر|الجوع|الملل|الكسوف|البرد|التعب|الخجل|الفرحة|الشوق)",
    ),
    _s(
        r"\b(?:لا|ما|مش|مو|مابي|ماابي)\s*(?:اريد|أريد|اود|ابي|ابغى|بدي|عايز|عايزة|عاوز|حاب)\s+(?:ان\s+|أن\s+)?(?:اعيش|أعيش|عيش)\b"
        r"|\b(?:انام|أنام|نام)\s+و\s*(?:ما|لا|مش)\s*(?:اصحى|أصحى|اصحا|أصحا|اصحاش|أصحاش|اصحي|اقوم|أقوم|افيق|أفيق|استيقظ|أستيقظ)\b"
        r"|\b(?:افضل|أفضل|احسن|أحسن|ارتاح|أسعد|اسعد)\b[^.!?،]{0,25}(?:من\s+)?(?:دوني|بدوني|من غيري)\b|\b(?:دوني|بدوني|من غيري)\b[^.!?،]{0,25}\b(?:افضل|أفضل|احسن|أحسن|ارتاح|أسعد)\b"
        r"|\b(?:لن|مش ه|ما رح|مارح|ما راح)\s*(?:اكون|أكون)\s+(?:عبئا|عبئاً|عبء|حمل)\b",
        SUICIDAL,
        tail_block=r"^\s*(?:في|فى|هنا|مع|ب|هيك)\b",
    ),
    _s(
        r"\b(?:جمعت|اجمع|أجمع|خزنت|بجمع|عم اجمع)\s+(?:\w+\s+)?(?:حبوب|الحبوب|ادوية|أدوية|الادوية|الأدوية|دوا|الدوا|حبوبي)\b"
        r"|\b(?:اشنق|أشنق|هشنق|سأشنق|بشنق)\s+(?:نفسي|حالي)\b|\b(?:ارمي|أرمي|هرمي|سأرمي|ارمى)\s+(?:نفسي|حالي)\s+(?:من|تحت|قدام|امام|أمام)\b"
        r"|\b(?:الكوبري|كوبري|الجسر|جسر|السطح|سطح|البلكونة|الشباك|العمارة|البرج)\b[^.!?]{0,40}\b(?:و|ف)?(?:هنط|هقفز|سأقفز|اقفز|أقفز|انط|أنط|ارمي نفسي|أرمي نفسي|نط|راح انط)\b"
        r"|\b(?:روح|اروح|أروح|هروح|سأذهب|انام|أنام)\s+(?:على|ع|الى|إلى)\s*(?:سكة|قضبان)\b|\b(?:كتبت|كتبتها)\s+(?:\w+\s+)?(?:رسائل|رسالة)\s+(?:ال)?وداع\b",
        PLAN,
        head_block=_H_AR,
    ),
    _s(
        r"\b(?:بلعت|ابتلعت|شربت|اخذت|أخذت|خديت|خذيت|اكلت|أكلت)\s+(?:كل|علبة|شريط|كمية|عشرين|ثلاثين|كثير)\b[^.!?،]{0,25}(?:حبوب|حبة|دوا|دواء|ادوية|أدوية|كلها)"
        r"|(?:ابتلعها|ابلعها|أبلعها|بلعها|اشربها|أشربها|اخدها|اخذها|آخذها)\s+كلها|\b(?:اخذت|أخذت|خديت)\s+جرعة\s+زائدة\b",
        OVERDOSE,
        head_block=_H_AR,
    ),
    _s(
        r"\b(?:اجرح|أجرح|بجرح|جرحت|اقطع|أقطع|قطعت|احرق|أحرق|بحرق|حرقت|اضرب|أضرب|بضرب|ضربت|اؤذي|أؤذي|بؤذي|اذيت|أذيت|اذي|أذي)\s+(?:نفسي|ايدي|إيدي|يدي|جسمي|دراعي|ذراعي|معصمي|رسغي|جلدي)\b",
        SELF_HARM,
        head_block=_H_AR,
    ),
    _s(
        r"\bرسائل\s+الوداع\b|\bوداعا\b|\bوداعاً\b|\b(?:مش|لن|ما رح|مارح)\s*(?:هكون|اكون|أكون|حكون)\s+(?:موجود|موجودة)\b|\bاشتريت\s+حبل\b|\bعبئ?ا?\s+على\s+(?:احد|أحد)\b",
        INDIRECT,
        WEAK,
    ),
    _s(
        r"\b(?:هذه|هذي|هاي|دي|هاد)\s+(?:اخر|آخر)\s+رسالة\b(?!\s+(?:اليوم|الليلة|قبل|لليوم|في|فى))|\b(?:اخر|آخر)\s+رسالة\s+(?:مني|ليكم|لكم)\b(?!\s+(?:اليوم|الليلة|قبل|لليوم|في|فى))",
        SUICIDAL,
    ),
    # Egyptian / Levantine Arabic in Latin letters ("3" reads "e" after the look-alike mapping)
    _s(
        r"\b(?:3|e)a[yw](?:e?z|za|z) (?:a)?moo?t\b|\b(?:badi|bedi|nefsi) (?:a)?moo?t\b|\bmesh (?:3|e)a[yw](?:e?z|za) a(?:3|e)ee?sh\b|\bha?ntehe?r\b",
        SUICIDAL,
    ),
    # =============================== Hindi (hi) and Hinglish =========================================
    _s(
        r"(?:मरना|मर\s+जाना)\s+चाहत[ाी]\s+(?:हूँ|हूं|हु|हू)|काश\s+(?:मैं\s+|मै\s+)?मर\s+जा|मुझे\s+(?:बस\s+)?मरना\s+है"
        r"|आत्महत्या\s+(?:कर\s+(?:लूँ|लूं|लू|लूँगा|लूंगा|लूँगी|लूंगी|लेना)|करना\s+चाहत|करने\s+(?:का|की|के)\s+(?:सोच|मन|इरादा|प्लान|ख्याल|ख़्याल|विचार)|के\s+बारे\s+में\s+(?:[^\s]+\s+)?सोचत[ाी])"
        r"|(?:कभी|फिर)\s+(?:न|ना|नहीं)\s+(?:उठूँ|उठूं|उठू|जागूँ|जागूं|जागू)|जीना\s+नहीं\s+चाहत|जीने\s+का\s+(?:मन|दिल)\s+नहीं|नहीं\s+जीना|(?:ज़िंदगी|जिंदगी|खुद\s+को)\s+(?:ख़त्म|खत्म)\s+कर"
        r"|मेरे\s+बिना\s+(?:[^\s]+\s+)?(?:[^\s]+\s+)?(?:खुश|बेहतर|अच्छ|सुखी)|बोझ\s+नहीं\s+(?:रहूँगा|रहूंगा|रहूँगी|रहूंगी|बनूँगा|बनूंगा)",
        SUICIDAL,
        head_block=_H_HI,
    ),
    _s(
        r"\b(?:mar(?: jana| jaana|na)|marr jana) chaht[ai] (?:hu|hun|hoon|hoo)\b|\bmujhe (?:bas )?marna hai\b|\bkaash (?:mai |main )?mar jaun\b|\bmar jaunga\b(?=[^a-z]*$)"
        r"|\b(?:suicide|khudkushi|khudkhushi|aatmahatya|atmahatya) (?:kar (?:lu|lun|lunga|lungi|lena|leta|leti|dunga)|karna (?:chahta|chahti|hai)|karne ka (?:man|mann|soch|plan|irada))\b"
        r"|\bjeene? ka (?:mann|man|dil) nahi\b|\b(?:jeena|jina) nahi (?:chahta|chahti|hai)\b|\bnahi jeena\b|\b(?:khud ko|zindagi) khatam kar\w*"
        r"|\bmere bina (?:sab )?(?:zyada |jyada |jada )?(?:khush|better|behtar)\b|\bbojh nahi (?:rahunga|rahungi|banunga)\b",
        SUICIDAL,
        head_block=_H_HI,
    ),
    _s(
        r"गोलि[^\s]*\s+(?:जमा|इकट्ठ)|(?:पुल|छत|बिल्डिंग|इमारत|बालकनी|खिड़की)[^.।!?]{0,40}कूद(?:ने|ूँगा|ूंगा|ूँगी|ूंगी|\s+जा)|(?:रेल\s+की\s+)?पटरी\s+पर\s+(?:जा|लेट|कूद)|(?:फाँसी|फांसी|फंदा)\s+(?:लगा|लगाने|लगाकर)|सुसाइड\s+नोट"
        r"|\b(?:pul|chhat|chat|building|bridge|terrace)\b[^.!?]{0,40}\bkood(?:ne|unga|ungi| jaunga| jaungi)\b|\b(?:fansi|phansi|faasi) (?:laga|lagane|lagakar)\w*|\btrain ke (?:aage|samne) (?:kood|aa ja)\w*",
        PLAN,
        head_block=_H_HI,
    ),
    _s(
        r"(?:दवा|दवाई|गोलि|गोली)[^.।,]{0,15}(?:पूरा|पूरी|सारी|सब)[^.।,]{0,8}(?:खा|निगल)\s+(?:ली|लिया|लिये|लूँगा|लूँगी|लूंगा|लूंगी|गया|गई)|(?:सारी|सब|पूरा|पूरी|बहुत\s+सारी)\s+(?:[^\s]+\s+){0,3}?(?:गोलि[^\s]*|दवा[^\s]*|पत्ता)\s+(?:एक\s+साथ\s+)?(?:खा|निगल)"
        r"|\b(?:bahut|bohot|bhot|saari|sari|puri|poori|sab) (?:saari |sari )?(?:pills|goliyan|goliya|goli|dawai|dawaiyan|tablets|neend ki goliyan) (?:kha|le|nigal) (?:li|liya|lee|lunga|lungi)\b",
        OVERDOSE,
        head_block=_H_HI,
    ),
    _s(
        r"ब्लेड\s+(?:चला|मार|से\s+काट)|खुद\s+को\s+(?:[^\s]+\s+){0,2}(?:जला|काट|चोट|नुकसान)"
        r"|\bkhud ko (?:\w+ ){0,2}?(?:kaat|kat|jala|hurt|nuksan|nuksaan|chot)\w*",
        SELF_HARM,
        head_block=_H_HI,
    ),
    _s(
        r"अलविदा\s+सब|(?:आख़िरी|आखिरी)\s+(?:मैसेज|संदेश|चिट्ठ|ख़त|खत)|रस्सी\s+ले\s+आया|\b(?:mai|main) nahi rahunga\b|\b(?:mai|main) nahi rahungi\b|\bbye sabko\b|\bsab khatam karna hai\b|नहीं\s+रहूँगा",
        INDIRECT,
        WEAK,
    ),
    # =============================== Spanish (widened) ===============================================
    _s(
        r"\b(?:hoy|esta noche|manana|ya|yo|mejor|ahora|ahorita|luego) me mato\b",
        SUICIDAL,
        tail_block=r"^ (?:(?:de|a|con|por|en|para|si|estudiando|trabajando) |\w+(?:ando|iendo)\b)",
    ),
    _s(
        r"\b(?:estarian|estaria|estarias|vivirian|seria) (?:todos |todo )?mejor sin mi\b|\b(?:dejo|dejare|voy a dejar) de ser (?:una )?carga\b"
        r"|\b(?:pienso|pensando|pense) en (?:matarme|quitarme la vida|suicidarme|morirme)\b",
        SUICIDAL,
    ),
    _s(
        r"\b(?:guardando|juntando|acumulando|ahorrando|guarde|junte) (?:\w+ )?(?:pastillas|pildoras|medicamentos|somniferos)\b",
        PLAN,
    ),
    _s(
        r"\bme las (?:tomo|voy a tomar|tomare|trague) todas\b|\btomarme (?:todas|todos) (?:las|los|mis)\b|\b(?:me )?(?:tome|trague) (?:como |unas |mas de )?(?:[0-9]{2,}|veinte|treinta|cuarenta|cincuenta|cien) (?:\w+ )?(?:pastillas|pildoras|capsulas|comprimidos)\b",
        OVERDOSE,
    ),
    _s(
        r"\bme (?:volvi|vuelvo) a cortar\b|\bme corte (?:de nuevo|otra vez|los brazos|las munecas|a proposito)\b|\bme (?:quemo|queme) con (?:el |un )?(?:mechero|encendedor|cigarro|cigarrillos?|cigarros)\b",
        SELF_HARM,
    ),
    _s(
        r"\bya no doy mas\b|\birme (?:pa|para) siempre\b|\bme quiero ir (?:pa|para) siempre\b|\bsoy una carga\b",
        INDIRECT,
        WEAK,
    ),
    # =============================== French (widened) ================================================
    _s(
        r"\bj?(?:e )?veux (?:juste |vraiment )?crever\b|\benvie de crever\b|\b(?:ne )?(?:serai|serais) plus (?:un poids|une charge|un fardeau)\b",
        SUICIDAL,
        tail_block=r"^ de (?:faim|chaud|froid|rire)",
    ),
    _s(
        r"\b(?:garde|stocke|accumule|mets de cote|collectionne) (?:\w+ )?(?:mes |des )?(?:medocs|medicaments|cachets|comprimes|pilules|somniferes)\b"
        r"|\b(?:pont|toit|balcon|fenetre|immeuble|falaise|rails)\b[^.!?]{0,40}\bje (?:vais|veux) sauter\b",
        PLAN,
    ),
    _s(
        r"\b(?:d ?|j ?ai |jai |je viens d ?|jviens d ?)(?:avale|avaler|pris|prendre) (?:toute (?:la|une) (?:boite|plaquette)|toutes? (?:mes|les)|trop de|une boite (?:entiere )?de) (?:de |d ?)?(?:\w+ )?(?:doliprane|dafalgan|efferalgan|xanax|lexomil|cachets|medicaments|medocs|pilules|comprimes|somniferes|anxiolytiques)\b"
        r"",
        OVERDOSE,
    ),
    _s(
        r"\bje me (?:brule|brulais) (?:avec|a) (?:des |une |la |ma )?(?:cigarettes?|clopes?|briquet)\b|\b(?:tape|frappe) la tete contre (?:le|les) murs?\b[^.!?]{0,20}\bsaigner\b",
        SELF_HARM,
    ),
    _s(
        r"\bje les (?:prends|prendrai|avale|avalerai) tous\b|\bj ?en peux plus\b|\bmon dernier message\b|\badieu a tous\b|\bje suis un poids\b",
        INDIRECT,
        WEAK,
    ),
    # =============================== German (widened) ================================================
    _s(
        r"\b(?:will|mochte|kann) (?:einfach |echt |wirklich |eigentlich )+nicht mehr (?:leben|weiterleben|aufwachen|da sein|existieren)\b"
        r"|\b(?:alle|allen|jeder|ihr|euch|meine (?:familie|eltern|freunde)|die welt|es|sie)\b[^.!?]{0,20}\bohne mich\b[^.!?]{0,20}\b(?:besser|leichter|glucklicher|einfacher)\b"
        r"|\bohne mich\b[^.!?]{0,10}\b(?:waren|ware|hatten|hatte) (?:alle|sie|es|ihr|meine familie|die welt)\b[^.!?]{0,15}\b(?:besser|leichter|glucklicher)\b|\b(?:besser|leichter|glucklicher) dran ohne mich\b"
        r"|\b(?:bin|sein|werde) (?:ich )?(?:euch |dir |niemandem |keinem )?keine last mehr\b|\bnie wieder zur last\b",
        SUICIDAL,
    ),
    _s(
        r"\babschiedsbrief\w* (?:\w+ )?(?:geschrieben|fertig)\b|\b(?:sammel|sammle|sammele|horte|gesammelt|gehortet) (?:\w+ ){0,3}(?:tabletten|pillen|medikamente|schlaftabletten)\b"
        r"|\b(?:brucke|dach|hochhaus|balkon|turm|klippe)\b[^.!?]{0,40}\b(?:spring|springe|sturz|sturze) (?:gleich|jetzt|runter|heute)\b"
        r"|\b(?:leg|lege) mich (?:\w+ ){0,3}(?:auf die (?:gleise|schienen)|vor den zug)\b",
        PLAN,
    ),
    _s(
        r"\bmich (?:\w+ ){0,2}geritzt\b|\b(?:verbrenne|verbrannte|brenne) mich (?:\w+ ){0,3}(?:feuerzeug|zigarette\w*|kippe\w*)\b|\bschlag\w* mich selbst\b",
        SELF_HARM,
    ),
    _s(
        r"\bmeine letzte nachricht\b|\btschuss an alle\b|\blebt wohl\b|\bich bin (?:nur )?eine last\b",
        INDIRECT,
        WEAK,
    ),
    # =============================== Portuguese (widened) ============================================
    _s(r"\b(?:nao vou|deixar de|deixo de|vou deixar de) (?:mais )?ser (?:mais )?(?:um )?peso\b", SUICIDAL),
    _s(
        r"\b(?:juntando|guardando|acumulando|juntei|guardei) (?:\w+ )?(?:remedios?|comprimidos|pilulas|calmantes)\b|\b(?:ponte|predio|telhado|janela|sacada|viaduto|terraco|trilhos)\b[^.!?]{0,40}\bvou (?:pular|me jogar|me atirar)\b",
        PLAN,
    ),
    _s(
        r"\b(?:tomei|tomar|engoli|engolir|tomo) (?:uma|a|um|o) (?:cartela|caixa|frasco|vidro) (?:inteira|inteiro|toda|todo|cheia)\b|\b(?:tomei|engoli) (?:uns |umas |mais de )?(?:[0-9]{2,}|vinte|trinta|quarenta|cinquenta) (?:\w+ )?(?:comprimidos|remedios|pilulas|capsulas)\b",
        OVERDOSE,
    ),
    _s(
        r"\bme cortei (?:de novo|outra vez|de proposito|nos bracos|os pulsos)\b|\bvoltei a me cortar\b|\bme (?:queimo|queimei) com (?:o |um |a )?(?:isqueiro|cigarros?)\b",
        SELF_HARM,
    ),
    _s(
        r"\bminha ultima mensagem\b|\badeus (?:a todos|gente|pessoal)\b|\bsumir de vez\b|\bsou um peso\b",
        INDIRECT,
        WEAK,
    ),
    # =============================== Italian (widened) ===============================================
    _s(
        r"\bsenza di me\b[^.!?]{0,30}\b(?:meglio|piu felici|piu sereni)\b|\b(?:meglio|piu felici)\b[^.!?]{0,20}\bsenza di me\b|\bnon saro piu un peso\b|\bsmettero di essere un peso\b"
        r"|\bmi (?:voglio|vorrei|sto per|vado a) (?:ammazzare|uccidere|suicidare|togliere la vita)\b|\bnon voglio (?:piu )?vivere\b(?! (?:qui|in|con|cosi|senza))|\bpensieri suicidi\b"
        r"|\bnon svegliarmi (?:mai )?piu\b|\bnon risvegliarmi\b",
        SUICIDAL,
    ),
    _s(
        r"\b(?:metto da parte|messo da parte|accumulo|accumulato|conservo|conservato) (?:\w+ )?(?:pastiglie|pillole|compresse|farmaci|medicine|sonniferi)\b"
        r"|\b(?:ponte|tetto|balcone|finestra|palazzo|treno|binari)\b[^.!?]{0,40}\b(?:buttarmi|mi butto|mi lancio)\b|\b(?:buttarmi|mi butto|lanciarmi|mi lancio) (?:giu )?(?:dal|dalla|da un|da una|sotto (?:il|un)) (?:\w+ )?(?:ponte|tetto|balcone|finestra|palazzo|treno|binari|metro)\b",
        PLAN,
    ),
    _s(
        r"\b(?:ho )?(?:preso|ingoiato|mandato giu) (?:tutta la|tutte le|una intera|un intero) (?:scatola |confezione |boccetta |flacone )?(?:di )?(?:\w+ )?(?:sonniferi|pillole|pastiglie|compresse|farmaci|medicine|tachipirina|xanax)\b",
        OVERDOSE,
    ),
    _s(
        r"\bmi sono (?:tagliat[oa]|ferit[oa]|bruciat[oa]) (?:di nuovo|ancora|apposta|le braccia|i polsi)\b|\bmi taglio\b(?= (?:di nuovo|ancora|le braccia|i polsi|le gambe)|[^a-z]*$)|\bmi (?:brucio|bruciavo) con (?:l ?|il |la |le |un |una )?(?:accendino|sigarett\w*)\b|\b(?:mi faccio|farmi) del male\b",
        SELF_HARM,
    ),
    _s(
        r"\bil mio ultimo messaggio\b|\baddio a tutti\b|\bnon ci saro piu\b|\ble (?:prendo|prendero) tutte\b|\blettere? d ?addio\b",
        INDIRECT,
        WEAK,
    ),
)

# --- more common wordings, all languages: tired of living, "I wish I were dead", no reason to live;
# and the weak pair "I won't be here tomorrow" + "I've decided" --------------------------------------
EXTRA_PATTERNS: tuple[dict, ...] = (
    _s(
        r"\b(?:estaría|sería) mejor (?:muerto|muerta|no estar aquí|no existir)\b|\bmejor (?:estar|estaría) (?:muerto|muerta)\b"
        r"|\b(?:quiero|quisiera|me quiero|me voy a|voy a) (?:irme|ir) de este mundo\b|\birme de este mundo\b",
        SUICIDAL,
        head_block=_H_ES,
    ),
    _s(
        r"\b(?:жить|жити) (?:больше |більше )?не (?:хочу|хочется|хочеться)\b|\b(?:устал|устала|втомився|втомилася|втомилась) (?:от )?(?:жить|жити|жизни|життя)\b"
        r"|\b(?:нет|никакого|немає|не вижу|не бачу) (?:никакого |ніякого )?смысла жить\b|\bне бачу сенсу жити\b|\bнемає сенсу жити\b|\b(?:незачем|нема для чого) жи(?:ть|ти)\b|\bжить незачем\b"
        r"|\bлучше бы (?:я умер|я умерла|меня не было)\b|\bкраще б (?:я помер|я померла|мене не було)\b|\bна грани (?:суицида|самоубийства)\b",
        SUICIDAL,
        head_block=_H_RU,
    ),
    _s(
        r"\bmam ochotę (?:się )?(?:zabić|umrzeć)\b|\bnie mam po co żyć\b|\b(?:wolałbym|wolałabym) nie żyć\b|\bzmęczon[ya] życiem\b",
        SUICIDAL,
        head_block=_H_PL,
    ),
    _s(
        r"\bgeen zin meer (?:in het leven|om te leven|in leven)\b|\b(?:ik wou|ik wilde|ik wenste) dat ik dood was\b|\bwas ik maar dood\b",
        SUICIDAL,
        head_block=_H_NL,
    ),
    _s(
        r"\b(?:önskar|hoppas) (?:att )?jag (?:var|vore) död\b|\bingen mening (?:med )?att leva\b|\btrött på att leva\b|\btrött på livet\b",
        SUICIDAL,
        head_block=_H_SV,
    ),
    _s(
        r"\bkeşke (?:ölsem|ölseydim|hiç doğmasaydım|doğmasaydım)\b|\byaşamanın (?:bir )?anlamı (?:yok|kalmadı)\b|\byaşamaktan (?:bıktım|yoruldum)\b",
        SUICIDAL,
    ),
    _s(
        r"\b(?:mending|mendingan|lebih baik) (?:aku |gue |gw |saya )?mati (?:aja|saja)\b|\b(?:mending|mendingan) (?:aku |gue |gw |saya )?mati\b(?=[^a-z]*$)",
        SUICIDAL,
        head_block=_H_ID,
    ),
    _s(
        r"死んだ(?:ほう|方)が(?:まし|マシ|いい|楽)|死ぬしかない|死(?:了|掉)算了|还不如死了|還不如死了|一了百了",
        SUICIDAL,
        head_block=_H_ZH,
    ),
    _s(
        r"生きるのが(?:辛い|つらい|しんどい)|楽になりたい|活着好累|活著好累", INDIRECT, WEAK, head_block=_H_JA
    ),
    _s(
        r"\b(?:تعبت|زهقت|مليت|طفشت)\s+(?:من\s+)?(?:ال)?(?:حياة|حياتي|العيشة|عيشتي)\b|\b(?:ياريتني|يا ريتني|ليتني|يا ريت)\s+(?:مت|اموت|أموت|ميت)\b|\bالموت\s+(?:ارحم|أرحم|احسن|أحسن)\b",
        SUICIDAL,
        head_block=_H_AR,
    ),
    _s(
        r"(?:ज़िंदगी|जिंदगी|जीने)\s+से\s+थक\s+(?:गया|गई|गयी)|(?:खुदकुशी|ख़ुदकुशी)\s+(?:कर|करना|करने)|मर\s+जाना\s+(?:ही\s+)?बेहतर"
        r"|\b(?:zindagi|jeene) se thak (?:gaya|gayi|gai)\b|\bmarne ka (?:mann|man|dil) (?:hai|karta|kar raha|kar rha)\b|\bmar jana (?:hi )?(?:behtar|better)\b",
        SUICIDAL,
        head_block=_H_HI,
    ),
    _s(
        r"\b(?:no tengo|sin) ganas de vivir\b|\b(?:harto|harta|cansado|cansada) de vivir\b|\bojala me muriera\b"
        r"|\b(?:cansado|cansada) de viver\b|\bqueria estar mort[oa]\b"
        r"|\bkeine lust mehr (?:zu leben|auf das leben|auf leben)\b|\bwunschte,? ich ware tot\b"
        r"|\bvorrei essere mort[oa]\b|\b(?:stanco|stanca) di vivere\b",
        SUICIDAL,
        head_block=r"\b(?:esta|ella|el|ele|ela|sie|er|lei|lui|mi \w+|minha \w+|meine \w+|la mia \w+)\s+(?:\w+\s+)?$",
        tail_block=r"^ (?:en|con|aqui|asi|in|mit|hier|em|com|qui|cosi|no|na|nesta|nessa|esta|esa)\b",
    ),
    _s(r"\bje me (?:coupe|scarifie) (?:les (?:bras|poignets|cuisses)|encore|a nouveau)\b", SELF_HARM),
    _s(
        r"\bik heb het besloten\b|\b(?:już )?postanowił(?:em|am)\b|\bя (?:вже )?(?:вирішив|вирішила)\b|\bkararımı verdim\b|\budah kuputuskan\b"
        r"|\b(?:انا|أنا)\s+قررت\b|\bdecide kar liya\b|\bja decidi\b|\bya lo decidi\b|\bjai decide\b|\bich habe (?:mich )?entschieden\b|\bho deciso\b"
        r"|\b(?:kupiłem|kupiłam|mam) (?:\w+ )?sznur\b|\bip aldım\b|\bbeli tali\b|\bnereye asacağımı\b|\bmau gantung di mana\b",
        INDIRECT,
        WEAK,
    ),
    _s(r"決めたから|我已经决定了|我已經決定了|明日にはもういない", INDIRECT, WEAK, head_block=_H_JA),
    # First-person statements with a time word or at the end of a sentence, missed before (a review,
    # 24 Nov): "ce soir je me tue", "stasera mi ammazzo", "dziś się zabiję", "今夜死ぬ". The end of
    # the clause is required where the words have an everyday sense too ("je me tue au travail", "mi
    # ammazzo dalle risate", "ik maak er een eind aan" with someone, "sie zabije" = "he will kill").
    _s(
        r"\bje me tue(?= *(?:[.!?,;]|$|ce soir|cette nuit|demain|maintenant))"
        r"|\b(?:ce soir|cette nuit|demain) je me tue\b"
        r"|\bmi (?:ammazzo|uccido)(?= *(?:[.!?,;]|$|stasera|stanotte|oggi|domani|adesso))"
        r"|\b(?:stasera|stanotte|oggi|domani) mi (?:ammazzo|uccido)\b"
        r"|\b(?:ik )?maak(?: ik)? er (?:vannacht |vandaag |morgen |nu )?een (?:eind|einde) aan(?= *(?:[.!?,;]|$))"
        r"|\b(?:dzis|dzisiaj|jutro|zaraz|w nocy|ja) sie zabije\b"
        r"|\b(?:aku|saya|gue|gw) (?:akan |mau |ingin |pengen )?(?:malam ini |hari ini |besok )?bunuh diri\b"
        r"|\bta mitt (?:eget )?liv\b"
        r"|\bich nehme? (?:jetzt |heute |gleich |einfach )?(?:alle|die ganzen|meine ganzen) (?:tabletten|pillen|medikamente)(?= *(?:[.!?,;]|$|auf einmal|zusammen|jetzt|heute))"
        r"|\bvou acabar com tudo(?= *(?:[.!?,;]|$|hoje|agora|amanha|esta noite))",
        SUICIDAL,
    ),
    _s(
        r"(?:今夜|今晩|今日|明日|今から)(?:は|に)?死ぬ(?!ほど)|我(?:今晚|今天|明天|现在|現在)?(?:就|要)?去死"
        r"|(?:今晚|今天|明天)我(?:就|要)?去死",
        SUICIDAL,
    ),
    _s(
        r"खुद\s+को\s+(?:मार|ख़त्म|खत्म)\s+(?:दूँगा|दूंगा|दूँगी|दूंगी|लूँगा|लूंगा|लूँगी|लूंगी)",
        SUICIDAL,
    ),
)

# --- context cues in these languages (added to crisis.py's own) -----------------------------------
HYPERBOLE = _f(
    r"\b(?:хаха\w*|ахах\w*|хах|лол|ржу|ор|ржака|wkwk\w*|awok\w*|ptdr|hahah\w*|kwkw\w*)\b|ww(?![a-z])|[(（]笑[)）]|哈哈|ههه+|😆|😹"
)
PAST = _f(
    r"\b(?:vroeger|jaren geleden|jaar geleden|kiedyś|lat temu|rok temu|dawniej|eskiden|yıl önce|yıldır|dulu (?:aku|gue|gw|saya|pernah|sering|suka)|waktu dulu|förr|brukade|år sedan"
    r"|pehle (?:mai|main|me)|avant je|ya hace|anni fa|una volta(?! per tutte)|vor (?:\w+ )?jahren)\b"
    r"|\b(?:раньше|когда-то|в прошлом|лет назад|год назад|раніше|колись|років тому|рік тому|زمان|سابقا|من زمان)\b"
    r"|昔|以前|前は|曾经|曾經|年前|पहले\s+(?:मैं|मै)|साल\s+पहले"
)
STILL = _f(
    r"\b(?:weer|opnieuw|znowu|znów|yine|tekrar|igen|снова|опять|знову|знов|otra vez|de nuevo|encore|à nouveau|wieder|de novo|di nuovo|phir se)\b|また|又|再次|مرة ثانية|من جديد|फिर\s+से"
)
MEDIA = _f(
    r"\b(?:фильм\w*|сериал\w*|новост\w*|песн\w*|книг\w*|персонаж\w*|стать[яеи]|фільм\w*|серіал\w*|новин\w*|пісн\w*|книз\w*|гр[аіи]|игр[аеуы]"
    r"|nieuws|liedje|serie|reportaż|reportaz|piosenk\w*|wiadomości|dizi|haber\w*|şarkı\w*|oyun\w*|berita|lagu|sinetron|drakor|nyheter\w*|låten|låtar\w*"
    r"|فيلم|مسلسل|الاخبار|الأخبار|خبر|اغنية|أغنية|الاغنية|الأغنية|رواية|لعبة|pelicula|cancion|noticias|chanson|nachrichten|noticia|canzone|telegiornale|notizie)\b"
    r"|映画|ドラマ|ニュース|漫画|マンガ|アニメ|ゲーム|小説|电影|電影|新闻|新聞|小说|游戏|遊戲|电视剧|電視劇|动漫|这首歌|這首歌|फिल्म|फ़िल्म|खबर|ख़बर|गाने"
)
