"""French and Spanish for the fixed headings and labels of the Standing Committee report.

``uv run python locale/report_headings.py`` fills these into locale/{fr,es}/LC_MESSAGES/django.po
after ``makemessages -l fr -l es --no-wrap`` (other strings are left as they are); then run
``compilemessages``. Kept as data so that a re-run of makemessages never loses them.
"""

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent

# msgid: (French, Spanish)
HEADINGS = {
    "CONVENTION ON INTERNATIONAL TRADE IN ENDANGERED SPECIES OF WILD FAUNA AND FLORA": (
        "CONVENTION SUR LE COMMERCE INTERNATIONAL DES ESPÈCES DE FAUNE ET DE FLORE SAUVAGES MENACÉES "
        "D'EXTINCTION",
        "CONVENCIÓN SOBRE EL COMERCIO INTERNACIONAL DE ESPECIES AMENAZADAS DE FAUNA Y FLORA SILVESTRES",
    ),
    "p.": ("p.", "p."),
    "Compliance Assistance Programme": (
        "Programme d'assistance au respect de la Convention",
        "Programa de asistencia para el cumplimiento",
    ),
    "This document has been prepared by the Secretariat.": (
        "Le présent document a été préparé par le Secrétariat.",
        "El presente documento ha sido preparado por la Secretaría.",
    ),
    "Background": ("Historique", "Antecedentes"),
    "In-country compliance assistance to selected Parties by the Secretariat": (
        "Assistance au respect de la Convention fournie par le Secrétariat dans les Parties sélectionnées",
        "Asistencia para el cumplimiento prestada por la Secretaría en las Partes seleccionadas",
    ),
    "Overall findings and recommendations of the Secretariat on CAP implementation": (
        "Conclusions générales et recommandations du Secrétariat sur la mise en œuvre du CAP",
        "Conclusiones generales y recomendaciones de la Secretaría sobre la aplicación del CAP",
    ),
    "Selection of beneficiary Parties": (
        "Sélection des Parties bénéficiaires",
        "Selección de las Partes beneficiarias",
    ),
    "Impact": ("Impact", "Impacto"),
    "Sustainability": ("Durabilité", "Sostenibilidad"),
    "Timeframes": ("Calendrier", "Plazos"),
    "Financial mechanisms and disbursement": (
        "Mécanismes financiers et décaissements",
        "Mecanismos financieros y desembolsos",
    ),
    "Budget absorption": ("Absorption du budget", "Absorción del presupuesto"),
    "Gender considerations": ("Considérations de genre", "Consideraciones de género"),
    "CAP management, monitoring and evaluation": (
        "Gestion, suivi et évaluation du CAP",
        "Gestión, seguimiento y evaluación del CAP",
    ),
    "Recommendations": ("Recommandations", "Recomendaciones"),
    "Draft decisions on the Compliance Assistance Programme": (
        "Projets de décisions sur le Programme d'assistance au respect de la Convention",
        "Proyectos de decisión sobre el Programa de asistencia para el cumplimiento",
    ),
    "Directed to the Parties": ("À l'adresse des Parties", "Dirigida a las Partes"),
    "Directed to the Secretariat": ("À l'adresse du Secrétariat", "Dirigida a la Secretaría"),
    "The Standing Committee is invited to:": (
        "Le Comité permanent est invité à :",
        "Se invita al Comité Permanente a:",
    ),
    "Annex: figures as of %(as_of)s": ("Annexe : chiffres au %(as_of)s", "Anexo: cifras al %(as_of)s"),
    "Annex: figures as of %(date)s": ("Annexe : chiffres au %(date)s", "Anexo: cifras al %(date)s"),
    "Activities by status": ("Activités par état d'avancement", "Actividades por estado"),
    "Participants in CAP events by sex": (
        "Participants aux activités du CAP, par sexe",
        "Participantes en los eventos del CAP, por sexo",
    ),
    "Budget, funds received, expenditure and absorption": (
        "Budget, fonds reçus, dépenses et absorption",
        "Presupuesto, fondos recibidos, gastos y absorción",
    ),
    "Party": ("Partie", "Parte"),
    "Donor": ("Donateur", "Donante"),
    "Total": ("Total", "Total"),
    "Women": ("Femmes", "Mujeres"),
    "Men": ("Hommes", "Hombres"),
    "Other or not recorded": ("Autre ou non enregistré", "Otro o no registrado"),
    "Budget": ("Budget", "Presupuesto"),
    "Received": ("Reçu", "Recibido"),
    "Spent": ("Dépensé", "Gastado"),
    "Absorption (%)": ("Absorption (%)", "Absorción (%)"),
    "Budget (%(currency)s)": ("Budget (%(currency)s)", "Presupuesto (%(currency)s)"),
    "Received (%(currency)s)": ("Reçu (%(currency)s)", "Recibido (%(currency)s)"),
    "Spent (%(currency)s)": ("Dépensé (%(currency)s)", "Gastado (%(currency)s)"),
    "%(rate)s%% (no funds received)": (
        "%(rate)s %% (aucun fonds reçu)",
        "%(rate)s %% (ningún fondo recibido)",
    ),
    "Activities": ("Activités", "Actividades"),
    "Participants": ("Participants", "Participantes"),
    "Expenditure as % of funds received": (
        "Dépenses en % des fonds reçus",
        "Gastos en % de los fondos recibidos",
    ),
    "No workplan activity is recorded yet.": (
        "Aucune activité de plan de travail n'est encore enregistrée.",
        "Todavía no se ha registrado ninguna actividad del plan de trabajo.",
    ),
    "No participants are recorded yet.": (
        "Aucun participant n'est encore enregistré.",
        "Todavía no se ha registrado ningún participante.",
    ),
    "Not yet recorded: funding agreements are not yet recorded in the portal.": (
        "Pas encore enregistré : les accords de financement ne sont pas encore saisis dans le portail.",
        "Aún no registrado: los acuerdos de financiación todavía no se han registrado en el portal.",
    ),
    "%(items)s and %(last)s": ("%(items)s et %(last)s", "%(items)s y %(last)s"),
    "HTML preview": ("Aperçu HTML", "Vista previa HTML"),
    "Back to the report": ("Retour au rapport", "Volver al informe"),
    "SC reports": ("Rapports au CP", "Informes al CP"),
}


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def fill(language_index: int, path: Path) -> int:
    text = path.read_text(encoding="utf-8")
    filled = 0
    for msgid, translations in HEADINGS.items():
        pattern = re.compile(r'(\nmsgid "' + re.escape(_quote(msgid)) + r'"\nmsgstr )"[^\n]*"\n')
        text, count = pattern.subn(
            lambda m, t=translations[language_index]: m.group(1) + '"' + _quote(t) + '"\n', text
        )
        filled += count
    # A filled entry is no longer fuzzy (makemessages may have guessed it from a neighbour).
    text = re.sub(
        r"#, fuzzy(, python-format)?\n((?:#\|[^\n]*\n)*)(msgid \"(?:"
        + "|".join(re.escape(_quote(m)) for m in HEADINGS)
        + r")\")",
        lambda m: ("#, python-format\n" if m.group(1) else "") + m.group(3),
        text,
    )
    path.write_text(text, encoding="utf-8")
    return filled


if __name__ == "__main__":
    for index, language in enumerate(("fr", "es")):
        count = fill(index, HERE / language / "LC_MESSAGES" / "django.po")
        print(f"{language}: {count} report headings filled")
