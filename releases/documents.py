"""Attached documents as HTML text: what a citizen reads in the browser instead
of opening an HWP, HWPX, DOCX or PDF file (releases.readable keeps it).

Pure Python, without Django, so that it runs in a child process of its own
under a time and memory limit (run_limited): a hostile file costs that process,
never the site's. Before any parser sees a file it is checked: a ZIP (HWPX,
DOCX) must not inflate beyond MAX_INFLATED_BYTES nor by more than MAX_RATIO,
and no XML part may declare a DTD (entities: XXE, "billion laughs"), which
neither format ever needs. Problems are Unreadable, whose code readable.py
turns into a message for staff.

    python -m releases.documents FILE TYPE PAGE_LABEL  # {"html": …} or {"error": …}
"""

import html
import io
import json
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

MAX_INFLATED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200  # inflated / stored, for any part over 20 MB inflated
MAX_PDF_PAGES = 2000
MAX_HTML_CHARACTERS = 5_000_000
IMAGE_NOTE = "[Image left out]"
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_OUTLINE = re.compile(r"(?:개요|Outline)\s*(\d+)")
_XML_PART = re.compile(r"\.(xml|rels|hpf)$", re.IGNORECASE)
CONVERTIBLE = {"HWPX", "HWP", "DOCX", "PDF"}


