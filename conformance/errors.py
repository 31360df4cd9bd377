"""Errors shared by the command line, the plugin and the selfcheck runner."""


class UsageError(Exception):
    """Bad input from the user (an unknown device, dtype, op, profile; a corrupt results or baseline file):
    printed as one line, exit code 2."""
