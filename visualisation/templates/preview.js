// Das erste Bild der Kettenkarte, sofort: dieselben Positionen, Farben und Linien wie die
// interaktive Karte, auf ein Canvas gezeichnet, noch bevor vis-network (470 KB) geladen ist.
// Danach lädt die Seite vis-network und tauscht die Vorschau gegen die interaktive Karte.
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("lotse-daten").textContent);
  window.lotseData = D;
  var FADE = 0.12, MAXW = 240, MARGIN = 8;

  // Spalten und Bahnen: von Vorschau und interaktiver Karte gemeinsam benutzt
  window.lotseBackground = function (ctx, data, meeting) {
    var top = data.lanes.length ? data.lanes[0].top : 0;
    var bottom = data.lanes.length ? data.lanes[data.lanes.length - 1].bottom : 100;
    var w = data.columnWidth;
    data.columns.forEach(function (c, k) {
      ctx.fillStyle = c.gap ? "rgba(198,40,40,0.07)" : (k % 2 ? "#FAFAFA" : "#F2F4F5");
      ctx.fillRect(c.x - w / 2, top - 60, w, bottom - top + 60);
      ctx.fillStyle = c.gap ? "#C62828" : "#37474F";
      ctx.font = "bold " + (meeting ? 26 : 20) + "px DejaVu Sans, Arial, sans-serif";
      ctx.textAlign = "center";
      ctx.fillText(c.short, c.x, top - 25);
    });
    data.lanes.forEach(function (l) {
      ctx.strokeStyle = "#CFD8DC";
      ctx.lineWidth = 1;
      ctx.setLineDash([]);
      ctx.beginPath(); ctx.moveTo(0, l.bottom); ctx.lineTo(data.columns.length * w, l.bottom);
      ctx.stroke();
      ctx.fillStyle = l.colour;
      ctx.fillRect(-14, l.top + 4, 8, l.bottom - l.top - 8);
      ctx.fillStyle = "#37474F";
      ctx.font = "italic " + (meeting ? 18 : 14) + "px DejaVu Sans, Arial, sans-serif";
      ctx.textAlign = "left";
      ctx.fillText(l.label, 4, l.top + (meeting ? 20 : 16));
    });
  };

  var canvas = document.getElementById("vorschau");
  var area = document.getElementById("kartenbereich");
  var cw = area.clientWidth, ch = area.clientHeight, ratio = window.devicePixelRatio || 1;
  canvas.width = cw * ratio; canvas.height = ch * ratio;
  var ctx = canvas.getContext("2d");
  var size = D.meeting ? 22 : 15, lineH = size * 1.25;

  function wrap(text) {  // like vis-network: lines split at \n, words wrapped at MAXW
    var out = [];
    text.split("\n").forEach(function (line) {
      var words = line.split(" "), cur = "";
      words.forEach(function (word) {
        var next = cur ? cur + " " + word : word;
        if (cur && ctx.measureText(next).width > MAXW - 2 * MARGIN) { out.push(cur); cur = word; }
        else cur = next;
      });
      out.push(cur);
    });
    return out;
  }

  ctx.font = size + "px DejaVu Sans, Arial, sans-serif";
  var boxes = {}, minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  D.nodes.forEach(function (n) {
    var lines = wrap(n.label);
    var width = Math.min(MAXW, Math.max.apply(null, lines.map(function (l) {
      return ctx.measureText(l).width; })) + 2 * MARGIN);
    if (n.kind === "gap") width = Math.max(width, 200);
    var height = lines.length * lineH + 2 * MARGIN;
    if (n.kind === "gap") height = Math.max(height, 90);
    boxes[n.id] = { n: n, lines: lines, w: width, h: height };
    minX = Math.min(minX, n.x - width / 2); maxX = Math.max(maxX, n.x + width / 2);
    minY = Math.min(minY, n.y - height / 2); maxY = Math.max(maxY, n.y + height / 2);
  });
  if (!D.nodes.length) { minX = 0; minY = 0; maxX = 100; maxY = 100; }
  var scale = Math.min(cw / (maxX - minX), ch / (maxY - minY)) * 0.96;
  var ox = cw / 2 - scale * (minX + maxX) / 2, oy = ch / 2 - scale * (minY + maxY) / 2;
  ctx.setTransform(ratio * scale, 0, 0, ratio * scale, ratio * ox, ratio * oy);
  window.lotseBackground(ctx, D, D.meeting);

  var highlight = D.meeting || D.path.length > 0;
  function strongNode(n) { return D.path.length ? n.onPath : n.problem; }
  function strongEdge(e) { return D.path.length ? e.onPath : e.broken; }

  function border(b, x0, y0, x1, y1) {  // where the line from the centre leaves the box
    var dx = x1 - x0, dy = y1 - y0;
    var t = Math.min(Math.abs(b.w / 2 / (dx || 1e-9)), Math.abs(b.h / 2 / (dy || 1e-9)), 1);
    return [x0 + dx * t, y0 + dy * t];
  }

  D.edges.forEach(function (e) {
    var a = boxes[e.from], b = boxes[e.to];
    if (!a || !b) return;
    var ax = a.n.x, ay = a.n.y, bx = b.n.x, by = b.n.y;
    var mx = (ax + bx) / 2 + (by - ay) * 0.12, my = (ay + by) / 2 - (bx - ax) * 0.12;
    var start = border(a, ax, ay, mx, my), end = border(b, bx, by, mx, my);
    ctx.globalAlpha = highlight && !strongEdge(e) ? FADE : 1;
    ctx.strokeStyle = ctx.fillStyle = e.baseColor;
    ctx.lineWidth = e.baseWidth;
    ctx.setLineDash(e.dashes ? [6, 5] : []);
    ctx.beginPath(); ctx.moveTo(start[0], start[1]);
    ctx.quadraticCurveTo(mx, my, end[0], end[1]); ctx.stroke();
    var ang = Math.atan2(end[1] - my, end[0] - mx), len = 9 + e.baseWidth * 1.5;
    ctx.setLineDash([]);
    ctx.beginPath(); ctx.moveTo(end[0], end[1]);
    ctx.lineTo(end[0] - len * Math.cos(ang - 0.4), end[1] - len * Math.sin(ang - 0.4));
    ctx.lineTo(end[0] - len * Math.cos(ang + 0.4), end[1] - len * Math.sin(ang + 0.4));
    ctx.closePath(); ctx.fill();
  });

  D.nodes.forEach(function (n) {
    var b = boxes[n.id], x = n.x - b.w / 2, y = n.y - b.h / 2;
    ctx.globalAlpha = highlight && !strongNode(n) ? FADE : 1;
    ctx.fillStyle = n.color.background;
    ctx.strokeStyle = n.color.border;
    ctx.lineWidth = n.borderWidth;
    ctx.setLineDash(n.shapeProperties ? n.shapeProperties.borderDashes : []);
    ctx.beginPath();
    if (ctx.roundRect) ctx.roundRect(x, y, b.w, b.h, 5); else ctx.rect(x, y, b.w, b.h);
    ctx.fill(); ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = n.fontColor;
    ctx.font = (n.kind === "gap" ? "bold " : "") + size + "px DejaVu Sans, Arial, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    b.lines.forEach(function (line, i) {
      ctx.fillText(line, n.x, y + MARGIN + lineH * (i + 0.5));
    });
  });
  ctx.globalAlpha = 1;
  window.lotsePreview = { nodes: D.nodes.length, edges: D.edges.length };

  // after the first frame is on screen: load vis-network and make the map interactive
  requestAnimationFrame(function () {
    setTimeout(function () {
      window.lotseFirstPaint = performance.now();
      var source = document.getElementById("vis-quelle");
      var script = document.createElement("script");
      script.text = source.textContent;
      document.body.appendChild(script);
      window.lotseInteractive();
    }, 0);
  });
})();
