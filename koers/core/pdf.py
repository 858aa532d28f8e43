"""How Koers writes its PDFs (the proposal, the status report, the decision log).

Each is tagged for screen readers as PDF/UA-1: its headings, paragraphs, lists, tables and
links are in the document's structure, with the language of its <html lang> and the title of
its <title>, as EN 301 549 and the Dutch government's accessibility rules ask of documents.
"""

from typing import Any

# For WeasyPrint's HTML.render() and write_pdf().
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1"}
