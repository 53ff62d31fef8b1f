"""Who reads and writes the time bank (built on orgs.scope)."""
