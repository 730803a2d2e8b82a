"""Base UI views. Each restricts its queryset to what the user may take its action on, so an
object outside it answers 404, exactly as in the API; a role that may never take the action
gets 403. Writes go through the generic services."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import defaults, generic
from django_filters.views import FilterView

from cap_portal import exports, services
from cap_portal.access import Action, holds_role
from cap_portal.pagination import CountCachedPaginator
from cap_portal.workflow import transition_take, workflow_for
from parties.names import in_readers_order


def safe_next(request, fallback: str, field: str = "next") -> str:
    """Where to send the user after a form: the ``next`` (or ``field``) value of the POST or the
    query string when it points at this site, else ``fallback``. An off-site, scheme-relative or
    non-HTTP target (``https://evil.example/``, ``//evil.example``, ``javascript:``) and a step
    down from HTTPS to HTTP are refused, so the portal is no open redirect."""
    target = request.POST.get(field) or request.GET.get(field)
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


class RestrictedViewMixin(LoginRequiredMixin):
    access_action: str = Action.VIEW

    def get_model(self):
        return self.model or self.queryset.model

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.get_model().access_policy.allows(
            request.user, self.access_action
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, self.access_action)


class ObjectListView(RestrictedViewMixin, FilterView):
    """A filtered, paginated list; the FilterSet is the one the API uses.

    With ``export_fields`` (field paths, or (label, path) pairs), ``?export=csv|xlsx`` answers the
    whole filtered, restricted list as a file with those columns.
    """

    paginate_by = 50
    paginator_class = CountCachedPaginator
    export_fields: tuple = ()

    def get_export_format(self):
        fmt = self.request.GET.get("export")
        return fmt if self.export_fields and fmt in exports.EXPORT_FORMATS else None

    def render_to_response(self, context, **response_kwargs):
        fmt = self.get_export_format()
        if fmt:
            model = self.get_model()
            columns = exports.columns_for(model, self.export_fields)
            return exports.export_response(
                self.object_list, columns, fmt, str(model._meta.verbose_name_plural)
            )
        return super().render_to_response(context, **response_kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        queryset = queryset.for_table() if hasattr(queryset, "for_table") else queryset
        # Rows that follow their Party follow it in the reader's language ("Allemagne" under A).
        return in_readers_order(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        context["filters_active"] = any(v for k, v in query.items() if k != "page")
        context["can_add"] = self.get_model().access_policy.allows(self.request.user, Action.ADD)
        query.pop("export", None)
        context["export_querystring"] = query.urlencode() if self.export_fields else None
        return context


class ObjectDetailView(RestrictedViewMixin, generic.DetailView):
    """An object page; another Party's non-public object answers 404."""


class ObjectEditView(RestrictedViewMixin, generic.UpdateView):
    """Create (no pk/slug in the URL) or edit an object through the generic services."""

    template_name = "generic/object_edit.html"

    @property
    def is_create(self):
        return self.pk_url_kwarg not in self.kwargs and self.slug_url_kwarg not in self.kwargs

    @property
    def access_action(self):
        return Action.ADD if self.is_create else Action.CHANGE

    def get_object(self, queryset=None):
        if self.is_create:
            return self.get_model()(**self.get_initial_object_values())
        return super().get_object(queryset)

    def get_initial_object_values(self) -> dict:
        """Values preset on a new object (e.g. its Party, from the URL)."""
        return {}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not self.is_create:
            # The version the user opened, to catch an edit made meanwhile by someone else.
            form.fields[VERSION_FIELD] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=self.object.updated.isoformat()
            )
        return form

    @transaction.atomic
    def form_valid(self, form):
        model = self.get_model()
        policy = model.access_policy
        # form.instance already carries the submitted values: check the Party it would belong to.
        if not policy.permits(self.request.user, self.access_action, form.instance):
            field = (policy.party_path or "").split("__")[0]
            form.add_error(
                field if field in form.fields else None, _("You may not write to this Party's records.")
            )
            return self.form_invalid(form)
        data = dict(form.cleaned_data)
        opened = data.pop(VERSION_FIELD, None)
        if not self.is_create:
            current = type(self.object).objects.select_for_update().get(pk=self.object.pk)
            if opened and opened != current.updated.isoformat():
                form.add_error(None, stale_edit_message(current, opened))
                form.data = form.data.copy()
                form.data[VERSION_FIELD] = current.updated.isoformat()
                return self.form_invalid(form)
        try:
            if self.is_create:
                data.update(self.get_initial_object_values())
                self.object = self.create(data)
                messages.success(self.request, _("%(object)s was created.") % {"object": self.object})
            else:
                self.object = self.update(data)
                messages.success(self.request, _("%(object)s was saved.") % {"object": self.object})
        except DjangoValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        return HttpResponseRedirect(self.get_success_url())

    def create(self, data: dict):
        """Write a new object; views with a domain service override this."""
        return services.object_create(model=self.get_model(), user=self.request.user, data=data)

    def update(self, data: dict):
        """Write the changes to ``self.object``; views with a domain service override this."""
        return services.object_update(instance=self.object, user=self.request.user, data=data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_create"] = self.is_create
        context["model_name"] = self.get_model()._meta.verbose_name
        context["cancel_url"] = self.get_cancel_url()
        return context

    def get_cancel_url(self):
        if not self.is_create:
            return self.object.get_absolute_url()
        return safe_next(self.request, "/", field="return_url")


class ChildEditView(ObjectEditView):
    """Create a record under the parent the address names (``<int:parent>``), or edit one by its id.

    A subclass declares ``parent_model`` and ``parent_field`` (the record's field that holds the
    parent). The parent is looked up among the objects of ``parent_model`` the user may see (404
    otherwise, before any form is shown) and preset on the new record; the Party check of the base
    view then applies to the record as it would be saved. Cancel (and, with ``return_to_parent``,
    saving) returns to the parent's page, ``get_parent_url``.
    """

    parent_model = None
    parent_field = ""
    parent_kwarg = "parent"
    parent_related: tuple = ()  # select_related on the parent lookup, for the page and the checks
    return_to_parent = False  # after saving, back to the parent's page (else the record's own)

    def get_parent(self):
        """The parent named in the address, among the objects the user may see (404 otherwise)."""
        if not hasattr(self, "_parent"):
            parents = self.parent_model.objects.restrict(self.request.user, Action.VIEW)
            self._parent = get_object_or_404(
                parents.select_related(*self.parent_related), pk=self.kwargs[self.parent_kwarg]
            )
        return self._parent

    def get_initial_object_values(self) -> dict:
        if self.parent_kwarg not in self.kwargs:
            return {}
        return {self.parent_field: self.get_parent()}

    def parent_of_object(self):
        """The parent to return to: the address's on a new record, the record's own otherwise."""
        if self.parent_kwarg in self.kwargs:
            return self.get_parent()
        return getattr(self.object, self.parent_field)

    def get_parent_url(self, parent) -> str:
        return parent.get_absolute_url()

    def get_success_url(self):
        if self.return_to_parent:
            return self.get_parent_url(self.parent_of_object())
        return super().get_success_url()

    def get_cancel_url(self):
        if self.return_to_parent or self.parent_kwarg in self.kwargs:
            return self.get_parent_url(self.parent_of_object())
        return super().get_cancel_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["parent"] = self.get_parent() if self.parent_kwarg in self.kwargs else None
        return context


class ObjectDeleteView(RestrictedViewMixin, generic.DeleteView):
    access_action = Action.DELETE
    template_name = "generic/object_confirm_delete.html"

    def form_valid(self, form):
        target = str(self.object)
        success_url = self.get_success_url()
        services.object_delete(instance=self.object, user=self.request.user)
        messages.success(self.request, _("%(object)s was deleted.") % {"object": target})
        return HttpResponseRedirect(success_url)


VERSION_FIELD = "edit_version"


def stale_edit_message(current, opened: str) -> str:
    """Who changed the record since the user opened it, and which fields, old → new."""
    latest = current.history.select_related("history_user").first()
    base = current.history.filter(updated=opened).first()
    changes = []
    if latest is not None and base is not None:
        changes = [
            f"{current._meta.get_field(c.field).verbose_name}: «{c.old}» → «{c.new}»"
            for c in latest.diff_against(base).changes
            if c.field != "updated"
        ]
    who = latest.history_user if latest is not None and latest.history_user else _("someone else")
    when = latest.history_date if latest is not None else current.updated
    message = _(
        "%(who)s changed this record at %(when)s, after you opened it. Check the current values "
        "and save again to overwrite them."
    ) % {"who": who, "when": date_format(timezone.localtime(when), "DATETIME_FORMAT")}
    if changes:
        message = f"{message} {_('Changed:')} " + "; ".join(changes)
    return message


def add_validation_error(form, error: DjangoValidationError) -> None:
    """A service's ``ValidationError`` on the form: under the field it names when the form shows
    that field, above the form otherwise (never lost)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def message_validation_error(request, error: DjangoValidationError) -> None:
    """A service's ``ValidationError`` refusing a button's action (a step, a deletion, a comment),
    shown as error messages on the page the user is sent back to, one per message."""
    for message in error.messages:
        messages.error(request, message)


class StepForm(forms.Form):
    """A workflow step's comment (workflows with more inputs give their own form)."""

    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TransitionView(RestrictedViewMixin, generic.detail.SingleObjectMixin, generic.View):
    """POST one workflow step on an object: the one UI view of every workflow (CAP case stages,
    workplan statuses, progress-update and deliverable reviews, report status). A subclass names
    the queryset; the model's workflow comes from its app's ``workflow.py``.

    The step is the view's ``action``, the URL's ``action``, or the form's ``action_field``. A
    role that may never take it (or, when the form names it, any step of the workflow) answers
    403 before the object is looked up; an object outside what the user may ``access_action``
    answers 404. The step goes through :func:`cap_portal.workflow.transition_take`; its refusals
    are shown as messages, and the user goes back to the object (or a safe ``next``).
    """

    http_method_names = ["post"]
    form_class = StepForm
    action: str | None = None
    action_field = "action"
    success_message = _("%(object)s: %(action)s done.")
    # Shown instead of the form's own errors when the form is invalid (e.g. no decision chosen).
    invalid_message = None

    def get_workflow(self):
        return workflow_for(self.get_model())

    def get_url_action(self) -> str | None:
        return self.action or self.kwargs.get("action")

    def post(self, request, *args, **kwargs):
        workflow = self.get_workflow()
        action = self.get_url_action()
        if action is not None:
            transition = workflow.get(action)
            if transition is None:
                raise PermissionDenied
            roles = transition.roles
        else:
            roles = workflow.roles
        # A role that may never take the step: 403 before the lookup (as in the API).
        if not holds_role(request.user, roles):
            raise PermissionDenied
        self.object = self.get_object()
        form = self.get_form()
        if not form.is_valid():
            if self.invalid_message:
                messages.error(request, self.invalid_message)
            else:
                for errors in form.errors.values():
                    for error in errors:
                        messages.error(request, error)
            return HttpResponseRedirect(self.get_back_url(self.object))
        action, comment, extra = self.get_step(form)
        try:
            result = transition_take(
                obj=self.object, action=action, user=request.user, comment=comment, **extra
            )
        except DjangoValidationError as error:
            message_validation_error(request, error)
            return HttpResponseRedirect(self.get_back_url(self.object))
        label = workflow.get(action).label
        messages.success(request, self.success_message % {"object": result, "action": label})
        return HttpResponseRedirect(self.get_back_url(result))

    def get_form(self):
        return self.form_class(self.request.POST, **self.get_form_kwargs())

    def get_form_kwargs(self) -> dict:
        return {}

    def get_step(self, form) -> tuple[str, str, dict]:
        """The step, its comment and its other inputs (``extra`` of ``transition_take``)."""
        data = dict(form.cleaned_data)
        action = self.get_url_action() or data.pop(self.action_field)
        data.pop(self.action_field, None)
        comment = data.pop("comment", "")
        return action, comment, data

    def get_back_url(self, obj) -> str:
        """Where the user goes after the step: the object the step leaves them on (a revision's
        new version), unless a safe ``next`` says otherwise."""
        return safe_next(self.request, obj.get_absolute_url())


# --- Error pages ---------------------------------------------------------------------------------

API_PATH = "/api/"


def _api_error(kind: str, code: str, detail, status: int) -> JsonResponse:
    """An error in the body every API error has (drf-standardized-errors' format)."""
    return JsonResponse(
        {"type": kind, "errors": [{"code": code, "detail": str(detail), "attr": None}]}, status=status
    )


def page_not_found(request, exception):
    """Django's 404 page; under /api/ (a URL no route matches), the API's JSON error."""
    if request.path.startswith(API_PATH):
        return _api_error("client_error", "not_found", _("Not found."), 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """Django's 500 page; under /api/, the API's JSON error (no detail of the failure leaks)."""
    if request.path.startswith(API_PATH):
        return _api_error("server_error", "error", _("A server error occurred."), 500)
    return defaults.server_error(request)
