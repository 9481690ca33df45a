"""Signs of grooming told by a young person, in Spanish, French, German, Portuguese and Italian: the
same three signs as the English ``bot.safety.abuse.assess_grooming_minor``.

1. Someone (he, she, "a guy", "someone I met on Roblox") asks, wants or pressures them to send
   pictures, selfies or videos ("un chico de roblox quiere que le mande fotos").
2. Someone told them not to tell their mother, father, parents, family, teachers, friends or anyone
   ("il m'a dit de pas le dire à mes parents").
3. Someone from online (a game, an app, Discord, Roblox, Instagram, TikTok...) wants or asks to meet
   them, see them, hang out or come over ("jemand aus Discord will sich mit mir treffen").

They are used only in a conversation with an age signal (the person said they are under 18): from an
adult the same words can be ordinary (dating, a partner). ``bot/safety/abuse_languages.py`` already
reads an adult asking for nude pictures (``abuse.grooming``) from anyone; these are the milder signs
that matter only from a minor.

Rules only (no classifier), written to be narrow like the English one: the asker is someone not named
as family, a teacher or a school friend ("mi mamá quiere que le mande fotos del viaje" is not a sign),
pictures of something else (a trip, a pet, food, homework, a project) are left alone, "not to tell"
needs a third person who told the writer (not the writer telling someone, nor "I don't want to tell my
mom"), a secret about a surprise or someone else's news ("que está embarazada") is left alone, a
meeting inside a game ("nos vemos en fortnite") is not a meeting, and a question about what to do if
it happened ("qué hago si alguien me pide fotos") is not a disclosure. A negation just before drops a match
("nunca me pidió fotos", "il ne m'a jamais demandé"; a negation inside the phrase breaks it).

Several askers are read too: a plural person phrase with the same qualifiers ("unos chicos de discord
me piden fotos", "des mecs sur snap", "ein paar Typen von Discord", "uns caras do insta", "dei ragazzi
su discord"), the plural verbs (piden, quieren, dijeron; demandent, veulent, m'ont dit; wollen, fragen,
haben gesagt; pedem, querem, disseram; chiedono, vogliono, hanno detto) and plural object pronouns
(les mande, leur envoyer, ihnen schicken, mandar pra eles, mandare loro). Friends count only when they
are from online ("mis amigos de discord quieren vernos", not "mis amigos del cole", nor friends from
WhatsApp or Facebook); a German bare noun needs where they are from ("Leute aus Roblox"); with several
askers a bare reflexive meeting ("quieren quedar", "veulent se voir", "wollen sich treffen", "querem se
encontrar") may be among themselves and is left alone. Not read: a bare plural pronoun as the asker
("ellos", "ils", "eles", "loro"; German "sie" was already read), a collective noun asking for
pictures ("gente de discord me pide fotos"), and a singular friend from online ("mi amigo de discord
quiere verme").

The patterns run on ``text.fold`` output: lower case, no accents, no apostrophes ("m'a dit" reads
"ma dit", "qu'on" reads "quon", "l'ho conosciuto" reads "lho conosciuto"), "ß" as "ss". The phrasings
were written for this project, not by native speakers; tests/safety/test_grooming_languages.py holds
the examples they were tuned on.
"""

from __future__ import annotations

import re

from bot.safety.text import fold, sentence_around, words_before

PICTURES = "pictures"
SECRET = "secret"
MEET = "meet"

# Apps, games and sites where young people meet strangers (shared by the five languages).
_APPS = (
    r"(?:insta|instagram|ig|tiktok|tik tok|snap|snapchat|discord|roblox|fortnite|minecraft|free fire|freefire|"
    r"whatsapp|whats|wpp|wsp|zap|zapzap|telegram|facebook|twitch|twitter|kik|omegle|among us|brawl stars|"
    r"clash royale|call of duty|valorant|genshin|xbox|playstation|ps4|ps5|steam|reddit|youtube|wattpad|kwai|"
    r"bereal|threads|yubo|wizz|likee|tellonym)"
)
# Pictures for school, work or a document are not what the rule is about
# ("fotos para el proyecto", "Fotos für die Schule").
_NOT_FOR = (
    r"(?! (?:para|pa|pour|fur|per|pra|pro) (?:el |la |le |les |das |den |die |il |lo |o |a |mi |mon |ma |"
    r"mein |meinen |meu |minha |un |una |une |um |uma )?(?:escuela|escola|ecole|scuola|schule|colegio|cole|"
    r"instituto|lycee|college|liceo|clase|classe|klasse|aula|tarea|tareas|deberes|devoirs|compiti|hausaufgaben|"
    r"licao|proyecto|projet|projekt|progetto|projeto|trabajo|travail|lavoro|trabalho|arbeit|pasaporte|passeport|"
    r"ausweis|passaporto|passaporte|documento|anuario)\b)"
)
# A meeting inside a game or a call is not a meeting ("nos vemos en fortnite", "on se voit sur le jeu")
_NOT_IN_GAME = (
    r"(?! (?:en|por|sur|dans|via|par|in|auf|im|bei|uber|no|na|pelo|pela|su|nel|sul|tramite) "
    r"(?:el |la |le |un |une |una |um |uma |o |a |der |dem |il |lo )?(?:"
    + _APPS
    + r"|linea|jeu|juego|jogo|gioco|spiel|game|partida|partie|partita|server|servidor|serveur|lobby|"
    r"llamada|videollamada|camara|stream|directo|vocal|call|facetime|appel|video|visio|cam|webcam|videocall|"
    r"voice|chat|chamada|videochamada|live|chiamata|videochiamata|ff)\b)"
)

