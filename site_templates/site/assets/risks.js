// Risk register: filter rows by level and department (the filter bar stays hidden without JS).
(function () {
  var bar = document.getElementById("aq-risk-filter");
  var table = document.getElementById("aq-risk-table");
  if (!bar || !table) return;
  var level = document.getElementById("aq-filter-level");
  var dept = document.getElementById("aq-filter-dept");
  var count = document.getElementById("aq-filter-count");
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (!level.value || row.getAttribute("data-level") === level.value) &&
               (!dept.value || row.getAttribute("data-dept") === dept.value);
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = "显示 " + shown + " / " + rows.length + " 个风险点";
  }
  var m = /^#level-(red|orange|yellow|blue)$/.exec(location.hash);
  if (m) level.value = m[1];
  level.addEventListener("change", apply);
  dept.addEventListener("change", apply);
  bar.hidden = false;
  apply();
})();
