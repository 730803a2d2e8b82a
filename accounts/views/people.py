"""The People pages: who holds which role for which Party since when, invitations, roles given
and ended with dates, accounts deactivated. The Secretariat reads; case managers act. The
acceptance page of an invitation is public (the link's secret is the credential)."""

from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model, login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views import View, generic
from django_filters.views import FilterView

from accounts import services
from accounts.filtersets import InvitationFilterSet, PeopleFilterSet
from accounts.forms import InvitationAcceptForm, InvitationForm, RoleEndForm, RoleGrantForm
from accounts.models import Invitation
from accounts.selectors import PEOPLE_POLICY, invitation_status, people_for_table, people_restrict
from cap_portal.access import Action
from cap_portal.pagination import CountCachedPaginator
from cap_portal.views import (
    ObjectListView,
    RestrictedViewMixin,
    add_validation_error,
    message_validation_error,
    safe_next,
)
from parties.models import RoleAssignment


class PeopleAccessMixin(LoginRequiredMixin):
    """People are governed by ``PEOPLE_POLICY`` (the User model declares no policy): a role that
    may never take the view's action answers 403, as the base views do for other models."""

    access_action: str = Action.VIEW

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not PEOPLE_POLICY.allows(request.user, self.access_action):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return people_restrict(self.request.user, self.access_action)

    def get_person(self):
        if not hasattr(self, "_person"):
            self._person = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        return self._person


class PeopleListView(PeopleAccessMixin, FilterView):
    """Everyone with an account: the roles they hold today, with their Party or donor and since
    when, and their last sign-in."""

    model = get_user_model()
    filterset_class = PeopleFilterSet
    template_name = "accounts/people/person_list.html"
    paginate_by = 50
    paginator_class = CountCachedPaginator

    def get_queryset(self):
        return people_for_table(super().get_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        context["filters_active"] = any(v for v in query.values())
        context["can_invite"] = Invitation.access_policy.allows(self.request.user, Action.ADD)
        return context


class PersonDetailView(PeopleAccessMixin, generic.DetailView):
    """One person: their roles now and before, with dates; their invitations; their account."""

    model = get_user_model()
    template_name = "accounts/people/person_detail.html"
    context_object_name = "person"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person, user = self.object, self.request.user
        roles = list(
            RoleAssignment.objects.filter(user=person).select_related("party", "donor").order_by("-starts_on")
        )
        context["current_roles"] = [r for r in roles if person.is_active and r.is_current]
        context["other_roles"] = [r for r in roles if not (person.is_active and r.is_current)]
        context["today"] = timezone.localdate()
        invitations = Invitation.objects.restrict(user, Action.VIEW).select_related(
            "party", "donor", "invited_by"
        )
        if person.email:
            invitations = invitations.filter(email__iexact=person.email) | invitations.filter(
                accepted_by=person
            )
        else:
            invitations = invitations.filter(accepted_by=person)
        context["invitations"] = [(i, invitation_status(i)) for i in invitations.distinct()]
        context["account_log"] = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(person), object_id=str(person.pk)
        ).select_related("user")[:20]
        context["can_manage"] = PEOPLE_POLICY.allows(user, Action.CHANGE)
        context["end_form"] = RoleEndForm(initial={"ends_on": timezone.localdate()})
        return context


class PersonFormView(PeopleAccessMixin, generic.FormView):
    """A form about one person (case managers): the service's refusals go under their field."""

    access_action = Action.CHANGE
    template_name = "accounts/people/form.html"
    title = ""

    def get_success_url(self):
        return reverse("people:person_detail", kwargs={"pk": self.get_person().pk})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["person"] = self.get_person()
        context["title"] = self.title
        context["cancel_url"] = self.get_success_url()
        return context

    def form_valid(self, form):
        try:
            message = self.act(form.cleaned_data)
        except DjangoValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url())


class RoleGrantView(PersonFormView):
    form_class = RoleGrantForm
    title = _("Give a role")
    uses_role_script = True

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def act(self, data):
        assignment = services.role_grant(
            user=self.get_person(),
            role=data["role"],
            party=data.get("party"),
            donor=data.get("donor"),
            starts_on=data.get("starts_on"),
            by=self.request.user,
        )
        return _("%(person)s holds the role %(role)s from %(date)s.") % {
            "person": self.get_person(),
            "role": assignment.get_role_display(),
            "date": date_format(assignment.starts_on, "SHORT_DATE_FORMAT"),
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "uses_role_script": True}


