// Rapport web form, embeddable: renders the form described by cfg into the
// element named by the script's data-target (else #rapport-form-<code>) and
// posts it with fetch, showing the confirmation or each field's error.
(function (cfg) {
  "use strict";
  var script = document.currentScript;
  var origin = script && script.src ? new URL(script.src).origin : "";
  var id = (script && script.getAttribute("data-target")) || "rapport-form-" + cfg.code;
  var target = document.getElementById(id);
  if (!target) { return; }
  var action = origin + "/forms/" + cfg.code + "?lang=" + cfg.lang;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) { e.textContent = text; }
    return e;
  }
  var form = el("form", { method: "post", action: action, enctype: "multipart/form-data", novalidate: "" });
  form.className = "rapport-form";
  var errors = {};
  function field(name, label, input) {
    var p = el("p");
    var l = el("label", { "for": id + "-" + name }, label);
    input.id = id + "-" + name;
    input.name = name;
    var err = el("span", { "class": "rapport-error", id: id + "-" + name + "-error", "aria-live": "polite" });
    input.setAttribute("aria-describedby", err.id);
    errors[name] = err;
    p.appendChild(l); p.appendChild(document.createElement("br")); p.appendChild(input); p.appendChild(err);
    form.appendChild(p);
  }
  field("name", cfg.t.name, el("input", { type: "text", autocomplete: "name", required: "" }));
  field("email", cfg.t.email, el("input", { type: "email", autocomplete: "email", required: "" }));
  if (cfg.phone) { field("phone", cfg.t.phone, el("input", { type: "tel", autocomplete: "tel" })); }
  field("subject", cfg.t.subject, el("input", { type: "text", required: "" }));
  field("message", cfg.t.message, el("textarea", { rows: "6", required: "" }));
  if (cfg.attachments) { field("attachments", cfg.t.attachments, el("input", { type: "file", multiple: "" })); }
  var trap = el("p", { "aria-hidden": "true", style: "position:absolute;left:-10000px" });
  trap.appendChild(el("input", { type: "text", name: "website", tabindex: "-1", autocomplete: "off" }));
  form.appendChild(trap);
  var status = el("p", { role: "status", "class": "rapport-status" });
  form.appendChild(status);
  var send = el("button", { type: "submit" }, cfg.t.send);
  form.appendChild(send);
  target.appendChild(form);

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    Object.keys(errors).forEach(function (k) { errors[k].textContent = ""; });
    status.textContent = "";
    send.disabled = true;
    fetch(action, { method: "POST", body: new FormData(form), headers: { Accept: "application/json" }, credentials: "omit", mode: "cors" })
      .then(function (r) { return r.json(); })
      .then(function (res) {
        send.disabled = false;
        if (res.ok) {
          var done = el("div", { role: "status", "class": "rapport-confirmation" });
          res.confirmation.split(/\n\s*\n/).forEach(function (para) { done.appendChild(el("p", {}, para)); });
          if (res.reference) { done.appendChild(el("p", {}, cfg.t.reference + " " + res.reference)); }
          target.replaceChild(done, form);
          return;
        }
        status.textContent = res.error || cfg.t.network;
        Object.keys(res.fields || {}).forEach(function (k) {
          if (errors[k]) { errors[k].textContent = " " + res.fields[k]; }
        });
      })
      .catch(function () { send.disabled = false; status.textContent = cfg.t.network; });
  });
})
