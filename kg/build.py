"""`kg build`: read a folder, extract, resolve, map to RDF, load into the store, validate.

Builds are incremental. Extractions are cached by content hash and pipeline fingerprint
(kg/cache.py), so only new or changed documents are parsed. Resolution always runs over every
document's mentions, because one new article can merge "al-Tikriti" into "Abu Hamza al-Tikriti"
elsewhere. A document graph is rewritten only when what it would hold changed, and deleted
documents lose their graphs. The result is the graph a clean build of the folder would give.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from .cache import ExtractionCache, cache_folder, digest, extraction_key, graph_fingerprint
from .corpus import DEFAULT_MAX_BYTES, read_corpus, read_document
from .errors import InputError
from .geocode import locate_places
from .model import BuildReport, Entity, Extraction, Relation
from .rdf import document_quads, entity_quads
from .resolve import resolve_mentions
from .store import add_graphs, document_graphs, load_ontology, replace_graph, target, update_subjects
from .terms import ENTITIES_GRAPH, ONTOLOGY_GRAPH, PREFIXES, document_graph
from .validate import start_validation

DEFAULT_MIN_CONFIDENCE = 0.5
VALIDATION_PART_DOCS = 200
Progress = Callable[[str, int, int], None]


class _Stages:
    """Wall time of each stage of a build, for `kg build --json` and the benchmark."""

    def __init__(self, report: BuildReport):
        self.report = report
        self.last = time.perf_counter()

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.report.seconds[name] = round(self.report.seconds.get(name, 0.0) + now - self.last, 3)
        self.last = now


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
    started = time.perf_counter()
    cache = ExtractionCache(cache_folder(store_path, endpoint.graph_store if endpoint is not None else None))
    docs, skipped = read_corpus(Path(input_dir), max_bytes=max_bytes, fail_fast=fail_fast, known=cache.load_files())
    report = BuildReport(skipped=skipped)
    if not docs:
        raise InputError(f"{input_dir}: no readable articles ({len(skipped)} skipped: {skipped[0][1] if skipped else 'none found'})")

    stages = _Stages(report)
    stages.last = started
    stages.done("read")
    keys = {d.id: extraction_key(d) for d in docs}
    manifest = cache.load_manifest()
    fp = graph_fingerprint()
    if manifest.describes(keys, fp, min_confidence):
        # the same files, pipeline and threshold as the last finished build: say what the store holds
        with target(Path(store_path), endpoint) as store:
            if set(document_graphs(store)) == set(keys) and store.contains_named_graph(ox.NamedNode(str(ENTITIES_GRAPH))):
                report.documents = len(docs)
                report.entities_by_kind = manifest.stats["entities"]
                report.facts_by_relation = manifest.stats["facts"]
                report.triples = manifest.stats["triples"]
                stages.done("check")
                return report
    index = cache.load_index()

    def whole_text(d):
        """An unchanged file was read without its text (see read_document): read it whole to parse it."""
        return d if d.segments else read_document(Path(d.path), max_bytes=max_bytes)

    fresh: dict[str, Extraction] = {}
    to_parse = []
    for d in docs:
        if d.id in index and index[d.id][0] == keys[d.id]:
            continue
        cached = cache.get(keys[d.id])
        if cached is not None:
            fresh[d.id] = cached
        else:
            to_parse.append(whole_text(d))
    done = len(docs) - len(to_parse)
    if to_parse:
        from .extract import extract_in_processes

        # a worker costs a fork and a share of the model's memory: a few documents stay in this process
        n_process = max(1, min(workers, len(to_parse) // 4))
        for ex in extract_in_processes(to_parse, n_process, batch_size=batch_size):
            cache.put(keys[ex.document.id], ex)
            fresh[ex.document.id] = ex
            done += 1
            if progress:
                progress(ex.document.id, done, len(docs))
    index = {d.id: (keys[d.id], fresh[d.id].mentions if d.id in fresh else index[d.id][1]) for d in docs}
    stages.done("extract")

    resolution = resolve_mentions(m for _, mentions in index.values() for m in mentions)
    # one pass over every mention: the entities in use, and the documents that name each
    mentioned_in: dict[str, set[str]] = {}
    used: dict[str, Entity] = {}
    for doc_id, (_, mentions) in index.items():
        for m in mentions:
            e = resolution.entity_of(m)
            used[e.iri] = e
            mentioned_in.setdefault(e.iri, set()).add(doc_id)
    entities = sorted(used.values(), key=lambda e: e.iri)
    locations = locate_places(entities, mentioned_in)
    stages.done("resolve")
    with target(Path(store_path), endpoint) as store:
        cache.forget_manifest()
        if manifest.ontology != fp or not store.contains_named_graph(ox.NamedNode(str(ONTOLOGY_GRAPH))):
            load_ontology(store)
        present = document_graphs(store)
        new_manifest_docs: dict[str, dict] = {}
        written: dict[str, list[ox.Quad]] = {}
        for d in docs:
            key, mentions = index[d.id]
            # what the graph would hold: the extraction, the threshold, and who each mention resolved to
            signature = digest([fp, key, f"{min_confidence:.4f}", *sorted(
                f"{m.key}\t{resolution.entity_of(m).iri}\t{resolution.entity_of(m).kind.value}" for m in mentions)])
            old = manifest.docs.get(d.id, {})
            if old.get("signature") == signature and d.id in present:
                new_manifest_docs[d.id] = old
                continue
            ex = fresh.get(d.id) or cache.get(key)
            if ex is None:  # the cache lost it: read and parse this one again
                from .extract import extract_documents
                from .nlp import load_pipeline

                ex = next(extract_documents([whole_text(d)], load_pipeline()))
                cache.put(key, ex)
            fresh.pop(d.id, None)  # its quads are all the rest of the build needs of it
            quads, dropped = document_quads(ex, resolution, min_confidence=min_confidence)
            report.dropped.extend(dropped)
            written[d.id] = quads
            new_manifest_docs[d.id] = {"key": key, "signature": signature, "conforms": True}

        # an entity's quads follow from these fields alone, so they stand in for the quads' digest
        document_counts = {iri: len(ids) for iri, ids in mentioned_in.items()}
        entity_digests = {e.iri: digest([fp, e.kind.value, e.label, *e.alt_labels, str(e.mentions), str(document_counts.get(e.iri)),
                                         repr(locations.get(e.iri))]) for e in entities}
        entities_graph = ox.NamedNode(str(ENTITIES_GRAPH))
        has_entities = store.contains_named_graph(entities_graph)
        # many changes (a new version, a first build) rewrite the whole graph: one delete per entity would cost more
        whole = not manifest.entities or not has_entities or \
            sum(manifest.entities.get(iri) != dg for iri, dg in entity_digests.items()) * 4 > len(entity_digests)
        changed_entities = {iri for iri, dg in entity_digests.items() if whole or manifest.entities.get(iri) != dg}
        gone = set(manifest.entities) - set(entity_digests)
        by_entity: dict[str, list[ox.Quad]] = {}
        for q in entity_quads((e for e in entities if e.iri in changed_entities), locations, document_counts):
            by_entity.setdefault(q.subject.value, []).append(q)

        pending = None
        if validate:
            # only what changed, plus whatever failed before: the rest was valid when written. What
            # this reads from the store the writes below leave as it is, so validation runs in other
            # processes while this one writes.
            to_check = dict(written)
            for doc_id, v in new_manifest_docs.items():
                if not v.get("conforms", True) and doc_id not in written:
                    to_check[doc_id] = list(store.quads_for_pattern(None, None, None, ox.NamedNode(str(document_graph(doc_id)))))
            ontology = list(store.quads_for_pattern(None, None, None, ox.NamedNode(str(ONTOLOGY_GRAPH))))
            context = dict(by_entity)
            for iri in {t.value for qs in to_check.values() for q in qs for t in (q.subject, q.object)
                        if isinstance(t, ox.NamedNode) and t.value in entity_digests} - set(by_entity):
                context[iri] = list(store.quads_for_pattern(ox.NamedNode(iri), None, None, entities_graph))
            # parts of a few hundred documents keep each pyshacl graph small and the workers evenly loaded
            n_parts = workers * -(-len(to_check) // (VALIDATION_PART_DOCS * workers))  # whole rounds for the workers
            pending = start_validation(_validation_parts(to_check, context, changed_entities, ontology, n_parts), workers)

        try:
            _write(store, written, present, set(index), entities_graph, by_entity, has_entities=has_entities, whole=whole,
                   changed=changed_entities | gone)
        except BaseException:
            if pending is not None:
                pending.abandon()
            raise
        stages.done("write")

        report.documents = len(docs)
        report.parsed = len(to_parse)
        report.rewritten = len(written)
        report.entities_by_kind = dict(sorted(Counter(e.kind.value for e in entities).items()))
        report.facts_by_relation = _fact_counts(store)
        report.triples = len(store)
        stages.done("count")
        if pending is not None:
            result = pending.result()
            report.conforms = result.conforms
            report.violations = result.violations
            failing = {v.focus for v in result.violations}
            for doc_id, quads in to_check.items():
                new_manifest_docs[doc_id]["conforms"] = not ({q.subject.value for q in quads} & failing)
            stages.done("validate")
        manifest.docs = new_manifest_docs
        manifest.entities = entity_digests
        manifest.ontology = fp
        manifest.min_confidence = min_confidence
        manifest.stats = {"entities": report.entities_by_kind, "facts": report.facts_by_relation, "triples": report.triples}
        cache.save_index(index)
        cache.save_files({d.path: d.sha256 for d in docs})
        cache.save_manifest(manifest)  # last: a build is finished once its manifest is saved
    cache.prune(set(keys.values()))
    stages.done("save")
    return report


def _write(store, written: dict[str, list[ox.Quad]], present: dict[str, ox.NamedNode], keep: set[str], entities_graph: ox.NamedNode,
           by_entity: dict[str, list[ox.Quad]], *, has_entities: bool, whole: bool, changed: set[str]) -> None:
    """Write the rewritten document graphs and entities, and drop the graphs of deleted documents."""
    for doc_id, quads in written.items():
        if doc_id in present:
            replace_graph(store, ox.NamedNode(str(document_graph(doc_id))), quads)
    new_graphs = {ox.NamedNode(str(document_graph(i))): q for i, q in written.items() if i not in present}
    entity_rows = [q for qs in by_entity.values() for q in qs]
    if whole and not has_entities:
        # a first build: nothing has read this graph yet, so it goes in with the bulk load too
        new_graphs[entities_graph] = entity_rows
    elif whole:
        replace_graph(store, entities_graph, entity_rows)
    elif changed:
        update_subjects(store, entities_graph, changed, entity_rows)
    add_graphs(store, new_graphs)
    for doc_id, graph in present.items():
        if doc_id not in keep:
            store.remove_graph(graph)
    store.flush()


def _validation_parts(written: dict[str, list[ox.Quad]], by_entity: dict[str, list[ox.Quad]], changed_entities: set[str],
                      ontology: list[ox.Quad], n: int) -> list[list[ox.Quad]]:
    """What a build must validate, cut into at most `n` parts that can be judged apart.

    Each part holds whole document graphs, the entity facts (types, labels) of every entity they
    mention, and the ontology the shapes' sh:class checks climb. The shapes count values only on
    claims (which live in one document graph) and on entity labels (which live whole in the
    entities graph), so no shape sees less in a part than in the whole store.
    """
    doc_ids = sorted(written)
    n = max(1, min(n, len(doc_ids)))
    parts: list[list[ox.Quad]] = []
    mentioned_anywhere: set[str] = set()
    for k in range(n):
        quads: list[ox.Quad] = []
        mentioned: set[str] = set()
        for doc_id in doc_ids[k::n]:
            for q in written[doc_id]:
                quads.append(q)
                for t in (q.subject, q.object):
                    if isinstance(t, ox.NamedNode) and t.value in by_entity:
                        mentioned.add(t.value)
        quads.extend(q for iri in sorted(mentioned) for q in by_entity[iri])
        mentioned_anywhere |= mentioned
        parts.append(quads)
    # changed entities that no validated document mentions are judged in the first part
    parts[0].extend(q for iri in sorted(changed_entities - mentioned_anywhere) for q in by_entity.get(iri, ()))
    parts = [p for p in parts if p]
    for p in parts:
        p.extend(ontology)
    return parts


def _fact_counts(store: ox.Store) -> dict[str, int]:
    """Binary facts by relation, counted once per document graph that states them."""
    props = " ".join(f"<{PREFIXES['kg']}{r.value}>" for r in Relation)
    q = f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ VALUES ?p {{ {props} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?p"
    counts = {row["p"].value.rsplit("#", 1)[-1]: int(row["n"].value) for row in store.query(q, use_default_graph_as_union=False)}
    return dict(sorted(counts.items()))
