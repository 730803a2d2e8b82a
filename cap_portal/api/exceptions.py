"""The API's one exception handler (``DRF_STANDARDIZED_ERRORS["EXCEPTION_HANDLER_CLASS"]``).

drf-standardized-errors gives every error its format; this adds the one conversion the portal
needs: model validation (Django's ``ValidationError``, raised by ``full_clean()`` or a rule in a
service) answers 400, each message under the field it names (``attr``), or as a non-field error.
Views and viewsets therefore call services without catching it."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_standardized_errors.handler import ExceptionHandler as StandardizedExceptionHandler
from rest_framework import serializers
from rest_framework.settings import api_settings


def as_drf_error(error: DjangoValidationError) -> serializers.ValidationError:
    """Django's validation error as DRF's: ``{"field": [...]}`` keeps the field; a message without a
    field, or under Django's ``__all__``, becomes a non-field error (DRF's ``non_field_errors``)."""
    detail = serializers.as_serializer_error(error)
    converted: dict = {}
    for field, messages in detail.items():
        key = api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field
        converted.setdefault(key, []).extend(messages)
    return serializers.ValidationError(converted)


class ExceptionHandler(StandardizedExceptionHandler):
    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if isinstance(exc, DjangoValidationError):
            return as_drf_error(exc)
        return super().convert_known_exceptions(exc)
