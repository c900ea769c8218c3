"""URLs for ``bench/cases_intake.py`` only: the project's URLs plus a baseline endpoint.

The baseline goes through the same middleware and the same API authentication (a personal API token as a bearer
header) and parses the same JSON body as the intake endpoint, then does one bare INSERT into a scratch table.
It is mounted only by the benchmark's settings (``cases_intake_settings``), never in production URLs.
"""

from django.db import connection
from django.urls import path
from ninja import NinjaAPI, Schema

from config.urls import urlpatterns as project_urlpatterns
from grassroots.people.api_auth import api_auth

baseline = NinjaAPI(title="bench baseline", version="bench", urls_namespace="bench_baseline", auth=api_auth,
                    docs_url=None)


class IntakeLike(Schema):
    channel: str = "resident"
    category: str
    title: str
    description: str = ""
    lon: float | None = None
    lat: float | None = None


@baseline.post("/insert", response={201: dict}, operation_id="bench_baseline_insert")
def bare_insert(request, payload: IntakeLike):
    with connection.cursor() as cur:
        cur.execute("INSERT INTO bench_insert (title, user_id) VALUES (%s, %s) RETURNING id",
                    [payload.title, request.auth.pk])
        row_id = cur.fetchone()[0]
    return 201, {"id": row_id}


urlpatterns = [path("bench/", baseline.urls), *project_urlpatterns]
