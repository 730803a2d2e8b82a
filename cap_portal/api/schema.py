"""OpenAPI: document the error responses the portal's own rules add (409, 412, 428) in the
same format drf-standardized-errors gives every other error, and the error codes Django raises that
drf-standardized-errors does not list."""

from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_standardized_errors.openapi import AutoSchema as StandardizedAutoSchema
from drf_standardized_errors.openapi_serializers import ClientErrorEnum
from rest_framework import serializers

from .pagination import StandardPagination
from .serializers import PlainTextMixin

WRITE_METHODS = {"PUT", "PATCH", "DELETE"}
NULL_CHARACTERS = "null_characters_not_allowed"
CONTROL_CHARACTERS = "control_characters"  # cap_portal.api.serializers.refuse_control_characters


class _ClientError(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


def _error_response(name: str, code: str) -> type[serializers.Serializer]:
    error = type(f"{name}Error", (_ClientError,), {"code": serializers.ChoiceField(choices=[code])})
    return type(
        f"{name}Response",
        (serializers.Serializer,),
        {"type": serializers.ChoiceField(choices=ClientErrorEnum.choices), "errors": error(many=True)},
    )


ErrorResponse409Serializer = _error_response("Conflict", "protected")
ErrorResponse412Serializer = _error_response("PreconditionFailed", "precondition_failed")
ErrorResponse428Serializer = _error_response("PreconditionRequired", "precondition_required")


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description=(
        "The ETag of the version you read (GET answers it in the ETag header). Without it the write "
        "answers 428; if the object changed since, 412 — read it again and retry."
    ),
)


class AutoSchema(StandardizedAutoSchema):
    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method in WRITE_METHODS and self._is_object_write():
            parameters = [*parameters, IF_MATCH]
        return parameters

    def _should_add_error_response(self, responses: dict, status_code: str) -> bool:
        if status_code == "409":  # deleting a record other records still depend on
            return self.method == "DELETE"
        if status_code in ("412", "428"):  # If-Match on writes to one object
            return self.method in WRITE_METHODS and self._is_object_write()
        return super()._should_add_error_response(responses, status_code)

    def _is_paginated_list(self) -> bool:
        return self.method == "GET" and isinstance(self._get_paginator(), StandardPagination)

    def _should_add_validation_error_response(self) -> bool:
        # A list answers 400 for a page size that is not a positive whole number, a cursor it did
        # not give, a count that is neither true nor false.
        return self._is_paginated_list() or super()._should_add_validation_error_response()

    def _get_validation_error_codes_by_field(self, data_fields):
        codes = super()._get_validation_error_codes_by_field(data_fields)
        if self._is_paginated_list():
            for parameter in (
                StandardPagination.page_size_query_param,
                StandardPagination.cursor_query_param,
                StandardPagination.count_query_param,
            ):
                codes[parameter].add("invalid")
        return codes

    def _determine_fields_with_error_codes(self):
        fields = super()._determine_fields_with_error_codes()
        serializer = self.get_request_serializer() if self.method in ("PUT", "PATCH", "POST") else None
        plain_text = isinstance(serializer, PlainTextMixin) or (
            isinstance(serializer, type) and issubclass(serializer, PlainTextMixin)
        )
        for field in fields:
            # Text fields of the portal's serializers refuse control characters.
            if plain_text and isinstance(field.field, serializers.CharField):
                field.error_codes = {*field.error_codes, CONTROL_CHARACTERS}
            # Django's model choice fields (filters by a related object: ``?party=TG``,
            # ``?cap_case=3``) refuse NUL bytes with their own code, which the library's list of
            # form-field error codes misses: declare it, as CharField filters already have it.
            if isinstance(field.field, forms.ModelChoiceField):
                field.error_codes = {*field.error_codes, NULL_CHARACTERS}
        return fields

    def _is_object_write(self) -> bool:
        return bool(getattr(self.view, "lookup_field", None)) and getattr(self.view, "detail", False)
