(function () {
  "use strict";
  // Every string from the results reaches the page through textContent, never as markup.
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var S = data.strings, R = data.records, COLS = data.columns;
  var NAME = 0, TEST = 1, FAMILY = 2, OP = 3, DTYPE = 4, COL = 5, OUTCOME = 6, DURATION = 7, MESSAGE = 8,
      HITS = 9, DETAIL = 10;
  var LABEL = { passed: "passed", failed: "failed", divergence: "known divergence", skipped: "skipped",
    unsupported: "unsupported",
                error: "error" };
  var SHOW = 300;

  function key(c, family, op, dtype) { return c + "\u0001" + family + "\u0001" + op + "\u0001" + dtype; }
  var cells = Object.create(null);
  for (var i = 0; i < R.length; i++) {
    var r = R[i], k = key(r[COL], S[r[FAMILY]], S[r[OP]], S[r[DTYPE]]);
    (cells[k] || (cells[k] = [])).push(i);
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function caseTable(indices) {
    var table = el("table", "list");
    var head = el("tr");
    ["outcome", "test case", "device", "time", "message"].forEach(function (h) { head.appendChild(el("th", null, h)); });
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var body = el("tbody");
    indices.slice(0, SHOW).forEach(function (j) {
      var r = R[j], tr = el("tr", "case");
      tr.setAttribute("data-i", j);
      var o = S[r[OUTCOME]];
      var td = el("td"); td.appendChild(el("span", "badge o-" + o, LABEL[o] || o)); tr.appendChild(td);
      var name = el("td"); name.appendChild(el("code", "case-name", r[NAME])); tr.appendChild(name);
      tr.appendChild(el("td", "column", COLS[r[COL]]));
      tr.appendChild(el("td", "num", r[DURATION].toFixed(2) + " s"));
      var msg = el("td", "msg", r[MESSAGE]);
      if (S[r[HITS]]) { msg.appendChild(el("div", null, "known divergence applied: " + S[r[HITS]])); }
      if (r[DETAIL]) {
        var a = el("a", "to-failure", "details");
        a.setAttribute("href", "#f-" + j);
        a.setAttribute("data-i", j);
        msg.appendChild(document.createTextNode(" "));
        msg.appendChild(a);
      }
      tr.appendChild(msg);
      body.appendChild(tr);
    });
    table.appendChild(body);
    var wrap = el("div");
    wrap.appendChild(table);
    if (indices.length > SHOW) {
      wrap.appendChild(el("p", "more", (indices.length - SHOW) + " more not shown: narrow the filter."));
    }
    return wrap;
  }

  function showCell(td) {
    var grid = td.closest(".grid");
    var c = Number(grid.getAttribute("data-c"));
    var family = td.closest("tbody").getAttribute("data-family");
    var op = td.parentNode.getAttribute("data-op");
    var dtype = td.getAttribute("data-d");
    var idx = cells[key(c, family, op, dtype)] || [];
    var box = grid.querySelector(".cases");
    box.textContent = "";
    var close = el("button", "close", "Close");
    close.type = "button";
    close.addEventListener("click", function () { box.hidden = true; td.classList.remove("selected"); });
    box.appendChild(close);
    box.appendChild(el("h4", "cell-title", op + " · " + dtype + " · " + COLS[c] + ": " + idx.length +
                       " test case" + (idx.length === 1 ? "" : "s")));
    box.appendChild(caseTable(idx));
    box.hidden = false;
    var prev = document.querySelectorAll("td.cell.selected");
    for (var p = 0; p < prev.length; p++) { prev[p].classList.remove("selected"); }
    td.classList.add("selected");
  }

  function openFailure(i) {
    var d = document.getElementById("f-" + i);
    if (d) { d.open = true; d.hidden = false; d.scrollIntoView({ block: "start" }); }
  }

  function selectText(node) {
    if (!node) { return; }
    var range = document.createRange();
    range.selectNodeContents(node);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  function copy(btn) {
    var target = document.getElementById(btn.getAttribute("data-copy"));
    var text = target ? target.textContent : "";
    function done(ok) {
      btn.textContent = ok ? "Copied" : "Selected: press Ctrl+C";
      window.setTimeout(function () { btn.textContent = "Copy"; }, 1500);
    }
    function fallback() {
      var ta = document.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.style.position = "fixed";
      ta.style.opacity = "0";
      document.body.appendChild(ta);
      ta.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(ta);
      if (!ok) { selectText(target); }
      done(ok);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else {
      fallback();
    }
  }

  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!(t instanceof Element)) { return; }
    var td = t.closest("td.cell");
    if (td && !td.classList.contains("s-na")) { showCell(td); return; }
    var btn = t.closest("button.copy");
    if (btn) { copy(btn); return; }
    var a = t.closest("a.to-failure");
    if (a) { ev.preventDefault(); openFailure(a.getAttribute("data-i")); }
  });
  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    if ((ev.key === "Enter" || ev.key === " ") && t instanceof Element && t.matches("td.cell") &&
        !t.classList.contains("s-na")) {
      ev.preventDefault();
      showCell(t);
    }
  });

  // ---- filter: space-separated terms, all must match; "field:value" looks in one field ------------------
  var FIELDS = {
    op: function (r) { return S[r[OP]]; },
    family: function (r) { return S[r[FAMILY]]; },
    dtype: function (r) { return S[r[DTYPE]]; },
    device: function (r) { return COLS[r[COL]]; },
    outcome: function (r) { var o = S[r[OUTCOME]]; return o + " " + (LABEL[o] || ""); },
    test: function (r) { return S[r[TEST]]; },
    name: function (r) { return r[NAME]; },
    message: function (r) { return r[MESSAGE]; },
    divergence: function (r) { return S[r[HITS]]; }
  };
  var ANY = ["name", "op", "family", "dtype", "device", "outcome", "message", "divergence"];

  function parse(q) {
    return q.toLowerCase().split(/\s+/).filter(Boolean).map(function (term) {
      var m = /^([a-z]+):(.*)$/.exec(term);
      if (m && FIELDS[m[1]]) { return { field: m[1], value: m[2] }; }
      return { field: null, value: term };
    });
  }

  function matches(r, terms) {
    for (var t = 0; t < terms.length; t++) {
      var term = terms[t], hit = false;
      var fields = term.field ? [term.field] : ANY;
      for (var f = 0; f < fields.length && !hit; f++) {
        hit = String(FIELDS[fields[f]](r) || "").toLowerCase().indexOf(term.value) >= 0;
      }
      if (!hit) { return false; }
    }
    return true;
  }

  function divergenceMatches(row, terms) {
    var own = { op: row.getAttribute("data-op"), family: row.getAttribute("data-family"),
                divergence: row.getAttribute("data-divergence") };
    for (var t = 0; t < terms.length; t++) {
      var term = terms[t];
      var text = term.field ? own[term.field] : row.textContent;
      if (text === undefined) { continue; }  // dtype, device, outcome: not properties of a divergence
      if (String(text || "").toLowerCase().indexOf(term.value) < 0) { return false; }
    }
    return true;
  }

  var input = document.getElementById("filter");
  var count = document.getElementById("filter-count");
  var matching = document.getElementById("matching");
  var matchingCases = document.getElementById("matching-cases");

  function applyFilter() {
    var terms = parse(input.value);
    var active = terms.length > 0;
    var ok = new Uint8Array(R.length), hits = [];
    for (var i = 0; i < R.length; i++) {
      if (!active || matches(R[i], terms)) { ok[i] = 1; hits.push(i); }
    }
    var grids = document.querySelectorAll(".grid");
    for (var g = 0; g < grids.length; g++) {
      var grid = grids[g], c = grid.getAttribute("data-c"), gridAny = false;
      var bodies = grid.querySelectorAll("tbody");
      for (var b = 0; b < bodies.length; b++) {
        var family = bodies[b].getAttribute("data-family"), famAny = false;
        var rows = bodies[b].querySelectorAll("tr[data-op]");
        for (var w = 0; w < rows.length; w++) {
          var op = rows[w].getAttribute("data-op"), rowAny = false;
          var tds = rows[w].querySelectorAll("td.cell");
          for (var x = 0; x < tds.length; x++) {
            var idx = cells[key(c, family, op, tds[x].getAttribute("data-d"))];
            var m = !!idx && (!active || idx.some(function (j) { return ok[j] === 1; }));
            tds[x].classList.toggle("dim", active && !m);
            rowAny = rowAny || m;
          }
          rows[w].hidden = active && !rowAny;
          famAny = famAny || rowAny;
        }
        bodies[b].hidden = active && !famAny;
        gridAny = gridAny || famAny;
      }
      grid.querySelector(".nomatch").hidden = !active || gridAny;
    }
    var tagged = document.querySelectorAll("[data-r]");
    for (var n = 0; n < tagged.length; n++) {
      tagged[n].hidden = active && ok[Number(tagged[n].getAttribute("data-r"))] !== 1;
    }
    var drows = document.querySelectorAll("tr[data-divergence]");
    for (var d = 0; d < drows.length; d++) {
      drows[d].hidden = active && !divergenceMatches(drows[d], terms);
    }
    matchingCases.textContent = "";
    if (active) {
      count.textContent = hits.length + " of " + R.length + " test cases match";
      matchingCases.appendChild(caseTable(hits));
      matching.hidden = false;
    } else {
      count.textContent = "";
      matching.hidden = true;
    }
  }

  var timer = null;
  input.addEventListener("input", function () {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(applyFilter, 120);
  });
  if (input.value) { applyFilter(); }
  if (window.location.hash.indexOf("#f-") === 0) { openFailure(window.location.hash.slice(3)); }
})();
