"""Berdaya test suite."""
