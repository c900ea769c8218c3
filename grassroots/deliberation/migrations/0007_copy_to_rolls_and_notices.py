"""Move deliberation's own rolls and notices onto the shared mechanisms, with their data, and back when unapplied:

- each community's residents' representatives become entries of that community's representatives roll
  (``rolls.Roll`` / ``rolls.RollEntry``), and meetings of representatives' kinds point at the roll;
- public notices and their objections become ``notices.Notice`` / ``notices.Objection`` rows with the same ids (the
  old notice addresses redirect by id), their subject a resolution or a micro-project;
- meeting kinds' decimal ratios become exact fractions (0.667 → 2/3), and the weight due of opened meetings is their
  head count.
A data step of its own, as PostgreSQL refuses an ALTER TABLE after row changes in the same transaction.
"""

from decimal import Decimal
from fractions import Fraction

from django.core.management.color import no_style
from django.db import migrations
from django.db.models import F

NOTICE_FIELDS = ("kind", "title", "body", "starts_at", "ends_at", "working_days", "published_by_id", "created_at",
                 "updated_at")
OBJECTION_FIELDS = ("author_id", "text", "answer", "answered_by_id", "answered_at", "created_at", "updated_at")
REPRESENTATIVE_BASES = ("representatives",)


def _content_type(apps, label: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    app_label, model = label.split(".")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def _reset_sequences(apps, schema_editor, *labels):
    models = [apps.get_model(*label.split(".")) for label in labels]
    with schema_editor.connection.cursor() as cursor:
        for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def _share(ratio) -> tuple[int, int]:
    fraction = Fraction(Decimal(str(ratio))).limit_denominator(12)
    return fraction.numerator, fraction.denominator


def forward(apps, schema_editor):
    MeetingKind = apps.get_model("deliberation", "MeetingKind")
    Meeting = apps.get_model("deliberation", "Meeting")
    Representative = apps.get_model("deliberation", "Representative")
    PublicNotice = apps.get_model("deliberation", "PublicNotice")
    OldObjection = apps.get_model("deliberation", "Objection")
    Roll = apps.get_model("rolls", "Roll")
    RollEntry = apps.get_model("rolls", "RollEntry")
    Notice = apps.get_model("notices", "Notice")
    Objection = apps.get_model("notices", "Objection")

    for kind in MeetingKind.objects.all():
        kind.quorum_num, kind.quorum_den = _share(kind.quorum_ratio)
        kind.majority_num, kind.majority_den = _share(kind.majority_ratio)
        fields = ["quorum_num", "quorum_den", "majority_num", "majority_den"]
        if kind.basis == "owners":  # 民法典 art. 278: heads and area together; 3/4 for items 6–8
            kind.quorum_measure = kind.majority_measure = "heads_and_area"
            kind.majority_base, kind.special_num, kind.special_den, kind.special_strict = "present", 3, 4, False
            fields += ["quorum_measure", "majority_measure", "majority_base", "special_num", "special_den",
                       "special_strict"]
        kind.save(update_fields=fields)
    Meeting.objects.filter(due_count__isnull=False).update(due_votes=F("due_count"))

    rolls = {}
    for rep in Representative.objects.select_related("community").order_by("id"):
        roll = rolls.get(rep.community_id)
        if roll is None:
            roll = rolls[rep.community_id] = Roll.objects.create(
                kind="representatives", region_id=rep.community_id, name=f"{rep.community.name}居民代表名册")
        RollEntry.objects.create(roll=roll, person_id=rep.person_id, start_date=rep.start_date, end_date=rep.end_date,
                                 end_reason="" if rep.end_date is None else "任期结束")
    for meeting in Meeting.objects.filter(kind__basis__in=REPRESENTATIVE_BASES, roll__isnull=True):
        roll = rolls.get(meeting.community_id)
        if roll is not None:
            Meeting.objects.filter(pk=meeting.pk).update(roll=roll)

    resolution_type = _content_type(apps, "deliberation.resolution")
    types = {}
    for old in PublicNotice.objects.select_related("community").order_by("id"):
        if old.resolution_id is not None:
            subject_type, subject_id = resolution_type, old.resolution_id
        elif old.subject_type and old.subject_id:
            subject_type = types.get(old.subject_type) or types.setdefault(
                old.subject_type, _content_type(apps, old.subject_type))
            subject_id = old.subject_id
        else:
            continue  # a notice about nothing: nothing can wait for it
        Notice.objects.create(pk=old.pk, subject_type=subject_type, subject_id=subject_id, region_id=old.community_id,
                              owner_name=old.community.name, **{f: getattr(old, f) for f in NOTICE_FIELDS})
    kept = set(Notice.objects.values_list("pk", flat=True))
    for old in OldObjection.objects.filter(notice_id__in=kept).order_by("id"):
        Objection.objects.create(pk=old.pk, notice_id=old.notice_id, **{f: getattr(old, f) for f in OBJECTION_FIELDS})
    _reset_sequences(apps, schema_editor, "notices.Notice", "notices.Objection")


def backward(apps, schema_editor):
    MeetingKind = apps.get_model("deliberation", "MeetingKind")
    Meeting = apps.get_model("deliberation", "Meeting")
    Representative = apps.get_model("deliberation", "Representative")
    PublicNotice = apps.get_model("deliberation", "PublicNotice")
    OldObjection = apps.get_model("deliberation", "Objection")
    RollEntry = apps.get_model("rolls", "RollEntry")
    Notice = apps.get_model("notices", "Notice")
    Objection = apps.get_model("notices", "Objection")

    for kind in MeetingKind.objects.all():
        kind.quorum_ratio = (Decimal(kind.quorum_num) / Decimal(kind.quorum_den)).quantize(Decimal("0.001"))
        kind.majority_ratio = (Decimal(kind.majority_num) / Decimal(kind.majority_den)).quantize(Decimal("0.001"))
        kind.save(update_fields=["quorum_ratio", "majority_ratio"])
    for entry in RollEntry.objects.filter(roll__kind="representatives").select_related("roll").order_by("id"):
        # households represented have no place in the old model
        Representative.objects.create(person_id=entry.person_id, community_id=entry.roll.region_id,
                                      start_date=entry.start_date, end_date=entry.end_date or entry.term_ends)
    Meeting.objects.filter(roll__isnull=False).update(roll=None)
    Roll = apps.get_model("rolls", "Roll")
    # raw deletes: the collector would compare models of two historical states
    through = RollEntry.households.through
    through.objects.filter(rollentry__roll__kind="representatives")._raw_delete(schema_editor.connection.alias)
    RollEntry.objects.filter(roll__kind="representatives")._raw_delete(schema_editor.connection.alias)
    Roll.objects.filter(kind="representatives")._raw_delete(schema_editor.connection.alias)

    labels = {}
    for notice in Notice.objects.select_related("subject_type").filter(region__isnull=False).order_by("id"):
        label = labels.setdefault(notice.subject_type_id,
                                  f"{notice.subject_type.app_label}.{notice.subject_type.model}")
        fields = {f: getattr(notice, f) for f in NOTICE_FIELDS}
        if label == "deliberation.resolution":
            fields.update(resolution_id=notice.subject_id)
        else:
            fields.update(subject_type=label, subject_id=notice.subject_id)
        PublicNotice.objects.create(pk=notice.pk, community_id=notice.region_id, **fields)
    kept = set(PublicNotice.objects.values_list("pk", flat=True))
    for o in Objection.objects.filter(notice_id__in=kept).order_by("id"):
        OldObjection.objects.create(pk=o.pk, notice_id=o.notice_id, **{f: getattr(o, f) for f in OBJECTION_FIELDS})
    Objection.objects.filter(notice_id__in=kept)._raw_delete(schema_editor.connection.alias)
    Notice.objects.filter(pk__in=kept)._raw_delete(schema_editor.connection.alias)
    _reset_sequences(apps, schema_editor, "deliberation.PublicNotice", "deliberation.Objection")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("deliberation", "0006_rolls_and_exact_shares"),
        ("notices", "0001_initial"),
        ("rolls", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
