"""Every command through typer's CliRunner: exit codes, output formats, one-line errors."""

import json

import pytest
from typer.testing import CliRunner

from kg.cli import app

from .conftest import DATA

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_build_prints_summary_and_exits_0(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Rebels flee\n\nISIL leader Abu Bakr al-Baghdadi fled Mosul for Syria.", encoding="utf-8")
    r = run("build", folder, "--store", tmp_path / "st")
    assert r.exit_code == 0, r.output
    assert "Built 1 documents" in r.output and "SHACL:    conforms" in r.output
    assert "fledFrom 1" in r.output


def test_build_json_summary(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("ISIL leader Abu Bakr al-Baghdadi fled Mosul.", encoding="utf-8")
    r = run("build", folder, "--store", tmp_path / "st", "--json")
    data = json.loads(r.stdout)
    assert data["conforms"] is True and data["documents"] == 1


def test_build_with_a_bad_file_builds_the_rest_and_exits_2(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("ISIL leader Abu Bakr al-Baghdadi fled Mosul.", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\xff\xfe\x00garbage\x00")
    r = run("build", folder, "--store", tmp_path / "st")
    assert r.exit_code == 2
    assert "bad.txt" in r.output and "Built 1 documents" in r.output


def test_build_of_missing_folder_is_one_line_exit_2(tmp_path):
    r = run("build", tmp_path / "nope", "--store", tmp_path / "st")
    assert r.exit_code == 2
    assert "no such folder" in r.output and "Traceback" not in r.output


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_query_formats(seed_store, fmt):
    r = run("query", "leaders", "--store", seed_store, "--format", fmt)
    assert r.exit_code == 0, r.output
    assert "Abu Bakr al-Baghdadi" in r.output
    if fmt == "json":
        assert any(row["leader"] == "Abu Bakr al-Baghdadi" for row in json.loads(r.stdout))
    if fmt == "csv":
        assert r.stdout.splitlines()[0] == "leader,organization,documents"


def test_inline_query_and_file(seed_store, tmp_path):
    r = run("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s a kg:Flight }", "--store", seed_store, "--format", "csv")
    assert r.exit_code == 0 and int(r.stdout.splitlines()[1]) >= 1
    q = tmp_path / "q.rq"
    q.write_text("ASK { ?p kg:leaderOf ?o }", encoding="utf-8")
    r = run("query", q, "--store", seed_store)
    assert r.exit_code == 0 and "true" in r.output


def test_query_parameter_is_bound_not_pasted(seed_store):
    r = run("query", "members", "--store", seed_store, "--param", "org=ISIS", "--format", "json")
    assert r.exit_code == 0
    rows = json.loads(r.stdout)
    assert rows and all(row["organization"] == "Islamic State of Iraq and the Levant" for row in rows)
    r = run("query", "members", "--store", seed_store, "--param", 'org=x" } ; DROP ALL #', "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout) == []
    r = run("query", "members", "--store", seed_store)
    assert r.exit_code == 2 and "--param org=VALUE" in r.output


def test_malformed_query_and_update_are_refused(seed_store):
    r = run("query", "SELECT ?x WHERE {\n  ?x ?y\n}", "--store", seed_store)
    assert r.exit_code == 2 and "malformed SPARQL at line 3, column" in r.output
    r = run("query", "DELETE WHERE { ?s ?p ?o }", "--store", seed_store)
    assert r.exit_code == 2 and "--update" in r.output
    r = run("query", "who-fled", "--store", seed_store)
    assert r.exit_code == 2 and "who-fled-where" in r.output


def test_update_runs_only_with_the_flag(store_copy):
    delete = "DELETE WHERE { GRAPH ?g { ?s kg:fledFrom ?o } }"
    assert run("query", delete, "--store", store_copy).exit_code == 2
    assert run("query", "ASK { ?s kg:fledFrom ?o }", "--store", store_copy, "-f", "csv").stdout.splitlines()[1] == "true"
    r = run("query", delete, "--store", store_copy, "--update")
    assert r.exit_code == 0, r.output
    assert run("query", "ASK { ?s kg:fledFrom ?o }", "--store", store_copy, "-f", "csv").stdout.splitlines()[1] == "false"


def test_missing_store_is_a_clear_error(tmp_path):
    for cmd in (["query", "leaders"], ["export"], ["validate"], ["eval", DATA / "seeds-gold.tsv"]):
        r = run(*cmd, "--store", tmp_path / "none")
        assert r.exit_code == 2, cmd
        assert "run 'kg build' first" in r.output


@pytest.mark.parametrize("fmt, marker", [("turtle", "@prefix"), ("ntriples", "<https://w3id.org/newskg/"),
                                         ("nquads", "/graph/doc/"), ("trig", "graph/doc/004_21d52f18898a9978> {"), ("jsonld", "@id")])
def test_export_formats(seed_store, tmp_path, fmt, marker):
    out = tmp_path / f"g.{fmt}"
    r = run("export", "--store", seed_store, "--format", fmt, "--output", out)
    assert r.exit_code == 0, r.output
    assert marker in out.read_text(encoding="utf-8")


def test_export_one_document(seed_store):
    r = run("export", "--store", seed_store, "--format", "nquads", "--graph", "004_21d52f18898a9978")
    assert r.exit_code == 0
    graphs = {line.rsplit(" ", 2)[-2] for line in r.stdout.splitlines() if line.strip()}
    assert graphs == {"<https://w3id.org/newskg/id/graph/doc/004_21d52f18898a9978>"}
    r = run("export", "--store", seed_store, "--graph", "nope")
    assert r.exit_code == 2 and "no document" in r.output


def test_validate_exit_codes(store_copy):
    r = run("validate", "--store", store_copy)
    assert r.exit_code == 0 and "conforms" in r.output
    import pyoxigraph as ox
    store = ox.Store(str(store_copy))
    # a person said to have fled to an organisation breaks the fledTo range
    store.add(ox.Quad(ox.NamedNode("https://w3id.org/newskg/id/person/abu-bakr-al-baghdadi"),
                      ox.NamedNode("https://w3id.org/newskg/ontology#fledTo"),
                      ox.NamedNode("https://w3id.org/newskg/id/organization/al-qaeda"),
                      ox.NamedNode("https://w3id.org/newskg/id/graph/doc/x")))
    store.flush()
    del store
    r = run("validate", "--store", store_copy)
    assert r.exit_code == 1
    assert "fledTo must point to a Place" in r.output and "Abu Bakr al-Baghdadi" in r.output


def test_eval_prints_scores(seed_store):
    r = run("eval", DATA / "seeds-gold.tsv", "--store", seed_store)
    assert r.exit_code == 0
    assert "EXECUTED" in r.output and "ALL" in r.output
    r = run("eval", DATA / "seeds-gold.tsv", "--store", seed_store, "--json")
    assert 0.0 < json.loads(r.stdout)["ALL"]["f1"] <= 1.0


def test_eval_rejects_a_bad_gold_file(seed_store, tmp_path):
    bad = tmp_path / "g.tsv"
    bad.write_text("a\tb\n", encoding="utf-8")
    r = run("eval", bad, "--store", seed_store)
    assert r.exit_code == 2 and "g.tsv:1" in r.output


def test_queries_lists_the_library():
    r = run("queries")
    assert r.exit_code == 0 and "who-fled-where" in r.output


COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands)


def test_the_command_list_is_complete():
    assert {"build", "query", "export", "validate", "eval", "queries", "show", "stats", "serve"} <= set(COMMANDS)


@pytest.mark.parametrize("cmd", COMMANDS)
def test_every_command_has_help_with_an_example(cmd):
    r = run(cmd, "--help")
    assert r.exit_code == 0
    assert "Example" in r.output
    callback = next(c for c in app.registered_commands if (c.name or c.callback.__name__) == cmd).callback
    if "store" in callback.__annotations__:
        assert "--store" in r.output


def test_build_into_a_store_held_by_another_process_is_refused(store_copy):
    from kg.store import open_store

    holder = open_store(store_copy)  # holds the store's lock like a running build would
    try:
        r = run("build", "seeds", "--store", store_copy)
        assert r.exit_code == 2
        assert "store in use" in r.output
    finally:
        del holder
