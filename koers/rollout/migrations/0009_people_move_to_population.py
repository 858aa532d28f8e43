import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The rollout's people are now population.Person: state only, the tables stay."""

    dependencies = [
        ('population', '0001_initial'),
        ('pulse', '0003_person_of_population'),
        ('rollout', '0008_import_run_lease'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='person',
                    name='client',
                ),
                migrations.AlterField(
                    model_name='pilotmember',
                    name='person',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pilot_memberships', to='population.person', verbose_name='person'),
                ),
                migrations.AlterField(
                    model_name='wavemember',
                    name='person',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='wave_memberships', to='population.person', verbose_name='person'),
                ),
                migrations.AlterField(
                    model_name='firstringmember',
                    name='person',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='first_ring_memberships', to='population.person', verbose_name='person'),
                ),
                migrations.DeleteModel(
                    name='ImportRun',
                ),
                migrations.DeleteModel(
                    name='Person',
                ),
            ],
        ),
    ]
