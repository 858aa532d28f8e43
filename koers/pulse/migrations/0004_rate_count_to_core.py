from django.db import migrations


class Migration(migrations.Migration):
    """RateCount is now core.RateCount: state only, the table stays."""

    dependencies = [
        ('core', '0002_ratecount'),
        ('pulse', '0003_person_of_population'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='RateCount',
                ),
            ],
        ),
    ]
