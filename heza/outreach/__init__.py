"""Posts on digital channels (R9) and dialogue topic proposals (R12)."""
