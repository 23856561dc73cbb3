"""Managers see every API token in admin and revoke them; nobody adds one there, and the
key's hash is never shown. Expired Idempotency-Keys are swept away by the worker."""

from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken, IdempotencyKey
from api.tokens import issue_token, revoke_tokens
from crm.sweeps import run_sweeps

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:api_apitoken_changelist")


def test_manager_lists_everyones_tokens_without_their_hash(manager_client, salesperson):
    token, key = issue_token(user=salesperson, name="ERP sync", read_only=True)

    response = manager_client.get(CHANGELIST)

    assert response.status_code == 200
    page = response.content.decode()
    assert "ERP sync" in page and token.prefix in page and salesperson.username in page
    assert token.key_hash not in page and key not in page


def test_the_token_page_in_admin_shows_no_hash(manager_client, salesperson):
    token, _key = issue_token(user=salesperson, name="ERP sync")

    response = manager_client.get(reverse("admin:api_apitoken_change", args=[token.pk]))

    assert response.status_code == 200
    assert token.key_hash not in response.content.decode()


def test_nobody_adds_a_token_in_admin(manager_client, admin_client):
    assert manager_client.get(reverse("admin:api_apitoken_add")).status_code == 403
    assert admin_client.get(reverse("admin:api_apitoken_add")).status_code == 403


def test_manager_revokes_selected_tokens(manager_client, salesperson, teammate):
    first, _ = issue_token(user=salesperson, name="one")
    second, _ = issue_token(user=teammate, name="two")
    kept, _ = issue_token(user=teammate, name="kept")

    response = manager_client.post(
        CHANGELIST, {"action": "revoke", ACTION_CHECKBOX_NAME: [first.pk, second.pk]}
    )

    assert response.status_code == 302
    revoked = set(ApiToken.objects.filter(revoked_at__isnull=False).values_list("pk", flat=True))
    assert revoked == {first.pk, second.pk}
    assert kept.pk not in revoked


def test_salesperson_stays_out_of_the_tokens_admin(sales_client):
    response = sales_client.get(CHANGELIST)
    assert response.status_code == 302  # to the admin's login


def test_only_a_manager_may_revoke_other_peoples_tokens(salesperson, teammate):
    token, _ = issue_token(user=teammate, name="theirs")
    with pytest.raises(PermissionDenied):
        revoke_tokens(token_ids=[token.pk], by=salesperson)
    token.refresh_from_db()
    assert token.revoked_at is None


def _key(user, key, hours_ago):
    row = IdempotencyKey.objects.create(user=user, key=key, fingerprint="x", status=201)
    created = timezone.now() - timedelta(hours=hours_ago)
    IdempotencyKey.objects.filter(pk=row.pk).update(created_at=created)


def test_the_workers_sweep_deletes_only_expired_idempotency_keys(settings, salesperson):
    settings.CRM_API_IDEMPOTENCY_HOURS = 24
    _key(salesperson, "old", hours_ago=25)
    _key(salesperson, "fresh", hours_ago=23)

    done = run_sweeps()

    assert done["api.idempotency_keys"] == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]


def test_purge_idempotency_keys_command(settings, salesperson, capsys):
    settings.CRM_API_IDEMPOTENCY_HOURS = 1
    _key(salesperson, "old", hours_ago=2)

    call_command("purge_idempotency_keys")

    assert "Deleted 1 expired" in capsys.readouterr().out
    assert not IdempotencyKey.objects.exists()
