"""Each person's inbox (/notifications/ and /api/v1/notifications/): their own notifications only,
unread first, marked read one by one or all at once, counted in the navigation; notification
settings; comments in the API and a comment posted with no target (issue 14.6)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CapCase
from portfolio.choices import KIND_GROUPS, Delivery, NotificationGroup, NotificationKind
from portfolio.models import Comment, Notification, NotificationPreference
from portfolio.models.comments import comment_post
from portfolio.preferences import notification_deliveries, notification_preferences_set
from tests.workplans.factories import cap_case_for, make_workplan

pytestmark = pytest.mark.django_db


def note(user, party, subject="Workplan returned", read=False, link="/"):
    return Notification.objects.create(
        recipient=user,
        party=party,
        kind=NotificationKind.WORKPLAN_RETURNED,
        subject=subject,
        body=subject,
        sent_at=timezone.now(),
        key=f"{subject}:{user.pk}:{Notification.objects.count()}",
        link=link,
        read_at=timezone.now() if read else None,
    )


@pytest.fixture
def notes(world):
    """Two notifications of the MA focal point (one read), one of the SA focal point of the same
    Party and one of the case manager about the other Party."""
    ma, sa = world.users["ma_focal_point"], world.users["sa_focal_point"]
    workplan = make_workplan(world.own)
    return {
        "read": note(ma, world.own, "Old news", read=True),
        "unread": note(ma, world.own, "Plan returned", link=workplan.get_absolute_url()),
        "colleague": note(sa, world.own, "For the SA"),
        "other": note(world.users["case_manager"], world.other, "About Nigeria"),
    }


def test_the_inbox_lists_my_notifications_unread_first_and_counts_them_in_the_navigation(
    world, notes, client
):
    client.force_login(world.users["ma_focal_point"])
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert page.index("Plan returned") < page.index("Old news")
    assert "For the SA" not in page and "About Nigeria" not in page
    assert 'id="nav-unread">1<' in page


def test_opening_a_notification_marks_it_read_and_leads_to_its_object(world, notes, client):
    client.force_login(world.users["ma_focal_point"])
    unread = notes["unread"]
    response = client.post(reverse("notifications:read", args=[unread.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == unread.link
    unread.refresh_from_db()
    assert unread.read_at is not None
    assert 'id="nav-unread"' not in client.get(reverse("notifications:inbox")).content.decode()


def test_another_persons_notification_cannot_be_marked(world, notes, client):
    client.force_login(world.users["ma_focal_point"])
    assert client.post(reverse("notifications:read", args=[notes["colleague"].pk])).status_code == 404
    notes["colleague"].refresh_from_db()
    assert notes["colleague"].read_at is None


def test_mark_all_as_read_marks_mine_only(world, notes, client):
    client.force_login(world.users["ma_focal_point"])
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(
        recipient=world.users["ma_focal_point"], read_at__isnull=True
    ).exists()
    assert (
        Notification.objects.filter(read_at__isnull=True).count() == 2
    )  # the colleague's, the case manager's


def test_the_log_still_shows_reminders_and_hand_overs_together(world, notes, client):
    Notification.objects.create(
        recipient=world.users["ma_focal_point"],
        party=world.own,
        kind=NotificationKind.MILESTONE_DUE,
        subject="Milestone due in 3 days",
        body="Due.",
        sent_at=timezone.now(),
        email="ma@example.org",
        key="milestone:1",
    )
    client.force_login(world.users["case_manager"])
    page = client.get(reverse("portfolio:notification_list")).content.decode()
    assert "Milestone due in 3 days" in page and "Plan returned" in page and "About Nigeria" in page


def test_notification_settings_page_stores_the_digest_choice(world, client):
    user = world.users["case_manager"]
    client.force_login(user)
    assert client.get(reverse("notifications:preferences")).status_code == 200
    data = {str(kind): Delivery.IMMEDIATE for kind in KIND_GROUPS}
    data[NotificationKind.PROGRESS_SUBMITTED] = Delivery.DIGEST
    assert client.post(reverse("notifications:preferences"), data).status_code == 302
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    assert chosen[NotificationKind.PROGRESS_SUBMITTED] == Delivery.DIGEST
    assert chosen[NotificationKind.PROGRESS_ACCEPTED] == Delivery.IMMEDIATE  # same group, own choice
    assert chosen[NotificationKind.WORKPLAN_SUBMITTED] == Delivery.IMMEDIATE
    assert reverse("notifications:preferences") in client.get(reverse("notifications:inbox")).content.decode()


def test_notification_settings_page_lists_every_kind_under_its_group_heading(world, client):
    """Each kind (reminders included) is a fieldset with its legend and two labelled choices,
    inside its group's fieldset; the backups are not listed."""
    client.force_login(world.users["ma_focal_point"])
    page = client.get(reverse("notifications:preferences")).content.decode()
    for group in NotificationGroup:
        assert f'id="notifications-{group.value}"' in page and str(group.label) in page
    for kind in KIND_GROUPS:
        assert f'name="{kind}"' in page and f">{NotificationKind(kind).label}</legend>" in page
    assert "Due-date reminders" in page
    assert 'name="backup_done"' not in page and 'name="backup_failed"' not in page
    reminders = page[page.index('id="notifications-reminders"') :]
    assert reminders.index("Progress update due") < reminders.index("Agreement ended")
    assert page.count('<label class="form-check-label"') == 2 * len(KIND_GROUPS)


