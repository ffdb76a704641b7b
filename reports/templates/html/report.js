/* auditor HTML report: draws the findings, tools, departments and duplicates tables from the embedded
   JSON (paginated, so large landscapes stay responsive) and the tool panel. Data only ever reaches
   the page as text nodes (textContent), never as markup. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("audit-data").textContent);
  var UI = DATA.ui || {};
  var PAGE = 50;
  var TABLES = [];

  function T(msgid, params) {
    var text = Object.prototype.hasOwnProperty.call(UI, msgid) ? UI[msgid] : msgid;
    return text.replace(/\{(\w+)\}/g, function (m, key) {
      return params && params[key] !== undefined ? String(params[key]) : "";
    });
  }
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] === undefined || attrs[k] === null || attrs[k] === false) return;
        if (k === "className") el.className = attrs[k];
        else if (k === "onclick") el.addEventListener("click", attrs[k]);
        else el.setAttribute(k, attrs[k] === true ? "" : String(attrs[k]));
      });
    }
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }
  function append(el, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(el, c); }); return; }
    el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  function money(v) {
    if (v === undefined || v === null) return "";
    return Math.round(v).toLocaleString("en-US") + (DATA.currency ? " " + DATA.currency : "");
  }
  function label(kind, id) {
    var names = DATA.labels[kind] || {};
    return Object.prototype.hasOwnProperty.call(names, id) && names[id] ? names[id] : id;
  }
  function categoryName(id) { return id ? label("categories", id) : ""; }

  /* ---------- indexes ---------- */
  var LIFECYCLES = {plan: T("planned"), phase_out: T("phase-out"), retired: T("retired"), rejected: T("rejected")};
  var TOOLS = DATA.tools, BY_ID = {}, OUT = [], IN = [], TOOL_FINDINGS = {};
  TOOLS.forEach(function (t, i) { BY_ID[t.id] = i; OUT.push([]); IN.push([]); });
  DATA.integrations.rows.forEach(function (r, n) {
    if (r[0] >= 0) OUT[r[0]].push(n);
    if (r[1] >= 0) IN[r[1]].push(n);
  });
  DATA.findings.forEach(function (f) {
    (f.tools || []).forEach(function (id) { (TOOL_FINDINGS[id] = TOOL_FINDINGS[id] || []).push(f); });
  });
  var FLOWS = {}, TOOL_STEPS = {};
  DATA.flows.forEach(function (f) {
    FLOWS[f.id] = f;
    Object.keys(f.tools || {}).forEach(function (step) {
      f.tools[step].forEach(function (i) { (TOOL_STEPS[i] = TOOL_STEPS[i] || []).push([f, step]); });
    });
  });
  function toolName(id) { var i = BY_ID[id]; return i === undefined ? id : TOOLS[i].name; }
  function chip(id) {
    var i = BY_ID[id], t = i === undefined ? null : TOOLS[i];
    return h("button", {type: "button", className: "chip" + (t && t.unsanctioned ? " unsanctioned" : ""),
      "data-tool": id}, t ? t.name : id);
  }
  function chips(ids, max) {
    max = max || 8;
    var shown = ids.slice(0, max).map(chip);
    if (ids.length > max) shown.push(h("span", {className: "muted"}, " " + T("+{count} more", {count: ids.length - max})));
    return shown;
  }
  function sevBadge(s) { return h("span", {className: "badge sev-" + s}, label("severities", s)); }
  /* column values, shared by a column's cell and its sort key */
  var SEP = DATA.separator || ", ", SEVERITY_IDS = Object.keys(DATA.labels.severities);
  function sevRank(f) { return SEVERITY_IDS.indexOf(f.severity); }
  function depts(x) { return (x.departments || []).join(SEP); }
  function flowName(f) { return f.flow && FLOWS[f.flow] ? FLOWS[f.flow].name : ""; }
  function toolCategory(i) { return categoryName(TOOLS[i].category); }
  function toolLayers(i) { return (TOOLS[i].layers || []).map(function (l) { return label("layers", l); }).join(SEP); }
  function toolLinks(i) { return OUT[i].length + IN[i].length; }
  function toolFindings(i) { return (TOOL_FINDINGS[TOOLS[i].id] || []).length; }
  function toolSources(i) { return (TOOLS[i].sources || []).join(SEP); }
  function deptCost(d) { return d.tools.reduce(function (sum, i) { return sum + (TOOLS[i].cost || 0); }, 0); }
  function dupGroup(f) { var ev = f.evidence || {}; return categoryName(ev.category) || ev.product || f.title; }

  /* ---------- a paginated table ---------- */
  function Table(host, columns, opts) {
    opts = opts || {};
    var count = h("div", {className: "count"});
    var tbody = h("tbody");
    var info = h("span", {className: "muted"});
    var prev = h("button", {type: "button"}, "‹ " + T("Previous"));
    var next = h("button", {type: "button"}, T("Next") + " ›");
    var sorting = {column: -1, dir: 1};
    var heads = columns.map(function (c, n) {
      var th = h("th", {className: (c.num ? "num" : "") + (c.key ? " sortable" : "") || null,
        "aria-sort": c.key ? "none" : null, title: c.key ? T("Sort by this column") : null}, c.title);
      if (c.key) th.addEventListener("click", function () { sortBy(n); });
      return th;
    });
    var table = h("table", null, h("thead", null, h("tr", null, heads)), tbody);
    host.replaceChildren(count, h("div", {className: "scroll"}, table), h("div", {className: "pager"}, prev, info, next));
    var rows = [], page = 0, all = false;
    function sortBy(n) {
      sorting = {column: n, dir: sorting.column === n ? -sorting.dir : 1};
      heads.forEach(function (th, i) {
        if (columns[i].key) th.setAttribute("aria-sort", i !== n ? "none" : sorting.dir > 0 ? "ascending" : "descending");
      });
      rows = sortRows(rows);
      page = 0;
      draw();
    }
    function sortRows(list) {
      if (sorting.column < 0) return list;
      var key = columns[sorting.column].key, dir = sorting.dir;
      return list.map(function (row, i) { return [key(row), i, row]; }).sort(function (a, b) {
        return compareKeys(a[0], b[0], dir) || a[1] - b[1];
      }).map(function (x) { return x[2]; });
    }
    function draw() {
      var size = all ? Math.max(rows.length, 1) : PAGE;
      var pages = Math.max(1, Math.ceil(rows.length / size));
      page = Math.min(page, pages - 1);
      var start = page * size, slice = rows.slice(start, start + size);
      tbody.replaceChildren.apply(tbody, [].concat.apply([], slice.map(function (row) {
        var tr = h("tr", {className: "row"}, columns.map(function (c) {
          return h("td", {className: c.num ? "num" : null}, c.cell(row));
        }));
        if (opts.onRow) tr.addEventListener("click", function (ev) {
          if (ev.target.closest("[data-tool]")) return;
          opts.onRow(row, tr);
        });
        /* on paper, what a click would open is printed under the row */
        var more = all && opts.printDetail ? opts.printDetail(row) : null;
        return more ? [tr, h("tr", {className: "detail print-detail"}, h("td", {colspan: columns.length}, more))] : [tr];
      })));
      if (!slice.length) tbody.appendChild(h("tr", null, h("td", {colspan: columns.length, className: "muted"}, T("Nothing to show."))));
      count.textContent = opts.countText(rows.length);
      count.setAttribute("data-count", rows.length);
      info.textContent = rows.length ? T("{from}–{to} of {total}", {from: start + 1, to: start + slice.length,
        total: rows.length.toLocaleString("en-US")}) : "";
      prev.disabled = page === 0; next.disabled = page >= pages - 1;
    }
    prev.addEventListener("click", function () { page--; draw(); });
    next.addEventListener("click", function () { page++; draw(); });
    var api = {set: function (r) { rows = sortRows(r); page = 0; draw(); },
      printAll: function (on) { all = on; draw(); }};
    TABLES.push(api);
    return api;
  }
  /* Sort keys: numbers as numbers, texts in the report's language; empty values last either way. */
  function compareKeys(a, b, dir) {
    var emptyA = a === undefined || a === null || a === "", emptyB = b === undefined || b === null || b === "";
    if (emptyA || emptyB) return emptyA === emptyB ? 0 : emptyA ? 1 : -1;
    if (typeof a === "number" && typeof b === "number") return (a - b) * dir;
    return String(a).localeCompare(String(b), DATA.lang || undefined, {numeric: true, sensitivity: "base"}) * dir;
  }

  /* ---------- findings ---------- */
  function fillSelect(id, values, text) {
    var sel = document.getElementById(id);
    if (!sel) return;
    values.forEach(function (v) { sel.appendChild(h("option", {value: v}, text ? text(v) : v)); });
  }
  var types = uniq(DATA.findings.map(function (f) { return f.type; }));
  fillSelect("f-type", types, function (t) { return label("types", t); });
  fillSelect("f-severity", Object.keys(DATA.labels.severities).reverse(), function (s) { return label("severities", s); });
  fillSelect("f-department", uniq([].concat.apply([], DATA.findings.map(function (f) { return f.departments || []; }))).sort());
  fillSelect("f-flow", DATA.flows.map(function (f) { return f.id; }), function (id) { return FLOWS[id].name; });
  function uniq(list) { var seen = {}; return list.filter(function (x) { return seen[x] ? false : (seen[x] = true); }); }

  function findingDetail(f) {
    var ev = f.evidence ? JSON.stringify(f.evidence, null, 2) : "";
    return h("div", null,
      h("p", null, h("b", null, T("Recommendation") + ": "), f.recommendation || ""),
      f.steps ? h("p", null, h("b", null, T("Steps") + ": "), f.steps.map(function (s) {
        return f.flow && FLOWS[f.flow] ? FLOWS[f.flow].steps[s] || s : s; }).join(" → ")) : null,
      ev ? h("details", null, h("summary", null, T("Evidence")), h("pre", null, ev)) : null,
      h("div", {className: "muted"}, "id: " + f.id));
  }
  var findingsTable = Table(document.getElementById("findings-table"), [
    {title: T("Severity"), key: sevRank, cell: function (f) { return sevBadge(f.severity); }},
    {title: T("Type"), key: function (f) { return label("types", f.type); }, cell: function (f) { return label("types", f.type); }},
    {title: T("Finding"), key: function (f) { return f.title; }, cell: function (f) {
      return [f.new ? h("span", {className: "badge new"}, T("new")) : null, f.new ? " " : null, f.title]; }},
    {title: T("Flow"), key: flowName, cell: flowName},
    {title: T("Departments"), key: depts, cell: depts},
    {title: T("Tools"), key: function (f) { return (f.tools || []).length; }, cell: function (f) { return chips(f.tools || [], 4); }}
  ], {
    countText: function (n) { return T("{count} of {total} findings", {count: n.toLocaleString("en-US"), total: DATA.findings.length.toLocaleString("en-US")}); },
    printDetail: function (f) {
      return f.recommendation ? [h("b", null, T("Recommendation") + ": "), f.recommendation] : null; },
    onRow: function (f, tr) {
      var next = tr.nextElementSibling;
      if (next && next.classList.contains("detail")) { next.remove(); return; }
      tr.after(h("tr", {className: "detail"}, h("td", {colspan: 6}, findingDetail(f))));
    }
  });
  function val(id) { var el = document.getElementById(id); return el ? el.value : ""; }
  function filterFindings() {
    var type = val("f-type"), sev = val("f-severity"), dept = val("f-department"), flow = val("f-flow");
    var q = val("f-search").trim().toLowerCase(), onlyNew = document.getElementById("f-new");
    onlyNew = onlyNew && onlyNew.checked;
    findingsTable.set(DATA.findings.filter(function (f) {
      if (type && f.type !== type) return false;
      if (sev && f.severity !== sev) return false;
      if (dept && (f.departments || []).indexOf(dept) < 0) return false;
      if (flow && f.flow !== flow) return false;
      if (onlyNew && !f.new) return false;
      if (q) {
        var hay = (f.title + " " + (f.recommendation || "") + " " + (f.tools || []).map(toolName).join(" ") + " " +
          (f.departments || []).join(" ")).toLowerCase();
        if (hay.indexOf(q) < 0) return false;
      }
      return true;
    }));
  }
  ["f-type", "f-severity", "f-department", "f-flow", "f-new"].forEach(function (id) {
    var el = document.getElementById(id); if (el) el.addEventListener("change", filterFindings);
  });
  debounce(document.getElementById("f-search"), filterFindings);
  function debounce(el, fn) {
    var timer = null;
    el.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(fn, 150); });
  }
  filterFindings();

  /* ---------- tools ---------- */
  fillSelect("t-layer", Object.keys(DATA.labels.layers), function (l) { return label("layers", l); });
  var toolsTable = Table(document.getElementById("tools-table"), [
    {title: T("Tool"), key: function (i) { return TOOLS[i].name; }, cell: function (i) { var t = TOOLS[i]; return [chip(t.id),
      t.unsanctioned ? h("span", {className: "badge bad"}, T("unsanctioned")) : null,
      t.lifecycle ? h("span", {className: "badge"}, LIFECYCLES[t.lifecycle] || t.lifecycle) : null]; }},
    {title: T("Category"), key: toolCategory, cell: toolCategory},
    {title: T("Layers"), key: toolLayers, cell: toolLayers},
    {title: T("Departments"), key: function (i) { return depts(TOOLS[i]); }, cell: function (i) { return depts(TOOLS[i]); }},
    {title: T("Annual cost"), num: true, key: function (i) { return TOOLS[i].cost; }, cell: function (i) { return money(TOOLS[i].cost); }},
    {title: T("Integrations"), num: true, key: toolLinks, cell: toolLinks},
    {title: T("Findings"), num: true, key: toolFindings, cell: toolFindings},
    {title: T("Sources"), key: toolSources, cell: toolSources}
  ], {
    countText: function (n) { return T("{count} of {total} tools", {count: n.toLocaleString("en-US"), total: TOOLS.length.toLocaleString("en-US")}); },
    onRow: function (i) { openPanel(TOOLS[i].id); }
  });
  /* by name, as people look tools up (the id order of the data is nobody's order) */
  var ALL_TOOLS = TOOLS.map(function (t, i) { return i; }).sort(function (a, b) {
    return compareKeys(TOOLS[a].name, TOOLS[b].name, 1) || a - b; });
  function filterTools() {
    var q = val("t-search").trim().toLowerCase(), layer = val("t-layer");
    toolsTable.set(ALL_TOOLS.filter(function (i) {
      var t = TOOLS[i];
      if (layer && (layer === "none" ? (t.layers || []).length : (t.layers || []).indexOf(layer) < 0)) return false;
      /* a category matches by its id and by its display name */
      if (q && (t.name + " " + (t.vendor || "") + " " + (t.category || "") + " " + categoryName(t.category) + " " +
        (t.departments || []).join(" ")).toLowerCase().indexOf(q) < 0) return false;
      return true;
    }));
  }
  document.getElementById("t-layer").addEventListener("change", filterTools);
  debounce(document.getElementById("t-search"), filterTools);
  filterTools();

  /* ---------- departments ---------- */
  Table(document.getElementById("departments-table"), [
    {title: T("Department"), key: function (d) { return d.name; }, cell: function (d) { return h("b", null, d.name); }},
    {title: T("Tools"), num: true, key: function (d) { return d.tools.length; }, cell: function (d) { return d.tools.length; }},
    {title: T("Annual cost of its tools"), num: true, key: deptCost, cell: function (d) { return money(deptCost(d)); }},
    {title: T("Silo status"), key: function (d) { return d.silo ? 0 : 1; }, cell: function (d) {
      var silos = d.tools.filter(function (i) {
        return (TOOL_FINDINGS[TOOLS[i].id] || []).some(function (f) { return f.type === "silo"; }); }).length;
      return [d.silo ? h("span", {className: "badge silo"}, T("silo")) : h("span", {className: "badge connected"}, T("connected")),
        silos ? h("span", {className: "muted"}, " " + T("{count} siloed tools", {count: silos})) : null]; }},
    {title: T("Tools used"), key: function (d) { return d.tools.length; }, cell: function (d) { return chips(d.tools.map(function (i) { return TOOLS[i].id; }), 10); }}
  ], {countText: function (n) { return T("{count} departments", {count: n}); }}).set(DATA.departments);

  /* ---------- duplicates ---------- */
  var dups = DATA.findings.filter(function (f) { return f.type === "duplicate"; });
  function dupSpend(f) {
    var ev = f.evidence || {};
    if (typeof ev.total_annual_cost === "number") return ev.total_annual_cost;
    return (f.tools || []).reduce(function (sum, id) { var i = BY_ID[id]; return sum + (i === undefined ? 0 : TOOLS[i].cost || 0); }, 0);
  }
  dups.sort(function (a, b) { return dupSpend(b) - dupSpend(a); });
  Table(document.getElementById("duplicates-table"), [
    {title: T("Group"), key: dupGroup, cell: function (f) { return h("b", null, dupGroup(f)); }},
    {title: T("Tools and annual cost"), key: function (f) { return (f.tools || []).length; }, cell: function (f) {
      return (f.tools || []).map(function (id) { var i = BY_ID[id]; return h("div", null, chip(id), " ",
        h("span", {className: "muted"}, i === undefined ? "" : money(TOOLS[i].cost))); }); }},
    {title: T("Total annual spend"), num: true, key: dupSpend, cell: function (f) { return money(dupSpend(f)); }},
    {title: T("Keep"), key: function (f) { return f.evidence && f.evidence.keep ? toolName(f.evidence.keep) : ""; },
      cell: function (f) { return f.evidence && f.evidence.keep ? chip(f.evidence.keep) : ""; }},
    {title: T("Departments"), key: depts, cell: depts},
    {title: T("Severity"), key: sevRank, cell: function (f) { return sevBadge(f.severity); }}
  ], {countText: function (n) { return T("{count} duplicate groups", {count: n}); }}).set(dups);

  /* ---------- tool panel ---------- */
  var panel = document.getElementById("panel"), body = document.getElementById("panel-body");
  function integrationItem(n, outgoing) {
    var r = DATA.integrations.rows[n], other = TOOLS[outgoing ? r[1] : r[0]];
    var via = r[3] >= 0 ? " " + T("via {tool}", {tool: TOOLS[r[3]].name}) : "";
    return h("li", null, outgoing ? "→ " : "← ", other ? chip(other.id) : "?", " ",
      h("span", {className: "muted"}, label("kinds", DATA.integrations.kinds[r[2]]) + via + (r[4] ? " ⇄" : "")));
  }
  function list(items, render, max) {
    max = max || 100;
    if (!items.length) return h("p", {className: "muted"}, T("None."));
    var ul = h("ul", null, items.slice(0, max).map(render));
    if (items.length > max) ul.appendChild(h("li", {className: "muted"}, T("+{count} more", {count: items.length - max})));
    return ul;
  }
  function openPanel(id) {
    var i = BY_ID[id];
    if (i === undefined) return;
    var t = TOOLS[i], fs = TOOL_FINDINGS[id] || [];
    body.replaceChildren();
    append(body, [
      h("h2", null, t.name),
      t.unsanctioned ? h("p", null, h("span", {className: "badge bad"}, T("unsanctioned"))) : null,
      h("dl", null,
        h("dt", null, T("Vendor")), h("dd", null, t.vendor || "—"),
        h("dt", null, T("Category")), h("dd", null, categoryName(t.category) || "—"),
        h("dt", null, T("Layers")), h("dd", null, toolLayers(i) || "—"),
        h("dt", null, T("Owner")), h("dd", null, t.owner || "—"),
        h("dt", null, T("Users")), h("dd", null, t.users === undefined ? "—" : String(t.users)),
        h("dt", null, T("Annual cost")), h("dd", null, t.cost === undefined ? "—" : money(t.cost))),
      h("h3", null, T("Reported by sources")), list(t.sources || [], function (s) { return h("li", null, s); }),
      t.aliases ? h("h3", null, T("Also reported as")) : null,
      t.aliases ? list(t.aliases, function (a) { return h("li", null, a); }) : null,
      h("h3", null, T("Departments")), list(t.departments || [], function (d) { return h("li", null, d); }),
      h("h3", null, T("Steps it supports ({count})", {count: (TOOL_STEPS[i] || []).length})),
      list(TOOL_STEPS[i] || [], function (fs) { return h("li", null, fs[0].name + " › " + fs[0].steps[fs[1]]); }),
      h("h3", null, T("Integrations out ({count})", {count: OUT[i].length})), list(OUT[i], function (n) { return integrationItem(n, true); }),
      h("h3", null, T("Integrations in ({count})", {count: IN[i].length})), list(IN[i], function (n) { return integrationItem(n, false); }),
      h("h3", null, T("Findings ({count})", {count: fs.length})), list(fs, function (f) {
        return h("li", null, sevBadge(f.severity), " ", f.new ? h("span", {className: "badge new"}, T("new")) : null,
          f.new ? " " : null, f.title, h("div", {className: "muted"}, f.recommendation || ""));
      })]);
    panel.hidden = false;
    panel.setAttribute("data-tool-open", id);
    panel.scrollTop = 0;
  }
  function closePanel() { panel.hidden = true; panel.removeAttribute("data-tool-open"); }
  document.getElementById("panel-close").addEventListener("click", closePanel);
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") closePanel(); });
  document.addEventListener("click", function (ev) {
    var target = ev.target.closest ? ev.target.closest("[data-tool]") : null;
    if (target) { ev.preventDefault(); openPanel(target.getAttribute("data-tool")); return; }
    var handoff = ev.target.closest ? ev.target.closest(".handoff[data-finding]") : null;
    if (handoff) {
      var id = handoff.getAttribute("data-finding");
      var f = DATA.findings.filter(function (x) { return x.id === id; })[0];
      if (f) {
        document.getElementById("f-type").value = f.type;
        document.getElementById("f-flow").value = f.flow || "";
        document.getElementById("f-search").value = "";
        filterFindings(); /* the hand-off is isolated in its map (views.js), which links to the findings */
      }
    }
  });
  /* ---------- flow search (long reports) ---------- */
  var flowSearch = document.getElementById("flow-search");
  if (flowSearch) {
    var flowBoxes = Array.prototype.slice.call(document.querySelectorAll("details.flow"));
    var flowCount = document.getElementById("flow-count");
    var showFlows = function () {
      var q = flowSearch.value.trim().toLowerCase(), shown = 0;
      flowBoxes.forEach(function (box) {
        var hit = !q || box.querySelector("summary").textContent.toLowerCase().indexOf(q) >= 0;
        box.hidden = !hit;
        if (hit) shown++;
      });
      flowCount.textContent = T("{count} of {total} flows", {count: shown, total: flowBoxes.length});
    };
    debounce(flowSearch, showFlows);
    showFlows();
  }
  /* ---------- printing (and -f pdf): every row of every table, every section unfolded ---------- */
  var folded = [];
  window.addEventListener("beforeprint", function () {
    if (document.body.hasAttribute("data-printing")) return;
    document.body.setAttribute("data-printing", "1");
    folded = Array.prototype.slice.call(document.querySelectorAll("details:not([open])"));
    folded.forEach(function (d) { d.open = true; });
    TABLES.forEach(function (t) { t.printAll(true); });
  });
  window.addEventListener("afterprint", function () {
    document.body.removeAttribute("data-printing");
    folded.forEach(function (d) { d.open = false; });
    folded = [];
    TABLES.forEach(function (t) { t.printAll(false); });
  });
  document.body.setAttribute("data-ready", "1");
})();
