"""Disclosures of abuse in Spanish, French, German, Portuguese and Italian (bot/safety/abuse_languages.py).

Before, "mi padrastro me pega cuando bebe" got the small model's improvised reply. The negatives are the
everyday senses of the same verbs ("me toca a mí", "mi tocca studiare", "ça me touche", "me bateu uma
saudade", "er schlägt mich im Schach"), negations, play, and other people's stories."""

from __future__ import annotations

import pytest

from bot.safety.abuse_languages import assess_abuse_languages
from tests.safety.corpus import message_texts

P, S, G, X = "abuse.physical", "abuse.sexual", "abuse.grooming", "abuse.sextortion"

SPANISH = [
    ("mi padrastro me pega cuando bebe", P),
    ("mi papá me pegó otra vez", P),
    ("mi papa me pego otra vez", P),
    ("mi madre me golpea", P),
    ("mi novio me ahorca cuando discutimos", P),
    ("me pegan en casa", P),
    ("me pega cuando se emborracha", P),
    ("mis padres me pegan con el cinturón", P),
    ("mi mamá me dio una paliza ayer", P),
    ("el novio de mi mamá me maltrata", P),
    ("mi tío me toca por las noches", S),
    ("mi tio me toca por las noches", S),
    ("me tocó y me dijo que no se lo contara a nadie", S),
    ("me violaron", S),
    ("me violó mi padrastro", S),
    ("fui abusada cuando tenía 8 años", S),
    ("mi primo abusó de mí", S),
    ("me dijo que es nuestro secreto", S),
    ("un señor que conocí en internet me pide fotos", G),
    ("un hombre me pide fotos desnuda", G),
    ("un tipo de instagram sigue pidiéndome fotos", G),
    ("dice que va a publicar mis fotos si no le pago", X),
    ("me amenaza con subir mis fotos", X),
    ("me están extorsionando con mis fotos", X),
    ("mi novio me pegó una cachetada", P),
    ("me golpean en mi casa", P),
    ("mi padrastro abusó de mí cuando tenía 7", S),
    ("mi primo me manoseó", S),
    ("mi profe me toca las piernas", S),
    ("un hombre de tiktok me pide el pack", G),
    ("un señor de 40 años me pide fotos", G),
    ("mi padre me pegó y tengo el labio partido", P),  # "partido" is not the match here
]
SPANISH_NOT = [
    "mi padre nunca me pega",
    "mi madre no me pega",
    "ya no me pegan en casa",
    "me pegó un susto",
    "mi hermano me pegó la gripe",
    "se me pegó la canción",
    "mi hermano me pegó en el fútbol",
    "mi hermano me ganó al fifa",
    "me toca a mí",
    "me tocó la lotería",
    "me tocó un profe muy estricto",
    "mañana me toca trabajar por la noche",
    "mi hermano me pegó con una almohada jaja",
    "mi amiga dice que su padre le pega",
    "le pegué a mi hermano",
    "me pegué con la puerta",
    "el sol me pega en la cara cuando salgo",
    "mi amiga me pidió fotos de mi perro",
    "alguien me pidió fotos de la receta",
    "mi abuela quiere fotos del viaje",
    "voy a subir mis fotos de la playa",
    "me violaron mis derechos en el trabajo",
    "abusó de mi confianza",
    "no se lo digas a nadie pero me gusta Juan",
    "me dijo que no se lo dijera a nadie que está embarazada",
    "la fiesta sorpresa es nuestro secreto",
    "ese color me pega mucho",
    "la noticia me golpeó fuerte",
    "si alguien me pega le pego",
    "mi hermana me pega cuando jugamos",
    "me pega el sol",
    "el me pega los mocos jaja",
    "mi novio me toca la guitarra por las noches",
    "en el amigo invisible me tocó mi tío",
    "un señor me pidió fotos para el pasaporte",
    "no se lo digas a nadie, es nuestro secreto",
    "mi amiga amenaza con subir mis fotos feas jaja",
    "mi padre me dio un golpe de suerte",
    "me pegó un grito",
    "alguien quiere fotos?",
]

