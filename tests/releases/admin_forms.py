"""POST data for the release admin form, as a browser would send it."""


def release_form(release, **changes):
    """The admin change form's POST data for release, with changes."""
    data = {
        "title": release.title,
        "slug": release.slug,
        "language": release.language,
        "summary": release.summary,
        "body": release.body,
        "contact_name": release.contact_name,
        "seen_revision": release.revision,
        "images-TOTAL_FORMS": 0,
        "images-INITIAL_FORMS": 0,
        "attachments-TOTAL_FORMS": 0,
        "attachments-INITIAL_FORMS": 0,
    }
    if release.department_id:
        data["department"] = release.department_id
    data.update(changes)
    return data
