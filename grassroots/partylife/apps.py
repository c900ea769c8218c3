from django.apps import AppConfig


class PartylifeConfig(AppConfig):
    name = "grassroots.partylife"
    label = "partylife"
    verbose_name = "党组织生活"

    def ready(self):
        from grassroots.core import attachments

        from . import exports, selectors  # noqa: F401  (exports registers its kinds)

        attachments.register_owner("partylife.meeting",
                                   lambda actor, object_id: selectors.meeting_detail(actor=actor, pk=int(object_id)))
