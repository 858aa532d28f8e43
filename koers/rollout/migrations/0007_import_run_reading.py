from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("rollout", "0006_first_ring"),
    ]

    operations = [
        migrations.AlterField(
            model_name="importrun",
            name="status",
            field=models.CharField(
                choices=[
                    ("reading", "Reading the file"),
                    ("uploaded", "Waiting for the mapping"),
                    ("queued", "Queued"),
                    ("running", "Importing"),
                    ("done", "Imported"),
                    ("failed", "Refused"),
                ],
                default="uploaded",
                max_length=16,
                verbose_name="status",
            ),
        ),
    ]
