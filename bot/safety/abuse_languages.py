"""Disclosures of abuse in Spanish, French, German, Portuguese and Italian: the same four reason codes
as ``bot.safety.abuse`` (someone hits the person, sexual abuse, an adult asking them for pictures,
someone threatening to share their pictures).

Rules only (no classifier), written to be narrow like the English ones: the person is the one hurt,
by someone named (a relative, a partner, a teacher, "he"/"she", "an adult", "someone"); a negation
just before or just after ("mi padre nunca me pega", "er schlägt mich nicht") drops it, and so does
play in the same sentence ("con una almohada jaja", "aux échecs"). Verbs with an everyday sense need
a named person and, where the sense is ambiguous, a telling context: "me toca" / "mi tocca" (my turn,
I have to), "ça me touche" (it moves me), "me bateu uma saudade", "me pegó la gripe".

The patterns run on ``text.fold`` output: lower case, no accents, no apostrophes ("m'a frappé" reads
"ma frappe", "j'ai été violée" reads "jai ete violee"), "ß" as "ss". The phrasings and translations
were written for this project, not by native speakers; tests/safety/test_abuse_languages.py holds
the examples they were tuned on.
"""

from __future__ import annotations

import re

from bot.safety.text import fold, sentence_around, words_before

# The same codes as bot.safety.abuse (which imports this module, so they are not imported from it).
REASON_PHYSICAL = "abuse.physical"
REASON_SEXUAL = "abuse.sexual"
REASON_GROOMING = "abuse.grooming"
REASON_SEXTORTION = "abuse.sextortion"

# Rule flags: PLAY drops a match when the sentence is about play or a game; START needs the verb to
# open its clause or follow a harmless word (no subject: "me pegan en casa", not "el sol me pega");
# SECRET drops "our secret" about a surprise, and "don't tell anyone" followed by what ("que..."); SILLY
# drops a threat to post ugly or baby pictures ("amenaza con subir mis fotos de bebé").
PLAY = 1
START = 2
SECRET = 4
SILLY = 8

# Pictures asked for a document, school or work ("fotos para el pasaporte") are not what the picture
# rules are about.
_NOT_ID = (
    r"(?! (?:para|pour|fur|per|pra|pro) (?:el |la |le |das |den |die |il |o |a |mi |mon |ma |mein |meinen |meu |minha |"
    r"un |una |une |um |uma )?(?:pasaporte|dni|carnet|documento|documentos|anuario|curriculum|cv|passeport|"
    r"passport|ausweis|pass|bewerbung|passaporto|documenti|identidade|rg|escuela|escola|ecole|scuola|schule|"
    r"colegio|trabajo|travail|lavoro|trabalho|arbeit|instituto|lycee|college|faculdade|facultad|universidad)\b)"
)

