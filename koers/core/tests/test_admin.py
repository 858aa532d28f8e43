import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import UserFactory


@pytest.mark.django_db
def test_staff_can_open_every_admin_list_and_change_page(cast, client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    for model in admin.site._registry:
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        first = model._base_manager.first()
        if first is not None:
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            assert client.get(change).status_code == 200, change


@pytest.mark.django_db
def test_workspace_members_who_are_not_staff_cannot_open_the_admin(cast, client):
    client.force_login(cast.owner)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
