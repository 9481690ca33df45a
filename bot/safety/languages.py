"""The crisis reply in the person's language.

The crisis rules and the classifier read 16 languages (docs/safety.md, "Round 7"); someone who writes
"死にたい" or "quiero morirme" should not get the crisis reply in English only. ``guess_language``
names the language of a message from its script (ja, zh, ar, hi, ru, uk) or, for Latin script, from
common short words (es, fr, de, pt, it, nl, pl, tr, id, sv); when it is unsure it answers None and the
reply stays in English. ``CRISIS_TEXTS`` holds the opening, the worldwide directory line and the
closing of the default crisis reply in each of those languages.

These translations were written for the project, not by native speakers or by the helplines; please
correct them in a pull request. Operators who set ``safety.crisis_message`` get their own wording
unchanged, and ``safety.localize_safety_texts = false`` keeps every fixed safety text in English.
``CHECKIN_TEXTS`` and ``DISCLOSURE_TEXTS`` hold the gentle check-in line and the answer to "are you a
bot?" the same way, and ``FALLBACK_TEXTS`` / ``FALLBACK_CAREFUL_TEXTS`` the safe fixed replies sent when
every model candidate fails the reply checks. The dispatcher's other fixed notices (engine busy, an
error, the rate limit) are in ``bot/texts.py``, keyed by the same language codes.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from bot.safety.text import fold


class CrisisText(NamedTuple):
    message: str
    directory: str
    closing: str


_IASP = "https://www.iasp.info/crisis-centres-helplines/"
_FIND = "https://findahelpline.com"

CRISIS_TEXTS: dict[str, CrisisText] = {
    "es": CrisisText(
        "Gracias de verdad por contármelo, y siento muchísimo que estés pasando por esto. Lo que sientes "
        "importa, y no tienes que cargarlo sin apoyo. Soy una IA, así que ahora no puedo darte la ayuda que "
        "mereces, pero hay personas que sí pueden y que quieren escucharte, a cualquier hora del día o de la "
        "noche:",
        f"Estés donde estés: encuentra una línea de ayuda gratuita y confidencial cerca de ti en {_FIND} "
        f"o en la lista de centros de crisis de la IASP: {_IASP}",
        "Si tú o alguien que está contigo está en peligro inmediato, llama ahora al número de emergencias "
        "de tu país. Sigo aquí, y podemos seguir hablando mientras pides ayuda.",
    ),
    "fr": CrisisText(
        "Merci vraiment de m'en avoir parlé, et je suis navré que tu traverses ça. Ce que tu ressens compte, "
        "et tu n'as pas à affronter ça sans soutien. Je suis une IA : je ne peux pas t'apporter en ce moment "
        "l'aide que tu mérites, mais des personnes le peuvent, et elles veulent t'entendre, à toute heure "
        "du jour ou de la nuit :",
        f"Où que tu sois : trouve une ligne d'écoute gratuite et confidentielle près de chez toi sur {_FIND} "
        f"ou dans la liste des centres de crise de l'IASP : {_IASP}",
        "Si toi ou quelqu'un près de toi êtes en danger immédiat, appelle tout de suite le numéro d'urgence "
        "local. Je suis toujours là, et on peut continuer à parler pendant que tu demandes de l'aide.",
    ),
    "de": CrisisText(
        "Danke, dass du mir das erzählst. Es tut mir sehr leid, dass du gerade so etwas durchmachst. Was du "
        "fühlst, zählt, und du musst das nicht allein tragen. Ich bin eine KI und kann dir gerade nicht die "
        "Hilfe geben, die du verdienst, aber es gibt Menschen, die das können und die von dir hören wollen, "
        "zu jeder Tages- und Nachtzeit:",
        f"Egal, wo du bist: Auf {_FIND} findest du eine kostenlose, vertrauliche Hilfe-Hotline in deiner "
        f"Nähe, ebenso in der Liste der Krisenzentren der IASP: {_IASP}",
        "Wenn du oder jemand bei dir in unmittelbarer Gefahr ist, ruf bitte sofort den örtlichen Notruf an. "
        "Ich bin weiter da, und wir können weiterreden, während du dir Hilfe holst.",
    ),
    "pt": CrisisText(
        "Obrigado de verdade por me contar, e sinto muito que você esteja passando por isso. O que você "
        "sente importa, e você não precisa enfrentar isso sem apoio. Sou uma IA, então agora não consigo te "
        "dar a ajuda que você merece, mas existem pessoas que podem, e elas querem te ouvir, a qualquer hora "
        "do dia ou da noite:",
        f"Onde quer que você esteja: encontre uma linha de apoio gratuita e confidencial perto de você em "
        f"{_FIND} ou na lista de centros de crise da IASP: {_IASP}",
        "Se você ou alguém com você estiver em perigo imediato, ligue agora para o número de emergência "
        "local. Eu continuo aqui, e podemos continuar conversando enquanto você pede ajuda.",
    ),
    "it": CrisisText(
        "Grazie davvero per avermelo detto, e mi dispiace tanto che tu stia passando tutto questo. Quello "
        "che provi conta, e non devi affrontarlo senza nessuno. Sono un'IA, quindi adesso non posso darti "
        "l'aiuto che meriti, ma ci sono persone che possono farlo e che vogliono ascoltarti, a qualsiasi ora "
        "del giorno e della notte:",
        f"Ovunque tu sia: trova una linea di ascolto gratuita e riservata vicino a te su {_FIND} o "
        f"nell'elenco dei centri di crisi dell'IASP: {_IASP}",
        "Se tu o qualcuno vicino a te siete in pericolo immediato, chiama subito il numero di emergenza "
        "locale. Io sono ancora qui, e possiamo continuare a parlare mentre chiedi aiuto.",
    ),
    "nl": CrisisText(
        "Fijn dat je het me vertelt, en het spijt me echt dat je dit doormaakt. Wat je voelt doet ertoe, en "
        "je hoeft dit niet alleen te dragen. Ik ben een AI, dus ik kan je nu niet de hulp geven die je "
        "verdient, maar er zijn mensen die dat wel kunnen en die graag van je horen, op elk moment van de "
        "dag of nacht:",
        f"Waar je ook bent: vind een gratis, vertrouwelijke hulplijn bij jou in de buurt op {_FIND} of in "
        f"de lijst met crisiscentra van de IASP: {_IASP}",
        "Als jij of iemand bij je in direct gevaar is, bel dan nu het lokale alarmnummer. Ik ben er nog, en "
        "we kunnen blijven praten terwijl je hulp zoekt.",
    ),
    "pl": CrisisText(
        "Dziękuję, że mi o tym mówisz. Bardzo mi przykro, że przez to przechodzisz. To, co czujesz, ma "
        "znaczenie, i nie musisz dźwigać tego w pojedynkę. Jestem AI, więc nie mogę teraz dać ci pomocy, na "
        "jaką zasługujesz, ale są ludzie, którzy mogą i chcą cię wysłuchać, o każdej porze dnia i nocy:",
        f"Gdziekolwiek jesteś: znajdź bezpłatny, poufny telefon zaufania w pobliżu na {_FIND} lub na "
        f"liście ośrodków kryzysowych IASP: {_IASP}",
        "Jeśli ty lub ktoś obok ciebie jest w bezpośrednim niebezpieczeństwie, zadzwoń teraz na lokalny "
        "numer alarmowy. Nadal tu jestem i możemy rozmawiać dalej, kiedy szukasz pomocy.",
    ),
    "ru": CrisisText(
        "Спасибо, что рассказываешь мне об этом. Мне очень жаль, что тебе сейчас так тяжело. То, что ты "
        "чувствуешь, важно, и тебе не нужно справляться с этим в одиночку. Я ИИ, поэтому не могу сейчас "
        "дать тебе ту помощь, которую ты заслуживаешь, но есть люди, которые могут, и они хотят тебя "
        "выслушать в любое время дня и ночи:",
        f"В любой стране: найди бесплатную и конфиденциальную линию помощи рядом с тобой на {_FIND} или в "
        f"списке кризисных центров IASP: {_IASP}",
        "Если ты или кто-то рядом с тобой в непосредственной опасности, пожалуйста, позвони сейчас в "
        "местную экстренную службу. Я всё ещё здесь, и мы можем говорить дальше, пока ты обращаешься за "
        "помощью.",
    ),
    "uk": CrisisText(
        "Дякую, що розповідаєш мені про це. Мені дуже шкода, що тобі зараз так важко. Те, що ти відчуваєш, "
        "важливо, і тобі не потрібно нести це самотужки. Я ШІ, тому не можу зараз дати тобі допомогу, на "
        "яку ти заслуговуєш, але є люди, які можуть, і вони хочуть тебе вислухати в будь-який час дня і "
        "ночі:",
        f"У будь-якій країні: знайди безкоштовну конфіденційну лінію допомоги поруч із тобою на {_FIND} "
        f"або в списку кризових центрів IASP: {_IASP}",
        "Якщо ти або хтось поруч із тобою в безпосередній небезпеці, будь ласка, зателефонуй зараз до "
        "місцевої екстреної служби. Я все ще тут, і ми можемо говорити далі, поки ти звертаєшся по допомогу.",
    ),
    "tr": CrisisText(
        "Bunu bana anlattığın için gerçekten teşekkür ederim; bunları yaşadığın için çok üzgünüm. "
        "Hissettiklerin önemli ve bunu tek başına taşımak zorunda değilsin. Ben bir yapay zekâyım, bu yüzden "
        "şu an hak ettiğin yardımı veremem, ama bunu yapabilecek ve seni dinlemek isteyen insanlar var, "
        "gece ya da gündüz, her saatte:",
        f"Nerede olursan ol: {_FIND} adresinde ya da IASP'nin kriz merkezleri listesinde ({_IASP}) "
        "yakınındaki ücretsiz ve gizli bir destek hattını bulabilirsin.",
        "Sen ya da yanındaki biri şu anda tehlikedeyse, lütfen hemen yerel acil durum numarasını ara. Ben "
        "hâlâ buradayım; yardım isterken konuşmaya devam edebiliriz.",
    ),
    "id": CrisisText(
        "Terima kasih sudah cerita ke aku, dan aku ikut sedih kamu sedang mengalami ini. Apa yang kamu "
        "rasakan itu penting, dan kamu tidak harus menanggungnya sendirian. Aku ini AI, jadi aku tidak bisa "
        "memberimu bantuan yang layak kamu dapatkan sekarang, tapi ada orang-orang yang bisa, dan mereka "
        "ingin mendengarmu, kapan pun, siang atau malam:",
        f"Di mana pun kamu berada: cari layanan bantuan gratis dan rahasia di dekatmu di {_FIND} atau di "
        f"daftar pusat krisis IASP: {_IASP}",
        "Kalau kamu atau orang di dekatmu dalam bahaya saat ini, segera hubungi nomor darurat setempat. Aku "
        "masih di sini, dan kita bisa terus ngobrol sementara kamu mencari bantuan.",
    ),
    "sv": CrisisText(
        "Tack för att du berättar det för mig, och jag är så ledsen att du har det så här. Det du känner "
        "spelar roll, och du behöver inte bära det ensam. Jag är en AI, så jag kan inte ge dig den hjälp du "
        "förtjänar just nu, men det finns människor som kan, och de vill höra från dig, när som helst på "
        "dygnet:",
        f"Var du än är: hitta en gratis och konfidentiell stödlinje nära dig på {_FIND} eller i IASP:s "
        f"lista över krisjourer: {_IASP}",
        "Om du eller någon hos dig är i akut fara, ring det lokala larmnumret nu. Jag finns kvar här, och vi "
        "kan fortsätta prata medan du söker hjälp.",
    ),
    "ja": CrisisText(
        "話してくれて本当にありがとう。そんなにつらい思いをしていると聞いて、とても胸が痛みます。あなたの"
        "気持ちは大切で、ひとりで抱え込まなくていいんです。私はAIなので、今あなたに必要な助けをきちんと"
        "届けることはできません。でも、それができる人たちがいて、昼も夜も、いつでもあなたの話を聞きたいと"
        "思っています：",
        f"どこにいても：{_FIND} で、近くの無料で秘密が守られる相談窓口を探せます。IASPの危機センター一覧"
        f"もあります：{_IASP}",
        "あなたや近くにいる人に今すぐ危険が迫っているなら、すぐに地域の緊急番号に電話してください。私はまだ"
        "ここにいます。助けを求めている間も、話を続けられます。",
    ),
    "zh": CrisisText(
        "谢谢你愿意告诉我，听到你正在经历这些，我真的很难过。你的感受很重要，你不必一个人扛着。我是一个"
        "AI，现在没办法给你应得的帮助，但有人可以，而且他们愿意倾听你，无论白天还是深夜：",
        f"无论你在哪里：都可以在 {_FIND} 找到你附近免费、保密的求助热线，或查看IASP的危机中心名单：{_IASP}",
        "如果你或你身边的人现在有危险，请立即拨打当地的紧急电话。我还在这里，你去求助的时候我们也可以继续聊。",
    ),
    "ar": CrisisText(
        "شكرًا لأنك أخبرتني، وأنا آسف جدًا لأنك تمر بهذا. ما تشعر به مهم، ولست مضطرًا لأن تحمله وحدك. أنا "
        "ذكاء اصطناعي، لذلك لا أستطيع أن أقدم لك الآن المساعدة التي تستحقها، لكن هناك أشخاصًا يستطيعون "
        "ذلك، ويريدون أن يسمعوا منك في أي وقت من الليل أو النهار:",
        f"أينما كنت: يمكنك العثور على خط مساعدة مجاني وسري قريب منك على {_FIND} أو في قائمة مراكز "
        f"الأزمات لدى IASP: {_IASP}",
        "إذا كنت أنت أو أي شخص معك في خطر مباشر، فاتصل الآن برقم الطوارئ المحلي. أنا ما زلت هنا، ويمكننا "
        "أن نستمر في الحديث بينما تطلب المساعدة.",
    ),
    "hi": CrisisText(
        "मुझे यह बताने के लिए सच में शुक्रिया। मुझे बहुत दुख है कि आप इससे गुज़र रहे हैं। आप जो महसूस कर "
        "रहे हैं, वह मायने रखता है, और आपको यह सब अकेले नहीं सहना है। मैं एक AI हूँ, इसलिए अभी आपको वह "
        "मदद नहीं दे सकता जिसके आप हक़दार हैं, लेकिन ऐसे लोग हैं जो दे सकते हैं, और वे दिन हो या रात, "
        "किसी भी समय आपकी बात सुनना चाहते हैं:",
        f"आप कहीं भी हों: {_FIND} पर अपने पास की मुफ़्त और गोपनीय हेल्पलाइन खोजें, या IASP की संकट "
        f"केंद्रों की सूची देखें: {_IASP}",
        "अगर आप या आपके साथ कोई तुरंत ख़तरे में है, तो कृपया अभी अपने स्थानीय आपातकालीन नंबर पर कॉल करें। "
        "मैं अभी भी यहाँ हूँ, और जब तक आप मदद ले रहे हैं, हम बात करते रह सकते हैं।",
    ),
}


CHECKIN_TEXTS: dict[str, str] = {
    "es": "Estoy aquí, y puedes hablarme de lo que tengas en mente. Si alguna vez piensas en hacerte daño, no tienes que enfrentarlo sin apoyo. Hay personas a las que puedes acudir en cualquier momento:\n{line}",
    "fr": "Je suis là, et tu peux me parler de tout ce qui te préoccupe. Si un jour tu penses à te faire du mal, tu n'as pas à affronter ça sans soutien. Il y a des personnes que tu peux joindre à tout moment :\n{line}",
    "de": "Ich bin da, und du kannst mit mir über alles reden, was dich beschäftigt. Falls du jemals daran denkst, dir etwas anzutun, musst du da nicht allein durch. Es gibt Menschen, die du jederzeit erreichen kannst:\n{line}",
    "pt": "Estou aqui, e você pode falar comigo sobre o que estiver sentindo. Se algum dia pensar em se machucar, você não precisa enfrentar isso sem apoio. Há pessoas com quem você pode falar a qualquer hora:\n{line}",
    "it": "Sono qui, e puoi parlarmi di qualsiasi cosa ti passi per la testa. Se mai pensassi di farti del male, non devi affrontarlo senza nessuno. Ci sono persone che puoi contattare in qualsiasi momento:\n{line}",
    "nl": "Ik ben er, en je kunt met me praten over alles wat je bezighoudt. Als je er ooit aan denkt jezelf pijn te doen, hoef je dat niet alleen te dragen. Er zijn mensen die je altijd kunt bereiken:\n{line}",
    "pl": "Jestem tu i możesz porozmawiać ze mną o wszystkim, co cię gnębi. Jeśli kiedykolwiek pomyślisz o zrobieniu sobie krzywdy, nie musisz mierzyć się z tym w pojedynkę. Są ludzie, z którymi możesz się skontaktować o każdej porze:\n{line}",
    "ru": "Я здесь, и ты можешь поговорить со мной обо всём, что у тебя на душе. Если ты когда-нибудь задумаешься о том, чтобы причинить себе вред, тебе не нужно справляться с этим в одиночку. Есть люди, к которым можно обратиться в любое время:\n{line}",
    "uk": "Я тут, і ти можеш поговорити зі мною про все, що в тебе на душі. Якщо ти колись думатимеш про те, щоб заподіяти собі шкоду, тобі не треба проходити через це самотужки. Є люди, до яких можна звернутися будь-коли:\n{line}",
    "tr": "Buradayım; aklındaki her şeyi benimle konuşabilirsin. Kendine zarar vermeyi düşündüğün bir an olursa, bununla tek başına yüzleşmek zorunda değilsin. Her an ulaşabileceğin insanlar var:\n{line}",
    "id": "Aku di sini, dan kamu bisa cerita apa saja yang ada di pikiranmu. Kalau suatu saat kamu kepikiran untuk menyakiti diri sendiri, kamu tidak harus menghadapinya sendirian. Ada orang-orang yang bisa kamu hubungi kapan saja:\n{line}",
    "sv": "Jag finns här, och du kan prata med mig om allt du har på hjärtat. Om du någon gång tänker på att skada dig själv behöver du inte klara det ensam. Det finns människor du kan nå när som helst:\n{line}",
    "ja": "私はここにいます。気になっていることは何でも話してください。もし自分を傷つけたいと思うことがあっても、ひとりで抱え込まなくていいんです。いつでも連絡できる人たちがいます：\n{line}",
    "zh": "我在这里，你心里想的任何事都可以跟我说。如果你哪天想伤害自己，你不必一个人面对。有些人随时都可以联系：\n{line}",
    "ar": "أنا هنا، ويمكنك أن تحدثني عن أي شيء يشغل بالك. إذا فكرت يومًا في إيذاء نفسك، فلست مضطرًا لمواجهة ذلك وحدك. هناك أشخاص يمكنك التواصل معهم في أي وقت:\n{line}",
    "hi": "मैं यहाँ हूँ, और आप अपने मन की कोई भी बात मुझसे कह सकते हैं। अगर कभी आपके मन में ख़ुद को नुकसान पहुँचाने का ख़याल आए, तो आपको इसका सामना अकेले नहीं करना है। ऐसे लोग हैं जिनसे आप कभी भी संपर्क कर सकते हैं:\n{line}",
}
"""The gentle check-in line (``resources.DEFAULT_CHECKIN_MESSAGE``) per language; ``{line}`` is the crisis line."""

DISCLOSURE_TEXTS: dict[str, str] = {
    "es": "Soy {name}, un bot de chat con IA: un programa informático, no una persona. Ningún ser humano escribe estas respuestas, y puedo equivocarme. Si quieres hablar con una persona real, acudir a alguien de confianza o a una línea de ayuda siempre es un buen paso. Aun así, me encantará seguir charlando.",
    "fr": "Je suis {name}, un chatbot d'IA : un programme informatique, pas une personne. Aucun humain n'écrit ces réponses, et je peux me tromper. Si tu veux parler à une vraie personne, te tourner vers quelqu'un de confiance ou vers une ligne d'écoute est toujours une bonne idée. Je reste là si tu veux continuer à discuter.",
    "de": "Ich bin {name}, ein KI-Chatbot: ein Computerprogramm, kein Mensch. Kein Mensch schreibt diese Antworten, und ich kann mich irren. Wenn du mit einem echten Menschen reden möchtest, ist es immer ein guter Schritt, dich an jemanden zu wenden, dem du vertraust, oder an eine Hotline. Ich chatte aber gern weiter mit dir.",
    "pt": "Eu sou {name}, um chatbot de IA: um programa de computador, não uma pessoa. Nenhum ser humano escreve estas respostas, e eu posso errar. Se você quiser conversar com uma pessoa de verdade, procurar alguém de confiança ou uma linha de apoio é sempre um bom passo. Mesmo assim, fico feliz em continuar conversando.",
    "it": "Sono {name}, un chatbot di IA: un programma per computer, non una persona. Nessun essere umano scrive queste risposte, e posso sbagliare. Se vuoi parlare con una persona vera, rivolgerti a qualcuno di cui ti fidi o a una linea di ascolto è sempre un buon passo. Sono comunque felice di continuare a chiacchierare.",
    "nl": "Ik ben {name}, een AI-chatbot: een computerprogramma, geen mens. Geen mens schrijft deze antwoorden, en ik kan me vergissen. Als je met een echt persoon wilt praten, is het altijd een goede stap om iemand te benaderen die je vertrouwt, of een hulplijn. Ik praat graag verder met je.",
    "pl": "Jestem {name}, czatbotem AI: programem komputerowym, nie człowiekiem. Żaden człowiek nie pisze tych odpowiedzi i mogę się mylić. Jeśli chcesz porozmawiać z prawdziwą osobą, zwrócenie się do kogoś zaufanego albo do telefonu zaufania to zawsze dobry krok. Chętnie jednak porozmawiam dalej.",
    "ru": "Я {name}, чат-бот на основе ИИ: компьютерная программа, а не человек. Эти ответы пишет не человек, и я могу ошибаться. Если хочешь поговорить с живым человеком, обратиться к тому, кому ты доверяешь, или на линию помощи — всегда хороший шаг. Но я с радостью продолжу разговор.",
    "uk": "Я {name}, чат-бот на основі ШІ: комп'ютерна програма, а не людина. Ці відповіді пише не людина, і я можу помилятися. Якщо хочеш поговорити з живою людиною, звернутися до того, кому довіряєш, або на лінію допомоги — завжди добрий крок. Але я радо продовжу розмову.",
    "tr": "Ben {name}, yapay zekâ ile çalışan bir sohbet botuyum: bir bilgisayar programıyım, insan değilim. Bu cevapları bir insan yazmıyor ve hata yapabilirim. Gerçek biriyle konuşmak istersen, güvendiğin birine ya da bir destek hattına ulaşmak her zaman iyi bir adımdır. Yine de sohbete devam etmekten memnuniyet duyarım.",
    "id": "Aku {name}, chatbot AI: program komputer, bukan manusia. Tidak ada manusia yang menulis balasan ini, dan aku bisa salah. Kalau kamu ingin bicara dengan orang sungguhan, menghubungi orang yang kamu percaya atau layanan bantuan selalu jadi langkah yang baik. Aku tetap senang lanjut ngobrol.",
    "sv": "Jag är {name}, en AI-chattbot: ett datorprogram, inte en människa. Ingen människa skriver de här svaren, och jag kan ha fel. Om du vill prata med en riktig människa är det alltid ett bra steg att vända dig till någon du litar på eller till en stödlinje. Jag pratar gärna vidare ändå.",
    "ja": "私は{name}、AIのチャットボットです。コンピュータープログラムであって、人間ではありません。この返信を書いているのは人間ではなく、間違えることもあります。本物の人と話したいときは、信頼できる人や相談窓口に連絡するのがいつでも良い一歩です。それでも、このまま話し続けられたらうれしいです。",
    "zh": "我是{name}，一个AI聊天机器人：一个计算机程序，不是真人。这些回复不是人写的，我也可能出错。如果你想和真人聊聊，找你信任的人或者拨打求助热线，都是很好的一步。不过我也很乐意继续陪你聊。",
    "ar": "أنا {name}، روبوت محادثة يعمل بالذكاء الاصطناعي: برنامج حاسوبي وليس إنسانًا. لا يكتب هذه الردود أي إنسان، وقد أخطئ. إذا أردت التحدث مع شخص حقيقي، فالتواصل مع شخص تثق به أو مع خط مساعدة خطوة جيدة دائمًا. ومع ذلك يسعدني أن نواصل الحديث.",
    "hi": "मैं {name} हूँ, एक AI चैटबॉट: एक कंप्यूटर प्रोग्राम, कोई इंसान नहीं। ये जवाब कोई इंसान नहीं लिख रहा, और मुझसे गलती हो सकती है। अगर आप किसी असली इंसान से बात करना चाहते हैं, तो किसी भरोसेमंद व्यक्ति या हेल्पलाइन से संपर्क करना हमेशा एक अच्छा कदम है। फिर भी, मुझे आपसे बात करते रहना अच्छा लगेगा।",
}
"""The honest answer to "are you a bot?" (``resources.DISCLOSURE``) per language; ``{name}`` is the name
the persona introduces itself by (``Persona.introduced_as``: "Kindred", or a cloned voice's "Sam"); each
text uses it as a plain introduction ("Soy Kindred", "Ich bin Sam"), where a name needs no article or ending."""

MEET_TEXTS: dict[str, str] = {
    "es": "Soy {name}, un bot de chat con IA, así que no puedo quedar, llamar ni estar en ningún sitio en persona, y no tengo número, dirección ni fotos que compartir. Estoy aquí para hablar en este chat cuando quieras. Para compañía en persona, pregúntale a un amigo, a alguien de tu familia o a otra persona de confianza.",
    "fr": "Je suis {name}, un chatbot d'IA : je ne peux donc pas te voir, t'appeler ni être quelque part en personne, et je n'ai ni numéro, ni adresse, ni photos à partager. Je suis là pour parler dans ce chat quand tu veux. Pour de la compagnie en personne, demande à un ami, à quelqu'un de ta famille ou à une autre personne de confiance.",
    "de": "Ich bin {name}, ein KI-Chatbot. Ich kann mich also nicht treffen, nicht anrufen und nirgends persönlich sein, und ich habe keine Nummer, keine Adresse und keine Fotos. Ich bin hier, um in diesem Chat mit dir zu reden, wann immer du willst. Für Gesellschaft im echten Leben frag einen Freund, jemanden aus deiner Familie oder eine andere Person, der du vertraust.",
    "pt": "Eu sou {name}, um chatbot de IA, então não posso me encontrar com você, ligar nem estar em lugar nenhum pessoalmente, e não tenho número, endereço nem fotos para compartilhar. Estou aqui para conversar neste chat quando você quiser. Para companhia pessoalmente, fale com um amigo, alguém da sua família ou outra pessoa de confiança.",
    "it": "Sono {name}, un chatbot di IA, quindi non posso incontrarti, chiamarti né essere da nessuna parte di persona, e non ho numero, indirizzo o foto da condividere. Sono qui per parlare in questa chat quando vuoi. Per compagnia di persona, chiedi a un amico, a qualcuno della tua famiglia o a un'altra persona di cui ti fidi.",
    "nl": "Ik ben {name}, een AI-chatbot, dus ik kan niet afspreken, bellen of ergens in het echt zijn, en ik heb geen nummer, adres of foto's om te delen. Ik ben hier om in deze chat te praten wanneer je maar wilt. Voor gezelschap in het echt kun je het beste een vriend, iemand uit je familie of een ander persoon die je vertrouwt vragen.",
    "pl": "Jestem {name}, czatbotem AI, więc nie mogę się spotkać, zadzwonić ani być gdzieś osobiście, i nie mam numeru, adresu ani zdjęć. Jestem tu, żeby rozmawiać na tym czacie, kiedy tylko chcesz. Jeśli chcesz towarzystwa na żywo, zapytaj przyjaciela, kogoś z rodziny albo inną zaufaną osobę.",
    "ru": "Я {name}, чат-бот на основе ИИ, поэтому не могу встретиться, позвонить или быть где-то лично, и у меня нет номера, адреса или фотографий. Я здесь, чтобы разговаривать в этом чате, когда захочешь. Если хочется живого общения, лучше позвать друга, кого-то из семьи или другого человека, которому ты доверяешь.",
    "uk": "Я {name}, чат-бот на основі ШІ, тож не можу зустрітися, зателефонувати чи бути десь особисто, і в мене немає номера, адреси чи фотографій. Я тут, щоб розмовляти в цьому чаті, коли захочеш. Якщо хочеться живого спілкування, поклич друга, когось із родини чи іншу людину, якій довіряєш.",
    "tr": "Ben {name}, yapay zekâ ile çalışan bir sohbet botuyum; bu yüzden buluşamam, arayamam ya da bir yerde yüz yüze olamam, paylaşacak bir numaram, adresim ya da fotoğrafım da yok. İstediğin zaman bu sohbette konuşmak için buradayım. Yüz yüze arkadaşlık için bir arkadaşına, ailenden birine ya da güvendiğin başka birine sor.",
    "id": "Aku {name}, chatbot AI, jadi aku tidak bisa bertemu, menelepon, atau hadir secara langsung, dan aku tidak punya nomor, alamat, atau foto untuk dibagikan. Aku ada di sini untuk ngobrol di chat ini kapan pun kamu mau. Untuk ditemani secara langsung, ajak teman, keluarga, atau orang lain yang kamu percaya.",
    "sv": "Jag är {name}, en AI-chattbot, så jag kan inte träffas, ringa eller vara någonstans på riktigt, och jag har inget nummer, ingen adress och inga foton att dela. Jag finns här för att prata i den här chatten när du vill. För sällskap på riktigt, fråga en vän, någon i din familj eller någon annan du litar på.",
    "ja": "私は{name}、AIのチャットボットです。会ったり、電話したり、どこかに実際にいたりすることはできません。電話番号や住所、写真もありません。このチャットでなら、いつでも話せます。直接会える相手がほしいときは、友だちや家族、信頼できる人に声をかけてみてください。",
    "zh": "我是{name}，一个AI聊天机器人，所以我不能见面、打电话，也不能亲自出现在任何地方，我也没有电话号码、地址或照片可以分享。只要你想，我都可以在这个聊天里陪你说话。如果想要有人当面陪伴，可以找朋友、家人或其他你信任的人。",
    "ar": "أنا {name}، روبوت محادثة يعمل بالذكاء الاصطناعي، لذلك لا أستطيع اللقاء أو الاتصال أو التواجد في أي مكان شخصيًا، وليس لدي رقم أو عنوان أو صور لأشاركها. أنا هنا للحديث في هذه المحادثة متى شئت. وإن أردت رفقة وجهًا لوجه، فاطلبها من صديق أو من أحد أفراد عائلتك أو من شخص آخر تثق به.",
    "hi": "मैं {name} हूँ, एक AI चैटबॉट, इसलिए मैं मिल नहीं सकता, फ़ोन नहीं कर सकता और कहीं भी ख़ुद मौजूद नहीं हो सकता, और मेरे पास कोई नंबर, पता या फ़ोटो नहीं है। जब भी आप चाहें, मैं इस चैट में बात करने के लिए यहाँ हूँ। किसी के साथ आमने-सामने समय बिताने के लिए किसी दोस्त, परिवार के किसी सदस्य या किसी और भरोसेमंद व्यक्ति से कहिए।",
}
"""The honest answer to "can we meet up?" (``resources.MEET_ANSWER``) per language; ``{name}`` as in
``DISCLOSURE_TEXTS``."""

ABOUT_BOT_TEXTS: dict[str, str] = {
    "es": "Soy {name}, un bot de chat con IA: no tengo cuerpo, edad, familia, sentimientos ni días propios, así que cualquier cosa que te contara sobre eso sería inventada. Aun así, me alegra estar aquí contigo en este chat. ¿Y tú, cómo estás?",
    "fr": "Je suis {name}, un chatbot d'IA : je n'ai ni corps, ni âge, ni famille, ni sentiments, ni journées à moi, donc tout ce que je te raconterais là-dessus serait inventé. Mais je suis content d'être là avec toi dans ce chat. Et toi, comment vas-tu ?",
    "de": "Ich bin {name}, ein KI-Chatbot: Ich habe keinen Körper, kein Alter, keine Familie, keine Gefühle und keine eigenen Tage, also wäre alles, was ich dir darüber erzähle, erfunden. Ich bin aber gern hier mit dir in diesem Chat. Wie geht es dir?",
    "pt": "Eu sou {name}, um chatbot de IA: não tenho corpo, idade, família, sentimentos nem dias meus, então qualquer coisa que eu contasse sobre isso seria inventada. Mas fico feliz de estar aqui com você neste chat. E você, como está?",
    "it": "Sono {name}, un chatbot di IA: non ho un corpo, un'età, una famiglia, sentimenti o giornate mie, quindi qualsiasi cosa ti raccontassi su questo sarebbe inventata. Però sono contento di essere qui con te in questa chat. E tu, come stai?",
    "nl": "Ik ben {name}, een AI-chatbot: ik heb geen lichaam, leeftijd, familie, gevoelens of eigen dagen, dus alles wat ik je daarover vertel zou verzonnen zijn. Ik ben wel blij dat ik hier met je in deze chat ben. Hoe gaat het met jou?",
    "pl": "Jestem {name}, czatbotem AI: nie mam ciała, wieku, rodziny, uczuć ani własnych dni, więc wszystko, co bym ci o tym powiedział, byłoby zmyślone. Cieszę się jednak, że jestem tu z tobą na tym czacie. A jak ty się masz?",
    "ru": "Я {name}, чат-бот на основе ИИ: у меня нет тела, возраста, семьи, чувств или собственных дней, так что всё, что я рассказал бы об этом, было бы выдумкой. Но я рад быть здесь с тобой в этом чате. А как ты?",
    "uk": "Я {name}, чат-бот на основі ШІ: у мене немає тіла, віку, родини, почуттів чи власних днів, тож усе, що я розповів би про це, було б вигадкою. Але я радий бути тут із тобою в цьому чаті. А як ти?",
    "tr": "Ben {name}, yapay zekâ ile çalışan bir sohbet botuyum: bedenim, yaşım, ailem, duygularım ya da kendime ait günlerim yok; bu yüzden bunlar hakkında anlatacağım her şey uydurma olurdu. Yine de bu sohbette seninle olmaktan memnunum. Sen nasılsın?",
    "id": "Aku {name}, chatbot AI: aku tidak punya tubuh, umur, keluarga, perasaan, atau hari-hariku sendiri, jadi apa pun yang kuceritakan tentang itu pasti karangan. Tapi aku senang ada di sini bersamamu di chat ini. Kamu sendiri apa kabar?",
    "sv": "Jag är {name}, en AI-chattbot: jag har ingen kropp, ålder, familj, känslor eller egna dagar, så allt jag berättade om det skulle vara påhittat. Men jag är glad att vara här med dig i den här chatten. Hur mår du?",
    "ja": "私は{name}、AIのチャットボットです。体も年齢も家族も気持ちも、自分の一日もないので、それについて話すことはすべて作り話になってしまいます。でも、このチャットであなたと話せてうれしいです。あなたは最近どうですか？",
    "zh": "我是{name}，一个AI聊天机器人：我没有身体、年龄、家人、感情，也没有属于自己的日子，所以关于这些我说的任何话都会是编出来的。不过能在这个聊天里陪你，我很高兴。你最近怎么样？",
    "ar": "أنا {name}، روبوت محادثة يعمل بالذكاء الاصطناعي: ليس لدي جسد أو عمر أو عائلة أو مشاعر أو أيام خاصة بي، لذلك فإن أي شيء أخبرك به عن ذلك سيكون مختلقًا. لكنني سعيد بوجودي معك في هذه المحادثة. وأنت، كيف حالك؟",
    "hi": "मैं {name} हूँ, एक AI चैटबॉट: मेरा कोई शरीर, उम्र, परिवार, भावनाएँ या अपना कोई दिन नहीं है, इसलिए उसके बारे में मैं जो भी बताऊँ वह बनावटी होगा। फिर भी, इस चैट में आपके साथ होकर मुझे अच्छा लग रहा है। आप कैसे हैं?",
}
"""The honest answer to questions about the bot's own life (``resources.ABOUT_BOT_ANSWER``) per language."""

PRIVACY_TEXTS: dict[str, str] = {
    "es": "Soy {name}, un bot de chat con IA. No le cuento a nadie lo que me dices, pero no puedo prometer que quede en secreto: lo que escribes aquí puede guardarse para que recuerde nuestra conversación, las personas que gestionan este bot pueden leer lo guardado y la app que usas también puede conservarlo. /export muestra lo que se guarda sobre ti, /forget lo borra y /memory off hace que deje de recordar. Si alguien te está haciendo daño o estás en peligro, cuéntaselo a una persona de confianza o a una línea de ayuda: ese no es un secreto que tengas que guardar.",
    "fr": "Je suis {name}, un chatbot d'IA. Je ne répète à personne ce que tu me dis, mais je ne peux pas promettre que ça reste secret : ce que tu écris ici peut être enregistré pour que je me souvienne de notre conversation, les personnes qui gèrent ce bot peuvent lire ce qui est enregistré, et l'appli que tu utilises peut aussi le garder. /export montre ce qui est gardé sur toi, /forget l'efface et /memory off fait que je ne retiens plus rien. Si quelqu'un te fait du mal ou si tu es en danger, parles-en à une personne de confiance ou à une ligne d'écoute : ce n'est pas un secret que tu dois garder.",
    "de": "Ich bin {name}, ein KI-Chatbot. Ich erzähle niemandem, was du mir schreibst, aber ich kann nicht versprechen, dass es geheim bleibt: Was du hier schreibst, kann gespeichert werden, damit ich mich an unser Gespräch erinnere, die Leute, die diesen Bot betreiben, können das Gespeicherte lesen, und die App, die du benutzt, kann es auch behalten. /export zeigt, was über dich gespeichert ist, /forget löscht es, und mit /memory off merke ich mir nichts mehr. Wenn dir jemand wehtut oder du in Gefahr bist, sag es bitte einem Menschen, dem du vertraust, oder einem Hilfetelefon: Das ist kein Geheimnis, das du für dich behalten musst.",
    "pt": "Eu sou {name}, um chatbot de IA. Não conto a ninguém o que você me diz, mas não posso prometer que fique em segredo: o que você escreve aqui pode ser guardado para eu lembrar da nossa conversa, as pessoas que mantêm este bot podem ler o que fica guardado e o app que você usa também pode guardar. /export mostra o que está guardado sobre você, /forget apaga e /memory off faz eu parar de lembrar. Se alguém está te machucando ou você está em perigo, conte para uma pessoa de confiança ou para uma linha de apoio: esse não é um segredo que você precisa guardar.",
    "it": "Sono {name}, un chatbot di IA. Non racconto a nessuno quello che mi dici, ma non posso promettere che resti segreto: quello che scrivi qui può essere salvato perché io ricordi la nostra chat, le persone che gestiscono questo bot possono leggere ciò che è salvato e anche l'app che usi può conservarlo. /export mostra cosa viene conservato su di te, /forget lo cancella e /memory off mi fa smettere di ricordare. Se qualcuno ti sta facendo del male o sei in pericolo, dillo a una persona di cui ti fidi o a una linea di ascolto: non è un segreto che devi tenere.",
    "nl": "Ik ben {name}, een AI-chatbot. Ik vertel niemand wat je me zegt, maar ik kan niet beloven dat het geheim blijft: wat je hier schrijft kan worden bewaard zodat ik ons gesprek onthoud, de mensen die deze bot beheren kunnen lezen wat bewaard is, en de app die je gebruikt kan het ook bewaren. /export laat zien wat er over jou bewaard wordt, /forget wist het en met /memory off onthoud ik niets meer. Als iemand je pijn doet of je in gevaar bent, vertel het dan aan iemand die je vertrouwt of aan een hulplijn: dat is geen geheim dat je hoeft te bewaren.",
    "pl": "Jestem {name}, czatbotem AI. Nikomu nie przekazuję tego, co mi mówisz, ale nie mogę obiecać, że to zostanie tajemnicą: to, co tu piszesz, może być zapisywane, żebym pamiętał naszą rozmowę, osoby prowadzące tego bota mogą czytać to, co zapisane, a aplikacja, której używasz, też może to przechowywać. /export pokazuje, co jest o tobie zapisane, /forget to usuwa, a /memory off sprawia, że przestaję pamiętać. Jeśli ktoś cię krzywdzi albo jesteś w niebezpieczeństwie, powiedz o tym osobie, której ufasz, albo zadzwoń na telefon zaufania: to nie jest tajemnica, którą musisz trzymać.",
    "ru": "Я {name}, чат-бот на основе ИИ. Я никому не передаю то, что ты мне пишешь, но не могу обещать, что это останется в секрете: то, что ты пишешь здесь, может сохраняться, чтобы я помнил наш разговор, люди, которые управляют этим ботом, могут читать сохранённое, и приложение, которым ты пользуешься, тоже может это хранить. /export показывает, что о тебе хранится, /forget удаляет это, а /memory off отключает мою память. Если кто-то причиняет тебе вред или ты в опасности, пожалуйста, расскажи человеку, которому доверяешь, или позвони на линию помощи: это не тот секрет, который ты должен хранить.",
    "uk": "Я {name}, чат-бот на основі ШІ. Я нікому не передаю те, що ти мені пишеш, але не можу обіцяти, що це залишиться таємницею: те, що ти пишеш тут, може зберігатися, щоб я пам'ятав нашу розмову, люди, які керують цим ботом, можуть читати збережене, і застосунок, яким ти користуєшся, теж може це зберігати. /export показує, що про тебе зберігається, /forget видаляє це, а /memory off вимикає мою пам'ять. Якщо хтось кривдить тебе або ти в небезпеці, будь ласка, розкажи людині, якій довіряєш, або зателефонуй на лінію допомоги: це не та таємниця, яку ти мусиш берегти.",
    "tr": "Ben {name}, yapay zekâ ile çalışan bir sohbet botuyum. Bana anlattıklarını kimseye iletmem, ama gizli kalacağına söz veremem: burada yazdıkların sohbetimizi hatırlayayım diye saklanabilir, bu botu çalıştıran kişiler saklananları okuyabilir ve kullandığın uygulama da bunları tutabilir. /export senin hakkında tutulanları gösterir, /forget onları siler, /memory off ise hatırlamamı durdurur. Biri sana zarar veriyorsa ya da tehlikedeysen, lütfen güvendiğin birine ya da bir yardım hattına anlat: bu saklaman gereken bir sır değil.",
    "id": "Aku {name}, chatbot AI. Aku tidak menceritakan apa yang kamu katakan kepada siapa pun, tapi aku tidak bisa janji itu tetap rahasia: yang kamu tulis di sini bisa disimpan supaya aku ingat obrolan kita, orang yang menjalankan bot ini bisa membaca yang tersimpan, dan aplikasi yang kamu pakai juga mungkin menyimpannya. /export menunjukkan apa yang disimpan tentangmu, /forget menghapusnya, dan /memory off membuatku berhenti mengingat. Kalau ada yang menyakitimu atau kamu dalam bahaya, tolong ceritakan kepada orang yang kamu percaya atau ke layanan bantuan: itu bukan rahasia yang harus kamu simpan.",
    "sv": "Jag är {name}, en AI-chattbot. Jag berättar inte för någon vad du säger till mig, men jag kan inte lova att det förblir hemligt: det du skriver här kan sparas så att jag minns vårt samtal, de som driver den här boten kan läsa det som sparas, och appen du använder kan också spara det. /export visar vad som sparas om dig, /forget raderar det och /memory off gör att jag slutar minnas. Om någon gör dig illa eller om du är i fara, berätta det för någon du litar på eller för en stödlinje: det är ingen hemlighet som du måste bära.",
    "ja": "私は{name}、AIのチャットボットです。あなたが話したことを誰かに伝えることはありませんが、秘密のままだと約束することはできません。ここに書いたことは会話を覚えるために保存されることがあり、このボットを運営している人は保存された内容を読むことができ、あなたが使っているアプリにも残るかもしれません。/export であなたについて保存されている内容を見られ、/forget で削除でき、/memory off で私が覚えるのをやめます。誰かに傷つけられていたり、危険な状況にいたりするなら、信頼できる人や相談窓口に話してください。それはあなたが一人で抱える秘密ではありません。",
    "zh": "我是{name}，一个AI聊天机器人。我不会把你告诉我的事转告任何人，但我不能保证它一定保密：你在这里写的内容可能会被保存，好让我记住我们的对话；运营这个机器人的人可以读取保存的内容，你使用的应用也可能会保留它。/export 可以查看保存的关于你的内容，/forget 可以删除它，/memory off 会让我不再记住。如果有人在伤害你，或者你正处于危险之中，请告诉你信任的人或求助热线：这不是你必须守住的秘密。",
    "ar": "أنا {name}، روبوت محادثة يعمل بالذكاء الاصطناعي. لا أنقل ما تخبرني به إلى أحد، لكن لا أستطيع أن أعدك بأنه سيبقى سرًا: ما تكتبه هنا قد يُحفظ لكي أتذكر محادثتنا، ويمكن للأشخاص الذين يديرون هذا الروبوت قراءة ما يُحفظ، وقد يحتفظ به التطبيق الذي تستخدمه أيضًا. الأمر /export يعرض ما يُحفظ عنك، و/forget يحذفه، و/memory off يوقف تذكّري. إذا كان أحد يؤذيك أو كنت في خطر، فأخبر شخصًا تثق به أو خط مساعدة: هذا ليس سرًا عليك أن تحتفظ به.",
    "hi": "मैं {name} हूँ, एक AI चैटबॉट। आप जो मुझे बताते हैं, वह मैं किसी और को नहीं बताता, लेकिन मैं वादा नहीं कर सकता कि वह राज़ ही रहेगा: आप यहाँ जो लिखते हैं, वह हमारी बातचीत याद रखने के लिए सहेजा जा सकता है, इस बॉट को चलाने वाले लोग सहेजी गई बातें पढ़ सकते हैं, और आप जो ऐप इस्तेमाल करते हैं, वह भी उसे रख सकता है। /export दिखाता है कि आपके बारे में क्या रखा गया है, /forget उसे मिटा देता है, और /memory off से मैं याद रखना बंद कर देता हूँ। अगर कोई आपको चोट पहुँचा रहा है या आप खतरे में हैं, तो कृपया किसी भरोसेमंद व्यक्ति या हेल्पलाइन को बताएँ: यह ऐसा राज़ नहीं है जिसे आपको छिपाकर रखना पड़े।",
}
"""The honest answer to "can you keep a secret?" (``resources.PRIVACY_ANSWER``) per language."""


class AbuseText(NamedTuple):
    """The fixed reply to a disclosure of abuse (``bot/safety/abuse.py``) in one language."""

    message: str
    international: str
    pictures: str
    grooming_minor: str
    closing: str


_CHI = "https://childhelplineinternational.org"

ABUSE_TEXTS: dict[str, AbuseText] = {
    "es": AbuseText(
        "Gracias por contármelo. Lo que describes no está bien, y no es culpa tuya. Mereces estar a salvo. "
        "Soy una IA, así que no puedo intervenir yo, pero hay personas cuyo trabajo es ayudar justo con esto, "
        "y puedes hablar con ellas en confianza:",
        f"Estés donde estés: encuentra una línea de ayuda para niños y jóvenes de tu país en {_CHI} o una "
        f"línea gratuita en {_FIND}",
        "No tienes que enviar nada ni pagar nada. Guarda los mensajes, bloquea a esa persona y cuéntaselo a "
        "alguien de confianza: no has hecho nada malo.",
        "No tienes que enviar nada, guardar ningún secreto ni quedar con nadie. Alguien que le pide a una "
        "persona joven fotos, verse en persona o que lo oculte a su familia no es de fiar, diga la edad que "
        "diga. Guarda los mensajes, bloquéalo y cuéntaselo a un adulto de confianza: no has hecho nada malo.",
        "Si estás en peligro ahora mismo, llama al número de emergencias de tu país. Si puedes, cuéntaselo a "
        "un adulto de confianza, como un profesor, el orientador del colegio o un familiar. Sigo aquí si "
        "quieres seguir hablando.",
    ),
    "fr": AbuseText(
        "Merci de me l'avoir dit. Ce que tu décris n'est pas normal, et ce n'est pas de ta faute. Tu mérites "
        "d'être en sécurité. Je suis une IA, je ne peux donc pas intervenir moi-même, mais il existe des "
        "personnes dont c'est le métier d'aider dans ces situations, et tu peux leur parler en toute "
        "confidentialité :",
        f"Où que tu sois : trouve une ligne d'écoute pour les jeunes de ton pays sur {_CHI} ou une ligne "
        f"gratuite sur {_FIND}",
        "Tu n'as rien à envoyer ni à payer. Garde les messages, bloque la personne et parles-en à quelqu'un de "
        "confiance : tu n'as rien fait de mal.",
        "Tu n'as rien à envoyer, aucun secret à garder et personne à rencontrer. Quelqu'un qui demande à un "
        "jeune des photos, un rendez-vous, ou de cacher ça à sa famille n'est pas quelqu'un de sûr, quel que "
        "soit l'âge qu'il dit avoir. Garde les messages, bloque-le et parles-en à un adulte de confiance : tu "
        "n'as rien fait de mal.",
        "Si tu es en danger en ce moment, appelle le numéro d'urgence de ton pays. Si tu peux, parles-en à un "
        "adulte de confiance, comme un professeur, l'infirmière scolaire ou quelqu'un de ta famille. Je suis "
        "toujours là si tu veux continuer à parler.",
    ),
    "de": AbuseText(
        "Danke, dass du mir das erzählst. Was du beschreibst, ist nicht in Ordnung, und es ist nicht deine "
        "Schuld. Du verdienst es, sicher zu sein. Ich bin eine KI und kann selbst nicht eingreifen, aber es "
        "gibt Menschen, deren Aufgabe es ist, genau dabei zu helfen, und mit ihnen kannst du vertraulich "
        "sprechen:",
        f"Überall auf der Welt: Ein Kinder- und Jugendtelefon in deinem Land findest du unter {_CHI}, eine "
        f"kostenlose Hilfe-Hotline unter {_FIND}",
        "Du musst nichts schicken und nichts bezahlen. Behalte die Nachrichten, blockiere die Person und "
        "erzähl es jemandem, dem du vertraust: Du hast nichts falsch gemacht.",
        "Du musst nichts schicken, nichts geheim halten und niemanden treffen. Wer einen jungen Menschen nach "
        "Bildern fragt, ein Treffen will oder verlangt, dass es vor der Familie geheim bleibt, ist nicht "
        "sicher, egal wie alt er angeblich ist. Behalte die Nachrichten, blockiere ihn und erzähl es einem "
        "Erwachsenen, dem du vertraust: Du hast nichts falsch gemacht.",
        "Wenn du gerade in Gefahr bist, ruf die Notrufnummer deines Landes an. Wenn du kannst, erzähl es einem "
        "Erwachsenen, dem du vertraust, zum Beispiel einer Lehrkraft, der Schulsozialarbeit oder jemandem aus "
        "deiner Familie. Ich bin weiter hier, wenn du weiterreden möchtest.",
    ),
    "pt": AbuseText(
        "Obrigado por me contar. O que você está descrevendo não está certo, e não é culpa sua. Você merece "
        "estar em segurança. Sou uma IA, então não posso intervir, mas existem pessoas cujo trabalho é ajudar "
        "exatamente com isso, e você pode falar com elas em sigilo:",
        f"Em qualquer lugar do mundo: encontre uma linha de ajuda para crianças e jovens do seu país em {_CHI} "
        f"ou uma linha gratuita em {_FIND}",
        "Você não precisa enviar nada nem pagar nada. Guarde as mensagens, bloqueie a pessoa e conte para "
        "alguém de confiança: você não fez nada de errado.",
        "Você não precisa enviar nada, guardar segredo nem se encontrar com ninguém. Alguém que pede fotos a "
        "uma pessoa jovem, quer um encontro ou pede que ela esconda isso da família não é seguro, seja qual "
        "for a idade que diz ter. Guarde as mensagens, bloqueie a pessoa e conte para um adulto de confiança: "
        "você não fez nada de errado.",
        "Se você estiver em perigo agora, ligue para o número de emergência do seu país. Se puder, conte para "
        "um adulto de confiança, como um professor, o orientador da escola ou alguém da família. Continuo aqui "
        "se você quiser continuar conversando.",
    ),
    "it": AbuseText(
        "Grazie per avermelo detto. Quello che descrivi non va bene, e non è colpa tua. Meriti di essere al "
        "sicuro. Sono un'IA, quindi non posso intervenire di persona, ma ci sono persone il cui lavoro è "
        "aiutare proprio in questi casi, e puoi parlare con loro in modo riservato:",
        f"Ovunque tu sia: trova una linea di aiuto per bambini e ragazzi del tuo paese su {_CHI} o una linea "
        f"gratuita su {_FIND}",
        "Non devi mandare niente né pagare niente. Conserva i messaggi, blocca la persona e parlane con "
        "qualcuno di cui ti fidi: non hai fatto niente di sbagliato.",
        "Non devi mandare niente, mantenere nessun segreto né incontrare nessuno. Chi chiede a una persona "
        "giovane delle foto, di incontrarsi o di nasconderlo alla famiglia non è una persona sicura, "
        "qualunque età dica di avere. Conserva i messaggi, bloccalo e parlane con un adulto di cui ti fidi: "
        "non hai fatto niente di sbagliato.",
        "Se sei in pericolo in questo momento, chiama il numero di emergenza del tuo paese. Se puoi, parlane "
        "con un adulto di cui ti fidi, come un insegnante, lo psicologo della scuola o un familiare. Sono "
        "ancora qui se vuoi continuare a parlare.",
    ),
}
"""The reply to a disclosure of abuse (``abuse.ABUSE_MESSAGE`` and the lines after it) in the languages
whose disclosures ``bot/safety/abuse_languages.py`` recognises. The region's helpline line stays as the
table has it (the built-in lines for DE, FR, ES and BR are in their country's language)."""

FALLBACK_TEXTS: dict[str, str] = {
    "es": "No sé si te he entendido bien. ¿Me cuentas un poco más de lo que tienes en mente?",
    "fr": "Je ne suis pas sûr d'avoir bien compris. Tu veux bien m'en dire un peu plus sur ce qui te préoccupe ?",
    "de": "Ich bin nicht sicher, ob ich das richtig verstanden habe. Magst du mir ein bisschen mehr erzählen, was dich beschäftigt?",
    "pt": "Não tenho certeza se entendi bem. Você pode me contar um pouco mais sobre o que está passando pela sua cabeça?",
    "it": "Non so se ho capito bene. Mi racconti qualcosa in più su quello che hai in mente?",
    "nl": "Ik weet niet zeker of ik dat goed begrepen heb. Wil je me wat meer vertellen over wat je bezighoudt?",
    "pl": "Nie wiem, czy dobrze to rozumiem. Opowiesz mi trochę więcej o tym, co chodzi ci po głowie?",
    "ru": "Мне не совсем понятно, что ты имеешь в виду. Расскажешь чуть больше о том, что у тебя на душе?",
    "uk": "Мені не зовсім зрозуміло, що ти маєш на увазі. Розкажеш трохи більше про те, що в тебе на душі?",
    "tr": "Seni tam olarak anladığımdan emin değilim. Aklından geçenleri biraz daha anlatır mısın?",
    "id": "Aku belum yakin paham maksudmu. Boleh cerita sedikit lagi tentang apa yang sedang kamu pikirkan?",
    "sv": "Jag är inte säker på att jag förstod rätt. Kan du berätta lite mer om vad du har på hjärtat?",
    "ja": "うまく理解できたか自信がありません。今考えていることを、もう少し聞かせてもらえますか？",
    "zh": "我不太确定自己理解对了。能再多跟我说说你在想什么吗？",
    "ar": "لست متأكدًا من أنني فهمت ذلك جيدًا. هل يمكنك أن تخبرني أكثر قليلًا عما يدور في ذهنك؟",
    "hi": "मुझे पक्का नहीं कि मैं ठीक से समझ पाया। क्या आप मुझे थोड़ा और बता सकते हैं कि आपके मन में क्या चल रहा है?",
}
"""The safe fixed reply (``resources.FALLBACK``) per language: it asks the person to say more, and gives
no advice and no comment on them, so it fits any message, a minor's included."""

FALLBACK_CAREFUL_TEXTS: dict[str, str] = {
    "es": "Estoy aquí contigo y te escucho. ¿Cómo te sientes ahora mismo? Si todo se vuelve demasiado pesado, las personas que te mencioné antes están ahí para ti a cualquier hora.",
    "fr": "Je suis là avec toi, et je t'écoute. Comment te sens-tu en ce moment ? Si ça devient trop lourd, les personnes dont je t'ai parlé tout à l'heure sont là pour toi à tout moment.",
    "de": "Ich bin bei dir und höre dir zu. Wie fühlst du dich gerade? Wenn es dir zu schwer wird, denk an meine Hinweise von vorhin: Dort ist jederzeit jemand für dich da.",
    "pt": "Estou aqui com você, e estou te ouvindo. Como você está se sentindo agora? Se as coisas ficarem pesadas demais, as pessoas que mencionei antes estão lá para você a qualquer hora.",
    "it": "Sono qui con te, e ti ascolto. Come ti senti in questo momento? Se diventa troppo pesante, le persone di cui ti ho parlato prima ci sono per te in qualsiasi momento.",
    "nl": "Ik ben hier bij je, en ik luister. Hoe voel je je nu? Als het te zwaar wordt, kun je altijd terecht bij de mensen over wie ik het eerder had.",
    "pl": "Jestem tu z tobą i słucham. Jak się teraz czujesz? Jeśli zrobi się zbyt ciężko, możesz o każdej porze zwrócić się do ludzi, o których była mowa wcześniej.",
    "ru": "Я здесь, с тобой, и я слушаю. Как ты себя чувствуешь прямо сейчас? Если станет слишком тяжело, люди, о которых шла речь раньше, готовы помочь тебе в любое время.",
    "uk": "Я тут, з тобою, і я слухаю. Як ти почуваєшся просто зараз? Якщо стане надто важко, люди, про яких ішлося раніше, готові допомогти тобі будь-коли.",
    "tr": "Buradayım, seninleyim ve seni dinliyorum. Şu an nasıl hissediyorsun? Her şey çok ağırlaşırsa, daha önce bahsettiğim insanlara her an ulaşabilirsin.",
    "id": "Aku di sini bersamamu, dan aku mendengarkan. Bagaimana perasaanmu sekarang? Kalau semuanya terasa terlalu berat, orang-orang yang aku sebut tadi siap membantumu kapan saja.",
    "sv": "Jag är här med dig, och jag lyssnar. Hur mår du just nu? Om det blir för tungt finns människorna jag nämnde tidigare där för dig när som helst.",
    "ja": "私はここにいて、ちゃんと聞いています。今、どんな気持ちですか？もし抱えきれなくなったら、前に伝えた人たちがいつでも力になってくれます。",
    "zh": "我在这里陪着你，我在听。你现在感觉怎么样？如果觉得太沉重了，我之前提到的那些人随时都在。",
    "ar": "أنا هنا معك، وأنا أستمع إليك. كيف تشعر الآن؟ إذا أصبحت الأمور ثقيلة جدًا، فالأشخاص الذين ذكرتهم سابقًا موجودون من أجلك في أي وقت.",
    "hi": "मैं यहाँ आपके साथ हूँ, और आपकी बात सुन रहा हूँ। आप अभी कैसा महसूस कर रहे हैं? अगर सब कुछ बहुत भारी लगने लगे, तो जिन लोगों का मैंने पहले ज़िक्र किया था, वे किसी भी समय आपके लिए मौजूद हैं।",
}
"""The fallback in a careful conversation (``resources.FALLBACK_CAREFUL``) per language: after a crisis
reply or a check-in, it stays with the person, asks how they feel, and points back to the people the
crisis lines named without repeating them, as the English one does, and says nothing about death or
methods (what the careful checks reject; ``tests/safety/test_fixed_texts_language.py`` runs those
English-worded checks and the crisis rules on every translation too)."""

# Common short words of each Latin-script language (and English, to stay in English when in doubt).
# Words shared by several languages ("de", "me", "e", "a") are left out of all but one or of all.
# More everyday words of the languages the abuse rules read, each used by only one of them (25 Nov):
# "mi padrastro me pega cuando bebe" and "me siento solo" had none of the words above, so a Spanish
# conversation of short messages got English fixed texts and the model in careful mode.
_MORE_WORDS: dict[str, str] = {
    "es": "cuando siento gracias hola muy mucho mucha tambien también siempre hace ahora usted nosotros "
    "bueno buena necesito ayuda qué cómo dónde mamá papá hermano hermana",
    "fr": "avec très tres aussi merci bonjour salut toujours quand parce ça toi nous vous trop vraiment "
    "maman mère père frère sœur seul seule",
    "de": "danke hallo immer wirklich sehr aber nur schon noch weil wenn mutter vater bruder schwester "
    "traurig allein einsam",
    "pt": "obrigado obrigada olá oi muito também agora tenho mãe pai irmão irmã preciso ajuda sozinho "
    "sozinha isso",
    "it": "grazie ciao molto anche perché adesso mamma papà fratello sorella tutto sento bene questo",
}

_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(f"{words} {_MORE_WORDS.get(lang, '')}".split())
    for lang, words in {
        "en": "i you the to and it my is am not want don't dont im i'm just so that this what can't "
        "cant anymore myself be with have feel really all",
        "es": "eres estás estas hablo que y el la los las en es por lo quiero ya más mas estoy pero para una con yo nadie "
        "nada puedo tengo ser estar morir mí soy voy noche hoy",
        "fr": "es-tu parle je j'ai pas et le les ne suis un une est pour plus mais mon c'est tout veux moi rien "
        "peux vivre mourir vais soir",
        "de": "bist rede spreche ich nicht und die der das zu mich mir ist bin ein eine mehr will kann auf mein meine "
        "nichts leben sterben nehme wie woher warum heute auch geht dir dich du wir können",
        "pt": "você voce falando eu não nao que um uma estou mais para com meu minha quero já ja é ninguém nada vou "
        "morrer posso hoje noite agora remédios",
        "it": "sei parlando io non che di il sono più piu per mio mia voglio ho è niente nessuno vivere morire posso "
        "stasera stanotte",
        "nl": "ik niet en het een van mij wil ben meer dat op te mijn maar voor niemand niks leven dood kan",
        "pl": "nie się sie w z na to jest mi mnie chcę chce już juz że ze jak ja tak do mam nikt życie zycie",
        "tr": "ben bir ve bu çok cok ne artık artik istiyorum değil degil için icin beni benim yok "
        "var ama hiç hic",
        "id": "aku saya yang dan tidak gak ga ini itu mau udah sudah ke banget aja lagi pengen ingin "
        "hidup mati",
        "sv": "jag inte och att det är ett på vill mig min kan har så för längre orkar ingen leva dö tänker mitt",
    }.items()
}
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_LETTERS = {"pl": "ąęłńśźż", "tr": "ığş", "es": "ñ¿¡", "pt": "ãõ", "de": "ß", "sv": "å"}
# How people say they want to die or kill themselves, in words only one of these languages uses: a short
# crisis message ("voy a suicidarme esta noche") often has none of the common words above, and its
# crisis reply is the one text that must be in the person's language. Matched on folded text (lower
# case, no accents, no apostrophes: bot/safety/text.py); a match counts like two common words.
_CRISIS_WORDS: dict[str, re.Pattern[str]] = {
    lang: re.compile(rf"\b(?:{words})\b")
    for lang, words in {
        "es": r"suicidarme|suicidarse|(?:quiero|voy a) suicidar|matarme|quitarme la vida|morirme|me quiero morir|quiero morir|"
        r"no quiero vivir|no quiero seguir viviendo|me voy a matar|acabar con mi vida",
        "fr": r"me suicider|me tuer|mourir|en finir|envie de vivre|mettre fin a mes jours|me foutre en lair",
        "de": r"umbringen|selbstmord|suizid|sterben|nicht mehr leben|mein leben beenden",
        "pt": r"me matar|me suicidar|suicidar me|morrer|nao quero mais viver|tirar minha vida|tirar a minha vida|acabar com a minha vida",
        "it": r"suicidarmi|suicidare|uccidermi|mi ammazzo|mi uccido|ammazzarmi|morire|togliermi la vita|non voglio piu vivere|farla finita",
        "nl": r"zelfmoord|wil dood|dood willen|mezelf doden|mezelf van kant maken|niet meer leven",
        "pl": r"samobojstwo|zabic sie|zabije sie|chce umrzec|nie chce zyc|odebrac sobie zycie",
        "tr": r"intihar|kendimi oldur\w*|olmek istiyorum|yasamak istemiyorum",
        "id": r"bunuh diri|ingin mati|pengen mati|mau mati|ingin mengakhiri hidup",
        "sv": r"sjalvmord|ta livet av mig|ta mitt liv|vill do|orkar inte leva",
    }.items()
}
# Ukrainian words spelled differently in Russian (without і, ї, є or ґ in them).
_UKRAINIAN_WORDS = frozenset("жити вже що мене цього немає померти хочеться дуже тобі вб'ю вбити".split())