# ================================ Spanish (es) ======================================================
_ONLINE_ES = (
    r"(?:online|en linea|(?:en|de|del|por|desde) (?:internet|la red|las redes|redes|el chat|un chat|un juego|"
    r"el juego|un server|el server|un servidor|una app|una aplicacion|" + _APPS + r"))"
)
_PERSON_ES = (
    r"(?:el|ella|alguien|un (?:tio|viejo)|una tia|(?:un|una|este|esta|ese|esa|el|la) (?:chico|chica|chavo|chava|"
    r"pibe|piba|wey|guey|man|tipo|tipa|senor|senora|hombre|mujer|muchacho|muchacha|vato|morro|morra|chaval|"
    r"chavala|chamo|chama|desconocido|desconocida|persona|joven|adulto|adulta|pana|cabro)(?: mayor| mas grande)?)"
    r"(?: (?:de \d+(?: anos)?|que (?:dice que )?tiene \d+(?: anos)?|que (?:conoci|conozco|hable|me hablo|me habla|"
    r"me escribe|me escribio|me agrego|me sigue|juega conmigo|jugaba conmigo)(?: (?:en|por) (?:el |la |un |una )?"
    r"\w+(?: \w+)?)?|" + _ONLINE_ES + r")){0,3}"
)
# Several askers: "unos chicos de discord", "unos señores que conocí en roblox", and friends only when
# they are from online ("mis amigos de discord", not "mis amigos del cole")
_QUAL_PL_ES = (
    r"(?:de \d+(?: anos)?|(?:que|q) (?:dicen que )?tienen \d+(?: anos)?|(?:que|q) (?:conoci|conozco|hable|me hablan|"
    r"me hablaron|me escriben|me escribieron|me agregaron|me siguen|juegan conmigo|jugaban conmigo)"
    r"(?: (?:en|por) (?:el |la |un |una )?\w+(?: \w+)?)?|" + _ONLINE_ES + r")"
)
_FRIENDS_ES = (
    r"(?:(?:mis|unos|unas|algunos|algunas|varios|varias|dos|tres|estos|estas|esos|esas) )?(?:amigos|amigas|"
    r"compas|amigues)(?! (?:de|del|por|en) (?:whatsapp|whats|wpp|wsp|zap|zapzap|facebook)\b)"
    r" (?:" + _ONLINE_ES + r"|que (?:conoci|hice|tengo) (?:en|por) (?:el |la |un |una )?(?:internet|linea|"
    r"juego|chat|server|servidor|app|redes|" + _APPS + r"))(?: " + _QUAL_PL_ES + r"){0,2}"
)
_PERSONS_ES = (
    r"(?:(?:(?:unos|unas)(?: cuantos| cuantas)?|varios|varias|algunos|algunas|dos|tres|estos|estas|esos|esas|"
    r"los|las) (?:chicos|chicas|chavos|chavas|pibes|pibas|weyes|gueyes|manes|tipos|tipas|senores|senoras|hombres|"
    r"mujeres|muchachos|muchachas|vatos|morros|morras|chavales|chavalas|chamos|chamas|desconocidos|desconocidas|"
    r"personas|jovenes|adultos|adultas|panas|cabros)(?: mayores| mas grandes)?|unos (?:tios|viejos|tipos raros))"
    r"(?: " + _QUAL_PL_ES + r"){0,3}|" + _FRIENDS_ES
)
_ADV_ES = (
    r"(?:(?:siempre|ya|todavia|aun|a veces|otra vez|de nuevo|tambien|ahora|hoy|ayer|anoche|mucho|tanto|"
    r"todo el tiempo|cada rato|diario|sigue|siguen|me dijo que|dice que|me dijeron que|dicen que) ){0,2}"
)
_PICS_ES = (
    r"(?:(?:unas|una|un|mas|algunas|las|mis|otra|otras|nuevas) )?(?:fotos?|fotitos?|fotografias?|selfies?|"
    r"selfis?|videos?|videitos?|pics?|nudes|packs?)\b"
    r"(?: (?:mias|mios|tuyas|de mi(?= *(?:$|[.,;:!?\"]| y | en | sin | con ))|de mi cuerpo|de mi cara|"
    r"de (?:mis|tus) (?:piernas|pies|pechos|nalgas|partes)|de cuerpo completo|sin ropa|desnud[oa]s?|"
    r"en ropa interior|en calzones|en bikini|en traje de bano|en pijama|hot|sexys?|intimas|privadas|"
    r"personales|en el espejo|frente al espejo|en el bano)){0,2}"
    r"(?! (?:de|del|sobre)\b)" + _NOT_FOR
)
_PICS_ME_ES = (
    r"(?:(?:unas|mas|algunas|las) )?(?:fotos?|videos?|selfies?) (?:mias|mios|de mi(?= *(?:$|[.,;:!?\"]| y | en "
    r"| sin | con ))|de mi cuerpo|sin ropa|desnud[oa]s?|en ropa interior|en bikini)\b"
)
_ASK_PICS_ES = (
    r"(?:me (?:pide|pidio|pedia|esta pidiendo|anda pidiendo|sigue pidiendo|vive pidiendo|piden|pidieron|pedian|"
    r"estan pidiendo|andan pidiendo|siguen pidiendo|viven pidiendo)|sigue pidiendome|siguen pidiendome|"
    r"no (?:para|deja|paran|dejan) de pedirme|anda pidiendome|andan pidiendome)"
)
_WANTS_ES = (
    r"(?:" + _ASK_PICS_ES[3:-1] + r"|quiere|queria|quisiera|me insiste|me insistio|insiste|me presiona|"
    r"me presiono|me esta presionando|me obliga|me obligo|me dijo|me dice|me escribe|me escribio|me ruega|"
    r"me suplica|me rogo|me convencio|me quiere convencer|me reta|me reto|quieren|querian|quisieran|me insisten|"
    r"me insistieron|insisten|me presionan|me presionaron|me estan presionando|me obligan|me obligaron|"
    r"me dijeron|me dicen|me escriben|me escribieron|me ruegan|me suplican|me rogaron|me convencieron|"
    r"me quieren convencer|me retan|me retaron)"
)
_SEND_ES = (
    r"(?:mande|mandara|mandase|mandes|manda|mandar|mandarle|mandarles|envie|enviara|enviase|envies|enviar|"
    r"enviarle|pase|pasara|pases|pasar|pasarle|saque|sacara|saques|sacarme|tome|tomara|tomes|tomarme|haga|"
    r"hiciera|hacerme|comparta|compartir)"
)
_TOLD_ES = (
    r"(?:me (?:dijo|dijeron|dice|decia|pidio|pide|pedia|hizo prometer|hizo jurar|advirtio|escribio|escribe|"
    r"amenazo)|dijo)"
)
_TELL_ES = (
    r"(?:dijera|dijese|diga|digas|dijeras|contara|contase|cuente|cuentes|contaras|comentara|comente|comentes|"
    r"hablara|hable|hables|diria|contaria|decir|contar|decirle|contarle|decirles|contarles|decirselo|contarselo)"
)
_TARGET_ES = (
    r"(?:(?:a|con) )?(?:nadie|ninguna persona|(?:mi|tu|su) (?:mama|mami|madre|papa|papi|padre|familia|vieja|"
    r"viejo|jefa|jefe|profe|profesora|profesor|maestra|maestro|hermana|hermano|abuela|abuelo|tia|tio|amiga|"
    r"amigo|novio|novia|psicologa|psicologo|orientadora|orientador)|(?:mis|tus|sus) (?:papas|papis|padres|"
    r"viejos|jefes|amigos|amigas|profes|profesores|maestros|maestras|hermanos|hermanas|abuelos|tios|"
    r"familiares))\b"
)
_MEET_ES = (
    r"(?:(?:que |en que |a |en )?(?:nos (?:veamos|vieramos|juntemos|juntaramos|encontremos|conozcamos|"
    r"quedemos|reunamos)|quedemos|salgamos|(?:fuera|vaya|fueramos|vayamos) a (?:su casa|verlo|verla|verlos|verlas)|"
    r"(?:lo|la|los|las) (?:vea|conozca|vaya a ver)|vaya a su casa|vaya con (?:el|ella|ellos|ellas)|verme|vernos|conocerme(?! mejor| mas| un poco)|conocernos(?! mejor| mas)|encontrarnos|juntarnos|"
    r"quedar conmigo|quedar|salir conmigo|verse conmigo|venir a (?:mi casa|verme|buscarme|recogerme)|"
    r"pasar por (?:mi casa|mi|mi escuela)|ir a su casa|recogerme|buscarme(?! en)))" + _NOT_IN_GAME
)
_MEET_VERB_ES = (
    r"(?:quiere|queria|quisiera|insiste en|me insiste en|me pide|me pidio|me pedia|me esta pidiendo|"
    r"sigue pidiendome|me dice|me dijo|me propuso|me propone|planea)"
)
_MEET_VERB_PL_ES = (
    r"(?:quieren|querian|quisieran|insisten en|me insisten en|me piden|me pidieron|me pedian|me estan pidiendo|"
    r"siguen pidiendome|me dicen|me dijeron|me propusieron|me proponen|planean)"
)
# With several askers a bare "quedar" may be among themselves
_MEET_PL_ES = r"(?!(?:que |en que |a |en )?quedar\b(?! conmigo))" + _MEET_ES
_RULES_ES: list[tuple[str, str]] = [
    (
        PICTURES,
        rf"\b(?:{_PERSON_ES}|{_PERSONS_ES}) (?:que |q )?{_ADV_ES}(?:(?P<v>{_ASK_PICS_ES}) {_PICS_ES}"
        rf"|(?P<v2>{_WANTS_ES})(?: (?:que|q|en que|para que|a|de))?(?: (?:le|les|me|se las|se los))? {_SEND_ES}"
        rf"(?: (?:le|les|me|a el|a ella|a ellos|a ellas))? {_PICS_ES}"
        rf"|(?P<v3>quiere|queria|quisiera|me pide|me pidio|quieren|querian|me piden|me pidieron)(?: ver)? "
        rf"{_PICS_ME_ES})",
    ),
    (
        SECRET,
        rf"\b(?P<v>{_TOLD_ES})(?: (?:que|q))?[\s:,\"]+(?:(?:que|q) )?(?:no|nunca|jamas) (?:se lo |le |les |lo |se |te )?{_TELL_ES}"
        r"(?: (?:nada|esto|eso|lo nuestro|de esto|de eso|de el|de ella|sobre esto|sobre el|de nosotros|"
        r"lo que hablamos|nunca|jamas))?,? "
        + _TARGET_ES
        + rf"|\b(?P<v2>me prohibio|me prohibe) (?:que )?(?:le |les )?(?:decir|contar|decirle|contarle|"
        rf"dijera|contara)(?: (?:nada|esto|eso))? {_TARGET_ES}",
    ),
    (
        MEET,
        rf"\b{_FRIENDS_ES} (?:que |q )?{_ADV_ES}(?P<v4>{_MEET_VERB_PL_ES}) {_MEET_PL_ES}"
        rf"|\b{_ONLINE_ES}\b[^.!?]{{0,80}}?\b(?P<v>{_MEET_VERB_ES}) {_MEET_ES}"
        rf"|\b{_ONLINE_ES}\b[^.!?]{{0,80}}?\b(?P<v5>{_MEET_VERB_PL_ES}) {_MEET_PL_ES}"
        rf"|\b{_ONLINE_ES}\b[^.!?]{{0,80}}?\b(?P<v2>me invit(?:o|a|aba|aron|an)) a (?:salir|su casa|verlo|verla|"
        rf"verlos|verlas|vernos|conocerlo|conocerla|conocerlos|tomar algo|un cafe)\b"
        rf"|\b(?P<v3>{_MEET_VERB_ES}) {_MEET_ES}[^.!?]{{0,60}}\b(?:conoc\w+|habl\w+|escrib\w+|agreg\w+|jug\w+)"
        rf"(?: \w+){{0,2}}? {_ONLINE_ES}\b"
        rf"|\b(?P<v6>{_MEET_VERB_PL_ES}) {_MEET_PL_ES}[^.!?]{{0,60}}\b(?:conoc\w+|habl\w+|escrib\w+|agreg\w+|"
        rf"jug\w+)(?: \w+){{0,2}}? {_ONLINE_ES}\b",
    ),
]

