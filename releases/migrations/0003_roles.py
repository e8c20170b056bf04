"""The newsroom's groups and what each may do; see releases/workflow.py."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT = [
    "releases.add_release", "releases.change_release", "releases.view_release",
    "releases.add_releaseimage", "releases.change_releaseimage",
    "releases.delete_releaseimage", "releases.view_releaseimage",
    "releases.add_attachment", "releases.change_attachment",
    "releases.delete_attachment", "releases.view_attachment",
    "releases.view_topic", "people.view_official", "people.view_municipality",
    "people.view_organization", "people.view_position",
]  # fmt: skip
ROLES = {
    "Writer": CONTENT,
    "Editor": [*CONTENT, "releases.publish_release", "releases.view_hit_reports",
               "releases.view_dailyhits"],  # fmt: skip
    "Analyst": ["releases.view_hit_reports", "releases.view_dailyhits",
                "releases.view_release"],  # fmt: skip
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = [
            Permission.objects.get(
                content_type__app_label=code.split(".")[0],
                codename=code.split(".")[1],
            )
            for code in codes
        ]
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0002_workflow_history"),
        ("people", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
