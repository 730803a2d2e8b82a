"""The dashboard slice's pages: the home page (the portfolio dashboard for the Secretariat, "my
Party" for focal points), the "needs attention" list, the notification log and posting comments.
Querysets are restricted through the models' access policies, as everywhere."""

import django_filters
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import generic

from cap_portal import exports
from cap_portal.access import Action, party_ids_held, sees_portfolio_dashboard
from cap_portal.pagination import CountCachedPaginator
from cap_portal.views import ObjectListView, RestrictedViewMixin, message_validation_error
from cases.filtersets import BootstrapFilterSet, CapCaseFilterSet, party_filter
from cases.models import CapCase
from parties.models import Party

from . import dashboard
from .attention import attention, attention_pages
from .models import Notification, NotificationKind
from .models.comments import Comment, comment_cap_case_of, comment_post, comment_target_model
from .todo import todo


class HomeView(LoginRequiredMixin, generic.TemplateView):
    """The home page: the portfolio dashboard for the Secretariat; for everyone else their
    Parties, what needs their attention and their recent notifications. Both show what waits for
    the person (``portfolio.todo``): their returned work and what is due, or what waits for their
    review."""

    def get_template_names(self):
        if self.sees_portfolio:
            return ["portfolio/dashboard.html"]
        return ["portfolio/my_party.html"]

    @property
    def sees_portfolio(self):
        return sees_portfolio_dashboard(self.request.user)

    def get(self, request, *args, **kwargs):
        if self.sees_portfolio and request.GET.get("export") in exports.EXPORT_FORMATS:
            portfolio = self.get_portfolio()
            return exports.export_response(
                portfolio.rows, dashboard.export_columns(), request.GET["export"], str(_("CAP portfolio"))
            )
        return super().get(request, *args, **kwargs)

    def get_portfolio(self, *, paginate: bool = False):
        """The dashboard of the CAP cases the filters keep: a page of their rows (``paginate``,
        ``self.page_obj``), or all of them (the export)."""
        today = timezone.localdate()
        self.filterset = CapCaseFilterSet(
            self.request.GET or None,
            queryset=dashboard.portfolio_queryset(self.request.user, today),
            request=self.request,
        )
        cap_cases, shown = self.filterset.qs, None
        if paginate:
            paginator = CountCachedPaginator(cap_cases, dashboard.PAGE_SIZE)
            self.page_obj = paginator.get_page(self.request.GET.get("page"))
            shown = self.page_obj.object_list
        return dashboard.portfolio(self.request.user, cap_cases=cap_cases, shown=shown, today=today)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if self.sees_portfolio:
            portfolio = self.get_portfolio(paginate=True)
            query = self.request.GET.copy()
            query.pop("export", None)
            query.pop("page", None)
            querystring = query.urlencode()  # the filters, for the export and the page links
            context.update(
                portfolio=portfolio,
                filter=self.filterset,
                filters_active=any(query.values()),
                export_querystring=querystring,
                querystring=querystring,
                page_obj=self.page_obj,
                is_paginated=self.page_obj.has_other_pages(),
                chart_data=portfolio.chart_data,
            )
            shown = attention(user)
        else:
            own_ids = party_ids_held(user)
            context["own_parties"] = Party.objects.restrict(user, Action.VIEW).filter(pk__in=own_ids)
            context["own_cap_cases"] = (
                CapCase.objects.restrict(user, Action.VIEW)
                .filter(party_id__in=own_ids)
                .select_related("party")
            )
            context["party_count"] = Party.objects.count()
            shown = attention(user, party_ids=own_ids) if own_ids else None
            if Notification.access_policy.allows(user, Action.VIEW):
                context["notifications"] = (
                    Notification.objects.restrict(user, Action.VIEW)
                    .filter(recipient=user)
                    .order_by("-sent_at")[:5]
                )
        context["attention_groups"] = shown.groups if shown else []
        context["attention_count"] = shown.count if shown else 0
        context["todo"] = todo(user)
        if context["todo"] is not None:  # counted here already: the navigation needs no query
            context["nav_todo_count"] = context["todo"].count
        return context


class AttentionView(LoginRequiredMixin, generic.TemplateView):
    """Everything that needs attention, grouped by kind, a page of each kind at a time
    (``?kind=…&page=…``); each item links to the page to fix it."""

    template_name = "portfolio/attention.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = attention_pages(
            self.request.user, kind=self.request.GET.get("kind"), page=self.request.GET.get("page") or 1
        )
        context["attention_groups"] = shown.groups
        context["attention_count"] = shown.count
        return context


class NotificationFilterSet(BootstrapFilterSet):
    party = party_filter()
    kind = django_filters.MultipleChoiceFilter(choices=NotificationKind.choices, label=_("Kind"))

    class Meta:
        model = Notification
        fields = ["party", "kind"]


class NotificationListView(ObjectListView):
    """The notification log: every reminder sent, to whom, when, about what."""

    queryset = Notification.objects.select_related("recipient", "party")
    filterset_class = NotificationFilterSet
    template_name = "portfolio/notification_list.html"
    export_fields = ("sent_at", "party.name", "recipient", "email", "kind", "subject")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kinds"] = NotificationKind.choices
        return context


class CommentCreateView(RestrictedViewMixin, generic.View):
    """POST a comment about a CAP case, one of its workplans or one of their activities
    (``about`` = "capcase:<id>", "workplan:<id>" or "activity:<id>")."""

    model = Comment
    access_action = Action.ADD

    def post(self, request, pk):
        cap_case = get_object_or_404(CapCase.objects.restrict(request.user, Action.VIEW), pk=pk)
        # No target is refused, not taken as the case: nothing is written without saying about what.
        name, _sep, target_pk = request.POST.get("about", "").partition(":")
        model = comment_target_model(name)
        target = None
        if model is not None and target_pk.isdigit():
            target = model.objects.restrict(request.user, Action.VIEW).filter(pk=int(target_pk)).first()
        if target is None or comment_cap_case_of(target).pk != cap_case.pk:
            messages.error(request, _("Choose what the comment is about among this CAP case's records."))
            return HttpResponseRedirect(cap_case.get_absolute_url() + "#feed")
        try:
            comment = comment_post(
                target=target,
                body=request.POST.get("body", ""),
                visibility=request.POST.get("visibility") or "shared",
                user=request.user,
            )
        except PermissionDenied:
            raise
        except DjangoValidationError as error:
            message_validation_error(request, error)
            return HttpResponseRedirect(cap_case.get_absolute_url() + "#feed")
        messages.success(request, _("Your comment was posted."))
        return HttpResponseRedirect(comment.get_absolute_url())
