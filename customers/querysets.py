import re

from django.db.models import Q

from crm.access import VisibleQuerySet


def normalize_phone(phone: str) -> str:
    """Digits only, so "+86 138-0013-8000" and "8613800138000" compare equal.

    A leading "00" international prefix is the same as "+"; both are dropped.
    """
    digits = re.sub(r"\D", "", phone or "")
    return digits[2:] if digits.startswith("00") else digits


class CustomerQuerySet(VisibleQuerySet):
    owner_path = "owner"

    def active(self):
        return self.filter(archived_at__isnull=True)

    def matching_contact_details(self, *, email: str = "", phone: str = ""):
        """Customers with the same e-mail (any case) or the same phone number once normalised."""
        condition = Q(pk__in=[])
        if email:
            condition |= Q(email__iexact=email.strip())
        if normalized := normalize_phone(phone):
            condition |= Q(phone_normalized=normalized)
        return self.filter(condition)


class ContactQuerySet(VisibleQuerySet):
    owner_path = "customer__owner"
