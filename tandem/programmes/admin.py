from django.contrib import admin

from .models import Project


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "promoter", "province", "start_date", "end_date", "budget")
    list_filter = ("province",)
    search_fields = ("name", "code")
    filter_horizontal = ("partners",)
