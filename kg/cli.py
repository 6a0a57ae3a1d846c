"""The `kg` command: thin wrappers over the library. Library errors become one red line on
stderr and exit code 2; a graph that fails SHACL exits 1."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from .errors import KGError, QueryError

app = typer.Typer(
    name="kg",
    help="Turn news reports into a validated knowledge graph of who did what to whom, where, and who said so.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

StoreOpt = Annotated[Path, typer.Option("--store", "-s", help="Folder of the Oxigraph store.", show_default=True)]
DEFAULT_STORE = Path(".kg/store")
TABLE_CELL = 48


def fail(exc: Exception, code: int = 2) -> None:
    err.print(f"[red]error:[/red] {exc}", markup=True)
    raise typer.Exit(code)


def _run(fn):
    try:
        return fn()
    except KGError as exc:
        fail(exc, exc.exit_code)
    except KeyboardInterrupt:
        err.print("interrupted")
        raise typer.Exit(130)


@app.command()
def build(
    input_dir: Annotated[Path, typer.Argument(help="Folder of articles (.txt, .html).")] = Path("seeds"),
    store: StoreOpt = DEFAULT_STORE,
    min_confidence: Annotated[float, typer.Option(help="Binary relations only for claims at least this sure (0-1).")] = 0.5,
    max_bytes: Annotated[int, typer.Option(help="Skip article files larger than this.")] = 5_000_000,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    fail_fast: Annotated[bool, typer.Option("--fail-fast", help="Stop at the first article that cannot be read.")] = False,
    workers: Annotated[Optional[int], typer.Option("--workers", "-w", help="Processes parsing in parallel (default: the number of cores).")] = None,
    endpoint: Annotated[Optional[str], typer.Option(help="Write to this SPARQL server instead (Oxigraph layout: URL/query, URL/update, URL/store).")] = None,
    query_url: Annotated[Optional[str], typer.Option(help="The server's SPARQL query URL, if not ENDPOINT/query.")] = None,
    update_url: Annotated[Optional[str], typer.Option(help="The server's SPARQL Update URL, if not ENDPOINT/update.")] = None,
    graph_store_url: Annotated[Optional[str], typer.Option(help="The server's Graph Store Protocol URL, if not ENDPOINT/store.")] = None,
) -> None:
    """Build the knowledge graph of a folder of articles.

    Example: kg build seeds --store .kg/store

    Run it again after adding or editing articles: only new and changed articles are parsed,
    deleted ones leave the graph. --endpoint http://127.0.0.1:7878 writes to a running SPARQL
    server (here Oxigraph's) instead of the embedded store.

    Exit codes: 0 built and SHACL-conformant, 1 built but not conformant, 2 bad input.
    """
    from .build import build as run_build
    from .build import default_workers

    n_workers = workers or default_workers()

    def remote():
        from .remote import Endpoints

        return Endpoints.from_base(endpoint, query=query_url, update=update_url, graph_store=graph_store_url) if endpoint else None

    def progress_bar():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
        from rich.text import Text

        class Rate(ProgressColumn):
            def render(self, task):
                return Text(f"{task.speed:.1f} docs/s" if task.speed else "", style="progress.data.speed")

        # on stderr and only on a terminal: piped or --json output stays clean
        return Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), Rate(), TimeRemainingColumn(),
                        TextColumn("{task.description}"), console=err, transient=True)

    def go():
        show = not quiet and not as_json and err.is_terminal
        if show:
            with progress_bar() as bar:
                task = bar.add_task("", total=None)
                report = run_build(input_dir, store, min_confidence=min_confidence, max_bytes=max_bytes, fail_fast=fail_fast,
                                   workers=n_workers, endpoint=remote(),
                                   progress=lambda doc, i, n: bar.update(task, completed=i, total=n, description=doc))
        else:
            report = run_build(input_dir, store, min_confidence=min_confidence, max_bytes=max_bytes, fail_fast=fail_fast,
                               workers=n_workers, endpoint=remote())
        return report

    report = _run(go)
    for path, reason in report.skipped:
        err.print(f"[yellow]skipped:[/yellow] {reason}", markup=True)
    if as_json:
        out.print_json(json.dumps({
            "documents": report.documents, "parsed": report.parsed, "graphs_written": report.rewritten,
            "skipped": [r for _, r in report.skipped],
            "entities": report.entities_by_kind, "facts": report.facts_by_relation, "triples": report.triples,
            "conforms": report.conforms, "violations": [str(v) for v in report.violations], "dropped": report.dropped,
            "seconds": report.seconds,
        }))
    elif not quiet:
        out.print(f"Built {report.documents} documents into {endpoint or store} ({report.parsed} parsed, {report.rewritten} graphs written)")
        out.print("  entities: " + (", ".join(f"{k} {v}" for k, v in report.entities_by_kind.items()) or "none"))
        out.print("  facts:    " + (", ".join(f"{k} {v}" for k, v in report.facts_by_relation.items()) or "none"))
        out.print(f"  triples:  {report.triples}")
        for note in report.dropped:
            out.print(f"  dropped:  {note}")
        out.print(f"  SHACL:    {'conforms' if report.conforms else f'{len(report.violations)} violations'}")
    for v in report.violations[:50]:
        err.print(str(v))
    if not report.conforms:
        raise typer.Exit(1)
    if report.skipped:
        raise typer.Exit(2)


def _format_value(term) -> str:
    if term is None:
        return ""
    return getattr(term, "value", str(term))


def _print_rows(variables: list[str], rows: list[list[str]], fmt: str) -> None:
    if fmt == "json":
        out.print_json(json.dumps([dict(zip(variables, r)) for r in rows]))
    elif fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(variables)
        writer.writerows(rows)
        sys.stdout.write(buf.getvalue())
    else:
        # a table is for reading: long cells (evidence sentences) are shortened; csv/tsv/json keep them whole
        table = Table(*variables, show_lines=False, header_style="bold")
        for r in rows:
            table.add_row(*(c if len(c) <= TABLE_CELL else c[: TABLE_CELL - 1] + "…" for c in r))
        out.print(table)
        out.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}")


@app.command()
def query(
    spec: Annotated[str, typer.Argument(help="A query name from queries/, a .rq file, or inline SPARQL.")],
    store: StoreOpt = DEFAULT_STORE,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, tsv or json.")] = "table",
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help="NAME=VALUE bound as a literal (repeatable).")] = None,
    update: Annotated[bool, typer.Option("--update", help="Allow a SPARQL UPDATE to change the store.")] = False,
    endpoint: Annotated[Optional[str], typer.Option(help="Query this SPARQL server (URL/query) instead of the store.")] = None,
    query_url: Annotated[Optional[str], typer.Option(help="The server's SPARQL query URL, if not ENDPOINT/query.")] = None,
    update_url: Annotated[Optional[str], typer.Option(help="The server's SPARQL Update URL, if not ENDPOINT/update.")] = None,
) -> None:
    """Run a SPARQL query over the whole graph (read-only).

    Examples: kg query who-fled-where ; kg query leaders --format csv ;
    kg query 'SELECT ?l WHERE { ?x rdfs:label ?l } LIMIT 5'
    """
    from . import queries as ql
    from .store import opened, query as run

    def go():
        if fmt not in ("table", "csv", "tsv", "json"):
            raise QueryError(f"unknown format {fmt!r}; choose table, csv, tsv or json")
        _, text = ql.resolve_query(spec)
        hidden = set(ql.declared_params(text))
        if update and ql.is_update(text):
            from .store import run_update

            if endpoint:
                from .remote import Endpoints, RemoteStore

                RemoteStore(Endpoints.from_base(endpoint, query=query_url, update=update_url)).update(ql.with_prefixes(text))
            else:
                with opened(store) as st:
                    run_update(st, ql.with_prefixes(text))
            return ["updated"], [["true"]]
        ql.check_read_only(text)
        params = {}
        for p in param or []:
            if "=" not in p:
                raise QueryError(f"--param takes NAME=VALUE, not {p!r}")
            k, v = p.split("=", 1)
            params[k.strip()] = v
        missing = [p for p in hidden if p not in params]
        if missing:
            raise QueryError(f"this query needs {', '.join(f'--param {p}=VALUE' for p in missing)}")
        if endpoint:
            from .remote import Endpoints, RemoteStore

            result = RemoteStore(Endpoints.from_base(endpoint, query=query_url)).query(ql.with_prefixes(text), substitutions=ql.bind(params))
            if isinstance(result, bool):
                return ["answer"], [[str(result).lower()]]
            variables = [v.value for v in result.variables if v.value not in hidden]
            return variables, [[_format_value(sol[v]) for v in variables] for sol in result]
        with opened(store, read_only=True) as st:
            result = run(st, ql.with_prefixes(text), substitutions=ql.bind(params))
            import pyoxigraph as ox

            if isinstance(result, ox.QuerySolutions):
                # parameters are projected only so they can be bound; they are not answers
                variables = [v.value for v in result.variables if v.value not in hidden]
                rows = [[_format_value(sol[v]) for v in variables] for sol in result]
                return variables, rows
            if isinstance(result, ox.QueryBoolean):
                return ["answer"], [[str(bool(result)).lower()]]
            triples = [[t.subject.value if hasattr(t.subject, "value") else str(t.subject), t.predicate.value,
                        _format_value(t.object)] for t in result]
            return ["subject", "predicate", "object"], triples

    variables, rows = _run(go)
    _print_rows(variables, rows, fmt)


@app.command()
def export(
    store: StoreOpt = DEFAULT_STORE,
    fmt: Annotated[str, typer.Option("--format", "-f", help="turtle, ntriples, nquads, trig or jsonld.")] = "turtle",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    graph: Annotated[Optional[str], typer.Option("--graph", help="Only this document's graph (its id).")] = None,
) -> None:
    """Export the graph as RDF.

    Examples: kg export --format trig -o graph.trig ; kg export --graph 000_0b136630f5508beb
    """
    import pyoxigraph as ox

    from .store import document_graphs, dump, opened

    def go():
        with opened(store, read_only=True) as st:
            g = None
            if graph:
                graphs = document_graphs(st)
                if graph not in graphs:
                    raise QueryError(f"no document {graph!r} in the store; it has: {', '.join(graphs) or 'none'}")
                g = graphs[graph]
            return dump(st, fmt, graph=g if isinstance(g, ox.NamedNode) else None)

    data = _run(go)
    if output:
        try:
            output.write_bytes(data)
        except OSError as exc:
            fail(KGError(f"{output}: cannot write ({exc.strerror or exc})"))
        err.print(f"wrote {len(data):,} bytes to {output}")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


@app.command()
def report(
    store: StoreOpt = DEFAULT_STORE,
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path("report.html"),
    title: Annotated[str, typer.Option(help="Heading of the page.")] = "kg report",
    endpoint: Annotated[Optional[str], typer.Option(help="Read this SPARQL server (URL/query) instead of the store.")] = None,
    query_url: Annotated[Optional[str], typer.Option(help="The server's SPARQL query URL, if not ENDPOINT/query.")] = None,
) -> None:
    """Write the graph as one self-contained HTML page: network, map and timeline.

    Examples: kg report ; kg report --store .kg/store -o mosul.html --title "Mosul, 2017" ;
    kg report --endpoint http://127.0.0.1:7878

    The page needs no network to open: scripts, styles and data are inside it. Click an entity
    for its card and evidence; filter by relation, document and confidence. Places found in
    GeoNames are on the map, the others listed under it.
    """
    from .report import write_report
    from .store import opened

    def go():
        if endpoint:
            from .remote import Endpoints, RemoteStore

            return write_report(RemoteStore(Endpoints.from_base(endpoint, query=query_url)), output, title=title)
        with opened(store, read_only=True) as st:
            return write_report(st, output, title=title)

    done = _run(go)
    err.print(f"wrote {done.path} ({done.bytes / 1e6:.1f} MB): {done.entities} entities, {done.claims} claims, "
              f"{done.located} places on the map ({done.unlocated} not in GeoNames), {done.dated} dated claims")


@app.command()
def validate(store: StoreOpt = DEFAULT_STORE) -> None:
    """Check the graph against the SHACL shapes; exit 1 when it does not conform.

    Example: kg validate --store .kg/store
    """
    from .store import opened
    from .validate import validate_store

    def go():
        with opened(store, read_only=True) as st:
            return validate_store(st)

    report = _run(go)
    for v in report.violations:
        out.print(str(v))
    if report.conforms:
        out.print(f"conforms ({report.triples} triples checked)")
    else:
        out.print(f"does not conform: {len(report.violations)} violations")
        raise typer.Exit(1)


@app.command("eval")
def eval_cmd(
    gold: Annotated[Path, typer.Argument(help="Gold TSV: doc, subject, relation, object, modality, evidence.")],
    store: StoreOpt = DEFAULT_STORE,
    show_errors: Annotated[bool, typer.Option("--errors", help="List missed and spurious facts.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Score the built graph against a gold file: precision, recall and F1 per relation.

    Example: kg build seeds && kg eval tests/data/seeds-gold.tsv
    """
    from .evaluate import evaluate, read_gold
    from .store import opened

    def go():
        rows = read_gold(gold)
        with opened(store, read_only=True) as st:
            return evaluate(st, rows)

    report = _run(go)
    if as_json:
        out.print_json(json.dumps({
            name: {"tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": round(s.precision, 3), "recall": round(s.recall, 3), "f1": round(s.f1, 3)}
            for name, s in [*report.by_relation.items(), ("ALL", report.total)]
        }))
        return
    table = Table("relation", "gold", "found", "spurious", "precision", "recall", "F1", header_style="bold")
    for name, s in [*report.by_relation.items(), ("ALL", report.total)]:
        table.add_row(name, str(s.tp + s.fn), str(s.tp), str(s.fp), f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}",
                      style="bold" if name == "ALL" else None)
    out.print(table)
    if show_errors:
        for g in report.missed:
            out.print(f"missed    {g.doc}  {g.subject} {g.relation.name} {g.object}")
        for doc, s, r, o in report.spurious:
            out.print(f"spurious  {doc}  {s} {r} {o}")


