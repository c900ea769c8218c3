import pytest


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The small core demo zone (no app extensions), built once for the module and removed afterwards.

    Committed outside the tests' transactions, so it writes no audit row (the audit log cannot be emptied)."""
    from grassroots.demo import generator

    with django_db_blocker.unblock():
        ctx = generator.build(size="small", seed=7, with_extensions=False, record_event=False)
        yield ctx
        generator.reset_database()


@pytest.fixture
def only_fake_extension(settings):
    """Extensions limited to a stand-in app, so these tests do not depend on other apps' demo modules."""
    from grassroots.demo.tests.fake_app import demo as fake

    settings.GRASSROOTS_APPS = [a for a in settings.GRASSROOTS_APPS if a in {"grassroots.core", "grassroots.demo"}]
    settings.GRASSROOTS_APPS.append("grassroots.demo.tests.fake_app")
    fake.CALLS.clear()
    return fake
