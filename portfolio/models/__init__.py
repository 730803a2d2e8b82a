"""The portfolio app's models: comments on CAP cases and workplans, the notification log and each
user's preferences (language, e-mail)."""

from .comments import Comment, CommentVisibility
from .notifications import Notification, NotificationKind, NotificationPreference, UserPreference

__all__ = [
    "Comment",
    "CommentVisibility",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "UserPreference",
]
