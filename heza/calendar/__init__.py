"""Administrator overrides of the working-day calendar."""
