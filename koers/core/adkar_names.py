"""The names of the ADKAR steps, as people read them: the pulse's statements and a gate's
words name the steps alike."""

from django.utils.translation import pgettext_lazy

from .adkar import Step

STEP_NAMES = {
    Step.AWARENESS: pgettext_lazy("ADKAR step", "Awareness"),
    Step.DESIRE: pgettext_lazy("ADKAR step", "Desire"),
    Step.KNOWLEDGE: pgettext_lazy("ADKAR step", "Knowledge"),
    Step.ABILITY: pgettext_lazy("ADKAR step", "Ability"),
    Step.REINFORCEMENT: pgettext_lazy("ADKAR step", "Reinforcement"),
}
