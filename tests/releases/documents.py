"""Attached documents of each kind, made as the office's programs make them,
and hostile ones (a ZIP bomb, XML entities, a damaged file)."""

import io
import struct
import zipfile

from docx import Document
from fpdf import FPDF
from hwpx import HwpxDocument
from pypdf import PdfWriter
from pypdf.actions import JavaScript


def docx_bytes():
    """A DOCX with a heading, a paragraph, a list, a table and an image."""
    from tests.releases.files import image_bytes

    document = Document()
    document.add_heading("Smart Belt strategy", 1)
    document.add_paragraph("The seven cities set out their first strategy.")
    document.add_paragraph("A shared ordinance", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    for row, cells in enumerate([("City", "Share"), ("Suwon", "12%")]):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    document.add_picture(io.BytesIO(image_bytes((40, 30), "PNG")))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def hwpx_bytes(paragraphs=("미래 스마트벨트 전략", "7개 시가 첫 전략을 발표했다.")):
    """An HWPX of a heading (개요 1), paragraphs and a table."""
    document = HwpxDocument.new()
    document.add_heading("추진 전략", level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph).style_id_ref = 0  # 바탕글
    table = document.add_table(2, 2)
    table.cell(0, 0).text = "도시"
    table.cell(1, 0).text = "수원"
    buffer = io.BytesIO()
    document.save_to_stream(buffer)
    return buffer.getvalue()


def hwp_bytes():
    """An HWP 5 (OLE) document, as Hancom Office saves it."""
    document = HwpxDocument.open(io.BytesIO(hwpx_bytes()))
    buffer = io.BytesIO()
    document.save_to_stream(buffer, format="hwp")
    return buffer.getvalue()


def pdf_bytes(pages=2, words="The Smart Belt strategy, page"):
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.multi_cell(0, 8, f"{words} {number}.\n\nA second paragraph.")
    return bytes(pdf.output())


def pdf_with_javascript():
    """A PDF that runs script when opened, in readers that run it."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes(pages=1)))
    writer.add_open_action(JavaScript("app.alert('hello');"))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def zip_bomb(inner="word/document.xml", megabytes=300):
    """A DOCX-looking ZIP of a few hundred KB that inflates to megabytes MB
    (written a megabyte at a time: making it costs no memory)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(inner, "w", force_zip64=True) as part:
            zeros = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                part.write(zeros)
    return buffer.getvalue()


def zip_bomb_of_10_gb(inner="word/document.xml"):
    """A ZIP of a few KB whose parts say they inflate to 10.5 GB in all, as the
    "10 KB that inflates to 10 GB" bombs do (three parts of 3.5 GB each)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for number in range(3):
            archive.writestr(f"{inner}.{number}", b"\0" * (1024 * 1024))
    data = bytearray(buffer.getvalue())
    claimed = struct.pack("<I", 3_500_000_000)
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            if data[start + size_at : start + size_at + 4] == struct.pack(
                "<I", 1 << 20
            ):
                data[start + size_at : start + size_at + 4] = claimed
            start += 4
    return bytes(data)


def pdf_without_text():
    """A scan, as far as text goes: a page with a picture and no words."""
    from tests.releases.files import image_bytes

    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(image_bytes((200, 100))), x=10, y=10, w=100)
    return bytes(pdf.output())


def with_external_entity(inner="word/document.xml"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            inner,
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM '
            '"file:///etc/passwd">]><d>&x;</d>',
        )
    return buffer.getvalue()


def damaged(content):
    """content cut in half, as an interrupted upload leaves it."""
    return content[: len(content) // 2]
