from django.apps import AppConfig


class DeliberationConfig(AppConfig):
    name = "grassroots.deliberation"
    label = "deliberation"
    verbose_name = "议事协商"

    def ready(self):
        from grassroots.notices import registry

        from .permissions import is_staff_for

        def owner(resolution):
            community = resolution.meeting.community
            return registry.Owner(name=community.name, region=community)

        registry.register(registry.NoticeKind(
            code="resolution", label="决议公示", label_en="resolution notice", model="deliberation.resolution",
            can_publish=lambda actor, r: is_staff_for(actor, r.meeting.community), owner=owner,
            subject_url=lambda r: f"/deliberation/resolutions/{r.pk}/"))
