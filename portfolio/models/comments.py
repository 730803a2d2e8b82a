"""Comments on a CAP case, a workplan or an activity (imported by cases/models.py).

A comment is either internal to the Secretariat or shared with the Party: the Secretariat reads
both, the Party's focal points read the shared ones only (``CommentQuerySet.restrict``). Focal
points may post shared comments on their own Party's objects; case managers post either kind.
Comments are written by :func:`comment_post` only.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from cap_portal.access import (
    CASE_MANAGER_ROLES,
    COMMENTER_ROLES,
    READER_ROLES,
    SECRETARIAT_ROLES,
    AccessPolicy,
    Action,
    RestrictedQuerySet,
)
from cap_portal.models import BaseModel

__all__ = ["Comment", "CommentVisibility"]

# The models a comment may be about, by the name used in URLs and forms.
COMMENT_TARGETS = {
    "capcase": ("cases", "capcase"),
    "workplan": ("workplans", "workplan"),
    "activity": ("workplans", "activity"),
}


class CommentVisibility(models.TextChoices):
    INTERNAL = "internal", _("Internal to the Secretariat")
    SHARED = "shared", _("Shared with the Party")


class CommentQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = Action.VIEW):
        """The access policy's Party scope, and internal comments for the Secretariat only."""
        queryset = super().restrict(user, action)
        if not self.model.internal_access_policy.allows(user, Action.VIEW):
            queryset = queryset.filter(visibility=CommentVisibility.SHARED)
        return queryset


class Comment(BaseModel):
    """A remark on a CAP case, one of its workplan versions or one of their activities, internal to
    the Secretariat or shared with the Party. ``cap_case`` is derived from the target when posted
    (it places the comment in the case's activity feed and gives its Party)."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("about (kind)")
    )
    object_id = models.PositiveBigIntegerField(_("about (id)"))
    target = GenericForeignKey("content_type", "object_id")
    cap_case = models.ForeignKey(
        "cases.CapCase", on_delete=models.CASCADE, related_name="comments", verbose_name=_("CAP case")
    )
    body = models.TextField(_("comment"))
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=CommentVisibility.choices, default=CommentVisibility.INTERNAL
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cap_comments",
        verbose_name=_("author"),
    )

    access_policy = AccessPolicy(
        party_path="cap_case__party",
        view=READER_ROLES,
        add=COMMENTER_ROLES,
    )
    # Internal comments: the Secretariat reads them, case managers post them.
    internal_access_policy = AccessPolicy(
        party_path="cap_case__party", view=SECRETARIAT_ROLES, add=CASE_MANAGER_ROLES
    )
    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["content_type", "object_id"], name="comment_target_idx")]

    def __str__(self):
        return _("Comment by %(author)s on %(target)s") % {"author": self.author, "target": self.target}

    def get_absolute_url(self):
        return self.cap_case.get_absolute_url() + f"#comment-{self.pk}"

    @property
    def is_internal(self) -> bool:
        return self.visibility == CommentVisibility.INTERNAL


def comment_target_model(name: str):
    """The model class for a target name of ``COMMENT_TARGETS`` (None when unknown)."""
    if name not in COMMENT_TARGETS:
        return None
    return ContentType.objects.get_by_natural_key(*COMMENT_TARGETS[name]).model_class()


def comment_cap_case_of(target):
    """The CAP case a target belongs to (the case itself, a workplan's, an activity's)."""
    meta = target._meta
    if meta.label_lower == "cases.capcase":
        return target
    if meta.label_lower == "workplans.workplan":
        return target.cap_case
    if meta.label_lower == "workplans.activity":
        return target.workplan.cap_case
    raise ValueError(f"Comments are not taken on {meta.label}")


@transaction.atomic
def comment_post(*, target, body: str, visibility: str, user) -> Comment:
    """Post a comment on a CAP case, workplan or activity the user may see.

    Focal points post shared comments on their own Party's objects only; an internal comment from
    outside the Secretariat is refused on the ``visibility`` field.
    """
    comment = Comment(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        cap_case=comment_cap_case_of(target),
        body=(body or "").strip(),
        visibility=visibility,
        author=user,
    )
    if not type(target).objects.restrict(user, Action.VIEW).filter(pk=target.pk).exists():
        raise PermissionDenied
    if not Comment.access_policy.permits(user, Action.ADD, comment):
        raise PermissionDenied
    if visibility == CommentVisibility.INTERNAL and not Comment.internal_access_policy.permits(
        user, Action.ADD, comment
    ):
        raise ValidationError({"visibility": _("Only the Secretariat posts internal comments.")})
    comment.full_clean()
    comment.save()
    return comment
