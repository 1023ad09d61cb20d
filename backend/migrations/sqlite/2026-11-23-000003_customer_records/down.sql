DROP TABLE contacts;
DROP TABLE feedback;
DROP TABLE preferences;
DROP TABLE purchases;
