"""A synthetic r/toastme-style BigQuery CSV (title, body, score) for benchmarks and tests.

No real Reddit data can be downloaded here, so this composes varied posts from people feeling low
and varied supportive top-level comments from small phrase banks. Replies echo details of the
post (the feeling, the situation, an age), so a model can learn a real mapping, not just a prior.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

AGES = list(range(16, 61))
GENDERS = ["M", "F", "f", "m", "NB", "F", "M"]
FEELINGS = [
    ("feeling really down", "down"),
    ("feeling worthless lately", "worthless"),
    ("so lonely", "lonely"),
    ("exhausted and empty", "exhausted"),
    ("anxious all the time", "anxious"),
    ("not good enough for anyone", "not good enough"),
    ("invisible to everyone", "invisible"),
    ("stuck and hopeless", "stuck"),
    ("ugly and unlovable", "unlovable"),
    ("burnt out", "burnt out"),
    ("sad for no reason", "sad"),
]
SITUATIONS = [
    ("I just got dumped", "a breakup"),
    ("I failed my exams", "failing those exams"),
    ("I lost my job today", "losing your job"),
    ("I moved to a new city and know nobody", "moving somewhere new"),
    ("my dog passed away", "losing your dog"),
    ("I got rejected from every job I applied to", "all those rejections"),
    ("I have been sick for weeks", "being sick for so long"),
    ("my friends stopped talking to me", "friends drifting away"),
    ("I started therapy this week", "starting therapy"),
    ("I had a panic attack at work", "that panic attack"),
    ("my parents are getting divorced", "your parents' divorce"),
    ("I got 6 months sober today", "six months sober"),
    ("I haven't left the house in days", "being stuck inside"),
    ("I finished my first marathon but nobody cared", "that marathon"),
    ("I'm turning 30 alone", "turning 30"),
    ("I dropped out of college", "leaving college"),
    ("I keep getting ghosted", "getting ghosted"),
    ("I lost a lot of weight but still hate how I look", "all that hard work on your health"),
]
TEMPLATES = [
    "{age}{g} {situation} and I'm {feeling}. Toast me?",
    "{situation}, {feeling}. Please toast me",
    "[{age}{g}] {feeling} ever since {situation_lower}. Could use some kind words",
    "First post here. {age}/{g}. {situation} and honestly {feeling}",
    "Toast me please, {situation} and I've been {feeling}",
    "{age} {g} - {feeling}. {situation}.",
    "Been {feeling} for a while. {situation}. Anything helps",
    "Can you guys toast me? {situation} and feeling {short}",
]
OPENERS = [
    "Hey, I'm really sorry you're going through {topic}.",
    "First of all, {topic} is genuinely hard, so be gentle with yourself.",
    "Sending you a big hug. {topic_cap} would knock anyone down.",
    "Hi friend.",
    "I hear you.",
    "Oh man, {topic}. That's a lot to carry.",
    "You came here and asked for kindness, and that takes courage.",
]
COMPLIMENTS = [
    "You have a really warm smile, it lights up the whole photo.",
    "Your eyes look kind, the kind of person people feel safe talking to.",
    "Honestly you look like someone who gives great advice.",
    "That hair color really suits you!",
    "You have the face of someone with an amazing sense of humor.",
    "You look approachable and genuine, which is rarer than you think.",
    "Your style is on point, I love that jacket.",
    "You clearly care about people, it shows.",
]
ENCOURAGEMENTS = [
    "Feeling {short} doesn't mean you are {short}. It's a rough chapter, not the whole book.",
    "Please don't believe the voice telling you you're {short}. It lies.",
    "Be proud of yourself for getting through today.",
    "Small steps count: drink some water, get some sleep, and try again tomorrow.",
    "At {age} you have so much time to build the life you want.",
    "It's okay to not be okay for a while. You'll find your footing again.",
    "If it ever gets too heavy, please talk to someone you trust or a helpline.",
    "The fact that you're still trying says a lot about your strength.",
    "You deserve the same kindness you'd give a friend in your shoes.",
]
CLOSERS = [
    "",
    "",
    " You've got this!",
    " Rooting for you.",
    " Take care of yourself ❤️",
    " Internet hugs.",
    " :)",
    " Stay strong!",
]


def _post(rng: random.Random) -> tuple[str, dict[str, str]]:
    feeling, short = rng.choice(FEELINGS)
    situation, topic = rng.choice(SITUATIONS)
    age = rng.choice(AGES)
    fields = {
        "age": str(age),
        "g": rng.choice(GENDERS),
        "feeling": feeling,
        "short": short,
        "situation": situation[0].upper() + situation[1:],
        "situation_lower": situation,
        "topic": topic,
        "topic_cap": topic[0].upper() + topic[1:],
    }
    title = rng.choice(TEMPLATES).format(**fields)
    if rng.random() < 0.3:
        title = title.lower()
    return title, fields


def _comment(rng: random.Random, fields: dict[str, str]) -> str:
    parts = [rng.choice(OPENERS).format(**fields)]
    parts += rng.sample(COMPLIMENTS, k=rng.choice([0, 1, 1, 2]))
    parts += [e.format(**fields) for e in rng.sample(ENCOURAGEMENTS, k=rng.choice([1, 1, 2]))]
    return " ".join(parts) + rng.choice(CLOSERS)


def make_toastme_csv(path: Path, n: int, seed: int = 0) -> Path:
    """Write n rows of ``title,body,score`` (posts get 1-4 comments each, like a real comments table)."""
    rng = random.Random(seed)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["title", "body", "score"])
        written = 0
        while written < n:
            title, fields = _post(rng)
            for _ in range(min(rng.choice([1, 1, 2, 3, 4]), n - written)):
                # Scores are heavy-tailed on Reddit; most comments sit at a few points.
                score = max(1, int(rng.paretovariate(1.2)))
                writer.writerow([title, _comment(rng, fields), score])
                written += 1
    return path


if __name__ == "__main__":  # python -m model.exports.synthetic OUT.csv [N] [SEED]
    import sys

    out = make_toastme_csv(
        Path(sys.argv[1]),
        int(sys.argv[2]) if len(sys.argv) > 2 else 3000,
        int(sys.argv[3]) if len(sys.argv) > 3 else 0,
    )
    print(out)
