"""practice views."""
