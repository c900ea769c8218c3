"""The REST API (Django Ninja): one NinjaAPI, one router per domain app, errors as JSON with a code and a message."""

from __future__ import annotations

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from grassroots.core.errors import ApplicationError
from grassroots.core.openapi import document_errors, error_body
from grassroots.people.api_auth import api_auth


class GrassrootsAPI(NinjaAPI):
    """The API whose published OpenAPI documents every operation's error responses with one schema, and whose
    answers are never stored by a browser or a proxy: each depends on the caller's scope, and many carry personal
    data (``Cache-Control: no-store``)."""

    def get_openapi_schema(self, *args, **kwargs):
        return document_errors(super().get_openapi_schema(*args, **kwargs))

    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        response["Cache-Control"] = "no-store"
        return response


api = GrassrootsAPI(
    title="grassroots 基层治理平台 API",
    version="1",
    urls_namespace="api",
    auth=api_auth,
    docs_url="/docs",
)


@api.exception_handler(ApplicationError)
def application_error(request, exc: ApplicationError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, error_body("not_found", "对象不存在", "Not found"), status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, error_body("unauthenticated", "请先登录", "Authentication required"),
                               status=401)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    """Refusals raised inside Ninja itself (the session's CSRF check, an unreadable body) in the same format."""
    if exc.status_code == 403:
        body = error_body("csrf_failed", "请求校验失败（CSRF），请刷新页面后重试",
                          "The request failed its CSRF check: reload the page and try again")
    else:
        body = error_body("invalid" if exc.status_code == 400 else "error", "请求无法处理", str(exc))
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError):
    return api.create_response(
        request,
        error_body("invalid", "输入有误", "Invalid input", errors=exc.errors),
        status=400,
    )


def _register() -> None:
    import importlib

    from django.conf import settings

    for app in settings.GRASSROOTS_APPS:
        try:
            module = importlib.import_module(f"{app}.api")
        except ModuleNotFoundError as exc:
            if exc.name == f"{app}.api":
                continue
            raise
        router = getattr(module, "router", None)
        if router is not None:
            api.add_router(getattr(module, "URL_PREFIX", f"/{app.rsplit('.', 1)[-1]}/"), router)


_register()
