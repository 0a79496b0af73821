"""Console accounts: users, roles, logins, two-factor, sessions and API tokens."""
