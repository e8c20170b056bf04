from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_prose_editor.widgets import ProseEditorWidget

from releases import photos, reports, richtext, workflow
from releases.models import Release


class BodyEditor(ProseEditorWidget):
    """The body's rich text editor (django-prose-editor: Tiptap on ProseMirror),
    offering what releases.richtext allows.

    The stored body passes through the sanitizer once more before the editor
    gets it: a body that never did (an import, raw SQL) cannot become live
    markup in the admin. The widget's admin variant restyles the text in its own
    way; static/css/body-editor.css styles it as the release page does instead.
    """

    def __init__(self, attrs=None, photo_picker_url=None):
        # Photos are chosen from the release's own (photo_picker_url): a release
        # not saved yet has none, and no photo button.
        extensions = dict(richtext.EDITOR_EXTENSIONS)
        if photo_picker_url:
            extensions["Figure"] = {"pickerUrl": photo_picker_url}
        else:
            for photo_part in ("Figure", "Image", "Caption"):
                del extensions[photo_part]
        super().__init__(
            attrs, config={"extensions": extensions}, preset="configurable"
        )

    def format_value(self, value):
        return richtext.to_html(value) if value else value


class ReleaseAdminForm(forms.ModelForm):
    """The release form: refuses to save over a newer save, asks minor or major."""

    seen_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    is_major_change = forms.TypedChoiceField(
        label=_("This change is"),
        choices=[
            ("", _("minor (typo, formatting)")),
            ("1", _("major (facts changed)")),
        ],
        coerce=bool,
        empty_value=False,
        required=False,
        widget=forms.RadioSelect,
        help_text=_('A major change shows on the page as "Updated on … — note".'),
    )
    major_change_note = forms.CharField(
        label=_("Change note"),
        max_length=300,
        required=False,
        help_text=_("What changed, in a sentence the public will read."),
    )

    class Meta:
        model = Release
        fields = [
            "title", "slug", "language", "translation_of", "summary", "body",
            "department", "contact_name", "contact_phone", "contact_email",
            "lead_image", "lead_image_alt", "topics", "municipalities", "officials",
            "organizations",
        ]  # fmt: skip
        widgets = {"body": BodyEditor}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_revision"].initial = self.instance.revision
        if self.instance.pk:
            self.fields["body"].widget = BodyEditor(
                photo_picker_url=reverse(
                    "admin:releases_release_photo_picker", args=[self.instance.pk]
                )
            )
        if not self.instance.is_live:  # a change note is for what the public saw
            del self.fields["is_major_change"]
            del self.fields["major_change_note"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            current = (
                Release.objects.select_for_update()
                .values_list("revision", flat=True)
                .get(pk=self.instance.pk)
            )
            if cleaned.get("seen_revision") != current:
                raise forms.ValidationError(
                    _(
                        "Someone else saved this release after you opened it. Your "
                        "changes were not saved: open the release again to see "
                        "theirs, then make your changes once more."
                    ),
                    code="stale",
                )
        refused = richtext.refused_links(cleaned.get("body") or "")
        if refused:
            self.add_error(
                "body",
                _(
                    "Links must be web addresses (https://…), e-mail (mailto:…) or "
                    "telephone (tel:…) links; change or remove: %(links)s"
                )
                % {"links": ", ".join(refused)},
            )
        self._check_body_images(cleaned.get("body") or "")
        if cleaned.get("is_major_change") and not cleaned.get("major_change_note"):
            self.add_error("major_change_note", _("A major change needs a note."))
        return cleaned

    def _check_body_images(self, body):
        """Images in the text are the release's own photos, each described."""
        images = richtext.image_sources(body)
        if not images:
            return
        own = photos.addresses(self.instance) if self.instance.pk else set()
        foreign = [src or "?" for src, _alt in images if src not in own]
        if foreign:
            self.add_error(
                "body",
                _(
                    "Images in the text must be photos of this release, chosen "
                    "with Browse… in the image dialog; remove: %(images)s"
                )
                % {"images": ", ".join(foreign)},
            )
        if any(not alt.strip() for _src, alt in images):
            self.add_error(
                "body",
                _("Give each image in the text its alternative text."),
            )


class PublishForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        help_text=_("Leave empty to publish now; a later time embargoes the release."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    reason = forms.CharField(
        label=_("Reason (only if you submitted this release yourself)"),
        max_length=300,
        required=False,
    )
    confirm_backdating = forms.BooleanField(
        label=_("Yes, back-date this release to the earlier time above"),
        required=False,
    )
    backdating_reason = forms.CharField(
        label=_("Reason for back-dating (kept in the history)"),
        max_length=300,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        at = cleaned.get("publish_at")
        if at is None:
            return cleaned
        reason = cleaned.get("backdating_reason", "")
        if not cleaned.get("confirm_backdating"):
            reason = ""
        try:
            workflow.check_publish_time(at, reason)
        except workflow.TransitionError as error:
            self.add_error("publish_at", error)
        if not cleaned.get("confirm_backdating"):
            cleaned["backdating_reason"] = ""
        return cleaned


class ReturnToDraftForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the writer"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What to change before it is submitted again; kept in the history."
        ),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawing (shown on the page)"), max_length=300
    )


TRANSITION_FORMS = {
    "return_to_draft": ReturnToDraftForm,
    "publish": PublishForm,
    "withdraw": WithdrawForm,
}
TRANSITION_LABELS = {
    "submit": _("Submit for review"),
    "return_to_draft": _("Return to draft"),
    "publish": _("Publish or schedule"),
    "unschedule": _("Unschedule"),
    "withdraw": _("Withdraw"),
    "restore": _("Restore to the site"),
}


def run_transition(name, release, user, form):
    """Call workflow.<name> with what the form asked."""
    data = form.cleaned_data if form else {}
    if name == "publish":
        workflow.publish(
            release,
            user,
            at=data["publish_at"],
            reason=data["reason"],
            backdating_reason=data["backdating_reason"],
        )
    elif name == "return_to_draft":
        workflow.return_to_draft(release, user, data["comment"])
    elif name == "withdraw":
        workflow.withdraw(release, user, data["reason"])
    else:
        getattr(workflow, name)(release, user)


class ReportRangeForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[*reports.PERIODS.items(), ("custom", _("Custom dates"))],
        initial="last_30_days",
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        period = cleaned.get("period")
        try:
            if period == "custom":
                if not (cleaned.get("start") and cleaned.get("end")):
                    raise forms.ValidationError(
                        _("Give both dates of a custom period.")
                    )
                cleaned["range"] = reports.Range.asked(cleaned["start"], cleaned["end"])
            elif period:
                cleaned["range"] = reports.Range.preset(period)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        return cleaned
