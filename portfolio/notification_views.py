"""Each person's inbox (/notifications/): their own notifications, unread first, marked read one by
one or all at once, each linking to its object; and their notification settings (at once or a
daily digest, per kind, reminders included). Own rows only: another person's notification answers 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import generic

from cap_portal.pagination import CountCachedPaginator

from .choices import KIND_GROUPS, Delivery, NotificationGroup, NotificationKind, kinds_of
from .models import Notification
from .notify import inbox, notification_mark_read
from .preferences import notification_deliveries, notification_preferences_set


class InboxView(LoginRequiredMixin, generic.ListView):
    """The signed-in person's notifications, unread first."""

    template_name = "portfolio/inbox.html"
    context_object_name = "notifications"
    paginate_by = 25
    paginator_class = CountCachedPaginator

    def get_queryset(self):
        return inbox(self.request.user)


class NotificationReadView(LoginRequiredMixin, generic.View):
    """POST: mark one of my notifications read, then open its object (``open=1``) or go back."""

    def post(self, request, pk):
        notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
        notification_mark_read(user=request.user, notification=notification)
        target = notification.link if request.POST.get("open") else ""
        if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("notifications:inbox")
        return HttpResponseRedirect(target)


class NotificationReadAllView(LoginRequiredMixin, generic.View):
    """POST: mark all my notifications read."""

    def post(self, request):
        count = notification_mark_read(user=request.user)
        if count:
            messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
        else:
            messages.info(request, _("Nothing unread."))
        return HttpResponseRedirect(reverse("notifications:inbox"))


class NotificationPreferencesForm(forms.Form):
    """One choice per kind of notification (an e-mail at once, or one digest e-mail a day), shown
    under its group's heading, and per group an optional choice applied to all its kinds. A kind
    not posted is left as it is."""

    GROUP_PREFIX = "group_"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(Delivery.IMMEDIATE, Delivery.IMMEDIATE.label), (Delivery.DIGEST, Delivery.DIGEST.label)]
        for group in NotificationGroup:
            self.fields[self.GROUP_PREFIX + group.value] = forms.ChoiceField(
                label=_("Apply to the whole group"),
                choices=[("", _("No: as chosen below")), *choices],
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
        for kind in KIND_GROUPS:
            self.fields[str(kind)] = forms.ChoiceField(
                label=NotificationKind(kind).label,
                choices=choices,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )

    def groups(self):
        """(group, its "apply to all" field, its kinds' fields), in the order of the settings."""
        return [
            (
                group,
                self[self.GROUP_PREFIX + group.value],
                [self[str(kind)] for kind in kinds_of(group)],
            )
            for group in NotificationGroup
        ]

    def deliveries(self) -> dict[str, str]:
        """Kind → delivery, for the kinds posted; a group's choice wins over its kinds' own."""
        chosen = {
            name: value
            for name, value in self.cleaned_data.items()
            if value and not name.startswith(self.GROUP_PREFIX)
        }
        for group in NotificationGroup:
            value = self.cleaned_data.get(self.GROUP_PREFIX + group.value)
            if value:
                chosen.update({str(kind): value for kind in kinds_of(group)})
        return chosen


class NotificationPreferencesView(LoginRequiredMixin, generic.FormView):
    """My notification settings (linked from the account menu)."""

    template_name = "portfolio/notification_preferences.html"
    form_class = NotificationPreferencesForm
    success_url = reverse_lazy("notifications:preferences")

    def get_initial(self):
        return notification_deliveries(self.request.user)

    def form_valid(self, form):
        notification_preferences_set(user=self.request.user, deliveries=form.deliveries())
        messages.success(self.request, _("Your notification settings were saved."))
        return super().form_valid(form)
