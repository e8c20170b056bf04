"""The editorial desk (releases.desk) and who reads figures, in admin templates."""

from django import template

from releases import desk, reports

register = template.Library()


@register.simple_tag(takes_context=True)
def desk_counts(context):
    """The desk's counts for the header, or None for who is not on the desk."""
    user = context["request"].user
    return desk.counts(user) if desk.on_desk(user) else None


@register.inclusion_tag("admin/releases/desk.html", takes_context=True)
def editorial_desk(context):
    user = context["request"].user
    if not desk.on_desk(user):
        return {"on_desk": False}
    return {
        "on_desk": True,
        "my_drafts": desk.my_drafts(user),
        "waiting_for_review": desk.waiting_for_review(),
        "scheduled": desk.scheduled(),
        "recently_published": desk.recently_published(),
        "recently_withdrawn": desk.recently_withdrawn(),
    }


@register.simple_tag(takes_context=True)
def may_read_figures(context):
    return reports.may_read_figures(context["request"].user)