# ================================ French (fr) =======================================================
_ONLINE_FR = (
    r"(?:en ligne|online|(?:(?:sur|de|via|du) |d)(?:internet|le net|un jeu|le jeu|un serveur|le serveur|une appli|"
    r"lappli|un site|les reseaux|" + _APPS + r"))"
)
_PERSON_FR = (
    r"(?:il|elle|quelquun|qqn|(?:un|ce|le) (?:mec|gars|type|garcon|homme|monsieur|inconnu|keum|ado|adulte|jeune|"
    r"vieux|bonhomme|boug)|cet (?:homme|inconnu|adulte|ado)|(?:une|cette|la) (?:fille|meuf|femme|personne|"
    r"inconnue|dame|ado|adulte))"
    r"(?: (?:de \d+ ans|plus (?:age|agee|vieux|vieille|grand|grande)|(?:que jai )?(?:rencontre|rencontree|connu|"
    r"connue)(?: (?:sur|a|au|en|dans) (?:le |la |un |une )?\w+)?|qui (?:me parle|mecrit|me suit|ma ajoutee?|"
    r"joue avec moi|me follow)|avec qui je (?:parle|joue)|" + _ONLINE_FR + r")){0,3}"
)
# Several askers: "des mecs sur snap", "deux gars rencontrés sur roblox"; friends only when from online
# ("mes potes de discord", not "mes potes")
_QUAL_PL_FR = (
    r"(?:de \d+ ans|plus (?:ages|agees|vieux|vieilles|grands|grandes)|(?:que jai )?(?:rencontres|rencontrees|"
    r"connus|connues)(?: (?:sur|a|au|en|dans) (?:le |la |un |une )?\w+)?|qui (?:me parlent|mecrivent|me suivent|"
    r"m ?ont ajoutee?|jouent avec moi|me follow)|avec qui je (?:parle|joue)|" + _ONLINE_FR + r")"
)
_FRIENDS_FR = (
    r"(?:(?:mes|des|deux|trois|quelques|certains|certaines|ces) )?(?:potes|amis|amies|copains|copines|reufs)"
    r"(?! (?:de|sur|via|du) (?:whatsapp|whats|facebook)\b) (?:" + _ONLINE_FR + r"|(?:que jai )?(?:rencontres|"
    r"rencontrees|connus|connues) (?:sur|dans|en) (?:le |la |un |une )?(?:internet|ligne|jeu|serveur|appli|"
    r"reseaux|" + _APPS + r"))(?: " + _QUAL_PL_FR + r"){0,2}"
)
_PERSONS_FR = (
    r"(?:(?:des|ces|deux|trois|plusieurs|quelques|certains|certaines) (?:mecs|gars|types|garcons|hommes|"
    r"messieurs|inconnus|inconnues|keums|ados|adultes|jeunes|vieux|filles|meufs|femmes|personnes|dames|bougs)"
    r"|des gens|(?:certaines|plusieurs) personnes)(?: " + _QUAL_PL_FR + r"){0,3}|" + _FRIENDS_FR
)
_ADV_FR = r"(?:(?:encore|souvent|toujours|tout le temps|tous les jours|deja|aussi|meme|maintenant|sans arret) ){0,2}"
_PICS_FR = (
    r"(?:(?:des|mes|une|un|plus de|dautres|encore des|quelques|une autre) )?(?:photos?|tofs?|selfies?|videos?|"
    r"pics?|nudes?)\b"
    r"(?: (?:de moi|nue?s?|sans vetements|intimes|sexy|hot|de mon corps|en sous vetements|en maillot|"
    r"en pyjama|en culotte|dans le miroir|en entier|de mes (?:jambes|pieds|seins|fesses))){0,2}"
    r"(?! (?:de|du|des|dun|dune|sur)\b)" + _NOT_FOR
)
_PICS_ME_FR = (
    r"(?:(?:des|mes|plus de|dautres) )?(?:photos?|videos?|selfies?) (?:de moi|nue?s?|sans vetements|intimes|"
    r"de mon corps|en sous vetements|en maillot)\b"
)
_ASK_PICS_FR = (
    r"(?:me (?:demande|demandait|redemande|reclame|reclamait|demandent|demandaient|redemandent|reclament)|"
    r"ma (?:demande|redemande|reclame)|m ?ont (?:demande|redemande|reclame)|(?:narrete|arrete|narretent|arretent) "
    r"pas de me (?:demander|reclamer)|me harcele(?:nt)? pour(?: avoir)?|insiste(?:nt)? pour avoir)"
)
_WANTS_FR = (
    r"(?:veut|voulait|voudrait|me demande|ma demande|me demandait|me dit|ma dit|mecrit|ma ecrit|me force|ma force|"
    r"me pousse|ma pousse|me supplie|ma supplie|insiste|me harcele|me saoule|me soule|me presse|veulent|voulaient|"
    r"voudraient|me demandent|m ?ont demande|me demandaient|me disent|m ?ont dit|mecrivent|m ?ont ecrit|me forcent|"
    r"m ?ont force|me poussent|m ?ont pousse|me supplient|m ?ont supplie|insistent|me harcelent|me saoulent|me soulent|"
    r"me pressent|(?:narrete|arrete|narretent|arretent) pas de me (?:demander|dire|saouler))"
)
_SEND_FR = (
    r"(?:envoie|envoies|envoye|envoyer|passe|passer|donne|donner|fasse|faire|prenne|prendre|montre|montrer|"
    r"balance|balancer)"
)
_TOLD_FR = (
    r"(?:ma dit|m a dit|mavait dit|me dit|me disait|ma demande|me demande|ma fait promettre|me fait promettre|"
    r"ma fait jurer|ma interdit|minterdit|mavait interdit|m ?ont dit|ma ecrit|mecrit|ma bien dit|ma supplie|"
    r"ma prevenu|mavaient dit|me disent|me disaient|m ?ont demande|me demandent|m ?ont fait promettre|"
    r"me font promettre|m ?ont fait jurer|m ?ont interdit|minterdisent|mavaient interdit|m ?ont ecrit|mecrivent|"
    r"m ?ont bien dit|m ?ont supplie|m ?ont prevenu)"
)
_TARGET_FR = (
    r"(?:a |aux )?(?:personne|qui que ce soit|quiconque|adultes|profs|(?:ma|ta|mon|ton|mes|tes) (?:mere|maman|"
    r"mam|daronne|daron|darons|parents|pere|papa|famille|prof|profs|professeur|professeurs|professeure|"
    r"maitresse|potes|amis|amies|copines|copains|soeur|frere|soeurs|freres|grands parents|grand mere|"
    r"grand pere|tante|oncle|mamie|papy|reum|reup|rents))\b"
)
_MEET_FR = (
    r"(?:(?:de |a |pour )?(?:quon se (?:voie|voit|voient|rencontre|retrouve|capte|pose)|(?:me|nous) (?:voir|"
    r"rencontrer|retrouver|capter|rejoindre)|se (?:voir|rencontrer|retrouver|capter)|sortir avec moi|"
    r"sortir ensemble|(?:venir|passer) (?:chez moi|me voir|me chercher)|(?:venir |aller )?chez (?:lui|elle|eux|"
    r"elles)|que je (?:vienne|passe|aille) (?:chez (?:lui|elle|eux|elles)|le voir|la voir|les voir)|"
    r"que je (?:le|la|les) (?:voie|rencontre|"
    r"retrouve|rejoigne)|un (?:rdv|rendez vous|date)))" + _NOT_IN_GAME
)
_MEET_VERB_FR = (
    r"(?:veut|voulait|voudrait|me demande|ma demande|me propose|ma propose|minvite|ma invitee?|mavait invitee?|"
    r"insiste pour|me presse de)"
)
_MEET_VERB_PL_FR = (
    r"(?:veulent|voulaient|voudraient|me demandent|m ?ont demande|me proposent|m ?ont propose|minvitent|"
    r"m ?ont invitee?|insistent pour|me pressent de)"
)
# With several askers a bare "se voir" may be among themselves ("ils veulent se voir")
_MEET_PL_FR = r"(?!(?:de |a |pour )?se )" + _MEET_FR
_RULES_FR: list[tuple[str, str]] = [
    (
        PICTURES,
        rf"\b(?:{_PERSON_FR}|{_PERSONS_FR}) (?:qui |ils? |elles? )?{_ADV_FR}(?:(?P<v>{_ASK_PICS_FR}) {_PICS_FR}"
        rf"|(?P<v2>{_WANTS_FR}) (?:que je |de |pour que je |a )?(?:(?:lui|leur|en) )*{_SEND_FR}"
        rf"(?: (?:lui|leur|moi|en))? {_PICS_FR}"
        rf"|(?P<v3>veut|voulait|voudrait|veulent|voulaient|voudraient)(?: voir)? {_PICS_ME_FR})",
    ),
    (
        SECRET,
        rf"\b(?P<v>{_TOLD_FR})[\s:,\"]+(?:de |den |que je (?:ne )?(?:dois|devais|devrais|peux|pouvais) |"
        r"quil (?:ne )?(?:faut|fallait) )?(?:surtout |bien )?(?:ne |n)?(?:pas |rien |jamais |surtout pas |plus )?"
        r"(?:(?:le|en|lui|leur|l|y|rien) )*(?:dire|raconter|parler|dis|raconte|parle|montrer)"
        r"(?: (?:rien|pas|jamais|ca|cela|de lui|de nous|de ca|a propos de lui))*,? " + _TARGET_FR,
    ),
    (
        MEET,
        rf"\b{_FRIENDS_FR} (?:qui )?{_ADV_FR}(?P<v3>{_MEET_VERB_PL_FR}) {_MEET_PL_FR}"
        rf"|\b{_ONLINE_FR}\b[^.!?]{{0,80}}?\b(?P<v>{_MEET_VERB_FR}) {_MEET_FR}"
        rf"|\b{_ONLINE_FR}\b[^.!?]{{0,80}}?\b(?P<v4>{_MEET_VERB_PL_FR}) {_MEET_PL_FR}"
        rf"|\b(?P<v2>{_MEET_VERB_FR}) {_MEET_FR}[^.!?]{{0,60}}\b(?:rencontr\w*|connu\w*|parl\w+|discut\w+|"
        rf"jou\w+|ecri\w+)(?: \w+){{0,2}}? {_ONLINE_FR}\b"
        rf"|\b(?P<v5>{_MEET_VERB_PL_FR}) {_MEET_PL_FR}[^.!?]{{0,60}}\b(?:rencontr\w*|connu\w*|parl\w+|"
        rf"discut\w+|jou\w+|ecri\w+)(?: \w+){{0,2}}? {_ONLINE_FR}\b",
    ),
]

