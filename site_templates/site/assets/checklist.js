// Checklist cards on the intranet: each item 符合 / 不符合 / 不适用 with a note, kept in this
// browser's localStorage per enterprise + checklist + inspection date (the page says so and offers
// 清除), exported as CSV (UTF-8 with BOM, for Excel) or printed. Nothing is sent anywhere.
(function () {
  function today() {
    var d = new Date();
    var p = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate());
  }
  // A CSV cell: quoted; a leading = + - @ is neutralised so Excel never runs it as a formula.
  function cell(value) {
    var s = String(value == null ? "" : value);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return "\"" + s.replace(/"/g, "\"\"") + "\"";
  }
  document.querySelectorAll(".aq-checklist").forEach(function (root) {
    var ent = root.getAttribute("data-enterprise");
    var list = root.getAttribute("data-checklist");
    var prefix = "anquan:" + ent + ":" + list + ":";
    var dateInput = root.querySelector(".aq-check-date");
    var inspector = root.querySelector(".aq-check-inspector");
    var progress = root.querySelector(".aq-check-progress");
    var stored = root.querySelector(".aq-check-stored");
    var items = Array.prototype.slice.call(root.querySelectorAll(".aq-check-item"));
    dateInput.value = today();

    function key() { return prefix + (dateInput.value || today()); }
    function storage() { try { return window.localStorage; } catch (e) { return null; } }
    function read() {
      var st = storage();
      try { return (st && JSON.parse(st.getItem(key()))) || {}; } catch (e) { return {}; }
    }
    function radios(li) { return Array.prototype.slice.call(li.querySelectorAll("input[type=radio]")); }
    function result(li) {
      var r = radios(li).filter(function (b) { return b.checked; })[0];
      return r ? r.value : "";
    }
    function note(li) { return li.querySelector(".aq-check-note").value; }
    function savedDates() {
      var st = storage(), out = [];
      if (!st) return out;
      for (var i = 0; i < st.length; i++) {
        var k = st.key(i);
        if (k && k.indexOf(prefix) === 0) out.push(k.slice(prefix.length));
      }
      return out.sort();
    }
    function save() {
      var state = { results: {}, notes: {}, inspector: inspector.value };
      var empty = !inspector.value;
      items.forEach(function (li) {
        var id = li.getAttribute("data-item");
        if (result(li)) { state.results[id] = result(li); empty = false; }
        if (note(li)) { state.notes[id] = note(li); empty = false; }
      });
      var st = storage();
      try {
        if (st) { if (empty) st.removeItem(key()); else st.setItem(key(), JSON.stringify(state)); }
      } catch (e) { /* storage full or private mode: the record lasts until the page is closed */ }
      show();
    }
    function load() {
      var state = read();
      items.forEach(function (li) {
        var id = li.getAttribute("data-item");
        var r = (state.results || {})[id] || "";
        radios(li).forEach(function (b) { b.checked = b.value === r; });
        li.querySelector(".aq-check-note").value = (state.notes || {})[id] || "";
      });
      inspector.value = state.inspector || "";
      show();
    }
    function show() {
      var counts = { "符合": 0, "不符合": 0, "不适用": 0 };
      items.forEach(function (li) {
        var r = result(li);
        if (r) counts[r] += 1;
        li.classList.toggle("aq-r-is-ok", r === "符合");
        li.classList.toggle("aq-r-is-bad", r === "不符合");
        li.classList.toggle("aq-r-is-na", r === "不适用");
        li.querySelector(".aq-check-verdict").textContent = "检查结果：" + (r || "未检查");
      });
      var done = counts["符合"] + counts["不符合"] + counts["不适用"];
      progress.textContent = "已检查 " + done + " / " + items.length + " 项（符合 " + counts["符合"] +
        "，不符合 " + counts["不符合"] + "，不适用 " + counts["不适用"] + "）";
      var dates = savedDates();
      stored.textContent = dates.length
        ? "本机已保存 " + dates.length + " 个检查日期的记录：" + dates.join("、") + "。"
        : "本机目前没有保存本清单的记录。";
    }
    function csv() {
      var rows = [
        ["单位", root.getAttribute("data-enterprise-name")],
        ["检查清单", root.getAttribute("data-title")],
        ["检查日期", dateInput.value],
        ["检查人", inspector.value],
        [],
        ["序号", "编号", "检查内容", "类别", "频次", "检查方法", "依据", "检查结果", "说明"]
      ];
      items.forEach(function (li) {
        rows.push([li.getAttribute("data-no"), li.getAttribute("data-code"),
          li.querySelector(".aq-check-content").textContent, li.getAttribute("data-category"),
          li.getAttribute("data-frequency"), li.getAttribute("data-method"), li.getAttribute("data-basis"),
          result(li) || "未检查", note(li)]);
      });
      return "\ufeff" + rows.map(function (r) { return r.map(cell).join(","); }).join("\r\n") + "\r\n";
    }
    items.forEach(function (li) {
      radios(li).forEach(function (b) { b.addEventListener("change", save); });
      li.querySelector(".aq-check-note").addEventListener("input", save);
    });
    inspector.addEventListener("input", save);
    dateInput.addEventListener("change", load);
    root.querySelector(".aq-check-print").addEventListener("click", function () { window.print(); });
    root.querySelector(".aq-check-csv").addEventListener("click", function () {
      var blob = new Blob([csv()], { type: "text/csv;charset=utf-8" });
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = list + "-" + (dateInput.value || today()) + ".csv";
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    });
    root.querySelector(".aq-check-clear").addEventListener("click", function () {
      var dates = savedDates();
      if (!window.confirm("清除本机保存的本清单全部记录（" + (dates.join("、") || "无") + "）？清除后不能恢复。")) return;
      var st = storage();
      if (st) dates.forEach(function (d) { st.removeItem(prefix + d); });
      load();
    });
    load();
  });
})();
