"""The upload form and the mapping form of an import."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from crm.roles import is_manager
from imports.fields import KIND_PERMISSIONS, KINDS, field_choices
from imports.models import OnDuplicate
from imports.tables import MAX_FILE_BYTES


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=list(KINDS.items()))
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (UTF-8, GB18030/GBK; comma, semicolon or tab) or Excel .xlsx; the first row "
            "names the columns. Up to 50 MB and 200,000 rows."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A kind that takes a permission (the catalogue) is offered only to its holders.
        self.fields["kind"].choices = [
            (kind, label)
            for kind, label in KINDS.items()
            if user is None or kind not in KIND_PERMISSIONS or user.has_perm(KIND_PERMISSIONS[kind])
        ]

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return file


DAY_FIRST = [("", _("Only when it cannot be mistaken")), ("1", _("Day first (31/12/2026)"))]
DAY_FIRST += [("0", _("Month first (12/31/2026)"))]


PRODUCT_ON_DUPLICATE = [
    (OnDuplicate.SKIP, _("Skip the row")),
    (OnDuplicate.UPDATE, _("Update the product (only the mapped, non-empty columns)")),
    (OnDuplicate.CREATE, _("Fail the row (a SKU is unique)")),
]


class MappingForm(forms.Form):
    """A select per column of the file (its field, or ignored), and how to run."""

    on_duplicate = forms.ChoiceField(
        label=_("When a row matches one of your customers"),
        choices=OnDuplicate.choices,
        widget=forms.RadioSelect,
    )
    day_first = forms.ChoiceField(
        label=_("Dates like 01/03/2026"), choices=DAY_FIRST, required=False
    )

    def __init__(self, *args, run, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.run = run
        choices = [("", _("— ignore this column —"))]
        choices += [
            (name, label)
            for name, label in field_choices(run.kind)
            if name != "owner" or is_manager(user)
        ]
        self.columns = []
        for position, header in enumerate(run.headers):
            name = f"column_{position}"
            self.fields[name] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=run.mapping.get(header),
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.columns.append((header, name))
        self.fields["on_duplicate"].initial = run.on_duplicate
        self.fields["day_first"].initial = {None: "", True: "1", False: "0"}[run.day_first]
        if is_manager(user) and run.kind != "products":
            self.fields["owner"] = forms.ModelChoiceField(
                label=_("Owner of every imported record"),
                queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
                required=False,
                initial=run.owner_id,
                empty_label=_("From the owner column, else me"),
            )
        if run.kind == "products":
            on_duplicate = self.fields["on_duplicate"]
            on_duplicate.label = _("When a row's SKU is already in the catalogue")
            on_duplicate.choices = PRODUCT_ON_DUPLICATE
        elif run.kind != "customers":
            del self.fields["on_duplicate"]

    def column_fields(self):
        return [(header, self[name]) for header, name in self.columns]

    def mapping(self) -> dict:
        return {header: self.cleaned_data.get(name) or None for header, name in self.columns}

    def day_first_value(self):
        return {"": None, "1": True, "0": False}[self.cleaned_data.get("day_first") or ""]
