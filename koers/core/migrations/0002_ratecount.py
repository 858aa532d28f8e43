from django.db import migrations, models


class Migration(migrations.Migration):
    """Rate counts move here from the pulse app (every per-address limit uses them): the
    table pulse_ratecount stays as it is."""

    dependencies = [
        ('pulse', '0003_person_of_population'),
        ('core', '0001_heartbeat'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='RateCount',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=64)),
                        ('minute', models.BigIntegerField()),
                        ('hits', models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        'verbose_name': 'rate count',
                        'verbose_name_plural': 'rate counts',
                        'db_table': 'pulse_ratecount',
                        'constraints': [models.UniqueConstraint(fields=('key', 'minute'), name='rate_count_key')],
                    },
                ),
            ],
        ),
    ]
