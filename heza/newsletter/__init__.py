"""The quarterly newsletter (bản tin) and the articles assigned to units (seed 003)."""
