import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# PostgreSQL only: the vector's GIN index, trigram indexes for Korean substring
# search, and vectors for the releases that exist already.
POSTGRESQL_FORWARD = [
    "CREATE INDEX release_search_vector ON releases_release USING gin (search_vector)",
    *[
        f"CREATE INDEX release_{column}_trigram ON releases_release "
        f"USING gin ({column} gin_trgm_ops)"
        for column in ("title", "summary", "body")
    ],
    """
    UPDATE releases_release SET search_vector =
        setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', coalesce(summary, '')), 'B')
        || setweight(to_tsvector('english', coalesce(body, '')), 'C')
    """,
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS release_search_vector",
    *[
        f"DROP INDEX IF EXISTS release_{column}_trigram"
        for column in ("title", "summary", "body")
    ],
]


def run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0005_history_of_tags"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="release",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True
            ),
        ),
        migrations.RunPython(
            run_on_postgresql(POSTGRESQL_FORWARD),
            run_on_postgresql(POSTGRESQL_BACKWARD),
        ),
    ]
