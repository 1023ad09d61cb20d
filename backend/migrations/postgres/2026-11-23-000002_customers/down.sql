DROP TABLE outbox;
DROP TABLE customer_tags;
DROP TABLE customer_owners;
DROP TABLE customers;
