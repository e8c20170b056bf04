"""What an import from the office's old board (an eGovFrame board) made: the
release of each article, and the attachment of each stored file, keyed as the
old board keyed them, so a second import finds them and old links still lead
to them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from releases.models import Attachment, Release


class ImportedArticle(models.Model):
    board_id = models.CharField(_("old board"), max_length=20)
    article_id = models.BigIntegerField(_("old article id"))  # NTT_ID
    release = models.OneToOneField(
        Release, on_delete=models.CASCADE, related_name="imported_from"
    )
    # What the import read (a digest of the row) and the release's revision
    # it wrote: a later import updates the release only if the row changed
    # and staff have not edited it since.
    source_digest = models.CharField(max_length=64)
    imported_revision = models.PositiveIntegerField()
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("imported article")
        verbose_name_plural = _("imported articles")
        constraints = [
            models.UniqueConstraint(
                fields=["board_id", "article_id"], name="one_release_an_old_article"
            )
        ]

    def __str__(self):
        return f"{self.board_id}/{self.article_id}"


class ImportedFile(models.Model):
    file_id = models.CharField(_("old file id"), max_length=20)  # ATCH_FILE_ID
    number = models.PositiveIntegerField(_("old file number"))  # FILE_SN
    attachment = models.OneToOneField(
        Attachment, on_delete=models.CASCADE, related_name="imported_from"
    )

    class Meta:
        verbose_name = _("imported file")
        verbose_name_plural = _("imported files")
        constraints = [
            models.UniqueConstraint(
                fields=["file_id", "number"], name="one_attachment_an_old_file"
            )
        ]

    def __str__(self):
        return f"{self.file_id}/{self.number}"
