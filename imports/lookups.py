"""Values chosen from a list: a field's choices, and the users who may own records."""

import unicodedata

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from imports.text import clean_text, fold


class ChoiceReader:
    """Reads one of a field's choices from its value or its label in any of the site's
    languages, whatever the case or width ("Active", "active", "ACTIVE", "成交客户"), or
    from an alias (("活跃", "active")).

    The labels are read on first use, once translations are loaded; a word that would
    mean two choices is not taken for either.
    """

    def __init__(self, choices, *, aliases=()):
        self.choices = list(choices)
        self.aliases = tuple(aliases)
        self._words = None

    @classmethod
    def for_field(cls, model, field_name: str, *, aliases=()) -> "ChoiceReader":
        return cls(model._meta.get_field(field_name).choices, aliases=aliases)

    @property
    def words(self) -> dict[str, str]:
        if self._words is None:
            words, clashes = {}, set()
            pairs = [(value, value) for value, _label in self.choices]
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    pairs += [(str(label), value) for value, label in self.choices]
            for word, value in [*pairs, *self.aliases]:
                word = fold(word)
                if word and words.setdefault(word, value) != value:
                    clashes.add(word)
            self._words = {word: value for word, value in words.items() if word not in clashes}
        return self._words

    def parse(self, value) -> str:
        choice = self.words.get(fold(clean_text(value)))
        if choice is None:
            raise ValidationError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": value, "choices": ", ".join(str(label) for _v, label in self.choices)}
            )
        return choice


_AMBIGUOUS = object()


class OwnerLookup:
    """Active users by username, e-mail and full name (either order, as Chinese names are
    written family name first), read once per import."""

    def __init__(self, users):
        self.by_username, self.by_email, self.by_name = {}, {}, {}
        for user in users:
            self._add(self.by_username, _exact(user.username), user)
            self._add(self.by_email, _exact(user.email), user)
            for name in {
                fold(f"{user.first_name}{user.last_name}"),
                fold(f"{user.last_name}{user.first_name}"),
            }:
                self._add(self.by_name, name, user)

    @classmethod
    def load(cls) -> "OwnerLookup":
        """One query: every active user, with only the columns matched on."""
        users = get_user_model().objects.filter(is_active=True)
        return cls(users.only("pk", "username", "email", "first_name", "last_name"))

    @staticmethod
    def _add(index: dict, word: str, user) -> None:
        if not word:
            return
        known = index.get(word)
        index[word] = (
            user
            if known is None or (known is not _AMBIGUOUS and known.pk == user.pk)
            else _AMBIGUOUS
        )

    def find(self, value):
        text = clean_text(value)
        for index, word in (
            (self.by_username, _exact(text)),
            (self.by_email, _exact(text)),
            (self.by_name, fold(text)),
        ):
            user = index.get(word)
            if user is _AMBIGUOUS:
                raise ValidationError(
                    _(
                        "More than one active user is called “%(value)s”; use the username "
                        "or the e-mail address instead."
                    )
                    % {"value": value}
                )
            if user is not None:
                return user
        raise ValidationError(
            _("“%(value)s” is not an active user (give a username, full name or e-mail).")
            % {"value": value}
        )


def _exact(text) -> str:
    return unicodedata.normalize("NFKC", text or "").strip().casefold()


def parse_owner(value, owners: OwnerLookup):
    """The active user ``value`` names, found in ``owners`` (`OwnerLookup.load()`)."""
    return owners.find(value)
