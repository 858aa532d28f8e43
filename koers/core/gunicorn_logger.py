"""gunicorn's logger with link tokens redacted from its access and error logs."""

from typing import Any

from gunicorn.glogging import Logger

from koers.core.redaction import RedactSecrets


class RedactingLogger(Logger):
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            log.addFilter(RedactSecrets())
