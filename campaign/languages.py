"""The languages the product speaks: which one a request is answered in, and keeping a visitor's choice.

The language comes from ``?lang=`` on the address, else the visitor's remembered choice (a plain
cookie holding a language code: a preference, not a session, so no visitor gets a server-side
session for it), else the browser's Accept-Language, else the default. A page opened with
``?lang=`` keeps it in every link it makes, so a shared link opens in the language it was shared in.
The JSON API answers in no language of its own and sets no cookie.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from urllib.parse import urlencode

from babel import Locale
from flask import Flask, Response, current_app, has_request_context, request
from flask_babel import get_locale

from campaign.accounts.sessions import serves_api

#: A year: a visitor who chose a language keeps it.
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600


def shipped_languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def default_language() -> str:
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def shipped_language(code: str | None) -> str | None:
    """The shipped language a BCP 47 code reads as ("zh-Hans" → "zh", "kk-KZ" → "kk"); None when none."""
    if not code or len(code) > 35:
        return None
    normalised = code.strip().replace("_", "-").lower()
    languages = shipped_languages()
    if normalised in languages:
        return normalised
    aliased = current_app.config.get("LANGUAGE_ALIASES", {}).get(normalised)
    if aliased in languages:
        return aliased
    base = normalised.split("-")[0]
    return base if base in languages else None


def requested_language() -> str | None:
    """The shipped language this request's ``?lang=`` names, if it names one."""
    if not has_request_context():
        return None
    return shipped_language(request.args.get("lang"))


def select_locale() -> str:
    """The language of this request (Flask-Babel's locale selector)."""
    if not has_request_context():
        return default_language()
    requested = requested_language()
    if requested:
        return requested
    if not serves_api(request.path):
        remembered = shipped_language(request.cookies.get(current_app.config["LANGUAGE_COOKIE"]))
        if remembered:
            return remembered
    return request.accept_languages.best_match(shipped_languages()) or default_language()


def text_direction(language: object = None) -> str:
    """ "rtl" for a language written right to left, else "ltr"; the page's language by default."""
    code = shipped_language(str(language if language is not None else get_locale()))
    return "rtl" if code in current_app.config["RTL_LANGUAGES"] else "ltr"


def html_lang(language: object = None) -> str:
    """The ``lang`` attribute for a language, the page's by default (BCP 47: a hyphen, never an underscore)."""
    return str(language if language is not None else get_locale()).replace("_", "-")


@cache
def language_name(code: str) -> str:
    """A language's name in that language (CLDR), as a reader of it looks for it in a list."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    href: str
    is_current: bool


def language_links() -> list[LanguageLink]:
    """This page in every shipped language: the same address and query, another ``lang``."""
    if not has_request_context():
        return []
    current = str(get_locale())
    query = [(name, value) for name, value in request.args.items(multi=True) if name != "lang"]
    return [
        LanguageLink(
            code=code,
            name=language_name(code),
            href=f"{request.path}?{urlencode([*query, ('lang', code)])}",
            is_current=code == current,
        )
        for code in shipped_languages()
    ]


def remember_chosen_language(response: Response) -> Response:
    """A page opened with ``?lang=`` remembers the choice in a cookie (never for the JSON API or static files).

    The JSON API answers in the language of ``Accept-Language`` (or ``?lang=``) and never reads the cookie.
    """
    if serves_api(request.path):
        response.vary.add("Accept-Language")
        return response
    chosen = requested_language()
    cookie = current_app.config["LANGUAGE_COOKIE"]
    if chosen and request.endpoint != "static" and request.cookies.get(cookie) != chosen:
        response.set_cookie(
            cookie,
            chosen,
            max_age=LANGUAGE_COOKIE_SECONDS,
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
            httponly=True,
            samesite="Lax",
        )
    response.vary.update(("Accept-Language", "Cookie"))
    return response


def keep_language_in_links(endpoint: str, values: dict) -> None:
    """Links made on a page opened with ``?lang=`` carry it, so a shared link keeps its language."""
    if "lang" in values or endpoint == "static" or not has_request_context() or serves_api(request.path):
        return
    requested = requested_language()
    if requested and not endpoint.startswith("api"):
        values["lang"] = requested


def init_app(app: Flask) -> None:
    app.url_defaults(keep_language_in_links)
    app.after_request(remember_chosen_language)
    app.jinja_env.globals.update(
        text_direction=text_direction,
        html_lang=html_lang,
        language_links=language_links,
    )
