// Site-wide behaviour: search on any kind of input, and wide tables that say they scroll.
(function () {
  // Material starts a search on keyup only. Pasted text, a phone's input method or a chosen
  // candidate fire `input` / `compositionend` without a keyup: hand those to Material as one.
  var box = document.querySelector("input[data-md-component=search-query]");
  if (box) {
    var poke = function (ev) {
      if (ev.isComposing) return;  // mid-composition: wait for compositionend
      box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    };
    box.addEventListener("input", poke);
    box.addEventListener("compositionend", poke);
  }

  // A table wider than the screen scrolls inside its own frame; say so above it.
  var wraps = Array.prototype.slice.call(document.querySelectorAll(".aq-table-wrap"));
  function mark() {
    wraps.forEach(function (w) {
      var wide = w.scrollWidth > w.clientWidth + 1;
      w.classList.toggle("aq-scrolls", wide);
      var hint = w.previousElementSibling;
      var has = hint && hint.classList.contains("aq-scroll-hint");
      if (wide && !has) {
        hint = document.createElement("p");
        hint.className = "aq-scroll-hint";
        hint.textContent = "表格较宽，可左右滑动查看全部列 ⇄";
        w.parentNode.insertBefore(hint, w);
      } else if (!wide && has) {
        hint.remove();
      }
    });
  }
  if (wraps.length) {
    mark();
    window.addEventListener("resize", mark);
  }
})();
