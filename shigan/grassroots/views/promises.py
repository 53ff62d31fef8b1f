"""promises views."""
