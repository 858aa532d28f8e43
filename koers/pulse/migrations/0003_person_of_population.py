import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Personal links point at population.Person: state only, the table stays."""

    dependencies = [
        ('population', '0001_initial'),
        ('pulse', '0002_round_waves_at_close'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='personallink',
                    name='person',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pulse_links', to='population.person', verbose_name='person'),
                ),
            ],
        ),
    ]
