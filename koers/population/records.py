"""The records of an import or sync of people (its counts, or why it was refused): the API and
`koers import-people --json` share them."""

from dataclasses import asdict
from typing import Any

from .services import ImportRefused, ImportResult


def import_result_record(result: ImportResult) -> dict[str, Any]:
    """Return what an import or sync did (or would do, in a dry run), in counts of people."""
    return asdict(result)


def refusal_record(refused: ImportRefused) -> dict[str, Any]:
    """Return why nothing was written: each problem with its row, column (the API's field)
    and value, the first ones listed and the rest counted in `more`."""
    return {
        "errors": [
            {"row": e.row, "column": e.column, "value": e.value, "message": e.message}
            for e in refused.errors
        ],
        "total": refused.total,
        "more": refused.total - len(refused.errors),
    }
