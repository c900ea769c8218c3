from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "grassroots.projects"
    label = "projects"
    verbose_name = "微项目与社区基金"
