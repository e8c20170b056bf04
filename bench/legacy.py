"""`make bench-legacy`: importing an old eGovFrame board of 100,000 articles
with 50,000 attached files (issue 14's target: 10 minutes on this machine).

Writes the export (CP949 CSV, a stored PDF for every second article) to a
temporary folder, imports it into a fresh PostgreSQL database
(BENCH_LEGACY_DATABASE_URL) with `manage.py import_legacy_board`, and prints
the time, the rate and the command's peak memory. BENCH_LEGACY_ARTICLES sets
the size.
"""

import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import create_database, migrate, use_database

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_LEGACY_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/pressoffice_bench_legacy",
)
ARTICLES = int(os.environ.get("BENCH_LEGACY_ARTICLES", "100000"))
TARGET_SECONDS = 600 * ARTICLES / 100_000
BOARD = "BBSMSTR_000000000011"
sys.path.insert(0, str(BASE_DIR))
from tests.legacy.boards import ARTICLE_HEADER, FILE_HEADER, PDF, article  # noqa: E402


def main():
    use_database(DATABASE_URL)
    create_database(DATABASE_URL, drop_first=True)
    migrate(BASE_DIR)
    folder = Path(tempfile.mkdtemp(prefix="pressoffice-legacy-"))
    started = time.monotonic()
    write_export(folder)
    print(
        f"export of {ARTICLES:,} articles written in {time.monotonic() - started:.0f} s"
    )
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "import_legacy_board",
            str(folder),
            "--board",
            BOARD,
        ],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.monotonic() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print("\n".join(line for line in result.stdout.splitlines()[:12]))
    print(
        f"\nimported in {seconds:.0f} s ({ARTICLES / seconds:.0f} articles/s), "
        f"peak memory {peak_mb:.0f} MB; target {TARGET_SECONDS:.0f} s: "
        f"{'met' if seconds <= TARGET_SECONDS else 'MISSED'}"
    )
    sys.exit(0 if seconds <= TARGET_SECONDS else 1)


def write_export(folder):
    (folder / "bbs").mkdir()
    with (
        (folder / "COMTNBBS.csv").open("w", encoding="cp949", newline="") as articles,
        (folder / "COMTNFILEDETAIL.csv").open(
            "w", encoding="cp949", newline=""
        ) as files,
    ):
        article_rows = csv.DictWriter(articles, fieldnames=ARTICLE_HEADER)
        file_rows = csv.writer(files)
        article_rows.writeheader()
        file_rows.writerow(FILE_HEADER)
        for number in range(1, ARTICLES + 1):
            attached = number % 2 == 0
            file_id = f"FILE_{number:015d}" if attached else ""
            row = article(number, ATCH_FILE_ID=file_id)
            row["NTT_CN"] = (
                "경기도는 반도체 산업 지원을 확대한다고 밝혔다.<br>" * 20
            ) + "<br><br>끝"
            article_rows.writerow(row)
            if attached:
                stored = f"BBS_{number:015d}"
                (folder / "bbs" / stored).write_bytes(PDF)
                file_rows.writerow(
                    [file_id, 0, "/home/egov/upload/bbs/", stored, f"붙임 {number}.pdf",
                     "pdf", "", len(PDF)]
                )  # fmt: skip


if __name__ == "__main__":
    main()
