DROP TABLE marketing_settings;
DROP TABLE campaign_deliveries;
DROP TABLE campaign_audience;
DROP TABLE campaign_targets;
DROP TABLE campaigns;
