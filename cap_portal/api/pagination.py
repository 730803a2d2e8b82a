from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """Pages of 50 by default; ``?page_size=`` from 1 up to 500 (a larger size gives 500); a
    page size that is not a positive whole number is a 400 naming ``page_size``, not silently
    the default."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Enter a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                },
                code="invalid",
            )
        return min(size, self.max_page_size)