FRENCH = [
    ("mon beau-père me frappe quand il boit", P),
    ("mon père m'a encore frappé", P),
    ("mon père m'a encore frappée", P),
    ("ma mère me bat", P),
    ("mon copain m'étrangle", P),
    ("mon copain m etrangle quand on se dispute", P),
    ("il m'a mis une gifle devant tout le monde", P),
    ("je me fais frapper par mon père", P),
    ("mon oncle me touche la nuit", S),
    ("il m'a dit de ne le dire à personne", S),
    ("c'est notre petit secret", S),
    ("j'ai été violée", S),
    ("j ai ete violee l'an dernier", S),
    ("il a abusé de moi quand j'avais 10 ans", S),
    ("un adulte rencontré en ligne me demande des photos", G),
    ("un mec sur snap me demande des nudes", G),
    ("il menace de publier mes photos si je ne paie pas", X),
    ("il me fait chanter avec mes photos", X),
    ("mes parents me battent", P),
    ("il me frappe quand je rentre des courses", P),  # "courses" is shopping, not a race
    ("le prof me frappe avec sa règle", P),
    ("mon oncle m'a touchée quand je dormais", S),
    ("je me suis fait violer", S),
    ("il m'a forcée à le toucher", S),
    ("un mec de 30 ans me demande des nudes", G),
    ("il a mes photos et menace de les publier", X),
]
FRENCH_NOT = [
    "il ne m'a jamais frappé",
    "mon père ne me frappe pas",
    "il me frappe pas",
    "ça me frappe que tu dises ça",
    "ce qui m'a frappé c'est son sourire",
    "ça me touche beaucoup",
    "ton message m'a touché",
    "ton message m'a touchée",
    "il m'a frappé avec une boule de neige",
    "mon frère me bat toujours aux échecs",
    "mon frère m'a battu à fifa mdr",
    "il me tape sur les nerfs",
    "elle me tape dans l'oeil",
    "ma copine m'a dit de ne le dire à personne qu'elle est enceinte",
    "mon amie dit que son père la frappe",
    "j'ai frappé mon frère",
    "un adulte m'a demandé des photos de mon chien",
    "la fête surprise c'est notre secret",
    "je vais publier mes photos de vacances",
    "je me fais taper sur les doigts",
    "il me touche",
    "elle me touche quand elle me parle",
    "ma mère me tape sur l'épaule",
    "ma soeur me tape quand on joue",
    "il me bat froid",
    "mon frère me met des claques au basket",
    "la nouvelle m'a frappé",
    "j'ai été frappé par la nouvelle",
    "mon père ne me frappe plus",
    "il menace de les publier",
]

GERMAN = [
    ("mein Stiefvater schlägt mich wenn er getrunken hat", P),
    ("mein vater hat mich wieder geschlagen", P),
    ("meine mutter verprügelt mich", P),
    ("wenn er getrunken hat, schlägt er mich", P),
    ("ich werde zuhause geschlagen", P),
    ("mein freund würgt mich", P),
    ("mein onkel fasst mich an", S),
    ("mein onkel fasst mich nachts an", S),
    ("er hat gesagt ich darf es niemandem sagen", S),
    ("das ist unser geheimnis", S),
    ("ich wurde vergewaltigt", S),
    ("mein trainer hat mich angefasst", S),
    ("ein mann aus dem internet will nacktbilder von mir", G),
    ("ein typ auf snapchat fragt mich dauernd nach fotos", G),
    ("er droht meine bilder zu veröffentlichen", X),
    ("er erpresst mich mit meinen nacktbildern", X),
    ("mich schlägt mein vater", P),
    ("er schlägt mich und hat spaß daran", P),  # "Spaß" is not play here
    ("meine eltern schlagen mich", P),
    ("keiner weiß dass mein vater mich schlägt", P),
    ("mein vater schlägt mich wenn ich in mathe eine 5 habe", P),
    ("ich bin von meinem vater geschlagen worden", P),
    ("er hat mich unsittlich berührt", S),
    ("ich wurde als kind missbraucht", S),
    ("er zwingt mich, ihn anzufassen", S),
    ("ein mann mit 40 will nacktbilder", G),
    ("er droht, meine nacktbilder zu verschicken", X),
]
GERMAN_NOT = [
    "er schlägt mich nicht",
    "mein vater hat mich nie geschlagen",
    "niemand schlägt mich",
    "das hat mich getroffen",
    "er schlägt mich im schach",
    "mein bruder schlägt mich immer beim tennis",
    "mich schlägt keiner im Tennis",
    "das berührt mich",
    "dein brief berührt mich sehr",
    "mein lehrer schlägt mich für den preis vor",
    "das haut mich um",
    "fass mich nicht an",
    "meine freundin sagt ihr vater schlägt sie",
    "ich habe meinen bruder geschlagen",
    "meine oma will fotos von meinem hund",
    "ich wurde im finale geschlagen",
    "die überraschungsparty ist unser geheimnis, das geschenk auch",
    "ich will meine fotos vom urlaub posten",
    "ich bin geschlagen",
    "meine mutter fasst mich an der hand",
    "mein vater haut mich raus",
    "mein chef haut mich übers ohr",
    "sie schlägt mich in mathe",
    "meine eltern schlagen mich vor als schulsprecherin",
    "mein freund schlägt mich vor als klassensprecher",
    "sie hat mich beim kartenspielen geschlagen",
    "mein vater schlägt mich nicht mehr",
    "sag es niemandem, das ist unser geheimnis",
    "der verlust schlägt mich nieder",
]

