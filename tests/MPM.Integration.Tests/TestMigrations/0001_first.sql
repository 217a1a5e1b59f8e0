-- Used by MigrationTests: a good script, then a failing one.
CREATE TABLE first (id int PRIMARY KEY);
