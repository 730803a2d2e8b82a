"""Notification settings per kind instead of per group of kinds (issue 18, Deliver 2).

Each stored group row becomes one row per kind of that group, with the same delivery; the
due-date reminders, new among the kinds a person sets, keep the default (an e-mail at once). The
groups are written out here, as they stood, so that a later change to ``KIND_GROUPS`` does not
change what this migration did.
"""

from django.db import migrations, models

# The groups of 0004 and their kinds, frozen.
GROUP_KINDS = {
    "workplans": ["workplan_submitted", "workplan_returned", "workplan_approved", "workplan_revised"],
    "reviews": [
        "progress_submitted",
        "progress_accepted",
        "progress_returned",
        "deliverable_submitted",
        "deliverable_accepted",
        "deliverable_returned",
        "result_accepted",
        "result_returned",
    ],
    "cases": ["case_stage_changed"],
    "funding": ["installment_transferred", "installment_received"],
    "reports": ["report_finalised"],
    "roles": ["role_granted", "role_ended"],
}


def split_group_preferences(apps, schema_editor):
    """Each group row (``kind`` still empty) becomes one row per kind of its group."""
    NotificationPreference = apps.get_model("portfolio", "NotificationPreference")
    group_rows = list(NotificationPreference.objects.filter(kind=""))
    NotificationPreference.objects.bulk_create(
        NotificationPreference(user_id=row.user_id, group=row.group, kind=kind, delivery=row.delivery)
        for row in group_rows
        for kind in GROUP_KINDS.get(row.group, ())
    )
    NotificationPreference.objects.filter(pk__in=[row.pk for row in group_rows]).delete()
    _check_constraints_now(schema_editor)


def merge_kind_preferences(apps, schema_editor):
    """Back to one row per group: the digest when every stored kind of the group chose it, else
    at once; reminder rows (no group before) are dropped."""
    NotificationPreference = apps.get_model("portfolio", "NotificationPreference")
    group_of = {kind: group for group, kinds in GROUP_KINDS.items() for kind in kinds}
    merged: dict[tuple[int, str], set] = {}
    for user_id, kind, delivery in NotificationPreference.objects.values_list("user_id", "kind", "delivery"):
        if kind in group_of:
            merged.setdefault((user_id, group_of[kind]), set()).add(delivery)
    NotificationPreference.objects.all().delete()
    NotificationPreference.objects.bulk_create(
        NotificationPreference(
            user_id=user_id,
            group=group,
            kind="",
            delivery="digest" if deliveries == {"digest"} else "immediate",
        )
        for (user_id, group), deliveries in merged.items()
    )
    _check_constraints_now(schema_editor)


def _check_constraints_now(schema_editor):
    # PostgreSQL refuses to alter a table with deferred foreign-key checks pending (the rows just
    # written), and the next operations alter it in the same transaction.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("portfolio", "0004_notification_inbox"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="notificationpreference",
            name="notification_preference_once_per_group",
        ),
        migrations.AddField(
            model_name="notificationpreference",
            name="kind",
            field=models.CharField(
                choices=[
                    ("workplan_submitted", "Workplan submitted"),
                    ("workplan_returned", "Workplan returned"),
                    ("workplan_approved", "Workplan approved"),
                    ("workplan_revised", "Workplan revision started"),
                    ("progress_submitted", "Progress update submitted"),
                    ("progress_accepted", "Progress update accepted"),
                    ("progress_returned", "Progress update returned"),
                    ("deliverable_submitted", "Deliverable submitted"),
                    ("deliverable_accepted", "Deliverable accepted"),
                    ("deliverable_returned", "Deliverable returned"),
                    ("result_accepted", "Result accepted"),
                    ("result_returned", "Result returned"),
                    ("case_stage_changed", "CAP case stage changed"),
                    ("report_finalised", "SC report finalised"),
                    ("installment_transferred", "Installment transferred"),
                    ("installment_received", "Installment received"),
                    ("role_granted", "Role granted"),
                    ("role_ended", "Role ended"),
                    ("progress_due", "Progress update due"),
                    ("progress_overdue", "Progress update overdue"),
                    ("milestone_due", "Milestone due"),
                    ("milestone_overdue", "Milestone overdue"),
                    ("agreement_ending", "Agreement ending"),
                    ("agreement_ended", "Agreement ended"),
                ],
                default="",
                max_length=30,
                verbose_name="notification",
            ),
            preserve_default=False,
        ),
        # A default for the group while it goes, so that the way back can add it to existing rows.
        migrations.AlterField(
            model_name="notificationpreference",
            name="group",
            field=models.CharField(blank=True, default="", max_length=20, verbose_name="notifications"),
        ),
        migrations.RunPython(split_group_preferences, merge_kind_preferences),
        migrations.RemoveField(
            model_name="notificationpreference",
            name="group",
        ),
        migrations.AddConstraint(
            model_name="notificationpreference",
            constraint=models.UniqueConstraint(
                fields=("user", "kind"), name="notification_preference_once_per_kind"
            ),
        ),
    ]
