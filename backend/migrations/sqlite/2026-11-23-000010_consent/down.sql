ALTER TABLE customers DROP COLUMN anonymised_at;
DROP TABLE privacy_requests;
DROP TABLE legal_holds;
DROP TABLE shares;
ALTER TABLE api_keys DROP COLUMN partner_id;
DROP TABLE sharing_agreements;
DROP TABLE partners;
DROP TABLE consents;
DROP TABLE privacy_notices;
