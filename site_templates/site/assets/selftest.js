// Self-test: draw questions at random from the embedded bank, score 单选/多选/判断, explain.
(function () {
  var LETTERS = "ABCDEFGH";
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function shuffle(a) {
    for (var i = a.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var t = a[i]; a[i] = a[j]; a[j] = t;
    }
    return a;
  }
  function keyOf(q) { return q.type === "判断" ? (q.answer ? "T" : "F") : q.answer; }
  function answerText(q, key) {
    if (q.type === "判断") return key === "T" ? "正确" : key === "F" ? "错误" : "未作答";
    return key || "未作答";
  }
  document.querySelectorAll(".aq-selftest").forEach(function (root) {
    var bankEl = root.querySelector(".aq-bank");
    var setup = root.querySelector(".aq-quiz-setup");
    if (!bankEl || !setup) return;
    var bank = JSON.parse(bankEl.textContent);
    var quiz = root.querySelector(".aq-quiz");
    var list = root.querySelector(".aq-questions");
    var result = root.querySelector(".aq-result");
    var drawn = [];

    setup.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var n = parseInt(root.querySelector(".aq-count").value, 10);
      drawn = shuffle(bank.slice()).slice(0, n);
      list.textContent = "";
      drawn.forEach(function (q, i) {
        var li = el("li", "aq-question");
        li.setAttribute("data-type", q.type);
        li.setAttribute("data-qid", q.id);
        var stem = el("p");
        stem.appendChild(el("span", "aq-q-type", q.type));
        stem.appendChild(document.createTextNode(q.stem));
        li.appendChild(stem);
        var opts = el("ul", "aq-options");
        var choices = q.type === "判断" ? [["T", "正确"], ["F", "错误"]] :
          q.options.map(function (o, k) { return [LETTERS[k], LETTERS[k] + ". " + o]; });
        choices.forEach(function (c) {
          var item = el("li");
          var label = el("label");
          var input = document.createElement("input");
          input.type = q.type === "多选" ? "checkbox" : "radio";
          input.name = "q" + i;
          input.value = c[0];
          label.appendChild(input);
          label.appendChild(el("span", null, c[1]));
          item.appendChild(label);
          opts.appendChild(item);
        });
        li.appendChild(opts);
        list.appendChild(li);
      });
      result.hidden = true;
      quiz.hidden = false;
      quiz.querySelector(".aq-submit").disabled = false;
      quiz.scrollIntoView({ behavior: "smooth", block: "start" });
    });

    quiz.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var pass = parseInt(root.querySelector(".aq-pass").value, 10);
      var right = 0;
      var byType = {};
      Array.prototype.forEach.call(list.children, function (li, i) {
        var q = drawn[i];
        var chosen = Array.prototype.filter.call(li.querySelectorAll("input"), function (x) { return x.checked; })
          .map(function (x) { return x.value; }).sort().join("");
        var key = keyOf(q);
        var ok = chosen === key;
        byType[q.type] = byType[q.type] || [0, 0];
        byType[q.type][1] += 1;
        if (ok) { right += 1; byType[q.type][0] += 1; }
        li.classList.toggle("aq-right-answer", ok);
        li.classList.toggle("aq-wrong-answer", !ok);
        var old = li.querySelector(".aq-feedback");
        if (old) old.remove();
        var fb = el("div", "aq-feedback");
        fb.appendChild(el("strong", null, ok ? "✓ 回答正确。" : "✗ 回答错误。"));
        fb.appendChild(document.createTextNode(" 你的答案：" + answerText(q, chosen) + "；正确答案：" + answerText(q, key) + "。"));
        if (q.explanation) { fb.appendChild(el("br")); fb.appendChild(document.createTextNode("解析：" + q.explanation)); }
        if (q.basis) { fb.appendChild(el("br")); fb.appendChild(document.createTextNode("依据：" + q.basis)); }
        fb.appendChild(el("br"));
        fb.appendChild(document.createTextNode("知识点：" + q.point));
        li.appendChild(fb);
        li.querySelectorAll("input").forEach(function (x) { x.disabled = true; });
      });
      var score = drawn.length ? Math.round(right * 100 / drawn.length) : 0;
      result.textContent = "";
      result.className = "aq-result " + (score >= pass ? "aq-pass" : "aq-fail");
      var line = el("p");
      line.appendChild(el("span", "aq-score", score + " 分"));
      line.appendChild(document.createTextNode(" 答对 " + right + " / " + drawn.length + " 题，及格线 " + pass + " 分：" +
        (score >= pass ? "合格。" : "不合格，请复习应知应会手册后再试。")));
      result.appendChild(line);
      var detail = Object.keys(byType).map(function (t) { return t + " " + byType[t][0] + "/" + byType[t][1]; }).join("，");
      result.appendChild(el("p", null, "分题型：" + detail + "。"));
      var again = el("button", "md-button", "重新抽题");
      again.type = "button";
      again.addEventListener("click", function () { setup.requestSubmit(); });
      result.appendChild(again);
      result.hidden = false;
      quiz.querySelector(".aq-submit").disabled = true;
      result.scrollIntoView({ behavior: "smooth", block: "center" });
    });
  });
})();
