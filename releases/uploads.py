"""What may be uploaded to a release, checked by content, and how it is stored.

Images must be real JPEG, PNG, WebP or GIF files within IMAGE_MAX_BYTES and
IMAGE_MAX_PIXELS (read from the header, so a small file that would decode to a
huge image is refused before it is decoded). They are decoded fully (a truncated
file fails), re-encoded without metadata (EXIF, GPS) under a random name, and
resized copies are made for srcset. Attachments must have an allowed extension
whose content matches it, within ATTACHMENT_MAX_BYTES, and are stored under a
random name. Any file carrying HTML or script markup is refused. Stored files
are sent back as downloads under their original names.
"""

import logging
import mimetypes
import re
import uuid
import zipfile
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.http import FileResponse, Http404, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.encoding import iri_to_uri
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

IMAGE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
RENDITION_WIDTHS = (480, 960, 1600)
_MARKUP = re.compile(rb"<\s*(script|html|svg|iframe|body|\?php)|javascript:", re.I)
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: HWP 5, DOC, XLS, PPT
_ZIP = b"PK\x03\x04"
# Attachment extension -> (what its first bytes must be, a part a ZIP must hold).
ATTACHMENT_TYPES = {
    "pdf": (b"%PDF-", None),
    "hwp": (_CFB, None),
    "doc": (_CFB, None),
    "xls": (_CFB, None),
    "ppt": (_CFB, None),
    "hwpx": (_ZIP, "Contents/"),
    "docx": (_ZIP, "word/"),
    "xlsx": (_ZIP, "xl/"),
    "pptx": (_ZIP, "ppt/"),
    "zip": (_ZIP, ""),
    "jpg": (None, None),
    "jpeg": (None, None),
    "png": (None, None),
}


