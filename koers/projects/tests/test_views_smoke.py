from django.urls import reverse


def test_owner_sees_project_overview_with_goal_and_scope_item(cast):
    web = cast.login(cast.owner)
    response = web.get(reverse("projects:overview", args=["acme", "cloud"]))
    assert response.status_code == 200
    assert "Minder storingen" in response.content.decode()
    assert "E-mail naar Microsoft 365" in response.content.decode()
