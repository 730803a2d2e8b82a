"""Base UI views. Each restricts its queryset to what the user may take its action on, so an
object outside it answers 404, exactly as in the API; a role that may never take the action
gets 403. Writes go through the generic services."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.views import generic
from django_filters.views import FilterView

from cap_portal import exports, services
from cap_portal.access import Action


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
        return queryset.for_table() if hasattr(queryset, "for_table") else queryset

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
            _add_errors(form, error)
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
        return self.request.GET.get("return_url") or "/"


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
    ) % {"who": who, "when": when.strftime("%Y-%m-%d %H:%M")}
    if changes:
        message = f"{message} {_('Changed:')} " + "; ".join(changes)
    return message


def _add_errors(form, error: DjangoValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
