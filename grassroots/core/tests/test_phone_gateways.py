"""The SMS gateway and 企业微信 adapters, against a local HTTP server started here that records what it receives."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from grassroots.core.phone_gateways import GatewayError, SmsGatewayBackend, WeComBackend


class Recorder(BaseHTTPRequestHandler):
    """Answers from ``server.answers`` (path → JSON) and records (method, path, query, headers, body)."""

    def _answer(self, body=None):
        url = urlsplit(self.path)
        self.server.received.append({"method": self.command, "path": url.path, "query": parse_qs(url.query),
                                     "headers": dict(self.headers), "body": body})
        answer = self.server.answers.get(url.path, {"errcode": 0})
        payload = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self):  # noqa: N802 - http.server's name
        self._answer()

    def do_POST(self):  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self._answer(json.loads(self.rfile.read(length).decode() or "null"))

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    httpd.received, httpd.answers = [], {}
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    WeComBackend.forget_token()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    WeComBackend.forget_token()


def test_the_sms_gateway_receives_the_phone_the_text_the_signature_and_the_token(server):
    server.answers["/sms/send"] = {"code": 0}
    SmsGatewayBackend(url=f"{server.url}/sms/send", token="t0ken", sign="基层治理").send_to_phone(
        "13812345678", "验证码 123456")
    (request,) = server.received
    assert request["method"] == "POST"
    assert request["body"] == {"phone": "13812345678", "text": "验证码 123456", "sign": "基层治理"}
    assert request["headers"]["Authorization"] == "Bearer t0ken"


def test_an_sms_gateway_refusal_is_an_error(server):
    server.answers["/sms/send"] = {"code": 1001, "message": "blacklisted"}
    with pytest.raises(GatewayError):
        SmsGatewayBackend(url=f"{server.url}/sms/send", token="").send_to_phone("13812345678", "x")


def test_an_unreachable_sms_gateway_is_an_error():
    with pytest.raises(GatewayError):
        SmsGatewayBackend(url="http://127.0.0.1:9/nothing", token="").send_to_phone("13812345678", "x")


def test_wecom_fetches_a_token_finds_the_member_by_phone_and_sends_a_text(server):
    server.answers["/cgi-bin/gettoken"] = {"errcode": 0, "access_token": "ACCESS", "expires_in": 7200}
    server.answers["/cgi-bin/user/getuserid"] = {"errcode": 0, "userid": "zhangsan"}
    server.answers["/cgi-bin/message/send"] = {"errcode": 0}
    backend = WeComBackend(base=server.url, corp_id="corp", secret="s3cret", agent_id="1000002")
    backend.send_to_phone("13812345678", "验证码 654321")
    backend.send_to_phone("13812345678", "第二条")
    paths = [r["path"] for r in server.received]
    assert paths == ["/cgi-bin/gettoken", "/cgi-bin/user/getuserid", "/cgi-bin/message/send",
                     "/cgi-bin/user/getuserid", "/cgi-bin/message/send"]  # the token is kept
    token_call, lookup, message = server.received[:3]
    assert token_call["query"] == {"corpid": ["corp"], "corpsecret": ["s3cret"]}
    assert lookup["query"]["access_token"] == ["ACCESS"] and lookup["body"] == {"mobile": "13812345678"}
    assert message["body"]["touser"] == "zhangsan" and message["body"]["agentid"] == "1000002"
    assert message["body"]["text"] == {"content": "验证码 654321"}


def test_wecom_cannot_reach_a_phone_that_is_no_member(server):
    server.answers["/cgi-bin/gettoken"] = {"errcode": 0, "access_token": "ACCESS", "expires_in": 7200}
    server.answers["/cgi-bin/user/getuserid"] = {"errcode": 46004, "errmsg": "user not found"}
    with pytest.raises(GatewayError):
        WeComBackend(base=server.url, corp_id="c", secret="s", agent_id="1").send_to_phone("13812345678", "x")
    assert [r["path"] for r in server.received][-1] == "/cgi-bin/user/getuserid"


def test_wecom_refuses_to_start_without_its_configuration(settings):
    settings.WECOM_CORP_ID = ""
    with pytest.raises(GatewayError):
        WeComBackend()


@pytest.mark.django_db
def test_inbox_rows_go_to_the_recipients_mobile_phone_through_the_gateway(server, world):
    from grassroots.core.notifications import build
    from grassroots.people import services

    services.person_update(actor=world.community_secretary, person=world.person1, phone="13912345678")
    server.answers["/sms/send"] = {"code": 0}
    rows = build([world.resident, world.resident3], verb="test", title="事件已办结", body="请评价")
    SmsGatewayBackend(url=f"{server.url}/sms/send", token="").send(rows)
    assert [r["body"]["phone"] for r in server.received] == ["13912345678"]  # resident3 has no phone
    assert server.received[0]["body"]["text"] == "事件已办结\n请评价"
