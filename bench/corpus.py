"""A deterministic corpus of N distinct articles for benchmarking.

Each article recombines paragraphs of the articles in `seeds/` (most from one of them, a few
from the others) and gives the people and places the model finds in them new names, and the
months and years new values, so the graph grows with N the way a real corpus does: new people,
new places, the well-known groups and cities (the gazetteer's) recurring. The same N and seed
give the same files, byte for byte.

    python -m bench.corpus 500 bench/out/corpus-500
"""

from __future__ import annotations

import random
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

GIVEN = ["Ahmed", "Omar", "Khalid", "Yusuf", "Hassan", "Ibrahim", "Mahmoud", "Salim", "Tariq", "Faisal", "Nabil",
         "Karim", "Walid", "Jamal", "Rashid", "Samir", "Adnan", "Bilal", "Hamza", "Ziad", "Majid", "Anwar", "Fadi",
         "Hadi", "Imad", "Mounir", "Nasser", "Qasim", "Ridha", "Saeed"]
SYLLABLES = ["ka", "ra", "wi", "ma", "sh", "ta", "ni", "qa", "di", "lu", "ba", "ha", "za", "fi", "ja", "mu", "sa",
             "ri", "na", "bu", "da", "li", "ya", "tu"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
_MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b")
_YEAR = re.compile(r"\b20(1[0-9]|2[0-4])\b")


@dataclass(frozen=True)
class Paragraph:
    text: str
    persons: tuple[str, ...]  # names the model found and the gazetteer does not know
    places: tuple[str, ...]


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(GIVEN)} al-{_word(rng, rng.choice((2, 3)))}"


def place_name(rng: random.Random) -> str:
    return f"{_word(rng, rng.choice((2, 3)))}{rng.choice(('iya', 'an', 'abad', 'oun', 'ah'))}"


@lru_cache(maxsize=1)
def seed_paragraphs() -> tuple[tuple[Paragraph, ...], ...]:
    """The body paragraphs of each seed article, with the names to vary found by the model."""
    from kg.corpus import read_corpus
    from kg.nlp import load_pipeline

    nlp = load_pipeline()
    docs, _ = read_corpus(SEEDS)
    out = []
    for d in docs:
        paras = []
        for seg in d.segments:
            if seg.kind == "title" or len(seg.text.split()) < 8:
                continue
            parsed = nlp(seg.text)
            persons = {e.text for e in parsed.ents if e.label_ == "PERSON" and not e.ent_id_}
            places = {e.text for e in parsed.ents if e.label_ == "GPE" and not e.ent_id_}
            paras.append(Paragraph(seg.text, tuple(sorted(persons, key=len, reverse=True)),
                                   tuple(sorted(places, key=len, reverse=True))))
        out.append(tuple(paras))
    return tuple(out)


def article(i: int, seed: int = 0) -> str:
    """Article number i: a headline, a date line and about a seed article's worth of text."""
    rng = random.Random(f"{seed}:{i}")
    sources = seed_paragraphs()
    main = rng.randrange(len(sources))
    paras = list(sources[main])
    keep = sorted(rng.sample(range(len(paras)), k=max(1, int(len(paras) * rng.uniform(0.6, 0.9)))))
    chosen = [paras[k] for k in keep]
    for _ in range(rng.randint(1, 3)):
        other = sources[rng.randrange(len(sources))]
        chosen.insert(rng.randrange(len(chosen) + 1), other[rng.randrange(len(other))])
    names: dict[str, str] = {}  # one new name per original name (and per surname) in an article

    def rename(name: str, make) -> str:
        if name not in names:
            last = name.split()[-1]
            if " " in name and last in names:  # 'Sheikh X al-Y' after 'al-Y': keep the surname
                names[name] = f"{make(rng).rsplit(' ', 1)[0]} {names[last]}"
            else:
                names[name] = make(rng)
                if " " in name:
                    names.setdefault(last, names[name].split()[-1])
        return names[name]

    texts = []
    for p in chosen:
        text = p.text
        for name in p.persons:
            text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", rename(name, person_name), text)
        for name in p.places:
            text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", rename(name, place_name), text)
        months = {m: rng.choice(MONTHS) for m in MONTHS}
        text = _MONTH.sub(lambda m: months[m.group(1)], text)
        text = _YEAR.sub(lambda m: str(rng.randint(2013, 2019)), text)
        texts.append(text)
    year, month, day = rng.randint(2014, 2019), rng.randint(1, 12), rng.randint(1, 28)
    headline = f"Report {i}: fighters and commanders on the move"
    return "\n\n".join([headline, f"Date: {year}-{month:02d}-{day:02d}", *texts]) + "\n"


def write_corpus(n: int, folder: Path, seed: int = 0) -> list[Path]:
    """Write articles 0..n-1 into `folder` (kept if already there and identical)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"article-{i:05d}.txt"
        text = article(i, seed)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    for extra in folder.glob("article-*.txt"):
        if extra not in paths:
            extra.unlink()
    return paths


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m bench.corpus N FOLDER")
    write_corpus(int(sys.argv[1]), Path(sys.argv[2]))
