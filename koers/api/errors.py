"""The one error body of the API: what went wrong, and the field it concerns when there is one."""

from typing import Any

from ninja import Schema


class Error(Schema):
    detail: Any
    field: str | None = None
