"""The public site in Welsh: a reader chooses Cymraeg with the switch (a form, no JavaScript), comes back to
the same page and reads it, and every public page after it, in Welsh, with dates in Welsh; English stays the
default, and staff pages stay in English whatever the reader chose."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

from django.test import Client

from joinedup.core.models import Area, User
from joinedup.core.roles import Role
from joinedup.core.testing import choose_language
from joinedup.engagement.tests import test_consultations, test_meetings
from joinedup.performance.tests import test_police_measures, test_services, test_small_counts
from joinedup.portal.tests import test_your_area

# Fixtures of the pages' own tests: a published consultation, a neighbourhood meeting open for votes, and a
# Police and Crime Plan measured by casework figures.
survey = test_consultations.survey
meeting = test_meetings.meeting
casework = test_small_counts.casework
police_data = test_your_area.police_data  # street crime for North Testshire
# A Police and Crime Plan with police measures over a store with 2022-05 and 2023-09 never published.
setting = test_services.setting
places = test_police_measures.places

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
        "Nid oes ward, ardal cyngor, partneriaeth diogelwch cymunedol nac ardal heddlu o’r enw “Atlantis”"
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


def test_a_form_refused_for_its_csrf_token_says_what_to_do_in_the_readers_language(db: Any) -> None:
    """Django's CSRF failure page was English and unstyled: the site's own page, still 403, tells the reader
    to go back, reload and try again, in Welsh for a Welsh reader and in English on staff pages."""
    reader = welsh_reader("/asb-case-reviews/apply/")
    reader.cookies.pop("csrftoken", None)  # a page open so long its token has gone, or cookies refused
    refused = reader.post("/asb-case-reviews/apply/", {"name": "Alex"})
    page = refused.content.decode()
    assert refused.status_code == 403
    assert '<html lang="cy"' in page and "ju-language-switch" in page  # the public layout
    assert '<h1 class="govuk-heading-l">Nid oedd modd anfon eich ffurflen</h1>' in page
    assert "Ewch yn ôl i’r dudalen, ail-lwythwch hi, yna rhowch gynnig arall arni." in page
    assert not english_left(page, catalogue_english()) and "CSRF" not in page

    english = Client(enforce_csrf_checks=True).post("/asb-case-reviews/apply/", {"name": "Alex"})
    assert (
        english.status_code == 403
        and "Go back to the page, reload it, then try again." in english.content.decode()
    )
    staff = reader.post("/staff/sign-in/", {"username": "someone@example.org"})
    assert staff.status_code == 403
    assert (
        '<html lang="en-GB"' in staff.content.decode()
        and "Your form could not be sent" in staff.content.decode()
    )


class _Links(HTMLParser):
    """Each link's accessible name (its text) by its address."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href, self._text = dict(attrs).get("href") or "", []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.names.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def test_places_of_the_same_name_have_links_named_apart_in_both_languages(areas: dict[str, Area]) -> None:
    """A district and its CSP often share a name ("Newcastle upon Tyne"): each result link says which it is."""
    from joinedup.core.models import AreaLevel
    from joinedup.core.tests.factories import AreaFactory

    north = areas["north"]
    AreaFactory(
        code="E07000909",
        name="North Testshire",
        level=AreaLevel.LAD,
        parent=north,
        csp=north,
        pfa=areas["pfa"],
    )

    def links(client: Client) -> dict[str, str]:
        parser = _Links()
        parser.feed(client.get("/your-area/?q=North%20Testshire").content.decode())
        return {href: name for href, name in parser.names if href.startswith("/your-area/E")}

    assert links(Client()) == {
        "/your-area/E22000901/": "North Testshire (community safety partnership)",
        "/your-area/E07000909/": "North Testshire (local authority district)",
    }
    assert links(welsh_reader("/your-area/")) == {
        "/your-area/E22000901/": "North Testshire (partneriaeth diogelwch cymunedol)",
        "/your-area/E07000909/": "North Testshire (dosbarth awdurdod lleol)",
    }


