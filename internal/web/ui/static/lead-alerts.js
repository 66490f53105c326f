// Lead alerts: on every page of an agent who receives leads, a
// "lead.assigned" event of the live stream (app.js hands it over as a
// "rapport:live" DOM event) shows what the agent chose on their profile:
// a pop-up in the polite live region of the layout (a link "Open the
// lead" and a close button; Escape closes it), a short beep made with
// WebAudio (no audio file), and the tab's title alternating with
// "★ New lead" until the agent comes back to the page (focus, a click or
// a key, the tab shown again). Words come from the region's data-
// attributes, in the page's language. The profile's "Try" button shows a
// sample with the boxes as they are ticked.
(function () {
  "use strict";
  var region = document.querySelector("[data-lead-alerts]");
  if (!region) { return; }
  var words = {
    heading: region.getAttribute("data-heading") || "New lead",
    open: region.getAttribute("data-open") || "Open the lead",
    close: region.getAttribute("data-close") || "Close",
    flash: region.getAttribute("data-flash") || "★ New lead",
    source: region.getAttribute("data-source") || "Source"
  };
  var shown = 0;

  // ---- the pop-up ----------------------------------------------------------
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text) { e.textContent = text; }
    return e;
  }
  function closeAlert(box, refocus) {
    if (!box || !box.parentNode) { return; }
    var inside = box.contains(document.activeElement);
    box.parentNode.removeChild(box);
    if (inside || refocus) {
      var next = region.querySelector(".lead-alert:last-child a");
      if (next) { next.focus(); } else if (box.previousFocus && document.contains(box.previousFocus)) { box.previousFocus.focus(); }
    }
  }
  function popup(d) {
    shown += 1;
    var id = "lead-alert-" + shown;
    var box = el("div", "lead-alert");
    box.setAttribute("role", "group");
    box.setAttribute("aria-labelledby", id);
    box.setAttribute("data-lead", d.id || "");
    box.previousFocus = document.activeElement;
    var h = el("h2", "lead-alert-heading", words.heading);
    h.id = id;
    box.appendChild(h);
    var name = el("p", "lead-alert-name", d.name || "");
    box.appendChild(name);
    var what = [d.product, d.source ? words.source + " " + d.source : ""].filter(Boolean).join(" · ");
    if (what) { box.appendChild(el("p", "lead-alert-meta", what)); }
    var actions = el("p", "lead-alert-actions");
    var open = el("a", "button primary", words.open);
    open.href = d.url || ("/leads/" + encodeURIComponent(d.id || ""));
    actions.appendChild(open);
    var close = el("button", "lead-alert-close", words.close);
    close.type = "button";
    close.addEventListener("click", function () { closeAlert(box, true); });
    actions.appendChild(close);
    box.appendChild(actions);
    region.appendChild(box);
    while (region.children.length > 3) { region.removeChild(region.firstElementChild); }
  }
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" || e.defaultPrevented) { return; }
    var t = document.activeElement;
    var box = t && t.closest ? t.closest(".lead-alert") : null;
    if (!box && (!t || t === document.body)) { box = region.querySelector(".lead-alert:last-child"); }
    if (box) { e.preventDefault(); closeAlert(box, false); }
  });

  // ---- the beep ----------------------------------------------------------------
  var audio = null;
  function beep() {
    var AC = window.AudioContext || window.webkitAudioContext;
    if (!AC) { return; }
    try {
      audio = audio || new AC();
      if (audio.state === "suspended" && audio.resume) { audio.resume(); }
      var now = audio.currentTime;
      [0, 0.22].forEach(function (at) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.type = "sine";
        osc.frequency.value = 880;
        gain.gain.setValueAtTime(0.0001, now + at);
        gain.gain.exponentialRampToValueAtTime(0.25, now + at + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, now + at + 0.18);
        osc.connect(gain);
        gain.connect(audio.destination);
        osc.start(now + at);
        osc.stop(now + at + 0.2);
      });
    } catch (err) { /* no sound: the pop-up and the flash still tell */ }
  }

  // ---- the tab's flash -----------------------------------------------------
  var original = null;
  var timer = null;
  function stopFlash() {
    if (timer === null) { return; }
    window.clearInterval(timer);
    timer = null;
    document.title = original;
    original = null;
    document.documentElement.removeAttribute("data-lead-flash");
  }
  function flash() {
    if (timer !== null) { return; }
    original = document.title;
    document.documentElement.setAttribute("data-lead-flash", "on");
    var on = false;
    function tick() {
      on = !on;
      document.title = on ? words.flash : original;
    }
    tick();
    timer = window.setInterval(tick, 1000);
  }
  // The agent is back: the tab is shown or focused again, or they act on it.
  window.addEventListener("focus", function () { if (document.visibilityState === "visible") { stopFlash(); } });
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible" && timer !== null && document.hasFocus()) { stopFlash(); } });
  ["pointerdown", "keydown"].forEach(function (type) { document.addEventListener(type, stopFlash, true); });

  function alertOf(d) {
    if (d.popup) { popup(d); }
    if (d.sound) { beep(); }
    if (d.flash) { flash(); }
  }
  document.addEventListener("rapport:live", function (e) {
    var detail = e.detail || {};
    if (detail.topic !== "lead.assigned" || !detail.data) { return; }
    alertOf(detail.data);
  });

  // ---- the profile's try button ----------------------------------------------
  var tryButton = document.querySelector("[data-lead-alert-try]");
  if (tryButton) {
    tryButton.hidden = false;
    tryButton.addEventListener("click", function () {
      var form = tryButton.form;
      function on(name) { var box = form.querySelector("input[name=" + name + "]"); return !!(box && box.checked); }
      var sample = { id: "", url: "#lead-alerts", name: "Marie Durand", product: "", source: "", popup: on("popup"), sound: on("sound"), flash: on("flash") };
      // The flash is stopped by the click that asked for it: start it after.
      window.setTimeout(function () { alertOf(sample); }, 0);
    });
  }
})();
