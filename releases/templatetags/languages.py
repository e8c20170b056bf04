from django import template

from releases import languages

register = template.Library()


@register.simple_tag(takes_context=True)
def language_versions(context):
    """The current page in every interface language: [(code, name, URL)]."""
    return languages.versions(context["request"])


# Open Graph names a locale with its territory.
OG_LOCALES = {"en": "en_US", "ko": "ko_KR"}


@register.filter
def og_locale(code):
    """The Open Graph locale of an interface language code."""
    return OG_LOCALES.get(code, code)
