"""Template tags of the dashboard slice: the CAP case activity feed and comment form."""

from django import template

from cap_portal.access import Action

from ..feed import case_feed
from ..models.comments import Comment, CommentVisibility

register = template.Library()


@register.inclusion_tag("portfolio/_feed_body.html", takes_context=True)
def cap_case_feed(context, cap_case):
    """The feed of a CAP case, and the comment form when the user may comment on it."""
    user = context["request"].user
    probe = Comment(cap_case=cap_case, author=user)
    can_comment = Comment.access_policy.permits(user, Action.ADD, probe)
    # The internal/shared choice is offered to those who may post internal comments.
    may_post_internal = Comment.internal_access_policy.permits(user, Action.ADD, probe)
    targets = []
    if can_comment:
        targets.append(("capcase", cap_case.pk, str(cap_case)))
        for workplan in cap_case.workplans.exclude(status="superseded").order_by("-version"):
            targets.append(("workplan", workplan.pk, str(workplan)))
            for activity in workplan.activities.order_by("code"):
                targets.append(("activity", activity.pk, f"— {activity}"))
    return {
        "cap_case": cap_case,
        "feed": case_feed(cap_case, user),
        "can_comment": can_comment,
        "targets": targets,
        "visibilities": CommentVisibility.choices if may_post_internal else [],
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }
