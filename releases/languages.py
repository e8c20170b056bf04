"""The interface languages' addresses: English unprefixed, the others under
/<code>/ (pressoffice/urls.py), so that one address is one page for everyone."""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import translate_url
from django.utils import translation


def in_language(url, code):
    """url (a path, with any query) of the same page in the language code."""
    current = (
        translation.get_language_from_path(urlsplit(url).path) or settings.LANGUAGE_CODE
    )
    with translation.override(current):
        return translate_url(url, code)


def versions(request):
    """[(code, name, absolute URL)] of the current page in every interface language.

    Built from the path alone: a visitor's query string never reaches a page
    that may be cached for everyone.
    """
    return [
        (code, name, request.build_absolute_uri(in_language(request.path, code)))
        for code, name in settings.LANGUAGES
    ]


class LanguageInAddressMiddleware:
    """Drop Accept-Language from Vary: with the language in the address, no
    response depends on it. LocaleMiddleware adds it to every unprefixed page,
    which would make shared caches keep one copy per browser's header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Vary"):
            kept = [
                header.strip()
                for header in response["Vary"].split(",")
                if header.strip().lower() != "accept-language"
            ]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response
