"""Signs of grooming from a young person in Spanish, French, German, Portuguese and Italian
(bot/safety/grooming_languages.py): someone asking them for pictures, telling them not to tell their
family, or someone from online wanting to meet them.

The negatives are the everyday senses of the same words: family and teachers asking for pictures of a
trip, a pet or a project, school friends meeting, meeting inside a game, the writer telling someone
else not to tell, a surprise, someone else's news, and negations."""

from __future__ import annotations

import pytest

from bot.safety.grooming_languages import grooming_minor_language
from tests.safety.corpus import message_texts
from tests.safety.test_grooming_minor import SIGNS

SPANISH = [
    # pictures
    "un chico que conocí en roblox quiere que le mande fotos",
    "un chico que conoci en roblox quiere que le mande fotos",
    "un chavo de tiktok me pide fotos",
    "un tipo de instagram me pidió que le mandara unas fotos",
    "él quiere que le mande fotos mías",
    "el wey de free fire no para de pedirme fotos",
    "un señor de discord me pide que le envíe una foto",
    "alguien de snap me está pidiendo fotos en el espejo",
    "un man de 19 años quiere que le pase fotos",
    "ella me dijo que le mandara un video",
    "un pibe de insta me presiona para que le mande fotos",
    "este tipo quiere fotos mías",
    "un desconocido me dice que le mande selfies",
    "un chico mayor que conocí por internet quiere que me saque fotos",
    # not to tell
    "me dijo que no le dijera nada a mi mamá",
    "me dijo que no le contara a nadie",
    "él me dijo que no les dijera a mis papás",
    'me dijo: "no le digas a tus papás"',
    "me pidió que no le contara a mi mamá de él",
    "me hizo prometer que no le diría a nadie",
    "me dijo que nunca le contara a mis padres",
    "me prohibió contarle a mi mamá",
    # meet
    "un chavo de tiktok quiere verme en persona",
    "alguien de discord me pide que nos veamos",
    "conocí a un chico en roblox y quiere que nos veamos",
    "un chico de instagram quiere conocerme",
    "un señor de free fire me dijo que quiere ir a su casa",
    "un tipo de snapchat me invitó a su casa",
    "hablo con un chico por discord y dice que quiere que nos juntemos",
    "quiere que nos veamos el sábado, lo conocí en roblox",
    "alguien en internet quiere venir a mi casa",
    "hay un chico en roblox que quiere que le mande fotos",
    "me dijo q no le dijera nada a mi mama",
    "un chico de roblox me pidió que fuera a su casa",
    "un chavo que me habla por insta quiere que nos veamos",
    # several askers
    "unos chicos de discord me piden fotos",
    "unos tipos de instagram quieren que les mande fotos",
    "mis amigos de discord quieren vernos",
    "unos señores de roblox me dijeron que no le dijera a mi mamá",
    "unos chavos de free fire me piden fotos mias",
    "unos weyes de tiktok quieren q les mande fotos",
    "unas chicas que conoci en roblox quieren que les pase fotos",
    "dos tipos de insta no paran de pedirme fotos",
    "unos tipos q conoci en insta quieren q les mande fotos",
    "unos chicos mayores de discord quieren verme en persona",
    "unos señores de internet me invitaron a su casa",
    "mis amigas de instagram quieren que nos juntemos el sabado",
    "unos chicos de 18 años de snap me piden videos",
    "unos chavos de roblox me dijeron q no les dijera a mis papas",
]
SPANISH_NOT = [
    "mi mamá quiere que le mande fotos del viaje",
    "mi abuela me pide fotos del perro",
    "no le digas a mi mamá que rompí el vaso",
    "mis amigos de roblox quieren jugar",
    "quiero conocer a alguien en persona algún día",
    "la profe quiere que mandemos fotos del proyecto",
    "nunca me pidió fotos",
    "él nunca me pidió fotos",
    "un chico de roblox no me pide fotos",
    "mi hermana quiere que le mande fotos de la fiesta",
    "mi papá me dijo que no le dijera nada a mi mamá de su regalo",
    "le dije a mi hermano que no le dijera a mi mamá",
    "no quiero decirle a mi mamá",
    "me dijo que no le dijera a nadie que está embarazada",
    "mi amiga me dijo que no le dijera a nadie",
    "mi amiga de la escuela quiere que nos veamos el sábado",
    "un chico de tiktok quiere que nos veamos en fortnite",
    "mi tía quiere verme en navidad",
    "el chico de roblox ya no quiere verme",
    "subí fotos a instagram",
    "un chico de insta quiere que le mande fotos de mi perro",
    "la maestra nos pidió fotos de la tarea",
    "mis papás quieren que les mande fotos cuando llegue",
    "un señor me pidió fotos para el pasaporte",
    "mi mamá en facebook quiere verme",
    "vi un video en tiktok de un chico que quiere conocer a su papá",
    "quiero que nos veamos en roblox",
    "mi amigo del cole quiere que nos veamos",
    "mi mamá me dijo que no le dijera a mi papá",
    "alguien de discord quiere que lo ayude con la tarea",
    "ella quiere que le mande fotos de mi gato",
    "él me pidió fotos para la tarea",
    "qué hago si alguien me pide fotos",
    # several askers
    "mis papás quieren que les mande fotos del viaje",
    "mis amigos del cole quieren vernos",
    "mis amigos de discord quieren jugar",
    "mis abuelos quieren que les mande fotos",
    "unos chicos de discord quieren que nos veamos en roblox",
    "unos chicos de discord no me piden fotos",
    "mis compañeros quieren que les mande fotos del proyecto",
    "los profes nos piden fotos de la tarea",
    "qué hago si unos chicos de insta me piden fotos",
    "unos chicos de discord quieren quedar entre ellos",
    "mis primos quieren verme en navidad",
    "mis amigos de whatsapp quieren vernos",
    "mis amigos de discord me piden fotos del juego",
]

