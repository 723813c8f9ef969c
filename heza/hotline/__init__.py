"""Feedback, recommendations, complaints and denunciations received by hotline, Facebook, in person or email."""