def test_the_area_page_names_crime_types_and_changes_in_welsh(police_data: None) -> None:
    """The crime types are data.police.uk's (English in the store and the downloads); the page names them in
    the reader's language."""
    reader = welsh_reader("/your-area/E22000901/")
    page = read_in_welsh(reader, "/your-area/E22000901/", catalogue_english())
    for welsh in ("Byrgleriaeth", "Dwyn o siopau", "Lladrad", "(dim newid arwyddocaol)"):
        assert welsh in page, welsh
    for english in (">Burglary<", ">Shoplifting<", "no significant change"):
        assert english not in page, english
    csv_file = b"".join(reader.get("/your-area/E22000901/crime.csv").streaming_content).decode("utf-8-sig")
    assert "Burglary" in csv_file  # the data as published
    assert ">Burglary<" in Client().get("/your-area/E22000901/").content.decode()


# --- every public page, in Welsh, with nothing left from the catalogue in English ------------------------

# Addresses of the public URL conf that are not pages: downloads, a health check, the switch itself, and
# the applicant's own uploads and sign-out (a form's action).
NOT_PAGES = {
    "portal:area-figures",
    "portal:healthz",
    "portal:language",
    "public-partnerships:export-csv",
    "public-partnerships:export-json",
    "public-engagement:results-csv",
    "public-performance:progress-csv",
    "public-funding:grants-json",
    "public-funding:grants-csv",
    "public-funding:applicant-sign-out",
    "public-funding:applicant-upload",
    "public-funding:applicant-document",
}
PUBLIC_NAMESPACES = (
    "portal",
    "public-partnerships",
    "public-csp",
    "public-engagement",
    "public-performance",
    "public-funding",
    "public-casework",
)


def public_pages() -> set[str]:
    """Every named page of the public URL conf ("namespace:name")."""
    from django.urls import get_resolver

    names = set()
    for entry in get_resolver().url_patterns:
        namespace = getattr(entry, "namespace", None)
        if namespace in PUBLIC_NAMESPACES:
            names |= {f"{namespace}:{p.name}" for p in entry.url_patterns if getattr(p, "name", None)}
    return names - NOT_PAGES


def catalogue_english() -> list[re.Pattern[str]]:
    """The English of the Welsh catalogue as a reader would see it: each msgid cut at its placeholders and
    markup into pieces of at least four letters (a single word only when it is the whole msgid), left out
    where the Welsh keeps the same words."""
    from joinedup.core.tests.test_welsh_catalogue import CATALOGUE, read_po

    pieces: set[str] = set()
    for key, welsh in read_po(CATALOGUE / "django.po").items():
        welsh_text = " ".join(welsh) if isinstance(welsh, list) else welsh
        for english in key if isinstance(key, tuple) else (key,):
            english = english.split("\x04")[-1]  # a msgid's context (pgettext) is not shown
            cut = re.split(r"%\(\w+\)s|<[^>]+>", english)
            for piece in (" ".join(piece.split()).strip(" .,:;()“”") for piece in cut):
                # One word alone counts only as a whole msgid ("Summary"), not as a cut piece ("What").
                words = len(piece.split()) >= 2 or len(cut) == 1
                if words and sum(ch.isalpha() for ch in piece) >= 4 and piece not in welsh_text:
                    pieces.add(piece)
    # A one-word label stands alone in its element ("Summary", "Status:"); longer English is found anywhere,
    # so that a question typed by staff ("What worries you most?") is not taken for the label "What".
    return [
        re.compile(rf"(?<!\w){re.escape(piece)}(?!\w)" if " " in piece else rf"^{re.escape(piece)}:?$", re.M)
        for piece in sorted(pieces)
    ]


