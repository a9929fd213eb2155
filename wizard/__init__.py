"""aifactory-wizard: set up Microsoft's Enterprise Scale AI Factory on Azure."""

__version__ = "0.1.0"
