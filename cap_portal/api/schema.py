"""OpenAPI: document the error responses the portal's own rules add (409, 412, 428) in the
same format drf-standardized-errors gives every other error, and the error codes Django raises that
drf-standardized-errors does not list."""

from django import forms
from drf_standardized_errors.openapi import AutoSchema as StandardizedAutoSchema
from drf_standardized_errors.openapi_serializers import ClientErrorEnum
from rest_framework import serializers

WRITE_METHODS = {"PUT", "PATCH", "DELETE"}
NULL_CHARACTERS = "null_characters_not_allowed"


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


class AutoSchema(StandardizedAutoSchema):
    def _should_add_error_response(self, responses: dict, status_code: str) -> bool:
        if status_code == "409":  # deleting a record other records still depend on
            return self.method == "DELETE"
        if status_code in ("412", "428"):  # If-Match on writes to one object
            return self.method in WRITE_METHODS and self._is_object_write()
        return super()._should_add_error_response(responses, status_code)

    def _determine_fields_with_error_codes(self):
        fields = super()._determine_fields_with_error_codes()
        for field in fields:
            # Django's model choice fields (filters by a related object: ``?party=TG``,
            # ``?cap_case=3``) refuse NUL bytes with their own code, which the library's list of
            # form-field error codes misses: declare it, as CharField filters already have it.
            if isinstance(field.field, forms.ModelChoiceField):
                field.error_codes = {*field.error_codes, NULL_CHARACTERS}
        return fields

    def _is_object_write(self) -> bool:
        return bool(getattr(self.view, "lookup_field", None)) and getattr(self.view, "detail", False)
