"""The old board's tables, read as rows of {COLUMN: text}: from the CSV files
the old system exported (UTF-8 or CP949, header row), or straight from its
PostgreSQL database. Anything that would stop the import is found here,
before anything is written (SourceError)."""

import codecs
import csv
import io
from pathlib import Path

ARTICLES = "COMTNBBS"
FILES = "COMTNFILEDETAIL"
BOARDS = "COMTNBBSMASTER"
# The columns the import reads; the tables may hold more.
ARTICLE_COLUMNS = [
    "NTT_ID", "BBS_ID", "NTT_NO", "NTT_SJ", "NTT_CN", "ANSWER_AT", "RDCNT",
    "USE_AT", "NTCE_BGNDE", "NTCE_ENDDE", "NTCR_NM", "ATCH_FILE_ID",
    "FRST_REGIST_PNTTM", "LAST_UPDT_PNTTM",
]  # fmt: skip
FILE_COLUMNS = [
    "ATCH_FILE_ID", "FILE_SN", "FILE_STRE_COURS", "STRE_FILE_NM",
    "ORIGNL_FILE_NM", "FILE_EXTSN", "FILE_SIZE",
]  # fmt: skip
ENCODINGS = ("utf-8-sig", "cp949")
# A body may be megabytes of pasted markup; csv's own limit is 128 KB.
FIELD_LIMIT = 64 * 1024 * 1024


class SourceError(Exception):
    """The tables cannot be read as they are: nothing was imported."""


class CsvSource:
    """The tables as PATH/COMTNBBS.csv, PATH/COMTNFILEDETAIL.csv and (if there)
    PATH/COMTNBBSMASTER.csv."""

    def __init__(self, folder, encoding=None):
        self.folder = Path(folder)
        self.encoding = encoding
        self.articles_path = self._table(ARTICLES, required=True)
        self.files_path = self._table(FILES, required=False)
        self.article_encoding = self._check(self.articles_path, ARTICLE_COLUMNS)
        if self.files_path:
            self.files_encoding = self._check(self.files_path, FILE_COLUMNS)

    def articles(self, board):
        """Each row of the board's articles, in the file's order."""
        for row in self._rows(self.articles_path, self.article_encoding):
            if row["BBS_ID"] == board:
                yield row

    def files(self):
        if not self.files_path:
            return
        yield from self._rows(self.files_path, self.files_encoding)

    def _table(self, name, required):
        for candidate in (f"{name}.csv", f"{name.lower()}.csv"):
            if (self.folder / candidate).is_file():
                return self.folder / candidate
        if required:
            raise SourceError(f"No {name}.csv in {self.folder}.")
        return None

    def _check(self, path, columns):
        """The file's encoding, having checked it decodes whole and has columns."""
        encoding = self.encoding or _encoding_of(path)
        with _opened(path, encoding) as text:
            header = next(csv.reader(text), [])
        missing = [column for column in columns if column not in header]
        if missing:
            raise SourceError(
                f"{path.name} has no column {', '.join(missing)} "
                f"(its header: {', '.join(header) or 'empty'})."
            )
        return encoding

    def _rows(self, path, encoding):
        csv.field_size_limit(FIELD_LIMIT)
        with _opened(path, encoding) as text:
            yield from csv.DictReader(text)


def _opened(path, encoding):
    return io.open(path, encoding=encoding, newline="")  # noqa: UP020 (explicit)


def _encoding_of(path):
    """UTF-8 if the whole file decodes so, else CP949 (EUC-KR) if it does."""
    for encoding in ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as raw:
                while chunk := raw.read(1024 * 1024):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            last_error = error
            continue
        return encoding
    raise SourceError(
        f"{path.name} is neither UTF-8 nor CP949 (EUC-KR): {last_error.reason} at "
        f"byte {last_error.start} of a block. Give --encoding if it is another."
    )


class DatabaseSource:
    """The same tables read from the old system's PostgreSQL database."""

    def __init__(self, url):
        import psycopg

        try:
            self.connection = psycopg.connect(url, autocommit=True)
        except psycopg.Error as error:
            raise SourceError(f"Cannot connect to the old database: {error}") from None
        for table, columns in ((ARTICLES, ARTICLE_COLUMNS), (FILES, FILE_COLUMNS)):
            found = {
                name.upper()
                for (name,) in self.connection.execute(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE lower(table_name) = lower(%s)",
                    [table],
                )
            }
            missing = [column for column in columns if column not in found]
            if missing:
                raise SourceError(f"{table} has no column {', '.join(missing)}.")

    def articles(self, board):
        yield from self._rows(ARTICLES, ARTICLE_COLUMNS, "WHERE bbs_id = %s", [board])

    def files(self):
        yield from self._rows(FILES, FILE_COLUMNS, "", [])

    def _rows(self, table, columns, where, params):
        # A server-side cursor: the rows stream, whatever their number.
        with (
            self.connection.transaction(),
            self.connection.cursor(name=f"read_{table.lower()}") as cursor,
        ):
            cursor.execute(
                f"SELECT {', '.join(columns)} FROM {table} {where}",
                params,
            )
            for values in cursor:
                yield {
                    column: "" if value is None else str(value)
                    for column, value in zip(columns, values, strict=True)
                }
