// Print the public notice (A4 print styles in deliberation.css).
(function () {
  document.addEventListener("click", function (ev) {
    if (ev.target.closest("[data-print]")) { ev.preventDefault(); window.print(); }
  });
})();
