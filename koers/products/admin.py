from django.contrib import admin

from .models import Contract, Outcome, Product, TeamMember

admin.site.register(Product)
admin.site.register(TeamMember)
admin.site.register(Outcome)


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["party", "product", "starts_on", "ends_on"]
    raw_id_fields = ["phases"]
