"""Placeholder replaced by the demo data loader."""

import click


@click.command("demo")
def demo_command() -> None:
    """Load demo data."""
