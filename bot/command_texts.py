"""The replies to commands (/start, /help, /about, /persona, /reset, /forget, /memory) in the person's language.

The first thing someone sees on Telegram is the answer to /start; a Spanish-speaking teenager should not
get it in English only. Each table below holds one reply of ``bot/commands.py`` in English (``"en"``) and
in the 16 languages of the safety texts (``bot/safety/languages.py``, ``bot/texts.py``), keyed by the same
codes. Placeholders (``{persona}``, ``{name}``, ...) are the same in every language, and command names
(``/help``, ``/memory off``, ...) and persona names are never translated: they are what the person types.

``bot/commands.py`` picks the language: the platform's language for the person when the adapter gives it
(``message.extras["platform_language"]``, e.g. Telegram's ``language_code``; ``platform_language`` maps
"pt-br" to "pt"), else the language of their last few messages, else English;
``safety.localize_safety_texts = false`` keeps every command reply in English.

Not translated: the JSON of /export (it is the person's own data, and it stays machine-readable), persona
descriptions (an operator's own text), the engine's description in /about, and the question that lists
the remembered facts (the rules that answer it read English; the help text says so).

These translations were written for the project, not by native speakers; please correct them in a pull
request.
"""

from __future__ import annotations

from string import Formatter

LANGUAGES: tuple[str, ...] = tuple("en es fr de pt it nl pl ru uk tr id sv ja zh ar hi".split())
"""English and the 16 languages of the safety texts."""

_ALIASES = {"in": "id"}  # the old code for Indonesian, still sent by some systems


def platform_language(value: object) -> str | None:
    """The code in ``LANGUAGES`` for a platform's language tag ("es", "pt-br" -> "pt", "zh-hans" -> "zh");
    None when there is none or it is a language without translations here ("ko")."""
    if not isinstance(value, str):
        return None
    base = value.strip().lower().replace("_", "-").split("-", 1)[0]
    base = _ALIASES.get(base, base)
    return base if base in LANGUAGES else None


def render(table: dict[str, str], lang: str | None, **values: object) -> str:
    """``table``'s text in ``lang`` (English when ``lang`` is None or has none), placeholders filled in."""
    return table.get(lang or "en", table["en"]).format(**values)


def placeholders(template: str) -> set[str]:
    """The ``{names}`` in a template."""
    return {field for _, field, _, _ in Formatter().parse(template) if field is not None}


RECALL_QUESTION = "what do you remember about me?"
"""Fills ``{recall_question}`` where the rules that answer it (bot/facts.py) do not read the language:
the /help text then asks for it in English."""

RECALL_QUESTIONS = {
    "en": RECALL_QUESTION,
    "es": "¿qué recuerdas de mí?",
    "fr": "qu'est-ce que tu sais sur moi ?",
    "de": "Was weißt du über mich?",
    "pt": "o que você sabe sobre mim?",
    "it": "cosa ricordi di me?",
}
"""``{recall_question}`` in the languages whose question bot/facts.py answers (each is tested to be
recognised there)."""


def recall_question(lang: str | None) -> str:
    return RECALL_QUESTIONS.get(lang or "en", RECALL_QUESTION)


