"""invpolicy's version, kept apart so that any module can name it without importing the rest."""

__version__ = "0.1.0"