class _Text(HTMLParser):
    """A page's text as read: every text node outside scripts and styles and outside the parts the page
    marks as English (`lang="en…"`), whitespace collapsed; the text of the parts marked English is kept in
    `english`, since a Welsh page may mark only the switch's "English" so."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[str] = []
        self.english: list[str] = []
        self._open: list[bool] = []  # for each open element: is its text left out?
        self._marked: list[bool] = []  # for each open element: is it, or one around it, marked English?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        english = any(k == "lang" and (v or "").startswith("en") for k, v in attrs) and tag != "html"
        self._open.append(tag in ("script", "style") or english or (bool(self._open) and self._open[-1]))
        self._marked.append(english or (bool(self._marked) and self._marked[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self._open:
            self._open.pop()
            self._marked.pop()

    def handle_data(self, data: str) -> None:
        if self._marked and self._marked[-1] and data.strip():
            self.english.append(" ".join(data.split()))
        if not (self._open and self._open[-1]) and data.strip():
            self.nodes.append(" ".join(data.split()))


def english_left(html: str, english: list[re.Pattern[str]]) -> list[str]:
    """The catalogue's English on the page, and any text the page marks as English but the switch's."""
    parser = _Text()
    parser.feed(html)
    text = "\n".join(parser.nodes)
    left = {found.group(0) for pattern in english for found in pattern.finditer(text)}
    return sorted(left | {f"(marked English) {marked}" for marked in parser.english if marked != "English"})


def read_in_welsh(reader: Client, url: str, english: list[re.Pattern[str]], status: int = 200) -> str:
    """The page at `url` as the Welsh reader gets it: in Welsh, marked as Welsh, no English from the
    catalogue anywhere on it, and no part of it marked as English."""
    response = reader.get(url)
    page = response.content.decode()
    assert response.status_code == status, (url, response.status_code)
    assert '<html lang="cy"' in page, url
    left = english_left(page, english)
    assert not left, f"{url} still shows English: {left}"
    return page


def _body(response: Any) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def csrf(reader: Client, url: str) -> str:
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', reader.get(url).content.decode())
    assert token is not None, url
    return token.group(1)


def test_every_public_page_reads_in_welsh_with_its_content(
    users: dict[Role, User],
    areas: dict[str, Area],
    survey: dict[str, Any],
    meeting: Any,
    casework: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Each page of the public URL conf, with records to show, read by a reader who chose Cymraeg."""
    from django.core import mail
    from django.urls import reverse

    from joinedup.casework.models import CaseReviewRequest
    from joinedup.core.tests.factories import OrganisationFactory
    from joinedup.csp.tests.factories import make_plan
    from joinedup.engagement import services as engagement
    from joinedup.engagement.models import Consultation
    from joinedup.funding import services as funding
    from joinedup.funding.models import RoundStatus
    from joinedup.funding.tests.helpers import make_application, make_fund, make_round
    from joinedup.partnerships.models import Status, Visibility
    from joinedup.partnerships.tests.factories import make_partnership
    from joinedup.performance.tests.test_small_counts import APR, AUG, JUL, SEP, _define, _recompute

    english = catalogue_english()
    assert len(english) > 300  # the catalogue is read: a broken reading would pass every page
    visited: set[str] = set()
    reader = welsh_reader("/")

    def visit(name: str, *args: Any, status: int = 200, query: str = "") -> str:
        visited.add(name)
        return read_in_welsh(reader, reverse(name, args=args) + query, english, status)

    # Records for every page: a partnership on the register, grants awarded and a round open to apply to,
    # a consultation and a neighbourhood meeting (fixtures), a plan's figures, a case review application.
    partnership = make_partnership(
        name="Testshire Reducing Reoffending Board", status=Status.ACTIVE, visibility=Visibility.PUBLIC
    )
    partnership.areas.set([areas["north"]])
    make_plan(csp=areas["north"]).priorities.create(title="Tackling anti-social behaviour", order=1)
    fund = make_fund(users, areas, name="Cronfa Cymunedau Mwy Diogel")  # a name as staff typed it
    awarded = make_round(users, fund)
    funding.decide_application(
        actor=users[Role.OPCC_ADMIN],
        application=make_application(users, awarded, "2500.50", "Street sport"),
        data={"outcome": "approve", "amount": "2500.50"},
    )
    open_round = make_round(users, fund)
    open_round.opens_on, open_round.closes_on = date.today(), date.today() + timedelta(days=30)
    open_round.status = RoundStatus.OPEN
    open_round.save()
    # Measures whose reasons take every turn: a count shown as "fewer than 3" and one moving the right way
    # since it (up is good, an amount); a percentage of 1 or 2 reports withheld, others missing a threshold
    # by more and less than a tenth (down is good); a target on a small baseline withheld; a partner's return
    # not sent.
    casework["table"].update(
        {
            APR: {"incidents": 4, "repeat_victim": 2, "eligible": 2, "actioned": 1},
            JUL: {"incidents": 9, "repeat_victim": 5, "eligible": 10, "actioned": 3},
            AUG: {"incidents": 8, "repeat_victim": 4, "eligible": 10, "actioned": 2},
            SEP: {"incidents": 8, "repeat_victim": 1, "eligible": 5, "actioned": 5},
        }
    )
    casework["baseline"].update({"incidents": 3, "repeat_victim": 2})
    _recompute(_define(casework))
    for changes in (
        {
            "name": "Slow responses",
            "unit": "percent",
            "casework_measure": "actioned_48h",
            "direction": "down",
            "target_kind": "threshold",
            "target_value": Decimal("28"),
        },
        {
            "name": "Repeat victims against the baseline",
            "target_kind": "change",
            "target_value": Decimal("20"),
        },
        {
            "name": "Youth diversion referrals",
            "source": "manual",
            "casework_measure": "",
            "unit": "count",
            "baseline_value": Decimal("8"),
        },
    ):
        _recompute(_define(casework, **changes))
    OrganisationFactory(name="Northtown District Council", sector="la_district").areas.set(
        [areas["north_lad"]]
    )

    # The public site's own pages.
    for name in ("portal:home", "portal:accessibility", "portal:privacy", "portal:area-search"):
        visit(name)
    visit("portal:area-search", query="?q=North")
    visit("portal:area", "E22000901")
    visit("public-csp:index")
    visit("public-csp:dhr-list")
    visit("public-csp:csp-detail", "E22000901")
    register = visit("public-partnerships:list")
    assert "Ar waith" in register and "Lleol" in register  # its status and level, named in Welsh
    # The open data is one file whatever the reader's language (ADR 0039), and the Welsh page says so.
    assert "Data agored yw’r ffeiliau i’w lawrlwytho: mae enwau eu colofnau" in register
    for download in ("/partnerships/register.csv", "/partnerships/register.json", "/open-data/grants.csv"):
        assert _body(reader.get(download)) == _body(Client().get(download)), download
    assert "Testshire Reducing Reoffending Board" in visit("public-partnerships:list", query="?q=Reoffending")
    visit("public-partnerships:list", query="?q=Atlantis")  # none match these filters
    # A place that is not there, and one that several match: the area filter's own errors, in Welsh.
    nowhere = visit("public-partnerships:list", query="?area=Atlantis")
    assert "Nid oes lle o’r enw “Atlantis” (ardal heddlu / partneriaeth" in nowhere
    several = visit("public-partnerships:list", query="?area=town")
    assert (
        "Mae mwy nag un lle yn cyfateb i “town”. Oeddech chi’n golygu: Northtown (dosbarth awdurdod lleol, "
        "E07000901); Southtown (dosbarth awdurdod lleol, E07000902)?" in several
    )
    detail = visit("public-partnerships:detail", partnership.pk)
    for welsh in ("Ar waith", "Partneriaeth leol", "Cytundeb (cytundeb lefel gwasanaeth"):
        assert welsh in detail, welsh
    grants = visit("public-funding:grant-list")
    assert "Street sport" in grants and "Grantiau a ddyfarnwyd" in grants and "1 grant" in grants
    visit("public-performance:index")
    plan = casework["plan"]
    progress = visit("public-performance:progress", "pcc", plan.pk, query="?quarter=2023-07")
    assert "Chwarter 2 2023/24 (Gor i Med 2023)" in progress, re.findall(r"Chwarter[^<]*", progress)
    assert "Ffigurau fesul cyfnod" in progress
    # Each measure's latest reason (September's), what it measures and its hidden figures, in Welsh.
    for welsh in (
        "Adroddiadau gan ddioddefwyr mynych yn ardal North Testshire; mae cynnydd yn dda.",
        "Llai na 3: nid yw cyfrifon o 1 neu 2 o waith achos yn cael eu dangos y tu allan i waith achos",
        ">Llai na 3<",
        "Targed wedi’i atal: mae’n newid ar linell sylfaen a gyfrifwyd o 1 neu 2 adroddiad",
        "Adroddiadau y gweithredwyd arnynt o fewn 48 awr (%) yn ardal North Testshire; mae gostyngiad yn dda.",
        "Mae 100% yn methu’r targed o 28% o 72% (mwy na 10% ohono).",
        ">Wedi’i atal<",  # August's percentage, of 2 reports
        "Dim data ar gyfer Medi 2023: Nid yw Northtown Council wedi anfon ei ffurflen ar gyfer Medi 2023.",
    ):
        assert welsh in progress, welsh

    consultation = survey["consultation"]
    visit("public-engagement:index")
    visit("public-engagement:respond", consultation.pk)
    visit("public-engagement:thanks", consultation.pk)
    for _answers in range(2):  # answers from residents, and results published
        engagement.respond(consultation=consultation, data=test_consultations.answers(survey))
    Consultation.objects.filter(pk=consultation.pk).update(results_published=True)
    results = visit("public-engagement:results", consultation.pk)
    assert "What worries you most?" in results  # the council's own words, with the figures in Welsh
    visit("public-engagement:meetings")
    page = reverse("public-engagement:meeting", args=[meeting.pk])
    visit("public-engagement:meeting", meeting.pk)
    with django_capture_on_commit_callbacks(execute=True):
        voted = reader.post(
            page,
            {
                "csrfmiddlewaretoken": csrf(reader, page),
                "priority": meeting.priorities.get(title="Litter").pk,
                "email": "pleidlais@example.org",
            },
        )
    assert voted.status_code == 302
    visit("public-engagement:vote-sent", meeting.pk)
    key = re.search(r"/neighbourhood-meetings/votes/(\S+)/", mail.outbox[-1].body)
    assert key is not None
    visit("public-engagement:vote-confirm", key.group(1))

    # An ASB case review application, and its progress page.
    visit("public-casework:case-review-statistics")
    apply = reverse("public-casework:case-review-apply")
    visit("public-casework:case-review-apply")
    sent = reader.post(
        apply,
        {
            "csrfmiddlewaretoken": csrf(reader, apply),
            "district": "E07000901",
            "name": "Alex Resident",
            "email": "alex@example.org",
            "applying_for": "myself",
            "summary": "Loud parties every weekend since June.",
            "declaration": "on",
        },
    )
    assert sent.status_code == 302, sent.content.decode()[:2000]
    assert CaseReviewRequest.objects.count() == 1
    visit("public-casework:case-review-progress", sent["Location"].split("/")[-2])

    # An applicant for a grant: create an account, verify it, sign in, apply, see the application.
    visit("public-funding:apply-home")
    register = reverse("public-funding:applicant-register")
    visit("public-funding:applicant-register")
    refused = reader.post(
        register, {"csrfmiddlewaretoken": csrf(reader, register), "email": "nope", "charity_number": "12"}
    ).content.decode()
    assert not english_left(refused, english)
    assert "Rhowch eich enw." in refused and "Rhowch rif elusen fel y mae wedi’i gofrestru" in refused
    # Django's password validators, in Welsh too.
    weak = reader.post(
        register,
        {"csrfmiddlewaretoken": csrf(reader, register), "email": "sam@example.org", "password": "12345"},
    ).content.decode()
    assert not english_left(weak, english)
    for welsh in (
        "Mae’r cyfrinair hwn yn rhy fyr. Rhaid iddo gynnwys o leiaf 12 nod.",
        "Mae’r cyfrinair hwn yn rhy gyffredin.",
        "Mae’r cyfrinair hwn yn rhifau i gyd.",
    ):
        assert welsh in weak, welsh
    assert "too short" not in weak and "too common" not in weak
    similar = reader.post(
        register,
        {
            "csrfmiddlewaretoken": csrf(reader, register),
            "email": "samapplicant@example.org",
            "password": "samapplicant@example.org",
        },
    ).content.decode()
    assert "Mae’r cyfrinair yn rhy debyg i’r cyfeiriad e-bost." in similar
    with django_capture_on_commit_callbacks(execute=True):
        checked = reader.post(
            register,
            {
                "csrfmiddlewaretoken": csrf(reader, register),
                "contact_name": "Sam Applicant",
                "email": "sam@example.org",
                "organisation_name": "Testshire Youth Trust",
                "password": "a long and unusual passphrase",
            },
        )
    assert "Gwiriwch eich e-bost" in checked.content.decode()
    assert not english_left(checked.content.decode(), english)
    # The email is in the language the applicant registered in.
    assert mail.outbox[-1].subject == "Dilyswch eich cyfeiriad e-bost i wneud cais am grant"
    assert mail.outbox[-1].body.startswith("Helo Sam Applicant,\n\nI orffen sefydlu eich cyfrif")
    verify = re.search(r"/apply/verify/(\S+)/", mail.outbox[-1].body)
    assert verify is not None
    visit("public-funding:applicant-verify", "not-a-real-link")  # the page for a link that does not work
    reader.get(reverse("public-funding:applicant-verify", args=[verify.group(1)]))
    sign_in = reverse("public-funding:applicant-sign-in")
    visit("public-funding:applicant-sign-in")
    visit("public-funding:applicant-password-reset")
    visit("public-funding:applicant-password-reset-confirm", "not-a-real-link")
    reader.post(
        sign_in,
        {
            "csrfmiddlewaretoken": csrf(reader, sign_in),
            "email": "sam@example.org",
            "password": "a long and unusual passphrase",
        },
    )
    home = visit("public-funding:apply-home")
    assert "Wedi mewngofnodi fel Sam Applicant" in home
    start = reverse("public-funding:applicant-start", args=[open_round.pk])
    visit("public-funding:applicant-start", open_round.pk)
    draft = reader.post(
        start,
        {
            "csrfmiddlewaretoken": csrf(reader, start),
            "project_title": "Safe spaces",
            "action": "Cadw fel drafft",
        },
    )
    assert draft.status_code == 302
    application = draft["Location"]
    visited.add("public-funding:applicant-application")
    assert "Mae eich drafft wedi’i gadw." in read_in_welsh(reader, application, english)
    # Sent without its answers: every problem in Welsh, nothing submitted.
    incomplete = reader.post(
        application,
        {
            "csrfmiddlewaretoken": csrf(reader, application),
            "amount_requested": "lots",
            "action": "Cyflwyno’r cais",
        },
    ).content.decode()
    assert not english_left(incomplete, english)
    for welsh in (
        "Rhowch ddisgrifiad o’r prosiect.",
        "Rhowch y swm y gofynnir amdano mewn punnoedd a cheiniogau",
    ):
        assert welsh in incomplete, welsh
    with django_capture_on_commit_callbacks(execute=True):
        submitted = reader.post(
            application,
            {
                "csrfmiddlewaretoken": csrf(reader, application),
                "project_title": "Safe spaces",
                "project_description": "Evening sessions for young people.",
                "amount_requested": "900",
                "action": "Cyflwyno’r cais",  # the button's Welsh label submits, as the English one does
            },
        )
    assert submitted.status_code == 302
    status = read_in_welsh(reader, application, english)
    assert "Wedi’i gyflwyno" in status and "Cyfeirnod" in status
    received = mail.outbox[-1]
    assert received.subject.startswith("Cais ") and received.subject.endswith(" wedi dod i law")
    assert "Diolch. Rydym wedi cael eich cais" in received.body and "“Safe spaces”" in received.body

    # Approved with an outcome measure: the grant's monitoring return, its errors and its submission.
    from joinedup.funding.models import Application

    applied = Application.objects.get(project_title="Safe spaces")
    applied = funding.check_eligibility(
        actor=users[Role.OPCC_OFFICER],
        application=applied,
        eligible=True,
        note="",
        expected_version=applied.version,
    )
    funding.decide_application(
        actor=users[Role.OPCC_ADMIN],
        application=applied,
        data={"outcome": "approve", "amount": "900", "measures": "Pobl ifanc | count | up | 40"},
    )
    due = applied.award.monitoring_returns.get()
    measure = f"measure_{applied.award.outcome_measures.get().pk}"
    assert "Eich grantiau: ffurflenni monitro" in visit("public-funding:apply-home")
    return_page = reverse("public-funding:applicant-return", args=[due.pk])
    assert "Y targed yw 40." in visit("public-funding:applicant-return", due.pk)
    refused = reader.post(
        return_page, {"csrfmiddlewaretoken": csrf(reader, return_page), measure: "-2", "version": due.version}
    ).content.decode()
    assert not english_left(refused, english)
    for welsh in ("Cyfrif yw Pobl ifanc: ni all fod yn negatif.", "Rhowch y gwariant hyd yma."):
        assert welsh in refused, welsh
    sent = reader.post(
        return_page,
        {
            "csrfmiddlewaretoken": csrf(reader, return_page),
            "spend": "300",
            "narrative": "Sesiynau bob nos Wener.",
            measure: "35",
            "version": due.version,
        },
    )
    assert sent.status_code == 302
    assert "Mae eich ffurflen fonitro wedi’i chyflwyno" in read_in_welsh(reader, return_page, english)

    assert public_pages() <= visited, f"public pages not visited: {sorted(public_pages() - visited)}"


