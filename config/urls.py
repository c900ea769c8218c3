import importlib

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("open311/v2/", include("grassroots.cases.open311.urls")),
]

# Each domain app with pages contributes `urls.py` (with app_name) mounted at its own prefix; `web` is the root.
for _app in settings.GRASSROOTS_APPS:
    _label = _app.rsplit(".", 1)[-1]
    if _label == "web":
        continue
    try:
        _urls = importlib.import_module(f"{_app}.urls")
    except ModuleNotFoundError as exc:
        if exc.name == f"{_app}.urls":
            continue
        raise
    urlpatterns.append(path(getattr(_urls, "URL_PREFIX", f"{_label}/"), include(f"{_app}.urls")))

urlpatterns.append(path("", include("grassroots.web.urls")))
