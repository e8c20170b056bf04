"""What the workflow tells the rest of the site, inside its transaction (a
receiver's writes commit or roll back with the step)."""

from django.dispatch import Signal

# A release was published or scheduled: release (published_at says when it is live).
release_published = Signal()
# A live release got a major change: change_note (its release is change_note.release).
major_change_recorded = Signal()