HELP: dict[str, str] = {
    "en": """I'm Kindred, an AI chat companion (a bot, not a person). Just write to me. Commands:
/help – this list
/about – what I am, which model I run, and how your data is kept
/persona – list personas; /persona NAME switches to one
/reset – forget our current conversation (keeps your settings)
/memory off – stop remembering our conversations; /memory on to turn it back on
/export – everything stored about you, as JSON
/forget – delete everything stored about you
Ask "{recall_question}" to see the few facts I keep (your name, an exam coming up...).""",
    "es": """Soy Kindred, un compañero de chat con IA (un bot, no una persona). Solo escríbeme. Comandos:
/help – esta lista
/about – qué soy, qué modelo uso y cómo se guardan tus datos
/persona – lista las personalidades; /persona NOMBRE cambia a una de ellas
/reset – olvida nuestra conversación actual (mantiene tus ajustes)
/memory off – dejo de recordar nuestras conversaciones; /memory on para volver a activarlo
/export – todo lo que tengo guardado sobre ti, en JSON
/forget – borra todo lo que tengo guardado sobre ti
Pregúntame "{recall_question}" para ver los pocos datos que guardo (tu nombre, un examen que se acerca...).""",
    "fr": """Je suis Kindred, un compagnon de discussion IA (un bot, pas une personne). Écris-moi, tout simplement. Commandes :
/help – cette liste
/about – ce que je suis, quel modèle j'utilise et comment tes données sont conservées
/persona – liste les personnages ; /persona NOM pour en changer
/reset – oublie notre conversation en cours (garde tes réglages)
/memory off – je ne retiens plus nos conversations ; /memory on pour réactiver la mémoire
/export – tout ce qui est enregistré sur toi, en JSON
/forget – supprime tout ce qui est enregistré sur toi
Demande-moi « {recall_question} » pour voir les quelques infos que je garde (ton prénom, un examen qui approche...).""",
    "de": """Ich bin Kindred, ein KI-Chatbegleiter (ein Bot, kein Mensch). Schreib mir einfach. Befehle:
/help – diese Liste
/about – was ich bin, welches Modell ich nutze und wie deine Daten gespeichert werden
/persona – zeigt die Personas; /persona NAME wechselt zu einer davon
/reset – vergisst unser aktuelles Gespräch (deine Einstellungen bleiben)
/memory off – ich merke mir unsere Gespräche nicht mehr; /memory on schaltet das wieder ein
/export – alles, was über dich gespeichert ist, als JSON
/forget – löscht alles, was über dich gespeichert ist
Frag mich „{recall_question}“, um die paar Dinge zu sehen, die ich mir merke (deinen Namen, eine anstehende Prüfung ...).""",
    "pt": """Eu sou o Kindred, um companheiro de conversa com IA (um bot, não uma pessoa). É só me escrever. Comandos:
/help – esta lista
/about – o que eu sou, qual modelo eu uso e como seus dados são guardados
/persona – lista as personas; /persona NOME troca para uma delas
/reset – esquece nossa conversa atual (mantém suas configurações)
/memory off – paro de lembrar nossas conversas; /memory on para ligar de novo
/export – tudo o que está guardado sobre você, em JSON
/forget – apaga tudo o que está guardado sobre você
Pergunte "{recall_question}" para ver as poucas coisas que eu guardo (seu nome, uma prova chegando...).""",
    "it": """Sono Kindred, un compagno di chat basato sull'IA (un bot, non una persona). Scrivimi e basta. Comandi:
/help – questo elenco
/about – cosa sono, quale modello uso e come vengono conservati i tuoi dati
/persona – elenca i personaggi; /persona NOME per passare a uno di loro
/reset – dimentica la nostra conversazione attuale (le tue impostazioni restano)
/memory off – smetto di ricordare le nostre conversazioni; /memory on per riattivare la memoria
/export – tutto ciò che è salvato su di te, in JSON
/forget – cancella tutto ciò che è salvato su di te
Chiedimi "{recall_question}" per vedere le poche cose che ricordo (il tuo nome, un esame in arrivo...).""",
    "nl": """Ik ben Kindred, een AI-chatmaatje (een bot, geen mens). Schrijf me gewoon. Commando's:
/help – deze lijst
/about – wat ik ben, welk model ik gebruik en hoe je gegevens worden bewaard
/persona – toont de persona's; /persona NAAM wisselt naar een ervan
/reset – vergeet ons huidige gesprek (je instellingen blijven)
/memory off – ik onthoud onze gesprekken niet meer; /memory on zet het weer aan
/export – alles wat over jou is opgeslagen, als JSON
/forget – wist alles wat over jou is opgeslagen
Vraag "{recall_question}" (in het Engels) om de paar dingen te zien die ik onthoud (je naam, een toets die eraan komt...).""",
    "pl": """Jestem Kindred, towarzysz rozmów oparty na AI (bot, nie człowiek). Po prostu do mnie napisz. Komendy:
/help – ta lista
/about – czym jestem, jakiego modelu używam i jak przechowywane są twoje dane
/persona – lista postaci; /persona NAZWA przełącza na jedną z nich
/reset – zapomina naszą bieżącą rozmowę (twoje ustawienia zostają)
/memory off – przestaję zapamiętywać nasze rozmowy; /memory on włącza to z powrotem
/export – wszystko, co jest o tobie zapisane, w formacie JSON
/forget – usuwa wszystko, co jest o tobie zapisane
Zapytaj "{recall_question}" (po angielsku), żeby zobaczyć tych kilka rzeczy, które pamiętam (twoje imię, zbliżający się egzamin...).""",
    "ru": """Я Kindred, ИИ-собеседник (бот, а не человек). Просто напиши мне. Команды:
/help – этот список
/about – кто я, какую модель использую и как хранятся твои данные
/persona – список персонажей; /persona ИМЯ переключает на одного из них
/reset – забыть наш текущий разговор (настройки сохранятся)
/memory off – перестать запоминать наши разговоры; /memory on, чтобы включить снова
/export – всё, что о тебе сохранено, в формате JSON
/forget – удалить всё, что о тебе сохранено
Спроси «{recall_question}» (по-английски), чтобы увидеть то немногое, что я помню (твоё имя, скорый экзамен...).""",
    "uk": """Я Kindred, ШІ-співрозмовник (бот, а не людина). Просто напиши мені. Команди:
/help – цей список
/about – хто я, яку модель використовую і як зберігаються твої дані
/persona – список персонажів; /persona ІМ'Я перемикає на одного з них
/reset – забути нашу поточну розмову (налаштування залишаться)
/memory off – перестати запам'ятовувати наші розмови; /memory on, щоб увімкнути знову
/export – усе, що про тебе збережено, у форматі JSON
/forget – видалити все, що про тебе збережено
Запитай «{recall_question}» (англійською), щоб побачити те небагато, що я пам'ятаю (твоє ім'я, найближчий іспит...).""",
    "tr": """Ben Kindred, yapay zekâ destekli bir sohbet arkadaşıyım (bir botum, insan değilim). Bana yazman yeterli. Komutlar:
/help – bu liste
/about – ne olduğum, hangi modeli kullandığım ve verilerinin nasıl saklandığı
/persona – karakterleri listeler; /persona AD birine geçer
/reset – şu anki sohbetimizi unutur (ayarların kalır)
/memory off – sohbetlerimizi hatırlamayı bırakırım; tekrar açmak için /memory on
/export – hakkında saklanan her şey, JSON olarak
/forget – hakkında saklanan her şeyi siler
Hatırladığım birkaç şeyi (adın, yaklaşan bir sınav...) görmek için bana İngilizce "{recall_question}" diye sor.""",
    "id": """Aku Kindred, teman ngobrol AI (sebuah bot, bukan manusia). Tulis saja pesan untukku. Perintah:
/help – daftar ini
/about – aku ini apa, model apa yang aku pakai, dan bagaimana datamu disimpan
/persona – daftar persona; /persona NAMA untuk beralih ke salah satunya
/reset – melupakan percakapan kita saat ini (pengaturanmu tetap)
/memory off – aku berhenti mengingat percakapan kita; /memory on untuk menyalakannya lagi
/export – semua yang tersimpan tentang kamu, dalam JSON
/forget – menghapus semua yang tersimpan tentang kamu
Tanyakan "{recall_question}" (dalam bahasa Inggris) untuk melihat sedikit hal yang aku ingat (namamu, ujian yang akan datang...).""",
    "sv": """Jag är Kindred, en AI-chattkompis (en bot, inte en människa). Skriv bara till mig. Kommandon:
/help – den här listan
/about – vad jag är, vilken modell jag använder och hur dina uppgifter sparas
/persona – visar personorna; /persona NAMN byter till en av dem
/reset – glömmer vårt nuvarande samtal (dina inställningar finns kvar)
/memory off – jag slutar komma ihåg våra samtal; /memory on slår på det igen
/export – allt som finns sparat om dig, som JSON
/forget – raderar allt som finns sparat om dig
Fråga "{recall_question}" (på engelska) för att se de få saker jag kommer ihåg (ditt namn, ett prov som närmar sig ...).""",
    "ja": """Kindredです。AIのチャット相手です（人間ではなく、ボットです）。気軽にメッセージを送ってください。コマンド：
/help – この一覧
/about – 私が何者か、どのモデルを使っているか、あなたのデータがどう保存されるか
/persona – ペルソナの一覧。/persona 名前 で切り替えます
/reset – 今の会話を忘れます（設定はそのまま）
/memory off – 会話を覚えるのをやめます。/memory on で元に戻します
/export – あなたについて保存されているすべて（JSON形式）
/forget – あなたについて保存されているすべてを削除します
私が覚えている少しのこと（名前、近づいている試験など）を見るには、英語で「{recall_question}」と聞いてください。""",
    "zh": """我是 Kindred，一个 AI 聊天伙伴（是机器人，不是真人）。直接给我发消息就好。命令：
/help – 这个列表
/about – 我是什么、用的是哪个模型，以及你的数据如何保存
/persona – 列出所有角色；/persona 名称 切换到其中一个
/reset – 忘记我们当前的对话（保留你的设置）
/memory off – 不再记住我们的对话；/memory on 重新打开
/export – 关于你保存的所有内容，JSON 格式
/forget – 删除关于你保存的所有内容
用英文问我“{recall_question}”，就能看到我记住的几件小事（你的名字、快到的考试……）。""",
    "ar": """أنا Kindred، رفيق دردشة يعمل بالذكاء الاصطناعي (بوت، لست إنسانًا). اكتب لي فقط. الأوامر:
/help – هذه القائمة
/about – ما أنا، وأي نموذج أستخدم، وكيف تُحفظ بياناتك
/persona – قائمة الشخصيات؛ /persona الاسم للتبديل إلى إحداها
/reset – نسيان محادثتنا الحالية (تبقى إعداداتك)
/memory off – أتوقف عن تذكر محادثاتنا؛ /memory on لإعادة تشغيلها
/export – كل ما هو محفوظ عنك، بصيغة JSON
/forget – حذف كل ما هو محفوظ عنك
اسألني "{recall_question}" (بالإنجليزية) لترى الأشياء القليلة التي أتذكرها (اسمك، امتحان قريب...).""",
    "hi": """मैं Kindred हूँ, एक AI चैट साथी (एक बॉट, इंसान नहीं)। बस मुझे लिखिए। कमांड:
/help – यह सूची
/about – मैं क्या हूँ, कौन-सा मॉडल चलाता हूँ, और आपका डेटा कैसे रखा जाता है
/persona – पर्सोना की सूची; /persona नाम किसी एक पर बदल देता है
/reset – हमारी मौजूदा बातचीत भूल जाता है (आपकी सेटिंग्स बनी रहती हैं)
/memory off – हमारी बातचीत याद रखना बंद; /memory on से फिर चालू
/export – आपके बारे में रखी गई हर चीज़, JSON में
/forget – आपके बारे में रखी गई हर चीज़ मिटा देता है
मुझे याद रहने वाली कुछ बातें (आपका नाम, आने वाली परीक्षा...) देखने के लिए अंग्रेज़ी में "{recall_question}" पूछिए।""",
}

