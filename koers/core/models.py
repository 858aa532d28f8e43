from django.db import models


class Heartbeat(models.Model):
    """The last sign of life of a process: a task worker, or the web answering /healthz."""

    name = models.CharField(max_length=80, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
