"""``grassroots coop_trial``: the worked example to the fen from a file, the Excel copy, and every error of a bad
file with its path."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from .test_distribution import EXPECTED

WORKED_FILE = {
    "charter": {"reserve_rate": "0.10", "refund_by_transactions_rate": "0.60", "reserve_quantified_by": "transactions"},
    "year": {"surplus": 500000, "loss_to_cover": 20000},
    "subsidies": [{"amount": 100000, "quantified": "equally"}],
    "members": {"M1": {"kind": "unit", "contribution": 500000, "reserve_share": 0, "transactions": 0},
                "M2": {"kind": "farmer", "contribution": 160000, "reserve_share": 0, "transactions": 600000},
                "M3": {"kind": "farmer", "contribution": "50000", "reserve_share": 0, "transactions": 150000},
                "M4": {"kind": "farmer", "contribution": 100000, "reserve_share": "0.00", "transactions": 300000},
                "M5": {"kind": "farmer", "contribution": 40000.00, "reserve_share": 0, "transactions": 150000}},
}


def run(tmp_path, data, *extra):
    path = tmp_path / "trial.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("coop_trial", str(path), *extra, stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


def test_the_worked_example_from_a_file_to_the_fen(tmp_path):
    answer, _ = run(tmp_path, WORKED_FILE, "--xlsx", str(tmp_path / "out.xlsx"))
    assert answer["totals"] == {"reserve": "48000.00", "distributable": "432000.00", "refund": "259200.00",
                                "by_basis": "172800.00"}
    for code, (refund, by_basis, cash, added) in EXPECTED.items():
        assert answer["members"][code] == {"refund": refund, "by_basis": by_basis, "cash": cash,
                                           "reserve_share_added": added}
    sheet = load_workbook(tmp_path / "out.xlsx").worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "成员" and rows[1][0] == "M1" and rows[-1][0] == "合计"


def test_a_bad_file_gets_every_error_with_its_path_and_a_non_zero_exit(tmp_path):
    bad = json.loads(json.dumps(WORKED_FILE))
    bad["members"]["M2"]["transactions"] = "很多"
    bad["members"]["M3"]["contribution"] = -5
    bad["members"]["M4"]["kind"] = "firm"
    bad["charter"]["refund_by_transactions_rate"] = "0.59"
    bad["subsidies"][0]["quantified"] = "randomly"
    del bad["year"]["surplus"]
    with pytest.raises(CommandError) as err:
        run(tmp_path, bad)
    assert err.value.returncode != 0
    path = tmp_path / "trial.json"
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("coop_trial", str(path), stderr=stderr)
    text = stderr.getvalue()
    for expected in ("members.M2.transactions: 不是金额", "members.M3.contribution: 金额不能为负数",
                     "members.M4.kind", "charter.refund_by_transactions_rate", "subsidies[0].quantified",
                     "year.surplus: 缺少金额"):
        assert expected in text


def test_not_json_and_missing_parts_are_errors_not_crashes(tmp_path):
    for data in ("{not json", "[]", json.dumps({"charter": {}, "year": {}, "members": {}}),
                 json.dumps({**WORKED_FILE, "members": {"M1": "x"}})):
        with pytest.raises(CommandError):
            run(tmp_path, data)


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError):
        call_command("coop_trial", str(tmp_path / "none.json"))
