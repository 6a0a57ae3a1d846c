"""`kg report`: one self-contained HTML page holding every entity and event of the graph."""

import json
import re

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.report import gather, write_report
from kg.store import opened

runner = CliRunner()
EVENTS = ("Flight", "Defection", "Execution")


def page_data(path) -> dict:
    text = path.read_text("utf-8")
    match = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', text, re.S)
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def seed_report(seed_store, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    with opened(seed_store, read_only=True) as store:
        summary = write_report(store, out)
        entities = {r["e"].value for r in store.query(
            "SELECT DISTINCT ?e WHERE { GRAPH <https://w3id.org/newskg/id/graph/entities> { ?e a ?k } }")}
        events = {r["c"].value for r in store.query(
            "PREFIX kg: <https://w3id.org/newskg/ontology#> SELECT ?c WHERE { VALUES ?k { kg:Flight kg:Defection kg:Execution } ?c a ?k }",
            use_default_graph_as_union=True)}
    return out, summary, entities, events


def test_report_holds_every_entity_and_event_of_the_seed_graph(seed_report):
    out, summary, entities, events = seed_report
    data = page_data(out)
    assert entities and {e["id"] for e in data["entities"]} == entities
    assert events and events <= {c["id"] for c in data["claims"] if c["type"] in EVENTS}
    assert summary.entities == len(entities)


def test_every_claim_carries_its_evidence_sentence_and_edges(seed_report):
    data = page_data(seed_report[0])
    by_id = {e["id"]: e for e in data["entities"]}
    for c in data["claims"]:
        assert c["sentence"] and c["doc"] in {d["id"] for d in data["documents"]}
        assert all(s in by_id and o in by_id and rel in data["relations"] for s, rel, o in c["edges"])


def test_flights_from_mosul_reach_the_map_with_both_ends_located(seed_report):
    data = page_data(seed_report[0])
    by_id = {e["id"]: e for e in data["entities"]}
    flights = [c for c in data["claims"] if c["type"] == "Flight"]
    both = [c for c in flights if {"fledFrom", "fledTo"} <= {rel for _, rel, _ in c["edges"]}]
    assert any(by_id[o]["label"] == "Mosul" for c in both for _, rel, o in c["edges"] if rel == "fledFrom")
    assert all("geo" in by_id[o] for c in both for _, _, o in c["edges"] if by_id[o]["label"] in ("Mosul", "Syria"))
    south, north, west, east = data["map"]["bounds"]
    assert south < 36.3 < north and west < 43.1 < east and len(data["map"]["towns"]) > 100


def test_the_page_is_self_contained(seed_report):
    text = seed_report[0].read_text("utf-8")
    # nothing is fetched when the page opens: no external scripts, styles, fonts or images
    assert not re.search(r"<script[^>]*\bsrc=", text)
    assert not re.search(r"<link[^>]*\brel=[\"']?stylesheet", text)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", text)
    assert "vis.Network" in text and "new vis.DataSet" in text  # the network library is inlined


def test_report_repeats_byte_for_byte(seed_store, seed_report, tmp_path):
    again = tmp_path / "again.html"
    with opened(seed_store, read_only=True) as store:
        write_report(store, again)
    assert again.read_bytes() == seed_report[0].read_bytes()


def test_label_with_a_closing_script_tag_cannot_break_out_of_the_data(seed_store, tmp_path):
    store = ox.Store()
    with opened(seed_store, read_only=True) as src:
        store.extend(src.quads_for_pattern(None, None, None, None))
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    victim = next(q for q in store.quads_for_pattern(None, label, None, None))
    store.remove(victim)
    store.add(ox.Quad(victim.subject, label, ox.Literal("</script><script>alert(1)</script>"), victim.graph_name))
    out = tmp_path / "r.html"
    write_report(store, out)
    assert "<script>alert(1)" not in out.read_text("utf-8")
    assert any(e["label"] == "</script><script>alert(1)</script>" for e in page_data(out)["entities"])


def test_cli_writes_the_report_and_says_what_is_in_it(seed_store, tmp_path):
    out = tmp_path / "seeds.html"
    result = runner.invoke(app, ["report", "--store", str(seed_store), "--output", str(out), "--title", "Seeds <test>"])
    assert result.exit_code == 0, result.output
    assert "places on the map" in result.output and out.exists()
    assert "<title>Seeds &lt;test&gt;</title>" in out.read_text("utf-8")


def test_cli_errors_are_one_line_with_exit_code_2(seed_store, tmp_path):
    missing = runner.invoke(app, ["report", "--store", str(tmp_path / "nowhere"), "-o", str(tmp_path / "r.html")])
    assert missing.exit_code == 2 and "Traceback" not in missing.output
    empty_store = tmp_path / "empty"
    with opened(empty_store, create=True):
        pass
    empty = runner.invoke(app, ["report", "--store", str(empty_store), "-o", str(tmp_path / "r.html")])
    assert empty.exit_code == 2 and "kg build" in empty.output
    unwritable = runner.invoke(app, ["report", "--store", str(seed_store), "-o", str(tmp_path / "no-such-dir" / "r.html")])
    assert unwritable.exit_code == 2 and "cannot write" in unwritable.output
    assert not (tmp_path / "r.html").exists()


def test_gather_refuses_a_store_without_documents():
    from kg.errors import InputError

    with pytest.raises(InputError, match="kg build"):
        gather(ox.Store())
