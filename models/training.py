"""Placeholder: this journey's tables are being built (see its issue)."""
