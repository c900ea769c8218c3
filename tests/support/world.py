"""A small, complete world for tests: territory, organisations, and one account per role.

Built through the real services. Layout (lon/lat squares near Dongying):

    zone 370571 东营经济技术开发区
      S1 东城街道 ── C1 安泰社区 ── G1, G2     S1 ── C2 新华社区 ── G3
      S2 胜园街道 ── C3 银河社区 ── G4       S2 ── P1 新材料产业园 ── E1 (enterprise grid)
    each grid has one residential building at its centre.
"""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

PASSWORD = "Grassroots#2026"
BASE_LON, BASE_LAT, STEP = 118.60, 37.40, 0.01


def square(i: int, row: int = 0) -> dict:
    x0, y0 = BASE_LON + STEP * i, BASE_LAT + STEP * row
    x1, y1 = x0 + STEP, y0 + STEP
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def union_box(i0: int, i1: int, row: int = 0) -> dict:
    x0, y0 = BASE_LON + STEP * i0, BASE_LAT + STEP * row
    x1, y1 = BASE_LON + STEP * (i1 + 1), y0 + STEP
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def centre(i: int, row: int = 0) -> tuple[float, float]:
    return BASE_LON + STEP * i + STEP / 2, BASE_LAT + STEP * row + STEP / 2


def make_user(username: str, *, role: str | None = None, region=None, organization=None, person=None,
              start: dt.date | None = None, superuser: bool = False):
    from grassroots.people.models import Post, User

    user = User.objects.create_user(username=username, password=PASSWORD, display_name=username, person=person,
                                    is_staff=superuser, is_superuser=superuser)
    if role:
        Post.objects.create(user=user, role=role, region=region, organization=organization,
                            start_date=start or dt.date(2020, 1, 1))
    return user


