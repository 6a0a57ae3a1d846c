"""Plain data passed between pipeline stages: frozen, hashable, free of I/O.

corpus -> Document; extract -> Mention, Fact; resolve -> Entity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Kind(str, Enum):
    """What an entity is; the values are the ontology's class names."""

    PERSON = "Person"
    ORGANIZATION = "Organization"
    GROUP = "Group"
    PLACE = "Place"
    OUTLET = "Outlet"

    @property
    def is_agent(self) -> bool:
        return self in (Kind.PERSON, Kind.ORGANIZATION, Kind.GROUP)


class Relation(str, Enum):
    """The binary relations; the values are the ontology's property names."""

    FLED_FROM = "fledFrom"
    FLED_TO = "fledTo"
    DEFECTED_FROM = "defectedFrom"
    DEFECTED_TO = "defectedTo"
    EXECUTED = "executed"
    LEADER_OF = "leaderOf"
    MEMBER_OF = "memberOf"
    CONTROLS = "controls"
    LOCATED_IN = "locatedIn"

    @property
    def gold_name(self) -> str:
        """The name gold files use: fledFrom -> FLED_FROM."""
        return self.name

    @classmethod
    def from_gold(cls, name: str) -> "Relation":
        return cls[name.strip().upper()]


class Modality(str, Enum):
    ASSERTED = "asserted"
    REPORTED = "reported"
    NEGATED = "negated"


@dataclass(frozen=True)
class Segment:
    """A stretch of a document's text that belongs to the article (title, body paragraph, caption)."""

    start: int
    text: str
    kind: str = "body"

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Document:
    """One article: its decoded text, metadata, and the segments worth reading."""

    id: str
    path: str
    text: str
    sha256: str
    segments: tuple[Segment, ...]
    title: str | None = None
    creator: str | None = None
    source: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class Sentence:
    doc_id: str
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Mention:
    """A name or description of an entity at one place in a document.

    `key` is the extractor's best in-document identity (a gazetteer id, or a normalised
    name); resolve.py turns keys into entities across documents.
    """

    doc_id: str
    start: int
    end: int
    text: str
    kind: Kind
    key: str
    gazetteer_id: str | None = None

    @property
    def span(self) -> tuple[str, int, int]:
        return (self.doc_id, self.start, self.end)


@dataclass(frozen=True)
class EventDate:
    """When an event happened, as precisely as the text says: `value` is an XSD lexical form
    of `datatype` (date, gYearMonth, gYear, gMonthDay, gMonth)."""

    value: str
    datatype: str
    precision: str  # day, month, year
    text: str
    qualifier: str | None = None  # early, mid, late


@dataclass(frozen=True)
class Fact:
    """One extracted relation with its evidence and how sure the document is of it.

    Facts that share `event` come from one event (a flight with origin and destination).
    """

    relation: Relation
    subject: Mention
    object: Mention
    sentence: Sentence
    modality: Modality = Modality.ASSERTED
    confidence: float = 0.9
    trigger: str = ""
    event: str | None = None
    speaker: Mention | None = None
    speaker_role: str | None = None
    date: EventDate | None = None


@dataclass(frozen=True)
class Entity:
    """One real-world entity after resolution: one IRI, one label, every other name seen."""

    iri: str
    kind: Kind
    label: str
    alt_labels: tuple[str, ...] = ()
    gazetteer_id: str | None = None
    mentions: int = 0
    documents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Extraction:
    """What the extractor found in one document."""

    document: Document
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    facts: tuple[Fact, ...]


@dataclass
class BuildReport:
    """What `kg build` did, for the CLI summary and for tests."""

    documents: int = 0
    parsed: int = 0  # documents read with spaCy in this build (the others came from the cache)
    rewritten: int = 0  # document graphs written in this build
    skipped: list[tuple[str, str]] = field(default_factory=list)
    entities_by_kind: dict[str, int] = field(default_factory=dict)
    facts_by_relation: dict[str, int] = field(default_factory=dict)
    triples: int = 0
    conforms: bool = True
    violations: list = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each stage: read, extract, ...
