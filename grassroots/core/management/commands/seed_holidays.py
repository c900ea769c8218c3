"""``grassroots seed_holidays [--years 2024 2025 2026]``: China's public holidays and 调休 working days."""

from django.core.management.base import BaseCommand

from grassroots.core import clock
from grassroots.core.holiday_services import holiday_seed


class Command(BaseCommand):
    help = "Fill the Holiday table with China's public holidays and adjusted working days (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--years", nargs="+", type=int,
                            help="Years to fill (default: last year, this year and next year)")

    def handle(self, *args, **options):
        this_year = clock.today().year
        years = options["years"] or [this_year - 1, this_year, this_year + 1]
        result = holiday_seed(actor=None, years=years)
        self.stdout.write(
            f"years={' '.join(map(str, sorted(years)))} rows={result['rows']} created={result['created']} "
            f"updated={result['updated']}"
        )