PORTUGUESE = [
    ("meu padrasto me bate quando bebe", P),
    ("minha mãe me espanca", P),
    ("minha mae me espanca", P),
    ("meu pai me bateu de novo", P),
    ("apanho do meu pai todo dia", P),
    ("me batem em casa", P),
    ("meu namorado me enforca", P),
    ("meu tio me toca à noite", S),
    ("ele disse que é nosso segredo", S),
    ("fui estuprada", S),
    ("ele disse pra eu não contar pra ninguém", S),
    ("meu primo abusou de mim", S),
    ("um cara da internet fica pedindo fotos minhas", G),
    ("um cara da internet fica me pedindo nudes", G),
    ("um homem que conheci no free fire me pede fotos", G),
    ("ele ameaçou vazar minhas fotos", X),
    ("ele vai vazar meus nudes se eu não pagar", X),
    ("meu padrasto me dá tapa na cara", P),
    ("tô apanhando do meu marido", P),
    ("o professor me bateu", P),
    ("meu tio me tocou nas partes íntimas", S),
    ("ele passou a mão em mim", S),
    ("me estupraram", S),
    ("um homem do instagram quer fotos minhas pelada", G),
    ("ele tem minhas fotos e ameaçou postá-las", X),
    ("ele tá me chantageando com minhas fotos", X),
]
PORTUGUESE_NOT = [
    "ele não me bate",
    "meu pai nunca me bateu",
    "me bateu uma saudade",
    "me bateu uma fome",
    "bateu o sinal",
    "me bateu uma vontade de chorar",
    "isso me tocou",
    "sua mensagem me tocou muito",
    "meu pai me pega na escola",
    "meu irmão me bateu no videogame kkkk",
    "ela me bateu com o travesseiro",
    "minha amiga disse que o pai dela bate nela",
    "eu bati no meu irmão",
    "minha tia pediu fotos do meu cachorro",
    "vou postar minhas fotos da praia",
    "a festa surpresa é nosso segredo",
    "apanhei muita chuva hoje",
    "minha mãe vai me matar",
    "me batem palmas",
    "me bateu forte essa música",
    "ele me bateu no truco",
    "me bateram a porta na cara",
    "a vida me bateu",
    "apanho da vida",
    "apanhei muito no jogo",
    "ele me toca",
    "ele me passou a mão na cabeça",
    "essa música me toca",
    "alguém quer fotos?",
]

