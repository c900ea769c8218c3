from django.apps import AppConfig


class PropertyConfig(AppConfig):
    name = "grassroots.property"
    label = "property"
    verbose_name = "红色物业"

    def ready(self):
        from grassroots.people import dissolution

        from . import selectors

        dissolution.register("property_contracts", "履行中的物业服务合同", "current property service contracts",
                             selectors.current_contracts)
        dissolution.register("property_party_coverage", "在用的物业企业党组织覆盖", "current party coverage arrangements",
                             selectors.current_party_coverage)
