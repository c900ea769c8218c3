import io

from openpyxl import Workbook

HEADERS = ["姓名", "证件类型", "证件号码", "手机号", "楼栋编码", "房号", "与户主关系", "标签"]


def workbook_bytes(rows, headers=HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
