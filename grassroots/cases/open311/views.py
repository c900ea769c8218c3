"""GeoReport v2 endpoints: plain Django views, XML and JSON, CSRF-exempt POST, errors as the spec says.

404: unknown resource, jurisdiction or service_code; 403: bad or missing api_key (POST only); 400: anything else.
An empty ``jurisdiction_id`` counts as absent. Datetimes carry +08:00. Only public cases and their public fields.
API keys are personal API tokens named ``open311:<client>`` (stored hashed, ``people.ApiToken``); a POSTed request is
filed as a resident report on behalf of the token's user.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from grassroots.core import clock
from grassroots.core.errors import ApplicationError, Conflict, NotFound, NotPermitted, ValidationFailed

from .. import policy
from ..states import STATUS_LABELS, Status
from . import intake, selectors
from .renderers import error, render, w3c

TOKEN_PREFIX = "open311:"
MAX_SPAN = dt.timedelta(days=90)
SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
# Detailed statuses of the mySociety extension, from our transition verbs.
UPDATE_STATUS = {
    "report": "for_triage", "accept": "investigating", "dispatch": "action_scheduled", "escalate": "internal_referral",
    "acknowledge": "in_progress", "return": "investigating", "handle": "in_progress", "resolve_on_site": "fixed",
    "verify_pass": "fixed", "verify_fail": "in_progress", "reopen": "reopen", "reject": "no_further_action",
    "mark_duplicate": "duplicate", "suspend": "action_scheduled", "resume": "in_progress",
}


class _BadRequest(ValidationFailed):
    pass


def _jurisdiction(request) -> None:
    value = (request.POST.get("jurisdiction_id") if request.method == "POST" else None) \
        or request.GET.get("jurisdiction_id") or ""
    value = value.strip()
    if value and value not in selectors.jurisdictions(actor=None):
        raise NotFound("辖区不存在", f"Unknown jurisdiction_id {value}")


def _endpoint(view):
    """Parse the format, check the jurisdiction, and turn application errors into GeoReport errors."""

    def wrapped(request, fmt: str, *args, **kwargs):
        try:
            _jurisdiction(request)
            return view(request, fmt, *args, **kwargs)
        except NotFound as exc:
            return error(fmt, 404, exc.en)
        except NotPermitted as exc:
            return error(fmt, 403, exc.en)
        except Conflict as exc:  # a device_id reused for another request
            return error(fmt, 409, exc.en)
        except ApplicationError as exc:
            return error(fmt, 400, exc.en)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _base(request) -> str:
    return request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": "xml"})).rsplit("/", 1)[0] + "/"


# ---------------------------------------------------------------------------------------------------------------

@require_http_methods(["GET"])
@_endpoint
def discovery(request, fmt):
    changed = w3c(clock.now().replace(hour=0, minute=0, second=0, microsecond=0))
    payload = {
        "changeset": changed,
        "contact": "开发区城市运行管理服务中心 12345",
        "key_service": "向平台管理员申请名为 open311:<客户端> 的接口令牌 / ask the administrators for an API token",
        "endpoints": [{
            "specification": SPEC_URL, "url": _base(request), "changeset": changed, "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    }
    return render(fmt, "discovery", None, payload)


def _service(category) -> dict:
    return {
        "service_code": category.code, "service_name": category.name,
        "description": category.description or f"{category.parent.name if category.parent_id else ''} · "
                                                f"{category.get_kind_display()}",
        "metadata": True, "type": "realtime",
        "keywords": ",".join(filter(None, [category.get_kind_display(), category.parent.name if category.parent_id
                                           else ""])),
        "group": category.parent.name if category.parent_id else "",
    }


@require_http_methods(["GET"])
@_endpoint
def service_list(request, fmt):
    return render(fmt, "services", "service", [_service(c) for c in selectors.service_list(actor=None)])


ATTRIBUTES = [
    {"variable": True, "code": "anonymous", "datatype": "singlevaluelist", "required": False,
     "datatype_description": "", "order": 1, "description": "匿名上报（对公众隐藏身份）/ report anonymously",
     "values": [{"key": "true", "name": "是 / yes"}, {"key": "false", "name": "否 / no"}]},
    {"variable": True, "code": "private", "datatype": "singlevaluelist", "required": False,
     "datatype_description": "", "order": 2, "description": "不公开此事件 / do not publish this report",
     "values": [{"key": "true", "name": "是 / yes"}, {"key": "false", "name": "否 / no"}]},
    {"variable": True, "code": "crs", "datatype": "singlevaluelist", "required": False,
     "datatype_description": "坐标系，默认 WGS84 / coordinate system of lat/long, default WGS84", "order": 3,
     "description": "坐标系 / coordinate system",
     "values": [{"key": "WGS84", "name": "WGS84"}, {"key": "GCJ02", "name": "GCJ-02"},
                {"key": "BD09", "name": "BD-09"}]},
]


@require_http_methods(["GET"])
@_endpoint
def service_definition(request, fmt, code):
    category = selectors.service_get(actor=None, code=code)
    return render(fmt, "service_definition", None, {"service_code": category.code, "attributes": ATTRIBUTES})


# ---------------------------------------------------------------------------------------------------------------

def _status(case) -> str:
    return "closed" if case.status in (Status.CLOSED, Status.REJECTED) else "open"


def _updated(case) -> dt.datetime:
    moments = [case.reported_at, case.accepted_at, case.rejected_at, case.dispatched_at, case.acknowledged_at,
               case.handled_at, case.verified_at, case.closed_at, case.escalated_at, case.suspended_at]
    return max(m for m in moments if m is not None)


def _status_notes(case) -> str:
    """The status label; a duplicate names its original when that one is public (``selectors.public_q``)."""
    original = case.duplicate_of if case.duplicate_of_id else None
    if original is not None and original.is_public and original.status != Status.REJECTED:
        return f"重复件，见 {original.reference} / duplicate of {original.reference}"
    return STATUS_LABELS.get(case.status, case.status)


def _request_item(case, leads: dict, places: dict) -> dict:
    agency = " / ".join(filter(None, [str(case.get_tier_display()), leads.get(case.pk, "")]))
    notice = policy.emergency_notice(case.category)
    return {
        "service_request_id": case.reference,
        "status": _status(case),
        "status_notes": _status_notes(case),
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": case.public_summary,
        "agency_responsible": agency,
        "service_notice": notice[0] if notice else "",
        "requested_datetime": w3c(case.reported_at),
        "updated_datetime": w3c(_updated(case)),
        "expected_datetime": w3c(case.handle_due or case.next_due),
        "address": places.get(case.pk, ""),
        "address_id": "",
        "zipcode": "",
        "lat": case.public_lat if case.public_lat is not None else "",
        "long": case.public_lon if case.public_lon is not None else "",
        "media_url": "",
    }


def _requests_payload(cases) -> list[dict]:
    leads = selectors.lead_units(actor=None, cases=cases)
    places = selectors.region_names(actor=None, cases=cases)
    return [_request_item(c, leads, places) for c in cases]


def _date(value: str, name: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        raise _BadRequest(f"{name} 格式错误", f"{name} is not a W3C datetime")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _csv(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _list_requests(request, fmt):
    ids = _csv(request.GET.get("service_request_id"))
    if ids:
        return render(fmt, "service_requests", "request",
                      _requests_payload(selectors.request_list(actor=None, references=ids)))
    start = _date(request.GET["start_date"], "start_date") if request.GET.get("start_date") else None
    end = _date(request.GET["end_date"], "end_date") if request.GET.get("end_date") else None
    if start is None and end is None:
        end = clock.now()
        start = end - MAX_SPAN
    elif start is None:
        start = end - MAX_SPAN
    elif end is None:
        end = min(clock.now(), start + MAX_SPAN)
    if end < start:
        raise _BadRequest("end_date 早于 start_date", "end_date is before start_date")
    if end - start > MAX_SPAN:
        raise _BadRequest("查询跨度不能超过 90 天", "start_date and end_date may span at most 90 days")
    status = _csv(request.GET.get("status"))
    if any(s not in ("open", "closed") for s in status):
        raise _BadRequest("status 只能是 open 或 closed", "status must be open and/or closed")
    codes = _csv(request.GET.get("service_code"))
    for code in codes:
        selectors.service_get(actor=None, code=code)  # unknown service_code → 404
    cases = selectors.request_list(actor=None, codes=codes, start=start, end=end, status=status)
    return render(fmt, "service_requests", "request", _requests_payload(cases))


def _api_user(request):
    from grassroots.people.tokens import token_named, user_for_token

    key = (request.POST.get("api_key") or request.GET.get("api_key") or "").strip()
    if not key:
        raise NotPermitted("缺少 api_key", "api_key is required")
    if token_named(key, TOKEN_PREFIX) is None:
        raise NotPermitted("api_key 无效", "Invalid api_key")
    user = user_for_token(key)
    if user is None:
        raise NotPermitted("api_key 无效或已过期", "Invalid or expired api_key")
    return user


def _attributes(post) -> dict:
    result: dict[str, str | list[str]] = {}
    for key in post:
        if key.startswith("attribute[") and key.endswith("]"):
            name = key[len("attribute["):-1]
            if name.endswith("]["):
                result[name[:-2]] = post.getlist(key)
            else:
                result[name] = post.get(key)
    return result


def _flag(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def _create_request(request, fmt):
    user = _api_user(request)
    post = request.POST
    code = (post.get("service_code") or "").strip()
    if not code:
        raise _BadRequest("缺少 service_code", "service_code is required")
    category = selectors.service_get(actor=None, code=code)
    attributes = _attributes(post)
    known = {a["code"] for a in ATTRIBUTES}
    unknown = sorted(set(attributes) - known)
    if unknown:
        raise _BadRequest("未知属性", f"Unknown attribute(s): {', '.join(unknown)}")
    lat, lon = post.get("lat", "").strip(), post.get("long", "").strip()
    address_string = post.get("address_string", "").strip()
    address_id = post.get("address_id", "").strip()
    if not ((lat and lon) or address_string or address_id):
        raise _BadRequest("需要位置：lat+long、address_string 或 address_id",
                          "A location is required: lat and long, address_string or address_id")
    try:
        lat_f = float(lat) if lat else None
        lon_f = float(lon) if lon else None
    except ValueError:
        raise _BadRequest("lat/long 不是数字", "lat and long must be numbers")
    description = post.get("description", "")  # its length is checked by the intake service (one limit)
    name = " ".join(filter(None, [post.get("last_name", "").strip(), post.get("first_name", "").strip()]))
    contact = post.get("phone", "").strip() or post.get("email", "").strip()
    case = intake.file_request(
        actor=user, category=category, lat=lat_f, lon=lon_f, crs=str(attributes.get("crs") or "WGS84"),
        address=address_string, address_id=address_id, description=description, reporter_name=name,
        reporter_contact=contact, anonymous=_flag(attributes.get("anonymous", "")),
        privacy_requested=_flag(attributes.get("private", "")), device_id=post.get("device_id", ""),
    )
    notice = policy.emergency_notice(category)
    return render(fmt, "service_requests", "request", [{
        "service_request_id": case.reference, "service_notice": notice[0] if notice else "",
        "account_id": post.get("account_id", ""),
    }], status=201 if fmt == "json" else 200)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@_endpoint
def requests(request, fmt):
    if request.method == "POST":
        return _create_request(request, fmt)
    return _list_requests(request, fmt)


@require_http_methods(["GET"])
@_endpoint
def request_detail(request, fmt, reference):
    case = selectors.request_get(actor=None, reference=reference)
    return render(fmt, "service_requests", "request", _requests_payload([case]))


@require_http_methods(["GET"])
@_endpoint
def token(request, fmt, token):
    case = selectors.request_for_token(actor=None, token=token)
    return render(fmt, "service_requests", "request",
                  [{"service_request_id": case.reference, "token": case.tracking_code}])


@require_http_methods(["GET"])
@_endpoint
def request_updates(request, fmt):
    """mySociety extension: status changes of public requests between start_date and end_date."""
    end = _date(request.GET["end_date"], "end_date") if request.GET.get("end_date") else clock.now()
    start = _date(request.GET["start_date"], "start_date") if request.GET.get("start_date") else end - MAX_SPAN
    if end < start:
        raise _BadRequest("end_date 早于 start_date", "end_date is before start_date")
    if end - start > MAX_SPAN:
        raise _BadRequest("查询跨度不能超过 90 天", "start_date and end_date may span at most 90 days")
    items = []
    for event_id, reference, verb, to_state, at in selectors.updates(actor=None, start=start, end=end, verbs=UPDATE_STATUS):
        status = UPDATE_STATUS[verb]
        items.append({
            "update_id": str(event_id), "service_request_id": reference, "status": status,
            "description": STATUS_LABELS.get(to_state, "") if to_state else "", "media_url": "",
            "updated_datetime": w3c(at),
        })
    return render(fmt, "service_request_updates", "request_update", items)

