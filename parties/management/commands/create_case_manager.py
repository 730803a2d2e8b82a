"""Create the first Secretariat case manager of a new installation (production and the CI drill).

The password is asked for at the prompt, or read from ``CAP_CASE_MANAGER_PASSWORD`` with
``--no-input`` (for scripts); it is checked by Django's password validators and never printed.
"""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from cap_portal.access import CASE_MANAGER_ROLES
from parties.services import role_assign

PASSWORD_ENV = "CAP_CASE_MANAGER_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create a Secretariat case manager: --username and --email, the password at the prompt "
        f"(or from ${PASSWORD_ENV} with --no-input)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--no-input", action="store_true", help=f"Read the password from ${PASSWORD_ENV}; never prompt."
        )

    def handle(self, *args, username, email, first_name, last_name, no_input, **options):
        User = get_user_model()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"--email: {' '.join(error.messages)}") from None
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} exists already; nothing was changed.")
        password = os.environ.get(PASSWORD_ENV, "") if no_input else self._prompt()
        if not password:
            raise CommandError(f"No password: set ${PASSWORD_ENV} (with --no-input) or type one.")
        candidate = User(username=username, email=email, first_name=first_name, last_name=last_name)
        try:
            validate_password(password, user=candidate)
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from None
        with transaction.atomic():
            candidate.set_password(password)
            candidate.save()
            for role in sorted(CASE_MANAGER_ROLES):
                role_assign(user=candidate, role=role)
        self.stdout.write(self.style.SUCCESS(f"Case manager {username!r} created."))

    def _prompt(self) -> str:
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ; nothing was created.")
        return first
