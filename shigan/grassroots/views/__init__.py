"""Views of the grassroots ledger, one module per sub-domain (urls.py imports them)."""
