"""Reading the old board straight from its PostgreSQL database (--database-url)."""

import io
import os
import uuid

import psycopg
import pytest
from django.core.management import CommandError, call_command

from legacy.models import ImportedArticle
from tests.legacy.boards import BOARD, article

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
ARTICLES = """CREATE TABLE COMTNBBS (
    NTT_ID numeric(20) NOT NULL, BBS_ID char(20) NOT NULL, NTT_NO numeric(20),
    NTT_SJ varchar(2000), NTT_CN text, ANSWER_AT char(1), PARNTSCTT_NO numeric(10),
    ANSWER_LC integer, SORT_ORDR numeric(8), RDCNT numeric(10), USE_AT char(1),
    NTCE_BGNDE char(20), NTCE_ENDDE char(20), NTCR_ID varchar(20),
    NTCR_NM varchar(20), PASSWORD varchar(200), ATCH_FILE_ID char(20),
    FRST_REGIST_PNTTM timestamp, FRST_REGISTER_ID varchar(20),
    LAST_UPDT_PNTTM timestamp, LAST_UPDUSR_ID varchar(20),
    PRIMARY KEY (NTT_ID, BBS_ID))"""
FILES = """CREATE TABLE COMTNFILEDETAIL (
    ATCH_FILE_ID char(20) NOT NULL, FILE_SN numeric(10) NOT NULL,
    FILE_STRE_COURS varchar(2000), STRE_FILE_NM varchar(255),
    ORIGNL_FILE_NM varchar(255), FILE_EXTSN varchar(20), FILE_CN text,
    FILE_SIZE numeric(8))"""


@pytest.fixture
def old_database():
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    name = f"egov_board_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def fill(url, rows):
    with psycopg.connect(url) as connection:
        connection.execute(ARTICLES)
        connection.execute(FILES)
        for row in rows:
            connection.execute(
                "INSERT INTO COMTNBBS (NTT_ID, BBS_ID, NTT_NO, NTT_SJ, NTT_CN, "
                "ANSWER_AT, RDCNT, USE_AT, NTCR_NM, FRST_REGIST_PNTTM) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    row["NTT_ID"], row["BBS_ID"], row["NTT_NO"], row["NTT_SJ"],
                    row["NTT_CN"], row["ANSWER_AT"], row["RDCNT"], row["USE_AT"],
                    row["NTCR_NM"], row["FRST_REGIST_PNTTM"],
                ],
            )  # fmt: skip


def test_articles_are_read_from_the_old_database(old_database):
    fill(old_database, [article(1, RDCNT="201"), article(2, ANSWER_AT="Y")])
    out = io.StringIO()

    call_command(
        "import_legacy_board", board=BOARD, database_url=old_database, stdout=out
    )

    release = ImportedArticle.objects.get(article_id=1001).release
    assert (release.title, release.legacy_hits) == ("보도자료 1", 201)
    assert "NTT_ID 1002: a reply to another article" in out.getvalue()


def test_old_database_without_a_column_stops_the_command_naming_it(old_database):
    fill(old_database, [])
    with psycopg.connect(old_database) as connection:
        connection.execute("ALTER TABLE COMTNBBS DROP COLUMN RDCNT")

    with pytest.raises(CommandError, match="COMTNBBS has no column RDCNT"):
        call_command("import_legacy_board", board=BOARD, database_url=old_database)