FRENCH = [
    # pictures
    "un mec sur insta veut que je lui envoie des photos",
    "un gars sur snap me demande des photos",
    "il veut que je lui envoie des photos de moi",
    "un type rencontré sur roblox m'a demandé de lui envoyer des photos",
    "il arrête pas de me demander des photos",
    "un mec de 18 ans sur tiktok veut que je lui envoie une photo",
    "quelqu'un sur discord me demande des selfies",
    "elle veut que je lui envoie des vidéos",
    "ce mec veut des photos de moi",
    "un inconnu sur insta insiste pour que je lui envoie des photos",
    "un gars d'insta me harcèle pour avoir des photos",
    # not to tell
    "il m'a dit de pas le dire à mes parents",
    "il m'a dit de ne le dire à personne",
    "il m'a dit de rien dire à ma mère",
    "il m a dit de pas en parler a mes parents",
    "elle m'a fait promettre de ne rien dire à mes parents",
    "il m'a dit : « ne dis rien à tes parents »",
    "il m'a dit que je devais rien dire à mes parents",
    "il m'a demandé de n'en parler à personne",
    # meet
    "un gars rencontré sur fortnite veut qu'on se voie",
    "un mec sur insta veut me voir",
    "quelqu'un sur discord veut qu'on se rencontre",
    "un mec de snap me propose de se voir ce week-end",
    "un type sur tiktok m'a invitée chez lui",
    "j'ai rencontré un gars sur roblox et il veut me rencontrer en vrai",
    "il veut qu'on se voie, je l'ai rencontré sur insta",
    "un mec en ligne veut venir chez moi",
    "il y a un mec sur insta qui veut que je lui envoie des photos",
    "il y a quelqu'un sur discord qui veut me voir",
    "il m’a dit de pas le dire à mes parents",
    "un mec plus âgé veut que je lui envoie des photos",
    # several askers
    "des mecs sur snap me demandent des photos",
    "des gars de discord veulent me voir",
    "des mecs sur insta veulent que je leur envoie des photos",
    "deux gars rencontrés sur roblox m'ont demandé des photos",
    "des types plus âgés sur tiktok arrêtent pas de me demander des photos",
    "mes potes de discord veulent me voir ce week end",
    "des gars sur snap veulent qu'on se voie samedi",
    "des mecs de 19 ans sur insta me demandent des nudes",
    "des inconnus sur discord m'ont dit de rien dire à mes parents",
    "des mecs sur snap ils me demandent des photos",
    "des mecs sur insta m ont demandé des photos",
]
FRENCH_NOT = [
    "ma mère veut que je lui envoie des photos des vacances",
    "on se voit demain au lycée",
    "ma grand-mère me demande des photos du chat",
    "le prof veut qu'on envoie des photos du projet",
    "il ne m'a jamais demandé de photos",
    "il m'a pas demandé de photos",
    "dis le pas à ma mère",
    "je veux pas le dire à mes parents",
    "je lui ai dit de pas le dire à ses parents",
    "ma mère m'a dit de pas le dire à mon père, c'est une surprise",
    "ma pote veut qu'on se voie ce week-end",
    "un mec sur fortnite veut qu'on se voie sur le jeu ce soir",
    "mes potes de discord veulent jouer ce soir",
    "un mec sur insta veut que je lui envoie des photos de mon chien",
    "mon père veut me voir ce week-end",
    "il m'a dit de ne pas le dire à ma mère qu'il fume",
    "ma copine m'a dit de ne le dire à personne",
    "un gars sur snap ne veut pas me voir",
    "j'ai vu une vidéo sur tiktok et je veux me faire des amis",
    "ma soeur veut que je lui envoie des photos de la fête",
    "on se voit sur discord",
    "mon frère veut qu'on se voie sur fortnite",
    "il veut pas que je lui envoie des photos",
    "un mec sur insta veut que je lui envoie le lien",
    "je lui ai dit de pas le dire à personne",
    "qu'est-ce que je fais si un mec me demande des photos",
    # several askers
    "mes parents veulent des photos des vacances",
    "mes potes du collège veulent me voir",
    "mes grands-parents veulent que je leur envoie des photos",
    "des mecs sur fortnite veulent qu'on se voie sur le jeu",
    "des mecs sur snap ne me demandent pas de photos",
    "les profs veulent qu'on envoie des photos du projet",
    "des gars de discord veulent se voir entre eux",
    "mes cousins veulent me voir ce week-end",
    "mes potes de discord veulent jouer ce soir avec moi",
]

