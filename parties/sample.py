"""Sample data for the eight SC78 beneficiary Parties: their CITES authorities and contacts.

The SC78 document names no institutions or people, so every authority and contact here is
illustrative (``is_illustrative=True``): institution names follow each Party's public CITES
set-up as best known, people and e-mail addresses are invented.
"""

from django.db import transaction

from .choices import AuthorityKind
from .models import Authority, Contact, Donor, Party

M, S, E = AuthorityKind.MANAGEMENT, AuthorityKind.SCIENTIFIC, AuthorityKind.ENFORCEMENT

# code: [(kind, institution, contact name, position)]
AUTHORITIES = {
    "KH": [
        (
            M,
            "Forestry Administration, Ministry of Agriculture, Forestry and Fisheries",
            "Sokha Chan",
            "Director",
        ),
        (S, "Royal University of Phnom Penh, Centre for Biodiversity Conservation", "Dara Kim", "Lecturer"),
        (E, "Wildlife Crime Unit, Forestry Administration", "Vannak Sok", "Head of unit"),
    ],
    "GN": [
        (M, "Direction nationale des Eaux et Forêts", "Mamadou Diallo", "Directeur national"),
        (
            S,
            "Centre d'Étude et de Recherche en Environnement, Université de Conakry",
            "Fatoumata Camara",
            "Chercheuse",
        ),
        (E, "Office central de lutte contre le trafic de faune", "Ibrahima Bah", "Commissaire"),
    ],
    "LA": [
        (
            M,
            "Department of Forestry, Ministry of Agriculture and Forestry",
            "Khamla Phommavong",
            "Deputy Director",
        ),
        (S, "Faculty of Forest Science, National University of Laos", "Souksavanh Keo", "Professor"),
        (E, "Department of Forest Inspection", "Bounmy Vongsa", "Chief inspector"),
    ],
    "NG": [
        (M, "Federal Ministry of Environment, Department of Forestry", "Adaeze Okafor", "Deputy Director"),
        (S, "Forestry Research Institute of Nigeria", "Tunde Adeyemi", "Research officer"),
        (
            E,
            "National Environmental Standards and Regulations Enforcement Agency",
            "Musa Ibrahim",
            "Enforcement lead",
        ),
    ],
    "SB": [
        (
            M,
            "Ministry of Environment, Climate Change, Disaster Management and Meteorology",
            "Grace Tanito",
            "Chief Conservation Officer",
        ),
        (S, "Ministry of Fisheries and Marine Resources", "John Kilua", "Principal Fisheries Officer"),
        (E, "Royal Solomon Islands Police Force", "Peter Ramo", "Inspector"),
    ],
    "SR": [
        (M, "Nature Conservation Division, Suriname Forest Service", "Anjali Ramdin", "Head of division"),
        (S, "National Zoological Collection of Suriname, Anton de Kom University", "Marco Pinas", "Curator"),
        (E, "Customs Suriname", "Ricardo Wijngaarde", "Customs officer"),
    ],
    "TG": [
        (
            M,
            "Direction des Ressources forestières, "
            "Ministère de l'Environnement et des Ressources forestières",
            "Komlan Agbeko",
            "Directeur",
        ),
        (S, "Faculté des Sciences, Université de Lomé", "Afi Mensah", "Enseignante-chercheuse"),
        (
            E,
            "Brigade de Contrôle et de Répression, Direction des Ressources forestières",
            "Yao Kodjo",
            "Chef de brigade",
        ),
    ],
    "VN": [
        (M, "CITES Management Authority of Viet Nam", "Nguyen Thi Lan", "Deputy Director"),
        (S, "Institute of Ecology and Biological Resources", "Tran Van Minh", "Researcher"),
        (
            E,
            "Environmental Police Department, Ministry of Public Security",
            "Le Quang Huy",
            "Lieutenant Colonel",
        ),
    ],
}
BENEFICIARY_CODES = tuple(AUTHORITIES)

# The donors of the SC78 portfolio (SC78 Doc., para. 7): name, short name, Party code.
DONORS = [
    ("European Union", "EU", "EU"),
    ("Switzerland", "CH", "CH"),
    ("United Kingdom of Great Britain and Northern Ireland", "UK", "GB"),
    ("United States of America", "USA", "US"),
]


def _email(name: str, code: str) -> str:
    local = name.lower().replace(" ", ".").replace("'", "")
    return f"{local}@{code.lower()}.example.org"


@transaction.atomic
def load() -> None:
    """Create the donors, and the authorities and contacts of the eight SC78 beneficiary Parties
    (idempotent)."""
    for name, short_name, code in DONORS:
        Donor.objects.get_or_create(
            name=name, defaults={"short_name": short_name, "party": Party.objects.filter(code=code).first()}
        )
    for code, rows in AUTHORITIES.items():
        party = Party.objects.get(code=code)
        for kind, institution, person, position in rows:
            authority, _ = Authority.objects.get_or_create(
                party=party, kind=kind, name=institution, defaults={"is_illustrative": True}
            )
            Contact.objects.get_or_create(
                party=party,
                name=person,
                defaults={
                    "authority": authority,
                    "position": position,
                    "email": _email(person, code),
                    "is_focal_point": kind == M,
                    "is_illustrative": True,
                },
            )
