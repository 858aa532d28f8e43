import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """People and their imports move here from the rollout app: the tables stay as
    they are (rollout_person, rollout_importrun); only Django's idea of them moves."""

    initial = True

    dependencies = [
        ('rollout', '0008_import_run_lease'),
        ('workspaces', '0002_client_liberation_day_off'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ImportRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file_name', models.CharField(max_length=255, verbose_name='file')),
                        ('content', models.BinaryField(default=bytes)),
                        ('sheet', models.CharField(blank=True, max_length=100, verbose_name='sheet')),
                        ('sheets', models.JSONField(blank=True, default=list, verbose_name='sheets')),
                        ('file_format', models.CharField(blank=True, max_length=60, verbose_name='format')),
                        ('header', models.JSONField(blank=True, default=list, verbose_name='columns')),
                        ('preview', models.JSONField(blank=True, default=list, verbose_name='first rows')),
                        ('mapping', models.JSONField(blank=True, default=dict, verbose_name='mapping')),
                        ('keep', models.JSONField(blank=True, default=list, verbose_name='further columns kept')),
                        ('mark_left', models.BooleanField(default=False, verbose_name='mark people missing from the file as left')),
                        ('left_before', models.DateField(blank=True, null=True, verbose_name='left when leaving before')),
                        ('key_check', models.JSONField(blank=True, default=dict, verbose_name='keys against the people there')),
                        ('notes', models.JSONField(blank=True, default=list, verbose_name='notes')),
                        ('status', models.CharField(choices=[('reading', 'Reading the file'), ('uploaded', 'Waiting for the mapping'), ('queued', 'Queued'), ('running', 'Importing'), ('done', 'Imported'), ('failed', 'Refused')], default='uploaded', max_length=16, verbose_name='status')),
                        ('rows_total', models.PositiveIntegerField(default=0, verbose_name='rows')),
                        ('rows_done', models.PositiveIntegerField(default=0, verbose_name='rows done')),
                        ('created', models.PositiveIntegerField(default=0, verbose_name='added')),
                        ('updated', models.PositiveIntegerField(default=0, verbose_name='changed')),
                        ('unchanged', models.PositiveIntegerField(default=0, verbose_name='unchanged')),
                        ('left', models.PositiveIntegerField(default=0, verbose_name='marked as left')),
                        ('missing', models.PositiveIntegerField(default=0, verbose_name='not in the file')),
                        ('errors', models.JSONField(blank=True, default=list, verbose_name='errors')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                        ('lease_until', models.DateTimeField(blank=True, editable=False, null=True)),
                        ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                        ('client', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='import_runs', to='workspaces.client', verbose_name='client')),
                    ],
                    options={
                        'verbose_name': 'people import',
                        'verbose_name_plural': 'people imports',
                        'db_table': 'rollout_importrun',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Person',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(help_text='What identifies the person in the file.', max_length=150, verbose_name='employee id')),
                        ('name', models.CharField(blank=True, max_length=200, verbose_name='name')),
                        ('email', models.CharField(blank=True, max_length=254, verbose_name='e-mail address')),
                        ('department', models.CharField(blank=True, max_length=150, verbose_name='department')),
                        ('location', models.CharField(blank=True, max_length=150, verbose_name='location')),
                        ('job_title', models.CharField(blank=True, max_length=200, verbose_name='job title')),
                        ('manager', models.CharField(blank=True, max_length=200, verbose_name='manager')),
                        ('device', models.CharField(blank=True, max_length=150, verbose_name='device')),
                        ('attributes', models.JSONField(blank=True, default=dict, verbose_name='further attributes')),
                        ('is_well_known', models.BooleanField(default=False, verbose_name='well known')),
                        ('is_constructive', models.BooleanField(default=False, verbose_name='gives constructive feedback')),
                        ('is_ambassador', models.BooleanField(default=False, verbose_name='ambassador')),
                        ('left_at', models.DateTimeField(blank=True, null=True, verbose_name='left')),
                        ('leaving_on', models.DateField(blank=True, null=True, verbose_name='leaving date')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='added')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='changed')),
                        ('client', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='people', to='workspaces.client', verbose_name='client')),
                    ],
                    options={
                        'verbose_name': 'person',
                        'verbose_name_plural': 'people',
                        'db_table': 'rollout_person',
                        'ordering': ['name', 'key'],
                        'indexes': [models.Index(fields=['client', 'department', 'key'], name='rollout_per_client__c7345a_idx'), models.Index(fields=['client', 'left_at'], name='rollout_per_client__f19db6_idx'), models.Index(fields=['client', 'name', 'key'], name='rollout_per_client__6354a4_idx')],
                        'constraints': [models.UniqueConstraint(fields=('client', 'key'), name='person_key_per_client')],
                    },
                ),
            ],
        ),
    ]
