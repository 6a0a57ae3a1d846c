"""Incremental builds: only what changed is parsed and rewritten, and the graph is always the
one a clean build of the same folder gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.build import build
from kg.store import dump, open_store

from .conftest import SEEDS

EXTRA = {
    "x1.txt": "Commander flees\n\nAbu Hamza al-Tikriti, a senior commander of ISIS, fled Mosul for Syria on Monday.\n",
    "x2.txt": "Defection\n\nAl-Tikriti defected to al-Qaeda last week, officials said.\n",
    "x3.txt": "Executions\n\nAl-Shabab publicly executed two men accused of spying in Barawe.\n",
}


def nquads(store: Path) -> bytes:
    return dump(open_store(store, read_only=True), "nquads")


def clean_build(folder: Path, tmp: Path) -> bytes:
    store = tmp / f"clean-{len(list(tmp.iterdir()))}"
    build(folder, store)
    return nquads(store)


@pytest.fixture()
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    for name, text in EXTRA.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_incremental_builds_equal_clean_builds_through_edits_and_deletions(corpus, tmp_path):
    store = tmp_path / "store"
    first = build(corpus, store)
    assert first.parsed == 8 and first.conforms
    assert nquads(store) == clean_build(corpus, tmp_path)

    again = build(corpus, store)
    assert (again.parsed, again.rewritten) == (0, 0) and again.conforms

    # an edit that changes who "al-Tikriti" is elsewhere: x2 must be rewritten though it did not change
    (corpus / "x1.txt").write_text(EXTRA["x1.txt"].replace("Abu Hamza al-Tikriti", "Omar al-Tikriti"), encoding="utf-8")
    edited = build(corpus, store)
    assert edited.parsed == 1 and edited.rewritten >= 2
    assert nquads(store) == clean_build(corpus, tmp_path)

    (corpus / "x3.txt").unlink()
    deleted = build(corpus, store)
    assert deleted.parsed == 0 and deleted.documents == 7
    assert b"/graph/doc/x3>" not in nquads(store)
    assert nquads(store) == clean_build(corpus, tmp_path)

    (corpus / "x4.txt").write_text(EXTRA["x3.txt"], encoding="utf-8")
    added = build(corpus, store)
    assert added.parsed == 1
    assert nquads(store) == clean_build(corpus, tmp_path)


def test_a_changed_threshold_rewrites_graphs_without_parsing(corpus, tmp_path):
    store = tmp_path / "store"
    build(corpus, store)
    stricter = build(corpus, store, min_confidence=0.9)
    assert stricter.parsed == 0 and stricter.rewritten > 0
    reference = tmp_path / "ref"
    build(corpus, reference, min_confidence=0.9)
    assert nquads(store) == nquads(reference)


def test_a_lost_cache_means_a_full_parse_not_a_wrong_graph(corpus, tmp_path):
    store = tmp_path / "store"
    build(corpus, store)
    shutil.rmtree(tmp_path / "store.cache")
    rebuilt = build(corpus, store)
    assert rebuilt.parsed == 8
    assert nquads(store) == clean_build(corpus, tmp_path)


def test_two_workers_give_the_same_graph(corpus, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    build(corpus, one, workers=1)
    build(corpus, two, workers=2, batch_size=2)  # small batches, so two processes really run
    assert nquads(one) == nquads(two)


def test_a_rebuild_with_nothing_new_reports_the_same_counts_without_validating(corpus, tmp_path):
    store = tmp_path / "store"
    first = build(corpus, store)
    again = build(corpus, store)
    assert (again.parsed, again.rewritten) == (0, 0)
    assert (again.entities_by_kind, again.facts_by_relation, again.triples) == \
        (first.entities_by_kind, first.facts_by_relation, first.triples)
    assert "validate" in first.seconds and "validate" not in again.seconds
    # a stricter threshold is not "nothing new"
    assert build(corpus, store, min_confidence=0.9).rewritten > 0


def test_lost_extractions_of_unchanged_files_are_read_again_when_needed(corpus, tmp_path):
    """Unchanged files are not decoded again on a rebuild; if their cached extraction is gone
    and resolution changes what their graph holds, they are read and parsed again."""
    store = tmp_path / "store"
    build(corpus, store)
    shutil.rmtree(tmp_path / "store.cache" / "extractions")
    (corpus / "x1.txt").write_text(EXTRA["x1.txt"].replace("Abu Hamza al-Tikriti", "Omar al-Tikriti"), encoding="utf-8")
    rebuilt = build(corpus, store)
    assert rebuilt.parsed >= 1
    assert nquads(store) == clean_build(corpus, tmp_path)


def test_new_mapping_code_rewrites_every_graph_without_parsing(corpus, tmp_path, monkeypatch):
    """After an upgrade that changes how mentions become RDF, no stale graph survives."""
    import importlib

    store = tmp_path / "store"
    build(corpus, store)
    monkeypatch.setattr(importlib.import_module("kg.build"), "graph_fingerprint", lambda: "another-version")
    upgraded = build(corpus, store)
    assert upgraded.parsed == 0 and upgraded.rewritten == 8


def test_a_moved_corpus_keeps_its_cache(corpus, tmp_path):
    store = tmp_path / "store"
    build(corpus, store)
    moved = corpus.rename(tmp_path / "elsewhere")
    again = build(moved, store)
    assert (again.parsed, again.rewritten) == (0, 0)
