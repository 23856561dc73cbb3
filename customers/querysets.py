import re
import unicodedata

from crm.access import VisibleQuerySet


def normalize_phone(phone: str) -> str:
    """Digits only, so "+86 138-0013-8000" and "8613800138000" compare equal.

    A leading "00" international prefix is the same as "+"; both are dropped.
    """
    digits = re.sub(r"\D", "", phone or "")
    return digits[2:] if digits.startswith("00") else digits


#: Longest keys kept: NFKC may expand a character (㍿ is 株式会社), so a name's key can
#: outgrow the 200 characters of a name.
NAME_KEY_LENGTH = 255
EMAIL_KEY_LENGTH = 254


def name_key(name: str) -> str:
    """The name as duplicates are matched: NFKC (full-width ＡＢＣ is ABC), case-folded, with
    runs of white space as one space and none at the ends: 'Acme  Ltd' is 'acme ltd'."""
    folded = unicodedata.normalize("NFKC", name or "").casefold()
    return " ".join(folded.split())[:NAME_KEY_LENGTH]


def email_key(email: str) -> str:
    """The e-mail as duplicates are matched: without surrounding spaces, lower case."""
    return (email or "").strip().lower()[:EMAIL_KEY_LENGTH]


#: The keys in PostgreSQL's SQL, to fill and check the columns in bulk. PostgreSQL has
#: ``lower`` where Python has ``casefold`` (they differ on a few letters, e.g. ß), so values
#: with a character beyond printable ASCII are to be checked with the functions above.
KEYS_SQL = {
    "name_key": (
        "left(btrim(regexp_replace(lower(normalize(name, NFKC)), '\\s+', ' ', 'g')), "
        f"{NAME_KEY_LENGTH})"
    ),
    "email_key": f"left(lower(btrim(email)), {EMAIL_KEY_LENGTH})",
}


class CustomerQuerySet(VisibleQuerySet):
    owner_path = "owner"

    def bulk_create(self, objs, *args, **kwargs):
        # bulk_create does not call save(), which keeps the matching keys.
        objs = list(objs)
        for customer in objs:
            customer.set_keys()
        return super().bulk_create(objs, *args, **kwargs)

    def active(self):
        return self.filter(archived_at__isnull=True)


class ContactQuerySet(VisibleQuerySet):
    owner_path = "customer__owner"
