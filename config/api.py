"""The REST API (Django Ninja): one NinjaAPI, one router per domain app, errors as JSON with a code and a message."""

from __future__ import annotations

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from grassroots.core.errors import ApplicationError
from grassroots.people.api_auth import api_auth

api = NinjaAPI(
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
    return api.create_response(request, {"code": "not_found", "message": "对象不存在", "message_en": "Not found"},
                               status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"code": "unauthenticated", "message": "请先登录",
                                         "message_en": "Authentication required"}, status=401)


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError):
    return api.create_response(
        request,
        {"code": "invalid", "message": "输入有误", "message_en": "Invalid input", "errors": exc.errors},
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
