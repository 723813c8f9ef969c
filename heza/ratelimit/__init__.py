"""Request counters shared by every web process: the public forms' limits and login throttling."""
