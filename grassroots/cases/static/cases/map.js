// Cases over grid polygons (Leaflet). The container carries data-url (a JSON endpoint returning
// {"grids": GeoJSON FeatureCollection, "cases": [{"lon", "lat", "label", "status", "url", "overdue"}]}),
// and optionally data-tiles (a tile URL template; without it the map shows the polygons alone, offline).
(function () {
  function colour(c) {
    if (c.overdue) { return "#cf222e"; }
    if (c.closed) { return "#1a7f37"; }
    return "#0969da";
  }

  function escapeHtml(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (ch) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[ch];
    });
  }

  function draw(el) {
    if (typeof L === "undefined") { return; }
    var map = L.map(el, { preferCanvas: true });
    var tiles = el.getAttribute("data-tiles");
    if (tiles) { L.tileLayer(tiles, { maxZoom: 19 }).addTo(map); }
    map.setView([37.43, 118.65], 12);
    var xhr = new XMLHttpRequest();
    xhr.open("GET", el.getAttribute("data-url"));
    xhr.setRequestHeader("Accept", "application/json");
    xhr.onload = function () {
      if (xhr.status !== 200) { return; }
      var data = JSON.parse(xhr.responseText);
      var bounds = null;
      if (data.grids && data.grids.features && data.grids.features.length) {
        var layer = L.geoJSON(data.grids, {
          style: { color: "#6e7781", weight: 1, fillOpacity: 0.05 },
          onEachFeature: function (f, l) { if (f.properties && f.properties.name) { l.bindTooltip(escapeHtml(f.properties.name)); } }
        }).addTo(map);
        bounds = layer.getBounds();
      }
      var pts = [];
      (data.cases || []).forEach(function (c) {
        if (c.lat == null || c.lon == null) { return; }
        var m = L.circleMarker([c.lat, c.lon], { radius: 6, color: colour(c), weight: 2, fillOpacity: 0.6 }).addTo(map);
        var html = escapeHtml(c.label) + "<br>" + escapeHtml(c.status_label || c.status);
        if (c.url) { html = '<a href="' + escapeHtml(c.url) + '">' + html + "</a>"; }
        m.bindPopup(html);
        pts.push([c.lat, c.lon]);
      });
      if (pts.length) {
        var b = L.latLngBounds(pts);
        bounds = bounds ? bounds.extend(b) : b;
      }
      if (bounds && bounds.isValid()) { map.fitBounds(bounds, { padding: [10, 10] }); }
      el.setAttribute("data-grids", String(data.grids && data.grids.features ? data.grids.features.length : 0));
      el.setAttribute("data-loaded", String(pts.length));
    };
    xhr.send();
  }

  function init() {
    var els = document.querySelectorAll("[data-case-map]");
    for (var i = 0; i < els.length; i++) { draw(els[i]); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
