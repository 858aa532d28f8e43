"""A small import runs inside the web request; its web worker is killed halfway.

Real processes on a SQLite file: `koers serve` (gunicorn and its task worker), a member
logged in over HTTP who uploads 5,000 people (the most that are imported in the request) and
maps the columns; the gunicorn worker doing the import is killed with SIGKILL while the run
says it is importing. Once a request could no longer be running (the web timeout and a
margin), the import page says the import stopped and nothing was imported, the file can be
thrown away, and no person was written.
"""

import http.client
import http.cookiejar
import json
import os
import signal
import threading
import time
import urllib.error
import urllib.request
import uuid
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.faults.test_database_restart import child_pids
from tests.faults.test_faults import (
    free_port,
    people,
    query,
    started,
    wait_until_serving,
    write_people,
)

pytestmark = pytest.mark.faults

PEOPLE_URL = "/w/acme/c/bakkerij/people/"
WEB_TIMEOUT = 2  # seconds; the run's lease is this and a margin of 5 s


class Browser:
    """A member's browser without JavaScript: cookies, CSRF tokens, forms."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.opener.addheaders = [("Accept-Language", "en")]

    def csrf_token(self) -> str:
        [token] = [c.value for c in self.cookies if c.name == "csrftoken" and c.value]
        return token

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return str(response.read().decode())

    def post(self, path: str, fields: dict[str, str], *, file: Path | None = None) -> str:
        fields = {"csrfmiddlewaretoken": self.csrf_token(), **fields}
        if file is None:
            body = urlencode(fields).encode()
            kind = "application/x-www-form-urlencoded"
        else:
            boundary = uuid.uuid4().hex
            parts = [
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
                for name, value in fields.items()
            ]
            body = (
                "".join(parts).encode()
                + (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                    f'filename="{file.name}"\r\nContent-Type: text/csv\r\n\r\n'
                ).encode()
            )
            body += file.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
            kind = f"multipart/form-data; boundary={boundary}"
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Content-Type": kind}, method="POST"
        )
        with self.opener.open(request, timeout=60) as response:
            return str(response.read().decode())


def web_worker(serve_pid: int) -> int:
    """The one gunicorn worker: the child of gunicorn's master, which `koers serve` started."""
    [master] = [pid for pid, line in child_pids(serve_pid).items() if "gunicorn" in line]
    [worker] = child_pids(master)
    return worker


def test_a_web_worker_killed_during_a_small_import_leaves_it_failed_and_discardable(
    database: Path,
) -> None:
    db, data_dir = database, database.parent
    file = data_dir / "mensen.csv"
    write_people(file, 5000)
    os.environ["KOERS_WEB_TIMEOUT"] = str(WEB_TIMEOUT)  # read by koers_env for the server
    port = free_port()
    serve = ["koers.cli", "serve", "--workers", "1", "--port", str(port)]
    try:
        with started(data_dir, *serve, log="serve.log") as server:
            wait_until_serving(port, server)
            browser = Browser(port)
            browser.get("/accounts/login/")  # the CSRF cookie
            browser.post(
                "/accounts/login/",
                {"username": "o@x.nl", "password": "correct-horse-battery-staple"},
            )
            browser.post(PEOPLE_URL + "import/", {}, file=file)
            [(run, mapping)] = query(db, "SELECT id, mapping FROM rollout_importrun")
            form = {f"map_{field}": column for field, column in json.loads(mapping).items()}
            worker = web_worker(server.pid)
            importing = threading.Thread(
                target=lambda: _ignore_errors(browser.post, f"{PEOPLE_URL}import/{run}/", form)
            )
            importing.start()
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                [(status,)] = query(db, "SELECT status FROM rollout_importrun")
                if status not in ("uploaded", "queued"):
                    break
                time.sleep(0.002)
            assert status == "running", f"the import was {status} before it could be killed"
            os.kill(worker, signal.SIGKILL)
            importing.join(timeout=60)
            killed_at = time.monotonic()
            [(status, lease)] = query(db, "SELECT status, lease_until FROM rollout_importrun")
            assert (status, people(db)) == ("running", 0), "nothing was written, it says running"
            assert lease is not None

            page = browser.get(f"{PEOPLE_URL}import/{run}/")  # a new worker answers
            assert "Importing" in page  # within the lease a request might still be busy
            time.sleep(max(0.0, killed_at + WEB_TIMEOUT + 5.5 - time.monotonic()))
            page = browser.get(f"{PEOPLE_URL}import/{run}/")
            assert "The import stopped before it was finished" in page
            assert "Check and import" in page  # start again
            browser.post(f"{PEOPLE_URL}import/{run}/discard/", {})
    finally:
        os.environ.pop("KOERS_WEB_TIMEOUT", None)
    [(status, content)] = query(db, "SELECT status, length(content) FROM rollout_importrun")
    assert (status, content, people(db)) == ("failed", 0, 0)
    assert "Traceback" not in (data_dir / "serve.log").read_text()


def _ignore_errors(post: object, *args: object) -> None:
    """The request whose worker is killed gets no answer: the connection just ends."""
    with suppress(urllib.error.URLError, ConnectionError, http.client.HTTPException):
        post(*args)  # type: ignore[operator]
