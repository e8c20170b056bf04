"""What alerts do when the newsroom publishes or corrects (releases.signals).
Both run inside the workflow's transaction, so the announcement is kept with
the publish or not at all."""

from alerts import sending


def release_published(sender, release, **kwargs):
    sending.announce_publication(release)


def major_change_recorded(sender, change_note, **kwargs):
    sending.announce_change(change_note)