@app.command()
def show(
    name: Annotated[str, typer.Argument(help="Any name of the entity: its label or an alias, in any case.")],
    store: StoreOpt = DEFAULT_STORE,
    as_json: Annotated[bool, typer.Option("--json", help="Print the card as JSON.")] = False,
) -> None:
    """Show one entity's card: type, names, and every claim in and out with its evidence.

    Example: kg show al-Baghdadi ; kg show isis --json
    """
    from dataclasses import asdict

    from .cards import entity_card
    from .store import opened

    def go():
        with opened(store, read_only=True) as st:
            return entity_card(st, name)

    card = _run(go)
    if as_json:
        out.print_json(json.dumps(asdict(card)))
        return
    out.print(f"[bold]{card.label}[/bold]  ({card.kind})", markup=True)
    out.print(f"  iri:       {card.iri}")
    if card.names:
        out.print(f"  also:      {', '.join(card.names)}")
    out.print(f"  mentions:  {card.mentions} in {len(card.documents)} document{'s' if len(card.documents) != 1 else ''}")
    if card.geonames:
        out.print(f"  where:     {card.lat:.4f}, {card.long:.4f} ({card.geonames})")
    if card.others:
        out.print(f"  (other entities share this name: {', '.join(card.others)})")
    if not card.claims:
        out.print("  no claims")
        return
    table = Table("", "relation", "other", "modality", "date", "source", "document", "evidence", header_style="bold")
    for c in card.claims:
        evidence = c.sentence if len(c.sentence) <= 2 * TABLE_CELL else c.sentence[: 2 * TABLE_CELL - 1] + "…"
        table.add_row("→" if c.direction == "out" else "←", c.relation, c.other, c.modality, c.date, c.speaker, c.document, evidence)
    out.print(table)