# ================================ Spanish (es) ======================================================
_FAMILY_ES = (
    r"(?:padrastro|madrastra|padre|papa|papi|madre|mama|mami|padres|papas|viejo|vieja|jefe|jefa|tio|tia|tios|"
    r"hermano|hermana|hermanos|hermanastro|hermanastra|primo|prima|abuelo|abuela|abuelos|novio|novia|pareja|"
    r"marido|esposo|esposa|ex|profe|profesor|profesora|maestro|maestra|entrenador|entrenadora|tutor|tutora|"
    r"cuidador|cuidadora|ninera|vecino|vecina|padrino|madrina|cunado|cunada|tutor legal)"
)
_WHO_ES = (
    r"(?<!\ba )(?<!\bcon )(?<!\bde )(?<!\bpara )(?:mis? "
    + _FAMILY_ES
    + r"|(?:el|la) (?:novio|novia|pareja|marido|"
    r"esposo|esposa) de mi (?:madre|mama|padre|papa|vieja|viejo)|(?:el|la) (?:profe|profesor|profesora|maestro|"
    r"maestra|entrenador|entrenadora)|el|ella|ellos|ellas|un adulto|una adulta|(?<!\bsi )alguien|un hombre|un senor|un tipo|"
    r"(?:ese|este) (?:tipo|hombre|senor|man))"
)
_ADV_ES = (
    r"(?:(?:siempre|todavia|aun|a veces|ya|otra vez|de nuevo|tambien|casi siempre|todos los dias|cada dia|"
    r"seguido|constantemente|luego|hoy|ayer|anoche) ){0,2}"
)
_BLOWS_ES = (
    r"(?:paliza|palizas|golpiza|golpizas|bofetada|bofetadas|cachetada|cachetadas|patada|patadas|punetazo|"
    r"punetazos|golpe|golpes|cachetazo|cachetazos|bofeton|bofetones|tortazo|tortazos|hostia|hostias|ostia|"
    r"ostias|guantazo|guantazos|madrazo|madrazos|chingadazo|chingadazos|cinturonazo|cinturonazos|correazo|"
    r"correazos|chanclazo|chanclazos|trompada|trompadas|nalgada|nalgadas)"
)
_HIT_ES = (
    r"(?:pega|pegan|pego|pegaron|pegaba|pegaban|ha pegado|han pegado|habia pegado|golpea|golpean|golpeo|"
    r"golpearon|golpeaba|golpeaban|ha golpeado|han golpeado|maltrata|maltratan|maltrato|maltrataron|maltrataba|"
    r"maltrataban|ha maltratado|han maltratado|ahorca|ahorcan|ahorco|ahorcaba|estrangula|estrangulo|estrangulaba|"
    r"patea|patean|pateo|pateaba|cachetea|cacheteo|cacheteaba|abofetea|abofeteo|zurra|zurro|"
    r"(?:sigue|siguen|esta|estan|estaba) (?:pegando|golpeando|maltratando|ahorcando|pateando)|"
    r"(?:quema|quemo|quemaba) con|"
    r"(?:da|dan|daba|daban|dio|dieron|ha dado|han dado) (?:una |un |unas |unos )?"
    + _BLOWS_ES
    + r"(?! de (?:calor|suerte|estado|efecto))"
    r")"
)
# "me pegó la gripe", "me pegó un susto", "me golpeó la realidad": a thing given, not a blow
_NOT_BLOW_ES = (
    r"(?! (?:un|una|unos|unas|el|la|los|las|lo|su|sus|tu|tus|esa|ese|esta|este|esos|esas|estos|estas)\b"
    r"(?! (?:"
    + _BLOWS_ES[3:-1]
    + r"|vez|veces|cara|espalda|cabeza|panza|barriga|estomago|pierna|piernas|brazo|"
    r"brazos|boca|nariz|ninos|ninas|chicos|chicas|companeros|companeras|mayores|demas|otros|otras)\b))"
)
_TOUCH_CTX_ES = (
    r"(?:(?:por|en|de|durante) (?:las noches|la noche|noche)|cuando (?:duermo|estoy dormida|estoy dormido|"
    r"estamos solos|no hay nadie|mi (?:mama|madre) no esta)|mientras duermo|ahi|alli|abajo|"
    r"(?:las |mis |sus )?partes(?: intimas)?|(?:los |las |mis )?(?:pechos|senos|tetas|nalgas|genitales|pompas)|"
    r"(?:el |mi |la )?(?:culo|trasero|cola|pito|pene|vagina|entrepierna)|entre (?:las|mis) piernas|"
    r"(?:las|mis) piernas|(?:los|mis) muslos|"
    r"(?:por )?debajo de (?:la|mi) (?:ropa|falda|camiseta|pijama|blusa)|sin (?:mi )?permiso|de (?:forma|manera) rara|"
    r"raro|donde no (?:debe|deberia)|y me (?:dijo|dice)|en lugares)\b"
)
_BODY_ES = (
    r"(?:(?:las |mis )?partes intimas|(?:los |mis )?(?:pechos|senos|tetas|nalgas|genitales)|entre las piernas|"
    r"(?:por )?debajo de (?:la|mi) (?:ropa|falda|pijama)|mientras (?:dormia|duermo))\b"
)
_PICS_ES = (
    r"(?:(?:mas |unas |una |un |el |mis )?(?:fotos?|videos?|nudes|packs?))(?: (?:mias|desnuda|desnudo|sin ropa|"
    r"intimas|hot|sexys?|en ropa interior))?(?! de (?:(?:mi|su|tu|sus|mis|tus) (?!cuerpo\b)|(?:la|el|los|las|un|una|"
    r"este|esta|ese|esa) ))(?! del )\b"
)
_PICS_ME_ES = (
    r"(?:nudes|packs?|el pack|(?:mas |unas )?(?:fotos?|videos?) (?:mias|mios|de mi(?! \w)|desnuda|desnudo|sin ropa|"
    r"intimas|intimos|en ropa interior|hot|sexys?))\b"
)
_SOMEONE_ES = (
    r"(?:un adulto|una adulta|un senor|un hombre|un tipo|un viejo|un chico mayor|un desconocido|una persona|"
    r"alguien|un man|un chavo|un wey|(?:este|ese) (?:tipo|senor|hombre|man|chavo))(?: de \d+(?: anos)?)?"
    r"(?: que (?:conoci|conozco|hable|me hablo|me escribe|me habla|me agrego|me sigue))?"
    r"(?: (?:en|por|de) (?:internet|linea|instagram|insta|tiktok|snapchat|snap|discord|whatsapp|roblox|fortnite|"
    r"facebook|telegram|twitch|minecraft|free fire|un juego|el juego|una app))?"
)
_SHARE_ES = (
    r"(?:publicar|subir|pasar|mandar|enviar|compartir|difundir|ensenar|mostrar|filtrar|divulgar|"
    r"publicar|colgar)(?:le|les)?(?: (?:a|en) (?:todos|todo el mundo|internet|redes|mis \w+))?"
)
_SHARE_THEM_ES = (
    r"(?:(?:publicar|subir|pasar|mandar|enviar|compartir|difundir|ensenar|mostrar|filtrar|divulgar|colgar)"
    r"(?:las|los|selas|selos))"
)
_RULES_ES: list[tuple[str, str, int]] = [
    (REASON_PHYSICAL, rf"\b{_WHO_ES} {_ADV_ES}me {_ADV_ES}{_HIT_ES}\b{_NOT_BLOW_ES}", PLAY),
    (
        REASON_PHYSICAL,
        r"(?<!\bse )\bme " + _ADV_ES + r"(?:pegan|pegaron|pegaban|han pegado|golpean|golpearon|golpeaban|"
        r"han golpeado|maltratan|maltrataron|maltrataban|han maltratado)\b" + _NOT_BLOW_ES,
        PLAY | START,
    ),
    (
        REASON_PHYSICAL,
        r"(?<!\bse )\bme " + _ADV_ES + r"(?:pega|pegaba|golpea|golpeaba|maltrata|maltrataba|ahorca|ahorcaba|"
        r"estrangula|patea|pateaba) (?:muy fuerte |fuerte |mucho )?(?:cuando|cada vez|todos los dias|"
        r"todo el tiempo|en casa|con (?:el|la|su|un|una) (?:cinturon|correa|chancla|chancleta|mano|palo|cable|"
        r"zapato|puno|cuchara|regla|manguera|sarten|vara))\b",
        PLAY | START,
    ),
    (
        REASON_PHYSICAL,
        r"\b(?:sufro|sufri|sufria|vivo|he sufrido) (?:maltrato|violencia) (?:en casa|fisico|fisica|domestica|"
        r"familiar|de (?:mi|mis) \w+)|\bsoy victima de (?:maltrato|violencia domestica)\b",
        0,
    ),
    (
        REASON_SEXUAL,
        rf"\b{_WHO_ES} {_ADV_ES}me {_ADV_ES}(?:toca|tocan|toco|tocaba|tocaban|ha tocado|han tocado) {_ADV_ES}{_TOUCH_CTX_ES}",
        0,
    ),
    (REASON_SEXUAL, rf"(?<!\bse )\bme (?:toco|tocaba|ha tocado|toca) {_BODY_ES}", 0),
    (
        REASON_SEXUAL,
        r"\bme "
        + _ADV_ES
        + r"(?:violo|violaron|ha violado|han violado|violaba|violaban|abuso|abusaron|abusaba|"
        r"abusaban|ha abusado|han abusado)\b(?! (?:de|la|el|los|las|su|sus)\b)(?! mis? (?!"
        + _FAMILY_ES
        + r"\b))"
        r"|\bme "
        + _ADV_ES
        + r"(?:manosea|manoseo|manoseaba|manosean|manosearon|toquetea|toqueteo|toqueteaba|"
        r"mete mano|metio mano|metia mano|ha metido mano)\b",
        0,
    ),
    (
        REASON_SEXUAL,
        r"\b(?:abusa|abuso|abusaba|abusaron|abusan|ha abusado|han abusado) (?:sexualmente )?de mi"
        r"(?=\s*(?:[.,;:!?\n]|$| (?:cuando|desde|durante|mientras|hace|en|muchas|varias|otra|toda|todo|y|pero|"
        r"por|de|sexualmente)\b))",
        0,
    ),
    (
        REASON_SEXUAL,
        r"\b(?:fui|he sido|soy|era|estoy siendo) (?:violada|violado|abusada|abusado|abusada sexualmente|"
        r"abusado sexualmente|manoseada|manoseado|agredida sexualmente|agredido sexualmente|victima de (?:abuso "
        r"sexual|abusos sexuales|violacion|una violacion|agresion sexual|incesto))\b(?! (?:verbalmente|"
        r"psicologicamente|laboralmente)\b)"
        r"|\b(?:sufri|sufro|sufria|he sufrido) (?:abuso sexual|abusos sexuales|una violacion|violacion|"
        r"tocamientos|agresion sexual|agresiones sexuales)\b",
        0,
    ),
    (
        REASON_SEXUAL,
        r"\bme (?:obliga|obligo|obligaba|obligan|obligaron|fuerza|forzo|forzaba|hace|hizo|hacia) (?:a )?"
        r"(?:tocarle|tocarlo|tocarla|tocar su|tocar sus|chuparsela|chuparle|chuparla|ver porno|ver videos porno|"
        r"hacer cosas sexuales|tener sexo|acostarme con)\b",
        0,
    ),
    (
        REASON_SEXUAL,
        r"\bme (?:dijo|dijeron|dice|dicen|ha dicho|decia|pidio|pide|hizo prometer|hizo jurar) que no (?:se lo |lo |le |les )?"
        r"(?:cuente|contara|contase|diga|dijera|dijese|contar|decir)(?: nada)? (?:a nadie|a (?:mi|mis) (?:mama|"
        r"madre|papa|padre|padres|familia))\b"
        r"|\b(?:es|era|sera|seria) nuestro (?:pequeno |peque )?secreto(?:ito)?\b|\bnuestro secretito\b",
        SECRET,
    ),
    (
        REASON_GROOMING,
        r"\b"
        + _SOMEONE_ES
        + r" (?:(?:siempre|todavia|ya|otra vez) )?(?:me (?:pide|pidio|pedia|esta pidiendo|anda "
        r"pidiendo|sigue pidiendo|insiste (?:en )?que le (?:mande|envie|pase))|(?:sigue|no para de|no deja de) "
        r"pidiendome|(?:quiere|queria) que le (?:mande|envie|pase)) "
        + _PICS_ES
        + _NOT_ID
        + r"|\b"
        + _SOMEONE_ES
        + r" (?:quiere|queria|pide|pidio|sigue pidiendo) "
        + _PICS_ME_ES
        + _NOT_ID,
        0,
    ),
    (
        REASON_SEXTORTION,
        r"\bamenaz\w* (?:con |de )?(?:que (?:va|van) a )?"
        + _SHARE_ES
        + r" (?:\w+ ){0,2}?mis (?:fotos|videos|nudes|"
        r"packs?|imagenes)\b"
        r"|\b(?:fotos|videos|nudes|packs?)\b[^.!?]{0,60}\bamenaz\w* con " + _SHARE_THEM_ES + r"\b"
        r"|\bsi no (?:le |les )?(?:pago|mando|envio|paso|doy|deposito|hago)\b[^.!?]{0,60}\b(?:va|van|iba|iban) a "
        + _SHARE_THEM_ES
        + r"\b"
        r"|\b(?:va|van|iba|iban) a "
        + _SHARE_THEM_ES
        + r"\b[^.!?]{0,40}\bsi no (?:le |les )?(?:pago|mando|envio|"
        r"paso|doy|deposito|hago)\b"
        r"|\b(?:va|van|iba|iban) a "
        + _SHARE_ES
        + r" (?:\w+ ){0,2}?mis (?:nudes|packs?|fotos (?:intimas|desnuda|"
        r"desnudo|sin ropa)|videos intimos)\b"
        r"|\b"
        + _SHARE_ES
        + r" (?:\w+ ){0,2}?mis (?:fotos|videos|nudes|packs?|imagenes)\b[^.!?]{0,40}\bsi no "
        r"(?:le |les )?(?:pago|mando|envio|paso|doy|deposito|hago)\b"
        r"|\bme (?:chantajea|chantajean|chantajeo|chantajeaba|chantajearon|(?:esta|estan) (?:chantajeando|extorsionando)|"
        r"extorsiona|extorsionan|extorsiono|extorsionaron) con (?:mis |unas |las )?"
        r"(?:fotos|videos|nudes|packs?)\b",
        SILLY,
    ),
]

