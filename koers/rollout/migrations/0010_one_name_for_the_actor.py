from django.db import migrations


class Migration(migrations.Migration):
    """Who did something is `actor` on every model (was `recorded_by`)."""

    dependencies = [
        ("rollout", "0009_people_move_to_population"),
    ]

    operations = [
        migrations.RenameField("supportload", "recorded_by", "actor"),
    ]
