"""The party member roster (党员名册) import: columns of the .xlsx sheet. The writer is ``services.member_import``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from grassroots.core import imports

STATUSES = {"预备党员": "probationary", "预备": "probationary", "probationary": "probationary",
            "正式党员": "full", "正式": "full", "full": "full"}

COLUMNS = [
    imports.Column("证件号码", "id_number", required=True, parser=imports.text(32), aliases=("身份证号", "身份证号码"),
                   help=_("须是已登记人员的证件号码（先在人员管理中登记或导入）；请设为文本格式")),
    imports.Column("姓名", "name", parser=imports.text(64), default="", help=_("选填；填写时须与登记的姓名一致")),
    imports.Column("党组织编码", "org_code", parser=imports.text(32), default="",
                   help=_("党组织编码与党组织名称至少填一项；都填时以编码为准")),
    imports.Column("党组织名称", "org_name", parser=imports.text(150), default="", aliases=("所在党组织", "党支部")),
    imports.Column("党员状态", "status", required=True, parser=imports.choice(STATUSES), help=_("预备党员 或 正式党员")),
    imports.Column("入党日期", "admission_date", required=True, parser=imports.date, help=_("如 2010-07-01")),
    imports.Column("转正日期", "full_member_date", parser=imports.date,
                   help=_("正式党员必填，不早于入党日期；党龄自转正日期起算")),
    imports.Column("在职", "in_service", parser=imports.boolean, default=False, aliases=("在职党员",),
                   help=_("是 或 否（默认否）")),
    imports.Column("工作单位", "employer", parser=imports.text(150), default="",
                   help=_("在职党员的工作单位名称，须是已登记的单位")),
]

# Service field → sheet header, for errors raised while checking a row.
FIELD_HEADERS = {"person": "证件号码", "org": "党组织编码", "status": "党员状态", "admission_date": "入党日期",
                 "full_member_date": "转正日期", "in_service": "在职", "employer": "工作单位"}
EXAMPLE = ["370502198001010017", "张三", "D000100010001", "安泰社区党委", "正式党员", "2005-07-01", "2006-07-01", "是",
           "城市管理局"]
EXPORT_HEADERS = ["姓名", "证件号码", "党组织编码", "党组织名称", "党员状态", "入党日期", "转正日期", "党龄（年）", "在职",
                  "工作单位", "转入日期"]


def template() -> bytes:
    return imports.template_xlsx(COLUMNS, sheet_title="党员名册", example=EXAMPLE)
