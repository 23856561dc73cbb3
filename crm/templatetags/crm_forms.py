"""Form fields rendered in Python, with the markup crispy-forms and Django's widgets produce.

The list filter panels and the dashboard's period form show up to nine fields on every
request, one of them a menu of every salesperson. Rendered through crispy-forms, each field
is a template of nested includes, and Django renders each ``<option>`` of a menu through a
template include of its own: that was about 40% of a list page's CPU. ``bootstrap_field``
builds the same markup in plain Python; ``tests/crm/test_form_rendering.py`` holds it equal
to crispy-forms' and Django's own output, so a change in either shows up as a failing test.

Only the widgets a filter panel uses take the fast path (text-like inputs and single or
multiple selects from Django's default renderer); anything else goes through crispy-forms
and Django's templates exactly as before.
"""

import html

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.safestring import SafeData, mark_safe
from django.utils.timezone import template_localtime

register = template.Library()

# Django's widget templates that only include "django/forms/widgets/input.html".
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "color",
        "search",
        "tel",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
    )
)
_SELECT_TEMPLATE = "django/forms/widgets/select.html"
_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"

# Widgets whose crispy-forms markup differs from a plain labelled control.
_SPECIAL_WIDGETS = (
    forms.CheckboxInput,
    forms.RadioSelect,
    forms.CheckboxSelectMultiple,
    forms.FileInput,
    forms.MultiWidget,
)


def _text(value) -> str:
    """``{{ value }}`` in a template: local time, localized, escaped unless safe."""
    if not isinstance(value, str):
        if isinstance(value, Promise):  # a translated label: no time or number to format
            value = str(value)
        else:
            value = str(localize(template_localtime(value)))
    return value if isinstance(value, SafeData) else html.escape(value)


def _stringformat(value) -> str:
    """``{{ value|stringformat:'s' }}`` in a template."""
    text = str(value)
    return text if isinstance(value, SafeData) else html.escape(text)


def _attrs(attrs: dict) -> str:
    """Django's ``django/forms/widgets/attrs.html``."""
    if not attrs:
        return ""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_stringformat(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = widget["value"]
    value = "" if value is None else f' value="{_stringformat(value)}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION_TEMPLATE:
                return None
            parts.append(
                f'\n  <option value="{_stringformat(option["value"])}"'
                f"{_attrs(option['attrs'])}>{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class _PythonWidgetRenderer:
    """Renders Django's input and select widget templates in Python, others as ``fallback``
    does (a widget's template renders through its form's renderer)."""

    def __init__(self, fallback):
        self.fallback = fallback

    def render(self, template_name, context, request=None):
        widget = context["widget"]
        if template_name in _INPUT_TEMPLATES and "type" in widget:
            return _input(widget)
        if template_name == _SELECT_TEMPLATE and "optgroups" in widget:
            markup = _select(widget)
            if markup is not None:
                return markup
        return self.fallback.render(template_name, context, request=request)


def _renders_django_templates(bound_field) -> bool:
    """Whether the form uses Django's default form renderer, whose widget templates (those
    of django/forms; no installed app overrides them) the code above reproduces."""
    return type(bound_field.form.renderer) is DjangoTemplates


def _widget_html(bound_field, widget=None) -> str:
    """``BoundField.as_widget()``, with the widget's template rendered in Python."""
    widget = widget or bound_field.field.widget
    if bound_field.field.localize:
        widget.is_localized = True
    attrs = bound_field.build_widget_attrs({}, widget)
    if bound_field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound_field.auto_id)
    renderer = bound_field.form.renderer
    if _renders_django_templates(bound_field):
        renderer = _PythonWidgetRenderer(renderer)
    return widget.render(
        name=bound_field.html_name, value=bound_field.value(), attrs=attrs, renderer=renderer
    )


def _add_css_classes(widget, classes: str) -> None:
    """What crispy-forms' ``{% crispy_field field 'class' classes %}`` does to the widget: its
    class name (``select``, ``textinput``, ...) then ``classes``, each once."""
    class_name = widget.__class__.__name__.lower()
    class_name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(class_name, class_name)
    css_class = widget.attrs.get("class", "")
    if css_class:
        if css_class.find(class_name) == -1:
            css_class += f" {class_name}"
    else:
        css_class = class_name
    widget.attrs["class"] = css_class
    present = css_class.split()
    for name in classes.split():
        if name not in present:
            widget.attrs["class"] += f" {name}"
            present.append(name)


@register.filter
def field_widget(bound_field):
    """``{{ field }}``: the field's widget alone (e.g. a hidden input)."""
    if bound_field.field.show_hidden_initial:
        return bound_field.as_widget() + bound_field.as_hidden(only_initial=True)
    return mark_safe(_widget_html(bound_field))


@register.filter
def bootstrap_field(bound_field):
    """``{{ field|as_crispy_field }}`` with the Bootstrap 5 template pack: the label, the
    control with Bootstrap's classes, its errors and help text.

    Whitespace is a single space wherever crispy-forms writes several (around the field too),
    so the page reads and lays out the same.
    """
    if bound_field.is_hidden:
        return field_widget(bound_field)
    field = bound_field.field
    widget = field.widget
    if (
        isinstance(widget, _SPECIAL_WIDGETS)
        or getattr(bound_field.form, "helper", None) is not None
        or bound_field.use_fieldset
        or hasattr(widget, "widget")
    ):
        return as_crispy_field(bound_field)

    errors = bound_field.errors
    control = "form-select" if isinstance(widget, forms.Select) else "form-control"
    _add_css_classes(widget, f"{control} is-invalid" if errors else control)

    auto_id = bound_field.auto_id
    css_classes = bound_field.css_classes()
    css_classes = f" {_text(css_classes)}" if css_classes else ""
    parts = [f' <div id="div_{_text(auto_id)}" class="mb-3{css_classes}">']
    if bound_field.label:
        label_for = bound_field.id_for_label
        label_for = f'for="{_text(label_for)}" ' if label_for else ""
        required = " requiredField" if field.required else ""
        asterisk = '<span class="asteriskField">*</span>' if field.required else ""
        parts.append(
            f' <label {label_for}class="form-label{required}"> '
            f"{_text(bound_field.label)}{asterisk} </label>"
        )
    parts.append(f" {_widget_html(bound_field)}")
    if errors:
        parts.append(
            f' <div id="{_text(getattr(errors, "field_id", ""))}_error" class="invalid-feedback">'
        )
        for number, error in enumerate(errors, start=1):
            parts.append(
                f' <p id="error_{number}_{_text(auto_id)}"><strong>{_text(error)}</strong></p>'
            )
        parts.append(" </div>")
    if bound_field.help_text:
        help_id = f'id="{_text(auto_id)}_helptext" ' if auto_id else ""
        parts.append(f' <div {help_id}class="form-text">{bound_field.help_text}</div>')
    parts.append(" </div> ")
    return mark_safe("".join(parts))
