// Case intake forms (grid patrol, 信息直通车, hotline, 有呼必应): position from the browser, category hints,
// and open cases of the chosen category nearby (possible duplicates) once category and position are known.
// Plain forms keep working without this script (WeChat web views, no GPS): the grid/building select is the fallback.
(function () {
  function setStatus(form, text, cls) {
    var el = form.querySelector("[data-geo-status]");
    if (el) { el.textContent = text; el.className = "geo-status " + (cls || ""); }
  }

  function locate(form) {
    var lon = form.querySelector("input[name=lon]");
    var lat = form.querySelector("input[name=lat]");
    var crs = form.querySelector("input[name=crs]");
    if (!lon || !lat) { return; }
    if (!("geolocation" in navigator)) {
      setStatus(form, form.getAttribute("data-geo-unavailable") || "", "warn");
      return;
    }
    setStatus(form, form.getAttribute("data-geo-pending") || "", "");
    navigator.geolocation.getCurrentPosition(function (pos) {
      lon.value = pos.coords.longitude.toFixed(6);
      lat.value = pos.coords.latitude.toFixed(6);
      if (crs) { crs.value = "wgs84"; }
      setStatus(form, (form.getAttribute("data-geo-ok") || "") + " " + lat.value + ", " + lon.value, "ok");
      nearby(form);
    }, function () {
      setStatus(form, form.getAttribute("data-geo-failed") || "", "warn");
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  // Possible duplicates: the server renders the list (or nothing) for category + position.
  function nearby(form) {
    var box = form.querySelector("[data-nearby]");
    var url = form.getAttribute("data-nearby-url");
    var input = form.querySelector("[data-category-input]");
    var lon = form.querySelector("input[name=lon]");
    var lat = form.querySelector("input[name=lat]");
    var crs = form.querySelector("input[name=crs]");
    if (!box || !url || !input || !lon || !lat || !window.fetch) { return; }
    if (!input.value || !lon.value || !lat.value) { box.innerHTML = ""; return; }
    var query = "?category=" + encodeURIComponent(input.value) + "&lon=" + encodeURIComponent(lon.value) +
      "&lat=" + encodeURIComponent(lat.value) + "&crs=" + encodeURIComponent(crs ? crs.value : "wgs84");
    var asked = query;
    form.setAttribute("data-nearby-query", query);
    window.fetch(url + query, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.text() : "";
    }).then(function (html) {
      if (form.getAttribute("data-nearby-query") === asked) { box.innerHTML = html; }
    }).catch(function () { /* suggestions are a help, never a blocker */ });
  }

  // Emergency categories: show the 110/119/120 notice as soon as one is chosen.
  function emergencyNotice(form) {
    var input = form.querySelector("[data-category-input]");
    var notice = form.querySelector("[data-emergency-notice]");
    var list = input && document.getElementById(input.getAttribute("list") || "");
    if (!input || !notice) { return; }
    function check() {
      var emergency = false;
      if (input.tagName === "SELECT") {
        var opt = input.options[input.selectedIndex];
        emergency = !!(opt && opt.getAttribute("data-emergency") === "1");
      } else if (list) {
        for (var i = 0; i < list.options.length; i++) {
          var o = list.options[i];
          if (o.value === input.value && o.getAttribute("data-emergency") === "1") { emergency = true; }
        }
      }
      notice.classList.toggle("hidden", !emergency);
    }
    input.addEventListener("change", check);
    input.addEventListener("input", check);
    check();
  }

  function init() {
    var forms = document.querySelectorAll("form[data-geolocate]");
    for (var i = 0; i < forms.length; i++) { locate(forms[i]); }
    var all = document.querySelectorAll("form[data-case-intake]");
    for (var j = 0; j < all.length; j++) {
      emergencyNotice(all[j]);
      (function (form) {
        var input = form.querySelector("[data-category-input]");
        if (input) { input.addEventListener("change", function () { nearby(form); }); }
        nearby(form);
      })(all[j]);
    }
    document.addEventListener("click", function (ev) {
      var b = ev.target.closest("[data-geo-retry]");
      if (b) { ev.preventDefault(); locate(b.form); }
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
