-- Tags match without regard to the case of Latin letters (`VIP` is `vip`), as the API now
-- stores them. Fold the tags stored before; where a customer had several spellings, one stays.
-- Only ASCII letters are folded, as `customers::domain::tag` does.
DELETE FROM customer_tags
WHERE tag <> lower(tag)
  AND EXISTS (
    SELECT 1 FROM customer_tags other
    WHERE other.customer_id = customer_tags.customer_id
      AND lower(other.tag) = lower(customer_tags.tag)
      AND (other.tag = lower(other.tag) OR other.tag < customer_tags.tag)
  );
UPDATE customer_tags SET tag = lower(tag) WHERE tag <> lower(tag);
