from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext_lazy as _
from django_filters.filterset import BaseFilterSet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from cap_portal import services
from cap_portal.access import ACTION_FOR_METHOD, Action
from cap_portal.concurrency import PreconditionFailed, PreconditionRequired, etag_for, if_match_satisfied
from cap_portal.db import compiled_timestamps
from cap_portal.history import history_entries
from cap_portal.workflow import transition_take, workflow_for

from . import conditional
from .lean import lean_data, lean_plan_for, lean_queryset
from .pagination import StandardPagination
from .permissions import PolicyPermission
from .prepared import prepared_page
from .serializers import PlainTextSerializer


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    date = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True)
    action = serializers.CharField()
    reason = serializers.CharField(allow_null=True)
    changes = HistoryChangeSerializer(many=True)


class Protected(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "protected"


class BaseModelViewSet(viewsets.ModelViewSet):
    """The base of every API viewset.

    - the queryset is restricted to what the user may take the request's action on (404 otherwise);
    - a role that may never take the action (or workflow step, ``extra_action_roles``) gets 403;
    - writes go through services (the generic ones unless a viewset names its own); a Django
      ``ValidationError`` they raise answers 400 naming the field (``cap_portal.api.exceptions``);
    - detail responses carry an ETag; every update and delete must carry If-Match with it: 428
      without, 412 when the object changed since (no lost update, whoever else edits it);
    - lists and details answer 304 to a client that has the current version
      (``cap_portal.api.conditional``);
    - a list whose serializer's fields can be read from columns takes the lean path
      (``cap_portal.api.lean``): the page as ``values()``, no model instance per row, the same JSON;
      without filter parameters the filter set is not built at all.
    """

    permission_classes = [PolicyPermission]
    # Extra actions (``@action``) name the access action they need, e.g. {"transition": Action.CHANGE}.
    extra_action_access: dict[str, str] = {}
    # Workflow steps name the roles that may ever take them (from the workflow table): any other
    # role answers 403 before the object is looked up; the service checks the object's Party.
    extra_action_roles: dict[str, frozenset] = {}
    # The lean read path of lists (``cap_portal.api.lean``); off, every list takes DRF's full path.
    lean_list = True
    # Unfiltered lean lists read with SQL compiled once per shape (``cap_portal.api.prepared``):
    # off for a list whose queryset depends on more than the view, the user's roles and the day.
    prepared_list = True

    def get_model(self):
        return self.queryset.model

    def get_access_action(self) -> str:
        if self.action in self.extra_action_access:
            return self.extra_action_access[self.action]
        return ACTION_FOR_METHOD.get(self.request.method, Action.VIEW)

    def get_queryset(self):
        queryset = super().get_queryset().restrict(self.request.user, self.get_access_action())
        if self.action == "list" and hasattr(queryset, "for_table"):
            queryset = queryset.for_table()
        return queryset

    def list(self, request, *args, **kwargs):
        if not self.lean_list or not isinstance(self.paginator, StandardPagination):
            return super().list(request, *args, **kwargs)
        filtered = self.has_filter_parameters(request)
        if self.prepared_list and not filtered and not self.paginator.wants_count(request):
            served = prepared_page(self, request)  # the page's SQL kept from an earlier request
            if served is not None:
                plan, rows, db = served
                return self.get_paginated_response(lean_data(plan, rows, db, self.get_serializer_context()))
        queryset = self.get_queryset()
        if filtered:
            queryset = self.filter_queryset(queryset)
        plan = lean_plan_for(self, queryset)
        if plan is None:
            page = self.paginate_queryset(queryset)
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        with compiled_timestamps(queryset.db):
            rows = self.paginate_queryset(lean_queryset(plan, queryset))
        return self.get_paginated_response(lean_data(plan, rows, queryset.db, self.get_serializer_context()))

    def has_filter_parameters(self, request) -> bool:
        """Whether filtering has anything to do: a parameter other than the page's, or a filter
        backend or filter set that filters on its own (without parameters, django-filter's backend
        and filter sets leave the queryset as it is, and building the filter form costs time)."""
        paginator = self.paginator
        own = {paginator.cursor_query_param, paginator.page_size_query_param, paginator.count_query_param}
        if any(name not in own and name != "format" for name in request.query_params):
            return True
        if any(backend is not DjangoFilterBackend for backend in self.filter_backends):
            return True
        filterset_class = getattr(self, "filterset_class", None)
        return filterset_class is not None and (
            filterset_class.filter_queryset is not BaseFilterSet.filter_queryset
            or filterset_class.qs is not BaseFilterSet.qs
        )

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        etag, last_modified = etag_for(obj), getattr(obj, "updated", None)
        if conditional.not_modified(request, etag, last_modified):
            return conditional.not_modified_response(etag, last_modified)
        return conditional.mark(Response(self.get_serializer(obj).data), etag, last_modified)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.action == "list":
            response = conditional.conditional_list(request, response)
        return response

    def get_object(self):
        obj = super().get_object()
        self._object_for_etag = obj
        return obj

    def update(self, request, *args, **kwargs):
        response = super().update(request, *args, **kwargs)
        response["ETag"] = etag_for(self._object_for_etag)
        return response

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def history(self, request, *args, **kwargs):
        """The object's audit trail: who created, changed or deleted it, when, and what changed."""
        entries = history_entries(self.get_object())
        return Response(HistoryEntrySerializer(entries, many=True).data)

    def lock_and_check_version(self, instance):
        """Lock the row and compare its version with If-Match (inside the caller's transaction)."""
        header = self.request.headers.get("If-Match")
        if header is None:
            raise PreconditionRequired()
        current = type(instance).objects.select_for_update().get(pk=instance.pk)
        if not if_match_satisfied(header, current):
            raise PreconditionFailed()
        return current

    def perform_create(self, serializer):
        serializer.instance = services.object_create(
            model=self.get_model(), user=self.request.user, data=dict(serializer.validated_data)
        )

    @transaction.atomic
    def perform_update(self, serializer):
        instance = self.lock_and_check_version(serializer.instance)
        serializer.instance = services.object_update(
            instance=instance, user=self.request.user, data=dict(serializer.validated_data)
        )
        self._object_for_etag = serializer.instance

    @transaction.atomic
    def destroy(self, request, *args, **kwargs):
        # The version first: a delete without If-Match is 428 before any rule about the record.
        self.perform_destroy(self.lock_and_check_version(self.get_object()))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @transaction.atomic
    def perform_destroy(self, instance):
        try:
            with transaction.atomic():
                services.object_delete(instance=instance, user=self.request.user)
        except (ProtectedError, RestrictedError) as error:
            blockers = sorted({str(obj._meta.verbose_name_plural) for obj in error.args[1]})
            raise Protected(
                _("This record cannot be deleted while other records depend on it: %(kinds)s.")
                % {"kinds": ", ".join(blockers)}
            ) from error


class StepSerializer(PlainTextSerializer):
    """A workflow step's input: the comment (workflows with more inputs extend it)."""

    comment = serializers.CharField(required=False, allow_blank=True, default="")


class WorkflowStepsMixin:
    """One API shape for every workflow: each step is ``POST …/{id}/<step>/`` with the comment
    (the workflow's ``comment_field``: ``comment``, or ``reason`` for CAP case stages) and the
    step's other inputs, answered by :meth:`take_step`, which calls
    the one engine, :func:`cap_portal.workflow.transition_take`, and answers the object.

    ``workflow_steps`` maps the viewset's actions to the steps of the model's workflow table
    (``None``: the input names the step). The roles that may ever take each step come from the
    table (``extra_action_roles``): any other role answers 403 before the object is looked up,
    and an object outside the user's queryset answers 404.
    """

    workflow_steps: dict[str, str | None] = {}

    @property
    def extra_action_roles(self) -> dict[str, frozenset]:
        workflow = workflow_for(self.get_model())
        return {
            name: workflow.get(step).roles if step else workflow.roles
            for name, step in self.workflow_steps.items()
        }

    def take_step(self, request, step: str | None = None, *, serializer_class=StepSerializer, **extra):
        """Parse the step's input, take it on the object and answer :meth:`step_response`."""
        obj = self.get_object()
        params = serializer_class(data=request.data)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        comment = data.pop(workflow_for(obj).comment_field, "")
        step = step or self.step_from_input(obj, data)
        result = transition_take(obj=obj, action=step, user=request.user, comment=comment, **data, **extra)
        return self.step_response(result)

    def step_from_input(self, obj, data: dict) -> str:
        """The step named by the input, for actions that take several (``workflow_steps`` None)."""
        return data.pop("action")

    def step_response(self, obj):
        return Response(self.get_serializer(obj).data)
