"""Where the ontology, shapes, gazetteer, lexicons and query library live on disk."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import OntologyError

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
ONTOLOGY_DIR = PROJECT_DIR / "ontology"
QUERIES_DIR = PROJECT_DIR / "queries"
DATA_DIR = PACKAGE_DIR / "data"

ONTOLOGY_FILE = ONTOLOGY_DIR / "kg.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
GAZETTEER_FILE = ONTOLOGY_DIR / "gazetteer.jsonl"
LEXICON_FILE = DATA_DIR / "lexicons.json"


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise OntologyError(f"{path}: cannot read ({exc.strerror or exc}); is kg installed from its source tree?") from None


@dataclass(frozen=True)
class GazetteerEntry:
    id: str
    type: str
    label: str
    aliases: tuple[str, ...] = ()
    place_kind: str | None = None
    demonyms: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass(frozen=True)
class Gazetteer:
    entries: tuple[GazetteerEntry, ...]
    by_id: dict = field(default_factory=dict, compare=False, hash=False)
    demonym_to_country: dict = field(default_factory=dict, compare=False, hash=False)

    def get(self, entry_id: str | None) -> GazetteerEntry | None:
        return self.by_id.get(entry_id) if entry_id else None


@lru_cache(maxsize=4)
def load_gazetteer(path: Path = GAZETTEER_FILE) -> Gazetteer:
    entries = []
    for n, line in enumerate(read_text(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            entries.append(
                GazetteerEntry(
                    id=raw["id"],
                    type=raw["type"],
                    label=raw["label"],
                    aliases=tuple(raw.get("aliases", ())),
                    place_kind=raw.get("place_kind"),
                    demonyms=tuple(raw.get("demonyms", ())),
                )
            )
        except (ValueError, KeyError) as exc:
            raise OntologyError(f"{path}:{n}: bad gazetteer entry ({exc})") from None
    by_id = {e.id: e for e in entries}
    demonyms = {d.lower(): e for e in entries for d in e.demonyms}
    return Gazetteer(tuple(entries), by_id, demonyms)


@lru_cache(maxsize=1)
def load_lexicons() -> dict:
    try:
        return json.loads(read_text(LEXICON_FILE))
    except ValueError as exc:
        raise OntologyError(f"{LEXICON_FILE}: not valid JSON ({exc})") from None


def fingerprint() -> str:
    """A hash of everything besides the code that decides what a build extracts."""
    h = hashlib.sha256()
    for path in (ONTOLOGY_FILE, SHAPES_FILE, GAZETTEER_FILE, LEXICON_FILE):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]
