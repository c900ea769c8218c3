"""Outbound adapters that deliver texts over HTTP: an SMS gateway and 企业微信 (WeCom). Chosen with
``NOTIFICATION_BACKEND`` and configured by environment (``config/env.py``: ``SMS_GATEWAY_*``, ``WECOM_*``).

Both deliver ``send_to_phone(phone, text)`` (phone codes) and ``send(notifications)`` (inbox rows, to the phone of
the recipient's person, found through ``notifications.phones_of``; a recipient without a mobile number keeps the
inbox row only). Failures raise ``GatewayError``; the caller decides (phone codes audit a failed delivery).

* **SMS gateway** (a government SMS platform or a vendor's HTTP API behind the intranet): ``POST`` JSON
  ``{"phone", "text", "sign"}`` to ``SMS_GATEWAY_URL`` with ``Authorization: Bearer SMS_GATEWAY_TOKEN``; any 2xx
  with a JSON body whose ``code`` is absent or 0 is a success.
* **企业微信**: ``GET {WECOM_API_BASE}/cgi-bin/gettoken?corpid=&corpsecret=`` (the access token is kept until it
  expires), ``POST /cgi-bin/user/getuserid`` with ``{"mobile"}`` finds the member by phone, ``POST
  /cgi-bin/message/send`` sends a text message from ``WECOM_AGENT_ID``; ``errcode`` 0 is a success. A phone that
  is no member of the corporation cannot be reached this way (``GatewayError``).
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

from .notifications import phones_of

log = logging.getLogger("grassroots.notifications")
TIMEOUT_SECONDS = 5


class GatewayError(Exception):
    pass


def _request(method: str, url: str, *, body: dict | None = None, headers: dict | None = None) -> dict:
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={
        "Content-Type": "application/json; charset=utf-8", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT_SECONDS) as resp:  # noqa: S310 - configured https/http URL
            raw = resp.read()
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise GatewayError(f"{method} {urllib.parse.urlsplit(url).path}: {exc}") from exc
    try:
        return json.loads(raw.decode() or "{}")
    except ValueError as exc:
        raise GatewayError("the gateway answered no JSON") from exc


class _PhoneDelivery:
    """Inbox rows go to the recipients' phones (those who have a mobile number on their person)."""

    keeps_phone_messages = False

    def send(self, notifications) -> None:
        phones = phones_of(n.recipient_id for n in notifications)
        for n in notifications:
            phone = phones.get(n.recipient_id)
            if phone:
                self.send_to_phone(phone, f"{n.title}\n{n.body}".strip()[:500])

    def send_to_phone(self, phone: str, text: str) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class SmsGatewayBackend(_PhoneDelivery):
    def __init__(self, url: str | None = None, token: str | None = None, sign: str | None = None):
        self.url = url or settings.SMS_GATEWAY_URL
        self.token = token if token is not None else settings.SMS_GATEWAY_TOKEN
        self.sign = sign if sign is not None else settings.SMS_SIGN_NAME
        if not self.url:
            raise GatewayError("SMS_GATEWAY_URL is not set")

    def send_to_phone(self, phone: str, text: str) -> None:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        answer = _request("POST", self.url, body={"phone": phone, "text": text, "sign": self.sign},
                          headers=headers)
        if answer.get("code", 0) not in (0, "0"):
            raise GatewayError(f"SMS gateway refused: code {answer.get('code')}")
        log.info("sms sent to ****%s", phone[-4:])


class WeComBackend(_PhoneDelivery):
    _lock = threading.Lock()
    _token: tuple[str, float] | None = None  # (access token, monotonic expiry), shared by the process

    def __init__(self, base: str | None = None, corp_id: str | None = None, secret: str | None = None,
                 agent_id: str | None = None):
        self.base = (base or settings.WECOM_API_BASE).rstrip("/")
        self.corp_id = corp_id or settings.WECOM_CORP_ID
        self.secret = secret or settings.WECOM_CORP_SECRET
        self.agent_id = agent_id or settings.WECOM_AGENT_ID
        if not (self.corp_id and self.secret and self.agent_id):
            raise GatewayError("WECOM_CORP_ID, WECOM_CORP_SECRET and WECOM_AGENT_ID must be set")

    @classmethod
    def forget_token(cls) -> None:
        cls._token = None

    def _access_token(self) -> str:
        with self._lock:
            cached = WeComBackend._token
            if cached and cached[1] > time.monotonic():
                return cached[0]
            query = urllib.parse.urlencode({"corpid": self.corp_id, "corpsecret": self.secret})
            answer = _request("GET", f"{self.base}/cgi-bin/gettoken?{query}")
            if answer.get("errcode", 0) != 0 or not answer.get("access_token"):
                raise GatewayError(f"WeCom gettoken refused: errcode {answer.get('errcode')}")
            ttl = int(answer.get("expires_in", 7200))
            WeComBackend._token = (answer["access_token"], time.monotonic() + max(ttl - 300, 60))
            return answer["access_token"]

    def _call(self, path: str, body: dict) -> dict:
        token = urllib.parse.quote(self._access_token())
        answer = _request("POST", f"{self.base}{path}?access_token={token}", body=body)
        if answer.get("errcode", 0) != 0:
            if answer.get("errcode") in (40014, 42001):  # invalid or expired token: fetch a new one next time
                self.forget_token()
            raise GatewayError(f"WeCom {path} refused: errcode {answer.get('errcode')}")
        return answer

    def send_to_phone(self, phone: str, text: str) -> None:
        userid = self._call("/cgi-bin/user/getuserid", {"mobile": phone}).get("userid")
        if not userid:
            raise GatewayError("no WeCom member has this phone")
        self._call("/cgi-bin/message/send", {"touser": userid, "msgtype": "text", "agentid": self.agent_id,
                                             "text": {"content": text}, "safe": 0})
        log.info("wecom message sent to ****%s", phone[-4:])