UNKNOWN_COMMAND: dict[str, str] = {
    "en": "I don't know the command /{name}. Send /help to see what I understand.",
    "es": "No conozco el comando /{name}. Envía /help para ver lo que entiendo.",
    "fr": "Je ne connais pas la commande /{name}. Envoie /help pour voir ce que je comprends.",
    "de": "Den Befehl /{name} kenne ich nicht. Schick /help, um zu sehen, was ich verstehe.",
    "pt": "Não conheço o comando /{name}. Envie /help para ver o que eu entendo.",
    "it": "Non conosco il comando /{name}. Invia /help per vedere cosa capisco.",
    "nl": "Het commando /{name} ken ik niet. Stuur /help om te zien wat ik begrijp.",
    "pl": "Nie znam komendy /{name}. Wyślij /help, żeby zobaczyć, co rozumiem.",
    "ru": "Я не знаю команду /{name}. Отправь /help, чтобы увидеть, что я понимаю.",
    "uk": "Я не знаю команди /{name}. Надішли /help, щоб побачити, що я розумію.",
    "tr": "/{name} komutunu bilmiyorum. Neleri anladığımı görmek için /help gönder.",
    "id": "Aku tidak tahu perintah /{name}. Kirim /help untuk melihat apa saja yang aku pahami.",
    "sv": "Jag känner inte till kommandot /{name}. Skicka /help för att se vad jag förstår.",
    "ja": "/{name} というコマンドはわかりません。使えるコマンドは /help で確認できます。",
    "zh": "我不认识 /{name} 这个命令。发送 /help 查看我能理解的命令。",
    "ar": "لا أعرف الأمر /{name}. أرسل /help لترى ما أفهمه.",
    "hi": "मुझे /{name} कमांड नहीं पता। मैं क्या समझता हूँ, यह देखने के लिए /help भेजिए।",
}

START: dict[str, str] = {
    "en": "Hi! I'm Kindred, an AI chat companion. I'm a bot, not a person, but I'm here to listen and "
    "cheer you on (right now as the '{persona}' persona). I remember our conversation so I can "
    "follow along; /forget deletes everything and /help lists what else I can do. "
    "If you're ever in danger, please contact local emergency services. What's on your mind?",
    "es": "¡Hola! Soy Kindred, un compañero de chat con IA. Soy un bot, no una persona, pero estoy aquí para "
    "escucharte y animarte (ahora mismo con la personalidad '{persona}'). Recuerdo nuestra conversación para "
    "poder seguirte el hilo; /forget lo borra todo y /help te muestra qué más puedo hacer. Si alguna vez "
    "estás en peligro, contacta con los servicios de emergencia de tu zona. ¿Qué tienes en mente?",
    "fr": "Salut ! Je suis Kindred, un compagnon de discussion IA. Je suis un bot, pas une personne, mais je "
    "suis là pour t'écouter et t'encourager (en ce moment avec le personnage '{persona}'). Je me souviens de "
    "notre conversation pour pouvoir suivre ; /forget efface tout et /help liste ce que je peux faire "
    "d'autre. Si un jour tu es en danger, contacte les services d'urgence locaux. De quoi as-tu envie de "
    "parler ?",
    "de": "Hallo! Ich bin Kindred, ein KI-Chatbegleiter. Ich bin ein Bot, kein Mensch, aber ich bin da, um dir "
    "zuzuhören und dich anzufeuern (gerade als Persona '{persona}'). Ich merke mir unser Gespräch, damit ich "
    "folgen kann; /forget löscht alles und /help zeigt, was ich sonst noch kann. Wenn du jemals in Gefahr "
    "bist, wende dich bitte an den örtlichen Notruf. Was beschäftigt dich?",
    "pt": "Oi! Eu sou o Kindred, um companheiro de conversa com IA. Sou um bot, não uma pessoa, mas estou aqui "
    "para te ouvir e te apoiar (agora com a persona '{persona}'). Eu me lembro da nossa conversa para "
    "conseguir acompanhar; /forget apaga tudo e /help mostra o que mais eu posso fazer. Se algum dia você "
    "estiver em perigo, entre em contato com os serviços de emergência locais. O que está passando pela sua "
    "cabeça?",
    "it": "Ciao! Sono Kindred, un compagno di chat basato sull'IA. Sono un bot, non una persona, ma sono qui per "
    "ascoltarti e fare il tifo per te (in questo momento con il personaggio '{persona}'). Ricordo la nostra "
    "conversazione per poterti seguire; /forget cancella tutto e /help elenca cos'altro posso fare. Se ti "
    "trovi in pericolo, contatta i servizi di emergenza locali. Cosa ti passa per la testa?",
    "nl": "Hoi! Ik ben Kindred, een AI-chatmaatje. Ik ben een bot, geen mens, maar ik ben er om naar je te "
    "luisteren en je aan te moedigen (nu als de persona '{persona}'). Ik onthoud ons gesprek zodat ik je kan "
    "volgen; /forget wist alles en /help laat zien wat ik nog meer kan. Als je ooit in gevaar bent, neem dan "
    "contact op met de lokale hulpdiensten. Wat houdt je bezig?",
    "pl": "Cześć! Jestem Kindred, towarzysz rozmów oparty na AI. Jestem botem, nie człowiekiem, ale jestem tu, "
    "żeby cię wysłuchać i dodać ci otuchy (teraz jako postać '{persona}'). Pamiętam naszą rozmowę, żeby móc "
    "za nią nadążać; /forget usuwa wszystko, a /help pokazuje, co jeszcze potrafię. Jeśli kiedykolwiek "
    "będziesz w niebezpieczeństwie, skontaktuj się z lokalnymi służbami ratunkowymi. Co ci chodzi po głowie?",
    "ru": "Привет! Я Kindred, ИИ-собеседник. Я бот, а не человек, но я здесь, чтобы выслушать и поддержать "
    "тебя (сейчас в роли персонажа '{persona}'). Я запоминаю наш разговор, чтобы не терять нить; /forget "
    "удаляет всё, а /help показывает, что ещё я умею. Если тебе когда-нибудь будет грозить опасность, "
    "обратись в местные экстренные службы. О чём ты думаешь?",
    "uk": "Привіт! Я Kindred, ШІ-співрозмовник. Я бот, а не людина, але я тут, щоб вислухати й підтримати "
    "тебе (зараз у ролі персонажа '{persona}'). Я запам'ятовую нашу розмову, щоб не губити нитку; /forget "
    "видаляє все, а /help показує, що ще я вмію. Якщо тобі колись загрожуватиме небезпека, звернися до "
    "місцевих екстрених служб. Про що ти думаєш?",
    "tr": "Merhaba! Ben Kindred, yapay zekâ destekli bir sohbet arkadaşıyım. Bir botum, insan değilim ama seni "
    "dinlemek ve sana destek olmak için buradayım (şu an '{persona}' karakteriyle). Konuşmayı takip "
    "edebilmek için sohbetimizi hatırlıyorum; /forget her şeyi siler, /help başka neler yapabildiğimi "
    "gösterir. Bir gün tehlikede olursan lütfen bulunduğun yerdeki acil servisleri ara. Aklında ne var?",
    "id": "Hai! Aku Kindred, teman ngobrol AI. Aku bot, bukan manusia, tapi aku di sini untuk mendengarkan dan "
    "menyemangatimu (saat ini sebagai persona '{persona}'). Aku mengingat percakapan kita supaya bisa "
    "nyambung; /forget menghapus semuanya dan /help menunjukkan apa lagi yang bisa aku lakukan. Kalau kamu "
    "dalam bahaya, segera hubungi layanan darurat setempat. Lagi mikirin apa?",
    "sv": "Hej! Jag är Kindred, en AI-chattkompis. Jag är en bot, inte en människa, men jag finns här för att "
    "lyssna och peppa dig (just nu som personan '{persona}'). Jag kommer ihåg vårt samtal så att jag kan "
    "hänga med; /forget raderar allt och /help visar vad mer jag kan göra. Om du någon gång är i fara, "
    "kontakta det lokala larmnumret. Vad har du på hjärtat?",
    "ja": "こんにちは！Kindredです。AIのチャット相手です。人間ではなくボットですが、あなたの話を聞いて応援するために"
    "ここにいます（今は「{persona}」ペルソナです）。話の流れを追えるように会話を覚えています。/forget ですべて"
    "削除でき、/help でほかにできることを確認できます。もし危険な状況にあるときは、地域の緊急サービスに連絡して"
    "ください。今、どんなことを考えていますか？",
    "zh": "你好！我是 Kindred，一个 AI 聊天伙伴。我是机器人，不是真人，但我会在这里倾听你、为你加油（现在使用的是"
    "“{persona}”角色）。我会记住我们的对话，这样才能跟上你的思路；/forget 会删除所有内容，/help 会列出我还能做"
    "什么。如果你遇到危险，请联系当地的紧急服务。你在想什么呢？",
    "ar": "مرحبًا! أنا Kindred، رفيق دردشة يعمل بالذكاء الاصطناعي. أنا بوت ولست إنسانًا، لكنني هنا لأستمع إليك "
    "وأشجعك (الآن بشخصية '{persona}'). أتذكر محادثتنا لأتمكن من متابعتها؛ /forget يحذف كل شيء، و /help يعرض "
    "ما يمكنني فعله أيضًا. إذا كنت في خطر في أي وقت، فمن فضلك تواصل مع خدمات الطوارئ المحلية. ما الذي يشغل بالك؟",
    "hi": "नमस्ते! मैं Kindred हूँ, एक AI चैट साथी। मैं एक बॉट हूँ, इंसान नहीं, लेकिन मैं आपकी बात सुनने और आपका "
    "हौसला बढ़ाने के लिए यहाँ हूँ (अभी '{persona}' पर्सोना के रूप में)। मैं हमारी बातचीत याद रखता हूँ ताकि बात "
    "समझ सकूँ; /forget सब कुछ मिटा देता है और /help बताता है कि मैं और क्या कर सकता हूँ। अगर आप कभी ख़तरे में "
    "हों, तो कृपया अपनी स्थानीय आपातकालीन सेवाओं से संपर्क करें। आपके मन में क्या चल रहा है?",
}

