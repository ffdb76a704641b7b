/* auditor HTML report, views that scale: zoom, pan, fit and search over the inline SVG diagrams; a hint
   and a fit button when a flow map is wider than the page; clicking a hand-off isolates it. Names only
   ever reach the page as text (textContent). */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("audit-data").textContent), UI = DATA.ui || {};
  function T(msgid, params) {
    var text = Object.prototype.hasOwnProperty.call(UI, msgid) ? UI[msgid] : msgid;
    return text.replace(/\{(\w+)\}/g, function (m, key) { return params && params[key] !== undefined ? String(params[key]) : ""; });
  }
  function button(text, title, onclick) {
    var b = document.createElement("button");
    b.type = "button"; b.textContent = text; b.title = title; b.setAttribute("aria-label", title);
    b.addEventListener("click", onclick);
    return b;
  }
  function classOf(el, prefix) {
    var found = (el.getAttribute("class") || "").split(/\s+/).filter(function (c) { return c.indexOf(prefix) === 0; })[0];
    return found ? found.slice(prefix.length) : null;
  }

  /* ---------- zoomable diagrams ---------- */
  function Zoomable(box) {
    var svg = box.querySelector("svg");
    if (!svg || !svg.viewBox || !svg.viewBox.baseVal || !svg.viewBox.baseVal.width) return;
    var base = svg.viewBox.baseVal, full = {x: base.x, y: base.y, w: base.width, h: base.height}, view = full;
    svg.removeAttribute("width"); svg.removeAttribute("height");
    svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
    svg.style.aspectRatio = full.w + " / " + full.h; /* as tall as the drawing at the page's width, up to 70vh */
    box.classList.add("zoomable");
    /* boxes over lines: fdp writes some lines after the boxes they cross */
    svg.querySelectorAll("g.node").forEach(function (n) { n.parentNode.appendChild(n); });
    function set(v) {
      view = v;
      svg.setAttribute("viewBox", [v.x, v.y, v.w, v.h].join(" "));
      box.setAttribute("data-zoom", (full.w / v.w).toFixed(3));
    }
    function point(ev) {
      var m = svg.getScreenCTM(), p = svg.createSVGPoint();
      p.x = ev.clientX; p.y = ev.clientY;
      return m ? p.matrixTransform(m.inverse()) : {x: view.x + view.w / 2, y: view.y + view.h / 2};
    }
    function zoom(factor, at) {
      at = at || {x: view.x + view.w / 2, y: view.y + view.h / 2};
      var w = Math.min(full.w * 4, Math.max(full.w / 40, view.w / factor)), k = w / view.w;
      set({x: at.x - (at.x - view.x) * k, y: at.y - (at.y - view.y) * k, w: w, h: view.h * k});
    }
    function fit(rect) {
      if (!rect) { set(full); return; }
      var pad = 24;
      set({x: rect.x - pad, y: rect.y - pad, w: rect.w + 2 * pad, h: rect.h + 2 * pad});
    }
    /* the union of elements' boxes, in the SVG's own coordinates */
    function around(elements) {
      var m = svg.getScreenCTM();
      if (!m || !elements.length) return null;
      var inv = m.inverse(), x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      elements.forEach(function (el) {
        var r = el.getBoundingClientRect();
        [[r.left, r.top], [r.right, r.bottom]].forEach(function (c) {
          var p = svg.createSVGPoint(); p.x = c[0]; p.y = c[1]; p = p.matrixTransform(inv);
          x0 = Math.min(x0, p.x); y0 = Math.min(y0, p.y); x1 = Math.max(x1, p.x); y1 = Math.max(y1, p.y);
        });
      });
      return {x: x0, y: y0, w: Math.max(x1 - x0, full.w / 40), h: Math.max(y1 - y0, full.h / 40)};
    }
    var bar = document.createElement("div");
    bar.className = "map-tools";
    bar.appendChild(button("+", T("Zoom in"), function () { zoom(1.5); }));
    bar.appendChild(button("−", T("Zoom out"), function () { zoom(1 / 1.5); }));
    bar.appendChild(button(T("Fit"), T("Fit the whole diagram"), function () { fit(null); }));
    if (box.hasAttribute("data-searchable")) {
      var search = document.createElement("input"), count = document.createElement("span");
      search.type = "search"; search.className = "map-search";
      search.placeholder = T("Find in the map…"); search.setAttribute("aria-label", T("Find in the map…"));
      count.className = "muted map-count";
      var nodes = Array.prototype.slice.call(svg.querySelectorAll("g.node"));
      var edges = Array.prototype.slice.call(svg.querySelectorAll("g.edge"));
      var find = function () {
        var q = search.value.trim().toLowerCase(), hits = [], ids = {};
        nodes.forEach(function (n) {
          var hit = q && n.textContent.toLowerCase().indexOf(q) >= 0;
          n.classList.toggle("hit", !!hit);
          if (hit) { hits.push(n); ids[classOf(n, "n-")] = true; }
        });
        edges.forEach(function (e) { e.classList.toggle("hit", !!(ids[classOf(e, "from-")] || ids[classOf(e, "to-")])); });
        svg.classList.toggle("searching", !!q);
        var grouped = !hits.length && svg.querySelector("g.node.group");
        count.textContent = !q ? "" : grouped ?
          T("none found: at this size the map shows departments and layers; find a tool in the Tools table") :
          T("{count} found", {count: hits.length});
        box.setAttribute("data-hits", hits.length);
        if (hits.length) fit(around(hits)); else fit(null);
      };
      var timer = null;
      search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(find, 150); });
      bar.appendChild(search); bar.appendChild(count);
    }
    box.parentNode.insertBefore(bar, box);
    var drag = null;
    svg.addEventListener("wheel", function (ev) {
      if (!ev.ctrlKey && !box.classList.contains("active")) return; /* page scroll stays page scroll */
      ev.preventDefault(); zoom(ev.deltaY < 0 ? 1.2 : 1 / 1.2, point(ev));
    }, {passive: false});
    svg.addEventListener("pointerdown", function (ev) {
      box.classList.add("active");
      drag = {x: ev.clientX, y: ev.clientY, view: view, moved: false};
    });
    window.addEventListener("pointermove", function (ev) {
      if (!drag) return;
      var m = svg.getScreenCTM(), s = m ? 1 / m.a : 1, dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      if (drag.moved) set({x: drag.view.x - dx * s, y: drag.view.y - dy * s, w: drag.view.w, h: drag.view.h});
    });
    window.addEventListener("pointerup", function () { setTimeout(function () { drag = null; }, 0); });
    document.addEventListener("pointerdown", function (ev) { if (!box.contains(ev.target)) box.classList.remove("active"); });
    /* clicking an edge isolates it (and its two ends); clicking it again, or the background, shows all */
    svg.addEventListener("click", function (ev) {
      if (drag && drag.moved) return;
      var edge = ev.target.closest ? ev.target.closest("g.edge") : null;
      svg.querySelectorAll(".isolated").forEach(function (el) { el.classList.remove("isolated"); });
      var same = edge && svg.getAttribute("data-isolated") === edge.id;
      if (!edge || same) { svg.classList.remove("isolating"); svg.removeAttribute("data-isolated"); return; }
      edge.classList.add("isolated");
      [classOf(edge, "from-"), classOf(edge, "to-")].forEach(function (id) {
        if (id) svg.querySelectorAll("g.n-" + id).forEach(function (n) { n.classList.add("isolated"); });
      });
      svg.classList.add("isolating"); svg.setAttribute("data-isolated", edge.id);
    });
    set(full);
  }
  document.querySelectorAll(".svg").forEach(Zoomable);

  /* ---------- flow maps wider than the page ---------- */
  function FlowScroll(scroll) {
    var table = scroll.querySelector("table.flowmap");
    if (!table) return;
    var hint = document.createElement("div"), fitButton;
    hint.className = "scroll-hint";
    var text = document.createElement("span");
    fitButton = button(T("Fit to width"), T("Fit to width"), function () {
      var fitted = scroll.classList.toggle("fitted");
      table.style.zoom = fitted ? String(Math.max(0.4, scroll.clientWidth / (table.scrollWidth + 2))) : "";
      fitButton.textContent = fitted ? T("Actual size") : T("Fit to width");
      update();
    });
    hint.appendChild(text); hint.appendChild(fitButton);
    scroll.parentNode.insertBefore(hint, scroll);
    function update() {
      var wide = scroll.scrollWidth > scroll.clientWidth + 1;
      var steps = table.querySelectorAll("th.step"), right = scroll.getBoundingClientRect().right, hidden = 0;
      steps.forEach(function (th) { if (th.getBoundingClientRect().right > right + 1) hidden++; });
      scroll.classList.toggle("more-right", wide && scroll.scrollLeft + scroll.clientWidth < scroll.scrollWidth - 1);
      scroll.classList.toggle("more-left", wide && scroll.scrollLeft > 1);
      hint.hidden = !hidden && !scroll.classList.contains("fitted");
      text.textContent = hidden === 1 ? T("1 more step to the right: scroll, or") :
        hidden ? T("{count} more steps to the right: scroll, or", {count: hidden}) : "";
      scroll.setAttribute("data-hidden-steps", hidden);
    }
    scroll.addEventListener("scroll", update);
    window.addEventListener("resize", update);
    var details = scroll.closest("details");
    if (details) details.addEventListener("toggle", update);
    update();
  }
  document.querySelectorAll("details.flow .scroll").forEach(FlowScroll);

  /* Escape shows everything again (besides closing the tool panel, report.js) */
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") return;
    document.querySelectorAll(".isolating").forEach(function (el) {
      el.classList.remove("isolating"); el.removeAttribute("data-isolated");
    });
    document.querySelectorAll(".isolated").forEach(function (el) { el.classList.remove("isolated"); });
  });

  /* ---------- clicking a hand-off isolates it in its flow map ---------- */
  document.addEventListener("click", function (ev) {
    var cell = ev.target.closest ? ev.target.closest("table.flowmap td.handoff, ul.branches li.handoff") : null;
    if (!cell) return;
    var flow = cell.closest("details.flow"), table = flow && flow.querySelector("table.flowmap");
    if (!table) return;
    var cols = (cell.getAttribute("data-cols") || "").split(" ");
    var again = cell.classList.contains("isolated");
    flow.querySelectorAll(".isolated").forEach(function (el) { el.classList.remove("isolated"); });
    table.classList.toggle("isolating", !again);
    if (again) return;
    cell.classList.add("isolated");
    table.querySelectorAll("[data-col]").forEach(function (el) {
      if (cols.indexOf(el.getAttribute("data-col")) >= 0) el.classList.add("isolated");
    });
  });
})();
