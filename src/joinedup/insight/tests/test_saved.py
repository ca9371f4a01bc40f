"""Saved strategic assessments: save, narrative, priorities, publish, new edition, 409, downloads, API, map."""

from __future__ import annotations

import io
import json
import random
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from joinedup.core.models import Area, BoundaryVintage, LsoaBoundary, User
from joinedup.core.roles import Role
from joinedup.core.services.tokens import create_token
from joinedup.insight import selectors, services
from joinedup.insight.maps import choropleth, quantile_breaks
from joinedup.insight.models import AssessmentStatus, SavedAssessment
from joinedup.insight.tests.test_views import NORTH, SOUTH
from joinedup.insight.tests.test_views import store as store  # the fixture, re-exported

pytestmark = pytest.mark.django_db

SAVED = "/staff/insight/saved/"


def _square(lon: float, lat: float, size: float = 0.01) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def boundaries(areas: dict[str, Area]) -> None:
    for i, code in enumerate(("E01900001", "E01900002")):
        geometry = _square(-1.6 + i * 0.01, 54.97)
        LsoaBoundary.objects.create(
            vintage=BoundaryVintage.LSOA2011,
            code=code,
            name=code,
            lad_code="E06000901",
            geometry=geometry,
            min_lon=-1.6 + i * 0.01,
            max_lon=-1.59 + i * 0.01,
            min_lat=54.97,
            max_lat=54.98,
        )


def _save(client: Client, from_month: str = "2023-01", to_month: str = "2023-12") -> SavedAssessment:
    response = client.post(SAVED + "new/", {"area": NORTH, "from_month": from_month, "to_month": to_month})
    assert response.status_code == 302
    return SavedAssessment.objects.latest("pk")


