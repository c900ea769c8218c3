from django.apps import AppConfig


class ParkConfig(AppConfig):
    name = "grassroots.park"
    label = "park"
    verbose_name = "园区企业服务"

    def ready(self):
        from . import (
            exports,  # noqa: F401 - registers the enterprise list export
            grading,
            public,
        )

        public.register()
        grading.register()
