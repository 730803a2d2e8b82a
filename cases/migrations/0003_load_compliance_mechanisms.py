"""Load the CITES compliance mechanisms and processes of CoP18 Doc. para. 8 c) and d) as data."""

from django.db import migrations

# code, name, short name, kind, legal basis, concerns species, description
MECHANISMS = [
    (
        "annual-reports",
        "Annual reporting",
        "Annual reports",
        "mechanism",
        "Resolution Conf. 11.17 (Rev. CoP17) on National reports",
        False,
        "Submission of annual trade reports and annual illegal trade reports.",
    ),
    (
        "national-legislation",
        "National Legislation Project",
        "NLP",
        "mechanism",
        "Resolution Conf. 8.4 (Rev. CoP15) on National laws for implementation of the Convention",
        False,
        "National laws adequate to implement the Convention.",
    ),
    (
        "rst",
        "Review of Significant Trade in specimens of Appendix-II species",
        "RST",
        "mechanism",
        "Resolution Conf. 12.8 (Rev. CoP17)",
        True,
        "Recommendations of the Animals or Plants Committee for species of concern in a range State.",
    ),
    (
        "article-xiii",
        "Application of Article XIII",
        "Article XIII",
        "mechanism",
        "Resolution Conf. 11.3 (Rev. CoP17) on Compliance and enforcement",
        False,
        "Compliance matters handled by the Standing Committee under Article XIII.",
    ),
    (
        "niap",
        "National Ivory Action Plans",
        "NIAP",
        "process",
        "Resolution Conf. 10.10 (Rev. CoP17) on Trade in elephant specimens",
        False,
        "National ivory (and rhino) action plans and their progress ratings.",
    ),
    (
        "captive-breeding",
        "Review of trade in animal specimens reported as produced in captivity",
        "Captive breeding review",
        "process",
        "Resolution Conf. 17.7",
        True,
        "Review of trade in specimens reported as bred in captivity or ranched.",
    ),
    (
        "malagasy-timber",
        "Malagasy ebonies (Diospyros spp.) and palisanders and rosewoods (Dalbergia spp.)",
        "Malagasy ebonies and rosewoods",
        "process",
        "Decisions 17.203 to 17.208",
        True,
        "Stockpile audit and use plan for Malagasy ebonies, palisanders and rosewoods.",
    ),
]


def load(apps, schema_editor):
    ComplianceMechanism = apps.get_model("cases", "ComplianceMechanism")
    for code, name, short_name, kind, legal_basis, concerns_species, description in MECHANISMS:
        ComplianceMechanism.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short_name,
                "kind": kind,
                "legal_basis": legal_basis,
                "concerns_species": concerns_species,
                "description": description,
            },
        )


def unload(apps, schema_editor):
    ComplianceMechanism = apps.get_model("cases", "ComplianceMechanism")
    ComplianceMechanism.objects.filter(code__in=[row[0] for row in MECHANISMS], cases__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_compliance_record_and_cap_selection")]

    operations = [migrations.RunPython(load, unload)]