# ================================ French (fr) =======================================================
_WHO_FR = (
    r"(?:(?:mon|ma|mes) (?:beau pere|belle mere|pere|papa|mere|maman|parents|oncle|tonton|tante|tata|frere|"
    r"soeur|demi frere|demi soeur|cousin|cousine|grand pere|grand mere|papi|papy|mamie|copain|copine|mec|"
    r"petit ami|petite amie|petit copain|petite copine|ex|mari|femme|conjoint|prof|professeur|professeure|maitre|"
    r"maitresse|entraineur|entraineuse|coach|educateur|educatrice|moniteur|monitrice|beau frere|voisin|voisine|"
    r"baby sitter|babysitter|nounou|tuteur|tutrice|parrain|marraine)|le (?:copain|mec|compagnon) de ma (?:mere|mere)|"
    r"la (?:copine|compagne) de mon pere|(?:le|la) (?:prof|professeur|professeure|coach|moniteur|monitrice)|"
    r"lentraineur|lentraineuse|il|elle|ils|elles|on|un adulte|un homme|un monsieur|(?<!\bsi )quelquun|un mec|"
    r"un type|(?:ce|cet) (?:mec|type|monsieur|gars|homme|adulte))"
)
_ADV_FR = (
    r"(?:(?:encore|souvent|toujours|parfois|deja|tout le temps|tous les jours|meme|aussi|violemment) ){0,2}"
)
_HIT_FR = (
    r"(?:me (?:frappe|frappent|frappait|frappaient|bat|battent|battait|battaient|tape|tapent|tapait|tapaient|"
    r"cogne|cognent|cognait|gifle|giflent|giflait|tabasse|tabassent|tabassait|maltraite|maltraitent|maltraitait|"
    r"brule avec|brulent avec|brulait avec|met des (?:claques|gifles|coups|baffes|tartes|beignes)|donne des "
    r"(?:coups|claques|gifles|baffes))|m ?(?:etrangle|etranglent|etranglait)|"
    r"(?:ma|mont|m a|m ont|mavait|mavaient) "
    + _ADV_FR
    + r"(?:frappee?|battue?|tapee?|cognee?|etranglee?|giflee?|"
    r"tabassee?|maltraitee?|brulee? avec|mis (?:une|des) (?:claques?|gifles?|baffes?|tartes?|beignes?|raclees?|"
    r"coups?)|donne (?:un|des) (?:coups?|claques?|gifles?|baffes?)))"
)
_TOUCH_CTX_FR = (
    r"(?:la nuit|le soir|quand (?:je dors|je dormais|jetais seule?|on est seuls?|on etait seuls?)|pendant que je "
    r"(?:dors|dormais)|partout|"
    r"la(?= *(?:[.,!?]|$| ou\b| en bas\b| bas\b))|en bas|(?:les |mes )?(?:seins|fesses|parties intimes|parties)|"
    r"(?:la |ma )poitrine|(?:le |mon )sexe|entre (?:les|mes) jambes|sous (?:mes|ma|mon) (?:vetements|culotte|jupe|"
    r"tee shirt|t shirt|pyjama|slip)|sans (?:mon|ma) (?:accord|permission|consentement)|de (?:maniere|facon) "
    r"bizarre|bizarrement|dans mon lit|et (?:il|elle) (?:ma|me) dit)\b"
)
_SHARE_FR = (
    r"(?:publier|poster|partager|envoyer|diffuser|montrer|balancer|leak|leaker|mettre en ligne|faire tourner)"
)
_PICS_FR = (
    r"(?:des |mes |une |plus de |dautres |encore des )?(?:photos?|nudes?|videos?)(?: (?:de moi|nue?s?|sans "
    r"vetements|intimes|sexy|hot|de mon corps|en sous vetements|en maillot|cochonnes))*"
    r"(?! de (?:mon|ma|mes|ton|ta|tes|son|sa|ses|la|le|les|un|une|leur) (?!corps\b))(?! du |dun |dune |des )\b"
)
_PICS_ME_FR = (
    r"(?:des |mes |plus de |dautres )?(?:nudes?|(?:photos?|videos?) (?:de moi|nue?s?|sans vetements|intimes|sexy|"
    r"hot|de mon corps|en sous vetements|cochonnes))\b"
)
_RULES_FR: list[tuple[str, str, int]] = [
    (
        REASON_PHYSICAL,
        rf"\b{_WHO_FR} {_ADV_FR}{_HIT_FR}\b(?! (?:sur les nerfs|sur le systeme|la honte|"
        r"dans loeil|dans l oeil|la discute|la causette|froid|sur lepaule|sur l epaule|dans le dos|que|quil|quelle)\b)",
        PLAY,
    ),
    (
        REASON_PHYSICAL,
        r"\bje me fais (?:encore |souvent |tout le temps |toujours )?(?:frapper|battre|taper|tabasser|cogner|gifler|"
        r"maltraiter|etrangler)\b(?! sur les doigts)"
        r"|\b(?:jai ete|je suis|jetais) (?:encore |souvent )?(?:frappee?|battue?|maltraitee?|tabassee?) "
        r"(?:par (?:mon|ma|mes)|a la maison|chez moi)\b",
        PLAY,
    ),
    (
        REASON_SEXUAL,
        rf"\b{_WHO_FR} {_ADV_FR}(?:me (?:touche|touchent|touchait|caresse|caressait)|(?:ma|mont|m a) "
        rf"{_ADV_FR}(?:touchee?|caressee?)) {_TOUCH_CTX_FR}",
        0,
    ),
    (
        REASON_SEXUAL,
        r"\b(?:me|ma|mont|m a) " + _ADV_FR + r"(?:tripote|tripotee?|pelote|pelotee?|violee?|viole|agressee? "
        r"sexuellement|fait des attouchements|fait subir des attouchements)\b"
        r"|\b(?:abuse|abusait|a abuse|ont abuse|avait abuse) (?:sexuellement )?de moi\b"
        r"|\b(?:jai ete|je suis|jai|j ai ete) (?:violee?|abusee? sexuellement|agressee? sexuellement|victime "
        r"(?:dun viol|dagression sexuelle|dattouchements|dinceste|dabus sexuels?)|subi (?:un viol|des viols|des "
        r"attouchements|une agression sexuelle|des abus sexuels))\b"
        r"|\bje me suis fait(?:e)? (?:violer|agresser sexuellement|abuser|tripoter|peloter)\b",
        0,
    ),
    (
        REASON_SEXUAL,
        r"\b(?:me|ma|mont) (?:force|forcee|oblige|obligee|forcent|obligent) a (?:le |la |les |lui )?(?:toucher|sucer|"
        r"caresser|me deshabiller|regarder des (?:films|videos) (?:porno|x)|coucher|faire des choses sexuelles)\b",
        0,
    ),
    (
        REASON_SEXUAL,
        r"\b(?:ma|mont|me|m a|mavait) (?:dit|demande|fait promettre|fait jurer|interdit)\b(?: de| den| que je "
        r"(?:ne )?(?:dois|devais|dois pas|devais pas|peux|pouvais))?(?: (?:ne|pas|rien|jamais|le|en|lui|l))* "
        r"(?:dire|raconter|parler)(?: (?:rien|pas|jamais))? (?:a personne|a qui que ce soit|a (?:ma|mes|mon) "
        r"(?:mere|maman|parents|pere|papa|famille))\b"
        r"|\b(?:cest|ce sera|cetait|c est) notre (?:petit )?secret\b",
        SECRET,
    ),
    (
        REASON_GROOMING,
        r"\b(?:un adulte|un homme|un monsieur|un mec|un type|un gars|un inconnu|quelquun|une personne|un vieux|"
        r"(?:ce|cet) (?:mec|type|monsieur|gars|homme|adulte))(?: de \d+ ans)?"
        r"(?: (?:rencontre|connu|que jai rencontre|que jai connu|qui me parle|avec qui je parle|qui mecrit))?"
        r"(?: (?:en ligne|sur internet|sur (?:insta|instagram|snap|snapchat|tiktok|discord|roblox|fortnite|whatsapp|"
        r"facebook|twitch|minecraft|un jeu)))?"
        r"(?: (?:narrete pas de|continue a|continue de|insiste pour))? (?:(?:me (?:demande|demandait|reclame|"
        r"reclamait|harcele pour avoir|demander)|ma demande|veut que je lui envoie) "
        + _PICS_FR
        + _NOT_ID
        + r"|(?:veut|voulait) "
        + _PICS_ME_FR
        + _NOT_ID
        + r")",
        0,
    ),
    (
        REASON_SEXTORTION,
        r"\bmenac\w* de " + _SHARE_FR + r" (?:\w+ ){0,2}?mes (?:photos|videos|nudes|images)\b"
        r"|\b(?:photos|videos|nudes?)\b[^.!?]{0,60}\bmenac\w* de les " + _SHARE_FR + r"\b"
        r"|\b(?:va|vont|allait) " + _SHARE_FR + r" (?:\w+ ){0,2}?mes (?:nudes|photos (?:nues|intimes)|videos "
        r"intimes)\b"
        r"|\b"
        + _SHARE_FR
        + r" (?:\w+ ){0,2}?mes (?:photos|videos|nudes|images)\b[^.!?]{0,40}\bsi je (?:ne )?"
        r"(?:lui )?(?:paie|paye|envoie|donne|verse|en envoie)\b"
        r"|\bme fait chanter avec (?:mes |des )?(?:photos|videos|nudes)\b",
        SILLY,
    ),
]

