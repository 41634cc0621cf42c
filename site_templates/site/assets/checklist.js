// Checklist tick-off: state kept in localStorage per enterprise + checklist + inspection date.
(function () {
  function today() {
    var d = new Date();
    var p = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate());
  }
  document.querySelectorAll(".aq-checklist").forEach(function (root) {
    var ent = root.getAttribute("data-enterprise");
    var list = root.getAttribute("data-checklist");
    var dateInput = root.querySelector(".aq-check-date");
    var inspector = root.querySelector(".aq-check-inspector");
    var progress = root.querySelector(".aq-check-progress");
    var boxes = Array.prototype.slice.call(root.querySelectorAll(".aq-check-box"));
    var notes = Array.prototype.slice.call(root.querySelectorAll(".aq-check-note"));
    dateInput.value = today();

    function key() { return "anquan:" + ent + ":" + list + ":" + (dateInput.value || today()); }
    function read() {
      try { return JSON.parse(localStorage.getItem(key())) || {}; } catch (e) { return {}; }
    }
    function save() {
      var state = { checked: {}, notes: {}, inspector: inspector.value };
      boxes.forEach(function (b) { if (b.checked) state.checked[b.getAttribute("data-item")] = true; });
      notes.forEach(function (n) { if (n.value) state.notes[n.getAttribute("data-item")] = n.value; });
      try { localStorage.setItem(key(), JSON.stringify(state)); } catch (e) { /* private mode: state lasts until reload */ }
      show();
    }
    function load() {
      var state = read();
      boxes.forEach(function (b) { b.checked = !!(state.checked && state.checked[b.getAttribute("data-item")]); });
      notes.forEach(function (n) { n.value = (state.notes && state.notes[n.getAttribute("data-item")]) || ""; });
      inspector.value = state.inspector || "";
      show();
    }
    function show() {
      var done = 0;
      boxes.forEach(function (b) {
        b.closest(".aq-check-item").classList.toggle("aq-done", b.checked);
        if (b.checked) done += 1;
      });
      progress.textContent = "已检查 " + done + " / " + boxes.length + " 项";
    }
    boxes.forEach(function (b) { b.addEventListener("change", save); });
    notes.forEach(function (n) { n.addEventListener("input", save); });
    inspector.addEventListener("input", save);
    dateInput.addEventListener("change", load);
    root.querySelector(".aq-check-print").addEventListener("click", function () { window.print(); });
    root.querySelector(".aq-check-clear").addEventListener("click", function () {
      if (!window.confirm("清空 " + dateInput.value + " 的勾选记录？")) return;
      try { localStorage.removeItem(key()); } catch (e) { /* nothing stored */ }
      load();
    });
    load();
  });
})();
