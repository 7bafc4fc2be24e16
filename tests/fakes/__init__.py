"""Fake platform servers for end-to-end tests (real wire formats on 127.0.0.1)."""
