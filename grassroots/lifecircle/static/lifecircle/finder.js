// Fill the finder's position from the browser (works in WeChat web views that allow geolocation).
(function () {
  var form = document.getElementById("locate-form");
  if (!form) { return; }
  form.addEventListener("submit", function (ev) {
    var lon = document.getElementById("finder-lon");
    if (lon.value) { return; }
    if (!navigator.geolocation) { return; }
    ev.preventDefault();
    var status = document.getElementById("locate-status");
    status.textContent = status.dataset.locating;
    navigator.geolocation.getCurrentPosition(function (pos) {
      lon.value = pos.coords.longitude;
      document.getElementById("finder-lat").value = pos.coords.latitude;
      form.submit();
    }, function () {
      status.textContent = status.dataset.failed;
      form.submit();
    }, { timeout: 10000, maximumAge: 60000 });
  });
})();
