"""Forms of the grassroots ledger, one module per sub-domain. Import the modules directly."""
