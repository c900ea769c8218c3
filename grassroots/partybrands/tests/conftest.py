import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


def png(name="logo.png") -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 20, 20)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def party(world):
    from tests.support.party import build_party

    return build_party(world)


@pytest.fixture
def b(world, party, frozen_now):
    """The g1 branch's secretary keeps the brand; the 安泰 community committee's officer rates it; three
    officers of the 东城 subdistrict committee review; g4's secretary (银河) and a plain resident are outside."""
    from grassroots.core import roles as R
    from grassroots.party.posts import party_post_create
    from tests.support.world import make_user

    start = dt.date(2020, 1, 1)
    ns = SimpleNamespace(w=world, p=party)

    def post(username, role, org):
        user = make_user(username)
        party_post_create(actor=world.admin, user=user, role=role, org=org, start_date=start)
        return user

    ns.secretary = post("brand_sec_g1", R.Role.PARTY_BRANCH_SECRETARY, party.g1)
    ns.officer = post("brand_officer_c1", R.Role.PARTY_COMMITTEE_OFFICER, party.c1)
    ns.reviewers = [post(f"brand_reviewer_{i}", R.Role.PARTY_COMMITTEE_OFFICER, party.s1) for i in range(3)]
    ns.stranger = post("brand_sec_g4", R.Role.PARTY_BRANCH_SECRETARY, party.g4)
    return ns


def full_brand(ns, name="先锋网格", **kw):
    from grassroots.partybrands import services

    return services.brand_create(actor=ns.secretary, org=ns.p.g1, sector="community", name=name,
                                 connotation="党建引领网格治理", carriers="党员包楼", results="居民满意度提升",
                                 logo=png(), **kw)
