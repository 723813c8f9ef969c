"""Plans: the documents an organizer acts under, which rules each sets, and how they are cited."""