# ================================ German (de) =======================================================
_WHO_DE = (
    r"(?:(?:mein|meine) (?:stiefvater|stiefmutter|stiefpapa|stiefmama|vater|papa|papi|mutter|mama|mami|eltern|"
    r"onkel|tante|bruder|schwester|stiefbruder|stiefschwester|halbbruder|cousin|cousine|opa|oma|grossvater|"
    r"grossmutter|freund|exfreund|ex|mann|ehemann|partner|lehrer|lehrerin|trainer|trainerin|betreuer|betreuerin|"
    r"babysitter|nachbar|pfarrer|chef|vormund|pflegevater|pflegemutter|erzieher|erzieherin)|der freund (?:von )?"
    r"meiner (?:mutter|mama)|mamas freund|er|sie|(?<!\bwenn )(?<!\bfalls )jemand|ein mann|ein erwachsener|ein typ|dieser (?:typ|mann))"
)
_ADV_DE = (
    r"(?:(?:immer|oft|manchmal|wieder|jeden tag|standig|dauernd|auch|schon|noch|taglich|regelmassig|heute|gestern|"
    r"immer wieder|schon wieder|zuhause|zu hause|einfach|mal|als kind|jahrelang|fruher|damals|mehrmals) ){0,3}"
)
_HIT_DE = (
    r"(?:schlagen|schlugen|verprugeln|hauen|treten|misshandeln|wurgen|schlagt|schlug|verprugelt|verprugelte|wurgt|wurgte|tritt|trat|ohrfeigt|ohrfeigte|haut|haute|misshandelt|"
    r"misshandelte|pruegelt|prugelt)"
)
_SEX_DE = r"(?:begrapscht|begrapschte|betatscht|betatschte|befummelt|befummelte|missbraucht|missbrauchte|vergewaltigt|vergewaltigte)"
_HIT_PP_DE = r"(?:geschlagen|verprugelt|gewurgt|getreten|geohrfeigt|gehauen|misshandelt|verbrannt)"
_SEX_PP_DE = r"(?:(?:unsittlich|ungewollt|intim|uberall) (?:beruhrt|angefasst)|angefasst|begrapscht|betatscht|befummelt|missbraucht|vergewaltigt|sexuell missbraucht|sexuell belastigt)"
# "er schlägt mich für den Preis vor" (nominates me), "das haut mich um" (blows me away)
_NOT_PARTICLE_DE = (
    r"(?!(?: \w+){0,5} (?:um|raus|heraus)\s*(?:[.,!?]|$))(?! (?:\w+ )?(?:ubers|uber das) ohr\b)"
    r"(?! (?:(?!wenn|weil|als|dass|falls|nachdem|sobald)\w+ )?(?:in|bei|beim|im) (?:mathe|deutsch|englisch|sport|noten|schach|tennis|spiel|rennen|"
    r"wettrennen|fifa|mario kart)\b)"
    r"(?!(?: \w+){0,5}? vor\b(?! (?:allen|anderen|den|der|dem|meinen|meiner|meinem|freunden|leuten)\b))"
)
_PICS_DE = (
    r"(?:nackt(?:bilder|bildern|fotos|videos)|nudes|(?:bilder|bildern|fotos|videos)(?: von mir)?)"
    r"(?! von (?:meinem|meiner|meinen|deinem|deiner|seinem|seiner|dem|der|den|einem|einer)\b)\b"
)
_PICS_ME_DE = r"(?:nackt(?:bilder|bildern|fotos|videos)|nudes|(?:bilder|bildern|fotos|videos) von mir)\b"
_SHARE_DE = r"(?:veroffentlichen|posten|teilen|verschicken|schicken|senden|zeigen|hochladen|leaken|verbreiten|rumschicken)"
_RULES_DE: list[tuple[str, str, int]] = [
    (REASON_PHYSICAL, rf"\b{_WHO_DE} {_ADV_DE}{_HIT_DE} mich\b{_NOT_PARTICLE_DE}", PLAY),
    (REASON_PHYSICAL, rf"\b{_HIT_DE} (?:er|sie|mein \w+|meine \w+) {_ADV_DE}mich\b{_NOT_PARTICLE_DE}", PLAY),
    (REASON_PHYSICAL, rf"\bmich {_ADV_DE}{_HIT_DE} (?:mein|meine) \w+", PLAY),
    (
        REASON_PHYSICAL,
        rf"(?:(?<=\bweil )|(?<=\bwenn )|(?<=\bdass )|(?<=\bda )|(?<=\bwie )){_WHO_DE} {_ADV_DE}mich {_ADV_DE}{_HIT_DE}\b",
        PLAY,
    ),
    (REASON_PHYSICAL, rf"\b{_WHO_DE} (?:hat|haben|hatte) mich {_ADV_DE}{_HIT_PP_DE}\b", PLAY),
    (
        REASON_PHYSICAL,
        r"\bich (?:werde|wurde|wurd) "
        + _ADV_DE
        + r"(?:von (?:meinem|meiner|meinen) \w+ )?"
        + _ADV_DE
        + r"(?:geschlagen|verprugelt|misshandelt)\b|\bich bin "
        + _ADV_DE
        + r"(?:von (?:meinem|meiner|meinen) \w+ )?"
        + _ADV_DE
        + r"(?:geschlagen|verprugelt|misshandelt) worden\b",
        PLAY,
    ),
    (REASON_SEXUAL, rf"\b{_WHO_DE} {_ADV_DE}{_SEX_DE} mich\b", 0),
    (
        REASON_SEXUAL,
        rf"\b{_WHO_DE} {_ADV_DE}(?:fasst|fasste|grapscht|grapschte) mich (?:\w+ ){{0,3}}?an"
        r"(?=\s*(?:[.,!?;:]|$)| (?:und|wenn|obwohl|aber|als|wo|wie|immer|uberall|dass|weil|nachts|wahrend)\b)",
        0,
    ),
    (
        REASON_SEXUAL,
        rf"\b{_WHO_DE} {_ADV_DE}(?:beruhrt|beruhrte|fasst|fasste) mich (?:\w+ ){{0,2}}?(?:an (?:meinen|meiner|meinem|"
        r"der brust|den brusten|intimen)|unsittlich|ungewollt|gegen meinen willen|nachts|zwischen den beinen|"
        r"unter (?:meiner|meinem|der|dem) \w+|da unten|im intimbereich|an stellen|am po|am hintern|unten)\b",
        0,
    ),
    (REASON_SEXUAL, rf"\b{_WHO_DE} (?:hat|haben|hatte) mich {_ADV_DE}{_SEX_PP_DE}\b", 0),
    (
        REASON_SEXUAL,
        r"\bich (?:werde|wurde|wurd) "
        + _ADV_DE
        + r"(?:von (?:meinem|meiner|meinen) \w+ )?"
        + _ADV_DE
        + r"(?:vergewaltigt|missbraucht|sexuell missbraucht|sexuell belastigt|begrapscht|betatscht)\b"
        r"|\bich bin "
        + _ADV_DE
        + r"(?:von (?:meinem|meiner|meinen) \w+ )?"
        + _ADV_DE
        + _SEX_PP_DE
        + r" worden\b",
        0,
    ),
    (
        REASON_SEXUAL,
        r"\b(?:zwingt|zwang|hat) mich,? (?:\w+ )?(?:dazu,? )?(?:ihn|sie) (?:anzufassen|zu beruhren|zu befriedigen)\b"
        r"|\b(?:zwingt|zwang) mich,? (?:pornos|sexvideos) (?:zu )?(?:schauen|gucken|anzuschauen)\b",
        0,
    ),
    (
        REASON_SEXUAL,
        r"\b(?:hat (?:mir )?gesagt|hat gemeint|sagt|sagte|meinte|meint),? (?:dass )?ich (?:darf|durfe|soll|solle|"
        r"sollte|durfte) (?:es |das |davon |ihm )?(?:niemandem|keinem|keiner seele|nicht meiner (?:mutter|mama)|"
        r"nicht meinen eltern|meiner (?:mutter|mama) nicht|meinen eltern nicht)(?: \w+)? (?:sagen|erzahlen|"
        r"verraten)\b"
        r"|\b(?:hat mir verboten|verbietet mir|verbot mir),? (?:es |das |davon )?(?:jemandem |irgendwem |meiner "
        r"(?:mutter|mama) |meinen eltern )?(?:zu )?(?:sagen|erzahlen|verraten)\b"
        r"|\b(?:das|es|dies) (?:ist|sei|bleibt) unser (?:kleines )?geheimnis\b",
        SECRET,
    ),
    (
        REASON_GROOMING,
        r"\b(?:ein (?:mann|erwachsener|typ|alterer (?:mann|typ)|fremder|kerl)|eine (?:erwachsene|frau|fremde|person)|"
        r"jemand|dieser (?:typ|mann|erwachsene))(?: (?:mit|von) \d+(?: jahren)?| \d+)?"
        r"(?: (?:aus dem internet|aus dem netz|(?:von|auf|bei|in) (?:insta|instagram|snapchat|snap|tiktok|discord|roblox|"
        r"fortnite|whatsapp|telegram)|online|im internet|den ich (?:online|im internet|auf \w+) (?:kennengelernt habe|kenne)))?"
        r" (?:(?:fragt mich (?:immer |standig |dauernd )?nach|bittet mich (?:immer )?um|schreibt mir,? ich soll"
        r"(?: ihm)?|will,? dass ich ihm) (?:dauernd |immer |standig |wieder |unbedingt )?(?:noch )?"
        + _PICS_DE
        + _NOT_ID
        + r"|(?:will|mochte|wollte|verlangt|fragt (?:immer |standig |dauernd )?nach) (?:dauernd |immer |standig "
        r"|wieder |unbedingt )?(?:noch )?" + _PICS_ME_DE + _NOT_ID + r")",
        0,
    ),
    (
        REASON_SEXTORTION,
        r"\b(?:droht|drohte|hat gedroht|erpresst mich|erpresste mich)\b(?: damit)?,? (?:\w+ ){0,3}?(?:meine|die) "
        r"(?:bilder|fotos|videos|nacktbilder|nacktfotos|nudes)(?: \w+){0,3}? (?:zu )?" + _SHARE_DE + r"\b"
        r"|\b(?:erpresst|erpresste) mich mit (?:meinen |den )?(?:bildern|fotos|nacktbildern|nacktfotos|videos|"
        r"nudes)\b"
        r"|\b(?:will|wird) meine (?:nacktbilder|nacktfotos|nudes|bilder|fotos|videos)(?: \w+){0,3}? "
        + _SHARE_DE
        + r",? wenn ich (?:nicht|ihm nicht|kein)\b",
        SILLY,
    ),
]

