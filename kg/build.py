"""`kg build`: read a folder, extract, resolve, map to RDF, load into the store, validate."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from .corpus import DEFAULT_MAX_BYTES, read_corpus
from .errors import InputError
from .extract import extract_documents
from .model import BuildReport, Modality
from .nlp import load_pipeline
from .rdf import document_quads, entity_quads, fits, used_entities
from .resolve import resolve_mentions
from .store import document_graphs, load_ontology, opened, replace_entities, replace_graph
from .terms import document_graph
from .validate import validate_store

DEFAULT_MIN_CONFIDENCE = 0.5
Progress = Callable[[str, int, int], None]


def build(input_dir: Path, store_path: Path, *, min_confidence: float = DEFAULT_MIN_CONFIDENCE,
          max_bytes: int = DEFAULT_MAX_BYTES, progress: Progress | None = None, validate: bool = True,
          fail_fast: bool = False) -> BuildReport:
    """Build the knowledge graph of every article in `input_dir` into the store at `store_path`.

    The store ends up holding exactly the folder's documents: graphs of documents no longer in
    the folder are removed.
    """
    if not 0.0 <= min_confidence <= 1.0:
        raise InputError(f"--min-confidence must be between 0 and 1, not {min_confidence}")
    docs, skipped = read_corpus(Path(input_dir), max_bytes=max_bytes, fail_fast=fail_fast)
    report = BuildReport(skipped=skipped)
    if not docs:
        raise InputError(f"{input_dir}: no readable articles ({len(skipped)} skipped: {skipped[0][1] if skipped else 'none found'})")

    nlp = load_pipeline()
    extractions = []
    for ex in extract_documents(docs, nlp):
        extractions.append(ex)
        if progress:
            progress(ex.document.id, len(extractions), len(docs))

    resolution = resolve_mentions(m for ex in extractions for m in ex.mentions)
    entities = used_entities(extractions, resolution)
    relation_counts: Counter = Counter()
    with opened(Path(store_path), create=True) as store:
        load_ontology(store)
        present = document_graphs(store)
        for ex in extractions:
            quads, dropped = document_quads(ex, resolution, min_confidence=min_confidence)
            report.dropped.extend(dropped)
            replace_graph(store, ox.NamedNode(str(document_graph(ex.document.id))), quads)
            for f in ex.facts:
                s, o = resolution.entity_of(f.subject), resolution.entity_of(f.object)
                if f.modality is not Modality.NEGATED and f.confidence >= min_confidence and fits(f.relation, s, o):
                    relation_counts[f.relation.value] += 1
        wanted = {ex.document.id for ex in extractions}
        for doc_id, graph in present.items():
            if doc_id not in wanted:
                store.remove_graph(graph)
        replace_entities(store, entity_quads(entities))
        store.flush()
        report.documents = len(extractions)
        report.entities_by_kind = dict(sorted(Counter(e.kind.value for e in entities).items()))
        report.facts_by_relation = dict(sorted(relation_counts.items()))
        report.triples = len(store)
        if validate:
            result = validate_store(store)
            report.conforms = result.conforms
            report.violations = result.violations
    return report