def test_posting_one_kind_changes_that_kind_only(world, client):
    user = world.users["ma_focal_point"]
    notification_preferences_set(
        user=user,
        deliveries={
            NotificationKind.WORKPLAN_RETURNED: Delivery.DIGEST,
            NotificationKind.PROGRESS_DUE: Delivery.DIGEST,
        },
    )
    client.force_login(user)
    response = client.post(
        reverse("notifications:preferences"), {NotificationKind.WORKPLAN_APPROVED: Delivery.DIGEST}
    )
    assert response.status_code == 302
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    assert chosen == {
        NotificationKind.WORKPLAN_RETURNED: Delivery.DIGEST,
        NotificationKind.PROGRESS_DUE: Delivery.DIGEST,
        NotificationKind.WORKPLAN_APPROVED: Delivery.DIGEST,
    }
    deliveries = notification_deliveries(user)
    assert deliveries[NotificationKind.WORKPLAN_SUBMITTED] == Delivery.IMMEDIATE  # not posted: default kept
    client.post(
        reverse("notifications:preferences"), {NotificationKind.WORKPLAN_RETURNED: Delivery.IMMEDIATE}
    )
    assert notification_deliveries(user)[NotificationKind.WORKPLAN_RETURNED] == Delivery.IMMEDIATE
    assert notification_deliveries(user)[NotificationKind.WORKPLAN_APPROVED] == Delivery.DIGEST
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert (
        f'value="digest" class="form-check-input" id="id_{NotificationKind.WORKPLAN_APPROVED}_1" checked'
        in page
    )


def test_a_whole_group_can_be_set_at_once(world, client):
    """ "Apply to the whole group" sets every kind of that group, over the kinds' own choices posted
    with it; other groups keep theirs."""
    user = world.users["ma_focal_point"]
    client.force_login(user)
    data = {str(kind): Delivery.IMMEDIATE for kind in KIND_GROUPS}
    data["group_reminders"] = Delivery.DIGEST
    data["group_workplans"] = ""
    assert client.post(reverse("notifications:preferences"), data).status_code == 302
    deliveries = notification_deliveries(user)
    for kind, group in KIND_GROUPS.items():
        expected = Delivery.DIGEST if group == NotificationGroup.REMINDERS else Delivery.IMMEDIATE
        assert deliveries[kind] == expected, kind