RESET: dict[str, str] = {
    "en": "Done, I've forgotten our conversation so far. Let's start fresh.",
    "es": "Hecho, he olvidado nuestra conversación hasta ahora. Empecemos de cero.",
    "fr": "C'est fait, j'ai oublié notre conversation jusqu'ici. On repart de zéro.",
    "de": "Erledigt, ich habe unser bisheriges Gespräch vergessen. Fangen wir neu an.",
    "pt": "Pronto, esqueci nossa conversa até aqui. Vamos começar do zero.",
    "it": "Fatto, ho dimenticato la nostra conversazione fin qui. Ricominciamo da capo.",
    "nl": "Klaar, ik ben ons gesprek tot nu toe vergeten. Laten we opnieuw beginnen.",
    "pl": "Gotowe, nasza dotychczasowa rozmowa jest zapomniana. Zacznijmy od nowa.",
    "ru": "Готово, наш разговор до этого момента забыт. Давай начнём сначала.",
    "uk": "Готово, нашу дотеперішню розмову забуто. Почнімо спочатку.",
    "tr": "Tamam, şimdiye kadarki sohbetimizi unuttum. Baştan başlayalım.",
    "id": "Beres, aku sudah melupakan percakapan kita sejauh ini. Ayo mulai dari awal.",
    "sv": "Klart, jag har glömt vårt samtal hittills. Vi börjar om från början.",
    "ja": "完了しました。ここまでの会話を忘れました。新しく始めましょう。",
    "zh": "好了，我已经忘掉了我们到目前为止的对话。我们重新开始吧。",
    "ar": "تم، لقد نسيت محادثتنا حتى الآن. لنبدأ من جديد.",
    "hi": "हो गया, मैंने अब तक की हमारी बातचीत भुला दी है। चलिए, नए सिरे से शुरू करते हैं।",
}

FORGET: dict[str, str] = {
    "en": "Done. I've deleted everything I had stored about you: our conversations and your settings.",
    "es": "Hecho. He borrado todo lo que tenía guardado sobre ti: nuestras conversaciones y tus ajustes.",
    "fr": "C'est fait. J'ai supprimé tout ce que j'avais enregistré sur toi : nos conversations et tes réglages.",
    "de": "Erledigt. Ich habe alles gelöscht, was ich über dich gespeichert hatte: unsere Gespräche und deine "
    "Einstellungen.",
    "pt": "Pronto. Apaguei tudo o que eu tinha guardado sobre você: nossas conversas e suas configurações.",
    "it": "Fatto. Ho cancellato tutto ciò che avevo salvato su di te: le nostre conversazioni e le tue "
    "impostazioni.",
    "nl": "Klaar. Ik heb alles gewist wat ik over je had opgeslagen: onze gesprekken en je instellingen.",
    "pl": "Gotowe. Wszystko, co było o tobie zapisane, zostało usunięte: nasze rozmowy i twoje ustawienia.",
    "ru": "Готово. Всё, что было о тебе сохранено, удалено: наши разговоры и твои настройки.",
    "uk": "Готово. Усе, що було про тебе збережено, видалено: наші розмови й твої налаштування.",
    "tr": "Tamam. Hakkında sakladığım her şeyi sildim: sohbetlerimizi ve ayarlarını.",
    "id": "Beres. Aku sudah menghapus semua yang aku simpan tentang kamu: percakapan kita dan pengaturanmu.",
    "sv": "Klart. Jag har raderat allt jag hade sparat om dig: våra samtal och dina inställningar.",
    "ja": "完了しました。あなたについて保存していたもの（私たちの会話と設定）をすべて削除しました。",
    "zh": "好了。我已经删除了关于你保存的所有内容：我们的对话和你的设置。",
    "ar": "تم. حذفت كل ما كان محفوظًا عنك: محادثاتنا وإعداداتك.",
    "hi": "हो गया। आपके बारे में जो कुछ भी रखा था, वह सब मैंने मिटा दिया है: हमारी बातचीत और आपकी सेटिंग्स।",
}

PERSONA_LIST: dict[str, str] = {
    "en": "Personas (current: {current}):",
    "es": "Personalidades (actual: {current}):",
    "fr": "Personnages (actuel : {current}) :",
    "de": "Personas (aktuell: {current}):",
    "pt": "Personas (atual: {current}):",
    "it": "Personaggi (attuale: {current}):",
    "nl": "Persona's (huidige: {current}):",
    "pl": "Postaci (obecna: {current}):",
    "ru": "Персонажи (сейчас: {current}):",
    "uk": "Персонажі (зараз: {current}):",
    "tr": "Karakterler (şu anki: {current}):",
    "id": "Persona (saat ini: {current}):",
    "sv": "Personor (nuvarande: {current}):",
    "ja": "ペルソナ一覧（現在：{current}）：",
    "zh": "角色列表（当前：{current}）：",
    "ar": "الشخصيات (الحالية: {current}):",
    "hi": "पर्सोना (अभी: {current}):",
}
"""The first line of /persona's list; each persona's line (``- name: description``) follows."""

