"""pairing views."""
