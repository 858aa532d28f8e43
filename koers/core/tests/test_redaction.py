"""Page cursors stay out of the logs: they hold the last row's values (a person's name)."""

from typing import Any

from django.core import signing
from gunicorn.config import Config

from koers.core import paging
from koers.core.gunicorn_logger import RedactingLogger
from koers.core.redaction import redact


def test_a_page_cursor_never_reaches_a_log(tmp_path: Any, settings: Any) -> None:
    # As the people page makes it: the last row's name, key and id, signed.
    cursor = signing.dumps(["people", ["Jansen, Anna", "1042", 7]], salt=paging.SALT, compress=True)
    lines = [
        f"/w/acme/c/bakkerij/people/?cursor={cursor}",
        f"/api/v1/w/acme/clients/bakkerij/people?limit=10&cursor={cursor}&x=1",
    ]
    assert all(cursor not in redact(line) and "[redacted]" in redact(line) for line in lines)
    assert redact(lines[1]).endswith("&x=1")
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    log = RedactingLogger(config)
    for line in lines:
        log.access_log.info('"%(r)s" %(s)s', {"r": f"GET {line} HTTP/1.1", "s": "200"})
    written = (tmp_path / "access.log").read_text()
    assert cursor not in written and "Jansen" not in written
