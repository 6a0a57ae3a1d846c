"""Bad input, interruptions and hostile text: one clear line per bad file, nothing lost."""

from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic
from typer.testing import CliRunner

import kg.corpus
from kg.build import build
from kg.cli import app
from kg.corpus import parse_document
from kg.extract import extract_document
from kg.nlp import load_pipeline
from kg.store import dump, open_store

from .conftest import SEEDS

runner = CliRunner()
GOOD = "Rebels flee\n\nISIL leader Abu Bakr al-Baghdadi fled Mosul for Syria, officials said.\n"


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def bad_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "garbled.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d" * 40)
    (folder / "utf16.txt").write_bytes(GOOD.replace("Mosul", "Raqqa").encode("utf-16"))
    (folder / "cp1252.txt").write_bytes("Rebels flee\n\nThe \u201ccommander\u201d fled Tal Afar \u2013 officials said.\n".encode("cp1252"))
    (folder / "page.html").write_text(
        "<html><head><title>Fighters flee</title></head><body><nav><a href='/'>Home</a></nav><article>"
        "<p>Dozens of ISIS fighters fled Raqqa for Idlib on Monday, residents said.</p>"
        "<p>The group executed five prisoners accused of spying.</p></article></body></html>", encoding="utf-8")
    (folder / "huge.txt").write_text("The rebels fled. " * 40_000, encoding="utf-8")  # 680 kB, over --max-bytes below
    os.symlink("loop-b.txt", folder / "loop-a.txt")
    os.symlink("loop-a.txt", folder / "loop-b.txt")
    return folder


