"""reception views."""