GERMAN = [
    # pictures
    "ein Typ auf Snapchat will dass ich ihm Bilder schicke",
    "ein Typ auf Snapchat will, dass ich ihm Bilder schicke",
    "er will dass ich ihm Fotos von mir schicke",
    "jemand auf Discord fragt mich immer nach Bildern",
    "ein Junge aus Roblox will Bilder von mir",
    "er sagt ich soll ihm Fotos schicken",
    "ein Mann von Instagram fragt ob ich ihm Bilder schicken kann",
    "er drängt mich, ihm Bilder zu schicken",
    "sie will, dass ich ihr ein paar Selfies schicke",
    "ein Typ, den ich auf TikTok kennengelernt habe, will dass ich ihm Fotos schicke",
    "der Typ aus Insta bittet mich um Fotos",
    # not to tell
    "er hat gesagt ich soll es meinen Eltern nicht sagen",
    "Er hat gesagt, ich soll es meinen Eltern nicht sagen",
    "er hat mir gesagt, ich darf niemandem davon erzählen",
    "er meinte, ich soll es keinem sagen",
    "sie hat gesagt, dass ich es meiner Mama nicht erzählen darf",
    "er hat mir verboten, es meinen Eltern zu sagen",
    'er hat gesagt: "sag es nicht deinen Eltern"',
    "er sagt ich soll meinen Eltern nichts davon erzählen",
    # meet
    "jemand aus Discord will sich mit mir treffen",
    "ein Typ von Snapchat will mich unbedingt treffen",
    "ein Junge den ich online kenne will mich am Wochenende sehen",
    "jemand auf TikTok fragt ob wir uns treffen",
    "ein Mann aus Roblox will zu mir nach Hause kommen",
    "ich hab einen Typen auf Insta kennengelernt und er will sich mit mir treffen",
    "er will sich mit mir treffen, ich kenne ihn von Discord",
    "jemand aus dem Internet hat mich zu sich nach Hause eingeladen",
    "da ist ein Typ auf Snapchat, der will, dass ich ihm Bilder schicke",
    "es gibt einen Typen auf Roblox, der will sich mit mir treffen",
    "ein Typ aus Fortnite fragt mich, ob wir uns treffen können",
    # several askers
    "ein paar Typen von Discord wollen Fotos von mir",
    "Leute aus Roblox wollen sich mit mir treffen",
    "ein paar Typen auf Snapchat wollen dass ich ihnen Bilder schicke",
    "Typen auf Insta fragen mich dauernd nach Bildern",
    "zwei Männer aus Discord haben gesagt ich soll ihnen Fotos schicken",
    "meine Freunde aus Discord wollen mich am Wochenende treffen",
    "ein paar Jungs von TikTok wollen mich unbedingt sehen",
    "irgendwelche Leute auf Insta fragen ob ich ihnen Bilder schicken kann",
    "ein paar Typen aus Roblox haben gesagt ich soll es meinen Eltern nicht sagen",
    "ein paar typen von discord wollen das ich ihnen bilder schicke",
]
GERMAN_NOT = [
    "meine Oma will dass ich ihr Bilder vom Urlaub schicke",
    "wir treffen uns morgen in der Schule",
    "meine Mutter hat gesagt ich soll es Papa nicht sagen, es ist eine Überraschung",
    "ich will es meinen Eltern nicht sagen",
    "ich hab ihm gesagt er soll es keinem sagen",
    "er hat mich nie nach Bildern gefragt",
    "er will nicht dass ich ihm Bilder schicke",
    "meine Lehrerin will dass wir Fotos vom Projekt schicken",
    "meine Freunde von Discord wollen heute zocken",
    "ein Typ auf Discord will sich in Fortnite mit mir treffen",
    "ich will mich mit jemandem aus Discord treffen",
    "mein Papa will dass ich ihm Fotos vom Hund schicke",
    "Meine Schwester hat gesagt, dass sie sich umbringen will",
    "meine Freundin aus der Schule will sich mit mir treffen",
    "ich hab auf TikTok gesehen dass man sich mit Freunden treffen soll",
    "er hat gesagt ich soll es keinem sagen, dass er raucht",
    "jemand auf Snapchat will sich nicht mit mir treffen",
    "meine Mama will Bilder von mir im Urlaub",
    "ich hab gesagt er soll es niemandem sagen",
    "wir sehen uns auf Discord",
    "er will mich in Fortnite treffen",
    "ein Typ auf Snapchat will keine Bilder",
    "mein Lehrer will dass ich ihm Fotos von der Hausaufgabe schicke",
    "er hat nicht gesagt, dass ich es keinem sagen darf",
    "was soll ich machen, wenn jemand auf Snapchat will, dass ich ihm Bilder schicke",
    # several askers
    "meine Eltern wollen Fotos vom Urlaub",
    "meine Freunde aus der Schule wollen sich mit mir treffen",
    "ein paar Typen aus Discord wollen sich in Fortnite mit mir treffen",
    "ein paar Typen auf Snapchat wollen keine Bilder von mir",
    "Leute aus Discord wollen sich am Wochenende treffen",
    "meine Großeltern wollen dass ich ihnen Bilder schicke",
    "unsere Lehrer wollen Fotos vom Projekt",
    "wir wollen uns auf Discord treffen",
    "meine Freunde von Discord wollen heute Abend zocken",
]

