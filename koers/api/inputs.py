"""What every API input schema shares: text without NUL characters, and unambiguous money.

PostgreSQL cannot store a NUL character in text, so a NUL is refused here, naming the field,
instead of failing as a server error at the database. A decimal sent as a string with more
decimals than the field has ("15.000") is refused, not read as 15: in Dutch it means 15,000.
"""

import re
from decimal import Decimal
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import BeforeValidator, field_validator, model_validator


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_has_nul(item) for item in value)
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    return False


class Input(Schema):
    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value: Any) -> Any:
        # Schema reads attributes (of the body, wrapped in ninja's DjangoGetter), so a JSON
        # array would pass as an object with every field left out: where every field has a
        # default, refuse it instead of acting on the defaults (elsewhere the required
        # fields are named as missing).
        body = getattr(value, "_obj", value)
        if isinstance(body, list | str | int | float | bool) and not any(
            field.is_required() for field in cls.model_fields.values()
        ):
            raise ValueError(_("Send a JSON object."))
        return value

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if _has_nul(value):
            raise ValueError(_("Null characters are not allowed."))
        return value


def _two_decimals(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\.\d{3,}\s*", value):
        raise ValueError(
            _("Use at most 2 decimals, and no thousands separator: write 15000, not 15.000.")
        )
    return value


Money = Annotated[Decimal, BeforeValidator(_two_decimals)]


def unchanged(**constraints: Any) -> Any:
    """A PATCH field that may be left out (then it stays as it is) but is never null."""
    return Field(None, **constraints)
