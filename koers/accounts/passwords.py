"""Password rules worded for Koers' users."""

from django.contrib.auth.password_validation import UserAttributeSimilarityValidator
from django.utils.translation import gettext as _


class SimilarToAccountValidator(UserAttributeSimilarityValidator):
    """Refuse a password like the user's name or e-mail address, saying "your".

    Django's Dutch says "lijkt te veel op de e-mailadres", an article that does not fit every
    field (het e-mailadres, de naam); "je" fits them all.
    """

    def __init__(self, max_similarity: float = 0.7) -> None:
        super().__init__(user_attributes=("name", "email"), max_similarity=max_similarity)

    def get_error_message(self) -> str:
        return _("The password is too similar to your %(verbose_name)s.")
