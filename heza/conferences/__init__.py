"""Dialogue conferences and everything dated around them."""