class RoleEndView(PersonFormView):
    """End one role on a date (the first day it no longer holds)."""

    form_class = RoleEndForm
    title = _("End a role")

    def get_assignment(self):
        if not hasattr(self, "_assignment"):
            assignments = RoleAssignment.objects.restrict(self.request.user, Action.CHANGE)
            self._assignment = get_object_or_404(
                assignments.select_related("user", "party", "donor"), pk=self.kwargs["pk"]
            )
        return self._assignment

    def get_person(self):
        return self.get_assignment().user

    def get_initial(self):
        return {"ends_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "assignment": self.get_assignment()}

    def act(self, data):
        assignment = services.role_end(
            assignment=self.get_assignment(), ends_on=data["ends_on"], by=self.request.user
        )
        return _("The role %(role)s of %(person)s ends on %(date)s.") % {
            "role": assignment.get_role_display(),
            "person": assignment.user,
            "date": date_format(assignment.ends_on, "SHORT_DATE_FORMAT"),
        }


class PersonAccountView(PeopleAccessMixin, View):
    """POST: deactivate or reactivate an account (case managers)."""

    http_method_names = ["post"]
    access_action = Action.CHANGE
    activate = False

    def post(self, request, *args, **kwargs):
        person = self.get_person()
        try:
            if self.activate:
                services.user_reactivate(user=person, by=request.user)
                messages.success(
                    request, _("%(person)s can sign in again. Give them a role.") % {"person": person}
                )
            else:
                services.user_deactivate(user=person, by=request.user)
                messages.success(
                    request,
                    _(
                        "%(person)s can no longer sign in; their roles ended today and their API "
                        "tokens are revoked."
                    )
                    % {"person": person},
                )
        except DjangoValidationError as error:
            message_validation_error(request, error)
        return HttpResponseRedirect(reverse("people:person_detail", kwargs={"pk": person.pk}))


# --- Invitations ---------------------------------------------------------------------------------


class InvitationListView(ObjectListView):
    """Invitations sent: open, accepted, expired or withdrawn."""

    queryset = Invitation.objects.select_related("party", "donor", "invited_by", "accepted_by")
    filterset_class = InvitationFilterSet
    template_name = "accounts/people/invitation_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [(i, invitation_status(i)) for i in context["object_list"]]
        context["can_change"] = Invitation.access_policy.allows(self.request.user, Action.CHANGE)
        return context


class InvitationCreateView(RestrictedViewMixin, generic.FormView):
    """Invite a person by e-mail for a role (and a Party or donor where the role needs one)."""

    model = Invitation
    access_action = Action.ADD
    form_class = InvitationForm
    template_name = "accounts/people/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Invite a person")
        context["cancel_url"] = reverse("people:invitation_list")
        context["uses_role_script"] = True
        context["submit_label"] = _("Send the invitation")
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            invitation, _secret = services.invitation_create(
                email=data["email"],
                role=data["role"],
                party=data.get("party"),
                donor=data.get("donor"),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                language=data["language"],
                by=self.request.user,
            )
        except DjangoValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The invitation was sent to %(email)s; the link works until %(date)s.")
            % {
                "email": invitation.email,
                "date": date_format(timezone.localtime(invitation.expires_at), "SHORT_DATETIME_FORMAT"),
            },
        )
        return HttpResponseRedirect(reverse("people:invitation_list"))


class InvitationActionView(RestrictedViewMixin, generic.detail.SingleObjectMixin, View):
    """POST: resend or withdraw an invitation (case managers)."""

    model = Invitation
    http_method_names = ["post"]
    access_action = Action.CHANGE
    operation = ""

    def post(self, request, *args, **kwargs):
        invitation = self.get_object()
        try:
            if self.operation == "resend":
                invitation, _secret = services.invitation_resend(invitation=invitation, by=request.user)
                messages.success(
                    request, _("The invitation was sent again to %(email)s.") % {"email": invitation.email}
                )
            else:
                services.invitation_revoke(invitation=invitation, by=request.user)
                messages.success(
                    request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email}
                )
        except DjangoValidationError as error:
            message_validation_error(request, error)
        return HttpResponseRedirect(safe_next(request, reverse("people:invitation_list")))


class InvitationAcceptView(View):
    """The page the invitation's link opens, without signing in: who invites the person for
    which role; they choose a username and a password, and are signed in."""

    template_name = "accounts/people/invitation_accept.html"

    def get(self, request, secret):
        return self.page(request, secret, None)

    def post(self, request, secret):
        signed_in = request.user.is_authenticated
        form = InvitationAcceptForm(request.POST, signed_in=signed_in)
        if not form.is_valid():
            return self.page(request, secret, form)
        data = form.cleaned_data
        try:
            person = services.invitation_accept(
                secret=secret,
                username=data.get("username", ""),
                password=data.get("password", ""),
                password_confirm=data.get("password_confirm"),
                user=request.user if signed_in else None,
            )
        except DjangoValidationError as error:
            add_validation_error(form, error)
            return self.page(request, secret, form)
        if not signed_in:
            login(request, person, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to the CAP Portal. You now hold your new role."))
        return HttpResponseRedirect(reverse("home"))

    def page(self, request, secret, form):
        invitation = services.invitation_for_secret(secret)
        refusal = services.invitation_refusal(invitation)
        if refusal:
            return render(
                request, self.template_name, {"refusal": refusal}, status=404 if invitation is None else 410
            )
        signed_in = request.user.is_authenticated
        if form is None:
            form = InvitationAcceptForm(signed_in=signed_in)
        context = {"invitation": invitation, "form": form, "signed_in": signed_in}
        return render(request, self.template_name, context, status=400 if form.is_bound else 200)
