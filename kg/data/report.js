// kg report: draws the network, map, timeline and lists from the JSON in #kg-data.
// Plain DOM and SVG besides vis-network; no request leaves the page.
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("kg-data").textContent);
  const SVG = "http://www.w3.org/2000/svg";
  const KINDS = ["Person", "Organization", "Group", "Place", "Outlet"];
  const COLOUR = { Person: "#4e79a7", Organization: "#e15759", Group: "#f28e2b", Place: "#59a14f", Outlet: "#9c755f" };
  const REL = DATA.relations;
  const entity = new Map(DATA.entities.map((e) => [e.id, e]));
  DATA.claims.forEach((c, i) => { c.anchor = "claim-" + (i + 1); });
  const NODE_LIMIT = 400;
  let selected = null;
  const state = { relations: new Set(Object.keys(REL)), doc: "", minConfidence: 0.5, negated: false, isolated: false };

  // ------------------------------------------------------------ small helpers
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "onclick") node.addEventListener("click", v); else node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  const name = (id) => (entity.get(id) || { label: id.split("/").pop() }).label;
  function entityLink(id) {
    return el("a", { class: "entity-link", href: "#card", onclick: (ev) => { ev.preventDefault(); showCard(id); } }, name(id));
  }
  function summary(c) {
    if (!c.edges.length) return [entityLink(c.agent || ""), " (" + c.type.toLowerCase() + ", no other party named)"];
    const out = [];
    c.edges.forEach(([s, rel, o], i) => {
      if (i) out.push("; ");
      out.push(entityLink(s), " " + (c.modality === "negated" ? "did not " : "") + REL[rel] + " ", entityLink(o));
    });
    return out;
  }
  function badges(c) {
    return [c.modality !== "asserted" ? el("span", { class: "badge " + c.modality }, c.modality) : null,
            el("span", { class: "badge" }, "confidence " + c.confidence.toFixed(2))];
  }
  function claimMeta(c) {
    const doc = DATA.documents.find((d) => d.id === c.doc);
    return el("div", { class: "meta" },
      c.date ? "when: " + readable(c.date) + (c.dateText ? " (“" + c.dateText + "”)" : "") + " · " : "",
      c.speaker ? ["said by ", entityLink(c.speaker), c.speakerRole ? " (" + c.speakerRole + ")" : "", " · "] : "",
      "document " + c.doc + (doc && doc.title ? ": " + doc.title : "") + " · characters " + c.start + "–" + c.end);
  }
  function evidenceLink(c) {
    return el("a", { href: "#" + c.anchor, onclick: () => flash(c.anchor) }, "evidence");
  }
  function flash(anchor) {
    const item = document.getElementById(anchor);
    if (!item) return;
    item.classList.add("flash");
    setTimeout(() => item.classList.remove("flash"), 2500);
  }
  const visible = (c) => (!state.doc || c.doc === state.doc) && c.confidence >= state.minConfidence &&
    (state.negated || c.modality !== "negated");

  // ------------------------------------------------------------ header, filters, key
  const located = DATA.entities.filter((e) => e.geo).length;
  const places = DATA.entities.filter((e) => e.kind === "Place").length;
  document.getElementById("summary").textContent =
    `${DATA.documents.length} documents · ${DATA.entities.length} entities · ${DATA.claims.length} claims · ` +
    `${located} of ${places} places found in GeoNames · ${DATA.claims.filter((c) => c.date).length} dated claims`;
  const relBox = document.getElementById("relation-filter");
  for (const [rel, label] of Object.entries(REL)) {
    const box = el("input", { type: "checkbox", value: rel, checked: true });
    box.addEventListener("change", () => { box.checked ? state.relations.add(rel) : state.relations.delete(rel); refresh(); });
    relBox.append(el("label", {}, box, " " + label));
  }
  const docSelect = document.getElementById("doc-filter");
  for (const d of DATA.documents) docSelect.append(el("option", { value: d.id }, d.id + (d.title ? " — " + d.title.slice(0, 60) : "")));
  docSelect.addEventListener("change", () => { state.doc = docSelect.value; refresh(); });
  const conf = document.getElementById("confidence-filter");
  conf.addEventListener("input", () => { const v = parseFloat(conf.value); state.minConfidence = isNaN(v) ? 0 : v; refresh(); });
  document.getElementById("negated-filter").addEventListener("change", (ev) => { state.negated = ev.target.checked; refresh(); });
  document.getElementById("isolated-filter").addEventListener("change", (ev) => { state.isolated = ev.target.checked; refresh(); });
  const key = document.getElementById("legend");
  for (const k of KINDS) key.append(el("span", {}, el("span", { class: "swatch", style: "background:" + COLOUR[k] }), k));
  key.append(el("span", {}, "— asserted"), el("span", {}, "- - reported"));

  // ------------------------------------------------------------ entity card
  function showCard(id) {
    const e = entity.get(id);
    const card = document.getElementById("card");
    card.replaceChildren();
    if (!e) return;
    card.dataset.entity = id;
    if (selected !== id && network && !nodes.get(id)) { selected = id; refresh(); }
    selected = id;
    const about = DATA.claims.filter((c) => c.speaker === id || c.agent === id || c.edges.some(([s, , o]) => s === id || o === id));
    card.append(...el("div", {},
      el("h3", {}, e.label),
      el("span", { class: "kind", style: "background:" + COLOUR[e.kind] }, e.kind),
      e.aliases.length ? el("p", {}, "Also called: " + e.aliases.join(", ")) : null,
      el("p", { class: "meta" }, `${e.mentions} mentions in ${e.docs.length} document${e.docs.length === 1 ? "" : "s"}: ${e.docs.join(", ")}`),
      e.geo ? el("p", { class: "meta" }, `GeoNames: ${e.geo.feature} in ${e.geo.country}, ${e.geo.lat.toFixed(3)}, ${e.geo.long.toFixed(3)} · `,
        el("a", { href: e.geo.geonames, rel: "noreferrer" }, e.geo.geonames))
        : e.kind === "Place" ? el("p", { class: "meta" }, "Not found in GeoNames: not on the map.") : null,
      el("h4", {}, `Evidence (${about.length})`),
      about.length ? null : el("p", { class: "hint" }, "No claim names this entity; it is only mentioned."),
      about.map((c) => el("div", { class: "claim evidence-item" },
        el("div", { class: "what" }, summary(c), badges(c)),
        el("blockquote", {}, c.sentence), claimMeta(c), evidenceLink(c)))).childNodes);
    if (network && nodes.get(id)) network.selectNodes([id]);
  }

  // ------------------------------------------------------------ network
  const container = document.getElementById("network");
  let network = null;
  const nodes = new vis.DataSet();
  const edges = new vis.DataSet();
  function refresh() {
    const shown = DATA.claims.filter(visible);
    const byKey = new Map();
    for (const c of shown) {
      for (const [s, rel, o] of c.edges) {
        if (!state.relations.has(rel)) continue;
        const k = s + "|" + rel + "|" + o;
        if (!byKey.has(k)) byKey.set(k, { id: k, from: s, to: o, rel, claims: [] });
        byKey.get(k).claims.push(c);
      }
    }
    const wanted = new Set();
    const edgeList = [];
    for (const e of byKey.values()) {
      wanted.add(e.from); wanted.add(e.to);
      const asserted = e.claims.some((c) => c.modality === "asserted");
      const negatedOnly = e.claims.every((c) => c.modality === "negated");
      edgeList.push({ id: e.id, from: e.from, to: e.to, label: REL[e.rel], arrows: "to", dashes: negatedOnly ? [2, 4] : !asserted,
        color: { color: negatedOnly ? "#cf222e" : "#7a828c", highlight: "#0969da" }, font: { size: 12, align: "middle", color: "#444", strokeWidth: 3, strokeColor: "#ffffff" },
        title: e.claims.length + " claim" + (e.claims.length === 1 ? "" : "s") + ": " + e.claims.map((c) => c.modality).join(", ") });
    }
    if (state.isolated) {
      for (const e of DATA.entities) if (!state.doc || e.docs.includes(state.doc)) wanted.add(e.id);
    }
    // a force layout of thousands of nodes freezes the page and shows nothing readable: keep the
    // best-connected entities (and whoever's card is open, with their neighbours)
    let kept = [...wanted].filter((id) => entity.has(id));
    const note = document.getElementById("network-note");
    if (kept.length > NODE_LIMIT) {
      const degree = new Map();
      for (const e of edgeList) for (const id of [e.from, e.to]) degree.set(id, (degree.get(id) || 0) + 1);
      const rank = (id) => [-(degree.get(id) || 0), -entity.get(id).mentions, id];
      const cmp = (a, b) => { const x = rank(a), y = rank(b); return x[0] - y[0] || x[1] - y[1] || (x[2] < y[2] ? -1 : 1); };
      const keep = new Set(kept.sort(cmp).slice(0, NODE_LIMIT));
      if (selected) for (const e of edgeList) if (e.from === selected || e.to === selected) { keep.add(e.from); keep.add(e.to); }
      note.textContent = `Showing the ${keep.size} best-connected of ${kept.length} entities; pick a document, raise the confidence, ` +
        `untick relations or open an entity's card (from the lists) to see others.`;
      kept = [...keep];
      for (let i = edgeList.length - 1; i >= 0; i--) if (!keep.has(edgeList[i].from) || !keep.has(edgeList[i].to)) edgeList.splice(i, 1);
    } else {
      note.textContent = "";
    }
    const nodeList = kept.sort().map((id) => {
      const e = entity.get(id);
      return { id, label: e.label, title: e.kind + (e.aliases.length ? " · also " + e.aliases.join(", ") : ""), shape: "dot",
        value: e.mentions, color: { background: COLOUR[e.kind], border: "#ffffff", highlight: { background: COLOUR[e.kind], border: "#1f2328" } },
        font: { size: 16, strokeWidth: 3, strokeColor: "#ffffff" } };
    });
    nodes.clear(); edges.clear();
    nodes.add(nodeList); edges.add(edgeList);
    drawMap(shown);
    drawTimeline(shown);
    document.querySelectorAll("#evidence li").forEach((li) => li.classList.toggle("filtered-out", !visible(DATA.claims[+li.dataset.index])));
    if (network) network.stabilize(200);
  }

  // ------------------------------------------------------------ map
  const map = document.getElementById("map");
  const M = DATA.map || { bounds: null, towns: [], countries: [] };
  const W = 1000;
  let H = 600;
  let project = null;
  if (M.bounds) {
    const [south, north, west, east] = M.bounds;
    const stretch = Math.cos(((south + north) / 2) * Math.PI / 180);
    H = Math.round(W * (north - south) / ((east - west) * stretch));
    project = (lat, long) => [+((long - west) / (east - west) * W).toFixed(1), +((north - lat) / (north - south) * H).toFixed(1)];
  }
  let view = [0, 0, W, H];
  const setView = (v) => { view = v; map.setAttribute("viewBox", v.join(" ")); };
  setView(view);
  map.setAttribute("preserveAspectRatio", "xMidYMid meet");
  map.style.aspectRatio = W + " / " + H;
  function zoom(factor, cx, cy) {
    if (!factor) { setView([0, 0, W, H]); return; }
    const [x, y, w, h] = view;
    cx = cx === undefined ? x + w / 2 : cx; cy = cy === undefined ? y + h / 2 : cy;
    setView([cx - (cx - x) / factor, cy - (cy - y) / factor, w / factor, h / factor]);
  }
  document.querySelectorAll("#map-tools button").forEach((b) => b.addEventListener("click", () => zoom(parseFloat(b.dataset.zoom))));
  map.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    const r = map.getBoundingClientRect();
    const scale = Math.max(view[2] / r.width, view[3] / r.height);
    const cx = view[0] + (ev.clientX - r.left - (r.width - view[2] / scale) / 2) * scale;
    const cy = view[1] + (ev.clientY - r.top - (r.height - view[3] / scale) / 2) * scale;
    zoom(ev.deltaY < 0 ? 1.25 : 0.8, cx, cy);
  }, { passive: false });
  let drag = null;
  map.addEventListener("pointerdown", (ev) => { if (!ev.target.closest(".place")) drag = [ev.clientX, ev.clientY, view.slice()]; });
  window.addEventListener("pointerup", () => { drag = null; });
  map.addEventListener("pointermove", (ev) => {
    if (!drag) return;
    const r = map.getBoundingClientRect();
    const scale = Math.max(drag[2][2] / r.width, drag[2][3] / r.height);
    setView([drag[2][0] - (ev.clientX - drag[0]) * scale, drag[2][1] - (ev.clientY - drag[1]) * scale, drag[2][2], drag[2][3]]);
  });
  function drawBase() {
    if (!project) return svg("g", {});
    const g = svg("g", { class: "base" });
    const [south, north, west, east] = M.bounds;
    const step = Math.max(north - south, east - west) > 40 ? 10 : 5;
    for (let lat = Math.ceil(south / step) * step; lat <= north; lat += step) {
      const [, y] = project(lat, west);
      g.append(svg("line", { class: "grid", x1: 0, x2: W, y1: y, y2: y }), svg("text", { class: "grid-label", x: 4, y: y - 3 }, lat + "°"));
    }
    for (let long = Math.ceil(west / step) * step; long <= east; long += step) {
      const [x] = project(north, long);
      g.append(svg("line", { class: "grid", x1: x, x2: x, y1: 0, y2: H }), svg("text", { class: "grid-label", x: x + 3, y: H - 4 }, long + "°"));
    }
    for (const [lat, long] of M.towns) { const [x, y] = project(lat, long); g.append(svg("circle", { class: "town", cx: x, cy: y, r: 1.3 })); }
    const drawnAsPlace = new Set(DATA.entities.filter((e) => e.geo && e.geo.feature === "country").map((e) => e.geo.country));
    // most populous first; a name that would overlap one already placed is left out
    const taken = [];
    for (const c of M.countries) {
      if (drawnAsPlace.has(c.code)) continue;
      const [x, y] = project(c.lat, c.long);
      const half = c.name.length * 5.2, box = [x - half, y - 13, x + half, y + 3];
      if (taken.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3])) continue;
      taken.push(box);
      g.append(svg("text", { class: "country", x, y, "text-anchor": "middle" }, c.name));
    }
    return g;
  }
  const base = drawBase();
  const defs = svg("defs", {});
  const marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
  marker.append(svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "#c23b22" }));
  defs.append(marker);
  const flightLayer = svg("g", { id: "flights" });
  const placeLayer = svg("g", { id: "places" });
  map.append(defs, base, flightLayer, placeLayer);
  function drawMap(shown) {
    flightLayer.replaceChildren(); placeLayer.replaceChildren();
    if (!project) return;
    const placed = DATA.entities.filter((e) => e.geo && (!state.doc || e.docs.includes(state.doc)));
    let drawn = 0, halfOnMap = 0;
    for (const c of shown) {
      if (c.type !== "Flight" || !state.relations.has("fledFrom") && !state.relations.has("fledTo")) continue;
      const from = c.edges.find((e) => e[1] === "fledFrom"), to = c.edges.find((e) => e[1] === "fledTo");
      const a = from && entity.get(from[2]), b = to && entity.get(to[2]);
      if (!(a && a.geo && b && b.geo)) { if ((a && a.geo) || (b && b.geo)) halfOnMap++; continue; }
      const [x1, y1] = project(a.geo.lat, a.geo.long), [x2, y2] = project(b.geo.lat, b.geo.long);
      // bow each arrow a little so two flights between the same places stay apart
      const mx = (x1 + x2) / 2 - (y2 - y1) * 0.18, my = (y1 + y2) / 2 + (x2 - x1) * 0.18;
      const path = svg("path", { class: "flight " + c.modality, d: `M${x1},${y1} Q${mx},${my} ${x2},${y2}`, "marker-end": "url(#arrow)", "data-claim": c.anchor });
      path.append(svg("title", {}, `${name(c.edges[0][0])} fled from ${a.label} to ${b.label} (${c.modality}, document ${c.doc})`));
      flightLayer.append(path);
      drawn++;
    }
    for (const e of placed) {
      const [x, y] = project(e.geo.lat, e.geo.long);
      const g = svg("g", { class: "place" + (e.geo.feature === "country" ? " country-point" : ""), "data-id": e.id, tabindex: 0 });
      g.append(svg("circle", { cx: x, cy: y, r: e.geo.feature === "country" ? 11 : 4 + Math.min(8, Math.sqrt(e.mentions) * 1.5) }),
               svg("text", { x: x + 8, y: y - 6 }, e.label), svg("title", {}, `${e.label} (${e.geo.feature}, ${e.geo.country})`));
      g.addEventListener("click", () => showCard(e.id));
      placeLayer.append(g);
    }
    map.dataset.places = placed.length;
    map.dataset.flights = drawn;
    const missing = DATA.entities.filter((e) => e.kind === "Place" && !e.geo && (!state.doc || e.docs.includes(state.doc)));
    const note = document.getElementById("unlocated");
    note.replaceChildren();
    if (missing.length) {
      note.append(`Not found in GeoNames, so not on the map (${missing.length}): `);
      missing.forEach((e, i) => note.append(i ? ", " : "", entityLink(e.id)));
      note.append(". ");
    }
    if (halfOnMap) note.append(`${halfOnMap} flight${halfOnMap === 1 ? "" : "s"} with only one end on the map ${halfOnMap === 1 ? "is" : "are"} not drawn.`);
  }

  // ------------------------------------------------------------ timeline
  function dateKey(value) {
    // xsd:date, gYearMonth and gYear sort as text; a day or month without a year goes last
    return value.startsWith("--") ? "9999" + value.slice(1) : value;
  }
  function yearFraction(value) {
    const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(value);
    if (!m) return null;
    return +m[1] + ((m[2] ? +m[2] : 1) - 1) / 12 + ((m[3] ? +m[3] : 1) - 1) / 365;
  }
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  function readable(value) {
    // gMonth (--12) and gMonthDay (--12-05) name no year: say so rather than guess one
    const m = /^--(\d{2})(?:-(\d{2}))?$/.exec(value);
    if (!m) return value;
    return (m[2] ? +m[2] + " " : "") + MONTHS[+m[1] - 1] + ", year not stated";
  }
  function drawTimeline(shown) {
    const dated = shown.filter((c) => c.date).sort((a, b) => dateKey(a.date).localeCompare(dateKey(b.date)) || a.anchor.localeCompare(b.anchor));
    const list = document.getElementById("timeline");
    list.replaceChildren();
    for (const c of dated) {
      list.append(el("li", { "data-claim": c.anchor }, el("span", { class: "when" }, readable(c.date) + (c.dateText ? ` (“${c.dateText}”)` : "")),
        " ", el("span", { class: "badge" }, c.type), " ", summary(c), badges(c), " · ", evidenceLink(c)));
    }
    if (!dated.length) list.append(el("li", { class: "hint" }, "No dated claims pass the filters."));
    const axis = document.getElementById("timeline-axis");
    axis.replaceChildren();
    const years = dated.map((c) => yearFraction(c.date)).filter((y) => y !== null);
    axis.style.display = years.length ? "" : "none";
    if (!years.length) {
      if (dated.length) list.before(el("p", { class: "hint", id: "no-years" }, "No dated claim names its year, so there is no axis; they are listed in calendar order."));
      return;
    }
    document.getElementById("no-years")?.remove();
    const lo = Math.floor(Math.min(...years)), hi = Math.floor(Math.max(...years)) + 1;
    const width = axis.clientWidth || 1000;
    const x = (y) => 20 + (y - lo) / (hi - lo) * (width - 40);
    // events close in time stack upwards; the axis grows to hold the tallest stack (dots shrink past 12)
    const stack = new Map();
    const placed = [];
    for (const c of dated) {
      const y = yearFraction(c.date);
      if (y === null) continue;
      const slot = Math.round(x(y) / 8);
      const level = stack.get(slot) || 0;
      stack.set(slot, level + 1);
      placed.push([c, x(y), level]);
    }
    const tallest = Math.max(...stack.values());
    const r = tallest > 12 ? 3 : 5, step = 2 * r - 1;
    const base = 10 + tallest * step;
    const height = Math.min(base + 30, 400);
    axis.style.height = height + "px";
    axis.setAttribute("viewBox", `0 0 ${width} ${height}`);
    axis.append(svg("line", { class: "tick", x1: x(lo), x2: x(hi), y1: base + 6, y2: base + 6 }));
    for (let y = lo; y <= hi; y++) {
      axis.append(svg("line", { class: "tick", x1: x(y), x2: x(y), y1: base, y2: base + 12 }), svg("text", { x: x(y) - 14, y: base + 26 }, y));
    }
    for (const [c, cx, level] of placed) {
      const cy = base - level * step;
      if (cy < r) continue;  // past 400 px: the list below still has it
      const dot = svg("circle", { cx, cy, r, fill: { Flight: "#c23b22", Defection: "#8250df", Execution: "#1f2328" }[c.type] || "#0969da" });
      dot.append(svg("title", {}, `${c.date}: ${c.type} (${c.doc})`));
      dot.addEventListener("click", () => { location.hash = c.anchor; flash(c.anchor); });
      axis.append(dot);
    }
  }

  // ------------------------------------------------------------ lists: entities and evidence
  const tbody = document.querySelector("#entity-table tbody");
  for (const e of DATA.entities) {
    const row = el("tr", { "data-id": e.id },
      el("td", {}, el("span", { class: "swatch", style: "background:" + COLOUR[e.kind] }), e.label), el("td", {}, e.kind),
      el("td", {}, e.aliases.join(", ")), el("td", {}, e.mentions), el("td", {}, e.docs.length),
      el("td", {}, e.geo ? `${e.geo.lat.toFixed(2)}, ${e.geo.long.toFixed(2)} (${e.geo.country})` : e.kind === "Place" ? "not in GeoNames" : ""));
    row.addEventListener("click", () => { showCard(e.id); document.getElementById("card").scrollIntoView({ block: "nearest" }); });
    tbody.append(row);
  }
  const evidence = document.getElementById("evidence");
  DATA.claims.forEach((c, i) => {
    evidence.append(el("li", { id: c.anchor, "data-index": i, class: "evidence-item" },
      el("div", { class: "what" }, el("span", { class: "badge" }, c.type), " ", summary(c), badges(c)),
      el("blockquote", {}, c.sentence), claimMeta(c)));
  });

  // ------------------------------------------------------------ start
  network = new vis.Network(container, { nodes, edges }, {
    physics: { solver: "forceAtlas2Based", forceAtlas2Based: { gravitationalConstant: -60, springLength: 110 }, stabilization: { iterations: 400 } },
    interaction: { hover: true, tooltipDelay: 150 },
    edges: { smooth: { type: "dynamic" }, width: 1.4 },
    // node size grows with mentions, within bounds: one entity named 5,000 times must not cover the rest
    nodes: { scaling: { min: 8, max: 34, label: { enabled: false } } },
  });
  network.on("click", (p) => { if (p.nodes.length) showCard(p.nodes[0]); });
  network.once("stabilizationIterationsDone", () => { document.body.dataset.ready = "true"; });
  refresh();
  window.kgReport = { network, nodes, edges, showCard, state, refresh };
})();
