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
// ---- The agent's desk (desk_*.html) ----------------------------------------
// The list of requests: j/k or the arrows move between rows, Enter opens
// the request; a desk.request event (or a resync) refreshes the list in
// place, keeping the row the agent was on.
(function () {
  "use strict";
  function list() { return document.querySelector("[data-desk-list]"); }
  if (!list()) { return; }
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("tr.desk-row")); }
  function current() { return rows().findIndex(function (r) { return r.hasAttribute("aria-current"); }); }
  function select(i, focus) {
    var all = rows();
    if (!all.length) { return; }
    i = Math.max(0, Math.min(all.length - 1, i));
    all.forEach(function (r, j) { if (j === i) { r.setAttribute("aria-current", "true"); } else { r.removeAttribute("aria-current"); } });
    var link = all[i].querySelector("a.desk-open");
    if (focus && link) { link.focus(); }
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    var t = document.activeElement;
    if (t && /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || (t && t.isContentEditable)) { return; }
    var i = current();
    if (e.key === "j" || e.key === "ArrowDown") { e.preventDefault(); select(i + 1, true); }
    else if (e.key === "k" || e.key === "ArrowUp") { e.preventDefault(); select(i < 0 ? 0 : i - 1, true); }
    else if (e.key === "Enter" && i >= 0 && !(t && t.closest && t.closest("a, button"))) {
      e.preventDefault(); window.location.href = rows()[i].querySelector("a.desk-open").getAttribute("href");
    }
  });
  document.addEventListener("focusin", function (e) {
    var row = e.target.closest && e.target.closest("tr.desk-row");
    if (row) { select(rows().indexOf(row), false); }
  });
  var pending = null;
  function refresh() {
    var keep = current() >= 0 ? rows()[current()].getAttribute("data-id") : null;
    var url = window.location.pathname + window.location.search + (window.location.search ? "&" : "?") + "fragment=list";
    fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } }).then(function (resp) {
      return resp.ok ? resp.text() : null;
    }).then(function (html) {
      var old = list();
      if (!html || !old) { return; }
      var box = document.createElement("div");
      box.innerHTML = html;
      var fresh = box.querySelector("[data-desk-list]");
      if (!fresh) { return; }
      fresh.setAttribute("data-live-state", old.getAttribute("data-live-state") || "open");
      old.replaceWith(fresh);
      if (window.htmx) { window.htmx.process(fresh); }
      if (keep) { var r = rows().findIndex(function (x) { return x.getAttribute("data-id") === keep; }); if (r >= 0) { select(r, false); } }
    });
  }
  document.addEventListener("rapport:live", function (e) {
    var topic = e.detail && e.detail.topic;
    if (topic !== "desk.request" && topic !== "resync") { return; }
    window.clearTimeout(pending);
    pending = window.setTimeout(refresh, 300); // a burst of events, one refresh
  });
})();
// A request's page: marks it read once open and visible for 3 seconds
// (leaving or hiding the page sooner keeps it unread); tells the others
// who is viewing it or writing a reply, and shows who else is; says when
// another agent changed it.
(function () {
  "use strict";
  var page = document.querySelector("[data-request]");
  if (!page) { return; }
  var id = page.getAttribute("data-request");
  var me = page.getAttribute("data-me");
  var base = "/desk/requests/" + id;
  function post(path, body) {
    return fetch(base + path, { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: body || "" });
  }
  // Unread: 3 seconds of visibility.
  var readTimer = null;
  var unread = parseInt(page.getAttribute("data-unread") || "0", 10) > 0;
  function armRead() {
    window.clearTimeout(readTimer);
    if (!unread || document.visibilityState !== "visible") { return; }
    readTimer = window.setTimeout(function () {
      post("/read").then(function (r) {
        if (!r.ok) { return; }
        unread = false;
        var b = document.getElementById("desk-unread");
        if (b) { b.remove(); }
        Array.prototype.forEach.call(document.querySelectorAll(".msg-unread"), function (m) { m.classList.remove("msg-unread"); });
      });
    }, 3000);
  }
  document.addEventListener("visibilitychange", armRead);
  armRead();
  // Presence: announce every 10 s; "writing" while a reply was typed in the last 10 s.
  var typedAt = 0;
  document.addEventListener("input", function (e) {
    if (e.target.closest && e.target.closest("form.desk-compose")) { typedAt = Date.now(); }
  });
  function announce() {
    if (document.visibilityState !== "visible") { return; }
    post("/presence", "state=" + (Date.now() - typedAt < 10000 ? "writing" : "viewing"));
  }
  var lastState = "viewing";
  document.addEventListener("input", function () {
    if (Date.now() - typedAt < 100 && lastState !== "writing") { lastState = "writing"; announce(); }
  });
  var others = {};
  var box = document.getElementById("desk-presence");
  function show() {
    if (!box) { return; }
    var now = Date.now();
    var lines = [];
    Object.keys(others).forEach(function (k) {
      var o = others[k];
      if (now - o.at > 30000 || o.state === "left") { delete others[k]; return; }
      lines.push((box.getAttribute(o.state === "writing" ? "data-writing" : "data-viewing") || "").replace("{name}", o.name));
    });
    box.textContent = lines.join(" · ");
  }
  document.addEventListener("rapport:live", function (e) {
    var d = e.detail || {};
    var data = d.data || {};
    if (d.topic === "desk.presence" && data.id === id && data.agent !== me) {
      var known = !!others[data.agent];
      others[data.agent] = { name: data.name, state: data.state, at: Date.now() };
      show();
      if (!known && data.state !== "left") { announce(); } // a newcomer learns at once who is here
    } else if (d.topic === "desk.request" && data.id === id && data.agent !== me &&
        ["replied", "note", "solicited", "message", "assigned", "updated"].indexOf(data.change) >= 0) {
      var n = document.getElementById("desk-changed");
      if (n) { n.hidden = false; }
    }
  });
  var live = document.querySelector("[data-live]");
  function whenLive() {
    if (live && live.getAttribute("data-live-state") === "open") { announce(); return; }
    window.setTimeout(whenLive, 200);
  }
  whenLive();
  window.setInterval(function () { lastState = Date.now() - typedAt < 10000 ? "writing" : "viewing"; announce(); }, 10000);
  window.setInterval(show, 5000);
  window.addEventListener("pagehide", function () {
    if (navigator.sendBeacon) { navigator.sendBeacon(base + "/presence", new URLSearchParams("state=left")); }
  });
})();
// The recipient of a solicitation: a combobox whose listbox suggests the
// addresses already solicited, most used first; Up and Down move, Enter
// chooses, Escape closes.
(function () {
  "use strict";
  document.querySelectorAll("input[data-combobox]").forEach(function (input) {
    var box = document.getElementById(input.getAttribute("aria-controls"));
    var timer = null;
    function options() { return Array.prototype.slice.call(box.querySelectorAll("[role=option]")); }
    function close() { box.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); }
    function activate(i) {
      var all = options();
      all.forEach(function (o, j) { o.setAttribute("aria-selected", j === i ? "true" : "false"); });
      if (all[i]) { input.setAttribute("aria-activedescendant", all[i].id); all[i].scrollIntoView({ block: "nearest" }); }
    }
    var asked = 0; // the latest suggestion asked: older answers, or any after a choice, are dropped
    var pending = null;
    function choose(o) {
      asked += 1;
      window.clearTimeout(timer);
      if (pending) { pending.abort(); }
      input.value = o.getAttribute("data-value");
      close();
    }
    function suggest() {
      var mine = ++asked;
      if (pending) { pending.abort(); }
      pending = new AbortController();
      fetch(input.getAttribute("data-combobox") + "?to=" + encodeURIComponent(input.value), { credentials: "same-origin", signal: pending.signal })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) {
          if (mine !== asked) { return; }
          box.innerHTML = html;
          var any = options().length > 0;
          box.hidden = !any;
          input.setAttribute("aria-expanded", any ? "true" : "false");
          input.removeAttribute("aria-activedescendant");
        })
        .catch(function () { /* aborted: a newer question or a choice superseded it */ });
    }
    input.addEventListener("input", function () { window.clearTimeout(timer); timer = window.setTimeout(suggest, 150); });
    input.addEventListener("focus", function () { if (!input.value) { suggest(); } });
    input.addEventListener("keydown", function (e) {
      var all = options();
      var i = all.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
      if (e.key === "ArrowDown") { e.preventDefault(); if (box.hidden) { suggest(); return; } activate(Math.min(all.length - 1, i + 1)); }
      else if (e.key === "ArrowUp") { e.preventDefault(); activate(Math.max(0, i - 1)); }
      else if (e.key === "Enter" && !box.hidden && i >= 0) { e.preventDefault(); choose(all[i]); }
      else if (e.key === "Escape") { close(); }
    });
    box.addEventListener("mousedown", function (e) {
      var o = e.target.closest("[role=option]");
      if (o) { e.preventDefault(); choose(o); }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  });
})();
// The desk's editor: a contenteditable over the form's textarea, with
// bold, italic and list buttons; images pasted, dropped or picked go into
// the message as inline parts (cid:) sent with the form. Without
// JavaScript the textarea takes plain text.
(function () {
  "use strict";
  var n = 0;
  document.querySelectorAll("[data-editor]").forEach(function (ed) {
    var area = ed.querySelector(".editor-area");
    var text = ed.querySelector("textarea");
    var tools = ed.querySelector(".editor-tools");
    var inline = ed.querySelector("input.editor-inline");
    var pick = ed.querySelector("input.editor-image-pick");
    var form = ed.closest("form");
    var images = {}; // cid → File
    area.hidden = false;
    tools.hidden = false;
    ed.querySelector(".editor-plain").hidden = true;
    area.innerHTML = text.value;
    function addImage(file) {
      if (!file || !/^image\//.test(file.type)) { return false; }
      n += 1;
      var cid = "img" + n + "." + Date.now().toString(36) + "@rapport";
      images[cid] = file;
      var img = document.createElement("img");
      img.setAttribute("data-cid", cid);
      img.alt = file.name || "image";
      var sel = window.getSelection();
      var at = sel.rangeCount && area.contains(sel.anchorNode) ? sel.getRangeAt(0).cloneRange() : null;
      var reader = new FileReader(); // a data: URL: the page's policy allows no blob: image
      reader.onload = function () {
        img.src = reader.result;
        if (at) { at.insertNode(img); } else { area.appendChild(img); }
        area.dispatchEvent(new Event("input", { bubbles: true }));
      };
      reader.readAsDataURL(file);
      return true;
    }
    tools.addEventListener("click", function (e) {
      var b = e.target.closest("button[data-cmd]");
      if (!b) { return; }
      if (b.getAttribute("data-cmd") === "image") { pick.click(); return; }
      area.focus();
      document.execCommand(b.getAttribute("data-cmd"), false, null);
    });
    pick.addEventListener("change", function () { Array.prototype.forEach.call(pick.files, addImage); pick.value = ""; });
    area.addEventListener("paste", function (e) {
      var files = e.clipboardData && e.clipboardData.files;
      if (files && files.length && Array.prototype.some.call(files, function (f) { return /^image\//.test(f.type); })) {
        e.preventDefault();
        Array.prototype.forEach.call(files, addImage);
      }
    });
    area.addEventListener("drop", function (e) {
      var files = e.dataTransfer && e.dataTransfer.files;
      if (files && files.length) { e.preventDefault(); Array.prototype.forEach.call(files, addImage); }
    });
    form.addEventListener("submit", function () {
      var copy = area.cloneNode(true);
      var dt = new DataTransfer();
      form.querySelectorAll("input[name=inline_cid]").forEach(function (i) { i.remove(); });
      copy.querySelectorAll("img[data-cid]").forEach(function (img) {
        var cid = img.getAttribute("data-cid");
        var f = images[cid];
        if (!f) { img.remove(); return; }
        img.setAttribute("src", "cid:" + cid);
        img.removeAttribute("data-cid");
        dt.items.add(f);
        var h = document.createElement("input");
        h.type = "hidden"; h.name = "inline_cid"; h.value = cid;
        form.appendChild(h);
      });
      inline.files = dt.files;
      text.value = copy.textContent.trim() || copy.querySelector("img") ? copy.innerHTML : "";
    });
  });
})();
// Reply templates: choosing one fills the editor with the template written
// for the request; the agent edits it before sending.
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    var sel = e.target;
    if (!sel.matches || !sel.matches("select[data-template-for]") || !sel.value) { return; }
    var ed = document.querySelector("[data-editor=" + sel.getAttribute("data-template-for") + "]");
    if (!ed) { return; }
    fetch(sel.getAttribute("data-template-url") + encodeURIComponent(sel.value), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var area = ed.querySelector(".editor-area");
        ed.querySelector("textarea").value = html;
        if (area) { area.innerHTML = html; area.focus(); }
      });
  });
})();
// "New contact": the key c opens it from any page (not while typing), and
// on its form, choosing the type, the party or the contract applies the
// type's template again (the form's "Apply" button, which works without
// this file).
(function () {
  "use strict";
  document.addEventListener("keydown", function (e) {
    if (e.key !== "c" || e.ctrlKey || e.metaKey || e.altKey || e.repeat) { return; }
    var t = document.activeElement;
    if (t && (/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.isContentEditable)) { return; }
    var link = document.querySelector("a.new-contact");
    if (link) { e.preventDefault(); window.location.href = link.getAttribute("href"); }
  });
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (!el.matches || !el.matches("#contact-form [data-apply]")) { return; }
    var apply = el.form && el.form.querySelector("button.apply");
    if (apply && el.form.requestSubmit) { el.form.requestSubmit(apply); } else if (apply) { apply.click(); }
  });
})();
