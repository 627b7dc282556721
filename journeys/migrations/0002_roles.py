"""Create the DSV roles as groups. What each may do is enforced in selectors and services
(journeys/roles.py) and written in docs/permissions.md."""

from django.db import migrations

ROLES = ["relationship manager", "service desk agent", "integrator", "analyst", "administrator"]


def create_roles(apps, schema_editor):
    group = apps.get_model("auth", "Group")
    for name in ROLES:
        group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("journeys", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
