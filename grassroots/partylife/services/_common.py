"""Helpers the services share: refusals, text checks, membership checks and who is told."""

from __future__ import annotations

from grassroots.core.errors import NotFound, NotPermitted, ValidationFailed

from .. import permissions


def text(value, field: str, zh: str, en: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(zh, en, field=field)
    if len(value) > max_length:
        raise ValidationFailed(f"不能超过 {max_length} 字", f"At most {max_length} characters", field=field)
    return value


def require_act(actor, org) -> None:
    """The secretary or party affairs worker of the organisation (or above); out of sight → NotFound."""
    if permissions.can_act(actor, org):
        return
    if permissions.can_see(actor, org):
        raise NotPermitted("只有本组织的党支部书记或党务工作者可以办理", "Only the organisation's secretary or party "
                           "affairs worker may do this")
    raise NotFound()


def membership_of(person, org, *, on=None):
    """The person's active membership in ``org`` or an organisation under it, or ValidationFailed."""
    from grassroots.party.models import Membership

    m = (Membership.objects.filter(person=person, active=True, org__path__startswith=org.path)
         .select_related("org").first())
    if m is None:
        raise ValidationFailed("该人员不是本组织党员", "This person is not a member of this organisation",
                               field="person")
    return m


def holders(org, *, above: bool = False) -> list[int]:
    """Accounts to tell about an organisation: its secretary and party affairs workers (posts on it), and with
    ``above`` the officers of the committees above it."""
    from grassroots.core import clock
    from grassroots.core import roles as R
    from grassroots.core.scope import active_posts_q
    from grassroots.people.models import Post

    parts = [p for p in org.path.split("/") if p]
    ancestors = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts) - 1)]
    q = Post.objects.filter(active_posts_q(clock.today()), party_org_path=org.path,
                            role__in=list(permissions.ACTING_ROLES))
    ids = list(q.values_list("user_id", flat=True))
    if above and ancestors:
        ids += list(Post.objects.filter(active_posts_q(clock.today()), party_org_path__in=ancestors,
                                        role=R.Role.PARTY_COMMITTEE_OFFICER).values_list("user_id", flat=True))
    return list(dict.fromkeys(ids))


def accounts_of(person_ids) -> list[int]:
    from grassroots.people.models import User

    return list(User.objects.filter(person_id__in=list(person_ids), is_active=True).values_list("pk", flat=True))
