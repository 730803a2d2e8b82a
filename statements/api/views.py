from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from cap_portal.api.viewsets import BaseModelViewSet
from statements import services
from statements.filtersets import DonorStatementFilterSet
from statements.models import DonorStatement
from statements.views import statement_file_response

from .serializers import DonorStatementSerializer, StatementRequestSerializer


class DonorStatementViewSet(BaseModelViewSet):
    """Donor statements per legal instrument. ``POST`` queues a render (202) and answers the
    statement, whose ``state`` and ``percent`` are polled until it is done; its PDF and XLSX are
    then served by the ``pdf`` and ``xlsx`` actions. Statements are kept: never changed or deleted."""

    queryset = DonorStatement.objects.select_related("instrument", "requested_by")
    serializer_class = DonorStatementSerializer
    filterset_class = DonorStatementFilterSet
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=StatementRequestSerializer, responses={202: DonorStatementSerializer})
    def create(self, request, *args, **kwargs):
        body = StatementRequestSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = {k: v for k, v in body.validated_data.items() if v is not None}
        statement = services.statement_request(user=request.user, **data)
        statement.refresh_from_db()  # where tasks run in-process (the tests) it has run already
        return Response(self.get_serializer(statement).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        return statement_file_response(self.get_object(), "pdf")

    @extend_schema(
        responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes}
    )
    @action(detail=True, methods=["get"])
    def xlsx(self, request, pk=None):
        return statement_file_response(self.get_object(), "xlsx")


# Registered on the portal's one router in cap_portal/api/urls.py.
routes = [("statements", DonorStatementViewSet, "statement")]
