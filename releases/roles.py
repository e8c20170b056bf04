"""The newsroom's groups and their permissions (see releases/workflow.py).

Created by a data migration; create_roles() may run again at any time.
"""

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
    "Editor": [
        *CONTENT,
        "releases.publish_release",
        "releases.view_hit_reports",
        "releases.view_dailyhits",
    ],
    "Analyst": [
        "releases.view_hit_reports",
        "releases.view_dailyhits",
        "releases.view_release",
    ],
}
# Subscriber counts per list (never the addresses: only superusers see those).
ROLES["Editor"].append("alerts.view_subscription")
ROLES["Analyst"].append("alerts.view_subscription")


def create_roles(group_model, permission_model):
    """Create or update each group with exactly its role's permissions.

    A permission of an app not migrated yet is left out: that app's migrations
    run this again (alerts/migrations/0002_roles.py).
    """
    for name, codes in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permissions += permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            )
        group.permissions.set(permissions)
