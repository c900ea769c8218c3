"""The people roster (人口台账) import: columns of the .xlsx sheet. The writer is ``services.person_import``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from grassroots.core import imports

from .models import Person

ID_TYPES = {label: value for value, label in Person.IdType.choices}
ID_TYPES.update({value: value for value in Person.IdType.values})
ID_TYPES.update({"身份证": "resident_id", "港澳通行证": "hk_macao_permit", "台胞证": "taiwan_permit",
                 "外国人永久居留证": "foreign_permanent"})

COLUMNS = [
    imports.Column("姓名", "name", required=True, parser=imports.text(64), help=_("与证件一致")),
    imports.Column("证件类型", "id_type", parser=imports.choice(ID_TYPES), default="resident_id",
                   help=_("居民身份证（默认）、港澳居民来往内地通行证、台湾居民来往大陆通行证、外国人永久居留身份证、护照、其他证件")),
    imports.Column("证件号码", "id_number", required=True, parser=imports.text(32), aliases=("身份证号", "身份证号码"),
                   help=_("居民身份证按 GB 11643 校验；请将单元格设为文本格式，以免 Excel 丢失末位")),
    imports.Column("手机号", "phone", parser=imports.text(20), default="", aliases=("联系电话", "电话"),
                   help=_("11 位手机号或带区号的固定电话")),
    imports.Column("楼栋编码", "building_code", required=True, parser=imports.text(32),
                   help=_("楼栋的统一编码（区域管理中可查），须在您管辖的社区内")),
    imports.Column("房号", "room", parser=imports.text(32), default="", aliases=("门牌号", "门牌/房号")),
    imports.Column("与户主关系", "relation_to_head", parser=imports.text(16), default="",
                   help=_("户主（或 本人）、配偶、子女、父母 等")),
    imports.Column("标签", "tags", parser=imports.tag_list, default=[], help=_("多个标签用逗号或顿号分隔，如 五老、退役军人")),
]

# Service field → sheet header, for errors raised while checking a row.
FIELD_HEADERS = {"name": "姓名", "id_type": "证件类型", "id_number": "证件号码", "phone": "手机号",
                 "building": "楼栋编码", "room": "房号", "relation_to_head": "与户主关系", "tags": "标签"}
EXAMPLE = ["张三", "居民身份证", "370502198001010017", "13800000000", "3705710010010010001", "1-101", "户主", "志愿者"]


def template() -> bytes:
    return imports.template_xlsx(COLUMNS, sheet_title="人员名单", example=EXAMPLE)
