"""Helpers shared by test modules (import as ``helpers.<module>``)."""
