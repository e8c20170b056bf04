"""Files to upload in tests: good ones and hostile ones, made on the fly."""

import struct
import zipfile
import zlib
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def image_bytes(size=(800, 600), image_format="JPEG", exif=None):
    buffer = BytesIO()
    image = Image.new("RGB", size, (30, 90, 160))
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg_with_gps():
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x8825] = {1: "N", 2: (37.0, 16.0, 0.0), 3: "E", 4: (127.0, 0.0, 0.0)}
    return image_bytes(exif=exif)


def small_png_of_huge_size():
    """About 12 KB on disk, 10,000 × 10,000 pixels once decoded."""
    buffer = BytesIO()
    Image.new("1", (10_000, 10_000)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def png_header_of_size(width, height):
    """A PNG claiming width × height in its header, with no pixels to decode."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def office_zip(part):
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{part}document.xml", "<document/>")
    return buffer.getvalue()


HOSTILE_IMAGES = {
    "truncated JPEG": ("photo.jpg", image_bytes()[:2000]),
    "GIF with script appended": (
        "photo.gif",
        image_bytes(image_format="GIF") + b"<script>alert(1)</script>",
    ),
    "SVG": (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ),
    "SVG renamed .png": ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
    "HTML renamed .jpg": ("photo.jpg", b"<html><body>hello</body></html>"),
    "12 KB PNG of 10,000 x 10,000 pixels": ("bomb.png", small_png_of_huge_size()),
    "empty file": ("empty.jpg", b""),
    "random bytes": ("noise.webp", bytes(range(256)) * 40),
}
