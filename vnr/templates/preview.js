// vnr preview: reload this page when the review or its errors change, at the place being read.
(function () {
  "use strict";
  var me = document.currentScript;
  var shown = me.getAttribute("data-shown");
  var KEY = "vnr-preview-place";
  if ("scrollRestoration" in history) history.scrollRestoration = "manual";

  // The place being read: the last section whose top is above the window's, and how far below it.
  function place() {
    var sections = document.querySelectorAll("section[id], .section > h2[id]"), best = null;
    for (var i = 0; i < sections.length; i++) {
      if (sections[i].getBoundingClientRect().top <= 1) best = sections[i];
    }
    return best ? {id: best.id, below: -best.getBoundingClientRect().top} : {y: window.scrollY};
  }

  function restore() {
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(KEY)); } catch (e) { saved = null; }
    sessionStorage.removeItem(KEY);
    if (!saved) return;
    var el = saved.id ? document.getElementById(saved.id) : null;
    if (el) window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY + saved.below);
    else if (saved.y) window.scrollTo(0, saved.y);
  }

  // A small badge: which generation the PDF is of, and a link to it.
  var badge = document.createElement("a");
  badge.href = me.getAttribute("data-pdf");
  badge.target = "_blank";
  badge.setAttribute("style", "position:fixed;top:8px;right:8px;z-index:9;padding:3px 8px;font:12px sans-serif;" +
    "background:#0a2240;color:#fff;border-radius:3px;text-decoration:none;opacity:.85");
  badge.textContent = "PDF";
  document.body.appendChild(badge);

  function key(status) {
    return status.errors.length || status.html === null ? JSON.stringify(status.errors) : "html " + status.html;
  }

  function poll() {
    fetch("/status", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (status) {
      if (key(status) !== shown) {
        sessionStorage.setItem(KEY, JSON.stringify(place()));
        window.location.reload();
        return;
      }
      badge.textContent = status.pdf === null ? "PDF: laying out…"
        : status.pdf === status.html ? "PDF" : "PDF (generation " + status.pdf + "; laying out the newest…)";
      setTimeout(poll, 250);
    }, function () { setTimeout(poll, 1000); });  // the preview stopped or restarts: keep asking
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", restore);
  else restore();
  setTimeout(poll, 250);
})();
