// Rapport UI enhancements: keyboard navigation of quick-search suggestions
// and "/" to focus the search box. Pages work without this file.
(function () {
  "use strict";
  function items() { return Array.prototype.slice.call(document.querySelectorAll("#suggest a")); }
  function activeIndex(list) { return list.findIndex(function (a) { return a.classList.contains("active"); }); }
  function setActive(list, i) {
    list.forEach(function (a, j) { a.classList.toggle("active", j === i); a.setAttribute("aria-selected", j === i ? "true" : "false"); });
    if (list[i]) { list[i].scrollIntoView({ block: "nearest" }); }
  }
  document.addEventListener("keydown", function (e) {
    var q = document.getElementById("q");
    if (!q) { return; }
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
    if (e.key === "/" && !typing) { e.preventDefault(); q.focus(); q.select(); return; }
    if (document.activeElement !== q) { return; }
    var list = items();
    var i = activeIndex(list);
    if (e.key === "ArrowDown" && list.length) { e.preventDefault(); setActive(list, (i + 1) % list.length); }
    else if (e.key === "ArrowUp" && list.length) { e.preventDefault(); setActive(list, i <= 0 ? list.length - 1 : i - 1); }
    else if (e.key === "Enter" && i >= 0) { e.preventDefault(); window.location.href = list[i].getAttribute("href"); }
    else if (e.key === "Escape") { document.getElementById("suggest").innerHTML = ""; }
  });
  document.addEventListener("click", function (e) {
    var s = document.getElementById("suggest");
    if (s && !e.target.closest(".quicksearch")) { s.innerHTML = ""; }
  });
})();
// Live character counters: a textarea with data-counter="id" shows its
// length in the element with that id.
(function () {
  "use strict";
  document.addEventListener("input", function (e) {
    var id = e.target.getAttribute && e.target.getAttribute("data-counter");
    var out = id && document.getElementById(id);
    if (out) { out.textContent = String(Array.from(e.target.value).length); }
  });
})();
