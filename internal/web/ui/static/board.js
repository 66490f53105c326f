// The board: cards move by drag and drop, by the keyboard (arrow keys
// pick a column, Enter moves, Escape cancels) or by each card's "Move to"
// form, all posting POST /board/move; the outcome is announced in the
// page's live region and a refused card stays where it was, with why.
// Without this file each card's form posts the move and the page reloads.
(function () {
  "use strict";
  var root = document.querySelector("[data-board]");
  if (!root) { return; }
  var msg = document.getElementById("board-msg");
  var dragged = null;
  var picking = null; // {card, index} while the arrow keys pick a column

  function cols() { return Array.prototype.slice.call(root.querySelectorAll(".board-col")); }
  function colOf(card) { return card.closest(".board-col"); }
  function column(status) {
    return cols().filter(function (c) { return c.getAttribute("data-status") === status; })[0];
  }
  function say(text, bad) {
    msg.textContent = text;
    msg.classList.toggle("alert", !!bad);
  }
  function fill(template, card, col) {
    return template.replace("%ref", card.getAttribute("data-ref")).replace("%col", col.getAttribute("data-name"));
  }
  function bump(col, d) {
    var c = col.querySelector(".count");
    var n = parseInt(c.getAttribute("data-count"), 10) + d;
    c.setAttribute("data-count", String(n));
    if (!/\+$/.test(c.textContent)) { c.textContent = String(n); }
  }
  // The card's "Move to" choices: every column but its own.
  function refreshChoices(card) {
    var select = card.querySelector("select[name=to]");
    var here = colOf(card).getAttribute("data-status");
    select.innerHTML = "";
    cols().forEach(function (c) {
      if (c.getAttribute("data-status") === here) { return; }
      var o = document.createElement("option");
      o.value = c.getAttribute("data-status");
      o.textContent = c.getAttribute("data-name");
      select.appendChild(o);
    });
  }
  function clearTargets() {
    cols().forEach(function (c) { c.classList.remove("drop-target"); });
  }

  function move(card, to) {
    var from = colOf(card);
    var target = column(to);
    if (!target || from === target) { return; }
    var form = card.querySelector("form.board-move");
    var body = new URLSearchParams(new FormData(form));
    body.set("to", to);
    card.setAttribute("aria-busy", "true");
    fetch(form.getAttribute("action"), { method: "POST", body: body, credentials: "same-origin",
      headers: { "X-Board": "1", "Accept": "application/json" } })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); })
      .then(function (res) {
        card.removeAttribute("aria-busy");
        if (res.ok) {
          target.querySelector("ol").prepend(card);
          bump(from, -1);
          bump(target, 1);
          card.classList.remove("refused");
          refreshChoices(card);
          say(fill(root.getAttribute("data-moved"), card, target), false);
        } else {
          card.classList.add("refused");
          say(fill(root.getAttribute("data-refused"), card, target) + " " + (res.j.error || ""), true);
        }
        card.focus();
      })
      .catch(function () {
        card.removeAttribute("aria-busy");
        say(root.getAttribute("data-failed"), true);
      });
  }

  // Each card's form moves it without reloading the page.
  root.addEventListener("submit", function (e) {
    var form = e.target.closest("form.board-move");
    if (!form) { return; }
    e.preventDefault();
    move(form.closest(".board-card"), form.querySelector("select[name=to]").value);
  });

  // Drag and drop.
  root.addEventListener("dragstart", function (e) {
    var card = e.target.closest && e.target.closest(".board-card");
    if (!card) { return; }
    dragged = card;
    card.classList.add("dragging");
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", card.getAttribute("data-id"));
  });
  root.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
    dragged = null;
    clearTargets();
  });
  root.addEventListener("dragover", function (e) {
    var col = e.target.closest && e.target.closest(".board-col");
    if (!col || !dragged) { return; }
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
    clearTargets();
    col.classList.add("drop-target");
  });
  root.addEventListener("drop", function (e) {
    var col = e.target.closest && e.target.closest(".board-col");
    if (!col || !dragged) { return; }
    e.preventDefault();
    var card = dragged;
    clearTargets();
    move(card, col.getAttribute("data-status"));
  });

  // The keyboard: on a focused card, the arrows pick a column, Enter moves.
  root.addEventListener("keydown", function (e) {
    var card = e.target.classList && e.target.classList.contains("board-card") ? e.target : null;
    if (!card) { return; }
    var all = cols();
    if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
      e.preventDefault();
      if (!picking || picking.card !== card) { picking = { card: card, index: all.indexOf(colOf(card)) }; }
      var step = e.key === "ArrowRight" ? 1 : -1;
      picking.index = Math.max(0, Math.min(all.length - 1, picking.index + step));
      clearTargets();
      var col = all[picking.index];
      if (col === colOf(card)) {
        say(root.getAttribute("data-stay"), false);
        return;
      }
      col.classList.add("drop-target");
      say(fill(root.getAttribute("data-pick"), card, col), false);
    } else if (e.key === "Enter" && picking && picking.card === card) {
      e.preventDefault();
      var to = all[picking.index].getAttribute("data-status");
      picking = null;
      clearTargets();
      move(card, to);
    } else if (e.key === "Escape" && picking) {
      picking = null;
      clearTargets();
      say(root.getAttribute("data-stay"), false);
    }
  });
})();
