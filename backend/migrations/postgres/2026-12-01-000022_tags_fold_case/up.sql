-- Tags match without regard to the case of Latin letters (`VIP` is `vip`), as the API now
-- stores them. Fold the tags stored before; where a customer had several spellings, one stays.
-- Only ASCII letters are folded, as `customers::domain::tag` does.
DELETE FROM customer_tags
WHERE tag <> translate(tag, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
  AND EXISTS (
    SELECT 1 FROM customer_tags other
    WHERE other.customer_id = customer_tags.customer_id
      AND translate(other.tag, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') = translate(customer_tags.tag, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
      AND (other.tag = translate(other.tag, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') OR other.tag < customer_tags.tag)
  );
UPDATE customer_tags SET tag = translate(tag, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') WHERE tag <> translate(tag, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz');