# ================================ Portuguese (pt) ===================================================
_WHO_PT = (
    r"(?:(?:meu|minha|meus|minhas) (?:padrasto|madrasta|pai|papai|mae|mamae|pais|tio|tia|irmao|irma|primo|prima|"
    r"avo|vo|vovo|namorado|namorada|marido|esposo|esposa|mulher|ex|professor|professora|prof|treinador|treinadora|"
    r"tecnico|vizinho|vizinha|padrinho|madrinha|cunhado|cunhada|chefe|baba|tutor|tutora)|o (?:namorado|marido) "
    r"da minha mae|a (?:namorada|mulher) do meu pai|(?:o|a) (?:professor|professora|prof|treinador|treinadora|"
    r"tecnico)|ele|ela|eles|elas|um adulto|um homem|um cara|um senhor|"
    r"(?<!\bse )alguem|um velho|(?:esse|este) (?:cara|homem|senhor))"
)
_ADV_PT = (
    r"(?:(?:sempre|ainda|as vezes|ja|de novo|outra vez|tambem|todo dia|todos os dias|toda hora|direto|hoje|ontem|"
    r"vive|fica) ){0,2}"
)
_BLOWS_PT = (
    r"(?:tapa|tapas|tapao|soco|socos|murro|murros|surra|surras|chute|chutes|porrada|porradas|bofetada|bofetadas|"
    r"chinelada|chineladas|cintada|cintadas|pancada|pancadas|tabefe|tabefes|cascudo|cascudos)"
)
_HIT_PT = (
    r"(?:bate|batem|bateu|bateram|batia|batiam|espanca|espancam|espancou|espancaram|espancava|agride|agridem|"
    r"agrediu|agrediram|agredia|esgana|esganou|enforca|enforcou|enforcava|estrangula|estrangulou|chuta|chutou|"
    r"chutava|queima com|queimou com|machuca com|(?:fica|vive|esta|ta) (?:me )?(?:batendo|espancando|agredindo)|"
    r"(?:da|dao|dava|davam|deu|deram) (?:um |uns |uma |umas )?"
    + _BLOWS_PT
    + r"(?! (?:no|de) (?:visual|xadrez|bola))"
    r")"
)
# "me bateu uma saudade", "me bateu a fome": a feeling, not a blow ("me bateu uma vez" is one)
_NOT_BLOW_PT = (
    r"(?! (?:uma|um|o|a|aquela|aquele|essa|esse|as|os|aquela)\b(?! vez\b| (?:" + _BLOWS_PT[3:-1] + r")\b))"
    r"(?! (?:palmas|papo|ponto|cartao|continencia|porta|asas)\b)"
)
_TOUCH_CTX_PT = (
    r"(?:a noite|de noite|a noite toda|(?:nas )?(?:minhas )?partes(?: intimas)?|(?:nos )?(?:meus )?seios|"
    r"(?:na )?(?:minha )?(?:bunda|vagina|perereca|intimidade)|no meu corpo|la embaixo|embaixo|por baixo|"
    r"quando (?:estou dormindo|to dormindo|durmo|ninguem|estamos sozinhos|minha mae)|enquanto (?:eu )?durmo|"
    r"sem (?:eu querer|minha permissao|permissao)|de um jeito (?:estranho|esquisito)|onde nao|entre as (?:minhas )?"
    r"pernas|e (?:me )?(?:disse|diz|fala|falou))\b"
)
_PICS_PT = (
    r"(?:(?:mais |umas |uma |as |minhas |fotos e )?(?:fotos?|nudes|videos?|packs?))(?: (?:minhas|minha|de mim|"
    r"pelada|pelado|nua|nu|sem roupa|intimas|do meu corpo))*(?! d(?:o|a|os|as|e) (?!mim\b|meu corpo\b))\b"
)
_PICS_ME_PT = (
    r"(?:nudes|packs?|(?:mais |umas |as )?(?:fotos?|videos?) (?:minhas|minha|meus|de mim|pelada|pelado|nua|nu|sem "
    r"roupa|intimas|intimos|do meu corpo))\b"
)
_SHARE_PT = r"(?:vazar|postar|publicar|espalhar|mandar|enviar|divulgar|compartilhar|mostrar|expor|jogar na net|passar)"
_RULES_PT: list[tuple[str, str, int]] = [
    (REASON_PHYSICAL, rf"\b{_WHO_PT} {_ADV_PT}me {_ADV_PT}{_HIT_PT}\b{_NOT_BLOW_PT}", PLAY),
    (
        REASON_PHYSICAL,
        r"(?<!\bse )\bme "
        + _ADV_PT
        + r"(?:batem|bateram|batiam|espancam|espancaram|espancavam|agridem|agrediram|"
        r"agrediam)\b" + _NOT_BLOW_PT,
        PLAY | START,
    ),
    (
        REASON_PHYSICAL,
        r"(?<!\bse )\bme "
        + _ADV_PT
        + r"(?:bate|batia|espanca|espancava|agride|agredia|enforca) (?:muito |forte )?"
        r"(?:quando|toda vez|todo dia|todos os dias|em casa|com (?:o|a|um|uma) (?:cinto|chinelo|mao|pau|fio|vara|"
        r"sapato|cabo|colher))\b",
        PLAY | START,
    ),
    (REASON_PHYSICAL, r"\bme (?:espanca|espancam|espancou|espancaram|espancava|espancavam)\b", PLAY | START),
    (
        REASON_PHYSICAL,
        r"\b(?:eu )?(?:apanho|apanhei|apanhava|to apanhando|estou apanhando|ando apanhando|vivo apanhando) "
        + _ADV_PT
        + r"(?:muito )?(?:(?:do|da|dos|das) (?:meu |minha |meus |minhas )?(?:padrasto|madrasta|pai|mae|"
        r"pais|tio|tia|irmao|irma|avo|namorado|namorada|marido|professor|professora)|dele|dela|deles|em casa|"
        r"de (?:cinto|chinelo|vara|fio|mangueira))\b",
        PLAY,
    ),
    (
        REASON_PHYSICAL,
        r"\bfui (?:espancada|espancado|agredida|agredido)(?: fisicamente)? (?:pel[oa]s? \w+|em casa)\b"
        r"|\b(?:sofro|sofri|sofria) (?:violencia|agressao|agressoes|maus tratos) (?:em casa|domestica|fisica|"
        r"d[oa] (?:meu|minha) \w+)\b",
        0,
    ),
    (
        REASON_SEXUAL,
        rf"\b{_WHO_PT} {_ADV_PT}me {_ADV_PT}(?:toca|tocam|tocou|tocava|tocavam|apalpa|apalpou|apalpava) {_TOUCH_CTX_PT}",
        0,
    ),
    (
        REASON_SEXUAL,
        r"\b(?:me|te) "
        + _ADV_PT
        + r"(?:estuprou|estupraram|estuprava|estupra|violentou|violentaram|violentava|"
        r"abusou|abusaram|abusava|abusa|bolina|bolinou|bolinava|encoxa|encoxou|apalpa|apalpou|apalpava)\b"
        r"(?! (?:da|do|de) (?:minha|meu)\b)"
        r"|\b(?:abusa|abusou|abusava|abusaram) (?:sexualmente )?de mim\b"
        r"|\b(?:passa|passou|passava|passam|passaram) a mao (?:em mim|nos meus seios|na minha bunda|no meu corpo|"
        r"nas minhas partes|na minha perna|por baixo)\b"
        r"|\bfui (?:estuprada|estuprado|violentada|violentado|abusada|abusado|molestada|molestado|abusada "
        r"sexualmente|abusado sexualmente)\b(?! (?:verbalmente|psicologicamente)\b)"
        r"|\b(?:sofri|sofro|sofria) (?:abuso sexual|abusos sexuais|estupro|um estupro|violencia sexual|assedio "
        r"sexual)\b",
        0,
    ),
    (
        REASON_SEXUAL,
        r"\bme (?:obriga|obrigou|obrigava|forca|forcou|forcava|faz|fez|fazia) (?:a )?(?:tocar nele|tocar nela|pegar "
        r"nele|chupar|ver porno|ver video porno|fazer coisas sexuais|transar|ficar pelad[ao])\b",
        0,
    ),
    (
        REASON_SEXUAL,
        r"\b(?:disse|falou|pediu|mandou|fez (?:eu )?prometer|diz|fala|me disse|me falou|me pediu)(?: pra| para| que)?"
        r"(?: eu)? (?:nao|n) (?:contar|falar|dizer|conto|falo|conte|fale|diga|contasse|falasse|dissesse)(?: isso| nada)?"
        r" (?:pra|para|a) (?:ninguem|minha mae|meus pais|meu pai|mamae)\b"
        r"|\b(?:e|era|sera|que e|que era) (?:o )?nosso (?:pequeno )?segred(?:o|inho)\b",
        SECRET,
    ),
    (
        REASON_GROOMING,
        r"\b(?:um (?:adulto|homem|cara|senhor|velho|coroa|desconhecido|estranho|tiozao|cara mais velho)|uma "
        r"(?:pessoa|mulher|adulta)|alguem|(?:esse|este) (?:cara|homem|senhor|velho))(?: de \d+(?: anos)?)?"
        r"(?: que (?:conheci|conheco|falo|fala comigo|me segue|me adicionou))?"
        r"(?: (?:da|na|pela) (?:internet|net)| online| (?:do|no|pelo) (?:insta|instagram|tiktok|discord|roblox|"
        r"free fire|whatsapp|zap|snap|facebook|jogo|twitter|telegram))?"
        r"(?: (?:fica|vive|sempre|continua|nao para de|insiste em))? (?:me (?:pedindo|pede|pediu|pedia|pedir)(?: pra "
        r"eu (?:mandar|enviar))? "
        + _PICS_PT
        + _NOT_ID
        + r"|(?:pedindo|pede|pediu|pedia|quer|queria) "
        + _PICS_ME_PT
        + _NOT_ID
        + r")",
        0,
    ),
    (
        REASON_SEXTORTION,
        r"\bameac\w* (?:de |a )?(?:me expor|"
        + _SHARE_PT
        + r" (?:\w+ ){0,2}?(?:minhas|meus) (?:fotos|nudes|videos|"
        r"packs?|imagens))\b"
        r"|\b(?:fotos|nudes|videos)\b[^.!?]{0,60}\bameac\w* (?:de |a )?(?:(?:vaza|posta|publica|espalha|divulga|"
        r"mostra)r? ?(?:las|los)|(?:vazar|postar|publicar|espalhar|divulgar|mostrar) (?:elas|eles))\b"
        r"|\b(?:vai|vao|ia|iam) (?:vazar|expor) (?:\w+ ){0,2}?(?:minhas|meus) (?:fotos|nudes|videos|packs?|imagens)\b"
        r"|\b(?:vai|vao|ia|iam) "
        + _SHARE_PT
        + r" (?:\w+ ){0,2}?(?:minhas|meus) (?:nudes|packs?|fotos (?:intimas|"
        r"pelada|nua|sem roupa)|videos intimos)\b"
        r"|\b"
        + _SHARE_PT
        + r" (?:\w+ ){0,2}?(?:minhas|meus) (?:fotos|videos|nudes|packs?|imagens)\b[^.!?]{0,40}"
        r"\bse eu (?:nao|n) (?:pagar|mandar|enviar|der|fizer|depositar)\b"
        r"|\bme (?:chantageia|chantageou|chantageando|extorque|extorquiu) com (?:minhas |umas |as )?(?:fotos|videos|"
        r"nudes|packs?)\b",
        SILLY,
    ),
]