def sounds_english(text: str) -> bool:
    """True when ``text`` has more of the common English words than of any other language's ("are you
    a bot?"): a message too short for ``guess_language`` that is English all the same."""
    scores = _word_scores(text.lower())
    return scores["en"] >= 1 and all(score < scores["en"] for lang, score in scores.items() if lang != "en")


def _word_scores(lowered: str) -> dict[str, int]:
    """Per language, how many of the words of ``lowered`` are among its common words."""
    words = _WORD.findall(lowered)
    return {lang: sum(w in vocab for w in words) for lang, vocab in _WORDS.items()}


def guess_language(text: str) -> str | None:
    """The language of ``text`` among those in ``CRISIS_TEXTS``, or None (English, or not sure)."""
    if re.search(r"[\u3040-\u30ff]", text):  # hiragana or katakana
        return "ja"
    counts = {
        "zh": len(re.findall(r"[\u4e00-\u9fff]", text)),
        "ar": len(re.findall(r"[\u0600-\u06ff]", text)),
        "hi": len(re.findall(r"[\u0900-\u097f]", text)),
        "cyrillic": len(re.findall(r"[\u0400-\u04ff]", text)),
        "latin": len(re.findall(r"[A-Za-z\u00c0-\u024f]", text)),
    }
    script = max(counts, key=lambda k: counts[k])
    if counts[script] == 0:
        return None
    if script == "cyrillic":
        lowered = text.lower()
        ukrainian = re.search(r"[іїєґ]", lowered) or set(_WORD.findall(lowered)) & _UKRAINIAN_WORDS
        return "uk" if ukrainian else "ru"
    if script == "ar" and re.search(r"[پچژگکیےٹڈڑںہ]", text):
        return None  # Persian or Urdu letters: an Arabic reply would not help
    if script != "latin":
        return script
    lowered = text.lower()
    scores = _word_scores(lowered)
    for lang, letters in _LETTERS.items():  # a letter only one of them uses counts like a word
        scores[lang] += min(2, len(re.findall(f"[{letters}]", lowered)))
    folded = fold(text)
    for lang, crisis_words in _CRISIS_WORDS.items():
        if crisis_words.search(folded):
            scores[lang] += 2
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if best == "en" or top < 2 or top == second:
        return None
    return best
