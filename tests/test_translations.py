"""The translation check: every shipped catalogue is complete and correct for the strings extracted afresh
with babel.cfg, and no interface string in the templates or in campaign/ escapes translation.

To fix a failure: `make translations`, then `translations/worklist.py list LANGUAGE` and `apply`.
"""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from flask_babel import force_locale, gettext, ngettext
from jinja2 import Environment

from config import Config

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
#: The languages the product ships besides English, the language of the source (issue 15).
SHIPPED_LANGUAGES = ("zh", "ru", "kk", "es", "fr", "ar")
#: Plural forms where we differ from CLDR's: a Kazakh noun after a numeral stays singular ("5 әрекет"),
#: so Kazakh has one form, as the GNOME and Launchpad Kazakh teams set it. The others follow CLDR.
PLURAL_FORMS = {"kk": 1}

#: ``%(name)s``, ``%(num)d``, ``%%`` and ``{name}``: what msgid and msgstr must share.
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%%|\{(\w*)\}")
LETTERS = re.compile(r"[^\W\d_]{2,}")
#: Words in the templates that are not translated: codes read the same in every language.
UNTRANSLATED_WORDS = {
    "UTC",  # the time zone's code, written so in every language
    "tel",  # the URL scheme of a phone link
    "lang",  # attribute names a macro writes into its caller's tag (figures' words in another language)
    "dir",
}
#: Attributes a person reads or hears; ``value`` only on buttons, where it is the button's text.
READ_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description"}
MARKING_FUNCTIONS = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext", "pgettext", "npgettext"}