# ================================ Italian (it) ======================================================
_WHO_IT = (
    r"(?:(?:il |la |i |le )?(?:mio|mia|miei|mie) (?:patrigno|matrigna|padre|papa|papi|babbo|madre|mamma|genitori|"
    r"zio|zia|fratello|sorella|fratellastro|sorellastra|cugino|cugina|nonno|nonna|ragazzo|ragazza|fidanzato|"
    r"fidanzata|marito|moglie|compagno|compagna|ex|prof|professore|professoressa|maestro|maestra|allenatore|"
    r"allenatrice|insegnante|istruttore|vicino|vicina|padrino|madrina|babysitter|tutore|capo)|il (?:ragazzo|"
    r"compagno|fidanzato) di mia (?:madre|mamma)|(?:il|la) (?:prof|professore|professoressa|maestro|maestra|mister)|"
    r"lallenatore|l allenatore|lui|lei|loro|un adulto|un uomo|un signore|(?<!\bse )qualcuno|un tizio|"
    r"un tipo|(?:questo|quel) (?:tizio|tipo|uomo|signore))"
)
_ADV_IT = (
    r"(?:(?:sempre|spesso|ancora|a volte|di nuovo|gia|anche|ogni giorno|tutti i giorni|continuamente|oggi|ieri|"
    r"quasi sempre) ){0,2}"
)
_HIT_IT = (
    r"(?:picchia|picchiano|picchiava|picchiavano|picchio|picchiarono|mena|menano|menava|menavano|strangola|"
    r"strangolava|schiaffeggia|schiaffeggiava|maltratta|maltrattano|maltrattava|prende a (?:botte|schiaffi|calci|"
    r"pugni|cinghiate)|prendeva a (?:botte|schiaffi|calci|pugni|cinghiate)|brucia con|bruciava con|"
    r"(?:da|dava|danno|davano) (?:schiaffi|botte|calci|pugni|sberle|ceffoni|cinghiate)|"
    r"(?:mette|metteva|mettono) le mani addosso|"
    r"(?:ha|hanno|aveva) "
    + _ADV_IT
    + r"(?:picchiat[oa]|menat[oa]|strangolat[oa]|schiaffeggiat[oa]|maltrattat[oa]|"
    r"pres[oa] a (?:botte|schiaffi|calci|pugni|cinghiate)|bruciat[oa] con|dato (?:uno schiaffo|un pugno|un calcio|"
    r"una sberla|un ceffone|delle botte|le botte|una cinghiata)|messo le mani addosso))"
)
_TOUCH_CTX_IT = (
    r"(?:di notte|la notte|li|la sotto|sotto|(?:nelle |le )?parti intime|(?:il |al )seno|(?:il |al |sul )sedere|"
    r"(?:il |al |sul )culo|(?:le )?tette|(?:le |sulle )?cosce|"
    r"dappertutto|ovunque|(?:tra|in mezzo al?le) (?:mie )?gambe|quando (?:dormo|siamo soli|non ce nessuno|la mamma "
    r"non ce)|mentre dormo|senza (?:il mio )?permesso|in modo strano|sotto (?:i vestiti|la maglietta|le mutande|"
    r"la gonna)|e mi (?:dice|ha detto))\b"
)
_PICS_IT = (
    r"(?:(?:delle |le |mie |altre |piu |qualche )?(?:foto|video|nudes))(?: (?:nuda|nudo|nude|mie|di me|senza "
    r"vestiti|intime|del mio corpo|hot|sexy|in intimo))*"
    r"(?! (?:del|della|dei|delle|di|al|alla) (?!me\b|mio corpo\b))\b"
)
_PICS_ME_IT = (
    r"(?:nudes|(?:delle |le |mie |altre )?(?:foto|video) (?:nuda|nudo|nude|mie|di me|senza vestiti|intime|del mio "
    r"corpo|hot|sexy|in intimo))\b"
)
_SHARE_IT = r"(?:pubblicare|postare|condividere|mandare|inviare|diffondere|mostrare|far girare|mettere online|spargere)"
_RULES_IT: list[tuple[str, str, int]] = [
    (REASON_PHYSICAL, rf"\b{_WHO_IT} {_ADV_IT}mi {_ADV_IT}{_HIT_IT}\b", PLAY),
    (
        REASON_PHYSICAL,
        r"\bmi " + _ADV_IT + r"(?:picchiano|picchiavano|menano|menavano|hanno picchiat[oa]|hanno menat[oa]|"
        r"(?:ha|hanno) messo le mani addosso|mette le mani addosso)\b",
        PLAY | START,
    ),
    (
        REASON_PHYSICAL,
        r"\bmi "
        + _ADV_IT
        + r"(?:picchia|picchiava|mena|menava|strangola) (?:forte )?(?:quando|ogni volta|tutti i "
        r"giorni|ogni giorno|a casa|con (?:la|il|una|un) (?:cintura|cinghia|mano|bastone|ciabatta|scarpa|cavo))\b",
        PLAY | START,
    ),
    (
        REASON_PHYSICAL,
        r"\b(?:vengo|venivo|sono stat[oa]|ero) " + _ADV_IT + r"(?:picchiat[oa]|menat[oa]|maltrattat[oa]) "
        r"(?:a casa|da (?:mio|mia|miei|mie|lui|lei|loro)|in casa|ogni giorno|tutti i giorni)\b",
        PLAY,
    ),
    (
        REASON_SEXUAL,
        rf"\b{_WHO_IT} {_ADV_IT}mi {_ADV_IT}(?:tocca|toccano|toccava|toccavano|ha toccat[oa]|hanno toccat[oa]) {_ADV_IT}{_TOUCH_CTX_IT}",
        0,
    ),
    (
        REASON_SEXUAL,
        r"\bmi " + _ADV_IT + r"(?:(?:ha|hanno|aveva) (?:violentata|violentato|stuprata|stuprato|molestata|"
        r"palpata|palpeggiata|molestat[oa] sessualmente|abusat[oa]|toccata nelle parti intime)|palpa|palpeggia|"
        r"palpava|palpeggiava|violenta|violentava|stupra|stuprava)\b"
        r"|\b(?:abusa|abusava|ha abusato|hanno abusato|aveva abusato|abusano) (?:sessualmente )?di me\b"
        r"|\b(?:sono|ero) stat[oa] (?:violentat[oa]|stuprat[oa]|molestat[oa]|abusat[oa]|aggredit[oa] sessualmente)\b"
        r"(?! (?:verbalmente|psicologicamente)\b)"
        r"|\bho subito (?:abusi|un abuso|abusi sessuali|violenza sessuale|uno stupro|molestie(?: sessuali)?)\b",
        0,
    ),
    (
        REASON_SEXUAL,
        r"\bmi (?:costringe|costringeva|ha costretto|obbliga|obbligava|ha obbligato|fa|faceva) (?:a )?(?:toccarlo|"
        r"toccarla|guardare (?:video|film|filmini) porno|fare cose sessuali|spogliarmi|fare sesso|andare a letto "
        r"con lui)\b",
        0,
    ),
    (
        REASON_SEXUAL,
        r"\bmi (?:ha detto|dice|diceva|ha fatto promettere|ha chiesto|ha fatto giurare) di non (?:dirlo|dire niente|"
        r"dire nulla|raccontarlo|parlarne|raccontare niente|raccontare nulla|dire) (?:a nessuno|alla mia mamma|a mia "
        r"(?:madre|mamma)|ai miei|a mio padre|ai miei genitori)\b"
        r"|\b(?:e|sara|era) (?:il )?nostro (?:piccolo )?segreto\b",
        SECRET,
    ),
    (
        REASON_GROOMING,
        r"\b(?:un (?:adulto|uomo|signore|tizio|tipo|ragazzo piu grande|vecchio|estraneo|uomo piu grande|"
        r"sconosciuto)|una (?:persona|donna|adulta)|qualcuno|(?:questo|quel) (?:tizio|tipo|uomo|signore))"
        r"(?: di \d+(?: anni)?)?"
        r"(?: (?:conosciuto|che ho conosciuto|che conosco|che mi scrive|con cui parlo))?"
        r"(?: (?:online|su internet|in rete|su (?:instagram|insta|tiktok|snapchat|snap|discord|roblox|fortnite|"
        r"whatsapp|telegram|un gioco)))?"
        r"(?: (?:continua a|insiste per avere|non smette di))? (?:(?:mi (?:chiede|chiedeva|ha chiesto|chiedere|"
        r"richiede)|(?:vuole|voleva) che gli mandi) "
        + _PICS_IT
        + _NOT_ID
        + r"|(?:vuole|voleva) "
        + _PICS_ME_IT
        + _NOT_ID
        + r")",
        0,
    ),
    (
        REASON_SEXTORTION,
        r"\bminacci\w* di " + _SHARE_IT + r" (?:\w+ ){0,2}?(?:le )?mie (?:foto|video|nudes|immagini)\b"
        r"|\b(?:foto|video|nudes)\b[^.!?]{0,60}\bminacci\w* di (?:pubblicarl[ei]|postarl[ei]|condividerl[ei]|"
        r"mandarl[ei]|diffonderl[ei]|mostrarl[ei])\b"
        r"|\b(?:vuole|va a|sta per) "
        + _SHARE_IT
        + r" (?:\w+ ){0,2}?(?:le )?mie (?:foto|video|nudes|immagini)"
        r"\b[^.!?]{0,40}\bse non (?:gli |le )?(?:pago|mando|invio|do)\b"
        r"|\bmi (?:ricatta|ricattava|ha ricattat[oa]) con (?:le mie |delle |le )?(?:foto|video|nudes)\b",
        SILLY,
    ),
]