PORTUGUESE = [
    # pictures
    "um cara do free fire quer que eu mande fotos",
    "um menino do insta me pede fotos",
    "ele fica me pedindo foto",
    "um cara que conheci no tiktok pediu pra eu mandar umas fotos",
    "um moleque do discord quer que eu mande fotos minhas",
    "ele quer que eu tire foto e mande pra ele",
    "um homem de 30 anos do roblox quer fotos minhas",
    "uma mina do zap me pediu pra mandar foto",
    "esse cara quer que eu mande foto no espelho",
    "um garoto online quer que eu envie umas selfies",
    "ele me pressiona pra eu mandar fotos",
    # not to tell
    "ele disse pra eu não contar pra minha mãe",
    "ele disse pra eu nao contar pra minha mae",
    "ele me falou pra não contar pra ninguém",
    "ele me pediu pra eu não falar nada pros meus pais",
    'ele disse: "não conta pra sua mãe"',
    "ele me fez prometer que eu não contaria pra ninguém",
    "ele me proibiu de contar pra minha mãe",
    "ela falou pra eu não dizer nada pro meu pai",
    # meet
    "um menino do insta quer me encontrar",
    "um cara do free fire quer me conhecer pessoalmente",
    "um garoto do discord pediu pra gente se encontrar",
    "um cara que conheci no roblox quer que a gente se veja",
    "alguém do tiktok me chamou pra sair",
    "um menino do jogo quer vir na minha casa",
    "ele quer me ver sábado, conheci ele no insta",
    "um homem da internet quer que eu vá na casa dele",
    "tem um cara no insta que quer que eu mande fotos",
    "tem um menino no free fire que quer me conhecer",
    "ele vive me pedindo foto",
    # several askers
    "uns caras do discord me pedem fotos",
    "uns homens do insta querem me conhecer pessoalmente",
    "uns meninos do free fire querem q eu mande foto pra eles",
    "uns caras que conheci no roblox ficam me pedindo foto",
    "umas meninas do tiktok querem que eu mande fotos minhas",
    "meus amigos do discord querem me encontrar no shopping",
    "uns caras do insta me chamaram pra sair",
    "uns moleques do jogo querem vir na minha casa",
    "uns caras do discord me disseram pra nao contar pra minha mae",
    "uns cara do discord me pedem foto",
]
PORTUGUESE_NOT = [
    "minha mãe quer que eu mande fotos da viagem",
    "minha avó pediu fotos do cachorro",
    "não conta pra minha mãe que eu quebrei o copo",
    "eu disse pra ele não contar pra minha mãe",
    "não quero contar pra minha mãe",
    "minha mãe disse pra eu não contar pro meu pai, é surpresa",
    "meus amigos do free fire querem jogar",
    "a professora quer que a gente mande fotos do trabalho",
    "ele nunca me pediu fotos",
    "ele não quer que eu mande fotos",
    "um menino do insta quer me ver no free fire",
    "minha amiga da escola quer me encontrar no shopping",
    "quero conhecer alguém pessoalmente um dia",
    "meu pai quer me ver no fim de semana",
    "minha amiga disse pra eu não contar pra ninguém que ela gosta do João",
    "ele disse pra eu não contar pra ninguém que ele vai mudar de escola",
    "um cara do insta quer que eu mande fotos do meu desenho",
    "meu irmão quer que eu mande fotos do jogo",
    "meu irmão disse pra eu não contar pra minha mãe",
    "ele pediu fotos do trabalho",
    "a gente se vê no discord",
    "eu quero conhecer ele pessoalmente",
    "um menino do free fire quer jogar comigo",
    "o que eu faço se um cara do insta quer que eu mande fotos",
    # several askers
    "meus pais querem fotos da viagem",
    "meus amigos da escola querem me encontrar",
    "meus avós querem que eu mande fotos pra eles",
    "uns caras do free fire querem me ver no jogo",
    "uns caras do insta nunca me pediram fotos",
    "os professores querem fotos do trabalho",
    "uns caras do discord querem se encontrar",
    "meus primos querem me ver no natal",
    "meus amigos do discord querem jogar hoje",
]