PERSONA_UNAVAILABLE: dict[str, str] = {
    "en": " (unavailable: cloned voice without consent)",
    "es": " (no disponible: voz clonada sin consentimiento)",
    "fr": " (indisponible : voix clonée sans consentement)",
    "de": " (nicht verfügbar: geklonte Stimme ohne Einwilligung)",
    "pt": " (indisponível: voz clonada sem consentimento)",
    "it": " (non disponibile: voce clonata senza consenso)",
    "nl": " (niet beschikbaar: gekloonde stem zonder toestemming)",
    "pl": " (niedostępna: sklonowany głos bez zgody)",
    "ru": " (недоступен: скопированный голос без согласия)",
    "uk": " (недоступний: скопійований голос без згоди)",
    "tr": " (kullanılamaz: izin alınmadan kopyalanmış ses)",
    "id": " (tidak tersedia: suara tiruan tanpa persetujuan)",
    "sv": " (inte tillgänglig: klonad röst utan samtycke)",
    "ja": "（利用不可：本人の同意がない、複製された口調）",
    "zh": "（不可用：未经本人同意的克隆风格）",
    "ar": " (غير متاحة: صوت مستنسخ دون موافقة)",
    "hi": " (उपलब्ध नहीं: बिना सहमति के कॉपी की गई आवाज़)",
}
"""Put after the description of a cloned-voice persona whose config does not record consent."""

PERSONA_HOW_TO_SWITCH: dict[str, str] = {
    "en": "Switch with /persona NAME.",
    "es": "Cambia con /persona NOMBRE.",
    "fr": "Change avec /persona NOM.",
    "de": "Wechseln mit /persona NAME.",
    "pt": "Troque com /persona NOME.",
    "it": "Cambia con /persona NOME.",
    "nl": "Wissel met /persona NAAM.",
    "pl": "Zmień komendą /persona NAZWA.",
    "ru": "Сменить: /persona ИМЯ.",
    "uk": "Змінити: /persona ІМ'Я.",
    "tr": "Değiştirmek için: /persona AD",
    "id": "Ganti dengan /persona NAMA.",
    "sv": "Byt med /persona NAMN.",
    "ja": "切り替えるには /persona 名前 と送ってください。",
    "zh": "切换请发送 /persona 名称。",
    "ar": "للتبديل: /persona الاسم",
    "hi": "बदलने के लिए: /persona नाम",
}

PERSONA_UNKNOWN: dict[str, str] = {
    "en": "There is no persona called {name}. Known: {known}.",
    "es": "No hay ninguna personalidad llamada {name}. Disponibles: {known}.",
    "fr": "Il n'y a pas de personnage appelé {name}. Disponibles : {known}.",
    "de": "Es gibt keine Persona namens {name}. Verfügbar: {known}.",
    "pt": "Não existe nenhuma persona chamada {name}. Disponíveis: {known}.",
    "it": "Non c'è nessun personaggio chiamato {name}. Disponibili: {known}.",
    "nl": "Er is geen persona met de naam {name}. Beschikbaar: {known}.",
    "pl": "Nie ma postaci o nazwie {name}. Dostępne: {known}.",
    "ru": "Персонажа с именем {name} нет. Доступные: {known}.",
    "uk": "Персонажа з іменем {name} немає. Доступні: {known}.",
    "tr": "{name} adında bir karakter yok. Mevcut olanlar: {known}.",
    "id": "Tidak ada persona bernama {name}. Yang tersedia: {known}.",
    "sv": "Det finns ingen persona som heter {name}. Tillgängliga: {known}.",
    "ja": "{name} というペルソナはありません。使えるもの：{known}。",
    "zh": "没有名为 {name} 的角色。可用的有：{known}。",
    "ar": "لا توجد شخصية باسم {name}. المتاحة: {known}.",
    "hi": "{name} नाम का कोई पर्सोना नहीं है। उपलब्ध: {known}।",
}
"""``{name}``: what the person typed, quoted; ``{known}``: the persona names, comma-separated."""

PERSONA_NO_CONSENT: dict[str, str] = {
    "en": "The persona {name} is a cloned voice and its config does not say that consent was given, so I "
    "won't use it.",
    "es": "La personalidad {name} es una voz clonada y su configuración no dice que se haya dado "
    "consentimiento, así que no la voy a usar.",
    "fr": "Le personnage {name} est une voix clonée et sa configuration n'indique pas que le consentement a été "
    "donné, donc je ne l'utiliserai pas.",
    "de": "Die Persona {name} ist eine geklonte Stimme, und ihre Konfiguration sagt nicht, dass eine "
    "Einwilligung vorliegt. Deshalb nutze ich sie nicht.",
    "pt": "A persona {name} é uma voz clonada e a configuração dela não diz que houve consentimento, então não "
    "vou usá-la.",
    "it": "Il personaggio {name} è una voce clonata e la sua configurazione non dice che sia stato dato il "
    "consenso, quindi non lo userò.",
    "nl": "De persona {name} is een gekloonde stem en de configuratie zegt niet dat er toestemming is gegeven, "
    "dus ik gebruik hem niet.",
    "pl": "Postać {name} to sklonowany głos, a jej konfiguracja nie mówi, że wyrażono zgodę, więc nie będę jej "
    "używać.",
    "ru": "Персонаж {name} копирует голос реального человека, а в его настройках не сказано, что согласие было "
    "получено, поэтому я не буду его использовать.",
    "uk": "Персонаж {name} копіює голос реальної людини, а в його налаштуваннях не сказано, що згоду отримано, "
    "тому я не буду його використовувати.",
    "tr": "{name} karakteri kopyalanmış bir ses ve ayarlarında izin verildiği yazmıyor, bu yüzden onu "
    "kullanmayacağım.",
    "id": "Persona {name} adalah suara tiruan dan konfigurasinya tidak menyebutkan bahwa persetujuan sudah "
    "diberikan, jadi aku tidak akan memakainya.",
    "sv": "Personan {name} är en klonad röst och dess inställningar säger inte att samtycke har getts, så jag "
    "använder den inte.",
    "ja": "ペルソナ {name} は実在の人の口調を複製したもので、設定に本人の同意が記されていないため、使いません。",
    "zh": "角色 {name} 克隆了一个真实的人的风格，它的配置里没有写明已获得同意，所以我不会使用它。",
    "ar": "الشخصية {name} صوت مستنسخ، ولا تذكر إعداداتها أن الموافقة أُعطيت، لذلك لن أستخدمها.",
    "hi": "पर्सोना {name} एक कॉपी की गई आवाज़ है और उसकी कॉन्फ़िगरेशन में सहमति मिलने की बात नहीं लिखी है, "
    "इसलिए मैं इसका इस्तेमाल नहीं करूँगा।",
}

PERSONA_SWITCHED: dict[str, str] = {
    "en": "Switched to the {name} persona: {description}",
    "es": "Cambiado a la personalidad {name}: {description}",
    "fr": "Passage au personnage {name} : {description}",
    "de": "Zur Persona {name} gewechselt: {description}",
    "pt": "Mudei para a persona {name}: {description}",
    "it": "Passato al personaggio {name}: {description}",
    "nl": "Gewisseld naar de persona {name}: {description}",
    "pl": "Przełączono na postać {name}: {description}",
    "ru": "Включён персонаж {name}: {description}",
    "uk": "Увімкнено персонажа {name}: {description}",
    "tr": "{name} karakterine geçildi: {description}",
    "id": "Beralih ke persona {name}: {description}",
    "sv": "Bytte till personan {name}: {description}",
    "ja": "ペルソナ {name} に切り替えました：{description}",
    "zh": "已切换到角色 {name}：{description}",
    "ar": "تم التبديل إلى الشخصية {name}: {description}",
    "hi": "पर्सोना {name} पर बदल दिया: {description}",
}

