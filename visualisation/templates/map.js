// Die interaktive Kettenkarte (vis-network): Positionen kommen fertig aus Python, Physik
// ist aus. Sie startet, nachdem die Vorschau (preview.js) das erste Bild gezeichnet hat.
window.lotseInteractive = function () {
  "use strict";
  window.lotseStart = performance.now();  // vis-network parsed
  var D = window.lotseData;
  var FADE = 0.12;
  var nodes = new vis.DataSet(D.nodes);
  var edges = new vis.DataSet(D.edges);
  var container = document.getElementById("karte");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, {
    physics: false,
    layout: { improvedLayout: false, hierarchical: false },
    interaction: { hover: true, tooltipDelay: 80, dragNodes: false, multiselect: false },
    nodes: { shape: "box", margin: 8, widthConstraint: { maximum: 240 }, font: { size: 15 } },
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
  var meeting = D.meeting;
  var firstPaint = true;

  // Spalten (Lebensphasen) und Bahnen (Handlungsfelder) hinter die Karte zeichnen
  network.on("beforeDrawing", function (ctx) { window.lotseBackground(ctx, D, meeting); });
  network.on("afterDrawing", function () {
    if (firstPaint) {
      firstPaint = false;
      window.lotseInteractiveAt = performance.now();
      document.getElementById("vorschau").style.display = "none";
      document.body.setAttribute("data-bereit", "1");
    }
  });

  function adjacent(keep) {
    var out = {};
    D.edges.forEach(function (e) {
      if (keep[e.from] || keep[e.to]) { out[e.from] = true; out[e.to] = true; }
    });
    return out;
  }

  function apply() {
    var provider = document.getElementById("filter-traeger").value;
    var stage = document.getElementById("filter-phase").value;
    var onlyProblems = document.getElementById("nur-probleme").checked;
    var keep = {};
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
    var highlight = meeting || D.path.length > 0;
    nodes.update(D.nodes.map(function (n) {
      var strong = D.path.length ? n.onPath : n.problem;
      return { id: n.id, hidden: !keep[n.id], opacity: (highlight && !strong) ? FADE : 1,
               font: { size: meeting ? 22 : 15, color: n.fontColor } };
    }));
    edges.update(D.edges.map(function (e) {
      var visible = keep[e.from] && keep[e.to] && (!onlyProblems || e.broken);
      var strong = D.path.length ? e.onPath : e.broken;
      var colour = (highlight && !strong) ? "rgba(69,90,100," + FADE + ")" : e.baseColor;
      return { id: e.id, hidden: !visible, color: { color: colour, hover: colour, highlight: colour },
               width: e.baseWidth * (meeting && strong ? 1.6 : 1) };
    }));
    var c = window.lotseCounts();
    document.getElementById("zaehler").textContent =
      c.nodes + " von " + D.nodes.length + " Knoten, " + c.edges + " von " + D.edges.length + " Übergängen sichtbar";
  }

  ["filter-traeger", "filter-phase", "nur-probleme"].forEach(function (id) {
    document.getElementById(id).addEventListener("change", apply);
  });
  document.getElementById("besprechung").addEventListener("click", function () {
    meeting = !meeting;
    document.body.classList.toggle("besprechung", meeting);
    this.setAttribute("aria-pressed", meeting ? "true" : "false");
    apply();
    network.redraw();
  });
  if (meeting || D.path.length) apply();
  else document.getElementById("zaehler").textContent =
    D.nodes.length + " Knoten, " + D.edges.length + " Übergänge";
  network.fit({ animation: false });
};
