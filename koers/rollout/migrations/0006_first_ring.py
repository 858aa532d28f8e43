# The first ring (IT and service desk) before the pilot; the pilot no longer holds them.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def first_to_selected(apps, schema_editor):  # type: ignore[no-untyped-def]
    # IT and service desk are no longer a source of pilot members: they are the first ring.
    apps.get_model("rollout", "PilotMember").objects.filter(source="first").update(
        source="selected"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
        ("rollout", "0005_rollout_phase_and_wave_pins"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="FirstRing",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("add_departments", models.JSONField(blank=True, default=list, verbose_name="departments added")),
                ("remove_departments", models.JSONField(blank=True, default=list, verbose_name="departments left out")),
                ("add_people", models.JSONField(blank=True, default=list, verbose_name="people added")),
                ("remove_people", models.JSONField(blank=True, default=list, verbose_name="people left out")),
                ("confirmed_at", models.DateTimeField(blank=True, null=True, verbose_name="confirmed")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="changed")),
                ("confirmed_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="confirmed by")),
                ("project", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="first_ring", to="projects.project", verbose_name="project")),
            ],
            options={"verbose_name": "first ring", "verbose_name_plural": "first rings"},
        ),
        migrations.CreateModel(
            name="FirstRingMember",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reason", models.CharField(choices=[("department", "Department"), ("job_title", "Job title"), ("added_department", "Department added"), ("added", "Added")], max_length=16, verbose_name="why")),
                ("person", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="first_ring_memberships", to="rollout.person", verbose_name="person")),
                ("ring", models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="members", to="rollout.firstring", verbose_name="first ring")),
            ],
            options={
                "verbose_name": "first ring member",
                "verbose_name_plural": "first ring members",
                "constraints": [models.UniqueConstraint(fields=("ring", "person"), name="person_once_per_first_ring")],
            },
        ),
        migrations.RemoveField(model_name="pilot", name="include_first"),
        migrations.AddField(
            model_name="pilot",
            name="marks",
            field=models.JSONField(blank=True, default=list, verbose_name="marks honoured"),
        ),
        migrations.RunPython(first_to_selected, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="pilotmember",
            name="source",
            field=models.CharField(choices=[("selected", "Selected"), ("swapped", "Swapped in")], max_length=16, verbose_name="how"),
        ),
        migrations.AlterField(
            model_name="wavemember",
            name="wave",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="members", to="rollout.wave", verbose_name="wave"),
        ),
        migrations.AlterField(
            model_name="wave",
            name="kind",
            field=models.CharField(choices=[("first_ring", "First ring (IT and service desk)"), ("pilot", "Pilot"), ("department", "Department"), ("ring", "Ring")], max_length=16, verbose_name="kind"),
        ),
    ]
