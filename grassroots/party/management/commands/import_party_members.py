"""Import party members (.xlsx): every row is checked first; nothing is written on any error.

    grassroots import_party_members 党员名册.xlsx [--dry-run] [--as staff1]
    grassroots import_party_members --template > 党员名册模板.xlsx

Without ``--as`` the import runs as the system (all persons and organisations); with it, the account's scope and
permissions apply.
"""

from grassroots.people.import_command import RosterImportCommand


class Command(RosterImportCommand):
    help = "Import party members from an .xlsx roster (证件号码, 党组织编码/名称, 党员状态, 入党日期, 转正日期, 在职, 工作单位)"
    noun = ("名党员", "members")
    actor_required = False

    def template(self) -> bytes:
        from grassroots.party import imports

        return imports.template()

    def run(self, *, actor, file, dry_run, progress):
        from grassroots.party import services

        return services.member_import(actor=actor, file=file, dry_run=dry_run, progress=progress)