_RULES: tuple[tuple[str, re.Pattern[str], int, str], ...] = tuple(
    (reason, re.compile(regex), flags, lang)
    for lang, rules in (
        ("es", _RULES_ES),
        ("fr", _RULES_FR),
        ("de", _RULES_DE),
        ("pt", _RULES_PT),
        ("it", _RULES_IT),
    )
    for reason, regex, flags in rules
)

# Words just before a match that negate it: "ya no me pegan", "nadie me ha tocado", "nessuno mi picchia"
_NEGATORS = frozenset(
    (
        "no nunca jamas nadie tampoco ni "  # es
        "ne pas jamais personne "  # fr
        "nicht nie niemals niemand kein keiner keine nimmer "  # de
        "nao nunca jamais ninguem nem "  # pt
        "non mai nessuno neanche nemmeno neppure"  # it
    ).split()
)
# ... and just after: "er schlägt mich nicht", "il me frappe pas" (but "pas mal": quite a lot)
_NEGATION_AFTER = re.compile(r" (?:\w+ )?(?:nicht|nie|niemals|pas(?! mal)|jamais)\b")
# Play and games in the same sentence (physical rules only)
_PLAY = re.compile(
    r"\b(?:ja(?:ja)+\w*|je(?:je)+\w*|js(?:js)+\w*|xd|lol|lmao|mdr|ptdr|ha(?:ha)+\w*|ah(?:ah)+\w*|hihi|hehe|kk+|"
    r"rs(?:rs)*|"
    # es
    r"broma|bromeando|jugando|juego|jugamos|jugabamos|almohada|almohadazo|cojin|bolas? de nieve|sin querer|"
    r"por accidente|futbol|(?:el|un|al|del) partido|balon|pelota|fifa|videojuegos?|boxeo|karate|ajedrez|"
    r"cosquillas|mario kart|basket|basquet|basketball|volley|voley|volei|pallavolo|handball|rugby|judo|taekwondo|"
    # fr
    r"pour rire|en jouant|on joue|on jouait|jeux?|oreiller|coussin|boules? de neige|sans faire expres|"
    r"par accident|foot|match|echecs|tennis|(?:a la|une|la) course|partie de|chatouilles?|bataille de polochons|"
    r"ping pong|babyfoot|baby foot|(?:jeu|partie) de cartes|monopoly|"
    # de
    r"aus spass|zum spass|nur spass|im spiel|(?:karten|brett|video|computer|handy)?spiel(?:e|en)?|gespielt|zocken|"
    r"gezockt|kissen|kissenschlacht|schneeball\w*|aus versehen|versehentlich|fussball|schach|training|boxen|"
    r"kitzel\w*|wettrennen|"
    # pt
    r"brincadeira|brincando|zoeira|zueira|zoando|travesseiro|almofada|bolas? de neve|sem querer|por acidente|"
    r"futebol|jogo|jogando|videogame|game|(?:na|uma|a) partida|xadrez|boxe|treino|cocegas|truco|baralho|"
    # it
    r"scherzo|scherzando|per gioco|giocando|gioco|cuscino|cuscinata|palle? di neve|per sbaglio|senza volerlo|"
    r"a calcio|(?:la|una|alla) partita|scacchi|videogioco|allenamento|solletico|"
    # card and board games: "mio padre mi picchia sempre a briscola" (beats me at)
    r"briscola|scopa|(?:a|alle) carte|a poker|(?:a|en) las cartas|al (?:parchis|domino|mus|poker|truco|uno)|"
    r"aux cartes|au poker|(?:no|ao) (?:poker|domino|uno))\b"
)
_SILLY = re.compile(
    r"\b(?:feas|fea|graciosas|ridiculas|de bebe|de pequen[oa]|de chiquit[oa]|de nin[oa]|moches|quand jetais "
    r"petite?|hasslichen|peinlichen|von fruher|als baby|feias|de bebezinho|de crianca|brutte|da piccol[oa]|di quando "
    r"ero piccol[oa])\b"
)
# "it's our secret" about a surprise or a present, or said to the bot ("no se lo digas a nadie, es
# nuestro secreto")
_SURPRISE = re.compile(
    r"\bno (?:se lo |lo |le )?(?:digas|cuentes)\b|\bne (?:le |leur )?(?:dis|raconte)\b|\bdis le pas\b|"
    r"\b(?:sag|sags|verrat|verrats|erzahl|erzahls)(?: es| das)? (?:niemandem|keinem)\b|\bnao (?:conta|fala|conte|fale)\b|"
    r"(?<!\bdi )\bnon (?:dirlo|dire|raccontarlo)\b|\b(?:sorpresa|surprise|uberraschung|surpresa|fiesta|party|regalo|cadeau|geschenk|presente|cumple|cumpleanos|"
    r"anniversaire|geburtstag|aniversario|compleanno|receta|recette|rezept|receita|ricetta)\b"
)
# What is not to be told follows ("no se lo digas a nadie que está embarazada"): someone else's news
_TELLS_WHAT = re.compile(r" (?:que|quil|quelle|che|dass|das sie|das er)\b")
# Words a subjectless verb may follow ("y me pegan", "en casa me pegan"; not "el sol me pega")
_OPENERS = frozenset(
    (
        "y e pero mas porque pq xq porq que cuando quando siempre sempre tambien tambem veces vezes todavia ainda ya "
        "ja casa colegio escuela escola cole instituto aqui aca ahi hoy hoje ayer ontem vez dia dias noche noite "
        "ma perche anche ancora scuola oggi ieri spesso gia poi volte"
    ).split()
)


