"""The rectification notice (整改公示) opened by a signed link: a printed QR on the notice board shows the item's
public summary — the problem, the owner organisation, the deadline, the state and the measures — and nothing else
(no person's name, no evidence, no other item)."""

from __future__ import annotations

from django.shortcuts import render

from grassroots.core import printing

from .permissions import can_rectify, can_supervise

PURPOSE = "rectification.notice"


def can_issue(actor, item) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False) and (
        can_rectify(actor, item) or can_supervise(actor, item))


def notice_view(request, link, item):
    return render(request, "rectification/public_notice.html", {"item": item})


def notice_pdf(item, url: str) -> bytes:
    lines = [f"问题：{item.title}", f"责任单位：{item.owner.name}", f"来源：{item.get_source_display()}",
             f"整改时限：{item.deadline:%Y-%m-%d}", f"整改要求：{item.requirement or '—'}"]
    return printing.qr_sheet("整改公示", lines, url, caption="扫码查看整改进展")


def register() -> None:
    from grassroots.links import purposes

    purposes.register(purposes.Purpose(PURPOSE, "rectification.Item", notice_view, can_issue, "整改公示",
                                       "Rectification notice", days=365))
