/* auditor HTML report: draws the findings, tools, departments and duplicates tables from the embedded
   JSON (paginated, so large landscapes stay responsive) and the tool panel. Data only ever reaches
   the page as text nodes (textContent), never as markup. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("audit-data").textContent);
  var UI = DATA.ui || {};
  var PAGE = 50;

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

  /* ---------- a paginated table ---------- */
  function Table(host, columns, opts) {
    opts = opts || {};
    var count = h("div", {className: "count"});
    var tbody = h("tbody");
    var info = h("span", {className: "muted"});
    var prev = h("button", {type: "button"}, "‹ " + T("Previous"));
    var next = h("button", {type: "button"}, T("Next") + " ›");
    var table = h("table", null, h("thead", null, h("tr", null, columns.map(function (c) {
      return h("th", {className: c.num ? "num" : null}, c.title);
    }))), tbody);
    host.replaceChildren(count, h("div", {className: "scroll"}, table), h("div", {className: "pager"}, prev, info, next));
    var rows = [], page = 0;
    function draw() {
      var pages = Math.max(1, Math.ceil(rows.length / PAGE));
      page = Math.min(page, pages - 1);
      var start = page * PAGE, slice = rows.slice(start, start + PAGE);
      tbody.replaceChildren.apply(tbody, slice.map(function (row) {
        var tr = h("tr", {className: "row"}, columns.map(function (c) {
          return h("td", {className: c.num ? "num" : null}, c.cell(row));
        }));
        if (opts.onRow) tr.addEventListener("click", function (ev) {
          if (ev.target.closest("[data-tool]")) return;
          opts.onRow(row, tr);
        });
        return tr;
      }));
      if (!slice.length) tbody.appendChild(h("tr", null, h("td", {colspan: columns.length, className: "muted"}, T("Nothing to show."))));
      count.textContent = opts.countText(rows.length);
      count.setAttribute("data-count", rows.length);
      info.textContent = rows.length ? T("{from}–{to} of {total}", {from: start + 1, to: start + slice.length,
        total: rows.length.toLocaleString("en-US")}) : "";
      prev.disabled = page === 0; next.disabled = page >= pages - 1;
    }
    prev.addEventListener("click", function () { page--; draw(); });
    next.addEventListener("click", function () { page++; draw(); });
    return {set: function (r) { rows = r; page = 0; draw(); }};
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
    {title: T("Severity"), cell: function (f) { return sevBadge(f.severity); }},
    {title: T("Type"), cell: function (f) { return label("types", f.type); }},
    {title: T("Finding"), cell: function (f) {
      return [f.new ? h("span", {className: "badge new"}, T("new")) : null, f.new ? " " : null, f.title]; }},
    {title: T("Flow"), cell: function (f) { return f.flow && FLOWS[f.flow] ? FLOWS[f.flow].name : ""; }},
    {title: T("Departments"), cell: function (f) { return (f.departments || []).join(", "); }},
    {title: T("Tools"), cell: function (f) { return chips(f.tools || [], 4); }}
  ], {
    countText: function (n) { return T("{count} of {total} findings", {count: n.toLocaleString("en-US"), total: DATA.findings.length.toLocaleString("en-US")}); },
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
    {title: T("Tool"), cell: function (i) { var t = TOOLS[i]; return [chip(t.id),
      t.unsanctioned ? h("span", {className: "badge bad"}, T("unsanctioned")) : null,
      t.lifecycle ? h("span", {className: "badge"}, LIFECYCLES[t.lifecycle] || t.lifecycle) : null]; }},
    {title: T("Category"), cell: function (i) { return categoryName(TOOLS[i].category); }},
    {title: T("Layers"), cell: function (i) { return (TOOLS[i].layers || []).map(function (l) { return label("layers", l); }).join(", "); }},
    {title: T("Departments"), cell: function (i) { return (TOOLS[i].departments || []).join(", "); }},
    {title: T("Annual cost"), num: true, cell: function (i) { return money(TOOLS[i].cost); }},
    {title: T("Integrations"), num: true, cell: function (i) { return OUT[i].length + IN[i].length; }},
    {title: T("Findings"), num: true, cell: function (i) { return (TOOL_FINDINGS[TOOLS[i].id] || []).length; }},
    {title: T("Sources"), cell: function (i) { return (TOOLS[i].sources || []).join(", "); }}
  ], {
    countText: function (n) { return T("{count} of {total} tools", {count: n.toLocaleString("en-US"), total: TOOLS.length.toLocaleString("en-US")}); },
    onRow: function (i) { openPanel(TOOLS[i].id); }
  });
  var ALL_TOOLS = TOOLS.map(function (t, i) { return i; });
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
    {title: T("Department"), cell: function (d) { return h("b", null, d.name); }},
    {title: T("Tools"), num: true, cell: function (d) { return d.tools.length; }},
    {title: T("Annual cost of its tools"), num: true, cell: function (d) {
      return money(d.tools.reduce(function (sum, i) { return sum + (TOOLS[i].cost || 0); }, 0)); }},
    {title: T("Silo status"), cell: function (d) {
      var silos = d.tools.filter(function (i) {
        return (TOOL_FINDINGS[TOOLS[i].id] || []).some(function (f) { return f.type === "silo"; }); }).length;
      return [d.silo ? h("span", {className: "badge silo"}, T("silo")) : h("span", {className: "badge connected"}, T("connected")),
        silos ? h("span", {className: "muted"}, " " + T("{count} siloed tools", {count: silos})) : null]; }},
    {title: T("Tools used"), cell: function (d) { return chips(d.tools.map(function (i) { return TOOLS[i].id; }), 10); }}
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
    {title: T("Group"), cell: function (f) {
      var ev = f.evidence || {}; return h("b", null, categoryName(ev.category) || ev.product || f.title); }},
    {title: T("Tools and annual cost"), cell: function (f) {
      return (f.tools || []).map(function (id) { var i = BY_ID[id]; return h("div", null, chip(id), " ",
        h("span", {className: "muted"}, i === undefined ? "" : money(TOOLS[i].cost))); }); }},
    {title: T("Total annual spend"), num: true, cell: function (f) { return money(dupSpend(f)); }},
    {title: T("Keep"), cell: function (f) { return f.evidence && f.evidence.keep ? chip(f.evidence.keep) : ""; }},
    {title: T("Departments"), cell: function (f) { return (f.departments || []).join(", "); }},
    {title: T("Severity"), cell: function (f) { return sevBadge(f.severity); }}
  ], {countText: function (n) { return T("{count} duplicate groups", {count: n}); }}).set(dups);

  /* ---------- tool panel ---------- */
  var panel = document.getElementById("panel"), body = document.getElementById("panel-body");
  function integrationItem(n, outgoing) {
    var r = DATA.integrations.rows[n], other = TOOLS[outgoing ? r[1] : r[0]];
    var via = r[3] >= 0 ? " " + T("via {tool}", {tool: TOOLS[r[3]].name}) : "";
    return h("li", null, outgoing ? "→ " : "← ", other ? chip(other.id) : "?", " ",
      h("span", {className: "muted"}, DATA.integrations.kinds[r[2]] + via + (r[4] ? " ⇄" : "")));
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
        h("dt", null, T("Layers")), h("dd", null, (t.layers || []).map(function (l) { return label("layers", l); }).join(", ") || "—"),
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
  document.body.setAttribute("data-ready", "1");
})();