def test_each_bad_file_gets_one_line_and_every_good_one_is_built(tmp_path, monkeypatch):
    folder = bad_folder(tmp_path)
    (folder / "locked.txt").write_text(GOOD, encoding="utf-8")
    (folder / "vanishing.txt").write_text(GOOD, encoding="utf-8")
    real_read_bytes, real_list = Path.read_bytes, kg.corpus.list_articles

    def read_bytes(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_read_bytes(self)

    def list_then_delete(path):
        found = real_list(path)
        (folder / "vanishing.txt").unlink()  # deleted between listing and reading
        return found

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(kg.corpus, "list_articles", list_then_delete)
    r = run("build", folder, "--store", tmp_path / "store", "--max-bytes", 500_000)
    assert r.exit_code == 2, r.output
    expected = {
        "empty.txt": "empty file", "binary.txt": "binary file", "garbled.txt": "no other encoding fits",
        "huge.txt": "raise it with --max-bytes", "loop-a.txt": "leads nowhere", "loop-b.txt": "leads nowhere",
        "locked.txt": "Permission denied", "vanishing.txt": "No such file",
    }
    lines = [line for line in r.output.splitlines() if line.startswith("skipped:")]
    assert len(lines) == len(expected)
    for name, reason in expected.items():
        assert any(name in line and reason in line for line in lines), (name, lines)
    assert "Built 4 documents" in r.output  # good, utf16, cp1252, page.html
    assert "Traceback" not in r.output
    store = open_store(tmp_path / "store", read_only=True)
    titles = {str(s["t"].value) for s in store.query(
        "SELECT ?t WHERE { ?d <http://purl.org/dc/terms/title> ?t }", use_default_graph_as_union=True)}
    assert "Fighters flee" in titles


def test_fail_fast_stops_at_the_first_bad_file(tmp_path):
    folder = bad_folder(tmp_path)
    r = run("build", folder, "--store", tmp_path / "store", "--fail-fast")
    assert r.exit_code == 2
    assert r.output.count("error:") == 1 and "binary.txt" in r.output
    assert not (tmp_path / "store").exists()


def test_a_paragraph_longer_than_a_chunk_keeps_true_offsets():
    filler = "Residents said the market reopened after the storm. " * 2500  # 130,000 characters, one line
    text = f"Report\n\n{filler}Abu Hamza al-Tikriti fled Mosul for Syria.\n"
    doc = parse_document("long", "long.txt", text)
    ex = extract_document(doc, load_pipeline())
    assert all(text[s.start:s.end] == s.text for s in ex.sentences)
    flight = [f for f in ex.facts if f.relation.name == "FLED_TO"]
    assert flight and flight[0].sentence.start > 100_000
    assert text[flight[0].subject.start:flight[0].subject.end] == "Abu Hamza al-Tikriti"


HOSTILE = [
    'Abu "Quote" al-Tikriti', "Abu <Angle> Brackets", "Abu Back\\slash", "Abu 🔥 Emoji",
    "أبو بكر البغدادي", "Abu " + "Longname" * 625,
]


def test_hostile_names_give_valid_iris_and_literals_and_round_trip(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    lines = [f"{name}, a commander of ISIS, fled Mosul for Syria." for name in HOSTILE]
    lines.append('He said: "}} ; DROP ALL ; INSERT DATA { <a> <b> <c> } #" and fled Raqqa.')
    lines.append("A line with a\\u0000 escape and a \\\\ backslash <script>alert(1)</script> fled Idlib.")
    (folder / "hostile.txt").write_text("Hostile names\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    report = build(folder, tmp_path / "store")
    assert report.conforms, [str(v) for v in report.violations]
    store = open_store(tmp_path / "store", read_only=True)
    # nothing in the text became a graph, a node or a statement of its own
    assert len(list(store.named_graphs())) == 3
    iris = {t.value for q in store for t in (q.subject, q.predicate, q.object) if isinstance(t, ox.NamedNode)}
    assert all(i.startswith(("https://w3id.org/newskg/", "http://", "https://")) for i in iris)
    labels = {str(q.object.value) for q in store.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), None)}
    # the names come through as written (how far a name reaches is the model's reading)
    assert any('"Quote' in label for label in labels) and "Abu 🔥 Emoji" in labels and "Abu Back\\slash" in labels
    assert any(len(label) > 4000 for label in labels)
    # export, re-import elsewhere, compare graph by graph
    original = {g.value: store_graph(store, g) for g in store.named_graphs()}
    for fmt in ("trig", "nquads"):
        parsed = rdflib.Dataset()
        parsed.parse(data=dump(store, fmt).decode("utf-8"), format=fmt)
        graphs = {str(g.identifier): g for g in parsed.graphs() if len(g)}
        assert set(graphs) == set(original)
        for name, g in graphs.items():
            assert isomorphic(g, original[name]), (fmt, name)
    turtle = rdflib.Graph().parse(data=dump(store, "turtle").decode("utf-8"), format="turtle")
    assert len(turtle) > 50


def store_graph(store: ox.Store, graph: ox.NamedNode) -> rdflib.Graph:
    """One named graph of the store as an rdflib graph, through N-Triples."""
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph)]
    return rdflib.Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_build_killed_at_any_moment_leaves_a_usable_store(tmp_path, seed):
    clean = tmp_path / "clean"
    build(SEEDS, clean, validate=False)
    expected = dump(open_store(clean, read_only=True), "nquads")
    store = tmp_path / "killed"
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    rng = random.Random(seed)
    for _ in range(2):
        proc = subprocess.Popen([sys.executable, "-m", "kg", "build", str(SEEDS), "--store", str(store), "--quiet"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        time.sleep(rng.uniform(0.5, 6.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    r = subprocess.run([sys.executable, "-m", "kg", "build", str(SEEDS), "--store", str(store), "--quiet"],
                       capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr
    assert dump(open_store(store, read_only=True), "nquads") == expected


SENTENCES = [
    "ISIL leader Abu Bakr al-Baghdadi fled Mosul for Syria.", "The Taliban executed three prisoners in Kabul.",
    "Al-Shabab seized Barawe, officials said.", "Dozens of fighters defected to al-Qaeda.", "He did not flee.",
]
article = st.lists(
    st.one_of(st.sampled_from(SENTENCES), st.text(min_size=1, max_size=80),
              st.sampled_from(['"', "'", "<", ">", "\\", "}", "{", "#", "@", "\u202e", "🔥", "\t", "ﷺ"])),
    min_size=1, max_size=12,
).map(lambda parts: " ".join(parts))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=article)
def test_any_article_text_builds_a_conformant_graph(tmp_path_factory, body):
    folder = tmp_path_factory.mktemp("in")
    (folder / "a.txt").write_text("Title\n\n" + body.replace("\x00", ""), encoding="utf-8", errors="surrogatepass")
    try:
        report = build(folder, tmp_path_factory.mktemp("st") / "store")
    except kg.corpus.InputError as exc:
        assert "a.txt" in str(exc) or "no readable articles" in str(exc)  # e.g. nothing but whitespace
        return
    assert report.conforms, [str(v) for v in report.violations]


def test_export_reimport_round_trips(seed_store, tmp_path):
    store = open_store(seed_store, read_only=True)
    data = dump(store, "nquads")
    copy = ox.Store()
    copy.load(io.BytesIO(data), format=ox.RdfFormat.N_QUADS)
    assert dump(copy, "nquads") == data


def test_a_store_held_by_another_process_gives_a_message_or_a_snapshot(store_copy):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time, pyoxigraph as ox; s = ox.Store(sys.argv[1]); print('held', flush=True); time.sleep(60)",
         str(store_copy)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        r = run("build", SEEDS, "--store", store_copy)
        assert r.exit_code == 2 and "store in use" in r.output and "Traceback" not in r.output
        r = run("query", "leaders", "--store", store_copy, "--format", "csv")
        # a reader gets the last committed state, or the same clear message
        assert (r.exit_code == 0 and "Abu Bakr al-Baghdadi" in r.output) or (r.exit_code == 2 and "store in use" in r.output)
        assert "Traceback" not in r.output
    finally:
        holder.kill()
        holder.wait()
