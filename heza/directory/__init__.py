"""Who takes part: organizers (HEZA, wards) and their settings, units, zones, enterprises."""
