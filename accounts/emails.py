"""The e-mails of people's accounts: the invitation to take a role."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _


def invitation_link(secret: str) -> str:
    """The absolute address of the acceptance page for the link's ``secret``."""
    return settings.PORTAL_URL.rstrip("/") + reverse("people:invitation_accept", kwargs={"secret": secret})


def invitation_email_send(*, invitation, secret: str) -> None:
    """Send the invitation in its own language (the invitee's, not the sender's): who invites,
    for which role, the link and the date it stops working."""
    language = invitation.language if invitation.language in dict(settings.LANGUAGES) else None
    with translation.override(language):
        context = {
            "invitation": invitation,
            "invited_by": invitation.invited_by.get_full_name() or invitation.invited_by.get_username(),
            "role": invitation.get_role_display(),
            "scope": invitation.party or invitation.donor,
            "link": invitation_link(secret),
            "expires_at": invitation.expires_at,
        }
        subject = _("Invitation to the CITES CAP Portal")
        body = render_to_string("accounts/emails/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])
