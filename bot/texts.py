"""The dispatcher's fixed notices in the person's language: engine busy, an error, the rate limit.

Someone who writes in Spanish and gets "I'm talking with a lot of people right now" in English may not
understand that the bot will answer again. These tables hold the notices the dispatcher sends in a
normal conversation (``BUSY_TEXT``, ``ERROR_TEXT`` and ``RATE_LIMIT_TEXT`` in ``bot/dispatcher.py``,
which stay the English ones) in the same 16 languages as the safety texts, keyed by the codes of
``bot.safety.languages.guess_language``; the safe fallback replies are next to the other safety texts
in ``bot/safety/languages.py``. The language is guessed from the person's message, and
``safety.localize_safety_texts = false`` keeps them in English like every other fixed text.

``LONG_TEXTS``: the line put before the answer to a message longer than ``chat.max_message_chars``,
of which only the start and the end were read. ``MODEL_LANGUAGE_TEXTS``: the once-per-language note
that the model writes well mostly in English.

Command replies (/start, /help, /about, ...) have their own translations in ``bot/command_texts.py``.

The notices that answer no text, or come from an adapter rather than the dispatcher, follow the person's
language the way command replies do (``notice_language``): the platform's language for them when the
adapter gives it (``message.extras["platform_language"]``, Telegram's ``language_code``), else what they
wrote. ``EMPTY_TEXTS`` and ``CALLED_TEXTS``: the answers to a message without text (``EMPTY_TEXT`` and
``CALLED_TEXT`` in ``bot/dispatcher.py``; the language of the person's last few messages stands in for
the missing text). ``STRANGER_TEXTS``: Telegram's notice to someone not in ``telegram.allowed_users``
(``adapters/telegram.py``). ``OPTOUT_TEXTS``, ``OPTIN_TEXTS`` and ``CRISIS_SUBJECTS``: Reddit's
confirmations of ``!optout`` / ``!optin`` and the subject of a crisis reply sent as a private message
(``adapters/reddit.py``). Commands (``!optin``, ``/forget``) and the name Kindred are the same in every
language: they are what the person types, or a name.

These translations were written for the project, not by native speakers; please correct them in a
pull request.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.command_texts import platform_language

BUSY_TEXTS: dict[str, str] = {
    "es": "Ahora mismo estoy hablando con mucha gente y no pude responder a tiempo. Vuelve a enviármelo en un minuto, por favor. 💛",
    "fr": "Je parle avec beaucoup de monde en ce moment et je n'ai pas pu répondre à temps. Renvoie-moi ton message dans une minute, s'il te plaît. 💛",
    "de": "Ich rede gerade mit sehr vielen Menschen und konnte nicht rechtzeitig antworten. Schick mir das bitte in einer Minute noch einmal. 💛",
    "pt": "Estou conversando com muita gente agora e não consegui responder a tempo. Por favor, me mande isso de novo daqui a um minuto. 💛",
    "it": "Sto parlando con tante persone in questo momento e non ce l'ho fatta a risponderti in tempo. Per favore, rimandamelo tra un minuto. 💛",
    "nl": "Ik praat nu met heel veel mensen en kon niet op tijd antwoorden. Stuur het over een minuutje nog eens, alsjeblieft. 💛",
    "pl": "Rozmawiam teraz z wieloma osobami i nie udało mi się odpowiedzieć na czas. Wyślij to proszę jeszcze raz za minutę. 💛",
    "ru": "Сейчас я разговариваю с очень многими людьми, и у меня не получилось ответить вовремя. Пожалуйста, отправь это ещё раз через минуту. 💛",
    "uk": "Зараз я розмовляю з дуже багатьма людьми, і мені не вдалося відповісти вчасно. Будь ласка, надішли це ще раз за хвилину. 💛",
    "tr": "Şu anda çok sayıda kişiyle konuşuyorum ve zamanında cevap veremedim. Bir dakika sonra tekrar gönderir misin? 💛",
    "id": "Aku lagi ngobrol dengan banyak orang sekarang dan tidak sempat membalas tepat waktu. Coba kirim lagi dalam satu menit, ya. 💛",
    "sv": "Jag pratar med väldigt många just nu och hann inte svara i tid. Skicka det gärna igen om en minut. 💛",
    "ja": "今たくさんの人と話していて、時間内にお返事できませんでした。1分ほどしてから、もう一度送ってもらえますか？💛",
    "zh": "我现在正在和很多人聊天，没能及时回复你。请过一分钟再发一次。💛",
    "ar": "أتحدث مع عدد كبير من الناس الآن، ولم أتمكن من الرد في الوقت المناسب. من فضلك أرسل ذلك مرة أخرى بعد دقيقة. 💛",
    "hi": "मैं अभी बहुत सारे लोगों से बात कर रहा हूँ और समय पर जवाब नहीं दे पाया। कृपया एक मिनट बाद इसे फिर से भेजें। 💛",
}
"""``BUSY_TEXT``: the engine was overloaded or its queue timed out; the person may send it again."""

ERROR_TEXTS: dict[str, str] = {
    "es": "Lo siento, algo falló por mi parte al responder. Inténtalo de nuevo en un momento, por favor.",
    "fr": "Désolé, quelque chose s'est mal passé de mon côté pendant que je répondais. Réessaie dans un instant, s'il te plaît.",
    "de": "Entschuldige, bei mir ist beim Antworten etwas schiefgelaufen. Versuch es bitte gleich noch einmal.",
    "pt": "Desculpe, algo deu errado do meu lado ao responder. Por favor, tente de novo daqui a pouco.",
    "it": "Scusa, qualcosa è andato storto da parte mia mentre rispondevo. Riprova tra un momento, per favore.",
    "nl": "Sorry, er ging aan mijn kant iets mis bij het antwoorden. Probeer het zo nog eens, alsjeblieft.",
    "pl": "Przepraszam, coś poszło nie tak po mojej stronie podczas odpowiadania. Spróbuj ponownie za chwilę.",
    "ru": "Извини, при ответе у меня что-то пошло не так. Пожалуйста, попробуй ещё раз чуть позже.",
    "uk": "Вибач, під час відповіді в мене щось пішло не так. Будь ласка, спробуй ще раз трохи згодом.",
    "tr": "Üzgünüm, cevap verirken benim tarafımda bir şeyler ters gitti. Lütfen birazdan tekrar dene.",
    "id": "Maaf, ada yang salah di pihakku saat membalas. Coba lagi sebentar lagi, ya.",
    "sv": "Förlåt, något gick fel hos mig när jag svarade. Försök igen om en liten stund.",
    "ja": "ごめんなさい、返信中にこちらで問題が起きました。少ししてから、もう一度試してください。",
    "zh": "抱歉，我这边回复时出了点问题。请稍后再试一次。",
    "ar": "عذرًا، حدث خطأ من جهتي أثناء الرد. من فضلك حاول مرة أخرى بعد قليل.",
    "hi": "माफ़ कीजिए, जवाब देते समय मेरी तरफ़ से कुछ गड़बड़ हो गई। कृपया थोड़ी देर में फिर से कोशिश करें।",
}
"""``ERROR_TEXT``: the engine failed, or a step raised (the error boundary's apology)."""

RATE_LIMIT_TEXTS: dict[str, str] = {
    "es": "Me estás enviando mensajes más rápido de lo que puedo seguir. Volveré a leer en un minuto; tómate tu tiempo. 💛",
    "fr": "Tu m'envoies des messages plus vite que je ne peux suivre. Je relis dans une minute ; prends ton temps. 💛",
    "de": "Du schickst mir Nachrichten schneller, als ich mitkomme. In einer Minute lese ich wieder; lass dir Zeit. 💛",
    "pt": "Você está mandando mensagens mais rápido do que eu consigo acompanhar. Volto a ler em um minuto; sem pressa. 💛",
    "it": "Mi stai mandando messaggi più in fretta di quanto riesca a starti dietro. Torno a leggere tra un minuto; prenditi il tuo tempo. 💛",
    "nl": "Je stuurt berichten sneller dan ik kan bijhouden. Over een minuut lees ik weer; neem je tijd. 💛",
    "pl": "Wysyłasz wiadomości szybciej, niż nadążam czytać. Wrócę do czytania za minutę; nie spiesz się. 💛",
    "ru": "Ты присылаешь сообщения быстрее, чем я успеваю читать. Я снова начну читать через минуту; не торопись. 💛",
    "uk": "Ти надсилаєш повідомлення швидше, ніж я встигаю читати. Я знову почну читати за хвилину; не поспішай. 💛",
    "tr": "Mesajları yetişebileceğimden daha hızlı gönderiyorsun. Bir dakika sonra yeniden okuyacağım; acele etme. 💛",
    "id": "Kamu mengirim pesan lebih cepat dari yang bisa aku ikuti. Aku akan membaca lagi dalam satu menit; pelan-pelan saja. 💛",
    "sv": "Du skickar meddelanden snabbare än jag hinner med. Jag läser igen om en minut; ta den tid du behöver. 💛",
    "ja": "メッセージが速くて、追いつけていません。1分後にまた読みますね。ゆっくりで大丈夫です。💛",
    "zh": "你发消息的速度比我能跟上的要快。我一分钟后再看；慢慢来就好。💛",
    "ar": "أنت ترسل الرسائل أسرع مما أستطيع متابعته. سأعود للقراءة بعد دقيقة؛ خذ وقتك. 💛",
    "hi": "आप मुझे इतनी तेज़ी से संदेश भेज रहे हैं कि मैं पढ़ नहीं पा रहा। मैं एक मिनट बाद फिर से पढ़ूँगा; आराम से लिखिए। 💛",
}
"""``RATE_LIMIT_TEXT``: the one notice for the first message over ``chat.rate_limit_per_minute``."""


def localized(english: str, table: dict[str, str], lang: str | None) -> str:
    """``table``'s text for ``lang``, or ``english`` when ``lang`` is None (English or unsure) or not in it."""
    return table.get(lang or "", english)


MODEL_LANGUAGE_TEXTS: dict[str, str] = {
    "es": "(Una nota: el modelo con el que funciono escribe bien sobre todo en inglés, así que mis respuestas en español pueden salir raras o en inglés. Los mensajes importantes, como dónde encontrar ayuda, sí te llegan en español.)",
    "fr": "(Petite précision : le modèle sur lequel je tourne écrit bien surtout en anglais, alors mes réponses en français peuvent être bizarres ou venir en anglais. Mais les messages importants, comme là où tu peux trouver de l'aide, tu les reçois en français.)",
    "de": "(Ein Hinweis: Das Modell, auf dem ich laufe, schreibt vor allem auf Englisch gut, deshalb können meine Antworten auf Deutsch seltsam oder auf Englisch kommen. Wichtige Nachrichten, etwa wo du Hilfe findest, bekommst du auf Deutsch.)",
    "pt": "(Um aviso: o modelo em que eu funciono escreve bem principalmente em inglês, então minhas respostas em português podem sair estranhas ou em inglês. As mensagens importantes, como onde encontrar ajuda, chegam em português.)",
    "it": "(Una nota: il modello su cui funziono scrive bene soprattutto in inglese, quindi le mie risposte in italiano possono uscire strane o in inglese. I messaggi importanti, come dove trovare aiuto, ti arrivano in italiano.)",
    "nl": "(Even een opmerking: het model waarop ik draai schrijft vooral goed in het Engels, dus mijn antwoorden in het Nederlands kunnen vreemd of in het Engels uitvallen. Belangrijke berichten, zoals waar je hulp kunt vinden, krijg je wel in het Nederlands.)",
    "pl": "(Uwaga: model, na którym działam, pisze dobrze głównie po angielsku, więc moje odpowiedzi po polsku mogą wyjść dziwne albo po angielsku. Ważne wiadomości, na przykład gdzie szukać pomocy, dostaniesz po polsku.)",
    "ru": "(Небольшое пояснение: модель, на которой я работаю, хорошо пишет в основном по-английски, поэтому мои ответы на русском могут получаться странными или на английском. Важные сообщения, например где найти помощь, ты получишь на русском.)",
    "uk": "(Невелике пояснення: модель, на якій я працюю, добре пише переважно англійською, тому мої відповіді українською можуть виходити дивними або англійською. Важливі повідомлення, наприклад де знайти допомогу, ти отримаєш українською.)",
    "tr": "(Küçük bir not: Çalıştığım model çoğunlukla İngilizce iyi yazıyor, bu yüzden Türkçe cevaplarım tuhaf ya da İngilizce çıkabilir. Nereden yardım alabileceğin gibi önemli mesajlar ise Türkçe gelir.)",
    "id": "(Catatan kecil: model yang aku pakai menulis dengan baik terutama dalam bahasa Inggris, jadi balasanku dalam bahasa Indonesia bisa terdengar aneh atau malah berbahasa Inggris. Pesan penting, seperti tempat mencari bantuan, tetap dalam bahasa Indonesia.)",
    "sv": "(En liten notis: modellen jag körs på skriver främst bra på engelska, så mina svar på svenska kan bli konstiga eller komma på engelska. Viktiga meddelanden, som var du kan få hjälp, får du på svenska.)",
    "ja": "（お知らせ：私が動いているモデルは主に英語が得意なので、日本語での返事は不自然だったり英語になったりすることがあります。助けを求められる場所など、大切なメッセージは日本語でお届けします。）",
    "zh": "（说明一下：我所使用的模型主要擅长英文，所以我用中文的回复可能会有些奇怪，或者变成英文。重要的信息，比如去哪里寻求帮助，会用中文发给你。）",
    "ar": "(ملاحظة: النموذج الذي أعمل عليه يكتب جيدًا بالإنجليزية غالبًا، لذلك قد تبدو ردودي بالعربية غريبة أو تأتي بالإنجليزية. أما الرسائل المهمة، مثل أين تجد المساعدة، فتصلك بالعربية.)",
    "hi": "(एक बात: जिस मॉडल पर मैं चलता हूँ वह ज़्यादातर अंग्रेज़ी में ही अच्छा लिखता है, इसलिए हिंदी में मेरे जवाब अजीब लग सकते हैं या अंग्रेज़ी में आ सकते हैं। ज़रूरी संदेश, जैसे मदद कहाँ मिलेगी, आपको हिंदी में मिलेंगे।)",
}
"""Added once to the model's first reply in a language outside ``safety.careful_model_languages``
(the languages the operator's model writes well; English only by default): the embedded model answers
"tengo 14 años" with English ramble ("Tengo 14 años: This is a very common mistake many people have
made..."), and without a word about it the person cannot tell why. It says so, and that the fixed
messages (where to find help) come in their language. Shown again only after the person writes in
another such language (or after /forget)."""


LONG_TEXTS: dict[str, str] = {
    "es": "Tu mensaje era muy largo, así que solo leí una parte.",
    "fr": "Ton message était très long, alors je n'en ai lu qu'une partie.",
    "de": "Deine Nachricht war sehr lang, deshalb habe ich nur einen Teil davon gelesen.",
    "pt": "Sua mensagem era muito longa, então li só uma parte dela.",
    "it": "Il tuo messaggio era molto lungo, quindi ne ho letto solo una parte.",
    "nl": "Je bericht was erg lang, dus ik heb er maar een deel van gelezen.",
    "pl": "Twoja wiadomość była bardzo długa, więc czytam tylko jej część.",
    "ru": "Твоё сообщение было очень длинным, поэтому мне удалось прочитать только его часть.",
    "uk": "Твоє повідомлення було дуже довгим, тому мені вдалося прочитати лише його частину.",
    "tr": "Mesajın çok uzundu, bu yüzden sadece bir kısmını okudum.",
    "id": "Pesanmu sangat panjang, jadi aku hanya membaca sebagiannya.",
    "sv": "Ditt meddelande var väldigt långt, så jag läste bara en del av det.",
    "ja": "メッセージがとても長かったので、一部だけを読みました。",
    "zh": "你的消息很长，所以我只读了其中一部分。",
    "ar": "كانت رسالتك طويلة جدًا، لذلك قرأت جزءًا منها فقط.",
    "hi": "आपका संदेश बहुत लंबा था, इसलिए मैंने उसका केवल एक हिस्सा पढ़ा।",
}
"""``LONG_TEXT``: the message was longer than ``chat.max_message_chars``; only part of it was read."""


def notice_language(
    platform_tag: object, said: str, guess: Callable[[str], str | None], *, localize: bool = True
) -> str | None:
    """The language of a fixed notice to one person (None = English), picked as command replies are
    (``bot/commands.py``): the platform's language for them (``platform_tag``, e.g. Telegram's
    ``language_code``; "pt-br" -> "pt") when there are translations for it, else the language ``guess``
    (``SafetyPolicy.language_of``) reads in ``said``, what they wrote. ``localize`` False
    (``safety.localize_safety_texts = false``) keeps it English."""
    if not localize:
        return None
    lang = platform_language(platform_tag)
    if lang is not None:
        return None if lang == "en" else lang
    # No platform language, or one without translations here ("ko"): what they write may still say.
    return guess(said) if said.strip() else None


EMPTY_TEXTS: dict[str, str] = {
    "es": "Por ahora solo entiendo mensajes de texto. ¿En qué estás pensando?",
    "fr": "Pour l'instant, je ne comprends que les messages écrits. Qu'est-ce que tu as en tête ?",
    "de": "Im Moment verstehe ich nur Textnachrichten. Was beschäftigt dich?",
    "pt": "Por enquanto eu só entendo mensagens de texto. O que está passando pela sua cabeça?",
    "it": "Per ora capisco solo i messaggi di testo. Cosa ti passa per la testa?",
    "nl": "Voorlopig begrijp ik alleen tekstberichten. Waar denk je aan?",
    "pl": "Na razie rozumiem tylko wiadomości tekstowe. Co ci chodzi po głowie?",
    "ru": "Пока я понимаю только текстовые сообщения. О чём ты думаешь?",
    "uk": "Поки що я розумію лише текстові повідомлення. Про що ти думаєш?",
    "tr": "Şimdilik sadece yazılı mesajları anlayabiliyorum. Aklından neler geçiyor?",
    "id": "Untuk sekarang aku hanya bisa memahami pesan teks. Apa yang sedang kamu pikirkan?",
    "sv": "Just nu förstår jag bara textmeddelanden. Vad tänker du på?",
    "ja": "今のところ、文字のメッセージしか理解できません。どんなことを考えていますか？",
    "zh": "我目前只能看懂文字消息。你在想些什么呢？",
    "ar": "حاليًا أفهم الرسائل النصية فقط. ما الذي يشغل بالك؟",
    "hi": "अभी मैं सिर्फ़ लिखे हुए संदेश ही समझ पाता हूँ। आपके मन में क्या चल रहा है?",
}
"""``EMPTY_TEXT``: a private message without text (a sticker, a photo, a voice note)."""

CALLED_TEXTS: dict[str, str] = {
    "es": "Hola, aquí estoy. ¿En qué estás pensando?",
    "fr": "Salut, je suis là. Qu'est-ce que tu as en tête ?",
    "de": "Hallo, ich bin da. Was beschäftigt dich?",
    "pt": "Oi, estou aqui. O que está passando pela sua cabeça?",
    "it": "Ciao, sono qui. Cosa ti passa per la testa?",
    "nl": "Hoi, ik ben er. Waar denk je aan?",
    "pl": "Cześć, jestem tutaj. Co ci chodzi po głowie?",
    "ru": "Привет, я здесь. О чём ты думаешь?",
    "uk": "Привіт, я тут. Про що ти думаєш?",
    "tr": "Merhaba, buradayım. Aklından neler geçiyor?",
    "id": "Hai, aku di sini. Apa yang sedang kamu pikirkan?",
    "sv": "Hej, jag är här. Vad tänker du på?",
    "ja": "こんにちは、ここにいますよ。どんなことを考えていますか？",
    "zh": "嗨，我在呢。你在想些什么？",
    "ar": "مرحبًا، أنا هنا. ما الذي يشغل بالك؟",
    "hi": "नमस्ते, मैं यहाँ हूँ। आपके मन में क्या चल रहा है?",
}
"""``CALLED_TEXT``: a bare mention in a group ("@Kindred" and nothing else)."""

STRANGER_TEXTS: dict[str, str] = {
    "es": "¡Hola! Este es un bot de Kindred privado y su dueño no te ha añadido. Kindred es de código abierto, así que puedes poner en marcha tu propio compañero.",
    "fr": "Salut ! Ceci est un bot Kindred privé et son propriétaire ne t'a pas ajouté. Kindred est open source : tu peux faire tourner ton propre compagnon.",
    "de": "Hallo! Das ist ein privater Kindred-Bot, und sein Besitzer hat dich nicht hinzugefügt. Kindred ist Open Source, du kannst also einen eigenen Begleiter betreiben.",
    "pt": "Oi! Este é um bot Kindred privado e o dono dele não adicionou você. O Kindred é de código aberto, então você pode rodar um companheiro só seu.",
    "it": "Ciao! Questo è un bot Kindred privato e il suo proprietario non ti ha aggiunto. Kindred è open source, quindi puoi avviare un compagno tutto tuo.",
    "nl": "Hoi! Dit is een privébot van Kindred en de eigenaar heeft je niet toegevoegd. Kindred is open source, dus je kunt zelf een eigen maatje draaien.",
    "pl": "Cześć! To prywatny bot Kindred, a jego właściciel cię nie dodał. Kindred ma otwarty kod, więc możesz uruchomić własnego towarzysza.",
    "ru": "Привет! Это частный бот Kindred, и его владелец тебя не добавил. У Kindred открытый исходный код, так что ты можешь запустить собственного собеседника.",
    "uk": "Привіт! Це приватний бот Kindred, і його власник тебе не додав. Kindred має відкритий код, тож ти можеш запустити власного співрозмовника.",
    "tr": "Merhaba! Bu özel bir Kindred botu ve sahibi seni eklemedi. Kindred açık kaynaklı, yani kendi sohbet arkadaşını çalıştırabilirsin.",
    "id": "Hai! Ini bot Kindred pribadi dan pemiliknya belum menambahkanmu. Kindred bersifat open source, jadi kamu bisa menjalankan teman ngobrolmu sendiri.",
    "sv": "Hej! Det här är en privat Kindred-bot och dess ägare har inte lagt till dig. Kindred är öppen källkod, så du kan köra en egen kompis.",
    "ja": "こんにちは！これは個人用のKindredボットで、管理者があなたを追加していません。Kindredはオープンソースなので、自分専用の話し相手を動かすこともできます。",
    "zh": "你好！这是一个私人的 Kindred 机器人，它的主人没有添加你。Kindred 是开源的，所以你可以运行一个属于自己的聊天伙伴。",
    "ar": "مرحبًا! هذا بوت Kindred خاص، ولم يُضِفك مالكه. Kindred مفتوح المصدر، لذا يمكنك تشغيل رفيق خاص بك.",
    "hi": "नमस्ते! यह एक निजी Kindred बॉट है और इसके मालिक ने आपको नहीं जोड़ा है। Kindred ओपन सोर्स है, इसलिए आप अपना खुद का साथी चला सकते हैं।",
}
"""``STRANGER_TEXT`` (``adapters/telegram.py``): Telegram's one notice to someone not in
``telegram.allowed_users`` who writes in a private chat."""

OPTOUT_TEXTS: dict[str, str] = {
    "es": "Vale, no volveré a responderte en Reddit. Si cambias de opinión, envíame !optin. Para borrar lo que recuerdo de nuestras conversaciones, envíame un mensaje privado que diga /forget.",
    "fr": "D'accord, je ne te répondrai plus sur Reddit. Si tu changes d'avis, envoie-moi !optin. Pour effacer ce dont je me souviens de nos conversations, envoie-moi un message privé avec /forget.",
    "de": "Okay, ich antworte dir auf Reddit nicht mehr. Falls du es dir anders überlegst, schick mir !optin. Um zu löschen, was ich mir von unseren Gesprächen gemerkt habe, schick mir eine private Nachricht mit /forget.",
    "pt": "Tudo bem, não vou mais responder você no Reddit. Se mudar de ideia, me mande !optin. Para apagar o que eu lembro das nossas conversas, me mande uma mensagem privada dizendo /forget.",
    "it": "Va bene, non ti risponderò più su Reddit. Se cambi idea, mandami !optin. Per cancellare quello che ricordo delle nostre conversazioni, mandami un messaggio privato con scritto /forget.",
    "nl": "Oké, ik reageer niet meer op je op Reddit. Als je van gedachten verandert, stuur me dan !optin. Wil je wissen wat ik van onze gesprekken onthoud, stuur me dan een privébericht met /forget.",
    "pl": "Dobrze, nie będę ci już odpowiadać na Reddicie. Jeśli zmienisz zdanie, wyślij mi !optin. Żeby usunąć to, co pamiętam z naszych rozmów, wyślij mi prywatną wiadomość o treści /forget.",
    "ru": "Хорошо, я больше не буду отвечать тебе на Reddit. Если передумаешь, отправь мне !optin. Чтобы удалить то, что я помню из наших разговоров, отправь мне личное сообщение с текстом /forget.",
    "uk": "Добре, я більше не відповідатиму тобі на Reddit. Якщо передумаєш, надішли мені !optin. Щоб видалити те, що я пам'ятаю з наших розмов, надішли мені особисте повідомлення з текстом /forget.",
    "tr": "Tamam, Reddit'te sana bir daha cevap vermeyeceğim. Fikrini değiştirirsen bana !optin gönder. Sohbetlerimizden hatırladıklarımı silmek için bana /forget yazan özel bir mesaj gönder.",
    "id": "Oke, aku tidak akan membalasmu lagi di Reddit. Kalau kamu berubah pikiran, kirimi aku !optin. Untuk menghapus apa yang aku ingat dari percakapan kita, kirimi aku pesan pribadi berisi /forget.",
    "sv": "Okej, jag svarar dig inte igen på Reddit. Om du ändrar dig, skicka !optin till mig. För att radera det jag minns av våra samtal, skicka ett privat meddelande till mig med /forget.",
    "ja": "わかりました。Redditではもうあなたに返信しません。気が変わったら !optin と送ってください。これまでの会話で私が覚えていることを削除するには、/forget と書いたプライベートメッセージを送ってください。",
    "zh": "好的，我不会再在 Reddit 上回复你了。如果你改变主意，给我发 !optin。要删除我记住的我们对话的内容，请给我发一条写着 /forget 的私信。",
    "ar": "حسنًا، لن أرد عليك مرة أخرى على Reddit. إذا غيّرت رأيك، أرسل لي !optin. لحذف ما أتذكره من محادثاتنا، أرسل لي رسالة خاصة فيها /forget.",
    "hi": "ठीक है, मैं Reddit पर आपको फिर जवाब नहीं दूँगा। अगर आपका मन बदले, तो मुझे !optin भेजें। हमारी बातचीत से जो कुछ मुझे याद है उसे मिटाने के लिए, मुझे /forget लिखकर एक निजी संदेश भेजें।",
}
"""``OPTOUT_TEXT`` (``adapters/reddit.py``): the one confirmation of ``!optout``."""

OPTIN_TEXTS: dict[str, str] = {
    "es": "¡Qué bueno tenerte de vuelta! Volveré a responderte cuando publiques algo o me respondas.",
    "fr": "Te revoilà ! Je te répondrai de nouveau quand tu publieras quelque chose ou que tu me répondras.",
    "de": "Willkommen zurück! Ich antworte dir wieder, wenn du etwas postest oder mir antwortest.",
    "pt": "Que bom ter você de volta! Vou responder você de novo quando publicar algo ou me responder.",
    "it": "Che bello riaverti qui! Ti risponderò di nuovo quando pubblichi qualcosa o mi rispondi.",
    "nl": "Welkom terug! Ik reageer weer op je als je iets plaatst of mij antwoordt.",
    "pl": "Witaj z powrotem! Znowu będę ci odpowiadać, gdy coś opublikujesz albo mi odpiszesz.",
    "ru": "С возвращением! Я снова буду отвечать тебе, когда ты что-то опубликуешь или ответишь мне.",
    "uk": "З поверненням! Я знову відповідатиму тобі, коли ти щось опублікуєш або відповіси мені.",
    "tr": "Tekrar hoş geldin! Bir şey paylaştığında ya da bana cevap yazdığında sana yine cevap vereceğim.",
    "id": "Selamat datang kembali! Aku akan membalasmu lagi saat kamu memposting atau membalasku.",
    "sv": "Välkommen tillbaka! Jag svarar dig igen när du gör ett inlägg eller svarar mig.",
    "ja": "おかえりなさい！あなたが投稿したり返信してくれたりしたら、また返信しますね。",
    "zh": "欢迎回来！你发帖或回复我时，我会再次回复你。",
    "ar": "أهلًا بعودتك! سأرد عليك مجددًا عندما تنشر شيئًا أو ترد عليّ.",
    "hi": "वापस आने पर स्वागत है! जब आप कुछ पोस्ट करेंगे या मुझे जवाब देंगे, मैं फिर से जवाब दूँगा।",
}
"""``OPTIN_TEXT`` (``adapters/reddit.py``): the confirmation of ``!optin``."""

CRISIS_SUBJECTS: dict[str, str] = {
    "es": "No tienes que pasar por esto a solas",
    "fr": "Tu n'as pas à traverser ça sans aide",
    "de": "Du bist nicht allein",
    "pt": "Você não precisa passar por isso sem apoio",
    "it": "Non devi affrontarlo senza aiuto",
    "nl": "Je staat er niet alleen voor",
    "pl": "Nie musisz przez to przechodzić w pojedynkę",
    "ru": "Тебе не нужно справляться с этим в одиночку",
    "uk": "Тобі не треба проходити через це наодинці",
    "tr": "Yalnız değilsin",
    "id": "Kamu tidak sendirian",
    "sv": "Du är inte ensam",
    "ja": "あなたはひとりではありません",
    "zh": "你并不孤单",
    "ar": "لست وحدك",
    "hi": "आप अकेले नहीं हैं",
}
"""``CRISIS_SUBJECT`` (``adapters/reddit.py``): the subject of the crisis reply when it goes to the
author as a private message; in the language of the post or comment it answers."""
