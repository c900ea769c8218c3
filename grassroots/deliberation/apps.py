from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class DeliberationConfig(AppConfig):
    name = "grassroots.deliberation"
    label = "deliberation"
    verbose_name = "议事协商"

    def ready(self):
        from grassroots.web.navigation import register

        register(pgettext_lazy("menu", "议题"), "deliberation:topics", order=40)
        register(pgettext_lazy("menu", "议事会"), "deliberation:meetings",
                 roles=("community_staff", "community_secretary", "subdistrict_officer", "zone_leader", "grid_worker",
                        "hotline_operator", "resident"), order=41)
        register(pgettext_lazy("menu", "公示"), "deliberation:notices", order=42)
