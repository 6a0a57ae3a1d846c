"""The benchmark's corpus generator: the same N gives the same files, the articles differ, and
the graph grows with N (new people and places, not the same article again)."""

from __future__ import annotations

from bench.corpus import article, write_corpus


def test_generated_corpus_is_deterministic_and_distinct(tmp_path):
    first = [p.read_bytes() for p in write_corpus(6, tmp_path / "a")]
    second = [p.read_bytes() for p in write_corpus(6, tmp_path / "b")]
    assert first == second
    assert len(set(first)) == 6
    assert all(len(text.split()) > 200 for text in map(bytes.decode, first))


def test_generated_articles_give_new_names():
    a, b = article(1), article(2)
    words = lambda t: {w for w in t.split() if w.startswith("al-")}  # noqa: E731
    assert words(a) - words(b) and words(b) - words(a)


def test_the_benchmark_runs_end_to_end_and_prints_its_table(tmp_path, capsys):
    from bench.__main__ import main

    assert main(["--sizes", "4", "--one-worker", "", "--query-runs", "1", "--repeat", "1", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for figure in ("build / spaCy-only", "nothing changed / full", "one changed / full", "peak memory, PSS",
                   "query who-fled-where p50"):
        assert figure in out
    assert (tmp_path / "results.json").exists()
