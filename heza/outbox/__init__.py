"""Every outbound email, first a row written with the change that causes it."""
