"""Editors and analysts see subscriber counts (releases/roles.py): the roles
are set again now that the alerts' permissions exist."""

from importlib import import_module

from django.db import migrations

add_roles = import_module("releases.migrations.0003_roles").add_roles


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_initial"),
        ("releases", "0003_roles"),
    ]

    operations = [migrations.RunPython(add_roles, migrations.RunPython.noop)]
