"""/api/v1/customers: customers and their contacts, through customers.services."""

from collections import defaultdict
from datetime import datetime
from typing import ClassVar

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from api.v1 import examples as ex
from api.v1.common import (
    DEFAULT_LIMIT,
    MAX_ID,
    RECORD_PROBLEMS,
    InputSchema,
    Limit,
    RecordId,
    list_docs,
    post_docs,
    visible,
)
from api.v1.idempotency import idempotent
from api.v1.lists import Page, cursor_page
from api.v1.plain import attach, attach_related, is_set, list_columns, page_response
from crm.lookups import AnyOf
from customers import services
from customers.filters import CustomerFilter
from customers.models import Contact, Customer

router = Router(tags=["customers"])


class ContactOut(Schema):
    model_config = ex.examples(ex.CONTACT)

    id: int
    name: str
    title: str
    email: str
    phone: str
    is_primary: bool


class CustomerOut(Schema):
    model_config = ex.examples(ex.CUSTOMER)

    id: int
    name: str
    kind: str
    industry: str
    source: str
    status: str
    rating: str
    owner_id: int
    owner: str = Field(..., description="The owner's username.")
    phone: str
    email: str
    website: str
    address: str
    needs: str
    notes: str
    external_id: str
    tags: list[str]
    archived: bool
    merged_into_id: int | None = Field(
        None, description="The customer this one was merged into (it is then archived)."
    )
    contacts: list[ContactOut]
    created_at: datetime
    updated_at: datetime

    #: The resolved fields as a list reads them, from values (api.v1.plain); the list
    #: attaches tags and contacts.
    list_values: ClassVar = {
        "owner": "owner__username",
        "archived": ("archived_at", is_set),
    }

    @staticmethod
    def resolve_owner(customer):
        return customer.owner.get_username()

    @staticmethod
    def resolve_tags(customer):
        return [tag.name for tag in customer.tags.all()]

    @staticmethod
    def resolve_archived(customer):
        return is_set(customer.archived_at)


class CustomerPage(Page):
    model_config = ex.page_of(ex.CUSTOMER)

    items: list[CustomerOut]


class CustomerChange(InputSchema):
    """Every field of the customer form; each optional when changing."""

    kind: str | None = None
    industry: str | None = None
    source: str | None = None
    status: str | None = None
    rating: str | None = None
    phone: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=254)
    website: str | None = Field(None, max_length=200)
    address: str | None = Field(None, max_length=500)
    needs: str | None = Field(None, max_length=5000)
    notes: str | None = Field(None, max_length=10000)
    external_id: str | None = Field(None, max_length=100)
    tags: list[str] | None = Field(
        None,
        max_length=50,
        description="Tag names, the whole set (case does not matter). A name no tag has yet "
        "becomes a new tag for sales managers; for anyone else it is refused.",
    )


class CustomerUpdate(CustomerChange):
    model_config = ex.examples(ex.CUSTOMER_UPDATE, {"owner_id": 4})

    name: str | None = Field(None, min_length=1, max_length=200)
    owner_id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="Managers only: hand the customer, with its deals, communications, quotes "
        "and orders, to this salesperson.",
    )


class CustomerCreate(CustomerChange):
    model_config = ex.examples(ex.CUSTOMER_CREATE)

    name: str = Field(..., min_length=1, max_length=200)
    owner_id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="Managers only: the salesperson who owns it (default: you).",
    )


class ContactIn(InputSchema):
    model_config = ex.examples(ex.CONTACT_IN)

    name: str = Field(..., min_length=1, max_length=200)
    title: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    is_primary: bool = False


class ContactUpdate(InputSchema):
    model_config = ex.examples(ex.CONTACT_UPDATE)

    name: str | None = Field(None, min_length=1, max_length=200)
    title: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    is_primary: bool | None = None


def customers():
    return Customer.objects.select_related("owner").prefetch_related("contacts", "tags")


def read(user, pk: int) -> Customer:
    return visible(customers(), user, pk)


def _values(payload) -> dict:
    # None means "not given": a text field is emptied with "".
    return {
        name: value for name, value in payload.dict(exclude_unset=True).items() if value is not None
    }


def _tags(user, names):
    """Tags by name through the same rule as everywhere (customers.services.tags_named)."""
    if names is None:
        return None
    try:
        return services.tags_named(names, by=user)
    except ValidationError as error:
        raise ValidationError({"tags": error.messages}) from None


def _owner(owner_id):
    if owner_id is None:
        return None
    owner = get_user_model().objects.filter(pk=owner_id, is_active=True).first()
    if owner is None:
        raise ValidationError({"owner_id": _("The owner must be an active user.")})
    return owner


