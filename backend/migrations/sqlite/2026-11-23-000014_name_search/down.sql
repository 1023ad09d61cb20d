DROP TRIGGER customers_search_delete;
DROP TRIGGER customers_search_rename;
DROP TRIGGER customers_search_insert;
DROP TABLE customer_names;
DROP TABLE customer_search;
