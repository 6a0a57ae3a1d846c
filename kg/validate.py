"""SHACL validation of the store with pyshacl, as a report of readable violations."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDFS

from .resources import SHAPES_FILE, read_text

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    focus: str
    focus_label: str | None
    path: str | None
    value: str | None
    message: str
    severity: str
    shape: str | None = None

    def __str__(self) -> str:
        who = f"{self.focus_label} <{self.focus}>" if self.focus_label else f"<{self.focus}>"
        where = f" {self.path}" if self.path else ""
        value = f" = {self.value}" if self.value else ""
        return f"{self.severity}: {who}{where}{value}: {self.message}"


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0


def store_graph(store: ox.Store) -> Graph:
    """The union of all the store's graphs as one rdflib graph (what the shapes judge)."""
    return rdflib_graph(store.quads_for_pattern(None, None, None, None))


def rdflib_graph(quads) -> Graph:
    """Quads as one rdflib graph, term by term: a third quicker than serialising them to
    N-Triples and parsing them back."""
    g = Graph()
    add = g.add
    for q in quads:
        add((_term(q.subject), URIRef(q.predicate.value), _term(q.object)))
    return g


def shapes_graph() -> Graph:
    g = Graph()
    g.parse(data=read_text(SHAPES_FILE), format="turtle")
    return g


def validate_graph(data: Graph) -> ValidationReport:
    from pyshacl import validate as shacl_validate  # slow to import; a build with nothing new never needs it

    conforms, results, _ = shacl_validate(
        data, shacl_graph=shapes_graph(), inference="none", allow_warnings=True, abort_on_first=False
    )
    violations = []
    for result in results.subjects(predicate=None, object=SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        message = results.value(result, SH.resultMessage)
        severity = results.value(result, SH.resultSeverity)
        label = data.value(focus, RDFS.label) if isinstance(focus, URIRef) else None
        violations.append(Violation(
            focus=str(focus), focus_label=str(label) if label is not None else None,
            path=_short(path), value=_short(value), message=str(message or "constraint not met"),
            severity=_short(severity) or "Violation", shape=_short(results.value(result, SH.sourceShape)),
        ))
    violations.sort(key=lambda v: (v.focus, v.path or "", v.message))
    return ValidationReport(bool(conforms), violations, len(data))


def validate_store(store: ox.Store) -> ValidationReport:
    return validate_graph(store_graph(store))


def validate_quads(quads: list[ox.Quad]) -> ValidationReport:
    """Validate a part of the store (what a build changed) as one graph."""
    if not quads:
        return ValidationReport(True, [], 0)
    return validate_graph(rdflib_graph(quads))


def _term(t):
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if t.language:
        return Literal(t.value, lang=t.language)
    if t.datatype.value == _XSD_STRING:  # a plain literal, as rdflib's own parsers give it
        return Literal(t.value)
    return Literal(t.value, datatype=URIRef(t.datatype.value))


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


_PARTS: list[list[ox.Quad]] = []  # what forked validators read, instead of receiving it pickled


def _validate_part(i: int) -> ValidationReport:
    return validate_quads(_PARTS[i])


class PendingValidation:
    """Validation running in forked processes while the caller gets on with other work (a build
    writes its store meanwhile); `result()` waits for it. In-process when there is one worker."""

    def __init__(self, parts: list[list[ox.Quad]], workers: int):
        self.parts = [p for p in parts if p]
        self.pool = None
        self.futures = None
        if workers <= 1 or len(self.parts) < 2:
            return
        import gc
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        global _PARTS
        _PARTS = self.parts
        # the forked validators inherit this process's heap (every quad of the build); frozen, it is
        # left out of their garbage collections, which would otherwise walk it and copy its pages
        gc.freeze()
        try:
            self.pool = ProcessPoolExecutor(max_workers=min(workers, len(self.parts)), mp_context=multiprocessing.get_context("fork"))
            # a fork context starts every worker at the first submit, so they all see _PARTS now
            self.futures = [self.pool.submit(_validate_part, i) for i in range(len(self.parts))]
        finally:
            gc.unfreeze()
            _PARTS = []

    def abandon(self) -> None:
        """Stop the validators at once: the build failed, and nobody will read their verdict."""
        if self.pool is not None:
            for proc in list(getattr(self.pool, "_processes", {}).values()):
                proc.terminate()
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None

    def result(self) -> ValidationReport:
        if self.pool is None:
            results = [validate_quads(p) for p in self.parts] or [ValidationReport(True, [], 0)]
            return _merge(results)
        try:
            return _merge([f.result() for f in self.futures])
        finally:
            self.pool.shutdown()
            self.pool = None


def start_validation(parts: list[list[ox.Quad]], workers: int = 1) -> PendingValidation:
    """Start validating parts that can be judged apart (see kg.build) in up to `workers` processes."""
    return PendingValidation(parts, workers)


def validate_parts(parts: list[list[ox.Quad]], workers: int = 1) -> ValidationReport:
    """Validate parts that can be judged apart (see kg.build), in up to `workers` processes.

    pyshacl is pure Python and single-threaded, so on a large build a second core halves its
    time. The violations of all parts are merged, each once.
    """
    return start_validation(parts, workers).result()


def _merge(results: list[ValidationReport]) -> ValidationReport:
    # the same entity judged in two parts is one violation (its shape, a blank node, is named anew in each)
    unique = {(v.focus, v.path, v.value, v.message, v.severity): v for r in results for v in r.violations}
    violations = sorted(unique.values(), key=lambda v: (v.focus, v.path or "", v.message))
    return ValidationReport(all(r.conforms for r in results), violations, sum(r.triples for r in results))


def _short(term) -> str | None:
    if term is None:
        return None
    text = str(term)
    # ontology and SHACL terms read better by local name; data IRIs stay whole
    if isinstance(term, URIRef) and ("ontology#" in text or "shacl#" in text):
        return text.rsplit("#", 1)[-1]
    return text
