"""Which language a page is in: ?lang, the remembered choice, Accept-Language; the switcher; links keep ?lang."""

from __future__ import annotations

import re

import pytest

from campaign.countries import country_choices

LANGUAGE_COOKIE = "uat_lang"


def html_tag(page: str) -> str:
    return re.search(r"<html[^>]*>", page).group(0)


def test_accept_language_chooses_the_language_by_default(client, make_case):
    case = make_case()
    page = client.get(f"/cases/{case.slug}", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    assert html_tag(page.get_data(as_text=True)) == '<html lang="ru">'
    assert LANGUAGE_COOKIE not in page.headers.get("Set-Cookie", "")
    assert "Accept-Language" in page.headers["Vary"]


def test_the_api_answers_in_accept_language_ignores_the_language_cookie_and_keeps_no_session(client):
    client.set_cookie(LANGUAGE_COOKIE, "ru")
    client.set_cookie("uat_visit", "not-a-signed-session")
    answer = client.get("/api/v1/cases/no-such-case", headers={"Accept-Language": "fr"})
    russian = client.get("/api/v1/cases/no-such-case", headers={"Accept-Language": "ru"})

    assert answer.status_code == 404
    assert answer.get_json()["error"]["message"] != russian.get_json()["error"]["message"]
    assert [value.strip() for value in answer.headers["Vary"].split(",")] == ["Accept-Language"]
    assert "Set-Cookie" not in answer.headers


@pytest.mark.parametrize(
    ("asked", "lang", "rtl"),
    [("ar", "ar", True), ("zh-Hans", "zh", False), ("kk", "kk", False), ("es", "es", False), ("fr", "fr", False)],
)
def test_lang_in_the_address_sets_html_lang_and_direction(client, make_case, asked, lang, rtl):
    case = make_case()
    page = client.get(f"/cases/{case.slug}?lang={asked}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert html_tag(page) == f'<html lang="{lang}"' + (' dir="rtl"' if rtl else "") + ">"


def test_a_chosen_language_is_remembered_in_a_cookie_and_used_without_lang(client, make_case):
    case = make_case()
    chosen = client.get(f"/cases/{case.slug}?lang=kk", headers={"Accept-Language": "en"})
    cookie = chosen.headers["Set-Cookie"]
    assert cookie.startswith(f"{LANGUAGE_COOKIE}=kk;")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie

    later = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert html_tag(later) == '<html lang="kk">'


def test_an_unknown_lang_is_ignored_and_nothing_is_remembered(client, make_case):
    case = make_case()
    page = client.get(f"/cases/{case.slug}?lang=xx-<script>", headers={"Accept-Language": "fr"})
    assert page.status_code == 200
    assert html_tag(page.get_data(as_text=True)) == '<html lang="fr">'
    assert LANGUAGE_COOKIE not in page.headers.get("Set-Cookie", "")


def test_every_page_has_a_switcher_of_plain_links_to_itself_in_each_language(client, make_case):
    case = make_case()
    page = client.get(f"/cases/{case.slug}?group=school-12&lang=ar").get_data(as_text=True)
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', page, re.S).group(0)
    links = re.findall(r'<a class="language-switcher__link" href="([^"]+)" lang="([^"]+)"', switcher)
    assert [lang for _, lang in links] == ["en", "zh", "ru", "kk", "es", "fr", "ar"]
    assert all(href.startswith(f"/cases/{case.slug}?group=school-12&amp;lang=") for href, _ in links)
    assert re.search(r'lang="ar" hreflang="ar" aria-current="true">العربية</a>', switcher)
    assert ">中文</a>" in switcher and ">Қазақ тілі</a>" in switcher

    login = client.get("/console/login?lang=ru").get_data(as_text=True)
    assert 'class="language-switcher"' in login and html_tag(login) == '<html lang="ru">'


def test_links_on_a_page_opened_with_lang_keep_it(client, make_case):
    case = make_case()
    page = client.get(f"/cases/{case.slug}?lang=zh").get_data(as_text=True)
    assert f'action="/cases/{case.slug}/report?lang=zh"' in page
    assert 'href="/?lang=zh"' in page
    assert f'href="/cases/{case.slug}/figures?lang=zh"' in page
    assert "/static/css/site.css?lang" not in page

    plain = client.get(f"/cases/{case.slug}", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert f'action="/cases/{case.slug}/report"' in plain


def test_the_json_api_sets_no_language_cookie(client, make_case):
    case = make_case()
    answer = client.get(f"/api/v1/cases/{case.slug}?lang=zh")
    assert answer.status_code == 200
    assert "Set-Cookie" not in answer.headers


def test_country_names_come_from_cldr_in_the_pages_language(client, make_case):
    case = make_case()
    kazakh = client.get(f"/cases/{case.slug}?lang=kk").get_data(as_text=True)
    assert '<option value="KZ">Қазақстан</option>' in kazakh
    chinese = client.get(f"/cases/{case.slug}?lang=zh").get_data(as_text=True)
    assert '<option value="KZ">哈萨克斯坦</option>' in chinese
    arabic = client.get(f"/cases/{case.slug}?lang=ar").get_data(as_text=True)
    assert '<option value="KZ">كازاخستان</option>' in arabic


def names(locale: str) -> list[str]:
    return [name for _, name in country_choices(locale=locale)]


def test_country_list_is_sorted_as_a_reader_of_the_language_expects(app):
    with app.app_context():
        kazakh = names("kk")
        # Kazakh's own letters sit beside their base letters: Ә after А, Қ after К, Ө after О, Ү after У.
        assert kazakh.index("Әзірбайжан") < kazakh.index("Бангладеш")
        assert kazakh.index("Канада") < kazakh.index("Қазақстан") < kazakh.index("Лаос")
        # Chinese readers look names up in pinyin order: 阿 (a) first, 中 (zhong) near the end.
        chinese = names("zh")
        assert chinese[0].startswith("阿")
        assert chinese.index("哈萨克斯坦") < chinese.index("美国") < chinese.index("中国")
        # Spanish: Ñ after N, accented letters with their base letters, not after Z.
        spanish = names("es")
        assert spanish.index("Egipto") < spanish.index("El Salvador") < spanish.index("Emiratos Árabes Unidos")
        assert spanish.index("Austria") < spanish.index("Azerbaiyán") < spanish.index("Bahamas")
        french = names("fr")
        assert french.index("Égypte") < french.index("Équateur") < french.index("Érythrée") < french.index("Espagne")