ITALIAN = [
    # pictures
    "un ragazzo su instagram vuole che gli mandi delle foto",
    "un tipo su snap mi chiede foto",
    "lui vuole che gli mandi foto mie",
    "uno conosciuto su tiktok mi ha chiesto di mandargli delle foto",
    "un tizio su discord continua a chiedermi foto",
    "un ragazzo di 20 anni su roblox vuole che gli mandi un video",
    "qualcuno su insta mi chiede delle foto",
    "lei mi ha detto di mandarle delle foto",
    "questo tipo vuole foto di me",
    "uno sconosciuto online insiste per avere foto mie",
    "un ragazzo più grande mi chiede di farmi delle foto allo specchio",
    # not to tell
    "mi ha detto di non dirlo ai miei genitori",
    "mi ha detto di non dirlo a nessuno",
    "mi ha detto che non devo dirlo a mia mamma",
    "mi ha fatto promettere di non dire niente ai miei",
    'mi ha detto: "non dirlo ai tuoi"',
    "mi ha chiesto di non parlarne a nessuno",
    "mi ha vietato di dirlo ai miei genitori",
    "mi ha detto di non raccontarlo a mia madre",
    # meet
    "uno conosciuto su roblox vuole incontrarmi",
    "un ragazzo su instagram vuole vedermi",
    "un tipo di tiktok vuole che ci vediamo",
    "qualcuno su discord mi ha chiesto di vederci",
    "un ragazzo online vuole venire a casa mia",
    "un tizio su snap mi ha invitata a casa sua",
    "ho conosciuto un ragazzo su fortnite e vuole incontrarmi",
    "vuole incontrarmi sabato, l'ho conosciuto su insta",
    "c'è un ragazzo su insta che vuole che gli mandi delle foto",
    "c'è uno su roblox che vuole incontrarmi",
    "mi ha detto di non dire niente ai miei",
    # several askers
    "dei ragazzi su discord mi chiedono foto",
    "alcuni tizi di instagram vogliono vedermi",
    "dei ragazzi su insta vogliono che gli mandi delle foto",
    "alcuni tipi conosciuti su roblox mi hanno chiesto delle foto",
    "due ragazzi più grandi su tiktok continuano a chiedermi foto",
    "degli sconosciuti su snap vogliono incontrarmi",
    "i miei amici di discord vogliono vedermi sabato",
    "dei tizi su discord mi hanno detto di non dirlo ai miei",
    "alcuni ragazzi su fortnite vogliono che mandi loro delle foto",
    "alcuni ragazzi su insta vogliono che gli mando delle foto",
]
ITALIAN_NOT = [
    "mia nonna vuole che le mandi le foto del cane",
    "mia mamma mi ha detto di non dirlo a papà, è una sorpresa",
    "non dirlo ai miei genitori",
    "non voglio dirlo ai miei genitori",
    "gli ho detto di non dirlo ai suoi",
    "la prof vuole che mandiamo le foto del progetto",
    "non mi ha mai chiesto foto",
    "lui non vuole che gli mandi foto",
    "i miei amici di roblox vogliono giocare",
    "ci vediamo domani a scuola",
    "un ragazzo su fortnite vuole vederci in partita",
    "la mia amica di scuola vuole incontrarmi al parco",
    "mio padre vuole vedermi domenica",
    "voglio conoscere qualcuno di persona un giorno",
    "mia zia mi chiede sempre foto dei gatti",
    "mi ha detto di non dirlo a nessuno che è incinta",
    "un ragazzo su insta vuole che gli mandi le foto del mio disegno",
    "mio fratello vuole vedermi su discord",
    "mio fratello mi ha detto di non dirlo alla mamma",
    "gli ho detto di non dirlo a nessuno",
    "ci vediamo su discord",
    "un ragazzo su fortnite vuole giocare con me",
    "mi ha detto di non dirlo a nessuno, è una sorpresa",
    "il mio prof vuole le foto del compito",
    "cosa faccio se qualcuno su insta mi chiede delle foto",
    # several askers
    "i miei genitori vogliono le foto della gita",
    "i miei amici di scuola vogliono vedermi",
    "i miei nonni vogliono che gli mandi delle foto",
    "dei ragazzi su fortnite vogliono vederci in partita",
    "dei ragazzi su insta non mi chiedono foto",
    "i prof vogliono le foto del progetto",
    "i miei cugini vogliono vedermi a natale",
    "i miei compagni vogliono che gli mandi le foto del compito",
    "i miei amici di discord vogliono giocare stasera",
]

