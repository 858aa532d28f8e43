"""The database cache is gone (a closed round's publication is kept on the round): its table,
made by `createcachetable` outside the migrations, goes from databases that have it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0002_ratecount")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS koers_cache", reverse_sql=migrations.RunSQL.noop)
    ]
