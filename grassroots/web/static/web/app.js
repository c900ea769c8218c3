// Small behaviours without inline scripts (CSP): menu toggle, confirmations, auto-submit filters.
(function () {
  document.addEventListener("click", function (ev) {
    var t = ev.target.closest("[data-toggle=nav]");
    if (t) {
      var nav = document.getElementById(t.getAttribute("aria-controls"));
      var open = nav.classList.toggle("open");
      t.setAttribute("aria-expanded", open ? "true" : "false");
    }
  });
  // <form data-confirm="…"> asks before a destructive action.
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { ev.preventDefault(); }
  }, true);
  // <select data-autosubmit> submits its form on change.
  document.addEventListener("change", function (ev) {
    if (ev.target.matches("[data-autosubmit]")) { ev.target.form.requestSubmit(); }
  });
})();