def validate_image(file):
    """Refuse anything but a real, whole JPEG, PNG, WebP or GIF of bounded size."""
    _check_size(file, settings.IMAGE_MAX_BYTES)
    _check_no_markup(file)
    with _opened_image(file) as image:
        if image.format not in IMAGE_FORMATS:
            raise ValidationError(_("Upload a JPEG, PNG, WebP or GIF image."))
        width, height = image.size
        if width * height > settings.IMAGE_MAX_PIXELS:
            raise ValidationError(
                _("This image is %(w)s × %(h)s pixels; the limit is %(mp)s megapixels.")
                % {"w": width, "h": height, "mp": settings.IMAGE_MAX_PIXELS // 10**6}
            )
        try:
            image.load()  # decode it all: a truncated or corrupt file fails here
        except (OSError, SyntaxError, ValueError) as error:
            raise ValidationError(
                _("This image file is damaged or incomplete.")
            ) from error


class ImageFormField(forms.ImageField):
    """An image upload checked by validate_image before Django's own check, which
    would call a file too large to open "corrupted"."""

    def to_python(self, data):
        if data not in self.empty_values:
            validate_image(data)
        return super().to_python(data)


# For ModelAdmin.formfield_overrides wherever images are uploaded.
ADMIN_FORMFIELDS = {models.ImageField: {"form_class": ImageFormField}}


def validate_attachment(file):
    """Refuse a file whose extension is not allowed or whose content does not match."""
    _check_size(file, settings.ATTACHMENT_MAX_BYTES)
    extension = Path(file.name).suffix.lower().lstrip(".")
    if extension not in ATTACHMENT_TYPES:
        raise ValidationError(
            _("Files of this type cannot be attached. Allowed: %(types)s.")
            % {"types": ", ".join(sorted(ATTACHMENT_TYPES)).upper()}
        )
    magic, zip_part = ATTACHMENT_TYPES[extension]
    if magic is None:
        validate_image(file)
        return
    _check_no_markup(file)
    file.seek(0)
    if not file.read(len(magic)) == magic or not _zip_holds(file, zip_part):
        raise ValidationError(
            _("This file's content is not a %(type)s file.")
            % {"type": extension.upper()}
        )


def clean_image(file):
    """The image re-encoded without metadata, under a random name (a ContentFile)."""
    with _opened_image(file) as image:
        extension = IMAGE_FORMATS[image.format]
        data = _encode(_upright(image), image.format)
    return ContentFile(data, name=f"{uuid.uuid4().hex}{extension}")


def _upright(image):
    """The image turned as its EXIF orientation says, as the metadata that says
    so is removed (a phone's portrait photo would otherwise lie on its side)."""
    if image.format == "GIF" or image.getexif().get(ExifTags.Base.Orientation, 1) == 1:
        return image
    return ImageOps.exif_transpose(image)


def renditions(file):
    """Narrower copies of an image for srcset: [(width, ContentFile), …]."""
    copies = []
    with _opened_image(file) as image:
        if image.format == "GIF":  # animations would lose their frames
            return copies
        stem = Path(file.name).stem
        for width in RENDITION_WIDTHS:
            if width >= image.width:
                break
            height = round(image.height * width / image.width)
            resized = image.resize((width, height), Image.Resampling.LANCZOS)
            name = f"{stem}-{width}w{IMAGE_FORMATS[image.format]}"
            copies.append(
                (width, ContentFile(_encode(resized, image.format), name=name))
            )
    return copies


def replace_with_clean_copy(field_file):
    """Replace a new image upload by its copy without metadata (EXIF, GPS)."""
    field_file.save(*_named(clean_image(field_file)), save=False)


def store_image(field_file):
    """Replace a new upload by its clean copy and store its renditions.

    Returns {width: stored name} of the renditions, for srcset.
    """
    replace_with_clean_copy(field_file)
    folder = Path(field_file.name).parent
    return {
        str(width): field_file.storage.save(str(folder / copy.name), copy)
        for width, copy in renditions(field_file)
    }


def dimensions(field_file):
    """(width, height) of an image, read at upload and stored with it, so that no
    page has to open the file (which may be missing) to size it."""
    with _opened_image(field_file) as image:
        return image.size


def srcset(field_file, stored_renditions):
    """The srcset attribute value for an image and its renditions."""
    storage = field_file.storage
    return ", ".join(
        f"{storage.url(name)} {width}w" for width, name in stored_renditions.items()
    )


def download(field_file, name):
    """A response that downloads a stored file under name, never shown inline.

    Behind the repository's nginx (MEDIA_SENT_BY_FRONT) the app only decides and
    names the download, and nginx sends the file (X-Accel-Redirect); a file gone
    from storage answers 404 either way.
    """
    if settings.MEDIA_SENT_BY_FRONT:
        if not field_file.storage.exists(field_file.name):
            raise _missing(field_file)
        response = HttpResponse(
            content_type=mimetypes.guess_type(name)[0] or "application/octet-stream"
        )
        response["X-Accel-Redirect"] = iri_to_uri(field_file.url)
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    try:
        stored = field_file.open("rb")
    except FileNotFoundError:
        raise _missing(field_file) from None
    return FileResponse(stored, as_attachment=True, filename=name)


def _missing(field_file):
    logger.error("Stored file %s is missing", field_file.name)
    return Http404("This file is missing.")


def is_new_upload(field_file):
    return bool(field_file) and not field_file._committed


def attachment_path(instance, filename):
    """Attachments are stored under a random name; the original is kept on the row."""
    return f"releases/attachments/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


def _named(content):
    return content.name, content


def _check_size(file, limit):
    if file.size > limit:
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)}
        )


def _check_no_markup(file):
    file.seek(0)
    if _MARKUP.search(file.read()):
        raise ValidationError(_("This file contains web page or script code."))
    file.seek(0)


@contextmanager
def _opened_image(file):
    """Image.open on a copy of an upload, refusing what Pillow cannot read at all."""
    file.seek(0)
    data = file.read()
    file.seek(0)
    try:
        image = Image.open(BytesIO(data))
    except Image.DecompressionBombError as error:
        # Pillow refuses, from the header alone, sizes far beyond our limit.
        raise ValidationError(
            _("This image is too large: the limit is %(mp)s megapixels.")
            % {"mp": settings.IMAGE_MAX_PIXELS // 10**6}
        ) from error
    except (UnidentifiedImageError, OSError) as error:
        raise ValidationError(_("This file is not an image we can use.")) from error
    with image:
        yield image


def _encode(image, image_format):
    buffer = BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True)
    elif image_format == "GIF":
        image.save(buffer, "GIF", save_all=True)
    else:
        image.save(buffer, image_format)
    return buffer.getvalue()


def _zip_holds(file, part):
    if part is None:
        return True
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        file.seek(0)
    return part == "" or any(name.startswith(part) for name in names)
