-- Folding tags to lower case cannot be undone (the original spellings are gone); nothing to do.
SELECT 1;
