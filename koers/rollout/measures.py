"""What a wave's gate measures outside the rollout: understanding, the barrier point and open
blocking feedback, as the pulse measured them.

The pulse builds on the rollout (its rounds are per wave), so it hands its measure in here
when its app is ready, as the outbox takes the mails of the apps above it, instead of the
rollout importing the pulse.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured

from koers.core.adkar import Step

if TYPE_CHECKING:
    from .models import Wave


@dataclass(frozen=True)
class Measured:
    """One wave's measured facts for its gate."""

    open_blocking: int  # open blocking feedback items of the wave
    understanding: Decimal | None  # None: not measured
    barrier_measured: bool  # a round of enough answers was there to find a barrier point
    barrier: Step | None
    reached: Step  # the step the wave must have reached
    barrier_passed: bool


Measure = Callable[[Iterable["Wave"]], Mapping[int, Measured]]
_measure: list[Measure] = []


def measure_with(measure: Measure) -> None:
    """Take `measure` as the one that measures waves (the pulse's, at start-up)."""
    _measure[:] = [measure]


def measured(waves: Iterable["Wave"]) -> Mapping[int, Measured]:
    """Return the measured facts of each wave, by its id, in a fixed number of queries."""
    if not _measure:
        raise ImproperlyConfigured("No gate measure: koers.pulse must be in INSTALLED_APPS.")
    return _measure[0](waves)
