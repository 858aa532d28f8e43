"""The demo's cases, one module per case of METHOD.md, in the order the demo shows them.

Each module holds its case whole: the intake (`CASE`), the KPIs it measures from the
intake's figures (`KPIS`), and `build`, which writes the project with its plan, people,
waves and pulse, dated relative to the day the demo is made.
"""

from . import (
    erp_gent,
    groothandel_antwerpen,
    moderne_werkplek,
    order_to_cash,
    productteam_gemeente,
    zorg_uitrol,
)

MODULES = (order_to_cash, moderne_werkplek, erp_gent, zorg_uitrol, productteam_gemeente)
# Cases of a client at its landscape audit, with a proposed project that has no history yet:
# not told like the cases above (no waves, decisions or wins to check).
CLIENT_MODULES = (groothandel_antwerpen,)
CASES = tuple(module.CASE for module in MODULES)
PROPOSALS = tuple(module.CASE for module in CLIENT_MODULES)
# The small projects of before that a client case brings with it, all closed.
EARLIER = tuple(slug for module in CLIENT_MODULES for slug, *_rest in module.EARLIER)

# Stable project slugs: tests, docs and examples name the projects by these.
ORDER_TO_CASH = order_to_cash.SLUG
MODERNE_WERKPLEK = moderne_werkplek.SLUG
ERP_GENT = erp_gent.SLUG
ZORG_UITROL = zorg_uitrol.SLUG
PRODUCTTEAM_GEMEENTE = productteam_gemeente.SLUG
EEN_WAARHEID = groothandel_antwerpen.SLUG

# The client guest (guest@example.com) reads the projects of this project's client.
GUEST_PROJECT = ORDER_TO_CASH
