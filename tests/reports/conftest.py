"""Fixtures for the report tests: files under a temporary MEDIA_ROOT, a report factory, and a
small portfolio of case and workplan data for the composers to read."""

import datetime

import pytest

from reports.services import report_create, report_render_request


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def eager_tasks(settings):
    """Renders run in-process, as in the embedded default, even where REDIS_URL is set (CI); the
    worker test switches to the broker itself."""
    from cap_portal.celery import app

    before = app.conf.task_always_eager
    app.conf.update(task_always_eager=True)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.update(task_always_eager=before)


def make_report(parties, user=None, **values):
    data = {
        "symbol": "SC78 Doc. 23",
        "meeting_name": "Seventy-eighth meeting of the Standing Committee",
        "meeting_place": "Geneva (Switzerland)",
        "meeting_start": datetime.date(2025, 2, 3),
        "meeting_end": datetime.date(2025, 2, 8),
        "agenda_headings": "Strategic matters\nCapacity-building",
        "language": "en",
        "as_of": datetime.date(2024, 12, 1),
        "parties": list(parties),
    }
    data.update(values)
    return report_create(user=user, data=data)


@pytest.fixture
def render_now(django_capture_on_commit_callbacks):
    """Request a render and run it as the embedded default does (on commit, in-process)."""

    def render(report, user, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            job = report_render_request(report=report, user=user, **kwargs)
        job.refresh_from_db()
        return job

    return render


class Portfolio:
    """Togo with a CAP case, a workplan of four activities, a mission, two events and an
    accepted deliverable; Nigeria with a CAP case and nothing else."""

    def __init__(self, world):
        from cases.models import CapCase, TechnicalMission
        from workplans.models import Activity, Deliverable, Event, Workplan

        self.togo_case = CapCase.objects.create(party=world.own, stage="in_implementation")
        self.nigeria_case = CapCase.objects.create(party=world.other, stage="in_implementation")
        self.workplan = Workplan.objects.create(
            cap_case=self.togo_case,
            title="Togo CAP workplan",
            starts_on=datetime.date(2023, 1, 1),
            ends_on=datetime.date(2024, 12, 31),
            status="approved",
        )
        day = datetime.date(2023, 3, 1)
        self.activities = [
            Activity.objects.create(
                workplan=self.workplan,
                code=code,
                title=title,
                area=area,
                planned_start=day,
                planned_end=datetime.date(2024, 6, 30),
                status=status,
            )
            for code, title, area, status in [
                ("A1", "Train MA staff", "institutional", "completed"),
                ("A2", "CITES database", "information_systems", "completed"),
                ("A3", "NDF for ten species", "scientific", "ongoing"),
                ("A4", "Captive breeding standards", "legislative", "delayed"),
            ]
        ]
        TechnicalMission.objects.create(
            cap_case=self.togo_case,
            starts_on=datetime.date(2023, 4, 10),
            ends_on=datetime.date(2023, 4, 14),
            place="Lomé",
            purpose="Compliance assessment",
        )
        Event.objects.create(
            cap_case=self.togo_case,
            kind="workshop",
            title="National CITES workshop",
            start_on=datetime.date(2024, 3, 27),
            end_on=datetime.date(2024, 3, 28),
            venue="Lomé",
            participants_female=12,
            participants_male=18,
            participants_other=0,
        )
        # After the as-of date (1 December 2024): not counted.
        Event.objects.create(
            cap_case=self.togo_case,
            kind="training",
            title="Later training",
            start_on=datetime.date(2025, 1, 20),
            end_on=datetime.date(2025, 1, 21),
            is_online=True,
            participants_female=5,
            participants_male=5,
        )
        Deliverable.objects.create(
            cap_case=self.togo_case,
            kind="database",
            title="CITES database of Togo",
            delivered_on=datetime.date(2024, 5, 2),
            review_status="accepted",  # accepted with no date recorded: counts on any date
        )


@pytest.fixture
def portfolio(world):
    return Portfolio(world)
