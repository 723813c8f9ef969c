"""The log of scheduled job runs, and the heartbeat the admin checks."""
