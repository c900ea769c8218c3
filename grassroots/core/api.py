"""Core API: who am I (roles and scope summary)."""

from __future__ import annotations

from ninja import Router, Schema

from .scope import scope_for

router = Router(tags=["core"])


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[str]
    region_paths: list[str]
    organization_ids: list[int]
    credential: str
    second_factor_verified: bool


@router.get("/me", response=MeOut, operation_id="core_me", url_name="core_me", summary="当前账号的角色与范围")
def me(request):
    user = request.user
    scope = scope_for(user)
    credential = getattr(request, "credential", "session")
    if credential == "token":
        # A token works for posts that require a second factor only while a device is enrolled (people.security).
        from django_otp.plugins.otp_totp.models import TOTPDevice

        verified = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()
    else:
        is_verified = getattr(user, "is_verified", None)
        verified = bool(is_verified()) if callable(is_verified) else False
    return MeOut(
        username=user.get_username(),
        display_name=getattr(user, "display_name", "") or "",
        roles=sorted(scope.roles),
        region_paths=list(scope.region_paths),
        organization_ids=sorted(scope.org_ids),
        credential=credential,
        second_factor_verified=verified,
    )
