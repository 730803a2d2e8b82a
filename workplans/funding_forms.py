"""Forms of the funding pages."""

from cap_portal.forms import BaseModelForm

from .funding import Expenditure


class ExpenditureForm(BaseModelForm):
    class Meta(BaseModelForm.Meta):
        model = Expenditure
        fields = ["budget_line", "spent_on", "amount", "currency", "exchange_rate", "description", "document"]