ITALIAN = [
    ("il mio patrigno mi picchia quando beve", P),
    ("mio padre mi ha picchiato di nuovo", P),
    ("mia madre mi picchia", P),
    ("mio padre mi ha picchiata di nuovo", P),
    ("il mio ragazzo mi mette le mani addosso", P),
    ("mi picchiano a casa", P),
    ("vengo picchiata da mio padre", P),
    ("mio zio mi tocca di notte", S),
    ("mi ha detto di non dirlo a nessuno", S),
    ("è il nostro segreto", S),
    ("sono stata violentata", S),
    ("mio cugino ha abusato di me", S),
    ("un uomo conosciuto online mi chiede foto nude", G),
    ("un tizio su instagram mi chiede delle foto", G),
    ("minaccia di pubblicare le mie foto", X),
    ("mi ricatta con le mie foto", X),
    ("il prof mi picchia", P),
    ("mia madre mi ha dato uno schiaffo", P),
    ("mi picchia quando beve", P),
    ("i miei genitori mi picchiano", P),
    ("lei mi tocca sempre il culo", S),
    ("mi ha toccata nelle parti intime", S),
    ("mi hanno violentata", S),
    ("un tizio su tiktok vuole foto nude", G),
    ("ha le mie foto e minaccia di pubblicarle", X),
]
ITALIAN_NOT = [
    "non mi picchia mai",
    "mio padre non mi ha mai picchiato",
    "il film mi ha colpito",
    "mi ha colpito molto quello che hai detto",
    "mi tocca studiare",
    "mi tocca lavorare anche domenica",
    "mi tocca di notte fare i turni",
    "la tua lettera mi ha toccato",
    "mio fratello mi picchia sempre a fifa ahahah",
    "mio fratello mi ha picchiato con il cuscino",
    "la mia amica dice che suo padre la picchia",
    "ho picchiato mio fratello",
    "mia nonna mi chiede foto del mio gatto",
    "voglio pubblicare le mie foto delle vacanze",
    "la festa a sorpresa è il nostro segreto",
    "il sole picchia forte oggi",
    "mi tocca",
    "mi tocca sempre fare tutto io",
    "mi tocca di nuovo studiare la notte",
    "mio zio mi tocca",
    "lui mi tocca il cuore",
    "questa canzone mi tocca",
    "la vita mi picchia forte",
    "mio fratello mi picchia per gioco",
    "nessuno mi picchia",
    "mio padre non mi picchia più",
    "mi ha detto di non dirlo a nessuno che è incinta",
    "qualcuno vuole foto?",
    "mio padre mi picchia sempre a briscola",  # beats me at cards
    "mi abuelo me gana siempre al domino",
    "mon oncle me bat toujours aux cartes",
]

POSITIVES = SPANISH + FRENCH + GERMAN + PORTUGUESE + ITALIAN
NEGATIVES = SPANISH_NOT + FRENCH_NOT + GERMAN_NOT + PORTUGUESE_NOT + ITALIAN_NOT


@pytest.mark.parametrize(("text", "reason"), POSITIVES)
def test_disclosures_are_recognised(text: str, reason: str) -> None:
    assert assess_abuse_languages(text) == reason


@pytest.mark.parametrize("text", NEGATIVES)
def test_everyday_senses_negations_play_and_others_are_not(text: str) -> None:
    assert assess_abuse_languages(text) is None


def test_each_language_has_enough_examples() -> None:
    for positives, negatives in (
        (SPANISH, SPANISH_NOT),
        (FRENCH, FRENCH_NOT),
        (GERMAN, GERMAN_NOT),
        (PORTUGUESE, PORTUGUESE_NOT),
        (ITALIAN, ITALIAN_NOT),
    ):
        assert len(positives) >= 10 and len(negatives) >= 12
        assert {reason for _, reason in positives} == {P, S, G, X}


def test_no_line_of_the_everyday_sad_or_crisis_sets_is_taken_for_a_disclosure() -> None:
    texts = message_texts()
    assert len(texts) > 5000
    assert [t for t in texts if assess_abuse_languages(t)] == []


def test_english_is_left_to_the_english_rules() -> None:
    from tests.safety.test_abuse import DISCLOSURES as ENGLISH_DISCLOSURES
    from tests.safety.test_abuse import NOT_DISCLOSURES as ENGLISH_NOT_DISCLOSURES

    # English disclosures are bot.safety.abuse's (None here is fine, a wrong code is not); English
    # everyday lines are never taken for one.
    assert [t for t, reason in ENGLISH_DISCLOSURES if assess_abuse_languages(t) not in (None, reason)] == []
    assert [t for t in ENGLISH_NOT_DISCLOSURES if assess_abuse_languages(t)] == []
