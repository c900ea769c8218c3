"""The party organisation a party post names, checked and described by the party app (a hook, as ``handover``).

People sits below party: a post stores its party organisation as the organisation's path (``Post.party_org_path``)
and asks the party app, through the functions party installs in ``AppConfig.ready()``, whether a path names an
active organisation of a kind the role may hold (``check``) and what the organisation is called (``names``)::

    from grassroots.people import party_targets
    party_targets.install(check=check_post_target, names=names_by_path)

``check(role, path) -> None`` raises ``ValidationFailed`` (field ``party_org``) for a path that names no active
organisation or one of the wrong kind; ``names(paths) -> {path: name}``.
"""

from __future__ import annotations

from grassroots.core.errors import ValidationFailed

_check = None
_names = None


def install(*, check, names) -> None:
    global _check, _names
    _check, _names = check, names


def check(role: str, path: str) -> None:
    if _check is None:
        raise ValidationFailed("党组织岗位暂不可用（党组织模块未启用）", "Party posts are unavailable (the party app is not installed)",
                               code="post_party_org_unavailable", field="party_org")
    _check(role, path)


def names(paths) -> dict[str, str]:
    paths = [p for p in set(paths) if p]
    if not paths or _names is None:
        return {}
    return _names(paths)