MEMORY_OFF: dict[str, str] = {
    "en": "OK, I won't remember our conversations from now on (and I've cleared what I had). "
    "Each message will be answered on its own. /memory on turns memory back on.",
    "es": "Vale, a partir de ahora no recordaré nuestras conversaciones (y he borrado lo que tenía). "
    "Responderé a cada mensaje por separado. /memory on vuelve a activar la memoria.",
    "fr": "D'accord, je ne retiendrai plus nos conversations à partir de maintenant (et j'ai effacé ce que "
    "j'avais). Je répondrai à chaque message séparément. /memory on réactive la mémoire.",
    "de": "Okay, ab jetzt merke ich mir unsere Gespräche nicht mehr (und habe gelöscht, was ich hatte). Jede "
    "Nachricht wird einzeln beantwortet. /memory on schaltet das Gedächtnis wieder ein.",
    "pt": "Ok, a partir de agora não vou lembrar nossas conversas (e apaguei o que eu tinha). Cada mensagem "
    "será respondida separadamente. /memory on liga a memória de novo.",
    "it": "Ok, da adesso non ricorderò le nostre conversazioni (e ho cancellato quello che avevo). Risponderò a "
    "ogni messaggio singolarmente. /memory on riattiva la memoria.",
    "nl": "Oké, vanaf nu onthoud ik onze gesprekken niet meer (en ik heb gewist wat ik had). Elk bericht wordt "
    "los beantwoord. /memory on zet het geheugen weer aan.",
    "pl": "OK, od teraz nie będę zapamiętywać naszych rozmów (a to, co było zapisane, zostało usunięte). Na "
    "każdą wiadomość odpowiem osobno. /memory on z powrotem włącza pamięć.",
    "ru": "Хорошо, с этого момента я не буду запоминать наши разговоры (а то, что было сохранено, удалено). На "
    "каждое сообщение буду отвечать отдельно. /memory on снова включает память.",
    "uk": "Добре, відтепер я не запам'ятовуватиму наші розмови (а те, що було збережено, видалено). На кожне "
    "повідомлення відповідатиму окремо. /memory on знову вмикає пам'ять.",
    "tr": "Tamam, bundan sonra sohbetlerimizi hatırlamayacağım (ve elimdekileri sildim). Her mesaja ayrı ayrı "
    "cevap vereceğim. /memory on hafızayı yeniden açar.",
    "id": "Oke, mulai sekarang aku tidak akan mengingat percakapan kita (dan yang sudah tersimpan sudah aku "
    "hapus). Setiap pesan akan aku balas sendiri-sendiri. /memory on menyalakan ingatanku lagi.",
    "sv": "Okej, från och med nu kommer jag inte ihåg våra samtal (och jag har raderat det jag hade). Varje "
    "meddelande besvaras för sig. /memory on slår på minnet igen.",
    "ja": "わかりました。これからは会話を覚えません（これまで覚えていた内容も消しました）。メッセージには一つずつ"
    "個別にお返事します。/memory on で記憶を元に戻せます。",
    "zh": "好的，从现在起我不会再记住我们的对话（之前记下的也已清除）。每条消息我都会单独回复。/memory on 可以重新"
    "打开记忆。",
    "ar": "حسنًا، لن أتذكر محادثاتنا من الآن فصاعدًا (وقد مسحت ما كان لدي). سأرد على كل رسالة بمفردها. "
    "/memory on يعيد تشغيل الذاكرة.",
    "hi": "ठीक है, अब से मैं हमारी बातचीत याद नहीं रखूँगा (और जो याद था, वह मिटा दिया है)। हर संदेश का जवाब अलग "
    "से दूँगा। /memory on से याददाश्त फिर चालू हो जाती है।",
}

MEMORY_ON: dict[str, str] = {
    "en": "OK, I'll remember our conversation again.",
    "es": "Vale, volveré a recordar nuestra conversación.",
    "fr": "D'accord, je retiendrai de nouveau notre conversation.",
    "de": "Okay, ich merke mir unser Gespräch wieder.",
    "pt": "Ok, vou voltar a lembrar nossa conversa.",
    "it": "Ok, ricorderò di nuovo la nostra conversazione.",
    "nl": "Oké, ik onthoud ons gesprek weer.",
    "pl": "OK, znów będę zapamiętywać naszą rozmowę.",
    "ru": "Хорошо, я снова буду запоминать наш разговор.",
    "uk": "Добре, я знову запам'ятовуватиму нашу розмову.",
    "tr": "Tamam, sohbetimizi yeniden hatırlayacağım.",
    "id": "Oke, aku akan mengingat percakapan kita lagi.",
    "sv": "Okej, jag kommer ihåg vårt samtal igen.",
    "ja": "わかりました。また会話を覚えるようにします。",
    "zh": "好的，我会重新记住我们的对话。",
    "ar": "حسنًا، سأتذكر محادثتنا من جديد.",
    "hi": "ठीक है, मैं फिर से हमारी बातचीत याद रखूँगा।",
}

MEMORY_IS_ON: dict[str, str] = {
    "en": "Memory is on. Use /memory on or /memory off.",
    "es": "La memoria está activada. Usa /memory on o /memory off.",
    "fr": "La mémoire est activée. Utilise /memory on ou /memory off.",
    "de": "Das Gedächtnis ist an. Nutze /memory on oder /memory off.",
    "pt": "A memória está ligada. Use /memory on ou /memory off.",
    "it": "La memoria è attiva. Usa /memory on o /memory off.",
    "nl": "Het geheugen staat aan. Gebruik /memory on of /memory off.",
    "pl": "Pamięć jest włączona. Użyj /memory on albo /memory off.",
    "ru": "Память включена. Используй /memory on или /memory off.",
    "uk": "Пам'ять увімкнена. Використовуй /memory on або /memory off.",
    "tr": "Hafıza açık. /memory on veya /memory off kullan.",
    "id": "Ingatan sedang aktif. Gunakan /memory on atau /memory off.",
    "sv": "Minnet är på. Använd /memory on eller /memory off.",
    "ja": "記憶はオンです。/memory on または /memory off で切り替えられます。",
    "zh": "记忆已开启。使用 /memory on 或 /memory off 切换。",
    "ar": "الذاكرة مفعّلة. استخدم /memory on أو /memory off.",
    "hi": "याददाश्त चालू है। /memory on या /memory off का इस्तेमाल करें।",
}

MEMORY_IS_OFF: dict[str, str] = {
    "en": "Memory is off. Use /memory on or /memory off.",
    "es": "La memoria está desactivada. Usa /memory on o /memory off.",
    "fr": "La mémoire est désactivée. Utilise /memory on ou /memory off.",
    "de": "Das Gedächtnis ist aus. Nutze /memory on oder /memory off.",
    "pt": "A memória está desligada. Use /memory on ou /memory off.",
    "it": "La memoria è disattivata. Usa /memory on o /memory off.",
    "nl": "Het geheugen staat uit. Gebruik /memory on of /memory off.",
    "pl": "Pamięć jest wyłączona. Użyj /memory on albo /memory off.",
    "ru": "Память выключена. Используй /memory on или /memory off.",
    "uk": "Пам'ять вимкнена. Використовуй /memory on або /memory off.",
    "tr": "Hafıza kapalı. /memory on veya /memory off kullan.",
    "id": "Ingatan sedang nonaktif. Gunakan /memory on atau /memory off.",
    "sv": "Minnet är av. Använd /memory on eller /memory off.",
    "ja": "記憶はオフです。/memory on または /memory off で切り替えられます。",
    "zh": "记忆已关闭。使用 /memory on 或 /memory off 切换。",
    "ar": "الذاكرة متوقفة. استخدم /memory on أو /memory off.",
    "hi": "याददाश्त बंद है। /memory on या /memory off का इस्तेमाल करें।",
}

