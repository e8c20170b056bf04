"""The Korean interface: every string of ours translated, and no two labels of
one list reading the same."""

import ast
import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

PROJECT = Path(__file__).resolve().parents[1]
CATALOGUE = PROJECT / "locale" / "ko" / "LC_MESSAGES" / "django.po"
SOURCES = [
    "manage.py",
    "pressoffice",
    "people",
    "releases",
    "alerts",
    "legacy",
    "templates",
    "locale",
]


def read_catalogue(path):
    """{(context, msgid): (translations, is_fuzzy)} of a .po file, without its
    header and obsolete entries; translations holds each plural form."""
    entries = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields, field, fuzzy = {}, None, False
        for line in block.splitlines():
            if line.startswith("#,"):
                fuzzy = "fuzzy" in line
            elif line.startswith(("msgctxt", "msgid", "msgstr")):
                field, _space, value = line.partition(" ")
                fields[field] = ast.literal_eval(value)
            elif line.startswith('"') and field:
                fields[field] += ast.literal_eval(line)
        if fields.get("msgid"):
            forms = [
                value for name, value in fields.items() if name.startswith("msgstr")
            ]
            entries[(fields.get("msgctxt"), fields["msgid"])] = (forms, fuzzy)
    return entries


def untranslated(entries):
    return sorted(
        msgid for (_context, msgid), (forms, fuzzy) in entries.items()
        if fuzzy or not all(forms)
    )  # fmt: skip


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The Korean catalogue as makemessages makes it from today's code, in a copy
    of the project (makemessages rewrites the catalogue it finds)."""
    if shutil.which("xgettext") is None:
        pytest.skip("makemessages needs GNU gettext: apt-get install gettext")
    copy = tmp_path_factory.mktemp("project")
    for name in SOURCES:
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("*.mo"))
        else:
            shutil.copy(source, copy / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "ko"],
        cwd=copy,
        env={"DJANGO_DEBUG": "1", "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
    )
    return read_catalogue(copy / "locale" / "ko" / "LC_MESSAGES" / "django.po")


def test_every_string_of_ours_has_a_korean_translation(extracted):
    assert untranslated(extracted) == []


def test_the_catalogue_holds_every_string_of_the_code(extracted):
    assert set(extracted) <= set(read_catalogue(CATALOGUE))


def test_compiled_catalogue_matches_the_catalogue():
    with (CATALOGUE.with_suffix(".mo")).open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    for (context, msgid), (forms, _fuzzy) in read_catalogue(CATALOGUE).items():
        if len(forms) > 1:
            continue  # a plural entry: its forms are looked up by count
        found = (
            catalogue.pgettext(context, msgid) if context else catalogue.gettext(msgid)
        )
        assert found == forms[0], msgid


def test_catalogue_reader_sees_an_empty_translation(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n\nmsgid "Hits"\nmsgstr "조회수"\n\n'
        'msgid "Releases read"\nmsgstr ""\n\n#, fuzzy\nmsgid "Day"\nmsgstr "날"\n',
        encoding="utf-8",
    )
    assert untranslated(read_catalogue(po)) == ["Day", "Releases read"]


def korean(labels):
    with translation.override("ko"):
        return [str(label) for label in labels]


def vocabularies():
    from alerts.models import Delivery, Subscription
    from releases import reports
    from releases.admin import StatusFilter
    from releases.filters import ReleaseFilter
    from releases.forms import ReportRangeForm

    filters = ReleaseFilter.base_filters
    return {
        "report periods": [
            label for _n, label in ReportRangeForm.base_fields["period"].choices
        ],
        "report summary": list(reports.SUMMARY.values()),
        "report tables": list(reports.TABLES.values()),
        "report columns": list(reports.COLUMNS.values()),
        "board periods": [label for _n, label in filters["period"].extra["choices"]],
        "board sorts": [label for _n, label in filters["sort"].extra["choices"]],
        "statuses": [label for _n, label in StatusFilter.CHOICES],
        "alert lists": [label for _n, label in Subscription.Scope.choices],
        "alert frequencies": [label for _n, label in Subscription.Frequency.choices],
        "delivery states": [label for _n, label in Delivery.State.choices],
    }


@pytest.mark.parametrize(
    "name",
    ["report periods", "report summary", "report tables", "report columns",
     "board periods", "board sorts", "statuses", "alert lists",
     "alert frequencies", "delivery states"],
)  # fmt: skip
def test_labels_of_one_list_read_differently_in_korean(name):
    labels = korean(vocabularies()[name])
    assert len(set(labels)) == len(labels), labels