def assess_abuse_languages(text: str) -> str | None:
    """The reason code (``abuse.physical``, ``abuse.sexual``, ``abuse.grooming``, ``abuse.sextortion``)
    when ``text`` discloses abuse of the person in Spanish, French, German, Portuguese or Italian,
    else None (English is ``bot.safety.abuse.assess_abuse``'s)."""
    found = abuse_disclosure(text)
    return found[0] if found else None


def abuse_disclosure(text: str) -> tuple[str, str] | None:
    """(reason code, language code) of the first rule that recognises a disclosure in ``text``, else
    None. The language says which language's rule it was: a short message ("mi padrastro me pega cuando
    bebe") has too few common words for ``languages.guess_language``, and its reply should still come
    in that language."""
    folded = fold(text)
    for reason, rule, flags, lang in _RULES:
        for m in rule.finditer(folded):
            before = words_before(folded, m.start(), 2)
            if _NEGATORS.intersection(before):
                continue
            if _NEGATION_AFTER.match(folded, m.end()):
                continue
            if flags & START and before and before[-1] not in _OPENERS:
                continue
            if flags & (PLAY | SECRET | SILLY):
                sentence = sentence_around(folded, m.start(), m.end())
                if flags & PLAY and _PLAY.search(sentence):
                    continue
                if flags & SECRET and (_SURPRISE.search(sentence) or _TELLS_WHAT.match(folded, m.end())):
                    continue
                if flags & SILLY and _SILLY.search(sentence):
                    continue
            return reason, lang
    return None