ABOUT: dict[str, str] = {
    "en": "I'm Kindred, an AI chat bot, not a human. "
    "I generate replies with a language model ({engine}) using the '{persona}' persona.{clone} "
    "I can be wrong, and I'm not a therapist or an emergency service. "
    "What you write is stored in a database on the machine of whoever runs this bot, so I can "
    "remember our conversation; it is kept {kept}. "
    "/export shows everything stored about you, /forget deletes it, and /memory off stops me "
    "remembering. Message text is not written to logs.",
    "es": "Soy Kindred, un bot de chat con IA, no una persona. Genero las respuestas con un modelo de lenguaje "
    "({engine}) usando la personalidad '{persona}'.{clone} Puedo equivocarme, y no soy terapeuta ni un servicio "
    "de emergencias. Lo que escribes se guarda en una base de datos en el ordenador de quien gestiona este "
    "bot, para que pueda recordar nuestra conversación; se conserva {kept}. /export muestra todo lo guardado "
    "sobre ti, /forget lo borra y /memory off hace que deje de recordar. El texto de los mensajes no se "
    "escribe en los registros.",
    "fr": "Je suis Kindred, un bot de discussion IA, pas un humain. Je génère mes réponses avec un modèle de "
    "langage ({engine}) en utilisant le personnage '{persona}'.{clone} Je peux me tromper, et je ne suis ni "
    "thérapeute ni un service d'urgence. Ce que tu écris est enregistré dans une base de données sur la "
    "machine de la personne qui fait tourner ce bot, pour que je puisse me souvenir de notre conversation ; "
    "c'est conservé {kept}. /export montre tout ce qui est enregistré sur toi, /forget le supprime et "
    "/memory off m'empêche de retenir quoi que ce soit. Le texte des messages n'est pas écrit dans les "
    "journaux.",
    "de": "Ich bin Kindred, ein KI-Chatbot, kein Mensch. Ich schreibe meine Antworten mit einem Sprachmodell "
    "({engine}) und der Persona '{persona}'.{clone} Ich kann mich irren, und ich bin weder Therapeut noch ein "
    "Notdienst. Was du schreibst, wird in einer Datenbank auf dem Rechner der Person gespeichert, die diesen "
    "Bot betreibt, damit ich mich an unser Gespräch erinnern kann; es wird {kept} aufbewahrt. /export zeigt "
    "alles, was über dich gespeichert ist, /forget löscht es, und mit /memory off merke ich mir nichts mehr. "
    "Nachrichtentexte werden nicht in Logs geschrieben.",
    "pt": "Eu sou o Kindred, um bot de conversa com IA, não um humano. Gero as respostas com um modelo de "
    "linguagem ({engine}) usando a persona '{persona}'.{clone} Posso errar, e não sou terapeuta nem um serviço "
    "de emergência. O que você escreve fica guardado em um banco de dados no computador de quem roda este "
    "bot, para que eu possa lembrar da nossa conversa; fica guardado {kept}. /export mostra tudo o que está "
    "guardado sobre você, /forget apaga tudo e /memory off faz eu parar de lembrar. O texto das mensagens "
    "não é escrito nos logs.",
    "it": "Sono Kindred, un chatbot basato sull'IA, non un essere umano. Genero le risposte con un modello "
    "linguistico ({engine}) usando il personaggio '{persona}'.{clone} Posso sbagliare, e non sono né un "
    "terapeuta né un servizio di emergenza. Quello che scrivi viene salvato in un database sul computer di "
    "chi gestisce questo bot, così posso ricordare la nostra conversazione; viene conservato {kept}. /export "
    "mostra tutto ciò che è salvato su di te, /forget lo cancella e /memory off mi fa smettere di ricordare. "
    "Il testo dei messaggi non viene scritto nei log.",
    "nl": "Ik ben Kindred, een AI-chatbot, geen mens. Ik schrijf mijn antwoorden met een taalmodel ({engine}) "
    "en de persona '{persona}'.{clone} Ik kan me vergissen, en ik ben geen therapeut of hulpdienst. Wat je "
    "schrijft wordt opgeslagen in een database op de computer van degene die deze bot draait, zodat ik ons "
    "gesprek kan onthouden; het wordt {kept} bewaard. /export laat alles zien wat over jou is opgeslagen, "
    "/forget wist het en met /memory off onthoud ik niets meer. De tekst van berichten wordt niet in logs "
    "geschreven.",
    "pl": "Jestem Kindred, czatbot oparty na AI, a nie człowiek. Odpowiedzi tworzę za pomocą modelu językowego "
    "({engine}), używając postaci '{persona}'.{clone} Mogę się mylić i nie jestem terapeutą ani służbą "
    "ratunkową. To, co piszesz, jest zapisywane w bazie danych na komputerze osoby, która uruchamia tego "
    "bota, żebym mógł pamiętać naszą rozmowę; jest przechowywane {kept}. /export pokazuje wszystko, co jest "
    "o tobie zapisane, /forget to usuwa, a /memory off sprawia, że przestaję zapamiętywać. Treść wiadomości "
    "nie trafia do logów.",
    "ru": "Я Kindred, чат-бот на основе ИИ, а не человек. Я пишу ответы с помощью языковой модели ({engine}) в "
    "роли персонажа '{persona}'.{clone} Я могу ошибаться, и я не психотерапевт и не экстренная служба. То, что "
    "ты пишешь, хранится в базе данных на компьютере того, кто запустил этого бота, чтобы я мог помнить наш "
    "разговор; это хранится {kept}. /export показывает всё, что о тебе сохранено, /forget это удаляет, а "
    "/memory off отключает запоминание. Текст сообщений не записывается в логи.",
    "uk": "Я Kindred, чат-бот на основі ШІ, а не людина. Я пишу відповіді за допомогою мовної моделі ({engine}) "
    "у ролі персонажа '{persona}'.{clone} Я можу помилятися, і я не психотерапевт і не екстрена служба. Те, що "
    "ти пишеш, зберігається в базі даних на комп'ютері того, хто запустив цього бота, щоб я міг пам'ятати "
    "нашу розмову; це зберігається {kept}. /export показує все, що про тебе збережено, /forget це видаляє, а "
    "/memory off вимикає запам'ятовування. Текст повідомлень не записується в логи.",
    "tr": "Ben Kindred, yapay zekâ destekli bir sohbet botuyum, insan değilim. Cevaplarımı bir dil modeliyle "
    "({engine}) '{persona}' karakterini kullanarak üretiyorum.{clone} Yanılabilirim; terapist ya da acil "
    "servis değilim. Yazdıkların, sohbetimizi hatırlayabilmem için bu botu çalıştıran kişinin "
    "bilgisayarındaki bir veritabanında saklanır ve {kept} tutulur. /export hakkında saklanan her şeyi "
    "gösterir, /forget hepsini siler, /memory off ise hatırlamamı durdurur. Mesaj metinleri kayıtlara (log) "
    "yazılmaz.",
    "id": "Aku Kindred, bot obrolan AI, bukan manusia. Aku membuat balasan dengan model bahasa ({engine}) "
    "memakai persona '{persona}'.{clone} Aku bisa salah, dan aku bukan terapis atau layanan darurat. Yang kamu "
    "tulis disimpan di basis data di komputer orang yang menjalankan bot ini, supaya aku bisa mengingat "
    "percakapan kita; data itu disimpan {kept}. /export menampilkan semua yang tersimpan tentang kamu, "
    "/forget menghapusnya, dan /memory off membuatku berhenti mengingat. Isi pesan tidak ditulis ke log.",
    "sv": "Jag är Kindred, en AI-chattbot, inte en människa. Jag skriver mina svar med en språkmodell ({engine}) "
    "och personan '{persona}'.{clone} Jag kan ha fel, och jag är varken terapeut eller en larmtjänst. Det du "
    "skriver sparas i en databas på datorn hos den som kör den här boten, så att jag kan komma ihåg vårt "
    "samtal; det sparas {kept}. /export visar allt som finns sparat om dig, /forget raderar det och "
    "/memory off får mig att sluta komma ihåg. Meddelandenas text skrivs inte till loggar.",
    "ja": "Kindredです。人間ではなく、AIのチャットボットです。言語モデル（{engine}）と「{persona}」ペルソナで返事を"
    "作っています。{clone}間違えることもありますし、セラピストや緊急サービスでもありません。あなたが書いた内容は、"
    "会話を覚えておくために、このボットを動かしている人のコンピューター上のデータベースに記録され、{kept}残ります。"
    "/export で保存されている内容をすべて確認でき、/forget で削除でき、/memory off で記憶を止められます。"
    "メッセージの本文はログには書き込まれません。",
    "zh": "我是 Kindred，一个 AI 聊天机器人，不是真人。我用语言模型（{engine}）以“{persona}”角色生成回复。{clone}"
    "我可能会出错，我也不是心理治疗师或紧急服务。你写的内容会保存在运行这个机器人的人的电脑上的数据库里，这样我才能"
    "记住我们的对话；这些内容会保存{kept}。/export 显示关于你保存的所有内容，/forget 删除它们，/memory off 让我"
    "停止记忆。消息内容不会写进日志。",
    "ar": "أنا Kindred، بوت دردشة يعمل بالذكاء الاصطناعي، ولست إنسانًا. أكتب الردود بنموذج لغوي ({engine}) "
    "باستخدام شخصية '{persona}'.{clone} قد أخطئ، ولست معالجًا نفسيًا ولا خدمة طوارئ. ما تكتبه يُحفظ في قاعدة "
    "بيانات على جهاز من يشغّل هذا البوت، حتى أتمكن من تذكر محادثتنا؛ ويُحتفظ به {kept}. /export يعرض كل ما هو "
    "محفوظ عنك، و /forget يحذفه، و /memory off يوقفني عن التذكر. لا يُكتب نص الرسائل في السجلات.",
    "hi": "मैं Kindred हूँ, एक AI चैट बॉट, इंसान नहीं। मैं एक लैंग्वेज मॉडल ({engine}) से '{persona}' पर्सोना के साथ "
    "जवाब बनाता हूँ।{clone} मुझसे गलती हो सकती है, और मैं कोई थेरेपिस्ट या आपातकालीन सेवा नहीं हूँ। आप जो लिखते "
    "हैं, वह इस बॉट को चलाने वाले व्यक्ति की मशीन पर एक डेटाबेस में रखा जाता है, ताकि मैं हमारी बातचीत याद रख "
    "सकूँ; इसे {kept} रखा जाता है। /export आपके बारे में रखी गई हर चीज़ दिखाता है, /forget उसे मिटा देता है, और "
    "/memory off से मैं याद रखना बंद कर देता हूँ। संदेशों का टेक्स्ट लॉग में नहीं लिखा जाता।",
}
"""``{engine}``: the engine's own description; ``{clone}``: ``ABOUT_CLONE`` or nothing; ``{kept}``:
``ABOUT_KEPT_DAYS`` or ``ABOUT_KEPT_UNTIL_DELETED``."""

