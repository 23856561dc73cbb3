"""Panels that later apps add to an earlier app's page.

Dependencies run one way (STYLE.md): the customers app must not import opportunities or
communications, yet the customer's page shows their timeline. So a later app registers a
panel for the "customer" page in its AppConfig.ready(), and the customer's page renders
whatever is registered. Each panel is a template and a function that builds its context.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable  # (request, obj) -> dict
    order: int = 100


_registry: dict[str, list[Panel]] = {}


def register_panel(page: str, *, template: str, context: Callable, order: int = 100) -> None:
    panels = _registry.setdefault(page, [])
    if any(p.template == template for p in panels):
        return  # ready() can run twice in tests; a panel is shown once
    panels.append(Panel(template=template, context=context, order=order))
    panels.sort(key=lambda p: p.order)


def render_panels(page: str, request, obj) -> list[str]:
    """The HTML of every panel registered for ``page``, in order."""
    return [
        render_to_string(p.template, p.context(request, obj), request=request)
        for p in _registry.get(page, [])
    ]
