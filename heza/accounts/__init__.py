"""People who log in, their roles, and the audit trail of what they changed."""
