"""Shared fixtures. With CI=true nothing is skipped; browser tests need Debian's chromium."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from grassroots.core import clock


@pytest.fixture(autouse=True)
def _reset_clock():
    clock.reset()
    yield
    clock.reset()


@pytest.fixture(autouse=True)
def _fresh_policy_cache():
    """Policy rows, categories and posts written in one test are rolled back after it; no process-wide copy may
    outlive them."""
    from grassroots.cases import policy
    from grassroots.people import directory

    policy.invalidate()
    directory.invalidate()
    yield
    policy.invalidate()
    directory.invalidate()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in English activates English for the thread (Django's
    LocaleMiddleware), and that must not leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    """The shared cache (local memory in tests) keeps nothing from one test for the next."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _clear_outbox():
    from grassroots.core.notifications import MemoryBackend, clear_phone_outbox

    MemoryBackend.outbox.clear()
    clear_phone_outbox()
    yield


@pytest.fixture
def frozen_now():
    """Freeze the clock at a Wednesday morning, Beijing time."""
    from zoneinfo import ZoneInfo

    at = dt.datetime(2026, 11, 25, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    clock.freeze(at)
    return at


@pytest.fixture
def world(db):
    """A small territory with accounts for every role (see tests.support.world.build_world)."""
    from tests.support.world import build_world

    return build_world()


def pytest_collection_modifyitems(config, items):
    if os.environ.get("CI") == "true":
        return
    import shutil

    if not shutil.which("chromium") and not os.path.exists("/usr/bin/chromium"):
        skip = pytest.mark.skip(reason="Debian chromium is not installed (CI installs it)")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium driven by Playwright (``playwright install`` cannot download here)."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                  "--no-first-run", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_server):
    """A fresh browser context (Chinese locale) with ``page.base_url`` set to the live server."""
    context = chromium.new_context(locale="zh-CN", base_url=live_server.url, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()

