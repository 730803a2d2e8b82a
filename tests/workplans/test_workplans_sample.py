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


def test_sample_progress_is_reported_and_dated_as_it_happened():
    """The sample dashboard's "last progress update" is filled (issue 14 point 12: every row showed
    "—" because the sample had no progress update): each started activity of a plan in force has an
    accepted update, made after the period it covers, never on the day the sample was loaded."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from parties.services import parties_load
    from portfolio.dashboard import portfolio_queryset
    from workplans import sample
    from workplans.choices import ActivityStatus, ReviewStatus
    from workplans.models import ProgressUpdate

    parties_load()
    sample.load()
    started = Activity.objects.filter(
        workplan__in=Workplan.objects.current(),
        status__in=[ActivityStatus.ONGOING, ActivityStatus.DELAYED, ActivityStatus.COMPLETED],
    )
    assert started.exists()
    for activity in started:
        update = activity.progress_updates.get()
        assert update.review_status == ReviewStatus.ACCEPTED
        assert update.percent_complete == activity.percent_complete
        assert update.period_end <= datetime.date(2024, 12, 31) or activity.status == ActivityStatus.COMPLETED
        assert timezone.localdate(update.created) > update.period_end
        plan = activity.workplan
        assert plan.starts_on <= update.period_start < update.period_end <= plan.ends_on
    assert ProgressUpdate.objects.count() == started.count()
    sample.load()
    assert ProgressUpdate.objects.count() == started.count()  # loads twice safely
    superuser = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    rows = portfolio_queryset(superuser, timezone.localdate())
    filled = {case.party.code for case in rows if case.dash_last_progress}
    assert filled == {
        str(w.cap_case.party.code)
        for w in Workplan.objects.current()
        if w.activities.filter(pk__in=started).exists()
    }
    assert all(case.dash_last_progress < timezone.localdate() for case in rows if case.dash_last_progress)
