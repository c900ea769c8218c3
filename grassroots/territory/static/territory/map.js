// Territory map: grid polygons with labels from a GeoJSON view; a click opens the grid's panel (htmx) or page.
// No base tiles unless the page carries data-tile-url (settings.MAP_TILE_URL); geometry arrives in the tiles' CRS.
(function () {
  "use strict";
  var el = document.getElementById("territory-map");
  if (!el || !window.L) { return; }
  var map = L.map(el, { attributionControl: false });
  var tileUrl = el.getAttribute("data-tile-url");
  if (tileUrl) { L.tileLayer(tileUrl, { maxZoom: 19 }).addTo(map); }
  var panelSelector = el.getAttribute("data-panel-target");

  function openGrid(props) {
    var panel = panelSelector && document.querySelector(panelSelector);
    if (panel && window.htmx) {
      window.htmx.ajax("GET", props.panel_url, { target: panelSelector, swap: "innerHTML" });
    } else {
      window.location.href = props.url;
    }
  }

  function styleFor(feature) {
    var enterprise = feature.properties.grid_kind === "enterprise";
    return { color: enterprise ? "#1f5fa8" : "#b22222", weight: 2, fillOpacity: 0.12,
             className: "grid-polygon grid-" + feature.properties.code };
  }

  fetch(el.getAttribute("data-geojson-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        style: styleFor,
        onEachFeature: function (feature, lyr) {
          var p = feature.properties;
          lyr.bindTooltip(p.name, { permanent: true, direction: "center", className: "grid-label" });
          lyr.on("click", function () { openGrid(p); });
        }
      }).addTo(map);
      if (layer.getLayers().length) {
        map.fitBounds(layer.getBounds(), { padding: [12, 12] });
      } else {
        map.setView([37.45, 118.65], 11);
      }
      el.setAttribute("data-features", String(data.features.length));
    })
    .catch(function () {
      el.classList.add("map-error");
      el.textContent = el.getAttribute("data-error") || "地图数据加载失败";
    });
})();
