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
  // On a phone a table reads as stacked cards: each cell carries its column's label (shown by app.css). Done once
  // here for every table with a header row; tables inside .table-scroll (matrices) scroll instead.
  function stackTables(root) {
    root.querySelectorAll("table").forEach(function (table) {
      if (table.closest(".table-scroll")) { return; }
      var head = table.tHead && table.tHead.rows[0];
      if (!head) { return; }
      var labels = [];
      Array.prototype.forEach.call(head.cells, function (th) {
        for (var i = 0; i < (th.colSpan || 1); i++) { labels.push(th.textContent.trim()); }
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var col = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (labels[col] && !cell.hasAttribute("data-label") && cell.colSpan === 1) {
              cell.setAttribute("data-label", labels[col]);
            }
            col += cell.colSpan || 1;
          });
        });
      });
      table.classList.add("stack");
    });
  }
  stackTables(document);
  document.addEventListener("htmx:afterSwap", function () { stackTables(document); });
})();
