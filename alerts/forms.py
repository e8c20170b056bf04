from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from alerts.models import Subscription
from people.models import Municipality, Official, in_local_order
from releases.models import Release, Topic

Scope = Subscription.Scope
# The lists offered in the menu, by the scope of their values ("topic:slug").
TAGGED_LISTS = [
    (Scope.TOPIC, Topic, _("Topics")),
    (Scope.MUNICIPALITY, Municipality, _("Municipalities")),
    (Scope.OFFICIAL, Official, _("Officials")),
]


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    list = forms.ChoiceField(label=_("Send me"))
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Subscription.Frequency,
        initial=Subscription.Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=_("Language of the mails"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        help_text=_("You get the releases published in this language."),
    )

    def __init__(self, *args, release=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.release = release
        self.fields["list"].choices = self._list_choices()

    def _list_choices(self):
        choices = []
        if self.release is not None:
            label = _("Updates of No. %(number)s, %(title)s") % {
                "number": self.release.number,
                "title": self.release.title,
            }
            choices.append((f"release:{self.release.number}", label))
        choices.append((Scope.ALL.value, _("All releases")))
        for scope, model, group in TAGGED_LISTS:
            tags = in_local_order(model.objects.all())
            choices.append((group, [(f"{scope}:{tag.slug}", str(tag)) for tag in tags]))
        return choices

    def clean_list(self):
        """(scope, target) of the chosen list; the choice itself was checked."""
        value = self.cleaned_data["list"]
        scope, _, key = value.partition(":")
        if scope == Scope.ALL:
            return scope, None
        if scope == Scope.RELEASE:
            return scope, self.release
        model = {scope: model for scope, model, _ in TAGGED_LISTS}[scope]
        return scope, model.objects.get(slug=key)


def release_to_follow(number):
    """The release whose page offers to follow it, from ?list=release:N; None if
    it has no public page."""
    try:
        return Release.objects.visible().get(number=int(number))
    except (Release.DoesNotExist, ValueError, OverflowError):
        return None