def build_world() -> SimpleNamespace:
    from grassroots.people.models import Organization, Person
    from grassroots.territory.models import Level
    from grassroots.territory.services import region_create

    w = SimpleNamespace()
    w.password = PASSWORD
    w.zone = region_create(actor=None, level=Level.ZONE, name="东营经济技术开发区", code="370571",
                           geometry=union_box(0, 5), record_event=False)
    w.s1 = region_create(actor=None, level=Level.SUBDISTRICT, name="东城街道", parent=w.zone,
                         geometry=union_box(0, 2), record_event=False)
    w.s2 = region_create(actor=None, level=Level.SUBDISTRICT, name="胜园街道", parent=w.zone,
                         geometry=union_box(3, 5), record_event=False)
    w.c1 = region_create(actor=None, level=Level.COMMUNITY, name="安泰社区", parent=w.s1, geometry=union_box(0, 1),
                         record_event=False)
    w.c2 = region_create(actor=None, level=Level.COMMUNITY, name="新华社区", parent=w.s1, geometry=square(2),
                         record_event=False)
    w.c3 = region_create(actor=None, level=Level.COMMUNITY, name="银河社区", parent=w.s2, geometry=square(3),
                         record_event=False)
    w.p1 = region_create(actor=None, level=Level.PARK, name="新材料产业园", parent=w.s2, geometry=union_box(4, 5),
                         record_event=False)
    grids = []
    for i, (parent, name) in enumerate([(w.c1, "安泰一网格"), (w.c1, "安泰二网格"), (w.c2, "新华一网格"),
                                        (w.c3, "银河一网格"), (w.p1, "园区一网格")]):
        kind = "enterprise" if parent.level == Level.PARK else "comprehensive"
        grids.append(region_create(actor=None, level=Level.GRID, name=name, parent=parent, geometry=square(i),
                                   grid_kind=kind, households=400, record_event=False))
    w.g1, w.g2, w.g3, w.g4, w.e1 = grids
    w.grids = grids
    w.buildings = []
    for i, grid in enumerate(grids[:4]):
        lon, lat = centre(i)
        w.buildings.append(region_create(actor=None, level=Level.BUILDING, name=f"{grid.name}1号楼", parent=grid,
                                         lon=lon, lat=lat, floors=6, record_event=False))
    w.b1, w.b2, w.b3, w.b4 = w.buildings

    org = Organization.objects.create
    w.dept_city = org(name="城市管理局", kind=Organization.Kind.DEPARTMENT, region=w.zone)
    w.dept_housing = org(name="住房和城乡建设局", kind=Organization.Kind.DEPARTMENT, region=w.zone)
    w.enterprise = org(name="国瓷材料有限公司", kind=Organization.Kind.ENTERPRISE, region=w.e1)
    w.other_enterprise = org(name="东凯新材料产业园有限公司", kind=Organization.Kind.STATE_OWNED_ENTERPRISE,
                             region=w.e1)

    w.person1 = Person.objects.create(name="张居民", building=w.b1, region=w.g1, birth_date=dt.date(1980, 5, 1))
    w.person3 = Person.objects.create(name="李居民", building=w.b3, region=w.g3, birth_date=dt.date(1975, 3, 2))

    w.grid_worker = make_user("grid1", role="grid_worker", region=w.g1)
    w.grid_worker3 = make_user("grid3", role="grid_worker", region=w.g3)
    w.community_staff = make_user("staff1", role="community_staff", region=w.c1)
    w.community_secretary = make_user("secretary1", role="community_secretary", region=w.c1)
    w.other_staff = make_user("staff3", role="community_staff", region=w.c3)
    w.subdistrict_officer = make_user("street1", role="subdistrict_officer", region=w.s1)
    w.department_handler = make_user("dept_city", role="department_handler", organization=w.dept_city)
    w.department_handler2 = make_user("dept_housing", role="department_handler", organization=w.dept_housing)
    w.hotline_operator = make_user("hotline", role="hotline_operator", region=w.zone)
    w.zone_leader = make_user("leader", role="zone_leader", region=w.zone)
    w.party_instructor = make_user("instructor", role="party_instructor", region=w.e1)
    w.enterprise_contact = make_user("enterprise1", role="enterprise_contact", organization=w.enterprise)
    w.resident = make_user("resident1", person=w.person1)
    w.resident3 = make_user("resident3", person=w.person3)
    w.admin = make_user("admin", role="admin", superuser=True)
    w.auditor = make_user("auditor", role="auditor")
    return w


def scope_test(*names: str):
    """Mark a test as the scope test of URL names (``"territory:grid_detail"``) or API operation ids.

    The meta-test ``web/tests/test_scope_coverage.py`` walks every URL pattern and API operation and fails when one
    is named by no ``scope_test`` (out of scope: details 404, lists and exports leave the object out).
    """

    def decorate(fn):
        fn.scope_names = getattr(fn, "scope_names", ()) + names
        return fn

    return decorate


def login_verified(client, user):
    """Sign ``user`` in on a test client with a confirmed TOTP device, as if the second factor had been entered."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="default", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def browser_login(page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login page, as a person would (browser tests; see the ``browser_page`` fixture)."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def issue_token(user, name: str = "tests") -> str:
    """A personal API token for ``user``, created as the token page does: for posts that require a second factor,
    with a confirmed TOTP device and from a session that passed it."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from grassroots.people import security, tokens

    if security.needs_second_factor(user):
        TOTPDevice.objects.get_or_create(user=user, name="default", defaults={"confirmed": True})
        user.is_verified = lambda: True
    _, secret = tokens.token_create(actor=user, name=name)
    return secret


def menu_click(page, label: str) -> None:
    """Open a menu entry as a person would: type its name in the menu's search box (the sections open to show the
    matches), then click the entry with exactly that name."""
    page.fill("nav#mainnav [data-menu-filter]", label)
    exact = re.compile(f"^{re.escape(label)}$")
    page.locator("nav#mainnav .navsec-items a:visible").filter(has_text=exact).first.click()
