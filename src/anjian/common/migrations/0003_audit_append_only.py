from django.db import migrations

from anjian.common import audit_sql


def install_triggers(apps, schema_editor):
    audit_sql.install(schema_editor.connection)


def remove_triggers(apps, schema_editor):
    audit_sql.remove(schema_editor.connection)


def create_chain_head(apps, schema_editor):
    head = apps.get_model("common", "AuditChainHead")
    head.objects.using(schema_editor.connection.alias).get_or_create(pk=1, defaults={"seq": 0, "hash": "0" * 64})


class Migration(migrations.Migration):
    """The audit trail is append-only in the database itself: UPDATE, DELETE (and on PostgreSQL
    TRUNCATE) of an audit event are rejected by triggers, whatever path the statement comes from."""

    dependencies = [("common", "0002_initial")]

    operations = [
        migrations.RunPython(install_triggers, remove_triggers),
        migrations.RunPython(create_chain_head, migrations.RunPython.noop),
    ]
