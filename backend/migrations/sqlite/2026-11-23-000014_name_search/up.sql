-- Substring search on customer names (B3c): an FTS5 trigram index. The FTS rowid must be stable,
-- and a table without an INTEGER PRIMARY KEY may renumber its rowids on VACUUM, so the index is
-- keyed by customer_search.id (an INTEGER PRIMARY KEY) rather than by customers.rowid.
-- Triggers keep both in the writing transaction; names only: the other personal fields are
-- encrypted and matched through blind indexes (decision 0013).
CREATE TABLE customer_search (
    id INTEGER PRIMARY KEY,
    customer_id TEXT NOT NULL UNIQUE REFERENCES customers(id)
);
CREATE VIRTUAL TABLE customer_names USING fts5(name, tokenize = 'trigram');
-- An erased or renamed name leaves the index at once, not at the next segment merge (PRV-5).
INSERT INTO customer_names (customer_names, rank) VALUES ('secure-delete', 1);

INSERT INTO customer_search (customer_id) SELECT id FROM customers;
INSERT INTO customer_names (rowid, name)
    SELECT s.id, c.name FROM customer_search s JOIN customers c ON c.id = s.customer_id;

CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customer_search (customer_id) VALUES (new.id);
    INSERT INTO customer_names (rowid, name) VALUES (last_insert_rowid(), new.name);
END;
CREATE TRIGGER customers_search_rename AFTER UPDATE OF name ON customers
WHEN old.name IS NOT new.name BEGIN
    UPDATE customer_names SET name = new.name
    WHERE rowid = (SELECT id FROM customer_search WHERE customer_id = new.id);
END;
CREATE TRIGGER customers_search_delete BEFORE DELETE ON customers BEGIN
    DELETE FROM customer_names WHERE rowid = (SELECT id FROM customer_search WHERE customer_id = old.id);
    DELETE FROM customer_search WHERE customer_id = old.id;
END;