def test_an_unknown_delivery_is_refused_on_the_field_and_nothing_is_written(world, client):
    user = world.users["ma_focal_point"]
    client.force_login(user)
    response = client.post(
        reverse("notifications:preferences"),
        {NotificationKind.WORKPLAN_RETURNED: Delivery.DIGEST, NotificationKind.PROGRESS_DUE: "portal"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {NotificationKind.PROGRESS_DUE}
    assert not NotificationPreference.objects.filter(user=user).exists()


# --- API -----------------------------------------------------------------------------------------


def test_api_lists_my_notifications_only(world, notes, api_client):
    """A focal point never sees another person's notifications, of their Party or another."""
    api_client.force_authenticate(world.users["ma_focal_point"])
    rows = api_client.get("/api/v1/notifications/").json()["results"]
    assert [row["subject"] for row in rows] == ["Plan returned", "Old news"]
    assert rows[0]["party"] == "TG" and rows[0]["read_at"] is None
    unread = api_client.get("/api/v1/notifications/", {"unread": "true"}).json()["results"]
    assert [row["id"] for row in unread] == [notes["unread"].pk]
    for other in (notes["colleague"], notes["other"]):
        assert api_client.get(f"/api/v1/notifications/{other.pk}/").status_code == 404
        assert api_client.post(f"/api/v1/notifications/{other.pk}/read/").status_code == 404


def test_api_marks_read(world, notes, api_client):
    api_client.force_authenticate(world.users["ma_focal_point"])
    response = api_client.post(f"/api/v1/notifications/{notes['unread'].pk}/read/")
    assert response.status_code == 200 and response.json() == {"marked": 1}
    assert api_client.post("/api/v1/notifications/read-all/").json() == {"marked": 0}
    api_client.force_authenticate(world.users["sa_focal_point"])
    assert api_client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}


@pytest.fixture
def cases(world):
    return cap_case_for(world.own), CapCase.objects.create(party=world.other)


def test_api_comments_filtered_by_target_and_by_visibility(world, cases, api_client):
    own, other = cases
    workplan = make_workplan(world.own)
    cm = world.users["case_manager"]
    on_case = comment_post(target=own, body="Case note", visibility="shared", user=cm)
    comment_post(target=own, body="Internal note", visibility="internal", user=cm)
    on_plan = comment_post(target=workplan, body="Plan note", visibility="shared", user=cm)
    comment_post(target=other, body="Nigeria note", visibility="shared", user=cm)
    api_client.force_authenticate(world.users["ma_focal_point"])
    rows = api_client.get("/api/v1/comments/").json()["results"]
    assert {row["body"] for row in rows} == {"Case note", "Plan note"}  # no internal, no other Party
    rows = api_client.get("/api/v1/comments/", {"target_type": "workplan", "target_id": workplan.pk}).json()
    assert [row["id"] for row in rows["results"]] == [on_plan.pk]
    assert rows["results"][0]["target_type"] == "workplan"
    rows = api_client.get("/api/v1/comments/", {"target_type": "capcase", "target_id": own.pk}).json()
    assert [row["id"] for row in rows["results"]] == [on_case.pk]


def test_api_posts_comments_through_the_same_rules(world, cases, api_client):
    own, other = cases
    api_client.force_authenticate(world.users["ma_focal_point"])
    made = api_client.post(
        "/api/v1/comments/",
        {"target_type": "capcase", "target_id": own.pk, "body": "Our answer"},
        format="json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["author"] == "ma_focal_point" and made.json()["visibility"] == "shared"
    refused = api_client.post(
        "/api/v1/comments/",
        {"target_type": "capcase", "target_id": other.pk, "body": "Not ours"},
        format="json",
    )
    assert refused.status_code == 400 and "target_id" in str(refused.json())
    internal = api_client.post(
        "/api/v1/comments/",
        {"target_type": "capcase", "target_id": own.pk, "body": "Secret", "visibility": "internal"},
        format="json",
    )
    assert internal.status_code == 400 and "visibility" in str(internal.json())
    no_target = api_client.post("/api/v1/comments/", {"body": "About what?"}, format="json")
    assert no_target.status_code == 400 and "target_type" in str(no_target.json())
    assert list(Comment.objects.values_list("body", flat=True)) == ["Our answer"]
    api_client.force_authenticate(world.users["secretariat_viewer"])
    assert (
        api_client.post(
            "/api/v1/comments/", {"target_type": "capcase", "target_id": own.pk, "body": "x"}, format="json"
        ).status_code
        == 403
    )


def test_a_comment_posted_with_no_target_is_refused_with_a_message(world, cases, client):
    """Issue 14.6: the form without "about" wrote a comment on the case (or redirected silently);
    now nothing is written and the page says why."""
    own, _other = cases
    client.force_login(world.users["case_manager"])
    response = client.post(reverse("portfolio:comment_add", args=[own.pk]), {"body": "Hello"}, follow=True)
    assert not Comment.objects.exists()
    assert "Choose what the comment is about" in response.content.decode()
