"""Parse XML from a stranger safely: no entities, no DTD, no external references.

defusedxml refuses the "billion laughs" and XXE attacks before they expand anything.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_tree
from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _

from .draft import PlanFileError


def parse(data: bytes) -> Element:
    try:
        return safe_tree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise PlanFileError(
            _(
                "The file declares a document type or XML entities. Plan files do not need "
                "them and they can be used to attack a server, so Koers does not read them."
            )
        ) from error
    except ParseError as error:
        line, column = error.position
        raise PlanFileError(
            _(
                "The file is not valid XML at line %(line)d, column %(column)d. Is it "
                "complete, and saved in the encoding its first line names?"
            )
            % {"line": line, "column": column}
        ) from error


def local(tag: str) -> str:
    """A tag without its namespace: MS Project writes {http://schemas.microsoft.com/project}Task."""
    return tag.rsplit("}", 1)[-1]


def child(element: Element, name: str) -> Element | None:
    for item in element:
        if local(item.tag) == name:
            return item
    return None


def children(element: Element, name: str) -> list[Element]:
    return [item for item in element if local(item.tag) == name]


def text(element: Element, name: str) -> str:
    found = child(element, name)
    return (found.text or "").strip() if found is not None else ""
