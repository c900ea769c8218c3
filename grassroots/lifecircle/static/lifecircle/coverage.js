// Coverage map: buildings lacking a required facility within its circle.
(function () {
  var el = document.getElementById("gaps-map");
  if (!el || !window.L) { return; }
  var map = L.map(el);
  if (el.dataset.tileUrl) { L.tileLayer(el.dataset.tileUrl, { maxZoom: 19 }).addTo(map); }
  fetch(el.dataset.gapsUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
    var layer = L.geoJSON(data, {
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 4, color: "#cf222e", weight: 1, fillOpacity: 0.7 });
      },
      onEachFeature: function (f, l) {
        var p = f.properties;
        l.bindPopup(p.name + " (" + p.code + ")<br>" + el.dataset.missingLabel + ": " + p.missing.join(", "));
      }
    }).addTo(map);
    if (data.features.length) { map.fitBounds(layer.getBounds()); } else { map.setView([37.45, 118.66], 13); }
    el.dataset.loaded = String(data.features.length);
  });
})();
