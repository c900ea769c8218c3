"""Filing an Open311 POST through the core intake service (channel ``resident``, on behalf of the key's user)."""

from __future__ import annotations

from grassroots.core.errors import ValidationFailed

from ..states import Channel


def file_request(*, actor, category, lat: float | None, lon: float | None, crs: str, address: str, address_id: str,
                 description: str, reporter_name: str, reporter_contact: str, anonymous: bool,
                 privacy_requested: bool, device_id: str = ""):
    from grassroots.territory.models import Region

    from .. import services

    region = None
    if lat is None or lon is None:
        lat = lon = None
        if address_id:
            region = Region.objects.filter(code=address_id, active=True).first()
            if region is None:
                raise ValidationFailed("address_id 不是已知的网格或楼栋编码",
                                       "address_id is not a known grid or building code", field="address_id")
        else:
            raise ValidationFailed("无法仅凭地址定位，请提供 lat/long 或 address_id（网格/楼栋编码）",
                                   "address_string alone cannot be located; send lat/long or a grid/building "
                                   "code as address_id", field="address_string")
    first_line = (description or "").strip().splitlines()[0][:60] if (description or "").strip() else ""
    intake = services.case_report(
        actor=actor, channel=Channel.RESIDENT, category=category, title=first_line or category.name,
        description=description, lon=lon, lat=lat, crs=crs or "WGS84", region=region, address=address,
        anonymous=anonymous, privacy_requested=privacy_requested, reporter_name=reporter_name,
        reporter_contact=reporter_contact,
        idempotency_key=f"open311:{device_id}" if device_id else "",
    )
    return intake.case
