"""Extract mentions and relations from documents with spaCy and the rule families.

Rules come in families, one module each: roles (leaderOf, memberOf), events (flights,
defections, executions) and places (controls, locatedIn). Roles run over the whole document
first, so that 'he defected' can use what the document said he belonged to.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from ..model import Document, Extraction, Fact, Kind, Modality, Relation, Sentence
from ..resources import Gazetteer, load_gazetteer, load_lexicons
from .context import DocContext, SentenceContext
from .dates import document_date
from .events import defections, executions, flights
from .places import place_relations
from .roles import roles

__all__ = ["extract_document", "extract_documents", "extract_in_processes"]


CHUNK_CHARS = 100_000


def chunks(text: str, limit: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) pieces of at most `limit` characters, cut after a sentence end or at a
    space where possible, so one huge paragraph never reaches spaCy's max_length at once.

    >>> [(o, p) for o, p in chunks("One. Two. Three.", 10)]
    [(0, 'One. Two. '), (10, 'Three.')]
    """
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        cut = cut + 2 if cut > limit // 2 else (window.rfind(" ") + 1 or limit)
        yield start, text[start : start + cut]
        start += cut
    yield start, text[start:]


def _parse(nlp: Language, docs: list[Document], batch_size: int, n_process: int) -> Iterator[tuple[Document, list[tuple[int, Doc]]]]:
    limit = min(CHUNK_CHARS, nlp.max_length)
    texts = ((piece, (i, seg.start + offset)) for i, d in enumerate(docs) for seg in d.segments
             for offset, piece in chunks(seg.text, limit))
    current: list[tuple[int, Doc]] = []
    current_i = 0
    for parsed, (i, start) in nlp.pipe(texts, as_tuples=True, batch_size=batch_size, n_process=n_process):
        if i != current_i:
            yield docs[current_i], current
            current, current_i = [], i
        current.append((start, parsed))
    if docs:
        yield docs[current_i], current


def extract_documents(docs: Iterable[Document], nlp: Language, *, batch_size: int = 64, n_process: int = 1,
                      gazetteer: Gazetteer | None = None) -> Iterator[Extraction]:
    """Parse documents in batches and extract each one's mentions and facts, in order."""
    docs = [d for d in docs if d.segments]
    gazetteer = gazetteer or load_gazetteer()
    lexicons = load_lexicons()
    # spaCy's memory zones free the strings each batch adds to the vocabulary, so memory stays
    # flat on long corpora; nothing spaCy made outlives its zone (extractions are plain data)
    step = max(batch_size * max(n_process, 1) * 4, 64)
    for start in range(0, len(docs), step):
        with nlp.memory_zone():
            for document, parsed in _parse(nlp, docs[start : start + step], batch_size, n_process):
                yield extract_parsed(document, parsed, gazetteer, lexicons)


def _extract_chunk(docs: list[Document], batch_size: int) -> list[Extraction]:
    """One worker's share: parse and extract in the worker, so only plain extractions (not
    spaCy Docs) cross back to the parent, and the rules run in parallel with the parsing."""
    from ..nlp import load_pipeline

    return list(extract_documents(docs, load_pipeline(), batch_size=batch_size))