@router.get(
    "/", response={200: CustomerPage, **RECORD_PROBLEMS}, openapi_extra=list_docs(CustomerFilter)
)
def list_customers(request, limit: Limit = DEFAULT_LIMIT, cursor: str | None = None):
    """The customers you may see, filtered and sorted as on the Customers page (current
    customers only unless `archived` says otherwise)."""
    page = cursor_page(
        request,
        Customer.objects.all(),
        CustomerFilter,
        limit=limit,
        cursor=cursor,
        fields=list_columns(CustomerOut),
    )
    with_contacts_and_tags(page["items"])
    return page_response(request, page, CustomerOut)


def with_contacts_and_tags(page: list[dict]) -> None:
    """Each customer of a list page with its contacts and tag names, a query each."""
    attach_related(page, Customer, "contacts", ContactOut)
    tags = defaultdict(list)
    through = Customer.tags.through.objects.filter(AnyOf(F("customer_id"), [c["id"] for c in page]))
    for customer_id, name in through.order_by("tag__name").values_list("customer_id", "tag__name"):
        tags[customer_id].append(name)
    attach(page, "tags", tags)


@router.post("/", response={201: CustomerOut, **RECORD_PROBLEMS}, openapi_extra=post_docs())
@idempotent
def create_customer(request, payload: CustomerCreate):
    """A new customer, owned by you (a manager may name another `owner_id`), with its
    `tags` by name."""
    values = _values(payload)
    owner = _owner(values.pop("owner_id", None))
    values["tags"] = _tags(request.user, values.pop("tags", None)) or []
    customer = services.create_customer(by=request.user, owner=owner, **values)
    return 201, CustomerOut.from_orm(read(request.user, customer.pk))


@router.get("/{id}", response={200: CustomerOut, **RECORD_PROBLEMS})
def get_customer(request, id: RecordId):
    return read(request.user, id)


@router.patch("/{id}", response={200: CustomerOut, **RECORD_PROBLEMS})
def update_customer(request, id: RecordId, payload: CustomerUpdate):
    """Change the given fields (`tags`: the whole set, by name). A manager may hand the
    customer to another salesperson with `owner_id`; the archive state changes through
    `archive` and `restore`."""
    values = _values(payload)
    owner_id = values.pop("owner_id", None)
    with transaction.atomic():
        customer = read(request.user, id)
        values["tags"] = _tags(request.user, values.pop("tags", None))
        services.update_customer(customer_id=customer.pk, by=request.user, **values)
        if owner_id is not None and owner_id != customer.owner_id:
            services.reassign_customers(
                customer_ids=[customer.pk], new_owner=_owner(owner_id), by=request.user
            )
    return read(request.user, id)


@router.post(
    "/{id}/archive", response={200: CustomerOut, **RECORD_PROBLEMS}, openapi_extra=post_docs()
)
@idempotent
def archive_customer(request, id: RecordId):
    """Hide the customer from the working lists (salespeople archive rather than delete)."""
    services.archive_customer(customer_id=id, by=request.user)
    return 200, CustomerOut.from_orm(read(request.user, id))


@router.post(
    "/{id}/restore", response={200: CustomerOut, **RECORD_PROBLEMS}, openapi_extra=post_docs()
)
@idempotent
def restore_customer(request, id: RecordId):
    """Bring an archived customer back to the working lists."""
    services.restore_customer(customer_id=id, by=request.user)
    return 200, CustomerOut.from_orm(read(request.user, id))


def _contact(user, customer_id: int, contact_id: int) -> Contact:
    return visible(Contact.objects.filter(customer_id=customer_id), user, contact_id)


@router.post(
    "/{id}/contacts", response={201: ContactOut, **RECORD_PROBLEMS}, openapi_extra=post_docs()
)
@idempotent
def add_contact(request, id: RecordId, payload: ContactIn):
    """A person at the customer; a new primary contact replaces the old one."""
    contact = services.add_contact(customer_id=id, by=request.user, **payload.dict())
    return 201, ContactOut.from_orm(contact)


@router.patch("/{id}/contacts/{contact_id}", response={200: ContactOut, **RECORD_PROBLEMS})
def update_contact(request, id: RecordId, contact_id: RecordId, payload: ContactUpdate):
    _contact(request.user, id, contact_id)
    return services.update_contact(contact_id=contact_id, by=request.user, **_values(payload))


@router.delete("/{id}/contacts/{contact_id}", response={204: None, **RECORD_PROBLEMS})
def remove_contact(request, id: RecordId, contact_id: RecordId):
    _contact(request.user, id, contact_id)
    services.remove_contact(contact_id=contact_id, by=request.user)
    return HttpResponse(status=204)
