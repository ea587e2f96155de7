from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.services.definitions import definitions_sync
from cases.workflow.errors import DefinitionError


class Command(BaseCommand):
    help = "Load workflows/*.bpmn (+ .dmn, form schemas) as versioned process definitions."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=None, help="Workflow folder (default: workflows/).")

    def handle(self, *args, dir=None, **options):
        directory = Path(dir) if dir else Path(settings.VARDE_WORKFLOW_DIR)
        try:
            results = definitions_sync(directory=directory)
        except DefinitionError as exc:
            raise CommandError(f"Invalid process definition(s):\n{exc}") from exc
        for result in results:
            state = "new version" if result.created else "unchanged"
            self.stdout.write(f"{result.process_id}: v{result.version} ({state})")
