from django.db import models
from django.utils.translation import gettext_lazy as _


class DiscretionLevel(models.TextChoices):
    MINOR = "minor", _("轻微")
    ORDINARY = "ordinary", _("一般")
    SERIOUS = "serious", _("较重")
    SEVERE = "severe", _("严重")


class BenchmarkStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    EFFECTIVE = "effective", _("生效")
    RETIRED = "retired", _("废止")


class Harm(models.TextChoices):
    NONE = "none", _("没有造成危害后果")
    SLIGHT = "slight", _("危害后果轻微")
    ORDINARY = "ordinary", _("造成一般危害后果")
    SERIOUS = "serious", _("造成严重危害后果")


class PartyKind(models.TextChoices):
    ORGANISATION = "organisation", _("法人或者其他组织")
    PERSON = "person", _("公民（个人）")
