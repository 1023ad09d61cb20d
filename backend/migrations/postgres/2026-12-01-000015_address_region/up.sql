-- Regions stored by the old rule could hold a whole address that does not open with a division
-- ("建国路88号院3号楼(朝阳区)"). Masking no longer reads the stored region; drop those that are
-- more than divisions so no clear street address stays in this unencrypted column.
UPDATE customers SET address_region = NULL WHERE address_region ~ '[0-9A-Za-z()（）,，#-]';
