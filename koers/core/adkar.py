"""The five steps of individual change (ADKAR).

The pulse measures them and a wave's gate judges by them: they live below both apps, so
neither imports the other for them. Pure, as the rule modules that use them: no Django.
Their names, in the active language, are in `adkar_names`.
"""

from enum import StrEnum


class Step(StrEnum):
    """The five steps of individual change (ADKAR), in the order people go through them."""

    AWARENESS = "awareness"
    DESIRE = "desire"
    KNOWLEDGE = "knowledge"
    ABILITY = "ability"
    REINFORCEMENT = "reinforcement"

    @property
    def position(self) -> int:
        return STEPS.index(self)


STEPS: tuple[Step, ...] = tuple(Step)
