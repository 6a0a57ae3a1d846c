"""`kg build`: read a folder, extract, resolve, map to RDF, load into the store, validate.

Builds are incremental. Extractions are cached by content hash and pipeline fingerprint
(kg/cache.py), so only new or changed documents are parsed. Resolution always runs over every
document's mentions, because one new article can merge "al-Tikriti" into "Abu Hamza al-Tikriti"
elsewhere. A document graph is rewritten only when what it would hold changed, and deleted
documents lose their graphs. The result is the graph a clean build of the folder would give.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from .cache import ExtractionCache, cache_folder, digest, extraction_key, pipeline_fingerprint
from .corpus import DEFAULT_MAX_BYTES, read_corpus
from .errors import InputError
from .model import BuildReport, Extraction, Relation
from .rdf import document_quads, entity_quads
from .resolve import resolve_mentions
from .store import document_graphs, load_ontology, replace_graph, target
from .terms import ENTITIES_GRAPH, ONTOLOGY_GRAPH, PREFIXES, document_graph
from .validate import validate_quads

DEFAULT_MIN_CONFIDENCE = 0.5
Progress = Callable[[str, int, int], None]


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def build(input_dir: Path, store_path: Path, *, min_confidence: float = DEFAULT_MIN_CONFIDENCE,
          max_bytes: int = DEFAULT_MAX_BYTES, progress: Progress | None = None, validate: bool = True,
          fail_fast: bool = False, workers: int = 1, batch_size: int = 32, endpoint=None) -> BuildReport:
    """Build the knowledge graph of every article in `input_dir` into the store at `store_path`.

    The store ends up holding exactly the folder's documents: graphs of documents no longer in
    the folder are removed. With `endpoint` (kg.remote.Endpoints) the graphs go to a SPARQL
    server instead, and the extraction cache sits beside `store_path`.
    """
    if not 0.0 <= min_confidence <= 1.0:
        raise InputError(f"--min-confidence must be between 0 and 1, not {min_confidence}")
    if workers < 1:
        raise InputError(f"--workers must be at least 1, not {workers}")
    docs, skipped = read_corpus(Path(input_dir), max_bytes=max_bytes, fail_fast=fail_fast)
    report = BuildReport(skipped=skipped)
    if not docs:
        raise InputError(f"{input_dir}: no readable articles ({len(skipped)} skipped: {skipped[0][1] if skipped else 'none found'})")

    cache = ExtractionCache(cache_folder(store_path, endpoint.graph_store if endpoint is not None else None))
    index = cache.load_index()
    keys = {d.id: extraction_key(d) for d in docs}
    fresh: dict[str, Extraction] = {}
    to_parse = []
    for d in docs:
        if d.id in index and index[d.id][0] == keys[d.id]:
            continue
        cached = cache.get(keys[d.id])
        if cached is not None:
            fresh[d.id] = cached
        else:
            to_parse.append(d)
    done = len(docs) - len(to_parse)
    if to_parse:
        from .extract import extract_documents
        from .nlp import load_pipeline

        # a worker costs a model load: small batches of work stay in this process
        n_process = max(1, min(workers, len(to_parse) // batch_size))
        for ex in extract_documents(to_parse, load_pipeline(), n_process=n_process, batch_size=batch_size):
            cache.put(keys[ex.document.id], ex)
            fresh[ex.document.id] = ex
            done += 1
            if progress:
                progress(ex.document.id, done, len(docs))
    index = {d.id: (keys[d.id], fresh[d.id].mentions if d.id in fresh else index[d.id][1]) for d in docs}

    resolution = resolve_mentions(m for _, mentions in index.values() for m in mentions)
    used = sorted({resolution.key_of[(m.doc_id, m.key)] for _, mentions in index.values() for m in mentions})
    entities = [resolution.entities[k] for k in used]
    manifest = cache.load_manifest()
    changed_docs: list[str] = []
    with target(Path(store_path), endpoint) as store:
        cache.forget_manifest()
        fp = pipeline_fingerprint()
        if manifest.ontology != fp or not store.contains_named_graph(ox.NamedNode(str(ONTOLOGY_GRAPH))):
            load_ontology(store)
        present = document_graphs(store)
        new_manifest_docs: dict[str, dict] = {}
        for d in docs:
            key, mentions = index[d.id]
            # what the graph would hold: the extraction, the threshold, and who each mention resolved to
            signature = digest([key, f"{min_confidence:.4f}", *sorted(
                f"{m.key}\t{resolution.entity_of(m).iri}\t{resolution.entity_of(m).kind.value}" for m in mentions)])
            old = manifest.docs.get(d.id, {})
            if old.get("signature") == signature and d.id in present:
                new_manifest_docs[d.id] = old
                continue
            ex = fresh.get(d.id) or cache.get(key)
            if ex is None:  # the cache lost it: parse this one again
                from .extract import extract_documents
                from .nlp import load_pipeline

                ex = next(extract_documents([d], load_pipeline()))
                cache.put(key, ex)
            quads, dropped = document_quads(ex, resolution, min_confidence=min_confidence)
            report.dropped.extend(dropped)
            replace_graph(store, ox.NamedNode(str(document_graph(d.id))), quads)
            new_manifest_docs[d.id] = {"key": key, "signature": signature, "conforms": True}
            changed_docs.append(d.id)
        for doc_id, graph in present.items():
            if doc_id not in index:
                store.remove_graph(graph)

        by_entity: dict[str, list[ox.Quad]] = {}
        for q in entity_quads(entities):
            by_entity.setdefault(q.subject.value, []).append(q)
        entity_digests = {iri: digest(sorted(str(q) for q in qs)) for iri, qs in by_entity.items()}
        changed_entities = {iri for iri, dg in entity_digests.items() if manifest.entities.get(iri) != dg}
        if changed_entities or set(manifest.entities) != set(entity_digests):
            replace_graph(store, ox.NamedNode(str(ENTITIES_GRAPH)), [q for qs in by_entity.values() for q in qs])
        store.flush()

        report.documents = len(docs)
        report.parsed = len(to_parse)
        report.rewritten = len(changed_docs)
        report.entities_by_kind = dict(sorted(Counter(e.kind.value for e in entities).items()))
        report.facts_by_relation = _fact_counts(store)
        report.triples = len(store)
        if validate:
            # only what changed, plus whatever failed before: the rest was valid when written
            recheck = set(changed_docs) | {i for i, v in new_manifest_docs.items() if not v.get("conforms", True)}
            result = validate_quads(_changed_quads(store, recheck, changed_entities))
            report.conforms = result.conforms
            report.violations = result.violations
            failing = {v.focus for v in result.violations}
            for doc_id in recheck:
                graph = ox.NamedNode(str(document_graph(doc_id)))
                subjects = {q.subject.value for q in store.quads_for_pattern(None, None, None, graph)}
                new_manifest_docs[doc_id]["conforms"] = not (subjects & failing)
        manifest.docs = new_manifest_docs
        manifest.entities = entity_digests
        manifest.ontology = fp
        cache.save_manifest(manifest)
        cache.save_index(index)
    cache.prune(set(keys.values()))
    return report


def _changed_quads(store: ox.Store, doc_ids: set[str], entity_iris: set[str]) -> list[ox.Quad]:
    """The quads of the changed document graphs, and the entity facts (types, labels) of every
    entity they mention or that changed, which the shapes judge together."""
    quads: list[ox.Quad] = []
    mentioned: set[str] = set(entity_iris)
    for doc_id in sorted(doc_ids):
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(str(document_graph(doc_id)))):
            quads.append(q)
            for t in (q.subject, q.object):
                if isinstance(t, ox.NamedNode):
                    mentioned.add(t.value)
    entities = ox.NamedNode(str(ENTITIES_GRAPH))
    for iri in sorted(mentioned):
        quads.extend(store.quads_for_pattern(ox.NamedNode(iri), None, None, entities))
    if quads:  # the modality individuals and classes the shapes refer to
        quads.extend(store.quads_for_pattern(None, None, None, ox.NamedNode(str(ONTOLOGY_GRAPH))))
    return quads


def _fact_counts(store: ox.Store) -> dict[str, int]:
    """Binary facts by relation, counted once per document graph that states them."""
    props = " ".join(f"<{PREFIXES['kg']}{r.value}>" for r in Relation)
    q = f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ VALUES ?p {{ {props} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?p"
    counts = {row["p"].value.rsplit("#", 1)[-1]: int(row["n"].value) for row in store.query(q, use_default_graph_as_union=False)}
    return dict(sorted(counts.items()))