class Unreadable(Exception):
    """The file cannot be turned into text; .code says why (CODES)."""

    def __init__(self, code, detail=""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


CODES = {"corrupt", "encrypted", "inflates", "dtd", "empty", "too_long", "limit"}


def to_html(path, file_type, page_label="Page %(number)s"):
    """The document at path (of file_type: HWPX, HWP, DOCX or PDF) as an HTML
    fragment of headings (from h1), paragraphs, lists and tables, images left
    out; a PDF's pages headed by page_label."""
    path = Path(path)
    converter = {"HWPX": _hwpx, "HWP": _hwp, "DOCX": _docx, "PDF": _pdf}[file_type]
    if file_type in {"HWPX", "DOCX"}:
        check_zip(path)
    try:
        text = _pdf(path, page_label) if file_type == "PDF" else converter(path)
    except Unreadable:
        raise
    except (MemoryError, ImportError):  # the memory limit, as met while loading
        raise Unreadable("limit") from None
    except Exception as error:  # each parser fails its own way on a broken file
        raise Unreadable("corrupt", f"{type(error).__name__}: {error}"[:300]) from None
    if not re.sub(r"<[^>]+>|\s", "", text):
        raise Unreadable("empty")
    if len(text) > MAX_HTML_CHARACTERS:
        raise Unreadable("too_long")
    return text


def check_zip(path):
    """Refuse a ZIP that would inflate too far or whose XML declares a DTD,
    reading each part at most to its declared size."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise Unreadable("corrupt", str(error)) from None
    with archive:
        parts = archive.infolist()
        if sum(part.file_size for part in parts) > MAX_INFLATED_BYTES:
            raise Unreadable("inflates")
        for part in parts:
            if part.flag_bits & 0x1:
                raise Unreadable("encrypted")
            stored = max(part.compress_size, 1)
            if (
                part.file_size > 20 * 1024 * 1024
                and part.file_size / stored > MAX_RATIO
            ):
                raise Unreadable("inflates")
            if _XML_PART.search(part.filename):
                _check_xml(archive, part)


def _check_xml(archive, part):
    try:
        with archive.open(part) as opened:
            # A DTD comes before the root element: the start tells.
            head = opened.read(64 * 1024)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise Unreadable("corrupt", str(error)) from None
    if _DTD.search(head):
        raise Unreadable("dtd", part.filename)


def _hwpx(path):
    from hwpx import HwpxDocument

    return _hancom(HwpxDocument.open(str(path)))


def _hwp(path):
    from hwpx import HwpxDocument

    data = path.read_bytes()
    if not data.startswith(b"\xd0\xcf\x11\xe0"):
        raise Unreadable("corrupt", "not an OLE compound file")
    return _hancom(HwpxDocument.open(io.BytesIO(data)))


def _hancom(document):
    """An HWPX or HWP document (python-hwpx's model) as headings (paragraphs of
    the outline styles, 개요 1 / Outline 1…), paragraphs and tables, in order."""
    parts = []
    for paragraph in document.paragraphs:
        text = html.escape(paragraph.text.strip())
        level = _outline_level(document.styles.get(str(paragraph.style_id_ref)))
        if text:
            parts.append(f"<h{level}>{text}</h{level}>" if level else f"<p>{text}</p>")
        parts += [_table(table) for table in paragraph.tables]
    return "\n".join(parts)


def _outline_level(style):
    """1-5 for an outline (heading) style, deeper ones as 5; 0 for others."""
    for name in (getattr(style, "name", ""), getattr(style, "eng_name", "")):
        if match := _OUTLINE.fullmatch((name or "").strip()):
            return min(int(match[1]), 5)
    return 0


def _table(table):
    rows = (
        "<tr>"
        + "".join(
            f"<td>{html.escape(table.cell(row, column).text.strip())}</td>"
            for column in range(table.column_count)
        )
        + "</tr>"
        for row in range(table.row_count)
    )
    return f"<table>{''.join(rows)}</table>"


def _docx(path):
    import mammoth

    def no_image(_image):
        return {"alt": IMAGE_NOTE}

    with path.open("rb") as opened:
        result = mammoth.convert_to_html(
            opened, convert_image=mammoth.images.img_element(no_image)
        )
    # An image becomes <img alt="[Image left out]">: its note, as text.
    return re.sub(r"<img [^>]*>", f"<p><em>{IMAGE_NOTE}</em></p>", result.value)


def _pdf(path, page_label):
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise Unreadable("encrypted")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise Unreadable("too_long")
        parts = []
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            paragraphs = [
                " ".join(block.split()) for block in re.split(r"\n\s*\n", text)
            ]
            body = "".join(
                f"<p>{html.escape(paragraph)}</p>"
                for paragraph in paragraphs
                if paragraph
            )
            if body:
                heading = html.escape(page_label % {"number": number})
                parts.append(f"<h1>{heading}</h1>{body}")
    except FileNotDecryptedError:
        raise Unreadable("encrypted") from None
    except PdfReadError as error:
        raise Unreadable("corrupt", str(error)) from None
    return "".join(parts)


def run_limited(
    path, file_type, page_label="Page %(number)s", seconds=60,
    memory_bytes=768 * 1024 * 1024,
):  # fmt: skip
    """to_html(path, file_type, page_label) in a child process limited to
    seconds of time and memory_bytes of memory (a limit is set before the
    child runs: the worker that calls this starts no threads); raises
    Unreadable("limit") past either."""

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))

    try:
        finished = subprocess.run(
            [
                sys.executable,
                "-m",
                "releases.documents",
                str(path),
                file_type,
                page_label,
            ],
            capture_output=True,
            timeout=seconds + 5,
            preexec_fn=limit,
            cwd=Path(__file__).resolve().parent.parent,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise Unreadable("limit", f"over {seconds} s") from None
    try:
        answer = json.loads(finished.stdout)
    except ValueError:
        detail = finished.stderr.decode(errors="replace")[-300:]
        raise Unreadable("limit", f"exit {finished.returncode}: {detail}") from None
    if "error" in answer:
        raise Unreadable(answer["error"], answer.get("detail", ""))
    return answer["html"]


def _main(path, file_type, page_label):
    try:
        answer = {"html": to_html(path, file_type, page_label)}
    except Unreadable as problem:
        answer = {"error": problem.code, "detail": problem.detail}
    sys.stdout.write(json.dumps(answer))


if __name__ == "__main__":
    _main(*sys.argv[1:4])
