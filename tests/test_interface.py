"""The analyst's interface: every library query on the seed graph, entity cards, stats, the server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.queries import library
from kg.serve import free_port, start_server, stop_server

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def rows_of(seed_store, name, *params):
    args = ["query", name, "--store", seed_store, "--format", "json"]
    for p in params:
        args += ["--param", p]
    r = run(*args)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


# What a reader of the seeds expects each named query to answer: (params, column, value).
EXPECTED = {
    "who-fled-where": ([], "who", "Abu Bakr al-Baghdadi"),
    "defections": ([], "to", "al-Qaeda"),
    "executions": ([], "victim", "Abu Abdur Rahman Al Misree"),
    "leaders": ([], "leader", "Abu Bakr al-Baghdadi"),
    "members": (["org=isis"], "member", "Abu Anas al-Suri"),
    "who-controls-what": ([], "place", "Tal Afar"),
    "entity-aliases": ([], "aliases", "ISIS"),
    "timeline": ([], "who", "Abu Anas al-Suri"),
    "evidence": (["who=Al-Baghdadi"], "relation", "leaderOf"),
    "claims-by-speaker": (["speaker=Mamuzini"], "subject", "Abu Anas al-Suri"),
    "most-mentioned": ([], "label", "Islamic State of Iraq and the Levant"),
}


def test_every_library_query_has_an_expectation():
    assert set(library()) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_library_query_answers_what_a_reader_expects(seed_store, name):
    params, column, value = EXPECTED[name]
    rows = rows_of(seed_store, name, *params)
    assert any(value in row[column] for row in rows), rows[:5]


def test_most_mentioned_starts_with_the_group_the_seeds_are_about(seed_store):
    assert rows_of(seed_store, "most-mentioned")[0]["label"] == "Islamic State of Iraq and the Levant"


def test_most_mentioned_matches_counting_every_mention_and_document(seed_store):
    # the stored counts and the floor on mentions give what a full count and sort would
    slow = """SELECT ?label ?type ?mentions (COUNT(DISTINCT ?doc) AS ?documents) WHERE {
      ?e rdfs:label ?label ; a ?class ; kg:mentionCount ?mentions ; kg:mentionedIn ?doc .
      VALUES ?class { kg:Person kg:Organization kg:Group kg:Place }
      BIND (STRAFTER(STR(?class), "#") AS ?type) }
    GROUP BY ?label ?type ?mentions ORDER BY DESC(?mentions) DESC(?documents) ?label LIMIT 25"""
    assert rows_of(seed_store, "most-mentioned") == rows_of(seed_store, slow)


@pytest.mark.parametrize("hostile", ['ISIS" } UNION { ?p ?q ?r } #', "isis'}", "}}}", 'x") ; DROP ALL ; #'])
def test_parameters_with_quotes_or_braces_cannot_change_the_query(seed_store, hostile):
    assert rows_of(seed_store, "members", f"org={hostile}") == []
    assert rows_of(seed_store, "evidence", f"who={hostile}") == []


def test_show_finds_an_entity_by_any_name_in_any_case(seed_store):
    r = run("show", "isis", "--store", seed_store)
    assert r.exit_code == 0, r.output
    assert "Islamic State of Iraq and the Levant" in r.output and "(Organization)" in r.output
    r = run("show", "al-baghdadi", "--store", seed_store, "--json")
    card = json.loads(r.stdout)
    assert card["label"] == "Abu Bakr al-Baghdadi" and card["kind"] == "Person"
    relations = {(c["direction"], c["relation"], c["other"]) for c in card["claims"]}
    assert ("out", "leaderOf", "Islamic State of Iraq and the Levant") in relations
    assert ("out", "flight origin", "Mosul") in relations
    flight = next(c for c in card["claims"] if c["relation"] == "flight origin")
    assert flight["modality"] == "reported" and flight["document"] and "fled" in flight["sentence"]


def test_show_lists_claims_in_with_speaker_and_date(seed_store):
    card = json.loads(run("show", "Abu Anas al-Suri", "--store", seed_store, "--json").stdout)
    flight = next(c for c in card["claims"] if c["relation"] == "flight destination")
    assert flight["other"] == "Syria" and flight["date"] == "--12" and "Mamuzini" in flight["speaker"]
    syria = json.loads(run("show", "syria", "--store", seed_store, "--json").stdout)
    assert any(c["direction"] == "in" and c["other"] == "Abu Anas al-Suri" for c in syria["claims"])


def test_show_gives_a_located_place_its_coordinates_and_geonames_link(seed_store):
    r = run("show", "mosul", "--store", seed_store)
    assert "where:" in r.output and "https://sws.geonames.org/99072/" in r.output
    card = json.loads(run("show", "Anbar province", "--store", seed_store, "--json").stdout)
    assert card["geonames"] is None and card["lat"] is None


def test_show_suggests_a_close_name(seed_store):
    r = run("show", "Bagdadi", "--store", seed_store)
    assert r.exit_code == 2
    assert "did you mean" in r.output and "Baghdadi" in r.output and "Traceback" not in r.output


def test_stats_counts_the_graph(seed_store):
    r = run("stats", "--store", seed_store, "--json")
    assert r.exit_code == 0, r.output
    counts = json.loads(r.stdout)
    assert counts["documents"] == 5 and counts["entities"]["Person"] > 5
    assert counts["facts"]["leaderOf"] >= 3 and counts["triples"] > 1000 and counts["graphs"] == 7
    r = run("stats", "--store", seed_store)
    assert "documents" in r.output and "triples" in r.output


def _sparql(url: str, q: str) -> dict:
    req = urllib.request.Request(f"{url}/query?query={urllib.parse.quote(q)}", headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.load(resp)


def test_server_answers_like_the_embedded_store_and_refuses_updates(seed_store):
    proc, url = start_server(seed_store, port=free_port())
    try:
        assert url.startswith("http://127.0.0.1:")
        q = "PREFIX kg: <https://w3id.org/newskg/ontology#> SELECT (COUNT(*) AS ?n) WHERE { ?a kg:leaderOf ?o }"
        served = int(_sparql(url, q)["results"]["bindings"][0]["n"]["value"])
        local = json.loads(run("query", q, "--store", seed_store, "--format", "json").stdout)[0]["n"]
        assert served == int(local) > 0
        update = urllib.request.Request(f"{url}/update", data=b"update=CLEAR%20ALL", method="POST",
                                        headers={"Content-Type": "application/x-www-form-urlencoded"})
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(update, timeout=10)
    finally:
        stop_server(proc)
    assert proc.poll() is not None


def test_kg_serve_prints_its_url_and_stops_on_ctrl_c(seed_store):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(seed_store), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "COLUMNS": "200"})
    try:
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/query" in line
        assert _sparql(f"http://127.0.0.1:{port}", "ASK { ?s ?p ?o }")["boolean"] is True
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=20)
        assert "stopped" in out and proc.returncode == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    time.sleep(0.2)
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)


def test_readme_ontology_table_matches_the_ontology():
    from pathlib import Path

    from kg.ontology_doc import ontology_table, readme_section

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert readme_section(readme) == ontology_table(), "run: python -m kg.ontology_doc"
    for term in ("kg:fledFrom", "kg:Execution", "kg:date", "kg:negated"):
        assert f"`{term}`" in readme_section(readme)