# ================================ German (de) =======================================================
_ONLINE_DE = (
    r"(?:online|im (?:internet|netz|chat|spiel)|(?:aus|von|auf|bei|in|uber) (?:dem |der |einem |einer |nem |ner )?"
    r"(?:internet|netz|spiel|game|chat|server|app|discord server|" + _APPS + r"))"
)
_PERSON_DE = (
    r"(?:er|sie|jemand|(?:ein|so ein|son|nen|dieser|der|irgendein|so n) (?:typ|junge|mann|kerl|fremder|"
    r"alterer (?:typ|junge|mann)|erwachsener|boy|dude|user|gamer)|(?:eine|so eine|diese|die|irgendeine) "
    r"(?:frau|fremde|person|erwachsene|userin)|(?:ein|so ein|dieses|das) madchen)"
    r"(?:,? (?:mit \d+(?: jahren)?|\d+|der (?:sagt,? er (?:ist|sei)|angeblich) \d+(?: ist)?|den ich (?:online |im "
    r"internet |auf \w+ |bei \w+ |in \w+ )?(?:kennengelernt habe|kennengelernt hab|kenne|getroffen habe)|"
    + _ONLINE_DE
    + r")){0,3},?"
)
# Several askers: "ein paar Typen von Discord", "Leute aus Roblox" (a bare noun needs where they are from);
# friends only when from online ("meine Freunde aus Discord", not "meine Freunde")
_QUAL_PL_DE = (
    r"(?:,? (?:mit \d+(?: jahren)?|\d+|die (?:sagen,? sie (?:sind|seien)|angeblich) \d+(?: sind)?|die ich (?:online |"
    r"im internet |auf \w+ |bei \w+ |in \w+ )?(?:kennengelernt habe|kennengelernt hab|kenne|getroffen habe)|"
    + _ONLINE_DE
    + r"))"
)
_PL_NOUN_DE = (
    r"(?:typen|jungs|jungen|manner|kerle|leute|fremde|fremden|erwachsene|user|gamer|boys|dudes|madchen|frauen|"
    r"personen|altere (?:typen|jungs|manner|leute))"
)
_FRIENDS_DE = (
    r"(?:(?:meine|ein paar|paar|zwei|drei|so|irgendwelche|einige) )?(?:freunde|freundinnen|kumpels)"
    r"(?! (?:aus|von|auf|bei|in|uber) (?:whatsapp|whats|facebook)\b)(?:,? "
    + _ONLINE_DE
    + r"|,? die ich (?:online|"
    r"im internet|(?:auf|bei|in|uber) (?:dem |der )?(?:internet|spiel|game|server|"
    + _APPS
    + r")) kennengelernt "
    r"(?:habe|hab))" + _QUAL_PL_DE + r"{0,2},?"
)
_PERSONS_DE = (
    r"(?:(?:(?:so )?ein paar|paar|irgendwelche|irgendwelchen|manche|einige|zwei|drei|mehrere|diese|solche) "
    + _PL_NOUN_DE
    + _QUAL_PL_DE
    + r"{0,3}|"
    + _PL_NOUN_DE
    + _QUAL_PL_DE
    + r"{1,3}|"
    + _FRIENDS_DE
    + r"),?"
)
_ADV_DE = (
    r"(?:(?:immer|standig|dauernd|schon wieder|wieder|unbedingt|jeden tag|oft|auch|jetzt|seit tagen|"
    r"die ganze zeit|total|voll) ){0,3}"
)
_ART_DE = (
    r"(?:(?:ein paar|paar|ein|eins|noch|mehr|die|meine|private|privaten|sexy|heisse|heissen|schone|schonen|"
    r"neue|neuen|so|solche|aktuelle|suss\w*|ganz) ){0,3}"
)
_PICS_DE = (
    r"(?:bilder|bildern|bild|fotos|foto|videos|video|selfies|selfie|pics|pic|nudes|nacktbilder|nacktfotos)\b"
    r"(?! (?:von|vom|aus|uber|fur|zum|zur) (?!mir\b))(?: von mir)?" + _NOT_FOR
)
_TARGET_DE = (
    r"(?:(?:meinen|meiner|meinem|deinen|deiner|deinem|den|der|dem) (?:eltern|mama|mutter|papa|vater|familie|"
    r"lehrern|lehrer|lehrerin|freunden|freundinnen|freundin|freund|schwester|bruder|geschwistern|oma|opa|"
    r"grosseltern|leuten|erwachsenen)|mama|papa|jemandem|irgendwem|irgendjemandem|erwachsenen|lehrern|eltern)"
)
_OBJ_DE = r"(?:(?:es|das|davon|was|etwas|ihm|ihr|uber ihn|von ihm|von uns|uber uns|bloss|ja|auf keinen fall|echt|wirklich) )*"
_NOT_TELL_DE = (
    rf"(?:niemandem|keinem|keinem menschen|keiner seele|(?:nicht|nichts|bloss nicht|ja nicht) {_TARGET_DE}"
    rf"|{_TARGET_DE} {_OBJ_DE}(?:nicht|nichts|bloss nicht|ja nicht|auf keinen fall))"
)
_MODAL_DE = r"(?:soll|solle|sollte|darf|durfe|durfte|muss|musse|kann)"
_TOLD_DE = (
    r"(?:hat (?:mir )?(?:gesagt|gemeint|geschrieben)|sagt|sagte|meint|meinte|schreibt|schrieb|"
    r"hat mich (?:versprechen|schworen) lassen|lasst mich (?:versprechen|schworen)|liess mich versprechen|"
    r"hat mir eingeschart|haben (?:mir )?(?:gesagt|gemeint|geschrieben)|sagten|meinten|schreiben|schrieben|"
    r"haben mich (?:versprechen|schworen) lassen|lassen mich (?:versprechen|schworen)|liessen mich versprechen|"
    r"haben mir eingeschart)"
)
_MEET_ADV_DE = (
    r"(?:(?:unbedingt|bald|mal|endlich|echt|wirklich|gerne|gern|jetzt|heute|morgen|am wochenende|nachste woche|"
    r"in echt|im echten leben|personlich|real|irl|wieder|heimlich|allein|alleine|irgendwo|im park|in der stadt|"
    r"am bahnhof|so|dann|ja|doch|auch|immer|noch|sich) ){0,4}"
)
_MEET_DE = (
    rf"(?:(?:sich |uns ){_MEET_ADV_DE}(?:mit mir )?{_MEET_ADV_DE}(?:treffen|sehen|kennenlernen)|{_MEET_ADV_DE}"
    rf"(?:mit mir|mich) {_MEET_ADV_DE}(?:treffen|sehen|besuchen|kennenlernen|abholen|daten)"
    rf"|(?:mich,? )?(?:ob|dass) wir uns {_MEET_ADV_DE}(?:treffen|sehen)"
    rf"|(?:mich,? )?(?:ob|dass) ich (?:ihn|sie) {_MEET_ADV_DE}(?:treffe|treffen|sehe|besuche|besuchen)"
    rf"|(?:mich,? )?(?:ob|dass) ich {_MEET_ADV_DE}(?:zu ihm|zu ihr|bei ihm|bei ihr)(?: nach hause)? "
    rf"(?:komme|kommen|vorbeikomme|vorbeikommen|fahre)"
    rf"|{_MEET_ADV_DE}(?:zu mir|bei mir) (?:nach hause )?(?:kommen|vorbeikommen)"
    rf"|mich {_MEET_ADV_DE}zu sich(?: nach hause)?|(?:mich )?(?:nach )?(?:einem|ein) (?:treffen|date))"
    + _NOT_IN_GAME
)
_MEET_VERB_DE = (
    r"(?:will|wollte|mochte|fragt|fragte|hat (?:mich )?gefragt|ladt|lud|hat mich eingeladen|schlagt vor|drangt|"
    r"bettelt|nervt|plant)"
)
_MEET_VERB_PL_DE = (
    r"(?:wollen|wollten|mochten|fragen|fragten|haben (?:mich )?gefragt|laden|luden|haben mich eingeladen|"
    r"schlagen vor|drangen|betteln|nerven|planen)"
)
# With several askers a bare "sich treffen" may be among themselves ("sie wollen sich treffen")
_MEET_PL_DE = (
    rf"(?!sich (?:(?!mit mir\b)\w+ ){{0,4}}(?:treffen|sehen|kennenlernen)\b)(?:{_MEET_DE}"
    rf"|(?:mich,? )?(?:ob|dass) ich {_MEET_ADV_DE}(?:zu ihnen|bei ihnen)(?: nach hause)? "
    rf"(?:komme|kommen|vorbeikomme|vorbeikommen|fahre))"
)
_RULES_DE: list[tuple[str, str]] = [
    (
        PICTURES,
        rf"\b(?:{_PERSON_DE}|{_PERSONS_DE}) (?:(?:der|die) )?(?:(?P<v>{_MEET_VERB_DE}|{_MEET_VERB_PL_DE}|bittet|bat|"
        rf"hat (?:mich )?gebeten|drangelt|bedrangt|verlangt|fordert|bitten|baten|haben (?:mich )?gebeten|drangeln|"
        rf"bedrangen|verlangen|fordern)(?: mich| mir)?,? {_ADV_DE}(?:nach|um) {_ART_DE}{_PICS_DE}"
        rf"|(?P<v2>will|wollte|mochte|verlangt|besteht darauf|drangt (?:mich )?darauf|wollen|wollten|mochten|"
        rf"verlangen|bestehen darauf|drangen (?:mich )?darauf),? dass? ich (?:ihm |ihr |denen |ihnen )?"
        rf"{_ADV_DE}{_ART_DE}{_PICS_DE} (?:schicke|schick|sende|mache|zeige|gebe|schicken soll|schicken muss)"
        rf"|(?P<v3>sagt|sagte|hat (?:mir )?gesagt|meint|meinte|schreibt|schrieb|hat (?:mir )?geschrieben|sagen|"
        rf"sagten|haben (?:mir )?gesagt|meinen|meinten|schreiben|schrieben|haben (?:mir )?geschrieben)"
        rf"(?: mir| mich)?,? (?:dass )?ich {_MODAL_DE} (?:ihm |ihr |ihnen )?{_ADV_DE}{_ART_DE}{_PICS_DE} "
        rf"(?:schicken|senden|machen|zeigen)"
        rf"|(?P<v4>fragt|fragte|hat (?:mich )?gefragt|fragen|fragten|haben (?:mich )?gefragt)(?: mich)?,? ob ich "
        rf"(?:ihm |ihr |ihnen )?{_ADV_DE}{_ART_DE}{_PICS_DE} (?:schicke|sende|mache|schicken (?:kann|will|wurde|konnte))"
        rf"|(?P<v5>drangt|drangelt|bedrangt|zwingt|uberredet|bittet|nervt|uberzeugt|drangen|drangeln|bedrangen|"
        rf"zwingen|uberreden|bitten|nerven|uberzeugen)(?: mich)?,? (?:dazu,? )?"
        rf"{_ADV_DE}(?:ihm |ihr |ihnen )?{_ART_DE}{_PICS_DE} zu (?:schicken|senden|machen|zeigen)"
        rf"|(?P<v6>will|wollte|mochte|verlangt|wollen|wollten|mochten|verlangen) {_ADV_DE}{_ART_DE}"
        rf"(?:bilder|fotos|videos|selfies|pics) von mir\b)",
    ),
    (
        SECRET,
        rf"\b(?P<v>{_TOLD_DE}),? (?:dass )?(?:ich (?:{_MODAL_DE} )?)?{_OBJ_DE}{_NOT_TELL_DE} {_OBJ_DE}(?:zu )?"
        rf"(?:sagen|erzahlen|verraten|weitersagen|weitererzahlen)(?: {_MODAL_DE})?\b"
        rf"|\b(?P<v2>hat mir verboten|verbietet mir|verbot mir),? {_OBJ_DE}{_TARGET_DE} {_OBJ_DE}(?:zu )?"
        rf"(?:sagen|erzahlen|verraten)\b"
        rf"|\b(?P<v3>{_TOLD_DE})[\s:,\"]+(?:sag|sags|erzahl|erzahls|verrat|verrats)(?: (?:es|das|davon|bloss|ja))*"
        rf" (?:niemandem|keinem|(?:deinen|deiner|deinem) \w+ (?:nichts|nicht)|(?:nichts|nicht) (?:deinen|deiner|"
        rf"deinem) \w+)\b",
    ),
    (
        MEET,
        rf"\b{_FRIENDS_DE} (?:(?:die) )?(?P<v4>{_MEET_VERB_PL_DE}) {_MEET_PL_DE}"
        rf"|\b{_ONLINE_DE}\b[^.!?]{{0,80}}?\b(?P<v>{_MEET_VERB_DE}) {_MEET_DE}"
        rf"|\b{_ONLINE_DE}\b[^.!?]{{0,80}}?\b(?P<v5>{_MEET_VERB_PL_DE}) {_MEET_PL_DE}"
        rf"|\b{_ONLINE_DE}\b[^.!?]{{0,80}}?\b(?P<v3>hat|will|wollte|haben|wollen|wollten) mich {_MEET_ADV_DE}"
        r"(?:zu sich|zu ihm|zu ihr|zu ihnen)(?: nach hause)? (?:eingeladen|einladen)\b"
        rf"|\b(?P<v2>{_MEET_VERB_DE}) {_MEET_DE}[^.!?]{{0,80}}?(?:\b(?:kenn|schreib|chatt|zock)\w*(?: \w+){{0,2}}? "
        rf"{_ONLINE_DE}\b|\b{_ONLINE_DE}(?: \w+){{0,2}}? (?:kennengelernt|geschrieben|gechattet|gezockt|gespielt)\b)"
        rf"|\b(?P<v6>{_MEET_VERB_PL_DE}) {_MEET_PL_DE}[^.!?]{{0,80}}?(?:\b(?:kenn|schreib|chatt|zock)\w*"
        rf"(?: \w+){{0,2}}? {_ONLINE_DE}\b|\b{_ONLINE_DE}(?: \w+){{0,2}}? (?:kennengelernt|geschrieben|gechattet|"
        rf"gezockt|gespielt)\b)",
    ),
]

