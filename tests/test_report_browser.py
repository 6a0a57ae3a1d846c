"""The report in a real headless Chromium with the network off: it draws, and a click shows evidence.

Needs Debian's chromium (`make test` installs it) and the Playwright package (a test extra).
Outside CI a machine without them skips this test; in CI (CI=true) their absence fails it.
"""

import os
import shutil

import pytest

from kg.report import write_report
from kg.store import opened

from .test_report import page_data

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# what this machine's closed network needs: no background fetches, no QUIC probes, no sandbox as root
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def _need(what: str):
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing; `make test` installs it")
    pytest.skip(f"{what} is not installed (make test installs it)")


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need("the playwright package")
    if CHROMIUM is None:
        _need("Debian's chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def test_report_renders_offline_and_a_click_shows_evidence(browser, seed_store, tmp_path):
    out = tmp_path / "report.html"
    with opened(seed_store, read_only=True) as store:
        write_report(store, out)
    data = page_data(out)

    context = browser.new_context(offline=True, viewport={"width": 1400, "height": 1000})
    fetched: list[str] = []

    def only_the_file(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            fetched.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_file)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(out.as_uri())
    page.wait_for_selector("body[data-ready=true]", timeout=60_000)

    # the network drew its nodes on the canvas
    assert page.evaluate("kgReport.nodes.length") > 10
    inked = page.evaluate("""() => {
        const c = document.querySelector('#network canvas');
        const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
        return n; }""")
    assert inked > 2000

    # the map placed every located place and drew the flights between located places
    located = [e for e in data["entities"] if "geo" in e]
    assert page.locator("#map .place").count() == len(located)
    assert page.locator("#map .flight").count() >= 1
    assert page.locator("#map .town").count() > 100
    assert "Anbar province" in page.locator("#unlocated").inner_text()

    # the timeline lists the dated claims the default filters let through
    dated = [c for c in data["claims"] if c["date"] and c["confidence"] >= 0.5 and c["modality"] != "negated"]
    assert page.locator("#timeline li").count() == len(dated)

    # click Mosul in the network: its card opens with the sentences that name it
    mosul = next(e for e in data["entities"] if e["label"] == "Mosul")
    x, y = page.evaluate("""(id) => {
        const net = kgReport.network;
        net.focus(id, { scale: 1.5 });
        const dom = net.canvasToDOM(net.getPositions([id])[id]);
        const box = document.querySelector('#network canvas').getBoundingClientRect();
        return [box.left + dom.x, box.top + dom.y]; }""", mosul["id"])
    page.mouse.click(x, y)
    page.wait_for_selector("#card h3")
    assert page.locator("#card h3").inner_text() == "Mosul"
    quotes = page.locator("#card .evidence-item blockquote").all_inner_texts()
    expected = {c["sentence"] for c in data["claims"] if any(mosul["id"] in (s, o) for s, _, o in c["edges"])}
    assert quotes and set(quotes) == expected

    # the timeline links each dated claim to its evidence sentence
    if dated:
        page.locator("#timeline li a", has_text="evidence").first.click()
        target = page.locator("#evidence li:target blockquote").inner_text()
        assert target in {c["sentence"] for c in dated}

    # filters: a relation unticked leaves the network; one document keeps only its own claims' edges
    labels = lambda: set(page.evaluate("kgReport.edges.get().map(e => e.label)"))  # noqa: E731
    assert "fled from" in labels()
    page.locator("#relation-filter input[value=fledFrom]").uncheck()
    assert "fled from" not in labels() and "member of" in labels()
    page.locator("#relation-filter input[value=fledFrom]").check()
    doc = max(data["documents"], key=lambda d: sum(c["doc"] == d["id"] for c in data["claims"]))["id"]
    page.select_option("#doc-filter", doc)
    allowed = {f"{s}|{rel}|{o}" for c in data["claims"] if c["doc"] == doc for s, rel, o in c["edges"]}
    shown = set(page.evaluate("kgReport.edges.getIds()"))
    assert shown and shown <= allowed
    page.select_option("#doc-filter", "")

    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000
    assert errors == [] and fetched == []
    context.close()
