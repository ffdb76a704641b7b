"""auditor: digital-foundation inventory and integration auditor."""

__version__ = "0.1.0"
