"""The only place with SQL: the connection, the migration runner and one repository per table."""
