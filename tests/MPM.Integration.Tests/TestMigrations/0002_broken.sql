-- Creates a table, then fails: the whole script must be rolled back.
CREATE TABLE second (id int PRIMARY KEY);
SELECT * FROM no_such_table;
