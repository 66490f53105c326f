// The navigation menu on narrow screens: JavaScript hides it behind a
// button (without JavaScript it stays unfolded).
(function () {
  "use strict";
  document.documentElement.classList.replace("no-js", "js");
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest(".menu-toggle");
    if (!b) { return; }
    var nav = document.getElementById(b.getAttribute("aria-controls"));
    var open = nav.classList.toggle("open");
    b.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
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
// Contact history: a click anywhere on a line opens its detail beside the
// list (the date is the line's link: Tab reaches it, Enter opens it); the
// panel then takes the focus, and Escape or its × closes it and gives the
// focus back to the line.
(function () {
  "use strict";
  var opener = null;
  function panel() { return document.getElementById("interaction-panel"); }
  function mark(line) {
    Array.prototype.forEach.call(document.querySelectorAll("tr.tl-line[aria-current]"), function (tr) { tr.removeAttribute("aria-current"); });
    if (line) { line.setAttribute("aria-current", "true"); }
  }
  function closePanel() {
    var p = panel();
    if (!p) { return; }
    p.innerHTML = "";
    mark(null);
    if (opener && document.body.contains(opener)) { opener.focus(); }
  }
  document.addEventListener("click", function (e) {
    if (!e.target.closest) { return; }
    var p = panel();
    var close = e.target.closest("[data-close-panel]");
    if (close && p && p.contains(close)) { e.preventDefault(); closePanel(); return; }
    var line = e.target.closest("tr.tl-line");
    if (!line || e.target.closest("a, button, input, select, textarea")) { return; }
    var link = line.querySelector("a.tl-open");
    if (link) { link.click(); }
  });
  document.addEventListener("keydown", function (e) {
    var p = panel();
    if (e.key === "Escape" && p && p.contains(document.activeElement)) { closePanel(); }
  });
  document.addEventListener("htmx:afterSwap", function (e) {
    var d = e.detail || {};
    if (!d.target || d.target.id !== "interaction-panel") { return; }
    opener = (d.requestConfig && d.requestConfig.elt) || d.elt || null;
    mark(opener && opener.closest ? opener.closest("tr.tl-line") : null);
    var title = document.getElementById("ix-title");
    if (title) { title.focus(); }
  });
})();
// Live pages: a page with an element marked data-live opens the event
// stream of /events and re-dispatches each event on document as a
// "rapport:live" CustomEvent whose detail is {topic, data}. A detail topic
// "resync" means events were missed (the stream lagged or reconnected):
// the page refetches what it shows. The marked element's data-live-state
// says "open" or "reconnecting". The browser reconnects a dropped stream by
// itself; a refused one (signed out, server unavailable) is tried again
// every 30 s. Pages without the mark open no stream.
(function () {
  "use strict";
  var mark = document.querySelector("[data-live]");
  if (!mark || !window.EventSource) { return; }
  var opened = false;
  function tell(detail) { document.dispatchEvent(new CustomEvent("rapport:live", { detail: detail })); }
  function connect() {
    var source = new EventSource("/events");
    source.addEventListener("open", function () {
      mark.setAttribute("data-live-state", "open");
      if (opened) { tell({ topic: "resync", data: {} }); }
      opened = true;
    });
    source.addEventListener("error", function () {
      mark.setAttribute("data-live-state", "reconnecting");
      if (source.readyState === EventSource.CLOSED) { window.setTimeout(connect, 30000); }
    });
    source.addEventListener("message", function (e) {
      var m;
      try { m = JSON.parse(e.data); } catch (err) { return; }
      tell({ topic: m.topic, data: m.data });
    });
  }
  connect();
})();
