"""Passwords: a user changes their own; an administrator issues a one-time reset link."""
