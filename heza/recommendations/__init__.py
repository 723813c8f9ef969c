"""Recommendations (kiến nghị) raised by enterprises and their answers."""
