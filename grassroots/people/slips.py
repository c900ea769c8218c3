"""The account invitation slip (账号开通邀请单) as a printable PDF (``core.printing``): the person's name, the one-time
code (shown on this slip only: only its hash is stored), its expiry, and a QR code of a signed link that opens the
invitation page, where the code, a user name and a password open the account.

The signed link belongs to the links app, which sits above people: it installs ``signed_url(invite)`` here when it
is ready (as people installs its scope reader into core), so this module never imports it. Without it the QR holds
the plain address of the invitation page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from grassroots.core import printing

_signed_url: Callable | None = None


def install(fn: Callable) -> None:
    """Set ``fn(actor, invite) -> path`` that issues the signed link printed as the slip's QR code."""
    global _signed_url
    _signed_url = fn


def qr_path(actor, invite, fallback: str) -> str:
    return _signed_url(actor, invite) if _signed_url is not None else fallback


def invite_pdf(*, person, invite, code: str, page_url: str, qr_url: str) -> bytes:
    """A phone-sized (A6) slip: what to do, the code in large type, the expiry, and the QR."""
    expires = timezone.localtime(invite.expires_at)
    lines = [f"{person.name}：",
             "请用手机扫描下方二维码（或在浏览器中打开下方地址），输入邀请码，设置用户名和密码，即可开通您的账号。",
             f"邀请码：{code}",
             f"有效期至：{expires:%Y-%m-%d %H:%M}",
             f"开通地址：{page_url}"]
    footer = ["邀请码只能使用一次，仅限本人使用；请妥善保管，不要交给他人。"]
    if invite.sent_to_phone:
        footer.insert(0, "邀请码已同时发送到本人手机。")
    return printing.qr_sheet("账号开通邀请单", lines, qr_url, page_format="A6", caption="扫码打开开通页面",
                             footer=footer)
