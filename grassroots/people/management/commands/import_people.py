"""Import a people roster (.xlsx) as a given account: every row is checked first; nothing is written on any error.

    grassroots import_people roster.xlsx --as staff1 [--dry-run]
    grassroots import_people --template > 人员名单模板.xlsx
"""

from grassroots.people.import_command import RosterImportCommand


class Command(RosterImportCommand):
    help = "Import persons from an .xlsx roster (姓名, 证件类型, 证件号码, 手机号, 楼栋编码, 房号, 与户主关系, 标签)"
    noun = ("人", "persons")
    actor_required = True

    def template(self) -> bytes:
        from grassroots.people import imports

        return imports.template()

    def run(self, *, actor, file, dry_run, progress):
        from grassroots.people import services

        return services.person_import(actor=actor, file=file, dry_run=dry_run, progress=progress)