# The English examples of ``assess_grooming_minor`` (bot/safety/abuse.py) and its tests: English stays
# with the English rule.
ENGLISH = SIGNS

BY_LANGUAGE = {
    "es": (SPANISH, SPANISH_NOT),
    "fr": (FRENCH, FRENCH_NOT),
    "de": (GERMAN, GERMAN_NOT),
    "pt": (PORTUGUESE, PORTUGUESE_NOT),
    "it": (ITALIAN, ITALIAN_NOT),
}
POSITIVES = [(text, lang) for lang, (positives, _) in BY_LANGUAGE.items() for text in positives]
NEGATIVES = [text for _, negatives in BY_LANGUAGE.values() for text in negatives]


@pytest.mark.parametrize(("text", "lang"), POSITIVES)
def test_signs_of_grooming_are_recognised_with_their_language(text: str, lang: str) -> None:
    assert grooming_minor_language(text) == lang


@pytest.mark.parametrize("text", NEGATIVES)
def test_everyday_senses_family_school_and_negations_are_not(text: str) -> None:
    assert grooming_minor_language(text) is None


def test_each_language_has_enough_examples() -> None:
    for positives, negatives in BY_LANGUAGE.values():
        assert len(positives) >= 15 and len(negatives) >= 15


def test_english_is_left_to_the_english_rule() -> None:
    assert [t for t in ENGLISH if grooming_minor_language(t)] == []


def test_no_line_of_the_labelled_sets_is_taken_for_a_sign() -> None:
    texts = message_texts()
    assert len(texts) > 5000
    taken = [t for t in texts if grooming_minor_language(t)]
    assert taken == [], "\n".join(taken)
