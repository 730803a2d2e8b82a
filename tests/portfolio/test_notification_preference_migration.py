"""Migration portfolio 0005: the notification settings stored per group of kinds become one row per
kind of that group, with the same delivery (issue 18, Deliver 2)."""

from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from portfolio.choices import KIND_GROUPS, NotificationGroup
from portfolio.models import NotificationPreference

BEFORE = ("portfolio", "0004_notification_inbox")
AFTER = ("portfolio", "0005_notification_preference_per_kind")
migration = import_module("portfolio.migrations.0005_notification_preference_per_kind")

pytestmark = pytest.mark.django_db


def test_the_frozen_groups_are_the_groups_of_the_hand_overs():
    """The migration's own copy of the groups names each hand-over kind of its group today."""
    for group, kinds in migration.GROUP_KINDS.items():
        assert kinds == [kind for kind, of in KIND_GROUPS.items() if of == group]
    assert set(migration.GROUP_KINDS) == set(NotificationGroup.values) - {NotificationGroup.REMINDERS}


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def test_each_group_row_becomes_one_row_per_kind_of_that_group(world, postgresql):
    """Run back to 0004, store group rows as 0004 did, run 0005: one row per kind, same delivery,
    and the reminders (no group before) at the default. PostgreSQL only: its schema changes roll
    back with the test's transaction."""
    ma, cm = world.users["ma_focal_point"], world.users["case_manager"]
    old_apps = _migrate(BEFORE)
    Old = old_apps.get_model("portfolio", "NotificationPreference")
    Old.objects.create(user_id=ma.pk, group="workplans", delivery="digest")
    Old.objects.create(user_id=ma.pk, group="roles", delivery="immediate")
    Old.objects.create(user_id=cm.pk, group="reviews", delivery="digest")
    with connection.cursor() as cursor:  # the rows' deferred checks, before altering their table
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("portfolio")[0])

    stored = set(NotificationPreference.objects.values_list("user__username", "kind", "delivery"))
    assert stored == {
        ("ma_focal_point", "workplan_submitted", "digest"),
        ("ma_focal_point", "workplan_returned", "digest"),
        ("ma_focal_point", "workplan_approved", "digest"),
        ("ma_focal_point", "workplan_revised", "digest"),
        ("ma_focal_point", "role_granted", "immediate"),
        ("ma_focal_point", "role_ended", "immediate"),
        *{("case_manager", kind, "digest") for kind in migration.GROUP_KINDS["reviews"]},
    }


def test_the_way_back_keeps_one_row_per_group(world, postgresql):
    """Unapplied, 0005 leaves one row per group: the digest where every stored kind of the group
    had it."""
    ma = world.users["ma_focal_point"]
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(user=ma, kind="workplan_submitted", delivery="digest"),
            NotificationPreference(user=ma, kind="workplan_returned", delivery="digest"),
            NotificationPreference(user=ma, kind="role_granted", delivery="digest"),
            NotificationPreference(user=ma, kind="role_ended", delivery="immediate"),
            NotificationPreference(user=ma, kind="progress_due", delivery="digest"),
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    old_apps = _migrate(BEFORE)
    Old = old_apps.get_model("portfolio", "NotificationPreference")
    assert set(Old.objects.values_list("user_id", "group", "delivery")) == {
        (ma.pk, "workplans", "digest"),
        (ma.pk, "roles", "immediate"),
    }
