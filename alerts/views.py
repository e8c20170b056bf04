"""The public pages of e-mail alerts; never kept by a cache (each has a form
or a subscriber's secret)."""

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from alerts import subscribing
from alerts.forms import SubscribeForm, release_to_follow
from alerts.models import Subscription
from releases import hits


@never_cache
def subscribe(request):
    """The form: any list, or the one a topic, place, official or release page
    linked to (?list=topic:slug, release:number…)."""
    asked = request.POST.get("list") or request.GET.get("list", "")
    scope, _, key = asked.partition(":")
    release = release_to_follow(key) if scope == Subscription.Scope.RELEASE else None
    if request.method == "POST":
        form = SubscribeForm(request.POST, release=release)
        if form.is_valid():
            scope, target = form.cleaned_data["list"]
            try:
                subscribing.ask(
                    form.cleaned_data["email"],
                    scope,
                    target,
                    form.cleaned_data["frequency"],
                    form.cleaned_data["language"],
                    client=hits.client_ip(request),
                )
            except subscribing.TooMany:
                return render(
                    request, "alerts/subscribe.html", {"form": form, "too_many": True},
                    status=429,
                )  # fmt: skip
            return redirect("alerts:asked")
        status = 400
    else:
        initial = {"language": get_language(), "list": asked or "all"}
        form = SubscribeForm(initial=initial, release=release)
        status = 200
    return render(request, "alerts/subscribe.html", {"form": form}, status=status)


@never_cache
def asked(request):
    hours = settings.ALERTS_CONFIRM_HOURS
    return render(request, "alerts/asked.html", {"hours": hours})


@never_cache
def confirm(request, signed):
    """The link in the confirmation mail: a button, so that a mail scanner that
    opens links confirms nothing."""
    found = subscribing.read_confirmation(signed)
    if found is None:
        return render(request, "alerts/link_expired.html", status=404)
    subscription, wish = found
    if request.method == "POST":
        subscribing.confirm(subscription, wish)
        return redirect(
            reverse("alerts:unsubscribe", args=[subscription.token]) + "?confirmed=1"
        )
    context = {
        "subscription": subscription,
        "frequency": Subscription.Frequency(wish["frequency"]).label,
        "language": dict(SubscribeForm.base_fields["language"].choices).get(
            wish["language"]
        ),
    }
    return render(request, "alerts/confirm.html", context)


@never_cache
@csrf_exempt  # the token in the address is the authority; mail clients POST here
def unsubscribe(request, token):
    """GET: the subscription and its buttons. POST: unsubscribe it (a mail
    client's one-click, RFC 8058, posts List-Unsubscribe=One-Click), or with
    everything="1" every list of its address."""
    subscription = Subscription.objects.filter(token=token).first()
    if request.method == "POST":
        if subscription is not None:
            if request.POST.get("everything"):
                Subscription.objects.filter(email=subscription.email).delete()
            else:
                subscribing.unsubscribe(token)
        return render(request, "alerts/unsubscribed.html")
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if subscription is None or not subscription.is_confirmed:
        return render(request, "alerts/unsubscribed.html", status=404)
    others = Subscription.objects.filter(email=subscription.email).count() - 1
    context = {
        "subscription": subscription,
        "others": others,
        "confirmed": request.GET.get("confirmed") == "1",
    }
    return render(request, "alerts/subscription.html", context)
