"""Writes of the grassroots ledger, one module per sub-domain; each keyword-only, atomic and
audited. Import the modules directly (from shigan.grassroots.services import promises)."""
