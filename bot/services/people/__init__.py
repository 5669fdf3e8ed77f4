"""People: accounts, registration, approvals, family, staff, roster, privacy."""
