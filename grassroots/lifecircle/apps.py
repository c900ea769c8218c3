from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecircleConfig(AppConfig):
    name = "grassroots.lifecircle"
    label = "lifecircle"
    verbose_name = "一刻钟生活圈"

    def ready(self):
        from grassroots.web.navigation import register

        register(_("办事找服务点"), "lifecircle:finder", order=60)
        register(_("服务事项"), "lifecircle:items", order=61)
        register(_("服务设施"), "lifecircle:facilities", order=62)
        register(_("生活圈覆盖"), "lifecircle:coverage",
                 roles=("zone_leader", "subdistrict_officer", "community_secretary", "community_staff"), order=63)
