// Das erste Bild der Kettenkarte, sofort – und das Layout für die Wand.
//
// lotseLayout() legt die Karte in die Fläche des Kartenbereichs: links eine Randspalte mit
// den Bahnen (Handlungsfelder), rechts daneben die Lebensphasen als gleich breite Spalten.
// Ein Angebot überspannt die Spalten seiner Lebensphasen; die Zeilen einer Bahn wachsen mit
// dem längsten Kasten, so dass sich Kästen nie überlappen. Die Schrift wird so groß wie
// möglich gewählt, bei der alles in die Fläche passt; Wörter brechen nur an den weichen
// Trennstellen aus Python (deutsche Silbentrennung) und dann immer mit Bindestrich.
//
// Danach zeichnet die Vorschau dieses Layout auf ein Canvas, noch bevor vis-network (470 KB)
// geladen ist; map.js übergibt dasselbe Layout an vis-network.
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("lotse-daten").textContent);
  window.lotseData = D;
  var FACE = "DejaVu Sans, Arial, sans-serif", REF = 100, SHY = "\u00AD";
  var P = D.palette;
  var measureCtx = document.createElement("canvas").getContext("2d");
  var widths = {};

  // Text widths: while the font size is searched, measured once at 100 px and scaled (fast,
  // a little generous); the final layout measures at the real size, as vis-network does.
  var exact = false;
  function textWidth(text, size, bold) {
    var key = (bold ? "b" : "n") + (exact ? size + "|" : "") + text;
    var w = widths[key];
    if (w === undefined) {
      measureCtx.font = (bold ? "bold " : "") + (exact ? size : REF) + "px " + FACE;
      w = widths[key] = measureCtx.measureText(text).width;
    }
    return exact ? w * 1.005 : w * size / REF * 1.04;
  }

  // Break points of a word: after a soft hyphen (shown as "-") or after a real hyphen.
  function pieces(word) {
    var out = [], cur = "";
    for (var i = 0; i < word.length; i++) {
      var ch = word[i];
      if (ch === SHY) { out.push({ text: cur, hyphen: "-" }); cur = ""; }
      else if (ch === "-" && cur && i < word.length - 1) { out.push({ text: cur + "-", hyphen: "" }); cur = ""; }
      else cur += ch;
    }
    out.push({ text: cur, hyphen: "" });
    return out;
  }

  function breakWord(word, maxW, size, bold) {  // a word too long for one line
    var parts = pieces(word), lines = [], k = 0;
    while (k < parts.length) {
      var line = "", j = k;
      while (j < parts.length) {
        var next = line + parts[j].text;
        var shown = next + (j < parts.length - 1 ? parts[j].hyphen : "");
        if (line && textWidth(shown, size, bold) > maxW) break;
        line = next; j++;
      }
      var rest = j < parts.length;
      var text = line + (rest ? parts[j - 1].hyphen : "");
      if (textWidth(text, size, bold) > maxW) {  // not even one syllable fits: by letters
        var chars = "";
        for (var c = 0; c < text.length; c++) {
          if (chars && textWidth(chars + text[c] + "-", size, bold) > maxW) {
            lines.push(chars + "-"); chars = "";
          }
          chars += text[c];
        }
        text = chars;
      }
      if (rest) lines.push(text); else return { lines: lines, last: text };
      k = j;
    }
    return { lines: lines, last: "" };
  }

  function wrap(paragraphs, maxW, size, bold) {
    var out = [];
    paragraphs.forEach(function (para) {
      if (!para) return;
      // a line's width is the sum of its words' and spaces' widths: each word is measured
      // once (per size), not every candidate line
      var cur = "", curW = 0, space = textWidth(" ", size, bold);
      para.split(" ").forEach(function (word) {
        var clean = word.split(SHY).join("");
        var w = textWidth(clean, size, bold);
        if (cur && curW + space + w <= maxW) { cur += " " + clean; curW += space + w; return; }
        if (cur) out.push(cur);
        if (w <= maxW) { cur = clean; curW = w; return; }
        var broken = breakWord(word, maxW, size, bold);
        out.push.apply(out, broken.lines);
        cur = broken.last;
        curW = textWidth(cur, size, bold);
      });
      if (cur) out.push(cur);
    });
    return out.length ? out : [""];
  }

  var namesOnly = false;  // the provider line left out (it stays in the tooltip)
  function paragraphs(n, meeting) {
    var out = [n.name];
    if (n.sub && !meeting && !namesOnly) out.push(n.sub);
    if (n.status) out.push(n.status);
    return out;
  }

  // The whole layout for a drawing area of w × h CSS pixels at a font size. Each box goes
  // as high as its columns allow (below the boxes placed before it in its lane), so boxes
  // never overlap and no row wastes space. In meeting mode the lanes merge into one band
  // (the field shows as the fill colour, explained in the one-line legend) so that the
  // chain gets the whole width and height.
  function attempt(data, w, h, size, meeting) {
    var ncols = Math.max(data.columns.length, data.nodes.reduce(function (m, n) {
      return Math.max(m, n.col1 + 1); }, 0), 1);
    var laneFont = Math.max(14, size), laneLine = laneFont * 1.2;
    var gutter = meeting ? 0 : Math.min(w * 0.16, laneFont * 7.5 + 16);
    var colW = (w - gutter) / ncols;
    var padX = Math.max(5, size * 0.3), padY = Math.max(4, size * 0.3), margin = Math.max(3, size * 0.3);
    var lineH = size * 1.12, headFont = size * 1.1;
    var headH = data.columns.length ? headFont * 1.6 : padY;
    // a column head wider than its column („Schuleintritt“ at 1280 px) gets a smaller font
    var headFonts = data.columns.map(function (c) {
      var room = colW - 8, wide = textWidth(c.short, headFont, true);
      return wide > room ? headFont * room / wide : headFont;
    });
    var bands = meeting ? [{ label: "", colour: "" }] : data.lanes;
    var members = bands.map(function () { return []; });
    var boxes = {};
    data.nodes.forEach(function (n) {
      var bw = (n.col1 - n.col0 + 1) * colW - 2 * padX;
      var lines = wrap(paragraphs(n, meeting), bw - 2 * margin, size, false);
      boxes[n.id] = { w: bw, h: lines.length * lineH + 2 * margin, lines: lines };
      members[meeting ? 0 : n.lane].push(n);
    });
    var lanes = [], y = headH;
    bands.forEach(function (l, i) {
      var labelLines = l.label ? wrap([l.label], gutter - 16, laneFont, false) : [];
      var floor = [];
      for (var c = 0; c < ncols; c++) floor.push(y + padY);
      members[i].sort(meeting ? function (a, b) {  // wide boxes first, the narrow fill below
        return ((b.col1 - b.col0) - (a.col1 - a.col0)) || (a.col0 - b.col0) || (a.lane - b.lane);
      } : function (a, b) {
        return (a.row - b.row) || (a.col0 - b.col0); });
      var bottom = y + padY;
      members[i].forEach(function (n) {
        var b = boxes[n.id], top = 0, k;
        for (k = n.col0; k <= n.col1; k++) top = Math.max(top, floor[k]);
        for (k = n.col0; k <= n.col1; k++) floor[k] = top + b.h + padY;
        b.x = gutter + (n.col0 + n.col1 + 1) / 2 * colW;
        b.y = top + b.h / 2;
        bottom = Math.max(bottom, top + b.h + padY);
      });
      var height = Math.max(bottom - y, labelLines.length * laneLine + 2 * padY);
      if (!meeting) lanes.push({ top: y, bottom: y + height, label: labelLines, colour: l.colour,
                                 font: laneFont, lineH: laneLine, pad: padY });
      y += height;
    });
    return { size: size, width: w, height: y, view: { w: w, h: h }, gutter: gutter, colW: colW,
             ncols: ncols, headH: headH, headFont: headFont, headFonts: headFonts,
             lineH: lineH, margin: margin,
             lanes: lanes, boxes: boxes, meeting: meeting };
  }

  // The largest font at which the map fits into w × h; below the smallest, it is zoomed out.
  function bounds(meeting) { return meeting ? [12, 30] : [9, 18]; }

  // The largest size whose estimate fits, by halving the interval (fast: scaled widths).
  function estimate(data, w, h, meeting) {
    var low = bounds(meeting)[0], high = bounds(meeting)[1];
    exact = false;
    while (low < high) {
      var mid = Math.ceil((low + high) / 2);
      if (attempt(data, w, h, mid, meeting).height <= h) low = mid; else high = mid - 1;
    }
    return low;
  }

  // From the estimate to the exact layout: measured at the real size, as vis-network does;
  // a size smaller if it no longer fits, a size larger if the estimate was cautious.
  function settle(data, w, h, meeting, size) {
    var smallest = bounds(meeting)[0], biggest = bounds(meeting)[1];
    exact = true;
    var best = attempt(data, w, h, size, meeting);
    while (size > smallest && best.height > h) best = attempt(data, w, h, --size, meeting);
    while (size < biggest && best.height <= h) {
      var larger = attempt(data, w, h, size + 1, meeting);
      if (larger.height > h) break;
      best = larger; size++;
    }
    exact = false;
    return best;
  }

  // The layout for w × h at the largest font that fits (below the smallest it is zoomed
  // out): with the providers' names in the boxes, unless leaving them out (they stay in
  // the tooltip) makes the text of a crowded map larger.
  window.lotseLayout = function (data, w, h, meeting) {
    namesOnly = false;
    var size = estimate(data, w, h, meeting);
    var compact = false;
    if (!meeting && size < 14) {
      namesOnly = true;
      var smaller = estimate(data, w, h, meeting);
      compact = smaller > size;
      if (compact) size = smaller; else namesOnly = false;
    }
    var best = settle(data, w, h, meeting, size);
    namesOnly = false;
    best.namesOnly = meeting || compact;
    best.scale = Math.min(1, h / best.height);
    best.offsetX = (w - w * best.scale) / 2;
    return best;
  };

  // Spalten (Lebensphasen) und Bahnen (Handlungsfelder) hinter die Karte zeichnen
  window.lotseBackground = function (ctx, data, L) {
    var bottom = L.height;
    ctx.save();
    ctx.textBaseline = "middle";
    data.columns.forEach(function (c, k) {
      var left = L.gutter + k * L.colW;
      ctx.fillStyle = c.gap ? P.gapColumn : P.columns[k % 2];
      ctx.fillRect(left, 0, L.colW, bottom);
      ctx.fillStyle = c.gap ? P.problem : P.backgroundInk;
      ctx.font = "bold " + L.headFonts[k] + "px " + FACE;
      ctx.textAlign = "center";
      ctx.fillText(c.short, left + L.colW / 2, L.headH / 2);
    });
    L.lanes.forEach(function (l) {
      ctx.strokeStyle = "#CFD8DC";
      ctx.lineWidth = 1;
      ctx.setLineDash([]);
      ctx.beginPath(); ctx.moveTo(0, l.bottom); ctx.lineTo(L.width, l.bottom); ctx.stroke();
      ctx.fillStyle = l.colour;
      ctx.fillRect(2, l.top + 4, 6, l.bottom - l.top - 8);
      ctx.fillStyle = P.backgroundInk;
      ctx.font = l.font + "px " + FACE;
      ctx.textAlign = "left";
      l.label.forEach(function (line, i) {
        ctx.fillText(line, 14, l.top + l.pad + l.lineH * (i + 0.5));
      });
    });
    ctx.restore();
  };

  // Stark (im Fokus) oder gedämpft – gedämpft bleibt lesbar (Kontrast ≥ 4,5:1).
  window.lotseStrong = function (item, meeting) {
    var highlight = meeting || D.path.length > 0;
    if (!highlight) return true;
    return D.path.length ? item.onPath : (item.problem || item.broken);
  };

  var canvas = document.getElementById("vorschau");
  var area = document.getElementById("kartenbereich");
  var cw = area.clientWidth, ch = area.clientHeight, ratio = window.devicePixelRatio || 1;
  canvas.width = cw * ratio; canvas.height = ch * ratio;
  var ctx = canvas.getContext("2d");
  var L = window.lotseLayout(D, cw, ch, D.meeting);
  window.lotseLaidOut = L;
  ctx.setTransform(ratio * L.scale, 0, 0, ratio * L.scale, ratio * L.offsetX, 0);
  window.lotseBackground(ctx, D, L);

  function border(b, x1, y1) {  // where the line from the centre leaves the box
    var dx = x1 - b.x, dy = y1 - b.y;
    var t = Math.min(Math.abs(b.w / 2 / (dx || 1e-9)), Math.abs(b.h / 2 / (dy || 1e-9)), 1);
    return [b.x + dx * t, b.y + dy * t];
  }

  D.edges.forEach(function (e) {
    var a = L.boxes[e.from], b = L.boxes[e.to];
    if (!a || !b) return;
    var mx = (a.x + b.x) / 2 + (b.y - a.y) * 0.12, my = (a.y + b.y) / 2 - (b.x - a.x) * 0.12;
    var start = border(a, mx, my), end = border(b, mx, my);
    var strong = window.lotseStrong(e, D.meeting);
    ctx.strokeStyle = ctx.fillStyle = strong ? e.baseColor : P.mutedEdge;
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
    var b = L.boxes[n.id], x = b.x - b.w / 2, y = b.y - b.h / 2;
    var look = window.lotseStrong(n, D.meeting) ? n.look : n.muted;
    ctx.fillStyle = look.background;
    ctx.strokeStyle = look.border;
    ctx.lineWidth = n.borderWidth;
    ctx.setLineDash(n.dashes ? [6, 4] : []);
    ctx.beginPath();
    if (ctx.roundRect) ctx.roundRect(x, y, b.w, b.h, 5); else ctx.rect(x, y, b.w, b.h);
    ctx.fill(); ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = look.font;
    ctx.font = L.size + "px " + FACE;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    b.lines.forEach(function (line, i) {
      ctx.fillText(line, b.x, y + L.margin + L.lineH * (i + 0.5));
    });
  });
  window.lotsePreview = { nodes: D.nodes.length, edges: D.edges.length };

  // after the first frame is on screen: load vis-network and make the map interactive
  requestAnimationFrame(function () {
    setTimeout(function () {
      window.lotseFirstPaint = performance.now();
      // the browser may paint before it has parsed the rest of the page (the large
      // vis-network source comes last): load it once it is there
      var interactive = function () {
        var source = document.getElementById("vis-quelle");
        var script = document.createElement("script");
        script.text = source.textContent;
        document.body.appendChild(script);
        window.lotseInteractive();
      };
      if (document.getElementById("vis-quelle")) interactive();
      else document.addEventListener("DOMContentLoaded", interactive);
    }, 0);
  });
})();
