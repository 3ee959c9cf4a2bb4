"""Berdaya: a chat service that brings trainings, market prices and tips to Merangin's villagers."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("berdaya")
except PackageNotFoundError:
    __version__ = "0.0.0"
