"""The public site in Welsh: a reader chooses Cymraeg with the switch (a form, no JavaScript), comes back to
the same page and reads it, and every public page after it, in Welsh, with dates in Welsh; English stays the
default, and staff pages stay in English whatever the reader chose."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.test import Client

from joinedup.core.models import Area, User
from joinedup.core.roles import Role
from joinedup.core.testing import choose_language

WELSH_MONTHS = (
    *("Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin"),
    *("Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"),
)


def welsh_date(day: date) -> str:
    return f"{day.day} {WELSH_MONTHS[day.month - 1]} {day.year}"


def welsh_reader(page: str = "/") -> Client:
    client = Client(enforce_csrf_checks=True)
    response = choose_language(client, page, "cy")
    assert response.status_code == 302 and response["Location"] == page
    return client


def test_english_is_the_default_and_the_switch_offers_welsh(db: Any) -> None:
    response = Client().get("/")
    page = response.content.decode()
    assert '<html lang="en-GB"' in page
    assert "Skip to main content" in page and "Find your area" in page and "Staff sign in" in page
    assert "Neidio i’r prif gynnwys" not in page
    # The switch: the current language said, the other one a button marked as Welsh.
    assert '<span lang="en-GB" aria-current="true">English</span>' in page
    assert 'name="language" value="cy" lang="cy">Cymraeg</button>' in page
    assert response["Content-Language"] == "en-gb"
    # A browser asking for Welsh still gets English until its reader chooses.
    assert '<html lang="en-GB"' in Client().get("/", HTTP_ACCEPT_LANGUAGE="cy").content.decode()


def test_a_reader_chooses_welsh_and_reads_the_home_page_and_your_area_in_welsh(
    areas: dict[str, Area],
) -> None:
    reader = welsh_reader("/your-area/?q=testsh")  # back to the same search, with its query
    search = reader.get("/your-area/?q=testsh")
    page = search.content.decode()
    assert search["Content-Language"] == "cy"
    assert '<html lang="cy"' in page
    assert "Neidio i’r prif gynnwys" in page  # the skip link
    assert "Mae hwn yn wasanaeth newydd" in page  # the phase banner
    assert "Dod o hyd i’ch ardal" in page and ">Chwilio</button>" in page
    assert "3 lle sy’n cyfateb i “testsh”" in page
    assert "(ardal heddlu)" in page and "(partneriaeth diogelwch cymunedol)" in page
    assert "Find your area" not in page and "Skip to main content" not in page
    # The switch now offers English, marked as English.
    assert 'name="language" value="en-gb" lang="en-GB">English</button>' in page
    assert '<span lang="cy" aria-current="true">Cymraeg</span>' in page

    home = reader.get("/").content.decode()
    assert '<html lang="cy"' in home
    for welsh in ("Eich ardal", "Beth allwch chi ddod o hyd iddo yma", "Mewngofnodi staff", "Hygyrchedd"):
        assert welsh in home, welsh
    assert "What you can find here" not in home

    area = reader.get("/your-area/E22000901/").content.decode()
    assert "<title>North Testshire: eich ardal " in area
    for welsh in (
        "Troseddau ac ymddygiad gwrthgymdeithasol a gofnodwyd",
        "Dweud eich dweud",
        "Partneriaethau sy’n gweithio yma",
        "Grantiau a ddyfarnwyd yma",
        "Dod o hyd i ardal arall",
    ):
        assert welsh in area, welsh
    assert "Have your say" not in area

    nothing = reader.get("/your-area/?q=Atlantis").content.decode()
    assert (
        "Nid oes ardal cyngor, partneriaeth diogelwch cymunedol nac ardal heddlu o’r enw “Atlantis”"
        in nothing
    )


def test_the_switch_goes_back_to_english_on_the_same_page(areas: dict[str, Area]) -> None:
    reader = welsh_reader("/your-area/E22000901/")
    assert '<html lang="cy"' in reader.get("/your-area/E22000901/").content.decode()
    back = choose_language(reader, "/your-area/E22000901/", "en-gb")
    assert back.status_code == 302 and back["Location"] == "/your-area/E22000901/"
    page = reader.get("/your-area/E22000901/").content.decode()
    assert '<html lang="en-GB"' in page and "Have your say" in page and "Dweud eich dweud" not in page


def test_the_switch_never_sends_a_reader_to_another_site(db: Any) -> None:
    client = Client()
    response = client.post("/language/", {"language": "cy", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    # An unknown language changes nothing.
    client.post("/language/", {"language": "xx", "next": "/"})
    assert '<html lang="cy"' in client.get("/").content.decode()


def test_staff_pages_stay_in_english_for_a_reader_who_chose_welsh(users: dict[Role, User]) -> None:
    reader = welsh_reader("/")
    reader.force_login(users[Role.OPCC_OFFICER])
    staff = reader.get("/staff/")
    page = staff.content.decode()
    assert staff.status_code == 200
    assert '<html lang="en-GB"' in page and "Skip to main content" in page
    assert "Neidio i’r prif gynnwys" not in page and "ju-language-switch" not in page
    assert "Content-Language" not in staff
    # The public site is still in Welsh for them.
    assert '<html lang="cy"' in reader.get("/").content.decode()


def test_the_case_review_statistics_csp_pages_and_plan_progress_read_in_welsh(db: Any) -> None:
    reader = welsh_reader("/asb-case-reviews/")
    statistics = reader.get("/asb-case-reviews/").content.decode()
    assert "Adolygiadau achos ymddygiad gwrthgymdeithasol" in statistics
    assert (
        "Gwneud cais am adolygiad achos" in statistics
        and "(a elwir weithiau’n sbardun cymunedol)" in statistics
    )
    csps = reader.get("/csp/").content.decode()
    assert "Partneriaethau diogelwch cymunedol: blaenoriaethau a chyfarfodydd cyhoeddus" in csps
    progress = reader.get("/plan-progress/").content.decode()
    assert "Cynnydd yn erbyn y cynlluniau" in progress and "Progress against the plans" not in progress


def test_a_public_page_not_yet_in_welsh_says_its_content_is_english(db: Any) -> None:
    reader = welsh_reader("/grants/")
    page = reader.get("/grants/").content.decode()
    assert '<html lang="cy"' in page and "Neidio i’r prif gynnwys" in page  # the layout is in Welsh
    assert '<main class="govuk-main-wrapper" id="main-content" lang="en-GB">' in page  # its content is not
    translated = reader.get("/consultations/").content.decode()
    assert '<main class="govuk-main-wrapper" id="main-content">' in translated
