from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last sign of life of a process: a task worker, or the web answering /healthz."""

    name = models.CharField(max_length=80, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"


class RateCount(models.Model):
    """Hits per hashed scope and identity and per window, for `ratelimit`.

    Not tenant data: a key is a SHA-256 of the scope and the identity (a link and a client
    address, an e-mail address), so neither is kept. `minute` is the minute the window ends.
    One upsert per hit, where the shared cache cost several queries (see docs/PERFORMANCE.md).
    """

    key = models.CharField(max_length=64)
    minute = models.BigIntegerField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "pulse_ratecount"  # the name it had when only pulse links were limited
        verbose_name = _("rate count")
        verbose_name_plural = _("rate counts")
        constraints = [models.UniqueConstraint(fields=["key", "minute"], name="rate_count_key")]

    def __str__(self) -> str:
        return f"{self.key[:8]} {self.minute}: {self.hits}"
