"""One node per real-world entity across documents.

Mentions arrive with an in-document key (a gazetteer id, a normalised full name, or a
document-scoped key for unnamed groups and described places). Here keys are merged across
documents (a bare surname joins the one full name in the corpus that ends with it), each
entity gets a kind by vote, its fullest name as label, every other name as an alternative,
and an IRI minted from its normalised label so that builds repeat byte for byte.

>>> from kg.model import Mention, Kind
>>> a = Mention("d1", 0, 20, "Ahmed al-Obeidi", Kind.PERSON, "ahmed al obeidi")
>>> b = Mention("d2", 5, 16, "al-Obeidi", Kind.ORGANIZATION, "al obeidi")
>>> r = resolve_mentions([a, b])
>>> r.entity_of(b).label, r.entity_of(b).kind.value, r.entity_of(a) == r.entity_of(b)
('Ahmed al-Obeidi', 'Person', True)
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .names import normalise, slug
from .model import Entity, Kind, Mention
from .resources import Gazetteer, load_gazetteer
from .terms import RESOURCE

_KIND_ORDER = [Kind.PERSON, Kind.ORGANIZATION, Kind.PLACE, Kind.GROUP, Kind.OUTLET]


@dataclass
class Resolution:
    entities: dict[str, Entity]  # global key -> entity
    key_of: dict[tuple[str, str], str]  # (doc id, mention key) -> global key

    def entity_of(self, m: Mention) -> Entity:
        return self.entities[self.key_of[(m.doc_id, m.key)]]


def _doc_scoped(key: str) -> bool:
    return key.startswith(("group:", "place:", "person:"))


_ARTICLES = {"al", "el", "ar", "as", "ash", "ad", "an", "at", "az", "the"}


def _name_words(key: str) -> list[str]:
    """A name's words without Arabic articles: 'al tikriti' is one name word, like 'tikriti'."""
    return [w for w in key.split() if w not in _ARTICLES]


def _tail_key(key: str) -> str:
    words = key.split()
    return words[-1] if words else key


def resolve_mentions(mentions: Iterable[Mention], gazetteer: Gazetteer | None = None) -> Resolution:
    gazetteer = gazetteer or load_gazetteer()
    mentions = list(mentions)
    by_key: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_key[m.key].append(m)

    # A bare surname or short form ('al obeidi') joins the single full person name ending with it.
    kinds = {k: Counter(m.kind for m in ms) for k, ms in by_key.items()}
    full_person_keys = {k for k, c in kinds.items() if not k.startswith("gaz:") and not _doc_scoped(k)
                        and c.most_common(1)[0][0] is Kind.PERSON and len(_name_words(k)) >= 2}
    # full names indexed by their last one and two name words, so a large corpus is not searched pairwise
    by_tail: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for f in sorted(full_person_keys):
        fw = _name_words(f)
        for n in (1, 2):
            if len(fw) >= n:
                by_tail[tuple(fw[-n:])].append(f)
    merge: dict[str, str] = {}
    for k in by_key:
        if k.startswith("gaz:") or _doc_scoped(k) or k in full_person_keys:
            continue
        words = _name_words(k)
        if not words or len(words) > 2:
            continue
        candidates = [f for f in by_tail.get(tuple(words), ()) if f != k]
        if len(candidates) == 1 and (kinds[k][Kind.PERSON] or kinds[k][Kind.ORGANIZATION]):
            merge[k] = candidates[0]

    groups: dict[str, list[Mention]] = defaultdict(list)
    for k, ms in by_key.items():
        groups[merge.get(k, k)].extend(ms)

    entities: dict[str, Entity] = {}
    key_of: dict[tuple[str, str], str] = {}
    used_iris: dict[str, str] = {}
    for gkey in sorted(groups):
        ms = groups[gkey]
        entry = gazetteer.get(ms[0].gazetteer_id) if gkey.startswith("gaz:") else None
        if entry:
            kind = Kind(entry.type)
            label = entry.label
        else:
            votes = Counter(m.kind for m in ms)
            if votes[Kind.PERSON] and any(len(m.text.split()) >= 2 for m in ms if m.kind is Kind.PERSON) and gkey in full_person_keys:
                kind = Kind.PERSON
            else:
                kind = max(votes, key=lambda k: (votes[k], -_KIND_ORDER.index(k)))
            label = max({m.text for m in ms}, key=lambda t: (len(normalise(t).split()), len(t), t))
        names = sorted({m.text for m in ms if m.text != label})
        docs = tuple(sorted({m.doc_id for m in ms}))
        iri = _mint(kind, gkey, label, entry.id if entry else None, ms[0].doc_id if _doc_scoped(gkey) else None)
        if iri in used_iris and used_iris[iri] != gkey:
            iri = f"{iri}-{slug(gkey)}"
        used_iris[iri] = gkey
        entities[gkey] = Entity(iri, kind, label, tuple(names), entry.id if entry else None, len(ms), docs)
        for m in ms:
            key_of[(m.doc_id, m.key)] = gkey
    return Resolution(entities, key_of)


def _mint(kind: Kind, key: str, label: str, gazetteer_id: str | None, doc_id: str | None) -> str:
    folder = kind.value.lower()
    if gazetteer_id:
        return str(RESOURCE[f"{folder}/{gazetteer_id}"])
    if doc_id:
        # unnamed groups and described places are only known within the report that describes them
        return str(RESOURCE[f"{folder}/{doc_id}/{slug(label)}"])
    return str(RESOURCE[f"{folder}/{slug(label)}"])
