"""Institutional contact data of a service or a site (web address, e-mail, phone,
opening hours) and of a provider (web address, e-mail, phone).

Only the institution's own channels (``info@…``, the switchboard, the Kita's page), never
a person's: the lotsensystem holds no personal data, people appear only as roles
(``contact_role``). Every field is optional and checked with a German message.

>>> c = Contact(url="www.awo-dortmund.de", email="info@awo-dortmund.de",
...             phone="0231 99 34-0", opening_hours="Mo–Fr 8–16 Uhr")
>>> c.url
'https://www.awo-dortmund.de'
>>> Contact(email="info(at)awo.de")
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for Contact
email
  E-Mail-Adresse 'info(at)awo.de' ist ungültig: erwartet wird z. B. info@traeger.de. ...
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints
from pydantic_core import PydanticCustomError

__all__ = ["Contact", "OptionalContact", "OptionalProviderContact", "ProviderContact",
           "check_email", "check_phone", "check_url"]

_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9ÄÖÜäöüß-]+(\.[A-Za-z0-9ÄÖÜäöüß-]+)*"
                    r"\.[A-Za-z]{2,}$")
_URL = re.compile(r"^https?://[A-Za-z0-9ÄÖÜäöüß.-]+\.[A-Za-z]{2,}(:\d{1,5})?([/?#]\S*)?$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()/.\-]*[0-9]$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def check_email(value: str) -> str:
    """An e-mail address of an institution (``info@traeger.de``)."""
    if not _EMAIL.match(value):
        raise PydanticCustomError(
            "email_format",
            "E-Mail-Adresse '{value}' ist ungültig: erwartet wird z. B. info@traeger.de. "
            "Bitte die Adresse der Einrichtung eintragen, keine persönliche.",
            {"value": value})
    return value


def check_url(value: str) -> str:
    """A web address; ``www.…`` without scheme gets ``https://``."""
    text = value
    if text.lower().startswith("www."):
        text = "https://" + text
    if not _URL.match(text):
        raise PydanticCustomError(
            "url_format",
            "Webadresse '{value}' ist ungültig: erwartet wird z. B. "
            "https://www.traeger.de/angebot (ohne Leerzeichen).",
            {"value": value})
    return text


def check_phone(value: str) -> str:
    """A phone number as people write it: digits, spaces, ``+ / - ( ) .``."""
    digits = sum(ch.isdigit() for ch in value)
    if not _PHONE.match(value) or not 3 <= digits <= 20:
        raise PydanticCustomError(
            "phone_format",
            "Telefonnummer '{value}' ist ungültig: erlaubt sind Ziffern, Leerzeichen und "
            "+ / - ( ), z. B. 0231 50-12345 oder +49 231 5012345.",
            {"value": value})
    return value


def _no_control(value: Any) -> Any:
    if isinstance(value, str) and _CONTROL.search(value.replace("\n", "")):
        raise PydanticCustomError(
            "control_character",
            "Der Text enthält ein unsichtbares Steuerzeichen; bitte neu eintippen.")
    return value


_Short = StringConstraints(strip_whitespace=True, min_length=1, max_length=300)


class ProviderContact(BaseModel):
    """How partners reach a provider (Träger): its web site, central e-mail and phone –
    the institution's channels only, never a person's."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    url: Annotated[str, _Short, AfterValidator(check_url)] | None = None
    email: Annotated[str, _Short, AfterValidator(check_email)] | None = None
    phone: Annotated[str, _Short, AfterValidator(check_phone)] | None = None

    def is_empty(self) -> bool:
        """Whether no field is filled in.

        >>> Contact().is_empty(), Contact(phone="0231 1234").is_empty()
        (True, False)
        """
        return all(getattr(self, name) is None for name in type(self).model_fields)


class Contact(ProviderContact):
    """How families and partners reach a service or a site: the institution's channels
    only, and its opening hours."""

    opening_hours: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                    max_length=500),
                             AfterValidator(_no_control)] | None = None


def _none_if_empty(value: Any) -> Any:
    return None if value is None or value.is_empty() else value


OptionalContact = Annotated[Contact | None, AfterValidator(_none_if_empty)]
"""A service's or site's contact data; an empty one (``contact: {}``) is the same as none."""

OptionalProviderContact = Annotated[ProviderContact | None, AfterValidator(_none_if_empty)]
"""A provider's contact data (web, e-mail, phone); empty is the same as none."""
