import datetime

from django.core.management.base import BaseCommand, CommandError

from sampledata.generator import DEFAULT_UNTIL, MONEY_ASSUMPTIONS, generate_portfolio, portfolio_clear


class Command(BaseCommand):
    help = (
        "Generate a synthetic CAP portfolio for benchmarks: --scale 1 is about the sample portfolio, "
        "--scale 100 every CITES Party with ten years of history (about 2,000 workplans, 100,000 "
        "activities, 500,000 expenditure lines, 50,000 recommendations, 20,000 events). Deterministic "
        "for a --seed. Rows are written with bulk inserts, so no audit history (simple-history) is "
        "recorded for them: acceptable for synthetic data, not for real records. Parties, donors, "
        "users and reference data are kept; --clear first deletes the existing portfolio (cases, "
        "workplans, funding, reports and their history). " + MONEY_ASSUMPTIONS
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="scale factor, e.g. 0.05, 1, 10, 100")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--until",
            type=datetime.date.fromisoformat,
            default=DEFAULT_UNTIL,
            help=f"the last day of the generated history (default {DEFAULT_UNTIL})",
        )
        parser.add_argument("--batch-size", type=int, default=5000, help="rows per INSERT")
        parser.add_argument("--clear", action="store_true", help="delete the existing portfolio first")

    def handle(self, *args, **options):
        if options["scale"] <= 0:
            raise CommandError("--scale must be positive.")
        if options["clear"]:
            portfolio_clear(log=self.stdout.write)
        try:
            counts = generate_portfolio(
                scale=options["scale"],
                seed=options["seed"],
                until=options["until"],
                batch_size=options["batch_size"],
                log=self.stdout.write,
            )
        except ValueError as error:
            raise CommandError(f"{error} (use --clear)") from error
        width = max(len(name) for name in counts)
        for name, count in counts.items():
            self.stdout.write(f"  {name.ljust(width)}  {count:>9,}")
        self.stdout.write(self.style.SUCCESS(f"{sum(counts.values()):,} rows generated."))
