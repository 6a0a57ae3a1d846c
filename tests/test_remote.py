"""Building into a real Oxigraph server over the Graph Store Protocol, querying it over the
SPARQL Protocol, and getting the answers the embedded store gives."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from kg.build import build
from kg.cli import app
from kg.remote import Endpoints, RemoteStore
from kg.serve import free_port, start_server, stop_server
from kg.store import open_store

from .conftest import SEEDS

runner = CliRunner()


@pytest.fixture()
def server(tmp_path):
    proc, url = start_server(tmp_path / "server-data", port=free_port(), writable=True)
    yield url
    stop_server(proc)


def rows(*args):
    r = runner.invoke(app, [str(a) for a in args])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


@pytest.mark.parametrize("name,params", [("leaders", []), ("who-fled-where", []), ("executions", []),
                                          ("members", ["--param", "org=ISIS"]), ("timeline", [])])
def test_build_into_a_server_answers_like_the_embedded_store(server, seed_store, tmp_path, name, params):
    report = build(SEEDS, tmp_path / "remote-store", endpoint=Endpoints.from_base(server))
    assert report.conforms and report.documents == 5
    remote = rows("query", name, *params, "--endpoint", server, "--format", "json")
    local = rows("query", name, *params, "--store", seed_store, "--format", "json")
    assert remote and sorted(map(json.dumps, remote)) == sorted(map(json.dumps, local))


def test_remote_graphs_equal_the_embedded_graphs_and_rebuilds_are_incremental(server, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    local = tmp_path / "local"
    build(corpus, local)
    endpoints = Endpoints.from_base(server)
    build(corpus, tmp_path / "r", endpoint=endpoints)
    remote = RemoteStore(endpoints)
    store = open_store(local, read_only=True)
    assert sorted(g.value for g in remote.named_graphs()) == sorted(g.value for g in store.named_graphs())
    for g in store.named_graphs():
        assert sorted(map(str, remote.quads_for_pattern(None, None, None, g))) == \
            sorted(map(str, store.quads_for_pattern(None, None, None, g)))
    (corpus / sorted(p.name for p in corpus.iterdir())[0]).unlink()
    again = build(corpus, tmp_path / "r", endpoint=endpoints)
    assert again.parsed == 0 and again.documents == 4
    build(corpus, local)
    assert len(list(remote.named_graphs())) == len(list(open_store(local, read_only=True).named_graphs()))
    assert len(remote) == len(open_store(local, read_only=True))


def test_parameters_sent_to_a_server_cannot_change_the_query(server, tmp_path):
    build(SEEDS, tmp_path / "r", endpoint=Endpoints.from_base(server))
    assert rows("query", "members", "--param", 'org=x" } UNION { ?a ?b ?c } #', "--endpoint", server, "--format", "json") == []
    assert rows("query", "members", "--param", "org=ISIL", "--endpoint", server, "--format", "json")


def test_an_unreachable_server_is_one_clear_line(tmp_path):
    r = runner.invoke(app, ["query", "leaders", "--endpoint", f"http://127.0.0.1:{free_port()}"])
    assert r.exit_code == 2 and "cannot reach the SPARQL server" in r.output and "Traceback" not in r.output


def test_report_from_a_server_holds_what_the_embedded_store_gives(server, seed_store, tmp_path):
    from .test_report import page_data

    build(SEEDS, tmp_path / "remote-store", endpoint=Endpoints.from_base(server))
    remote, local = tmp_path / "remote.html", tmp_path / "local.html"
    r = runner.invoke(app, ["report", "--endpoint", server, "--output", str(remote)])
    assert r.exit_code == 0, r.output
    assert runner.invoke(app, ["report", "--store", str(seed_store), "--output", str(local)]).exit_code == 0
    assert page_data(remote) == page_data(local)
