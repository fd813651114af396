"""Pieces every area shares: database helpers, errors, authentication, the API toolkit."""
