"""Signed links: short, revocable addresses with a purpose and an expiry, printed as QR codes.

The row holds what the address stands for (a purpose, one target object, a version) and when it stops working; the
address itself is ``<token id>.<signature>``, the signature an HMAC of the row's fields under a key derived from
the deployment's ``SECRET_KEY``. A copied or guessed address without the right signature, a row whose fields were
changed in the database, an expired or a revoked link: each opens nothing (``links.services.resolve``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import BaseModel


class SignedLink(BaseModel):
    token_id = models.CharField(_("链接编号"), max_length=16, unique=True)
    purpose = models.CharField(_("用途"), max_length=64)
    target_ct = models.ForeignKey(ContentType, verbose_name=_("对象类型"), on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField(_("对象编号"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    expires_at = models.DateTimeField(_("失效时间"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签发人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("签名链接")
        verbose_name_plural = _("签名链接")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_ct", "target_id", "purpose"], name="signedlink_target_idx")]
        constraints = [models.UniqueConstraint(fields=["purpose", "target_ct", "target_id", "version"],
                                               name="signedlink_one_per_version")]

    def __str__(self) -> str:
        return f"{self.purpose} v{self.version}"
