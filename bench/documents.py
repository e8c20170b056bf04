"""`make bench-documents`: how long making an attachment's text version takes,
and its child process's peak memory, for the files issue 15 names: a 50-page
PDF and a 5 MB HWPX (plus a DOCX and an HWP of the same text)."""

import io
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from hwpx import HwpxDocument  # noqa: E402

from tests.releases import documents as made  # noqa: E402

WORDS = [
    "경기도",
    "미래",
    "스마트벨트",
    "반도체",
    "산업",
    "지원",
    "확대",
    "수원",
    "용인",
    "성남",
    "화성",
    "평택",
    "이천",
    "안성",
    "협의체",
    "전략",
    "발표",
    "조례",
    "기업",
    "투자",
    "일자리",
    "연구",
    "단지",
    "교통",
    "주민",
    "예산",
    "계획",
    "추진",
    "협력",
]
MARKER = "MARKER-PARAGRAPH"
PAGE_OF_TEXT = (
    "The seven cities of the Future Smart Belt Alliance set out their first "
    "strategy for the semiconductor industry, with a shared ordinance. "
) * 15


def hwpx_of(megabytes, pictures_megabytes=0):
    """An HWPX of varied Korean paragraphs making about megabytes MB stored,
    and pictures_megabytes of pictures (BinData, as Hancom stores them);
    (its bytes, its paragraphs). Made by writing one paragraph with
    python-hwpx, then its XML again for each (python-hwpx adding them one by
    one takes minutes)."""
    rng = random.Random(15)
    document = HwpxDocument.new()
    document.add_paragraph(MARKER)
    document.add_table(3, 3)
    buffer = io.BytesIO()
    document.save_to_stream(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    section = source.read("Contents/section0.xml").decode()
    at = section.index(MARKER)
    start, end = section.rfind("<hp:p ", 0, at), section.index("</hp:p>", at) + 7
    paragraph = section[start:end]
    parts, paragraphs, size = [], 0, 0
    while size < megabytes * 1024 * 1024 * 8:  # XML shrinks about 8 times
        words = " ".join(rng.choice(WORDS) for _ in range(40))
        parts.append(paragraph.replace(MARKER, f"{words} {rng.randint(0, 10**9)}."))
        paragraphs += 1
        size += len(parts[-1].encode())
    section = section[:start] + "".join(parts) + section[end:]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            data = source.read(part)
            if part.filename == "Contents/section0.xml":
                data = section.encode()
            target.writestr(part, data)
        if pictures_megabytes:
            picture = rng.randbytes(int(pictures_megabytes * 1024 * 1024))
            target.writestr("BinData/image1.png", picture)
    return out.getvalue(), paragraphs


def measure(path, file_type):
    """(seconds, peak MB) of one conversion in a child process of its own."""
    started = time.monotonic()
    child = subprocess.run(
        [sys.executable, "-c", MEASURED, str(path), file_type],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.monotonic() - started
    characters, peak_kb = child.stdout.split()
    return seconds, int(peak_kb) / 1024, int(characters)


MEASURED = """
import sys
from pathlib import Path
from releases import documents
text = documents.to_html(sys.argv[1], sys.argv[2])
# VmHWM: this process's own peak (ru_maxrss would count the parent's too).
status = Path("/proc/self/status").read_text()
peak_kb = next(l.split()[1] for l in status.splitlines() if l.startswith("VmHWM"))
print(len(text), peak_kb)
"""


def main():
    folder = Path(tempfile.mkdtemp(prefix="pressoffice-documents-"))
    with_pictures, paragraphs = hwpx_of(0.5, pictures_megabytes=4.5)
    text_only, text_paragraphs = hwpx_of(0.8)
    files = {
        "50-page PDF (about 2,000 characters a page)": (
            "PDF",
            made.pdf_bytes(pages=50, words=PAGE_OF_TEXT),
        ),
        f"5 MB HWPX (4.5 MB of pictures, {paragraphs:,} paragraphs)": (
            "HWPX",
            with_pictures,
        ),
        f"HWPX of text only ({text_paragraphs:,} paragraphs)": ("HWPX", text_only),
        "DOCX": ("DOCX", made.docx_bytes()),
        "HWP 5": ("HWP", made.hwp_bytes()),
    }
    for name, (file_type, content) in files.items():
        path = folder / f"file.{file_type.lower()}"
        path.write_bytes(content)
        seconds, peak_mb, characters = measure(path, file_type)
        print(
            f"{name}: {len(content) / 1024:,.0f} KB -> {characters:,} characters "
            f"of HTML in {seconds:.2f} s, peak memory {peak_mb:.0f} MB"
        )


if __name__ == "__main__":
    main()
