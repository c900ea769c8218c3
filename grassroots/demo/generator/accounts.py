"""Demo accounts: one per role (named after the role) and one grid worker per grid (``gw_<grid code>``).

All share one password that meets the password rules; it is hashed once and the hash reused (argon2 takes a
noticeable fraction of a second per hash, and a few hundred accounts would dominate the build time).

The accounts whose posts require a second factor (``core.roles.SECOND_FACTOR``: zone leader, subdistrict officer,
admin, auditor) are enrolled with a confirmed TOTP device sharing one published demo secret (``TOTP_SECRET``, base32,
printed with the accounts): they sign in with a code from any authenticator app, and their personal API tokens
work from the start (the second factor binds tokens too). A demo secret, like the demo password: never in
production.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from grassroots.people import directory
from grassroots.people.models import Organization, Person, Post, Role, User

from .context import DemoContext

PASSWORD = "Demo#2026"
TOTP_SECRET = "GRASSROOTSDEMOTOTPSECRET"  # base32 (15 bytes); add it to an authenticator app for the demo accounts


def totp_key_hex() -> str:
    import base64

    return base64.b32decode(TOTP_SECRET).hex()


def build(ctx: DemoContext) -> None:
    rng = ctx.rng
    validate_password(ctx.password)
    hashed = make_password(ctx.password)
    start = ctx.today - dt.timedelta(days=730)
    antai = ctx.community("安泰社区")
    others = [c for c in ctx.communities if c.id != antai.id]
    other = others[0]
    subdistrict = next(s for s in ctx.subdistricts if s.id == antai.parent_id)
    park_grids = ctx.grids_by_area[ctx.park.id]
    antai_grid = ctx.grids_by_area[antai.id][0]
    enterprise = ctx.enterprises[0]
    resident_person = Person.objects.filter(region=antai_grid, is_household_head=True).order_by("id").first()
    persons = ctx.extra.get("persons") or []
    staff_names = [p.name for p in rng.sample(persons, min(len(persons), 400))] if persons else []

    users: list[User] = []
    posts: list[tuple[User, dict]] = []

    def display(default: str) -> str:
        return staff_names.pop() if staff_names else default

    def account(username: str, role: str, scope_label: str, *, scopes=(), organization=None, person=None,
                superuser: bool = False, title: str = "") -> User:
        user = User(username=username, password=hashed, display_name=person.name if person else display(username),
                    person=person, is_staff=superuser, is_superuser=superuser, password_changed_at=ctx.now)
        users.append(user)
        if role != Role.RESIDENT:
            for region in scopes or (None,):
                posts.append((user, {"role": role, "region": region, "organization": organization, "title": title}))
        ctx.users.setdefault(role, []).append(user)
        ctx.accounts.append((username, role, scope_label))
        return user

    dept_city = ctx.departments["城市管理局"]
    dept_housing = ctx.departments["住房和城乡建设局"]
    account("grid_worker", Role.GRID_WORKER, f"{antai.name}·{antai_grid.name}", scopes=[antai_grid], title="专职网格员")
    account("community_staff", Role.COMMUNITY_STAFF, antai.name, scopes=[antai], title="社区工作者")
    account("community_secretary", Role.COMMUNITY_SECRETARY, antai.name, scopes=[antai], title="社区党委书记")
    account("community_staff2", Role.COMMUNITY_STAFF, other.name, scopes=[other], title="社区工作者")
    account("subdistrict_officer", Role.SUBDISTRICT_OFFICER, subdistrict.name, scopes=[subdistrict], title="街道干部")
    account("dept_city", Role.DEPARTMENT_HANDLER, dept_city.name, organization=dept_city, title="办理人")
    account("dept_housing", Role.DEPARTMENT_HANDLER, dept_housing.name, organization=dept_housing, title="办理人")
    account("hotline_operator", Role.HOTLINE_OPERATOR, ctx.zone.name, scopes=[ctx.zone], title="12345 坐席")
    account("zone_leader", Role.ZONE_LEADER, ctx.zone.name, scopes=[ctx.zone], title="区领导")
    instructor_grids = park_grids[: max(1, min(5, len(park_grids)))]
    account("party_instructor", Role.PARTY_INSTRUCTOR,
            f"{ctx.park.name} {len(instructor_grids)} 个企业网格", scopes=instructor_grids, title="党建指导员")
    account("enterprise_contact", Role.ENTERPRISE_CONTACT, enterprise.name, organization=enterprise, title="联络员")
    cooperative = Organization.objects.filter(kind=Organization.Kind.COOPERATIVE).order_by("id").first()
    if cooperative is not None:
        for username, role, title in (("coop_accountant", Role.COOPERATIVE_ACCOUNTANT, "会计"),
                                      ("coop_board", Role.COOPERATIVE_BOARD_MEMBER, "理事长"),
                                      ("coop_supervisor", Role.COOPERATIVE_SUPERVISOR, "监事长")):
            account(username, role, cooperative.name, organization=cooperative, title=title)
    enterprise_grids = [g for g in park_grids if g.grid_kind == "enterprise"] or park_grids
    account("service_commissioner", Role.SERVICE_COMMISSIONER, f"{ctx.park.name} {enterprise_grids[0].name}",
            scopes=enterprise_grids[:1], title="企业服务专员")
    if resident_person is not None:
        account("resident", Role.RESIDENT, f"{resident_person.name}（{antai_grid.name}）", person=resident_person)
    account("admin", Role.ADMIN, "系统", superuser=True, title="系统管理员")
    account("auditor", Role.AUDITOR, "系统", title="审计管理员")

    for grid in ctx.grids:
        user = User(username=f"gw_{grid.code}", password=hashed, display_name=display(f"gw_{grid.code}"),
                    password_changed_at=ctx.now)
        users.append(user)
        posts.append((user, {"role": Role.GRID_WORKER, "region": grid, "organization": None,
                             "title": "企业网格专员" if grid.grid_kind == "enterprise" else "专职网格员"}))
        ctx.grid_workers[grid.id] = user

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from grassroots.core.roles import SECOND_FACTOR

    second_factor = {id(u) for u, fields in posts if fields["role"] in SECOND_FACTOR}  # users are not saved yet
    with transaction.atomic():
        User.objects.bulk_create(users, batch_size=1000)
        Post.objects.bulk_create([Post(user=u, start_date=start, **fields) for u, fields in posts], batch_size=1000)
        TOTPDevice.objects.bulk_create([TOTPDevice(user=u, name="demo", key=totp_key_hex(), confirmed=True)
                                        for u in users if id(u) in second_factor or u.is_superuser])
    directory.invalidate()  # bulk writes send no signals; the next notification re-reads the post holders
    ctx.stats["accounts"] = len(users)
    ctx.stats["posts"] = len(posts)
    ctx.stats["second_factor_accounts"] = sum(1 for u in users if id(u) in second_factor or u.is_superuser)


def party_post_accounts(ctx: DemoContext, *, branch, committee, upper) -> None:
    """Accounts for the party posts (written after the party tree): the branch secretary and the party affairs
    worker of 安泰社区's first grid branch, an officer of its community committee and one of the subdistrict's
    working committee (who needs the second factor)."""
    hashed = make_password(ctx.password)
    start = ctx.today - dt.timedelta(days=730)
    rows = [("party_branch_secretary", Role.PARTY_BRANCH_SECRETARY, branch, "支部书记"),
            ("party_affairs_worker", Role.PARTY_AFFAIRS_WORKER, branch, "组织委员"),
            ("party_committee_officer", Role.PARTY_COMMITTEE_OFFICER, committee, "社区党委委员"),
            ("party_committee_officer2", Role.PARTY_COMMITTEE_OFFICER, upper, "街道党工委组织委员")]
    users = [User(username=u, password=hashed, display_name=u, password_changed_at=ctx.now) for u, *_ in rows]
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from grassroots.people.security import needs_second_factor

    with transaction.atomic():
        User.objects.bulk_create(users)
        Post.objects.bulk_create([Post(user=user, role=role, party_org_path=org.path, title=title, start_date=start)
                                  for user, (_u, role, org, title) in zip(users, rows, strict=True)])
        # a committee officer at subdistrict level needs the second factor, like the other such accounts
        TOTPDevice.objects.bulk_create([TOTPDevice(user=u, name="demo", key=totp_key_hex(), confirmed=True)
                                        for u in users if needs_second_factor(u)])
    for user, (username, role, org, _title) in zip(users, rows, strict=True):
        ctx.users.setdefault(role, []).append(user)
        ctx.accounts.append((username, role, org.name))
    directory.invalidate()
    ctx.stats["accounts"] = ctx.stats.get("accounts", 0) + len(users)
    ctx.stats["posts"] = ctx.stats.get("posts", 0) + len(users)
