"""Pages composed from several apps. A module named after an app (``pages/territory.py``) holds views whose
``urlpatterns`` join that app's URL namespace (``config/urls.py`` mounts them with the app's own), so the URLs and
their names stay the app's while the page reads from several apps (``web.compose``)."""