def shipped_languages() -> list[str]:
    present = {path.parent.parent.name for path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")}
    return sorted((set(SHIPPED_LANGUAGES) | present | set(Config.LANGUAGES)) - {"en"})


def _not_hidden(path: str) -> bool:
    """Babel skips folders starting with "_" by default: templates/_macros must be read (make translations too)."""
    return not Path(path).name.startswith(".") and Path(path).name != "__pycache__"


@pytest.fixture(scope="module")
def template() -> Catalog:
    """The strings of the code as it is now, extracted as `make translations` does."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, "babel.cfg")
    catalog = Catalog(domain="messages")
    found = extract_from_dir(ROOT, method_map, options_map, directory_filter=_not_hidden)
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def read_catalog(language: str) -> Catalog:
    path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        pytest.fail(f"translations/{language} has no catalogue: pybabel init -l {language}, then translate it")
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def existing_catalog(language: str) -> Catalog:
    """The catalogue, for the checks beyond completeness; a missing one fails the completeness test only."""
    if not (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").exists():
        pytest.skip(f"translations/{language} has no catalogue (test_every_extracted_message_... fails on it)")
    return read_catalog(language)


def forms(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.id, (list, tuple)) else (message.string,)


def ids(message: Message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, (list, tuple)) else (message.id,)


def placeholders(text: str) -> set[str]:
    return {match.group(0) if match.group(0) == "%%" else match.group(1) or match.group(2) or "{}"
            for match in PLACEHOLDER.finditer(text)}  # fmt: skip


def test_extraction_reads_every_file_that_marks_strings(template: Catalog) -> None:
    read = {path for message in template for path, _line in message.locations}
    marking = re.compile(r"\b(?:_|_l|gettext|ngettext|lazy_gettext)\(")
    sources = [
        *(ROOT / "campaign").rglob("*.py"),
        *(ROOT / "templates").rglob("*.html"),
        *(ROOT / "templates").rglob("*.txt"),
    ]

    unread = [
        str(path.relative_to(ROOT))
        for path in sources
        if marking.search(path.read_text(encoding="utf-8")) and str(path.relative_to(ROOT)) not in read
    ]

    assert not unread, f"babel.cfg misses these files: {unread}"


@pytest.mark.parametrize("language", shipped_languages())
def test_every_extracted_message_is_translated_and_not_fuzzy(template: Catalog, language: str) -> None:
    catalog = read_catalog(language)

    missing = [message.id for message in template if message.id and catalog.get(message.id) is None]
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]
    untranslated = [message.id for message in catalog if message.id and not message.fuzzy and not all(forms(message))]

    assert not missing, f"{len(missing)} messages missing in {language} (make translations): {missing[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy messages in {language}: {fuzzy[:10]}"
    assert not untranslated, f"{len(untranslated)} untranslated messages in {language}: {untranslated[:10]}"


@pytest.mark.parametrize("language", shipped_languages())
def test_translations_keep_exactly_the_placeholders_of_their_message(language: str) -> None:
    catalog = existing_catalog(language)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        expected = set().union(*(placeholders(text) for text in ids(message)))
        for translation in forms(message):
            if not translation:
                continue
            found = placeholders(translation)
            stray_percent = message.python_format and "%" in PLACEHOLDER.sub("", translation)
            if found != expected or stray_percent:
                wrong.append((message.id, translation))

    assert not wrong, f"placeholders differ from the message in {language}: {wrong[:5]}"


@pytest.mark.parametrize("language", shipped_languages())
def test_catalogue_declares_its_language_and_plural_forms(language: str) -> None:
    catalog = existing_catalog(language)
    expected_forms = PLURAL_FORMS.get(language, get_plural(language).num_plurals)

    assert str(catalog.locale) == language
    assert catalog.num_plurals == expected_forms
    wrong = [message.id for message in catalog if message.id and message.pluralizable]
    wrong = [message_id for message_id in wrong if len(catalog.get(message_id).string) != expected_forms]
    assert not wrong, f"plural messages without {expected_forms} forms in {language}: {wrong}"


def test_russian_plurals_follow_the_three_forms_of_russian_numbers(app) -> None:
    with app.test_request_context(), force_locale("ru"):
        forms_by_number = {
            number: ngettext("%(num)s action taken", "%(num)s actions taken", number) for number in (1, 3, 5, 21)
        }

    assert forms_by_number[1] != forms_by_number[3] != forms_by_number[5]
    assert forms_by_number[21].replace("21", "1") == forms_by_number[1]


@pytest.mark.parametrize("language", [language for language in shipped_languages() if language != "en"])
def test_the_app_serves_each_complete_catalogue(app, language: str) -> None:
    """The compiled catalogue is the one the app loads (tests/conftest.py compiles a stale .mo, as make install)."""
    catalog = existing_catalog(language)
    if catalog.get("Take action") is None or not catalog.get("Take action").string:
        pytest.fail(f"{language} has no translation of 'Take action'")
    with app.test_request_context(), force_locale(language):
        served = gettext("Take action")

    assert served == catalog.get("Take action").string


class _InterfaceText(HTMLParser):
    """Collects the text a reader sees or hears in an HTML template whose Jinja parts were blanked out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        attributes = dict(attrs)
        is_button = tag == "button" or attributes.get("type") in ("submit", "button", "reset")
        for name, value in attrs:
            read = name in READ_ATTRIBUTES or (name == "value" and is_button)
            shown_by_script = name.startswith("data-") and name.endswith("-text")
            if value and (read or shown_by_script):
                self._keep(f"{tag}[{name}]: {value}", value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._keep(" ".join(data.split()), data)

    def _keep(self, label: str, text: str) -> None:
        if any(word not in UNTRANSLATED_WORDS for word in LETTERS.findall(text)):
            self.found.append((self.getpos()[0], label))


def _reads_as_text(literal: str) -> bool:
    """A string literal inside Jinja that is interface text: words and spaces, or one capitalised word."""
    return bool(re.search(r"[^\W\d_]{2,}\s+[^\W\d_]{2,}", literal) or re.fullmatch(r"[A-Z][a-z]+[.:!?]?", literal))


def unmarked_template_text(source: str, *, is_html: bool = True) -> list[tuple[int, str]]:
    """Lines and texts of a template that a reader would see untranslated: text nodes, read attributes and
    string literals inside Jinja, outside ``_()``/``gettext()``/``ngettext()``."""
    environment = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    blanked: list[str] = []
    found: list[tuple[int, str]] = []
    calls: list[str | None] = []
    previous: tuple[str, str] | None = None
    line = 1
    for lineno, token, value in environment.lexer.tokeniter(source, "template"):
        blanked.append("\n" * max(0, lineno - line))
        line = max(line, lineno) + value.count("\n")
        if token == "data":
            blanked.append(value)
        else:
            if token in ("variable_begin", "block_begin"):
                blanked.append("0")
            blanked.append("\n" * value.count("\n"))
        if token == "operator" and value in "([{":
            calls.append(previous[1] if previous and previous[0] == "name" else None)
        elif token == "operator" and value in ")]}" and calls:
            calls.pop()
        elif token == "string" and not (calls and calls[-1] in MARKING_FUNCTIONS) and _reads_as_text(value[1:-1]):
            found.append((lineno, f"literal: {value}"))
        if token not in ("whitespace",):
            previous = (token, value)
    text = "".join(blanked)
    if is_html:
        parser = _InterfaceText()
        parser.feed(re.sub(r"<(/?)0", r"<\1x0", text))
        found += parser.found
    else:
        for number, text_line in enumerate(text.splitlines(), start=1):
            if any(word not in UNTRANSLATED_WORDS for word in LETTERS.findall(text_line)):
                found.append((number, text_line.strip()))
    return sorted(found)


def test_the_template_scan_finds_text_outside_translation() -> None:
    source = (
        '<h1>{{ _("Take action") }}</h1>\n<p>Read what happened</p>\n<a title="Close" href="/">{{ _("x") }}</a>\n'
        '<button value="Send" type="submit" data-sending-text="Sending…">{{ _("Send") }}</button>\n'
        '{{ field(form.name, hint="Your full name") }} {{ url_for("cases.index") }} {{ _("%(n)s", n="5") }}\n'
        '<img alt="{{ _(\'Map\') }}" src="x.png"> {{ when }} UTC\n'
    )

    found = unmarked_template_text(source)

    assert [line for line, _text in found] == [2, 3, 4, 4, 5]
    assert unmarked_template_text("Dear {{ name }},\n{{ _('Thank you') }}\n", is_html=False) == [(1, "Dear 0,")]


def test_no_template_shows_text_outside_translation() -> None:
    unmarked = [
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for path in sorted((ROOT / "templates").rglob("*"))
        if path.suffix in (".html", ".txt")
        for line, text in unmarked_template_text(path.read_text(encoding="utf-8"), is_html=path.suffix == ".html")
    ]

    assert not unmarked, "mark these for translation:\n" + "\n".join(unmarked)


def _calls_showing_text(tree: ast.AST):
    """Calls whose string arguments reach a person: flash messages, form fields' labels and descriptions,
    validation errors, and the refusals and invalid-input errors that views flash."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        # pydantic's Field(description=...) documents the JSON API, which is written in English.
        if name in ("flash", "ValidationError") or (name != "Field" and name.endswith(("Field", "Refused", "Invalid"))):
            yield from node.args[:1]
            yield from (keyword.value for keyword in node.keywords if keyword.arg in ("label", "description"))
        yield from (keyword.value for keyword in node.keywords if keyword.arg == "message")


def _unmarked_literals(argument: ast.AST):
    if isinstance(argument, ast.Call) and getattr(argument.func, "id", "") in MARKING_FUNCTIONS:
        return
    if isinstance(argument, ast.JoinedStr):
        words = "".join(part.value for part in argument.values if isinstance(part, ast.Constant))
        if LETTERS.search(words):
            yield argument.lineno, ast.unparse(argument)
        return
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        if re.search(r"[^\W\d_]{2,}\s+[^\W\d_]{2,}", argument.value) or re.fullmatch(r"[A-Z]\w+", argument.value):
            yield argument.lineno, argument.value
        return
    if isinstance(argument, ast.Dict):
        children = [value for value in argument.values if value is not None]
    else:
        children = list(ast.iter_child_nodes(argument))
    for child in children:
        yield from _unmarked_literals(child)


def unmarked_python_text(source: str) -> list[tuple[int, str]]:
    return sorted(
        found for argument in _calls_showing_text(ast.parse(source)) for found in _unmarked_literals(argument)
    )


def test_the_python_scan_finds_flash_messages_labels_and_refusals_outside_translation() -> None:
    source = (
        'flash("Case saved.")\nflash(_("Case saved."))\nStringField("Headline", description=_l("One line"))\n'
        'raise CaseChangeRefused(f"Add {what} first")\nraise ReportInvalid({"held_on": "Not in the future."})\n'
        'raise ReportInvalid({"held_on": _("Not in the future.")})\nflash(str(error))\n'
    )

    assert [line for line, _text in unmarked_python_text(source)] == [1, 3, 4, 5]


def test_flash_messages_form_labels_and_refusals_in_campaign_are_marked() -> None:
    unmarked = [
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for path in sorted((ROOT / "campaign").rglob("*.py"))
        for line, text in unmarked_python_text(path.read_text(encoding="utf-8"))
    ]

    assert not unmarked, "mark these for translation:\n" + "\n".join(unmarked)