def test_save_score_publish_and_start_a_new_edition(
    client_for: Callable[[str], Client], store: Any, boundaries: None
) -> None:
    client = client_for(Role.ANALYST)
    record = _save(client)
    assert record.status == AssessmentStatus.DRAFT and record.results["totals"]["crimes_excl_asb"] == 84
    assert record.generation and record.import_ids == [store.pk]
    keys = sorted(record.priorities.values_list("key", flat=True))
    assert keys == ["Anti-social behaviour", "Burglary", "Violence and sexual offences"]

    page = client.get(f"{SAVED}{record.pk}/").content.decode()
    assert "North Testshire strategic assessment, 2023-01 to 2023-12" in page
    assert 'id="priority-matrix"' in page and "How this was scored" in page
    # The matrix can be cut to a subset: none of the three is fully scored yet.
    assert "Showing 3 of 3 candidates." in page and '<select class="govuk-select" id="matrix-show"' in page
    unscored = client.get(f"{SAVED}{record.pk}/?show=unscored").content.decode()
    assert "Showing 3 of 3 candidates." in unscored and '<option value="unscored" selected>' in unscored
    assert page.count('class="ju-chart__svg"') >= 4  # monthly, rolling, by type, outcomes, deciles
    assert 'class="ju-map__svg"' in page and page.count("<path d=") == 2

    response = client.post(
        f"{SAVED}{record.pk}/narrative/",
        {"title": record.title, "narrative": "Burglary doubled.\n\nViolence is steady.", "version": 1},
    )
    assert response.status_code == 302

    # A rank without a reason is refused, with every problem listed; nothing is saved.
    rows = {p.key: i for i, p in enumerate(record.priorities.all())}
    shop = rows["Violence and sexual offences"]
    response = client.post(
        f"{SAVED}{record.pk}/priorities/",
        {"version": 2, f"p{shop}-override_rank": "1", f"p{rows['Burglary']}-concern": "9"},
    )
    text = response.content.decode()
    assert (
        response.status_code == 200
        and "Violence and sexual offences: give the reason for setting its rank." in text
    )
    assert "Burglary, community concern: choose a score from 1 to 5." in text
    response = client.post(
        f"{SAVED}{record.pk}/priorities/",
        {
            "version": 2,
            f"p{shop}-override_rank": "1",
            f"p{shop}-override_reason": "Retailers' forum asked for it",
            f"p{rows['Burglary']}-vulnerability": "4",
            f"p{rows['Anti-social behaviour']}-harm": "2",
        },
    )
    assert response.status_code == 302
    matrix = selectors.priority_matrix(record)
    assert (
        matrix[0]["label"] == "Violence and sexual offences"
        and matrix[0]["override_reason"] == "Retailers' forum asked for it"
    )
    burglary = next(r for r in matrix if r["label"] == "Burglary")
    assert burglary["factors"]["vulnerability"] == {
        "score": 4,
        "source": "analyst",
        "basis": "entered by the analyst",
    }
    history = client.get(f"{SAVED}{record.pk}/history/").content.decode()
    assert "Rank set to 1: Retailers&#x27; forum asked for it" in history

    # Publishing with factors left unscored asks first, listing each gap, and freezes nothing.
    response = client.post(f"{SAVED}{record.pk}/publish/", {"version": 3})
    assert response.status_code == 200
    gaps = response.content.decode().split('id="gaps"')[1].split("</ul>")[0]
    assert (
        "Burglary: no score for community concern, organisational capacity, organisational capability" in gaps
    )
    assert gaps.count("<li>") == 3  # none of the three is fully scored
    record.refresh_from_db()
    assert not record.is_published
    response = client.post(f"{SAVED}{record.pk}/publish/", {"version": 3, "confirm": "yes"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.is_published and record.published_at
    # Frozen: no more edits.
    response = client.post(
        f"{SAVED}{record.pk}/narrative/", {"title": "x", "narrative": "changed", "version": record.version}
    )
    assert "cannot be changed: start a new edition" in response.content.decode()
    record.refresh_from_db()
    assert record.narrative.startswith("Burglary doubled.")

    response = client.post(f"{SAVED}{record.pk}/new-edition/")
    edition = SavedAssessment.objects.latest("pk")
    assert response.status_code == 302 and edition.edition == 2 and edition.based_on == record
    assert edition.status == AssessmentStatus.DRAFT and edition.narrative == record.narrative
    carried = edition.priorities.get(key="Violence and sexual offences")
    assert carried.override_rank == 1 and carried.override_reason == "Retailers' forum asked for it"


def test_a_stale_save_is_refused_with_409(client_for: Callable[[str], Client], store: Any) -> None:
    client = client_for(Role.CSP_MANAGER)
    record = _save(client)
    first = client.post(f"{SAVED}{record.pk}/narrative/", {"title": "A", "narrative": "One", "version": 1})
    assert first.status_code == 302
    second = client.post(f"{SAVED}{record.pk}/narrative/", {"title": "B", "narrative": "Two", "version": 1})
    assert second.status_code == 409
    assert "Someone else changed this record" in second.content.decode()
    record.refresh_from_db()
    assert record.narrative == "One"


def test_publishing_needs_a_narrative(client_for: Callable[[str], Client], store: Any) -> None:
    client = client_for(Role.OPCC_OFFICER)
    record = _save(client)
    response = client.post(f"{SAVED}{record.pk}/publish/", {"version": 1, "confirm": "yes"})
    assert response.status_code == 422
    assert "Write the narrative" in response.content.decode()


def test_published_assessments_for_area_respects_scope(users: dict[str, User], store: Any) -> None:
    officer = users[Role.OPCC_OFFICER]
    north = services.create_assessment(
        actor=officer, area=Area.objects.get(code=NORTH), from_month="2023-01", to_month="2023-12"
    )
    south = services.create_assessment(
        actor=officer, area=Area.objects.get(code=SOUTH), from_month="2023-01", to_month="2023-12"
    )
    for record in (north, south):
        services.update_assessment(
            actor=officer, assessment=record, expected_version=1, data={"narrative": "x"}
        )
        services.publish_assessment(actor=officer, assessment=record, expected_version=2)
    analyst = users[Role.ANALYST]
    assert list(selectors.published_assessments_for_area(analyst, Area.objects.get(code=NORTH))) == [north]
    assert list(selectors.published_assessments_for_area(analyst, Area.objects.get(code=SOUTH))) == []
    assert list(selectors.published_assessments_for_area(officer, Area.objects.get(code=SOUTH))) == [south]
    draft = services.start_new_edition(actor=officer, assessment=north)
    assert draft not in selectors.published_assessments_for_area(officer, Area.objects.get(code=NORTH))
    # Outside their areas, an analyst's record page is not found.
    client = Client()
    client.force_login(analyst)
    assert client.get(f"{SAVED}{south.pk}/").status_code == 404
    assert client.get(f"{SAVED}{north.pk}/").status_code == 200


def test_pdf_is_a_strategic_assessment_document(client_for: Callable[[str], Client], store: Any) -> None:
    from pypdf import PdfReader

    client = client_for(Role.ANALYST)
    record = _save(client)
    response = client.get(f"{SAVED}{record.pk}/assessment.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for heading in ("Contents", "Executive summary", "Priorities", "Method and caveats", "North Testshire"):
        assert heading in text, heading
    live = client.get(
        "/staff/insight/assessment.pdf", {"area": NORTH, "from_month": "2023-01", "to_month": "2023-12"}
    )
    assert live.status_code == 200 and live.content.startswith(b"%PDF")


def test_publishing_renders_the_document_in_the_worker_so_the_first_download_reads_a_file(
    users: dict[str, User], store: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from joinedup.core.files import files, walk
    from joinedup.insight.documents import DOCUMENTS

    # The storage is shared by the tests of one process: only documents this test writes count.
    earlier = set(walk(files(), DOCUMENTS))

    def kept_documents(pattern: str) -> list[str]:
        return [
            name
            for name in walk(files(), DOCUMENTS)
            if name.split("/")[-1].startswith(pattern) and name not in earlier
        ]

    analyst = users[Role.ANALYST]
    record = services.create_assessment(
        actor=analyst, area=Area.objects.get(code=NORTH), from_month="2023-01", to_month="2023-12"
    )
    record = services.update_assessment(
        actor=analyst, assessment=record, expected_version=1, data={"narrative": "Burglary doubled."}
    )
    assert not kept_documents(f"assessment-{record.pk}-")
    with django_capture_on_commit_callbacks(execute=True):
        record = services.publish_assessment(actor=analyst, assessment=record, expected_version=2)
    kept = kept_documents(f"assessment-{record.pk}-v{record.version}-")
    assert len(kept) == 1
    with files().open(kept[0], "rb") as handle:
        stored = handle.read()
    assert stored.startswith(b"%PDF")
    client = Client()
    client.force_login(analyst)
    response = client.get(f"{SAVED}{record.pk}/assessment.pdf")
    assert response.content == stored


def test_json_and_csv_downloads(client_for: Callable[[str], Client], store: Any) -> None:
    client = client_for(Role.ANALYST)
    record = _save(client)
    body = json.loads(client.get(f"{SAVED}{record.pk}/assessment.json").content)
    assert body["id"] == record.pk and body["status"] == "draft"
    assert body["results"]["totals"]["crimes_excl_asb"] == 84
    assert [p["rank"] for p in body["priorities"]] == [1, 2, 3]
    response = client.get(f"{SAVED}{record.pk}/assessment.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert ",priorities,Burglary,score," in text


def test_api_create_update_conflict_publish(users: dict[str, User], store: Any) -> None:
    _token, raw = create_token(user=users[Role.ANALYST], name="t", actor=None)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client = Client()
    created = client.post(
        "/api/v1/insight/saved-assessments",
        json.dumps({"area": NORTH, "from": "2023-01", "to": "2023-12"}),
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    patch = {"version": 1, "narrative": "Burglary first.", "priorities": {"Burglary": {"concern": 5}}}
    url = f"/api/v1/insight/saved-assessments/{pk}"
    changed = client.patch(url, json.dumps(patch), content_type="application/json", **auth)
    assert changed.status_code == 200 and changed.json()["version"] == 3
    burglary = next(p for p in changed.json()["priorities"] if p["key"] == "Burglary")
    assert burglary["factors"]["concern"]["score"] == 5
    stale = client.patch(url, json.dumps(patch), content_type="application/json", **auth)
    assert stale.status_code == 409 and stale.json()["current_version"] == 3
    published = client.post(
        url + "/publish", json.dumps({"version": 3}), content_type="application/json", **auth
    )
    assert published.status_code == 200 and published.json()["status"] == "published"
    listed = client.get("/api/v1/insight/saved-assessments?area=" + NORTH, **auth).json()
    assert [item["id"] for item in listed] == [pk]
    frozen = client.patch(
        url, json.dumps({"version": 4, "narrative": "x"}), content_type="application/json", **auth
    )
    assert frozen.status_code == 422


def test_choropleth_classes_and_missing_shapes() -> None:
    assert quantile_breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == [2, 4, 6, 8, 10]
    assert quantile_breaks([5, 5, 5]) == [5]
    lsoas = [
        {"lsoa": f"E0100000{i}", "name": f"LSOA {i}", "rate_per_1000": float(i * 10)} for i in range(1, 6)
    ] + [{"lsoa": "E01000009", "name": "No shape", "rate_per_1000": None}]
    shapes = {row["lsoa"]: _square(i * 0.01, 50.0) for i, row in enumerate(lsoas[:5])}
    drawn = choropleth(lsoas, shapes, title="Test map")
    assert drawn["drawn"] == 5 and drawn["missing"] == ["E01000009"]
    assert [c.lsoas for c in drawn["classes"]] == [1, 1, 1, 1, 1]
    svg = str(drawn["svg"])
    assert svg.count("<path ") == 5 and "LSOA 5 (E01000005): 50.0 crimes per 1,000 residents" in svg
    # Darker for higher: the highest LSOA has the darkest shade.
    assert drawn["classes"][-1].colour == "#08306b" and 'fill="#08306b"' in svg


def test_exact_binomial_p_value_matches_scipy() -> None:
    from scipy.stats import binomtest

    from joinedup.insight.calculation import binomial_p_value

    generator = random.Random(4)
    cases = [(0, 1, 0.5), (1, 1, 0.3), (5, 10, 0.5), (72, 108, 0.5), (3, 7, 12 / 23)]
    for _ in range(400):
        n = generator.choice([1, 2, 5, 20, 100, 5000, 100_000])
        p = generator.choice([0.5, 12 / 23, 11 / 24, 0.3, 0.9])
        k = min(n, max(0, round(generator.gauss(n * p, 2 * (n * p * (1 - p)) ** 0.5))))
        cases.append((k, n, p))
    for k, n, p in cases:
        assert binomial_p_value(k, n, p) == pytest.approx(binomtest(k, n, p).pvalue, abs=1e-9), (k, n, p)


def test_cli_writes_the_pdf(store: Any, tmp_path: Any) -> None:
    from click.testing import CliRunner
    from pypdf import PdfReader

    from joinedup.insight.cli import insight

    out = tmp_path / "north.pdf"
    result = CliRunner().invoke(
        insight,
        [
            "assess",
            "--area",
            NORTH,
            "--from",
            "2023-01",
            "--to",
            "2023-12",
            "--format",
            "pdf",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert "North Testshire (E22000901), 2023-01 to 2023-12" in text and "Method and caveats" in text
    assert "u002D" not in text  # the running title on every page reads as written
    refused = CliRunner().invoke(insight, ["assess", "--area", NORTH, "--format", "pdf"])
    assert refused.exit_code != 0 and "--out FILE" in refused.output


def test_scoring_scheme_changes_apply_to_assessments_saved_afterwards(
    client_for: Callable[[str], Client], store: Any
) -> None:
    client = client_for(Role.ANALYST)
    before = _save(client)
    page = client.get("/staff/insight/scoring-scheme/")
    assert page.status_code == 200 and "2, 5, 10, 25" in page.content.decode()
    form = {
        "name": "Harm-led",
        "scale_max": "4",
        "harm_bands": "5, 10, 25",
        "volume_bands": "1, 10",  # one short: refused with the other problems
        "trend_bands": "-10, 0, 10",
        "harm_weight": "3",
        "volume_weight": "1",
        "trend_weight": "1",
        "vulnerability_weight": "1",
        "concern_weight": "1",
        "capacity_weight": "1",
        "capability_weight": "1",
        "position_weight": "5",
        "version": "1",
    }
    refused = client.post("/staff/insight/scoring-scheme/", form).content.decode()
    assert "Give 3 volume thresholds" in refused and "from 0 to 2" in refused
    form.update(volume_bands="1, 10, 25", position_weight="0.5")
    assert client.post("/staff/insight/scoring-scheme/", form).status_code == 302
    after = _save(client, "2023-07", "2023-12")
    assert after.scheme["name"] == "Harm-led" and after.scheme["scale_max"] == 4
    before.refresh_from_db()
    assert before.scheme["name"] == "Default scheme" and before.scheme["scale_max"] == 5
    assert client_for(Role.CSP_MANAGER).get("/staff/insight/scoring-scheme/").status_code == 404


def test_saving_a_period_that_is_already_saved_links_to_it_instead(
    client_for: Callable[[str], Client], users: dict[str, User], store: Any
) -> None:
    client = client_for(Role.ANALYST)
    query = {"area": NORTH, "from_month": "2023-01", "to_month": "2023-12"}
    draft = _save(client)
    # The page no longer offers to save the period again: it links to the draft.
    page = client.get("/staff/insight/", query).content.decode()
    assert "Save this assessment as a draft" not in page
    assert f'href="{SAVED}{draft.pk}/"' in page and "already saved as a draft" in page
    # Posting anyway (an old tab, a double click) saves nothing and says where the draft is.
    response = client.post(SAVED + "new/", query, follow=True)
    assert response.status_code == 200 and response.redirect_chain == [(f"{SAVED}{draft.pk}/", 302)]
    assert "already saved as a draft" in response.content.decode()
    assert SavedAssessment.objects.count() == 1

    client.post(f"{SAVED}{draft.pk}/narrative/", {"title": draft.title, "narrative": "N.", "version": 1})
    client.post(f"{SAVED}{draft.pk}/publish/", {"version": 2, "confirm": "yes"})
    draft.refresh_from_db()
    assert draft.is_published
    page = client.get("/staff/insight/", query).content.decode()
    assert "This period is published" in page and f'action="{SAVED}{draft.pk}/new-edition/"' in page
    response = client.post(SAVED + "new/", query, follow=True)
    assert response.redirect_chain == [(f"{SAVED}{draft.pk}/", 302)]
    assert "already published" in response.content.decode() and SavedAssessment.objects.count() == 1
    # A new edition is the way on; a second one while that draft exists links to the draft.
    client.post(f"{SAVED}{draft.pk}/new-edition/")
    second = SavedAssessment.objects.get(edition=2)
    response = client.post(f"{SAVED}{draft.pk}/new-edition/", follow=True)
    assert response.redirect_chain == [(f"{SAVED}{second.pk}/", 302)]
    assert SavedAssessment.objects.count() == 2
    # The API answers 409 with the same message.
    _token, raw = create_token(user=users[Role.ANALYST], name="t", actor=None)
    api = Client().post(
        "/api/v1/insight/saved-assessments",
        {"area": NORTH, "from": "2023-01", "to": "2023-12"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert api.status_code == 409 and "already saved as a draft" in api.json()["detail"]


def test_every_pdf_is_tagged_pdf_ua_and_names_the_analyst(
    client_for: Callable[[str], Client], users: dict[str, User], store: Any
) -> None:
    from pypdf import PdfReader

    client = client_for(Role.ANALYST)
    record = _save(client)
    analyst = users[Role.ANALYST]
    for url in (f"{SAVED}{record.pk}/assessment.pdf", f"/staff/insight/assessment.pdf?area={NORTH}"):
        reader = PdfReader(io.BytesIO(client.get(url).content))
        catalog = reader.trailer["/Root"]
        assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"] in (True, "true")
        assert str(catalog["/Lang"]) == "en-GB"
        assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] in (True, "true")
        assert b"pdfuaid" in catalog["/Metadata"].get_object().get_data()
        assert reader.metadata and reader.metadata.title
        cover = reader.pages[0].extract_text()
        assert f"Prepared by {analyst.full_name}" in cover and analyst.email not in cover
