"""Reads of the grassroots ledger, one module per sub-domain, a fixed number of queries whatever
the row count. Import the modules directly."""
