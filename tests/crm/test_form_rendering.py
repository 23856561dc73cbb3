"""The filter panels and the dashboard's period form, rendered in Python (``crm_forms``).

``bootstrap_field`` must give what crispy-forms gave (``as_crispy_field``) and ``field_widget``
what Django's widget templates give, for every field of every filter panel, with and without
values and errors, in both languages; then the pages themselves show the user's choices, the
errors and translated labels.
"""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.test import RequestFactory
from django.utils import translation

from communications.filters import CommunicationFilter
from crm.templatetags.crm_forms import bootstrap_field, field_widget
from customers.filters import CustomerFilter
from dashboard.periods import PeriodForm
from opportunities.filters import OpportunityFilter, PipelineFilter
from orders.filters import OrderFilter
from quotes.filters import QuoteFilter
from tests.factories import CustomerFactory, SalespersonFactory, TagFactory

HOSTILE = "<b>\"Tom\" & 'Jerry'</b>"

FILTER_DATA = [
    (CustomerFilter, {}),
    (
        CustomerFilter,
        {"q": HOSTILE, "status": "active", "owner": "{owner}", "tag": "{tag}", "archived": "all"},
    ),
    (CustomerFilter, {"status": "bogus", "owner": "999999", "rating": "Z", "archived": "x"}),
    (OpportunityFilter, {}),
    (OpportunityFilter, {"stage": "won"}),
    (
        OpportunityFilter,
        {
            "stage": "negotiation,won",
            "open": "true",
            "amount_min": "10.5",
            "close_after": "2025-01-31",
        },
    ),
    (
        OpportunityFilter,
        {"stage": "x", "open": "maybe", "amount_min": "abc", "close_before": "2025-02-30"},
    ),
    (PipelineFilter, {"period": "next_quarter", "owner": "{owner}"}),
    (PipelineFilter, {"period": "someday"}),
    (CommunicationFilter, {}),
    (
        CommunicationFilter,
        {"channel": "meeting", "customer": "5", "occurred_after": "2025-01-01", "follow_up": "due"},
    ),
    (CommunicationFilter, {"customer": "abc", "occurred_before": "bad", "author": "x"}),
    (QuoteFilter, {}),
    (QuoteFilter, {"status": "draft,sent", "total_min": "1", "valid_from": "2025-01-01"}),
    (QuoteFilter, {"status": "nope", "total_max": "x", "opportunity": "0"}),
    (OrderFilter, {"status": "draft", "created_after": "2025-1-1", "owner": "{owner}"}),
    (OrderFilter, {"status": "a,b", "created_before": "31/12/2025", "customer": "-3"}),
]

PERIOD_DATA = [
    None,
    {"period": "quarter"},
    {"period": "custom", "start": "2026-13-01", "end": ""},
    {"start": "2025-03-01", "end": "2025-02-01"},
    {"period": "bogus"},
]


def collapsed(html) -> str:
    """The markup with each run of whitespace as one space: how a browser reads it."""
    return " ".join(str(html).split())


@pytest.fixture
def people(manager):
    owner = SalespersonFactory(username="o'brien&<co>", first_name=HOSTILE, last_name="王芳")
    SalespersonFactory(first_name="", last_name="")
    return {"owner": owner.pk, "tag": TagFactory(name=HOSTILE).pk}


def filter_forms(filterset_class, data, manager, people):
    """Two forms of the same filter request, one for each renderer (crispy changes widgets)."""
    request = RequestFactory().get("/")
    request.user = manager
    data = {key: value.format(**people) for key, value in data.items()}
    return [filterset_class(data or None, request=request).form for _ in range(2)]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(("filterset_class", "data"), FILTER_DATA)
def test_filter_fields_render_as_crispy_forms_did(filterset_class, data, language, manager, people):
    with translation.override(language):
        ours, crispys = filter_forms(filterset_class, data, manager, people)
        for name in ours.fields:
            assert collapsed(bootstrap_field(ours[name])) == collapsed(
                as_crispy_field(crispys[name])
            ), name


@pytest.mark.parametrize(("filterset_class", "data"), FILTER_DATA)
def test_filter_widgets_render_as_django_does(filterset_class, data, manager, people):
    ours, djangos = filter_forms(filterset_class, data, manager, people)
    for name in ours.fields:
        assert field_widget(ours[name]) == str(djangos[name]), name


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("data", PERIOD_DATA)
def test_period_fields_render_as_crispy_forms_did(data, language):
    with translation.override(language):
        ours, crispys = PeriodForm(data), PeriodForm(data)
        for name in ours.fields:
            assert collapsed(bootstrap_field(ours[name])) == collapsed(
                as_crispy_field(crispys[name])
            ), name


def test_filter_panel_shows_the_chosen_values(manager_client, people):
    response = manager_client.get(
        "/customers/", {"q": HOSTILE, "status": "active", "owner": people["owner"]}
    )

    html = response.content.decode()
    assert 'name="q" value="&lt;b&gt;&quot;Tom&quot; &amp; &#x27;Jerry&#x27;&lt;/b&gt;"' in html
    assert '<option value="active" selected>Active</option>' in html
    assert (
        f'<option value="{people["owner"]}" selected>o&#x27;brien&amp;&lt;co&gt;</option>'
    ) in html


def test_filter_panel_shows_a_field_error_next_to_the_field(manager_client):
    response = manager_client.get("/customers/", {"status": "bogus"})

    html = collapsed(response.content.decode())
    assert (
        '<select name="status" class="select form-select is-invalid" aria-invalid="true" '
        'aria-describedby="id_status_error" id="id_status">'
    ) in html
    assert (
        '<div id="id_status_error" class="invalid-feedback"> <p id="error_1_id_status"><strong>'
        "Select a valid choice. bogus is not one of the available choices.</strong></p> </div>"
    ) in html


def test_filter_panel_labels_are_translated(sales_client, salesperson):
    CustomerFactory(owner=salesperson)

    response = sales_client.get("/customers/", headers={"accept-language": "zh-hans"})

    html = collapsed(response.content.decode())
    assert '<label for="id_q" class="form-label"> 搜索 </label>' in html
    assert '<label for="id_status" class="form-label"> 状态 </label>' in html
    assert '<option value="" selected>不限</option>' in html


def test_salesperson_filter_panel_has_no_owner_menu(sales_client):
    html = sales_client.get("/customers/").content.decode()

    assert 'id="id_status"' in html
    assert 'id="id_owner"' not in html
