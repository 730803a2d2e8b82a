"""``/api/v1/iati/activities/``: the IATI 2.03 activity file through the API (``application/xml``),
the same file and the same access rules as ``/iati/activities.xml``."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_standardized_errors.openapi_serializers import ErrorResponse403Serializer
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from iati.views import activities_response


# A malformed query parameter answers 400 naming it (code "invalid").
@extend_validation_errors(["invalid"], field_name="donor", actions=["list"])
@extend_validation_errors(["invalid"], field_name="case", actions=["list"])
@extend_validation_errors(["invalid"], field_name="as_of", actions=["list"])
class IatiActivitiesViewSet(viewsets.ViewSet):
    """The portfolio (the Secretariat), one donor's share (``donor``: the Secretariat, the donor's
    observers) or one CAP case (``case``: the Secretariat, the Party's focal points; with
    ``donor``, that donor's share of it), as of ``as_of`` (today by default)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("donor", int, description="A donor's id: its share only."),
            OpenApiParameter("case", int, description="A CAP case's id: that case only."),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="The date of the data (default today)."),
        ],
        # 403: the whole portfolio or another donor's share asked for by a role without it.
        responses={(200, "application/xml"): OpenApiTypes.STR, 403: ErrorResponse403Serializer},
        filters=False,
    )
    def list(self, request):
        """An ``iati-activities`` document (IATI 2.03), one ``iati-activity`` per CAP case."""
        try:
            return activities_response(request.user, request.query_params)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error


routes = [("iati/activities", IatiActivitiesViewSet, "iati-activities")]