# ================================ Portuguese (pt) ===================================================
_ONLINE_PT = (
    r"(?:online|(?:do|no|pelo|da|na|pela|de|dum|num|em) (?:internet|net|jogo|game|servidor|"
    r"server|app|aplicativo|grupo|chat|ff|" + _APPS + r"))"
)
_PERSON_PT = (
    r"(?:ele|ela|alguem|um (?:velho|tio|tiozao)|(?:um|uma|esse|essa|este|esta|aquele|aquela|o|a) (?:cara|menino|"
    r"menina|garoto|garota|moleque|homem|mulher|mano|mina|carinha|rapaz|moca|senhor|senhora|desconhecido|"
    r"desconhecida|estranho|estranha|boy|novinho|adulto|adulta|guri|guria|pessoa|jovem)(?: mais velh[oa])?)"
    r"(?: (?:de \d+(?: anos)?|que (?:diz que )?tem \d+(?: anos)?|que (?:eu )?(?:conheci|conheco|falo|sigo|jogo)"
    r"(?: (?:com|no|na|pelo|pela|em) \w+(?: \w+)?)?|que (?:fala comigo|me segue|me seguiu|me adicionou|"
    r"me chamou|joga comigo|me mandou mensagem)|" + _ONLINE_PT + r")){0,3}"
)
# Several askers: "uns caras do discord", "uns homens que conheci no roblox"; friends only when from online
# ("meus amigos do discord", not "meus amigos da escola")
_QUAL_PL_PT = (
    r"(?:de \d+(?: anos)?|que (?:dizem que )?tem \d+(?: anos)?|que (?:eu )?(?:conheci|conheco|falo|sigo|jogo)"
    r"(?: (?:com|no|na|pelo|pela|em) \w+(?: \w+)?)?|que (?:falam comigo|me seguem|me seguiram|me adicionaram|"
    r"me chamaram|jogam comigo|me mandaram mensagem)|" + _ONLINE_PT + r")"
)
_FRIENDS_PT = (
    r"(?:(?:meus|minhas|uns|umas|alguns|algumas|dois|tres|esses|essas) )?(?:amigos|amigas|parceiros|parcas)"
    r"(?! (?:do|no|pelo|da|na|pela|de) (?:whatsapp|whats|wpp|zap|zapzap|facebook)\b) (?:"
    + _ONLINE_PT
    + r"|que (?:eu )?conheci (?:no|na|pelo|pela|em) (?:internet|net|jogo|game|servidor|app|"
    + _APPS
    + r"))"
    r"(?: " + _QUAL_PL_PT + r"){0,2}"
)
_PERSONS_PT = (
    r"(?:(?:uns|umas|alguns|algumas|esses|essas|estes|estas|aqueles|aquelas|dois|tres|uns dois|os|as|varios|"
    r"varias) (?:caras|meninos|meninas|garotos|garotas|moleques|homens|mulheres|manos|minas|carinhas|rapazes|"
    r"mocas|senhores|senhoras|desconhecidos|desconhecidas|estranhos|estranhas|boys|novinhos|adultos|adultas|"
    r"guris|gurias|pessoas|jovens|cara|mano|menino|moleque|boy|garoto|mina)(?: mais velh[oa]s)?|uns (?:velhos|tios|tiozoes))(?: "
    + _QUAL_PL_PT
    + r"){0,3}"
    r"|" + _FRIENDS_PT
)
_ADV_PT = r"(?:(?:sempre|ja|agora|hoje|ontem|de novo|outra vez|tambem|toda hora|todo dia|direto|muito|do nada) ){0,2}"
_PICS_PT = (
    r"(?:(?:umas|uma|mais|as|minhas|alguma|algumas|outra|outras|a|uns|um) )?(?:fotos?|fotinhas?|fotografias?|"
    r"selfies?|selfs?|videos?|videozinhos?|pics?|nudes|packs?)\b"
    r"(?: (?:minhas|minha|de mim|pelada|pelado|nua|nu|sem roupa|de biquini|de calcinha|de lingerie|de sutia|"
    r"de toalha|do meu corpo|no espelho|intimas|sensuais|sexy|de corpo inteiro|(?:pra|para) (?:ele|ela))){0,2}"
    r"(?! (?:d[oa]s?|de|sobre)\b)" + _NOT_FOR
)
_PICS_ME_PT = (
    r"(?:(?:umas|mais|as) )?(?:fotos?|videos?|selfies?) (?:minhas|minha|de mim|pelada|pelado|nua|sem roupa|"
    r"do meu corpo|de biquini|de calcinha)\b"
)
_ASK_PICS_PT = (
    r"(?:me (?:pede|pediu|pedia|cobra|cobrou|pedem|pediram|pediam|cobram|cobraram)|(?:fica|vive|ta|esta|continua|"
    r"ficam|vivem|tao|estao|continuam) (?:me )?pedindo|nao (?:para|param) de (?:me )?pedir|pediu|pede|pediram|pedem)"
)
_WANTS_PT = (
    r"(?:quer|queria|me pede|me pediu|me pedia|(?:fica|vive|ta|esta|continua) (?:me )?pedindo|pediu|pede|"
    r"insiste|insistiu|(?:ta|fica) insistindo|me pressiona|me pressionou|(?:ta|fica) me pressionando|me obriga|"
    r"me obrigou|me falou|me disse|falou|disse|mandou|me mandou|me convenceu|quer me convencer|me desafiou|"
    r"querem|queriam|me pedem|me pediram|me pediam|(?:ficam|vivem|tao|estao|continuam) (?:me )?pedindo|pediram|"
    r"pedem|insistem|insistiram|(?:tao|ficam) insistindo|me pressionam|me pressionaram|(?:tao|ficam) me "
    r"pressionando|me obrigam|me obrigaram|me falaram|me disseram|falaram|disseram|mandaram|me mandaram|"
    r"me convenceram|querem me convencer|me desafiaram)"
)
_SEND_PT = (
    r"(?:mande|mandasse|mandar|manda|envie|enviasse|enviar|envia|passe|passasse|passar|tire|tirasse|tirar|"
    r"tira|faca|fizesse|fazer|mostre|mostrar|mostrasse)"
)
_TOLD_PT = (
    r"(?:me (?:disse|falou|pediu|mandou|diz|fala|pede|fez prometer|fez jurar|disseram|falaram|pediram|mandaram|"
    r"dizem|falam|pedem|fizeram prometer|fizeram jurar)|(?:fez|fizeram) eu (?:prometer|jurar)|disse|falou|pediu|"
    r"mandou|disseram|falaram|pediram|mandaram)"
)
_TARGET_PT = (
    r"(?:(?:pra|para|a|pro|pros|pras|com|aos|as|ao) )?(?:ninguem|ngm|(?:minha|sua|tua) (?:mae|mamae|mainha|"
    r"familia|professora|prof|irma|vo|avo|tia|amiga|coordenadora|psicologa)|(?:meu|seu|teu) (?:pai|papai|"
    r"painho|professor|prof|irmao|tio|amigo|coordenador)|(?:meus|seus|teus) (?:pais|amigos|professores|profs|"
    r"irmaos|responsaveis|familiares)|(?:minhas|suas|tuas) (?:amigas|professoras|irmas))\b"
)
_MEET_PT = (
    r"(?:(?:(?:pra|para|que|q|de|em) )?(?:(?:eu|a gente|gente|nos|nois) )?(?:me (?:encontrar|conhecer|ver|visitar|buscar)"
    r"|(?:se|nos) (?:encontrar|ver|conhecer|encontrasse|visse|conhecesse|encontre|veja|conheca)|"
    r"encontrar (?:comigo|ele|ela|com ele|com ela)|(?:ir|va|fosse) (?:na|a|ate a|pra|para a) casa (?:dele|dela)|"
    r"vir (?:aqui|na minha casa|em casa|pra minha casa|me ver)|sair (?:comigo|com ele|com ela|juntos)|"
    r"(?:ir|va|fosse) (?:encontrar|ver) (?:ele|ela|eles|elas)|marcar (?:um )?(?:encontro|role)|um encontro|"
    r"(?:ir|va|fosse) (?:na|a|ate a|pra|para a) casa (?:deles|delas)|encontrar (?:com )?(?:eles|elas)|"
    r"sair com (?:eles|elas)))" + _NOT_IN_GAME
)
_MEET_VERB_PT = (
    r"(?:quer|queria|pediu|pede|(?:fica|vive|ta|esta) (?:me )?pedindo|me pediu|me pede|insiste|(?:ta|fica) "
    r"insistindo|me propos|propos|me chamou|me convidou)"
)
_MEET_VERB_PL_PT = (
    r"(?:querem|queriam|pediram|pedem|(?:ficam|vivem|tao|estao) (?:me )?pedindo|me pediram|me pedem|insistem|"
    r"(?:tao|ficam) insistindo|me propuseram|propuseram|me chamaram|me convidaram)"
)
# With several askers a bare "se encontrar" may be among themselves ("eles querem se encontrar")
_MEET_PL_PT = r"(?!(?:(?:pra|para|que|q|de|em) )?se )" + _MEET_PT
_RULES_PT: list[tuple[str, str]] = [
    (
        PICTURES,
        rf"\b(?:{_PERSON_PT}|{_PERSONS_PT}) (?:que |q )?{_ADV_PT}(?:(?P<v>{_ASK_PICS_PT}) {_PICS_PT}"
        rf"|(?P<v2>{_WANTS_PT})(?: (?:que|pra|para|a|em|pro|q))?(?: eu)?(?: (?:lhe|lhes|pra ele|pra ela|para ele|"
        rf"para ela|a ele|pra eles|pra elas|para eles|para elas|a eles|me))? {_SEND_PT}"
        rf"(?: (?:pra|para|pro|pros|a) (?:ele|ela|eles|elas))? {_PICS_PT}"
        rf"|(?P<v3>quer|queria|pediu|pede|querem|queriam|pediram|pedem)(?: ver)? {_PICS_ME_PT})",
    ),
    (
        SECRET,
        rf"\b(?P<v>{_TOLD_PT})[\s:,\"]+(?:(?:pra|para|que|q) )?(?:eu )?(?:nao|n|nunca|jamais) (?:contasse|contar|"
        r"conte|conta|contaria|falasse|falar|fale|fala|falaria|dissesse|diria|dizer|diga|diz|comentar|comentasse)"
        r"(?: (?:isso|nada|nd|sobre ele|sobre ela|sobre a gente|sobre nos|dele|dela|da gente|nunca|disso|"
        r"sobre isso))?,? "
        + _TARGET_PT
        + rf"|\b(?P<v2>me proibiu|proibiu|me proibe) (?:de )?(?:contar|falar|dizer)(?: (?:isso|nada))? {_TARGET_PT}",
    ),
    (
        MEET,
        rf"\b{_FRIENDS_PT} (?:que |q )?{_ADV_PT}(?P<v4>{_MEET_VERB_PL_PT}) {_MEET_PL_PT}"
        rf"|\b{_ONLINE_PT}\b[^.!?]{{0,80}}?\b(?P<v>{_MEET_VERB_PT}) {_MEET_PT}"
        rf"|\b{_ONLINE_PT}\b[^.!?]{{0,80}}?\b(?P<v5>{_MEET_VERB_PL_PT}) {_MEET_PL_PT}"
        rf"|\b{_ONLINE_PT}\b[^.!?]{{0,80}}?\b(?P<v2>me (?:chamou|chama|convidou|convida|chamaram|chamam|convidaram|"
        rf"convidam)) (?:pra|para) (?:sair|um role|dar um role|ir na casa dele|ir na casa dela|a casa dele|a casa dela|"
        rf"ir na casa deles|a casa deles)\b"
        rf"|\b(?P<v3>{_MEET_VERB_PT}) {_MEET_PT}[^.!?]{{0,60}}\b(?:conheci|conhecemos|conheco|falo|falamos|"
        rf"converso|conversamos|jogo|jogamos|adicionou|segue|sigo)\b(?: \w+){{0,2}}? {_ONLINE_PT}\b"
        rf"|\b(?P<v6>{_MEET_VERB_PL_PT}) {_MEET_PL_PT}[^.!?]{{0,60}}\b(?:conheci|conheco|falo|converso|jogo|"
        rf"adicionaram|seguem|sigo)\b(?: \w+){{0,2}}? {_ONLINE_PT}\b",
    ),
]

