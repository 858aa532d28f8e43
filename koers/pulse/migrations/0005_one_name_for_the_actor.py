from django.db import migrations


class Migration(migrations.Migration):
    """Who did something is `actor` on every model (was `author`, `created_by`)."""

    dependencies = [
        ("pulse", "0004_rate_count_to_core"),
    ]

    operations = [
        migrations.RenameField("round", "created_by", "actor"),
        migrations.RenameField("statusupdate", "author", "actor"),
        migrations.RenameField("feedbackitem", "created_by", "actor"),
        migrations.RenameField("publiclink", "created_by", "actor"),
        migrations.RenameField("feedbackpage", "created_by", "actor"),
    ]
