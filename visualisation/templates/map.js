// Die interaktive Kettenkarte (vis-network): das Layout kommt aus lotseLayout (preview.js),
// Physik ist aus. Sie startet, nachdem die Vorschau das erste Bild gezeichnet hat.
// window.lotseMap.layout() nennt für Tests jeden Kasten und jede Bahnbeschriftung in
// CSS-Pixeln des Fensters.
window.lotseInteractive = function () {
  "use strict";
  window.lotseStart = performance.now();  // vis-network parsed
  var D = window.lotseData, P = D.palette;
  var FACE = "DejaVu Sans, Arial, sans-serif";
  var container = document.getElementById("karte");
  var area = document.getElementById("kartenbereich");
  var meeting = D.meeting;
  var showOwners = false;
  var BADGE_PX = 18;  // the owners' numbers at the lines: CSS px on screen, at every zoom
  var badges = [];  // as drawn: {id, number, l, t, r, b} in canvas units
  var L = window.lotseLaidOut;
  var keep = {};
  D.nodes.forEach(function (n) { keep[n.id] = true; });

  function nodeView(n) {
    var b = L.boxes[n.id];
    var look = window.lotseStrong(n, meeting) ? n.look : n.muted;
    return {
      id: n.id, label: b.lines.join("\n"), title: n.title, x: b.x, y: b.y, fixed: true,
      hidden: !keep[n.id], shape: "box", margin: L.margin,
      // vis-network adds the margin around the label: the constraints are the label's size.
      // The lines come wrapped (with hyphens); vis-network must not wrap them again.
      widthConstraint: { minimum: b.w - 2 * L.margin },
      heightConstraint: { minimum: b.h - 2 * L.margin, valign: "middle" },
      font: { size: L.size, face: FACE, color: look.font, multi: false },
      color: { background: look.background, border: look.border,
               highlight: { background: look.background, border: "#000000" },
               hover: { background: look.background, border: "#000000" } },
      borderWidth: n.borderWidth, shapeProperties: { borderDashes: n.dashes ? [6, 4] : false }
    };
  }

  function edgeView(e, onlyProblems) {
    var strong = window.lotseStrong(e, meeting);
    var colour = strong ? e.baseColor : P.mutedEdge;
    var visible = keep[e.from] && keep[e.to] && (!onlyProblems || e.broken);
    return {
      id: e.id, from: e.from, to: e.to, title: e.title, dashes: e.dashes, hidden: !visible,
      width: e.baseWidth * (meeting && strong ? 1.6 : 1),
      color: { color: colour, hover: colour, highlight: colour },
      // the owner is written in the list beside the map; at the line its number
      // (drawBadges), so nothing overlaps or runs out of the picture
      label: undefined
    };
  }

  function hits(a, b) {
    return Math.min(a.r, b.r) - Math.max(a.l, b.l) > 0 && Math.min(a.b, b.b) - Math.max(a.t, b.t) > 0;
  }

  // Each visible line gets its number in a white box: where along the line it lies
  // on no other number and, if it can, on no box of a service.
  function drawBadges(ctx) {
    badges = [];
    if (!showOwners) return;
    var scale = network.getScale(), size = BADGE_PX / scale, pad = 0.22 * size;
    ctx.save();
    ctx.font = "bold " + size + "px " + FACE;
    ctx.textAlign = "center"; ctx.textBaseline = "middle";
    var boxes = [];
    D.nodes.forEach(function (n) {
      if (!keep[n.id]) return;
      var b = network.body.nodes[n.id];
      boxes.push({ l: b.x - b.shape.width / 2, t: b.y - b.shape.height / 2,
                   r: b.x + b.shape.width / 2, b: b.y + b.shape.height / 2 });
    });
    var along = [0.5];  // from the middle outwards
    for (var d = 0.05; d < 0.45; d += 0.05) along.push(0.5 - d, 0.5 + d);
    D.edges.forEach(function (e) {
      var shown = edges.get(e.id);
      var body = network.body.edges[e.id];
      if (!shown || shown.hidden || !body || !body.edgeType) return;
      var text = String(e.number);
      var w = ctx.measureText(text).width + 2 * pad, h = size * 1.25;
      var best = null, fallback = null;
      for (var k = 0; k < along.length && !best; k++) {
        var p = body.edgeType.getPoint(along[k]);
        var cand = { l: p.x - w / 2, t: p.y - h / 2, r: p.x + w / 2, b: p.y + h / 2, x: p.x, y: p.y };
        if (badges.some(function (o) { return hits(o, cand); })) continue;
        if (!fallback) fallback = cand;
        if (!boxes.some(function (o) { return hits(o, cand); })) best = cand;
      }
      var at = best || fallback;
      if (!at) { var m = body.edgeType.getPoint(0.5);
                 at = { l: m.x - w / 2, t: m.y - h / 2, r: m.x + w / 2, b: m.y + h / 2, x: m.x, y: m.y }; }
      ctx.fillStyle = "#FFFFFF";
      ctx.strokeStyle = e.broken ? P.problem : P.ink;
      ctx.lineWidth = 2 / scale;
      ctx.fillRect(at.l, at.t, w, h);
      ctx.strokeRect(at.l, at.t, w, h);
      ctx.fillStyle = e.broken ? P.problem : P.ink;
      ctx.fillText(text, at.x, at.y + 0.05 * size);
      badges.push({ id: e.id, number: e.number, l: at.l, t: at.t, r: at.r, b: at.b,
                    fontSize: size });
    });
    ctx.restore();
  }

  var nodes = new vis.DataSet(D.nodes.map(nodeView));
  var edges = new vis.DataSet(D.edges.map(function (e) { return edgeView(e, false); }));
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, {
    physics: false, autoResize: true,
    layout: { improvedLayout: false, hierarchical: false },
    interaction: { hover: true, tooltipDelay: 80, dragNodes: false, multiselect: false,
                   zoomView: true, dragView: true },
    nodes: { shape: "box" },
    edges: { arrows: { to: { enabled: true, scaleFactor: 0.7 } },
             smooth: { enabled: true, type: "curvedCW", roundness: 0.12 } }
  });
  window.lotseNetwork = network;
  window.lotseCounts = function () {
    return { nodes: nodes.get({ filter: function (n) { return !n.hidden; } }).length,
             edges: edges.get({ filter: function (e) { return !e.hidden; } }).length,
             drawnNodes: network.body.nodeIndices.length,
             drawnEdges: network.body.edgeIndices.length };
  };
  var firstPaint = true;

  network.on("beforeDrawing", function (ctx) { window.lotseBackground(ctx, D, L); });
  network.on("afterDrawing", function (ctx) {
    drawBadges(ctx);
    if (firstPaint) {
      firstPaint = false;
      window.lotseInteractiveAt = performance.now();
      document.getElementById("vorschau").style.display = "none";
      document.body.setAttribute("data-bereit", "1");
    }
  });

  function view() {  // the whole map in the area: columns, lane labels and all boxes
    network.moveTo({ position: { x: L.view.w / 2, y: L.view.h / (2 * L.scale) },
                     scale: L.scale, animation: false });
  }

  function relayout() {  // after a change of size or mode: lay out anew, then draw
    network.setSize("100%", "100%");
    L = window.lotseLayout(D, area.clientWidth, area.clientHeight, meeting);
    window.lotseLaidOut = L;
    apply();
    view();
  }

  function adjacent(chosen) {
    var out = {};
    D.edges.forEach(function (e) {
      if (chosen[e.from] || chosen[e.to]) { out[e.from] = true; out[e.to] = true; }
    });
    return out;
  }

  function apply() {
    var provider = document.getElementById("filter-traeger").value;
    var stage = document.getElementById("filter-phase").value;
    var onlyProblems = document.getElementById("nur-probleme").checked;
    keep = {};
    D.nodes.forEach(function (n) {
      var ok = true;
      if (provider && n.provider !== provider) ok = false;
      if (stage && n.stages.indexOf(stage) < 0) ok = false;
      keep[n.id] = ok;
    });
    if (provider) {  // die Übergänge des Trägers mit ihren Partnern zeigen
      var near = adjacent(keep);
      Object.keys(near).forEach(function (id) { keep[id] = true; });
    }
    if (onlyProblems) {
      var brokenEnds = {};
      D.edges.forEach(function (e) { if (e.broken) { brokenEnds[e.from] = true; brokenEnds[e.to] = true; } });
      D.nodes.forEach(function (n) { if (!n.problem && !brokenEnds[n.id]) keep[n.id] = false; });
    }
    nodes.update(D.nodes.map(nodeView));
    edges.update(D.edges.map(function (e) { return edgeView(e, onlyProblems); }));
    var c = window.lotseCounts();
    document.getElementById("zaehler").textContent =
      c.nodes + " von " + D.nodes.length + " Knoten, " + c.edges + " von " + D.edges.length + " Übergängen sichtbar";
  }

  function toDom(x, y, origin) {
    var p = network.canvasToDOM({ x: x, y: y });
    return { x: p.x + origin.left, y: p.y + origin.top };
  }

  function box(x0, y0, x1, y1, origin) {
    var a = toDom(x0, y0, origin), b = toDom(x1, y1, origin);
    return { left: a.x, top: a.y, right: b.x, bottom: b.y };
  }

  window.lotseMap = {
    // Every node's box, its lines and font size, every lane label's box, in CSS px.
    layout: function () {
      var origin = container.getBoundingClientRect();
      var scale = network.getScale();
      var out = { viewport: { width: window.innerWidth, height: window.innerHeight },
                  scale: scale, namesOnly: L.namesOnly, nodes: [], lanes: [], columns: [],
                  owners: [] };
      badges.forEach(function (o) {
        var b = box(o.l, o.t, o.r, o.b, origin);
        b.id = o.id; b.number = o.number; b.fontSize = o.fontSize * scale;
        out.owners.push(b);
      });
      var list = document.getElementById("verantwortliche-liste");
      out.ownerList = list ? { visible: list.offsetParent !== null,
        fontSize: parseFloat(getComputedStyle(list.querySelector("li") || list).fontSize),
        items: list.querySelectorAll("li").length } : null;
      D.nodes.forEach(function (n) {
        var body = network.body.nodes[n.id];
        // the box as drawn: its shape around the centre, with half the border line
        var half = (body.options.borderWidth || 1) / 2;
        var hw = body.shape.width / 2 + half, hh = body.shape.height / 2 + half;
        var b = box(body.x - hw, body.y - hh, body.x + hw, body.y + hh, origin);
        b.id = n.id; b.hidden = !keep[n.id]; b.muted = !window.lotseStrong(n, meeting);
        b.fontSize = body.options.font.size * scale;
        b.lines = body.labelModule.lines.map(function (line) {
          return line.blocks.map(function (block) { return block.text; }).join("");
        });
        b.text = n.name + "\n" + (n.sub || "") + "\n" + (n.status || "");
        out.nodes.push(b);
      });
      L.lanes.forEach(function (l, i) {
        var widest = Math.max.apply(null, l.label.map(function (t) {
          var ctx = document.createElement("canvas").getContext("2d");
          ctx.font = l.font + "px " + FACE;
          return ctx.measureText(t).width;
        }));
        var top = l.top + l.pad;
        var b = box(14, top, 14 + widest, top + l.label.length * l.lineH, origin);
        b.label = D.lanes[i].label; b.lines = l.label; b.fontSize = l.font * scale;
        out.lanes.push(b);
      });
      D.columns.forEach(function (c, k) {
        var left = L.gutter + k * L.colW;
        var b = box(left, 0, left + L.colW, L.headH, origin);
        b.label = c.short; b.fontSize = L.headFonts[k] * scale;
        var ctx = document.createElement("canvas").getContext("2d");
        ctx.font = "bold " + L.headFonts[k] + "px " + FACE;
        b.textWidth = ctx.measureText(c.short).width * scale;
        out.columns.push(b);
      });
      return out;
    },
    relayout: relayout
  };

  ["filter-traeger", "filter-phase", "nur-probleme"].forEach(function (id) {
    document.getElementById(id).addEventListener("change", apply);
  });
  document.getElementById("besprechung").addEventListener("click", function () {
    meeting = !meeting;
    document.body.classList.toggle("besprechung", meeting);
    this.setAttribute("aria-pressed", meeting ? "true" : "false");
    relayout();
  });
  var owners = document.getElementById("verantwortliche");
  var ownersButton = document.getElementById("verantwortliche-zeigen");
  function setOwners(on) {  // the numbers at the lines and the list beside the map
    showOwners = on;
    if (owners) owners.checked = on;
    if (ownersButton) ownersButton.setAttribute("aria-pressed", on ? "true" : "false");
    document.body.classList.toggle("mit-verantwortlichen", on);
    relayout();
  }
  if (owners) owners.addEventListener("change", function () { setOwners(owners.checked); });
  if (ownersButton) ownersButton.addEventListener("click", function () { setOwners(!showOwners); });
  var panel = document.getElementById("befunde-zeigen");
  if (panel) panel.addEventListener("click", function () {
    var open = document.body.classList.toggle("mit-befunden");
    this.setAttribute("aria-pressed", open ? "true" : "false");
    relayout();
  });
  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(relayout, 60);
  });
  if (meeting || D.path.length) apply();
  else document.getElementById("zaehler").textContent =
    D.nodes.length + " Knoten, " + D.edges.length + " Übergänge";
  view();
  network.redraw();  // draw now: the first picture must not wait for a timer of vis-network
};
