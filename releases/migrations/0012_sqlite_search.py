from django.db import migrations

from releases import search


def create(apps, schema_editor):
    search.create_sqlite_index(schema_editor)


def drop(apps, schema_editor):
    search.drop_sqlite_index(schema_editor)


class Migration(migrations.Migration):
    """SQLite's full-text search tables (FTS5); nothing on PostgreSQL, whose
    search vector came with 0006."""

    dependencies = [("releases", "0011_front_log_counting")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
