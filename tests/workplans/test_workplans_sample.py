"""The sample workplans of the eight SC78 Parties load, are marked illustrative, and load twice safely."""

import pytest

from workplans.models import Activity, Event, Workplan

pytestmark = pytest.mark.django_db


def test_sample_workplans_load_idempotently():
    from parties.services import parties_load
    from workplans import sample

    parties_load()
    sample.load()
    counts = Workplan.objects.count(), Activity.objects.count(), Event.objects.count()
    sample.load()
    assert (Workplan.objects.count(), Activity.objects.count(), Event.objects.count()) == counts
    current = Workplan.objects.current()
    assert sorted(str(w.cap_case.party.code) for w in current) == [
        "GN",
        "KH",
        "LA",
        "NG",
        "SB",
        "SR",
        "TG",
        "VN",
    ]
    assert all(w.status == "approved" and w.is_illustrative for w in current)
    # Viet Nam's plan was reformulated: version 1 superseded by version 2, with the steps recorded.
    vn = Workplan.objects.get(cap_case__party__code="VN", version=2)
    assert vn.revises.status == "superseded" and vn.revision_reason == "other"
    assert list(vn.steps.values_list("action", flat=True)) == ["revise", "submit", "approve"]
    # Activities drawn from SC78: Guinea's seven focus areas, Togo's NDFs, Solomon Islands' RST species.
    assert Activity.objects.filter(workplan__cap_case__party__code="GN").count() == 7
    assert Activity.objects.filter(
        workplan__cap_case__party__code="TG", title__contains="NDFs for ten"
    ).exists()
    assert Activity.objects.filter(title__contains="Corucia zebrata").exists()
    honiara = Event.objects.get(venue="Honiara")
    assert (honiara.start_on.isoformat(), honiara.end_on.isoformat()) == ("2024-10-09", "2024-10-10")
