"""``manage.py load_scenario <name> [--reset]``: load a training scenario (idempotent) and print
its cast and court-issued logins for the trainer; ``--reset`` removes the scenario's accounts."""

from django.core.management.base import BaseCommand, CommandError

from cso_portal import clock
from filing.training.scenarios import ScenarioError, all_scenarios, load_scenario, reset_scenario


class Command(BaseCommand):
    help = "Load a training scenario (or --reset it) and print its logins (demo mode only)."

    def add_arguments(self, parser):
        parser.add_argument("name", choices=sorted(all_scenarios()), help="The scenario.")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Remove the scenario's accounts and what hangs off them (others stay).",
        )

    def handle(self, *args, **options):
        name = options["name"]
        try:
            if options["reset"]:
                removed = reset_scenario(name=name)
                self.stdout.write(self.style.MIGRATE_HEADING(f"Scenario {name} reset:"))
                for label, count in removed.items():
                    if count:
                        self.stdout.write(f"  removed {count} {label}")
                return
            report = load_scenario(name=name, actor=None, now=clock.now())
        except ScenarioError as error:
            raise CommandError(str(error)) from None
        lines = report.lines()
        self.stdout.write(self.style.MIGRATE_HEADING(lines[0] + " (training only)"))
        for line in lines[1:]:
            self.stdout.write(line)
