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



def _optional(module: str):
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            return None
        raise


# Each domain app with pages contributes `urls.py` (with app_name) mounted at its own prefix; `web` is the root.
# Pages the page layer composes for an app from several apps (`grassroots/web/pages/<app>.py`) join that app's
# namespace, so their URLs and names stay the app's.
for _app in settings.GRASSROOTS_APPS:
    _label = _app.rsplit(".", 1)[-1]
    if _label == "web":
        continue
    _urls = _optional(f"{_app}.urls")
    if _urls is None:
        continue
    _pages = _optional(f"grassroots.web.pages.{_label}")
    _patterns = [*_urls.urlpatterns, *(_pages.urlpatterns if _pages is not None else ())]
    urlpatterns.append(path(getattr(_urls, "URL_PREFIX", f"{_label}/"),
                            include((_patterns, getattr(_urls, "app_name", None)))))

urlpatterns.append(path("", include("grassroots.web.urls")))

handler404 = "grassroots.web.views.not_found"
