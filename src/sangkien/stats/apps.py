from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "sangkien.stats"
    verbose_name = _("Chỉ tiêu và số liệu")

    def ready(self):
        from sangkien.orgs.signals import tree_changed
        from sangkien.stats.services import tree_changed as recount

        tree_changed.connect(recount, dispatch_uid="stats.recount_today_tree")