# ================================ Italian (it) ======================================================
_ONLINE_IT = (
    r"(?:online|su internet|in rete|(?:su|da|di|in|sul|nel|tramite) (?:internet|un gioco|un server|una app|unapp|"
    r"unapplicazione|il gioco|chat|" + _APPS + r"))"
)
_PERSON_IT = (
    r"(?:lui|lei|qualcuno|(?:un|uno|questo|quel|sto|il|un certo) (?:ragazzo|tipo|tizio|uomo|signore|ragazzino|"
    r"adulto|estraneo|sconosciuto|maschio|bro)|(?:una|questa|quella|sta|la) (?:ragazza|tipa|persona|donna|"
    r"sconosciuta|signora|tizia|adulta)|(?:uno|una)(?= (?:conosciut|che (?:ho|mi|conosco)|su |online|in rete|"
    r"di (?:insta|instagram|tiktok|discord|roblox|snap|fortnite))))(?: piu grande)?"
    r"(?: (?:di \d+(?: anni)?|che dice di avere \d+(?: anni)?|(?:che ho )?conosciut[oa](?: (?:su|in|a|al|alla|da) "
    r"\w+)?|che (?:conosco|mi scrive|mi segue|mi ha aggiunt[oa]|gioca con me|mi ha scritto)|con cui (?:parlo|"
    r"gioco|chatto)|" + _ONLINE_IT + r")){0,3}"
)
# Several askers: "dei ragazzi su discord", "alcuni tizi di instagram"; friends only when from online
# ("i miei amici di discord", not "i miei amici di scuola")
_QUAL_PL_IT = (
    r"(?:di \d+(?: anni)?|che dicono di avere \d+(?: anni)?|(?:che ho )?conosciut[ie](?: (?:su|in|a|al|alla|da) "
    r"\w+)?|che (?:conosco|mi scrivono|mi seguono|mi hanno aggiunt[oa]|giocano con me|mi hanno scritto)|con cui "
    r"(?:parlo|gioco|chatto)|" + _ONLINE_IT + r")"
)
_FRIENDS_IT = (
    r"(?:(?:dei|degli|delle|alcuni|alcune|i miei|le mie|miei|mie|due|tre|questi|queste) )?(?:amici|amiche)"
    r"(?! (?:su|di|da|in|tramite) (?:whatsapp|whats|facebook)\b) (?:"
    + _ONLINE_IT
    + r"|(?:che ho )?conosciut[ie] "
    r"(?:su|in|tramite|nel|sul) (?:internet|rete|un gioco|gioco|server|chat|"
    + _APPS
    + r"))(?: "
    + _QUAL_PL_IT
    + r"){0,2}"
)
_PERSONS_IT = (
    r"(?:(?:dei|degli|delle|alcuni|alcune|certi|certe|questi|queste|sti|ste|quei|quegli|quelle|i|gli|le|due|tre|"
    r"vari|varie|diversi|diverse) (?:ragazzi|tipi|tizi|uomini|signori|ragazzini|adulti|estranei|sconosciuti|"
    r"maschi|ragazze|tipe|tizie|persone|donne|sconosciute|signore|adulte)(?: piu grandi)?)"
    r"(?: " + _QUAL_PL_IT + r"){0,3}|" + _FRIENDS_IT
)
_ADV_IT = (
    r"(?:(?:sempre|ancora|spesso|gia|anche|ora|adesso|oggi|ieri|di nuovo|ogni giorno|continuamente) ){0,2}"
)
_PICS_IT = (
    r"(?:(?:delle|le|qualche|altre|piu|mie|un paio di|una|un|alcune|nuove|ancora) ){0,2}(?:foto|fotine|fotografie|"
    r"selfie|video|videini|pic|nudes)\b"
    r"(?: (?:mie|di me|nuda|nudo|senza vestiti|in intimo|in costume|allo specchio|del mio corpo|hot|sexy|intime|"
    r"private|a figura intera|in mutande|in reggiseno)){0,2}"
    r"(?! (?:del|della|dei|degli|delle|dello|di|al|alla|sul|sulla|su)\b)" + _NOT_FOR
)
_PICS_ME_IT = (
    r"(?:(?:delle|le|altre|qualche) )?(?:foto|video|selfie) (?:mie|di me|nuda|nudo|senza vestiti|in intimo|"
    r"in costume|del mio corpo)\b"
)
_ASK_PICS_IT = (
    r"(?:mi (?:chiede|ha chiesto|chiedeva|sta chiedendo|richiede|ha richiesto|chiedono|hanno chiesto|chiedevano|"
    r"stanno chiedendo|richiedono|hanno richiesto)|continua a chiedermi|continuano a chiedermi|"
    r"non (?:smette|smettono) di chiedermi|(?:insiste|insistono) per avere)"
)
_WANTS_IT = (
    r"(?:vuole|voleva|vorrebbe|mi (?:chiede|ha chiesto|chiedeva|sta chiedendo|dice|ha detto|scrive|ha scritto|"
    r"obbliga|costringe|prega|supplica|stressa|assilla|pressa|convince|ha convint[oa]|sfida)|continua a chiedermi|"
    r"insiste|ha insistito|non smette di chiedermi|vogliono|volevano|vorrebbero|mi (?:chiedono|hanno chiesto|"
    r"chiedevano|stanno chiedendo|dicono|hanno detto|scrivono|hanno scritto|obbligano|costringono|pregano|"
    r"supplicano|stressano|assillano|pressano|convincono|hanno convint[oa]|sfidano)|continuano a chiedermi|"
    r"insistono|hanno insistito|non smettono di chiedermi)"
)
_SEND_IT = (
    r"(?:mandi|invii|mandassi|inviassi|faccia|facessi|scatti|scattassi|passi|mandare|inviare|mandargli|mandarle|"
    r"inviargli|inviarle|farmi|fargli|scattarmi|passargli|spedire|spedirgli|mostri|mostrargli|mando|invio)"
)
_TOLD_IT = (
    r"(?:mi (?:ha detto|dice|diceva|aveva detto|ha chiesto|chiede|ha fatto promettere|fa promettere|"
    r"ha fatto giurare|ha scritto|scrive|ha raccomandato|ha pregato|hanno detto|dicono|dicevano|avevano detto|"
    r"hanno chiesto|chiedono|hanno fatto promettere|fanno promettere|hanno fatto giurare|hanno scritto|scrivono|"
    r"hanno raccomandato|hanno pregato))"
)
_TARGET_IT = (
    r"(?:a nessuno|a nessun altro|(?:ai|a) (?:miei|tuoi)(?: genitori| amici| prof| professori| compagni)?|"
    r"ai genitori|(?:a|alla) (?:mia|tua) (?:mamma|madre|famiglia|prof|professoressa|sorella|nonna|amica|maestra|"
    r"zia)|(?:a|al) (?:mio|tuo) (?:papa|padre|babbo|prof|professore|fratello|amico|nonno|zio)|alle (?:mie|tue) "
    r"amiche|agli (?:insegnanti|amici|adulti)|ai prof|ai professori|alla mamma|a mamma|al papa|a papa)\b"
)
_TELL_IT = r"(?:(?:lo|ne|glielo) )?(?:dirlo|dire|dirglielo|raccontarlo|raccontare|raccontargli|parlarne|parlare|dirgli|dirle)"
_MEET_IT = (
    r"(?:(?:(?:di|a|per|che|se) )?(?:(?:io|noi) )?(?:incontrarmi|incontrarci|incontrarlo|incontrarla|vedermi|vederci|"
    r"vederlo|vederla|conoscermi|conoscerci|uscire (?:con me|insieme)|ci (?:vediamo|vedessimo|incontriamo|"
    r"incontrassimo|conosciamo|conoscessimo)|(?:vada|andassi|vado) (?:a casa sua|da lui|da lei|a trovarlo|"
    r"a trovarla)|(?:venire|passare) (?:a casa mia|da me|a trovarmi|a prendermi)|(?:andare|venire) a casa sua|"
    r"un appuntamento|incontrarli|incontrarle|vederli|vederle|(?:vada|andassi|vado) (?:a casa loro|da loro)|"
    r"(?:andare|venire) a casa loro))" + _NOT_IN_GAME
)
_MEET_VERB_IT = (
    r"(?:vuole|voleva|vorrebbe|mi (?:chiede|ha chiesto|chiedeva|sta chiedendo|propone|ha proposto)|"
    r"continua a chiedermi|insiste|insiste per|vogliono|volevano|vorrebbero|mi (?:chiedono|hanno chiesto|"
    r"chiedevano|stanno chiedendo|propongono|hanno proposto)|continuano a chiedermi|insistono|insistono per)"
)
_RULES_IT: list[tuple[str, str]] = [
    (
        PICTURES,
        rf"\b(?:{_PERSON_IT}|{_PERSONS_IT}) (?:che )?{_ADV_IT}(?:(?P<v>{_ASK_PICS_IT}) {_PICS_IT}"
        rf"|(?P<v2>{_WANTS_IT})(?: (?:che|di|a|per|perche))?(?: io)?(?: (?:gli|le|mi|me ne))? {_SEND_IT}"
        rf"(?: (?:a lui|a lei|a loro|loro))? {_PICS_IT}"
        rf"|(?P<v3>vuole|voleva|vorrebbe|vuole vedere|mi chiede|mi ha chiesto|vogliono|volevano|vorrebbero|"
        rf"vogliono vedere|mi chiedono|mi hanno chiesto) {_PICS_ME_IT})",
    ),
    (
        SECRET,
        rf"\b(?P<v>{_TOLD_IT})[\s:,\"]+(?:(?:di|che) (?:io )?)?(?:non (?:devo |posso |dovrei |dovevo |potevo )?|"
        rf"mai |devo non )(?:mai )?{_TELL_IT}(?: (?:niente|nulla|di lui|di noi|di questo|di questa cosa|"
        rf"questo|mai))?,? {_TARGET_IT}"
        rf"|\b(?P<v2>mi (?:ha vietato|ha proibito|vieta|proibisce)) (?:di )?{_TELL_IT}(?: (?:niente|nulla))? "
        rf"{_TARGET_IT}",
    ),
    (
        MEET,
        rf"\b{_FRIENDS_IT} (?:che )?{_ADV_IT}(?P<v4>{_MEET_VERB_IT}) {_MEET_IT}"
        rf"|\b{_ONLINE_IT}\b[^.!?]{{0,80}}?\b(?P<v>{_MEET_VERB_IT}) {_MEET_IT}"
        rf"|\b{_ONLINE_IT}\b[^.!?]{{0,80}}?\b(?P<v2>mi (?:ha invitat[oa]|invita|ha chiesto di uscire|"
        rf"hanno invitat[oa]|invitano|hanno chiesto di uscire)) "
        rf"(?:a casa sua|da lui|da lei|a casa loro|da loro|a uscire|ad uscire|a vederci|a incontrarci|per un appuntamento|"
        rf"a prendere un caffe)\b"
        rf"|\b(?P<v3>{_MEET_VERB_IT}) {_MEET_IT}[^.!?]{{0,60}}\b(?:conosciut[oa]|conosco|parlo|parliamo|"
        rf"chattiamo|gioco|giochiamo|scrive|scriviamo)\b(?: \w+){{0,3}}? {_ONLINE_IT}\b",
    ),
]

