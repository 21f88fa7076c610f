"""GradingScheme's own ``version`` field shadowed the optimistic-lock ``version`` every record has:
the scheme's number becomes ``edition`` and ``version`` is the lock counter again."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0003_officer_keeper"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="gradingscheme", name="inspections_gradingscheme_one_active"),
        migrations.AlterModelOptions(
            name="gradingscheme",
            options={"ordering": ["-version"], "verbose_name": "风险分级方案", "verbose_name_plural": "风险分级方案"},
        ),
        migrations.RenameField(model_name="gradingscheme", old_name="version", new_name="edition"),
        migrations.AlterModelOptions(
            name="gradingscheme",
            options={"ordering": ["-edition"], "verbose_name": "风险分级方案", "verbose_name_plural": "风险分级方案"},
        ),
        migrations.AddField(
            model_name="gradingscheme",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="版本"),
        ),
        migrations.AddConstraint(
            model_name="gradingscheme",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_active", True)),
                fields=("is_active",),
                name="inspections_gradingscheme_one_active",
                violation_error_message="只能有一个现行版本",
            ),
        ),
    ]