@app.command()
def stats(
    store: StoreOpt = DEFAULT_STORE,
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
) -> None:
    """Count what the graph holds: documents, entities, claims by modality, facts, triples.

    Example: kg stats --json
    """
    from .stats import graph_stats
    from .store import opened

    def go():
        with opened(store, read_only=True) as st:
            return graph_stats(st)

    counts = _run(go)
    if as_json:
        out.print_json(json.dumps(counts))
        return
    table = Table("what", "count", header_style="bold")
    table.add_row("documents", str(counts["documents"]))
    table.add_row("evidence sentences", str(counts["sentences"]))
    for group in ("entities", "claims", "facts"):
        for k, v in counts[group].items():
            table.add_row(f"{group[:-1] if group != 'entities' else 'entity'}: {k}", str(v))
    table.add_row("dated claims", str(counts["dated_claims"]))
    table.add_row("named graphs", str(counts["graphs"]))
    table.add_row("triples", str(counts["triples"]))
    out.print(table)


@app.command()
def serve(
    store: StoreOpt = DEFAULT_STORE,
    host: Annotated[str, typer.Option(help="Address to listen on; loopback unless you mean to share it.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 7878,
) -> None:
    """Serve the graph read-only over SPARQL with Oxigraph's query page; Ctrl-C stops it.

    Example: kg serve --port 7878, then open http://127.0.0.1:7878/ or query
    http://127.0.0.1:7878/query
    """
    from .serve import start_server, stop_server

    proc, url = _run(lambda: start_server(store, host, port))
    try:
        # inside the try: a Ctrl-C the moment the URL is out still stops the server cleanly
        out.print(f"SPARQL endpoint {url}/query (read-only); query page {url}/ ; Ctrl-C to stop")
        proc.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop_server(proc)
        out.print("stopped")


@app.command("queries")
def list_queries() -> None:
    """List the named queries in queries/ with what they answer.

    Example: kg queries
    """
    from .queries import library

    table = Table("name", "question", "parameters", header_style="bold")
    for q in library().values():
        table.add_row(q.name, q.description, ", ".join(q.params))
    out.print(table)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