_RULES: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (lang, sign, re.compile(regex))
    for lang, rules in (
        ("es", _RULES_ES),
        ("fr", _RULES_FR),
        ("de", _RULES_DE),
        ("pt", _RULES_PT),
        ("it", _RULES_IT),
    )
    for sign, regex in rules
)

# Words just before a match (or its verb) that negate it: "nunca me pidió fotos", "il ne veut pas",
# "er hat nie gesagt", "ele não quer", "non mi ha mai chiesto"
_NEGATORS: dict[str, frozenset[str]] = {
    "es": frozenset("no nunca jamas".split()),
    "fr": frozenset("ne pas jamais".split()),
    "de": frozenset("nicht nie niemals kein keine keiner".split()),
    "pt": frozenset("nao n nunca jamais".split()),
    "it": frozenset("non mai".split()),
}
# Just before a match: a question about what to do if it happened ("qué hago si alguien me pide fotos")
_IF: dict[str, frozenset[str]] = {
    "es": frozenset(["si"]),
    "fr": frozenset(["si"]),
    "de": frozenset(["wenn", "falls"]),
    "pt": frozenset(["se", "caso"]),
    "it": frozenset(["se"]),
}
# Just before the verb: family, teachers and school friends ("mi mamá quiere que nos veamos", "ma mère
# m'a dit de pas le dire à mon père")
_KNOWN: dict[str, frozenset[str]] = {
    "es": frozenset(
        (
            "mama mami madre papa papi padre padres papas abuela abuelo abuelita abuelito hermana hermano "
            "hermanita hermanito prima primo madrastra padrastro profe profesora profesor maestra maestro amiga "
            "amigo amigas amigos papis abuelos abuelas hermanos hermanas primos primas profes profesores "
            "profesoras maestros maestras companeros companeras"
        ).split()
    ),
    "fr": frozenset(
        (
            "mere maman pere papa parents daronne daron darons mamie papy papi soeur frere cousine cousin tante "
            "oncle prof profs professeur professeure maitresse pote potes amie ami amies amis copine copines "
            "copains copain meres peres soeurs freres cousines cousins tantes oncles professeurs professeures "
            "maitresses"
        ).split()
    ),
    "de": frozenset(
        (
            "mama mutter papa vater eltern oma opa schwester bruder tante onkel cousine cousin lehrer lehrerin "
            "freundin freundinnen freunde trainer trainerin geschwister grosseltern lehrerinnen lehrern kumpels "
            "klassenkameraden freunden"
        ).split()
    ),
    "pt": frozenset(
        (
            "mae mamae mainha pai papai painho pais vo avo vovo irma irmao prima primo professora professor prof "
            "amiga amigo amigas amigos madrinha padrinho irmas irmaos primas primos professoras professores "
            "profs avos"
        ).split()
    ),
    "it": frozenset(
        (
            "mamma madre papa padre babbo genitori nonna nonno zia zio sorella fratello cugina cugino prof "
            "professoressa professore maestra maestro amica amico amiche amici nonni zii fratelli sorelle cugini "
            "cugine maestre maestri professori professoresse insegnanti compagni compagne"
        ).split()
    ),
}
# The writer just before the verb: "ich will dass wir uns treffen", "eu disse para não contar"
_WRITER = frozenset("yo je jai ich wir eu io".split())
# A secret about a surprise or a present ("no le digas a mi papá, es una sorpresa")
_SURPRISE = re.compile(
    r"\b(?:sorpresa|surprise|uberraschung|surpresa|regalo|regalito|cadeau|geschenk|presente|fiesta|fete|party|"
    r"festa|cumple|cumpleanos|anniversaire|geburtstag|aniversario|compleanno)\b"
)
# What is not to be told follows ("que está embarazada", "quelle fume", "che è incinta"): someone else's
# news, unless it is about the two of them ("que hablamos", "qu'on se parle", "dass wir schreiben")
_TELLS_WHAT = re.compile(
    r",? (?:que|quil|quelle|quils|che|dass|ob|was|o que|lo que|ce que|cosa)\b"
    r"(?! (?:(?:el|ella|er|sie|il|elle|ele|ela|lui|lei) )?(?:me|mir|mich|mi|nos|uns|ci|nous|on|wir|a gente|"
    r"hablamos|hablo con|falo com|falamos|conversamos|parliamo|parlo con|chattiamo|(?:ich )?mit ihm|"
    r"(?:lo|la) conoc\w*|(?:lo|la) conosc\w*|lho conosciuto|(?:o|a) conheci|conheci|je lui|je le|je la|jai)\b)"
)


def grooming_minor_language(text: str) -> str | None:
    """The language code ("es", "fr", "de", "pt", "it") of the first rule that finds a sign of grooming
    in ``text`` (someone asking a young person for pictures, to keep it from their family, or to meet
    someone from online), else None. Only for a conversation with an age signal."""
    folded = fold(text)
    for lang, sign, rule in _RULES:
        for m in rule.finditer(folded):
            # the named groups (v, v2...) mark the asking or telling verb
            verb = min((m.start(g) for g in m.re.groupindex if m.start(g) >= 0), default=m.start())
            if _NEGATORS[lang].intersection(
                words_before(folded, m.start(), 3) + words_before(folded, verb, 2)
            ):
                continue
            if _IF[lang].intersection(words_before(folded, m.start(), 2)):
                continue
            if _KNOWN[lang].union(_WRITER).intersection(words_before(folded, verb, 2)):
                continue
            if sign == MEET and _KNOWN[lang].intersection(words_before(folded, m.start(), 2)):
                continue
            if sign == SECRET and (
                _SURPRISE.search(sentence_around(folded, m.start(), m.end()))
                or _TELLS_WHAT.match(folded, m.end())
            ):
                continue
            return lang
    return None
