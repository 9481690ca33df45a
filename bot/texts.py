"""The dispatcher's fixed notices in the person's language: engine busy, an error, the rate limit.

Someone who writes in Spanish and gets "I'm talking with a lot of people right now" in English may not
understand that the bot will answer again. These tables hold the notices the dispatcher sends in a
normal conversation (``BUSY_TEXT``, ``ERROR_TEXT`` and ``RATE_LIMIT_TEXT`` in ``bot/dispatcher.py``,
which stay the English ones) in the same 16 languages as the safety texts, keyed by the codes of
``bot.safety.languages.guess_language``; the safe fallback replies are next to the other safety texts
in ``bot/safety/languages.py``. The language is guessed from the person's message, and
``safety.localize_safety_texts = false`` keeps them in English like every other fixed text.

``LONG_TEXTS``: the line put before the answer to a message longer than ``chat.max_message_chars``,
of which only the start and the end were read.

Command replies (/start, /help, /about, ...) have their own translations in ``bot/command_texts.py``.
Left in English: the notice for a message with no text (there is nothing to guess the language from)
and the adapters' own notices.

These translations were written for the project, not by native speakers; please correct them in a
pull request.
"""

from __future__ import annotations

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
