"""Every table of the app registry as comparable text, for the backup round-trip tests.

`python -m koers.core.tests.snapshot [--digest]` prints the snapshot of the database the
environment names (KOERS_DATA_DIR, DATABASE_URL) as JSON, so a test can compare a database
restored by another process with its own. Rows are compared by primary key and every concrete
field; references to content types and permissions by natural key, since `migrate` gives
those ids of its own in every database.
"""

import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

# Models a backup leaves out by design (koers.core.backup.SKIPPED); the tests check both agree.
SKIPPED_BY_DESIGN = {"sessions.Session", "core.RateCount", "core.Heartbeat"}
# Made by `migrate` in every database: the target may hold more of them than the source.
MIGRATE_MADE = {"contenttypes.ContentType", "auth.Permission"}


def snapshot(*, digest: bool = False) -> dict[str, Any]:
    """Return {model label: sorted row texts}, or {model label: [count, sha256]} with digest."""
    from django.apps import apps
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django_scopes import scopes_disabled

    with scopes_disabled():
        types = {ct.pk: (ct.app_label, ct.model) for ct in ContentType.objects.all()}
        permissions = {
            p.pk: (types[p.content_type_id], p.codename) for p in Permission.objects.all()
        }
        tables: dict[str, Any] = {}
        for model in apps.get_models(include_auto_created=True):
            name = model._meta.label
            if name in SKIPPED_BY_DESIGN or not model._meta.managed or model._meta.proxy:
                continue
            if name == "contenttypes.ContentType":
                rows = [repr(key) for key in types.values()]
            elif name == "auth.Permission":
                rows = [repr((permissions[p.pk], p.name)) for p in Permission.objects.all()]
            else:
                rows = [repr(row) for row in table_rows(model, types, permissions)]
            rows.sort()
            if digest:
                text = "\n".join(rows).encode()
                tables[name] = [len(rows), hashlib.sha256(text).hexdigest()]
            else:
                tables[name] = rows
    return tables


def natural_key(keys: dict[int, Any], pk: int) -> Any:
    return keys.get(pk, ("no such row", pk))


def table_rows(model: Any, types: dict[int, Any], permissions: dict[int, Any]) -> Iterator[Any]:
    """Yield a model's rows in primary-key order, with references to content types and
    permissions as natural keys, binary values as bytes and JSON with sorted keys (PostgreSQL's
    jsonb keeps keys in an order of its own)."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db import models

    fields = model._meta.concrete_fields
    change: dict[int, Callable[[Any], Any]] = {}
    for i, field in enumerate(fields):
        if field.is_relation and field.related_model is ContentType:
            change[i] = partial(natural_key, types)
        elif field.is_relation and field.related_model is Permission:
            change[i] = partial(natural_key, permissions)
        elif isinstance(field, models.BinaryField):
            change[i] = bytes
        elif isinstance(field, models.JSONField):
            change[i] = partial(json.dumps, sort_keys=True)
    query = model._base_manager.order_by("pk").values_list(*[f.attname for f in fields])
    for row in query.iterator(chunk_size=5000):
        if not change:
            yield row
            continue
        values = list(row)
        for i, function in change.items():
            if values[i] is not None:
                values[i] = function(values[i])
        yield tuple(values)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    import django

    django.setup()
    json.dump(snapshot(digest="--digest" in sys.argv), sys.stdout)
