"""Who reads and writes the grassroots ledger (built on orgs.scope)."""
