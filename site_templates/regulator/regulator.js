// The regulator's fleet view: filter, sort and page the enterprises client-side from the JSON
// embedded in the page (the same data as fleet.json). No request leaves the page; every value
// is placed with textContent, never parsed as HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("fleet-data").textContent);
  var rows = data.rows;
  var PAGE = data.page_size || 50;
  var GRADES = ["标杆", "优", "良", "中", "差"];
  var state = { q: "", industry: "", region: "", size: "", rating: "", overdue: false, licence: false, sort: "id", dir: 1, page: { list: 0, plan: 0 } };
  var filtered = rows.slice();

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function td(tr, text, cls) { var c = el("td", cls, text); tr.appendChild(c); return c; }
  function uniq(values) {
    var seen = {}, out = [];
    values.forEach(function (v) { if (v !== "" && !seen[v]) { seen[v] = true; out.push(v); } });
    return out.sort(function (a, b) { return a.localeCompare(b, "zh-CN"); });
  }
  function addOptions(select, values, labelOf) {
    values.forEach(function (v) {
      var o = el("option", null, labelOf ? labelOf(v) : v);
      o.value = v;
      select.appendChild(o);
    });
  }
  function ratingOf(r) { return r.benchmark_selected ? "标杆" : r.rating; }
  function regionLabel(r) {
    if (!r.region) return "未知";
    return r.region + " " + (r.region_name || r.province || "");
  }

  // ---------------------------------------------------------------- filters
  addOptions($("f-industry"), uniq(rows.map(function (r) { return r.industry; })));
  var provinces = {}, regions = {};
  rows.forEach(function (r) {
    if (!r.region) return;
    provinces[r.region.slice(0, 2)] = r.province || r.region.slice(0, 2);
    regions[r.region] = regionLabel(r);
  });
  Object.keys(provinces).sort().forEach(function (p) {
    var o = el("option", null, p + " " + provinces[p] + "（全部）");
    o.value = p;
    $("f-region").appendChild(o);
    Object.keys(regions).sort().forEach(function (code) {
      if (code.slice(0, 2) !== p) return;
      var c = el("option", null, "\u3000" + regions[code]);
      c.value = code;
      $("f-region").appendChild(c);
    });
  });
  addOptions($("f-size"), ["规模以上", "中等", "小微"]);
  addOptions($("f-rating"), GRADES);

  function matches(r) {
    if (state.q) {
      var q = state.q.toLowerCase();
      if (r.name.toLowerCase().indexOf(q) < 0 && String(r.id).toLowerCase().indexOf(q) < 0) return false;
    }
    if (state.industry && r.industry !== state.industry) return false;
    if (state.region && String(r.region).indexOf(state.region) !== 0) return false;
    if (state.size && r.size_class !== state.size) return false;
    if (state.rating && ratingOf(r) !== state.rating) return false;
    if (state.overdue && !(r.hazards_overdue > 0)) return false;
    if (state.licence && !r.licence_alert) return false;
    return true;
  }
  function compare(a, b) {
    var k = state.sort, x = a[k], y = b[k];
    if (k === "score") { x = a.score; y = b.score; }
    if (x === null || x === undefined) x = -Infinity;
    if (y === null || y === undefined) y = -Infinity;
    if (typeof x === "boolean") { x = x ? 1 : 0; y = y ? 1 : 0; }
    var c = typeof x === "string" ? x.localeCompare(y, "zh-CN") : x - y;
    return (c || String(a.id).localeCompare(String(b.id))) * state.dir;
  }
  function apply() {
    filtered = rows.filter(matches).sort(compare);
    state.page.list = 0;
    state.page.plan = 0;
    render();
  }

  // ---------------------------------------------------------------- list
  function licenceText(r) {
    var l = r.licences, parts = [];
    if (l["已过期"]) parts.push("过期 " + l["已过期"]);
    if (l["缺失"]) parts.push("缺 " + l["缺失"]);
    if (l["即将到期"]) parts.push("将到期 " + l["即将到期"]);
    return parts.length ? parts.join("，") : "正常";
  }
  function renderList() {
    var tbody = document.querySelector("#list tbody");
    var start = state.page.list * PAGE;
    var frag = document.createDocumentFragment();
    filtered.slice(start, start + PAGE).forEach(function (r) {
      var tr = el("tr");
      tr.setAttribute("data-id", r.id);
      var name = td(tr, null, "name");
      name.appendChild(el("strong", null, r.name));
      name.appendChild(el("br"));
      name.appendChild(el("small", null, r.id + (r.inspection_date ? " · 现场检查 " + r.inspection_date : " · 未录入现场检查")));
      var ind = td(tr, r.industry);
      if (r.tags) { ind.appendChild(el("br")); ind.appendChild(el("small", null, r.tags)); }
      td(tr, regionLabel(r));
      var size = td(tr, r.size_class);
      size.appendChild(el("br"));
      size.appendChild(el("small", null, r.employees + " 人"));
      var rating = td(tr, null, "rating");
      rating.appendChild(el("span", "grade g-" + ratingOf(r), ratingOf(r)));
      rating.appendChild(el("small", null, " " + r.score + " 分" + (r.caps ? "（受限）" : "")));
      var hz = td(tr, r.hazards + " 条");
      if (r.hazards_overdue) hz.appendChild(el("span", "late", " 超期 " + r.hazards_overdue));
      var lic = td(tr, licenceText(r), r.licence_alert ? "alert" : "");
      if (r.next_expiry) { lic.appendChild(el("br")); lic.appendChild(el("small", null, "到期 " + r.next_expiry)); }
      td(tr, r.cert_rate === null ? "—" : r.cert_rate + "%");
      td(tr, r.accident_free_years === null ? "未知" : r.accident_free_years.toFixed(1) + " 年");
      td(tr, r.frequency + " 次");
      var links = td(tr, null, "links");
      var l = r.links || {};
      [["sheet", "六必查表"], ["sheet_xlsx", "Excel"], ["quiz", "抽考试卷"], ["site", "企业站点"]].forEach(function (k) {
        if (!l[k[0]]) return;
        var a = el("a", null, k[1]);
        a.href = l[k[0]];
        links.appendChild(a);
      });
      frag.appendChild(tr);
    });
    tbody.textContent = "";
    tbody.appendChild(frag);
    pager("panel-list", "list");
  }

  // ---------------------------------------------------------------- plan (差别监管)
  function renderPlanSummary() {
    var tbody = document.querySelector("#plan-summary tbody");
    data.plan.summary.forEach(function (s) {
      var tr = el("tr");
      var g = td(tr, null);
      g.appendChild(el("span", "grade g-" + s.rating, s.rating));
      td(tr, s.count);
      td(tr, s.frequency + " 次");
      td(tr, s.inspections);
      tbody.appendChild(tr);
    });
    var tr = el("tr", "total");
    td(tr, "合计"); td(tr, data.count); td(tr, ""); td(tr, data.plan.total);
    tbody.appendChild(tr);
    var months = $("months"), most = Math.max.apply(null, data.plan.per_month.concat([1]));
    data.plan.per_month.forEach(function (n, i) {
      var m = el("div", "month");
      var bar = el("div", "bar");
      bar.style.height = Math.round(60 * n / most) + "px";
      m.appendChild(bar);
      m.appendChild(el("span", null, (i + 1) + "月"));
      m.appendChild(el("small", null, n));
      m.title = (i + 1) + "月：" + n + " 家次";
      months.appendChild(m);
    });
  }
  function renderPlan() {
    var tbody = document.querySelector("#plan-list tbody");
    var start = state.page.plan * PAGE;
    var frag = document.createDocumentFragment();
    filtered.slice(start, start + PAGE).forEach(function (r) {
      var tr = el("tr");
      tr.setAttribute("data-id", r.id);
      td(tr, r.name);
      var g = td(tr, null);
      g.appendChild(el("span", "grade g-" + ratingOf(r), ratingOf(r)));
      td(tr, r.frequency + " 次");
      td(tr, (r.plan_months || []).map(function (m) { return m + "月"; }).join("、"));
      td(tr, r.supervisor || "—");
      frag.appendChild(tr);
    });
    tbody.textContent = "";
    tbody.appendChild(frag);
    pager("panel-plan", "plan");
  }

  // ---------------------------------------------------------------- 标杆
  function renderBench() {
    var b = data.benchmark;
    $("bench-rule").textContent = b.rule + "；满足全部四项条件的企业 " + b.candidates.length + " 家" +
      (b.cutoff ? "；分数线 " + b.cutoff.score + " 分（第 " + b.cutoff.rank + " 名 " + b.cutoff.name + "）" : "") + "。本表为全部企业，不受筛选影响。";
    var tbody = document.querySelector("#bench tbody");
    b.candidates.forEach(function (c) {
      var tr = el("tr", c.selected ? "selected" : "below");
      tr.setAttribute("data-id", c.id);
      td(tr, c.rank);
      td(tr, c.name);
      td(tr, c.industry);
      td(tr, c.region);
      td(tr, c.rating);
      td(tr, c.score);
      td(tr, c.selected ? "选树" : "线下");
      tbody.appendChild(tr);
      if (b.cutoff && c.rank === b.cutoff.rank && b.candidates.length > c.rank) {
        var line = el("tr", "cutoff");
        var cell = td(line, "—— 分数线：" + b.cutoff.score + " 分（限额 " + b.cap + " 家）——");
        cell.colSpan = 7;
        tbody.appendChild(line);
      }
    });
    if (!b.candidates.length) {
      var tr = el("tr"); var c = td(tr, "暂无同时满足四项条件的企业"); c.colSpan = 7; tbody.appendChild(tr);
    }
    var near = document.querySelector("#near tbody");
    b.near_misses.forEach(function (n) {
      var tr = el("tr");
      td(tr, n.name); td(tr, n.rating); td(tr, n.score); td(tr, n.missing);
      near.appendChild(tr);
    });
    if (!b.near_misses.length) {
      var t = el("tr"); var c2 = td(t, "无"); c2.colSpan = 4; near.appendChild(t);
    }
  }

  // ---------------------------------------------------------------- paging, tabs, summary
  function pager(panelId, key) {
    var panel = $(panelId);
    var pages = Math.max(1, Math.ceil(filtered.length / PAGE));
    panel.querySelector(".page-info").textContent = "第 " + (state.page[key] + 1) + " / " + pages + " 页";
    panel.querySelector(".prev").disabled = state.page[key] === 0;
    panel.querySelector(".next").disabled = state.page[key] >= pages - 1;
  }
  function render() {
    var counts = {};
    filtered.forEach(function (r) { var g = ratingOf(r); counts[g] = (counts[g] || 0) + 1; });
    var parts = GRADES.filter(function (g) { return counts[g]; }).map(function (g) { return g + " " + counts[g]; });
    var overdue = filtered.filter(function (r) { return r.hazards_overdue > 0; }).length;
    var alerts = filtered.filter(function (r) { return r.licence_alert; }).length;
    $("summary").textContent = "符合条件 " + filtered.length + " / " + rows.length + " 家" + (parts.length ? "（" + parts.join("，") + "）" : "") +
      "；有超期隐患 " + overdue + " 家；证照需处理 " + alerts + " 家。";
    renderList();
    renderPlan();
  }
  ["panel-list", "panel-plan"].forEach(function (id) {
    var key = id === "panel-list" ? "list" : "plan";
    var panel = $(id);
    panel.querySelector(".prev").addEventListener("click", function () { state.page[key]--; key === "list" ? renderList() : renderPlan(); });
    panel.querySelector(".next").addEventListener("click", function () { state.page[key]++; key === "list" ? renderList() : renderPlan(); });
  });
  document.querySelectorAll(".tabs [role=tab]").forEach(function (tab) {
    tab.addEventListener("click", function () {
      document.querySelectorAll(".tabs [role=tab]").forEach(function (t) {
        var on = t === tab;
        t.setAttribute("aria-selected", on ? "true" : "false");
        $(t.getAttribute("aria-controls")).hidden = !on;
      });
      // the 标杆 list is fleet-wide: the filters do not apply to it
      var bench = tab.id === "tab-bench";
      $("filters").hidden = bench;
      $("summary").hidden = bench;
    });
  });
  document.querySelectorAll("#list th[data-sort]").forEach(function (th) {
    th.tabIndex = 0;
    function sort() {
      var key = th.getAttribute("data-sort");
      state.dir = state.sort === key ? -state.dir : (key === "name" || key === "industry" || key === "region" ? 1 : -1);
      state.sort = key;
      document.querySelectorAll("#list th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
      apply();
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
  });
  function bind(id, key, prop) {
    $(id).addEventListener(prop === "checked" ? "change" : "input", function () { state[key] = $(id)[prop]; apply(); });
  }
  bind("f-q", "q", "value");
  bind("f-industry", "industry", "value");
  bind("f-region", "region", "value");
  bind("f-size", "size", "value");
  bind("f-rating", "rating", "value");
  bind("f-overdue", "overdue", "checked");
  bind("f-licence", "licence", "checked");
  $("filters").addEventListener("submit", function (e) { e.preventDefault(); });
  $("filters").addEventListener("reset", function () {
    setTimeout(function () {
      state.q = ""; state.industry = ""; state.region = ""; state.size = ""; state.rating = ""; state.overdue = false; state.licence = false;
      apply();
    }, 0);
  });

  // ---------------------------------------------------------------- CSV of the filtered rows (made here, no request)
  function csvCell(v) {
    var s = v === null || v === undefined ? "" : String(v);
    if (/^[=+\-@]/.test(s)) s = "'" + s;  // never a formula in a spreadsheet
    return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  $("csv").addEventListener("click", function () {
    var head = ["企业编号", "企业名称", "行业", "行政区划代码", "企业分类", "从业人员", "评价等次", "总分", "超期隐患", "证照", "持证上岗率", "连续无事故（年）", "年检查次数", "计划月份"];
    var lines = [head.join(",")];
    filtered.forEach(function (r) {
      lines.push([r.id, r.name, r.industry, r.region, r.size_class, r.employees, ratingOf(r), r.score, r.hazards_overdue, licenceText(r),
        r.cert_rate === null ? "" : r.cert_rate + "%", r.accident_free_years === null ? "" : r.accident_free_years,
        r.frequency, (r.plan_months || []).join("、")].map(csvCell).join(","));
    });
    var blob = new Blob(["\ufeff" + lines.join("\r\n")], { type: "text/csv;charset=utf-8" });
    var a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = "企业评价-筛选结果.csv";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  });

  renderPlanSummary();
  renderBench();
  apply();
  document.documentElement.setAttribute("data-ready", "true");
})();