def extract_in_processes(docs: list[Document], workers: int, *, batch_size: int = 32,
                         chunk: int | None = None) -> Iterator[Extraction]:
    """Extract documents in `workers` processes, yielding each extraction in document order.

    The pipeline is loaded once here and the workers are forked from this process, so they
    share the loaded model instead of each loading its own. Chunks are small enough to keep
    both cores busy to the end, large enough that nlp.pipe batches well.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from ..nlp import load_pipeline

    load_pipeline()
    if workers <= 1 or len(docs) < 2:
        yield from extract_documents(docs, load_pipeline(), batch_size=batch_size)
        return
    size = chunk or max(1, min(batch_size, -(-len(docs) // (workers * 4))))
    parts = [docs[i : i + size] for i in range(0, len(docs), size)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        for result in pool.map(_extract_chunk, parts, [batch_size] * len(parts)):
            yield from result


def extract_document(document: Document, nlp: Language) -> Extraction:
    return next(extract_documents([document], nlp))


def extract_parsed(document: Document, parsed: list[tuple[int, Doc]], gazetteer: Gazetteer, lexicons: dict) -> Extraction:
    ctx = DocContext(document, parsed, gazetteer, lexicons, doc_date=document_date(document.date, document.source))
    ctx.prescan()
    contexts: list[SentenceContext] = []
    headlines = {seg.start for seg in document.segments if seg.kind == "title"}
    for base, doc in parsed:
        for sent in doc.sents:
            text = sent.text.strip()
            if not text:
                continue
            lead = len(sent.text) - len(sent.text.lstrip())
            start = base + sent.start_char + lead
            sentence = Sentence(document.id, len(ctx.sentences), start, start + len(text), text)
            ctx.sentences.append(sentence)
            contexts.append(SentenceContext(sent, sentence, sentence.index, headline=base in headlines))
    ctx.spans = {sc.index: sc.sent for sc in contexts}
    # A headline restates the story in telegraphic grammar ("Rebel Chief Defects to Army")
    # that the parser misreads; its names still count as mentions, its facts come from the body.
    contexts = [sc for sc in contexts if not sc.headline]
    for sc in contexts:
        roles(sc, ctx)
    for sc in contexts:
        _register_groups(sc, ctx)
        flights(sc, ctx)
        defections(sc, ctx)
        executions(sc, ctx)
        place_relations(sc, ctx)
    _stated_memberships(ctx, contexts)
    facts = _dedupe(ctx.facts)
    used = {m for f in facts for m in (f.subject, f.object, f.speaker) if m is not None}
    named = {m for m in ctx.mentions.values() if m.kind in (Kind.PERSON, Kind.ORGANIZATION, Kind.PLACE) and not m.key.startswith("place:")}
    mentions = sorted(named | used, key=lambda m: (m.start, m.end, m.key))
    return Extraction(document, tuple(ctx.sentences), tuple(mentions), tuple(facts))


def _register_groups(sc: SentenceContext, ctx: DocContext) -> None:
    # Plural collectives named in passing ('a large group of fighters') are what a later 'they' means.
    for chunk in sc.sent.noun_chunks:
        root = chunk.root
        if root.tag_ in ("NNS", "NNPS") or root.lemma_.lower() in ctx.lexicons["groups"]["quantifier_heads"]:
            ctx.mention_at(root, frozenset({Kind.GROUP}))


def _stated_memberships(ctx: DocContext, contexts: list[SentenceContext]) -> None:
    """A described group that takes part in a fact and whose description names its
    organisation ('dozens of members of ISIL fled') is a member of that organisation."""
    by_start = sorted(contexts, key=lambda sc: sc.sentence.start)
    groups = {m.key: m for f in list(ctx.facts) for m in (f.subject, f.object) if m.kind is Kind.GROUP}
    for key, group in sorted(groups.items()):
        org = ctx.stated_members.get(key)
        if org is None:
            continue
        sc = next((c for c in reversed(by_start) if c.sentence.start <= group.start), None)
        if sc is not None:
            ctx.add_fact(Relation.MEMBER_OF, group, org, sc, modality=Modality.ASSERTED, confidence=0.8, trigger=group.text)


def _dedupe(facts: list[Fact]) -> list[Fact]:
    best: dict[tuple, Fact] = {}
    for f in facts:
        key = (f.relation, f.subject.key, f.object.key, f.sentence.index)
        if key not in best or f.confidence > best[key].confidence:
            best[key] = f
    return sorted(best.values(), key=lambda f: (f.sentence.index, f.relation.value, f.subject.start, f.object.start))
