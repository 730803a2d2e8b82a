"""A user's own API tokens, in the portal (/account/tokens/) and in the API (/api/v1/tokens/).

Every signed-in user lists, creates and revokes their own tokens; case managers may also see and
revoke anyone's (``ApiToken.access_policy``), from the person's page (``accounts.tokens.tokens_of``)
or the API. The secret of a new token is answered once, by the request that created it, and is
never stored: no page or API response shows it again.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import generic
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.forms_tokens import TokenCreateForm
from accounts.models import ApiToken
from accounts.tokens import TokenStatus, end_of_day, token_create, token_revoke, token_status
from cap_portal.access import Action
from cap_portal.api.serializers import BaseModelSerializer, PlainTextSerializer
from cap_portal.api.viewsets import BaseModelViewSet
from cap_portal.pagination import CountCachedPaginator
from cap_portal.views import ObjectDeleteView, RestrictedViewMixin, add_validation_error, safe_next

NO_STORE = "no-store"  # a response that carries a secret is kept by no cache, nor the browser's history


# --- Pages -----------------------------------------------------------------------------------------


class TokenListView(RestrictedViewMixin, generic.ListView):
    """The signed-in user's tokens: name, first characters, dates and status; never a secret."""

    model = ApiToken
    template_name = "accounts/tokens/token_list.html"
    paginate_by = 50
    paginator_class = CountCachedPaginator

    def get_queryset(self):
        return super().get_queryset().filter(user=self.request.user).order_by("-created")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [(token, token_status(token)) for token in context["object_list"]]
        context["statuses"] = TokenStatus
        return context


class TokenCreateView(RestrictedViewMixin, generic.FormView):
    """A new token for the signed-in user; the answer is the one page that shows its secret."""

    model = ApiToken
    access_action = Action.ADD
    form_class = TokenCreateForm
    template_name = "accounts/tokens/token_form.html"

    def form_valid(self, form):
        try:
            token, secret = token_create(
                user=self.request.user,
                name=form.cleaned_data["name"],
                expires_at=end_of_day(form.cleaned_data["expires_at"]),
                by=self.request.user,
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        # Answered here, not after a redirect: the secret is never kept, not even in the session.
        response = render(
            self.request, "accounts/tokens/token_created.html", {"token": token, "secret": secret}
        )
        response["Cache-Control"] = NO_STORE
        return response


class TokenRevokeView(ObjectDeleteView):
    """Revoke a token after confirmation: the user's own, or anyone's for a case manager."""

    model = ApiToken
    template_name = "accounts/tokens/token_confirm_revoke.html"

    def get_success_url(self):
        return safe_next(self.request, reverse("tokens:token_list"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["back_url"] = self.get_success_url()
        context["status"] = token_status(self.object)
        context["statuses"] = TokenStatus
        return context

    def form_valid(self, form):
        token_revoke(token=self.object, by=self.request.user)
        messages.success(self.request, _("The token “%(name)s” was revoked.") % {"name": self.object.name})
        return HttpResponseRedirect(self.get_success_url())


# --- API -------------------------------------------------------------------------------------------


class UserIdFilter(django_filters.NumberFilter):
    """A user's id: a whole number (a filter by user object would tell who exists)."""

    field_class = forms.IntegerField


class ApiTokenFilterSet(django_filters.FilterSet):
    user = UserIdFilter(
        field_name="user",
        min_value=1,
        max_value=2**63 - 1,
        help_text=_("The id of the user whose tokens to list (default: yours)."),
    )

    class Meta:
        model = ApiToken
        fields = ["user"]


class ApiTokenSerializer(BaseModelSerializer):
    """A token as listed: never its secret (only its first characters, ``prefix``)."""

    user = serializers.CharField(source="user.get_username", read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "user",
            "created",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "status",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=TokenStatus.choices))
    def get_status(self, token) -> str:
        return token_status(token).value


class ApiTokenCreateSerializer(PlainTextSerializer):
    name = serializers.CharField(max_length=100)
    expires_at = serializers.DateTimeField(
        required=False,
        help_text=_("When the token stops working (default: API_TOKEN_TTL_DAYS from today, end of day)."),
    )


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    token = serializers.CharField(help_text=_("The secret: answered this once, never again. Keep it safe."))

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]
        read_only_fields = fields


class ApiTokenViewSet(BaseModelViewSet):
    """Your API tokens (``?user=<id>``: a person's, for case managers). POST creates one and
    answers its secret, once; DELETE (with If-Match) or POST ``{id}/revoke/`` revokes it."""

    queryset = ApiToken.objects.select_related("user")
    serializer_class = ApiTokenSerializer
    filterset_class = ApiTokenFilterSet
    http_method_names = ["get", "post", "delete", "head", "options"]
    extra_action_access = {"revoke": Action.DELETE}

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list" and not self.request.query_params.get("user"):
            queryset = queryset.filter(user=self.request.user)
        return queryset

    @extend_schema(request=ApiTokenCreateSerializer, responses={201: ApiTokenCreatedSerializer})
    def create(self, request, *args, **kwargs):
        params = ApiTokenCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        token, secret = token_create(user=request.user, by=request.user, **params.validated_data)
        data = {**ApiTokenSerializer(token, context=self.get_serializer_context()).data, "token": secret}
        return Response(data, status=status.HTTP_201_CREATED, headers={"Cache-Control": NO_STORE})

    def perform_destroy(self, instance):
        token_revoke(token=instance, by=self.request.user)

    @extend_schema(request=None, responses=ApiTokenSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, *args, **kwargs):
        """Revoke the token: from now on it answers 401 (revoking it again changes nothing)."""
        token = token_revoke(token=self.get_object(), by=request.user)
        return Response(self.get_serializer(token).data)
