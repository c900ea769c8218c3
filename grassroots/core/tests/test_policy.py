"""Policy settings (``core.policy``): rows read through one cached copy, cleared on save and delete."""

from __future__ import annotations

import pytest

from grassroots.core import policy
from grassroots.core.models import PolicySetting

pytestmark = pytest.mark.django_db


def test_a_setting_without_a_row_gives_the_callers_default():
    assert policy.setting("volunteer.rank_individuals", True) is True
    assert policy.setting("nothing.here") is None


def test_saving_or_deleting_a_row_is_seen_at_once_and_reads_are_cached(django_assert_num_queries):
    row = PolicySetting.objects.create(key="kpi.rank_individuals", value=False)
    assert policy.setting("kpi.rank_individuals", True) is False
    with django_assert_num_queries(0):
        assert policy.setting("kpi.rank_individuals", True) is False
    row.value = {"limit": 3}
    row.save()
    assert policy.setting("kpi.rank_individuals") == {"limit": 3}
    row.delete()
    assert policy.setting("kpi.rank_individuals", True) is True


def test_a_write_without_signals_is_seen_when_the_fingerprint_is_next_checked(monkeypatch):
    assert policy.setting("duplicate_hours") is None
    PolicySetting.objects.bulk_create([PolicySetting(key="duplicate_hours", value=24)])  # no signal
    assert policy.setting("duplicate_hours") is None  # checked less than RECHECK_SECONDS ago
    monkeypatch.setattr(policy, "RECHECK_SECONDS", 0)
    assert policy.setting("duplicate_hours") == 24


def test_the_cases_reader_adds_its_defaults_and_its_invalidate_clears_the_settings_too(monkeypatch):
    from grassroots.cases import policy as case_policy

    assert case_policy.setting("reopen_window_days") == 7
    assert case_policy.setting("not.a.case.key", "x") == "x"
    PolicySetting.objects.bulk_create([PolicySetting(key="reopen_window_days", value=3)])  # no signal
    assert case_policy.setting("reopen_window_days") == 7
    case_policy.invalidate()
    assert case_policy.setting("reopen_window_days") == 3
