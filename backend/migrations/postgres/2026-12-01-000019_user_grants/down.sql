DROP TABLE user_grants;
