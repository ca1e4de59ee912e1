// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // The reader picks an audience: show it at once (the Show button remains for no-JS and keyboard users).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // WCAG 1.4.13: a citation's popover can be dismissed with Escape without moving focus.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll(".cite-wrap").forEach(function (wrap) { wrap.classList.add("tip-dismissed"); });
  });
  document.addEventListener("focusin", function (event) {
    var wrap = event.target.closest && event.target.closest(".cite-wrap");
    document.querySelectorAll(".tip-dismissed").forEach(function (w) { if (w !== wrap) { w.classList.remove("tip-dismissed"); } });
  });
  document.addEventListener("mouseover", function (event) {
    var wrap = event.target.closest && event.target.closest(".cite-wrap");
    if (wrap) { wrap.classList.remove("tip-dismissed"); place(wrap); }
  });
  document.addEventListener("focusin", function (event) {
    var wrap = event.target.closest && event.target.closest(".cite-wrap");
    if (wrap) { place(wrap); }
  });
  // Keep an open popover inside the viewport (citations near the right edge would push it out).
  function place(wrap) {
    var tip = wrap.querySelector(".tip");
    if (!tip || getComputedStyle(tip).position === "fixed") { return; }
    tip.style.left = "0px";
    var over = tip.getBoundingClientRect().right - (document.documentElement.clientWidth - 8);
    if (over > 0) { tip.style.left = (-over) + "px"; }
  }
})();
