"""The OSV advisory database: global (not tenant) data that dependency audits match against."""
