from django.db import models
from django.utils.translation import gettext_lazy as _

# The agenda item of the CAP's decisions and reports (the title of SC78 Doc. 23), kept in English
# in the register: a report's agenda item is compared with it whatever the report's language.
CAP_AGENDA_ITEM = "Compliance Assistance Programme"


class DirectedTo(models.TextChoices):
    """To whom a decision is directed, in the order the documents group them."""

    PARTIES = "parties", _("Parties")
    SECRETARIAT = "secretariat", _("Secretariat")
    STANDING_COMMITTEE = "standing_committee", _("Standing Committee")
    ANIMALS_COMMITTEE = "animals_committee", _("Animals Committee")
    PLANTS_COMMITTEE = "plants_committee", _("Plants Committee")
    ANIMALS_AND_PLANTS_COMMITTEES = "animals_and_plants_committees", _("Animals and Plants Committees")
    OTHER = "other", _("Others")


# The group headings of the documents ("Directed to the Secretariat"), in the order of the choices.
DIRECTED_TO_HEADINGS = {
    DirectedTo.PARTIES: _("Directed to the Parties"),
    DirectedTo.SECRETARIAT: _("Directed to the Secretariat"),
    DirectedTo.STANDING_COMMITTEE: _("Directed to the Standing Committee"),
    DirectedTo.ANIMALS_COMMITTEE: _("Directed to the Animals Committee"),
    DirectedTo.PLANTS_COMMITTEE: _("Directed to the Plants Committee"),
    DirectedTo.ANIMALS_AND_PLANTS_COMMITTEES: _("Directed to the Animals and Plants Committees"),
    DirectedTo.OTHER: _("Directed to others"),
}
DIRECTED_TO_ORDER = {value: index for index, value in enumerate(DirectedTo.values)}


class DecisionStatus(models.TextChoices):
    """Where a decision stands. An implemented decision, or one proposed for deletion, stays in
    force until the Conference of the Parties deletes it; a draft is proposed in a report."""

    IN_FORCE = "in_force", _("In force")
    IMPLEMENTED = "implemented", _("Implemented")
    PROPOSED_FOR_DELETION = "proposed_for_deletion", _("Proposed for deletion")
    DRAFT = "draft", _("Draft")


# Adopted decisions (not drafts): in force until deleted by the Conference of the Parties.
ADOPTED_STATUSES = (
    DecisionStatus.IN_FORCE,
    DecisionStatus.IMPLEMENTED,
    DecisionStatus.PROPOSED_FOR_DELETION,
)
# The decisions a report proposes for deletion (recommendation e) of SC78 Doc. 23).
IMPLEMENTED_STATUSES = (DecisionStatus.IMPLEMENTED, DecisionStatus.PROPOSED_FOR_DELETION)
