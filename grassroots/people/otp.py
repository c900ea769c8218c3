"""TOTP second factor (django-otp): enrolment with a QR code, verification at sign-in, audited."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from grassroots.core import events


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


def secret_b32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_svg(device: TOTPDevice) -> str:
    img = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buf = io.BytesIO()
    img.save(buf)
    return buf.getvalue().decode()


def verify(request, device: TOTPDevice, token: str) -> bool:
    token = (token or "").strip().replace(" ", "")
    ok = token.isdigit() and device.verify_token(token)
    with transaction.atomic():
        if ok:
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                events.record(request.user, "auth.otp_enrol", request.user)
            otp_login(request, device)
            events.record(request.user, "auth.otp_verify", request.user)
        else:
            events.record(request.user, "auth.otp_verify", request.user, outcome="failure")
    return ok
