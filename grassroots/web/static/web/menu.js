// The menu's search box: typing shows only the entries whose names contain the text, with their sections open.
(function () {
  var box = document.querySelector("[data-menu-filter]");
  if (!box) { return; }
  var nav = box.closest("nav");
  var sections = Array.prototype.slice.call(nav.querySelectorAll(".navsec"));
  var remembered = sections.map(function (s) { return s.open; });
  var empty = nav.querySelector(".menu-empty");
  box.addEventListener("input", function () {
    var text = box.value.trim().toLowerCase();
    var shown = 0;
    sections.forEach(function (section, i) {
      var inSection = 0;
      section.querySelectorAll("a").forEach(function (a) {
        var match = !text || a.textContent.toLowerCase().indexOf(text) !== -1;
        a.hidden = !match;
        if (match) { inSection += 1; }
      });
      section.hidden = inSection === 0;
      section.open = text ? inSection > 0 : remembered[i];
      shown += inSection;
    });
    if (empty) { empty.hidden = shown !== 0; }
  });
  box.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var first = nav.querySelector(".navsec-items a:not([hidden])");
      if (first) { ev.preventDefault(); window.location.href = first.href; }
    }
  });
})();
