"""Plain text as the site stores it: no control characters.

Text pasted from word processors can carry C0 control characters (a vertical
tab, a form feed) that XML 1.0 cannot hold, so one of them in a title would
break every feed that lists it. They are removed from every text field of the
site's models before saving; tab and newline stay, carriage returns become
newlines.
"""

import re

from django.db import models

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CARRIAGE_RETURN = re.compile(r"\r\n?")


def without_control_characters(value):
    """value with control characters removed (line breaks kept as newlines)."""
    if not isinstance(value, str):
        return value
    return _CONTROL_CHARACTERS.sub("", _CARRIAGE_RETURN.sub("\n", value))


def clean_text_fields(sender, instance, **kwargs):
    """pre_save receiver: strip control characters from instance's text fields."""
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            setattr(instance, field.attname, without_control_characters(value))
