from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class LifecircleConfig(AppConfig):
    name = "grassroots.lifecircle"
    label = "lifecircle"
    verbose_name = "一刻钟生活圈"

    def ready(self):
        from grassroots.web.navigation import register

        register(pgettext_lazy("menu", "办事找服务点"), "lifecircle:finder", order=60)
        register(pgettext_lazy("menu", "服务事项"), "lifecircle:items", order=61)
        register(pgettext_lazy("menu", "服务设施"), "lifecircle:facilities", order=62)
        register(pgettext_lazy("menu", "生活圈覆盖"), "lifecircle:coverage",
                 roles=("zone_leader", "subdistrict_officer", "community_secretary", "community_staff"), order=63)
