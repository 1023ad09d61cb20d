DROP TABLE tier_margin_rates;
