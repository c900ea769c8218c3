import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from grassroots.core import crypto
from grassroots.people import selectors

from .factories import person

pytestmark = pytest.mark.django_db


def raw(p):
    with connection.cursor() as cur:
        cur.execute("SELECT id_number, phone, id_number_index, phone_index FROM people_person WHERE id = %s", [p.pk])
        return cur.fetchone()


@pytest.fixture(autouse=True)
def _fresh_ciphers():
    crypto._multifernet.cache_clear()
    yield
    crypto._multifernet.cache_clear()


def test_rotation_re_encrypts_with_the_newest_key_and_never_stores_plaintext(world):
    p = person(world, phone="13812345678")
    old_id, old_phone, _, _ = raw(p)
    new_key = Fernet.generate_key().decode()
    keys = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    with override_settings(FIELD_ENCRYPTION_KEYS=keys):
        crypto._multifernet.cache_clear()
        call_command("rotate_keys", "--no-progress")
        new_id, new_phone, _, _ = raw(p)
        assert new_id != old_id and new_phone != old_phone
        for token, plain in ((new_id, p.id_number), (new_phone, "13812345678")):
            assert token.startswith("enc1:") and plain not in token
            # readable with the new key alone: the old key can be retired
            assert Fernet(new_key.encode()).decrypt(token[5:].encode()).decode() == plain
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key]):
        crypto._multifernet.cache_clear()
        p.refresh_from_db()
        assert p.phone == "13812345678"


def test_blind_index_option_recomputes_indexes_after_the_key_changes(world):
    p = person(world, phone="13812345678")
    _, _, old_index, old_phone_index = raw(p)
    with override_settings(BLIND_INDEX_KEY="another-blind-index-key"):
        assert selectors.person_find_by_id_number(actor=world.community_staff, id_number=p.id_number) is None
        call_command("rotate_keys", "--blind-index", "--no-progress")
        _, _, new_index, new_phone_index = raw(p)
        assert new_index != old_index and new_phone_index != old_phone_index
        assert new_index == crypto.blind_index(p.id_number, purpose="id_number")
        assert selectors.person_find_by_id_number(actor=world.community_staff, id_number=p.id_number) == p
        assert list(selectors.person_find_by_phone(actor=world.community_staff, phone="13812345678")) == [p]


def test_rotation_is_recorded(world):
    from grassroots.core.models import Event

    person(world)
    call_command("rotate_keys", "--no-progress", "--batch-size", "1")
    event = Event.objects.get(verb="crypto.rotate_keys")
    assert event.payload["rows"]["people.Person"] >= 3


def test_rotation_without_the_old_key_stops_with_a_clear_error_and_changes_nothing_in_that_batch(world):
    from django.core.management import CommandError

    p = person(world)
    before = raw(p)
    with override_settings(FIELD_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]):
        crypto._multifernet.cache_clear()
        with pytest.raises(CommandError, match="FIELD_ENCRYPTION_KEYS"):
            call_command("rotate_keys", "--no-progress")
    assert raw(p) == before
