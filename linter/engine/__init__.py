"""Loads the rule catalogue and runs checks over parsed files."""
