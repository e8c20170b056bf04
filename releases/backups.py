"""Where manage.py backup writes, and restore reads: one folder a backup, holding
the database dump and an archive of the uploaded files."""

from pathlib import Path

from django.conf import settings

DATABASE = "database.dump.gz"
MEDIA = "media.tar.gz"


def tables_left_out():
    """The tables whose rows a backup leaves out: the database caches, and the
    hits counter's visitor hashes and salts, which must not outlive their day."""
    from releases.models import CountedVisit, HitSalt

    caches = [
        cache["LOCATION"]
        for cache in settings.CACHES.values()
        if cache["BACKEND"].endswith("DatabaseCache")
    ]
    return [*caches, CountedVisit._meta.db_table, HitSalt._meta.db_table]


def folder_for(name, made_at=None):
    """The backup folder: name as given, or a new one under DJANGO_BACKUP_ROOT
    named for made_at."""
    if name:
        return Path(name).resolve()
    root = Path(settings.STORAGES["dbbackup"]["OPTIONS"]["location"])
    return root / made_at.strftime("%Y-%m-%d-%H%M%S")
