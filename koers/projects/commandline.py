"""Projects named `<workspace>/<project>` on Koers' command line."""

from koers.workspaces.commandline import named

from .models import Project


def project_named(name: str) -> Project:
    """Return the project named `<workspace>/<project>`, or raise CommandError."""
    return named(Project, name, "demo/erp-gent")
