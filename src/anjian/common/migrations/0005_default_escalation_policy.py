from django.db import migrations


def create_default_policy(apps, schema_editor):
    EscalationPolicy = apps.get_model("common", "EscalationPolicy")
    EscalationPolicy.objects.get_or_create(
        key="default",
        defaults={
            "name": "默认逾期升级规则",
            "description": "逾期 1 个工作日提醒，5 个工作日督办，10 个工作日建议约谈。",
            "reminder_days": 1,
            "supervision_days": 5,
            "summons_days": 10,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("common", "0004_workflow_numbering_notifications_escalation")]

    operations = [migrations.RunPython(create_default_policy, migrations.RunPython.noop)]
