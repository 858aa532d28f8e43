from django.urls import path

from . import views

app_name = "products"
urlpatterns = [
    path("", views.product, name="product"),
    path("edit/", views.product_edit, name="product_edit"),
    path("team/", views.member_add, name="member_add"),
    path("team/<int:team_member>/remove/", views.member_remove, name="member_remove"),
    path("outcomes/", views.outcome_add, name="outcome_add"),
    path("outcomes/<int:outcome>/remove/", views.outcome_remove, name="outcome_remove"),
    path("contracts/", views.contract_add, name="contract_add"),
    path("contracts/<int:contract>/remove/", views.contract_remove, name="contract_remove"),
]