ABOUT_CLONE: dict[str, str] = {
    "en": " This persona imitates a real person's writing style, with their consent; it is still a bot.",
    "es": " Esta personalidad imita la forma de escribir de una persona real, con su consentimiento; sigue "
    "siendo un bot.",
    "fr": " Ce personnage imite la façon d'écrire d'une personne réelle, avec son accord ; ça reste un bot.",
    "de": " Diese Persona ahmt mit deren Einwilligung den Schreibstil einer echten Person nach; sie ist "
    "trotzdem ein Bot.",
    "pt": " Esta persona imita o jeito de escrever de uma pessoa real, com o consentimento dela; continua sendo "
    "um bot.",
    "it": " Questo personaggio imita il modo di scrivere di una persona reale, con il suo consenso; resta "
    "comunque un bot.",
    "nl": " Deze persona bootst de schrijfstijl van een echt persoon na, met diens toestemming; het blijft een "
    "bot.",
    "pl": " Ta postać naśladuje styl pisania prawdziwej osoby, za jej zgodą; to wciąż bot.",
    "ru": " Этот персонаж подражает манере письма реального человека, с его согласия; это всё равно бот.",
    "uk": " Цей персонаж наслідує манеру письма реальної людини, з її згоди; це все одно бот.",
    "tr": " Bu karakter, gerçek bir kişinin yazış tarzını onun izniyle taklit ediyor; yine de bir bot.",
    "id": " Persona ini meniru gaya menulis orang sungguhan, dengan persetujuannya; tetap saja ini bot.",
    "sv": " Den här personan härmar en verklig persons sätt att skriva, med hens samtycke; det är fortfarande "
    "en bot.",
    "ja": "このペルソナは、本人の同意を得て実在の人の書き方をまねていますが、ボットであることに変わりはありません。",
    "zh": "这个角色在本人同意的情况下模仿一位真实人物的写作风格；它仍然是机器人。",
    "ar": " هذه الشخصية تقلد أسلوب كتابة شخص حقيقي بموافقته؛ لكنها تبقى بوتًا.",
    "hi": " यह पर्सोना किसी असली व्यक्ति की सहमति से उसके लिखने के अंदाज़ की नकल करता है; फिर भी यह एक बॉट है।",
}

ABOUT_KEPT_DAYS: dict[str, str] = {
    "en": "for {days} days",
    "es": "durante {days} días",
    "fr": "pendant {days} jours",
    "de": "{days} Tage lang",
    "pt": "por {days} dias",
    "it": "per {days} giorni",
    "nl": "{days} dagen lang",
    "pl": "przez {days} dni",
    "ru": "в течение {days} дн.",
    "uk": "протягом {days} дн.",
    "tr": "{days} gün boyunca",
    "id": "selama {days} hari",
    "sv": "i {days} dagar",
    "ja": "{days}日間",
    "zh": " {days} 天",
    "ar": "لمدة {days} يومًا",
    "hi": "{days} दिनों तक",
}
"""``memory.retention_days``, in ``ABOUT``'s ``{kept}``."""

ABOUT_KEPT_UNTIL_DELETED: dict[str, str] = {
    "en": "until you delete it",
    "es": "hasta que lo borres",
    "fr": "jusqu'à ce que tu le supprimes",
    "de": "so lange, bis du es löschst",
    "pt": "até você apagar",
    "it": "finché non lo cancelli",
    "nl": "tot je het wist",
    "pl": "dopóki tego nie usuniesz",
    "ru": "пока ты это не удалишь",
    "uk": "доки ти це не видалиш",
    "tr": "sen silene kadar",
    "id": "sampai kamu menghapusnya",
    "sv": "tills du raderar det",
    "ja": "あなたが削除するまで",
    "zh": "到你删除为止",
    "ar": "حتى تحذفه",
    "hi": "जब तक आप इसे मिटा न दें, तब तक",
}
"""No retention set, in ``ABOUT``'s ``{kept}``."""

TABLES: dict[str, dict[str, str]] = {
    "help": HELP,
    "unknown_command": UNKNOWN_COMMAND,
    "start": START,
    "reset": RESET,
    "forget": FORGET,
    "persona_list": PERSONA_LIST,
    "persona_unavailable": PERSONA_UNAVAILABLE,
    "persona_how_to_switch": PERSONA_HOW_TO_SWITCH,
    "persona_unknown": PERSONA_UNKNOWN,
    "persona_no_consent": PERSONA_NO_CONSENT,
    "persona_switched": PERSONA_SWITCHED,
    "memory_off": MEMORY_OFF,
    "memory_on": MEMORY_ON,
    "memory_is_on": MEMORY_IS_ON,
    "memory_is_off": MEMORY_IS_OFF,
    "about": ABOUT,
    "about_clone": ABOUT_CLONE,
    "about_kept_days": ABOUT_KEPT_DAYS,
    "about_kept_until_deleted": ABOUT_KEPT_UNTIL_DELETED,
}
"""Every text, by name (the tests check each has every language and the English placeholders)."""