# --- the police data store's own words, and periods of one month --------------------------------------


def test_the_area_page_says_why_there_are_no_figures_in_welsh(
    areas: dict[str, Area], settings: Any, tmp_path: Any
) -> None:
    settings.DATA_DIR = tmp_path / "empty"  # no police data imported at all
    reader = welsh_reader("/your-area/E22000901/")
    page = read_in_welsh(reader, "/your-area/E22000901/", catalogue_english())
    assert "Dim ffigurau eto: nid oes data troseddau stryd yr heddlu yn y storfa eto." in page
    english = Client().get("/your-area/E22000901/").content.decode()
    assert "No figures yet: there is no police street crime data in the store yet." in english


def test_a_police_measures_no_data_reason_and_its_months_read_in_welsh(places: dict[str, Any]) -> None:
    """A monthly police measure: September 2023 was never published, so the store's explanation is the
    reason; it and each month of the figures table are said in the reader's language, a month as itself."""
    from joinedup.performance import services
    from joinedup.performance.models import Indicator

    test_police_measures._define(places, name="Crime each month", frequency="monthly")
    services.recompute(indicators=Indicator.objects.all(), today=test_police_measures.TODAY)
    url = f"/plan-progress/pcc/{places['plan'].pk}/?quarter=2023-07"
    page = read_in_welsh(welsh_reader("/"), url, catalogue_english())
    said = re.findall(r"Dim data ar gyfer Medi 2023:[^<]*", page)
    assert said and said[0].startswith(
        "Dim data ar gyfer Medi 2023: nid oes gan y storfa ddata troseddau stryd yr heddlu ar gyfer North "
        "Testshire ar gyfer Medi 2023. Mae’n cadw data "
    ), said
    assert said[0].endswith(
        " o 2022-04 i 2023-12 (heb 2022-05, 2023-09): dewiswch fisoedd o fewn yr ystod honno."
    )
    for month in ("Gorffennaf 2023", "Awst 2023", "Medi 2023"):
        assert month in page, month
    assert not re.search(r"(\w+ \d{4}) i \1", page), re.findall(r"\w+ \d{4} i \w+ \d{4}", page)
    english = Client().get(url).content.decode()
    assert (
        "No data for September 2023: the store has no police street data for North Testshire for "
        "September 2023. It holds " in english
    )
    assert " from 2022-04 to 2023-12 (missing 2022-05, 2023-09): choose months in that range." in english
    assert "July 2023" in english and "August 2023" in english
    assert not re.search(r"(\w+ \d{4}) to \1", english), re.findall(r"\w+ \d{4} to \w+ \d{4}", english)
