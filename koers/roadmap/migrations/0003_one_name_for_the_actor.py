from django.db import migrations


class Migration(migrations.Migration):
    """Who did something is `actor` on every model (was `author`, `created_by`)."""

    dependencies = [
        ("roadmap", "0002_deviation_rule_empty_plan"),
    ]

    operations = [
        migrations.RenameField("planrevision", "author", "actor"),
        migrations.RenameField("sharelink", "created_by", "actor"),
    ]
