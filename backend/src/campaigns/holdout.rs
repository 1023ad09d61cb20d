//! The hold-out control group (MKT-3): a share of the members who would have received the
//! message, chosen at random but reproducibly, receives nothing, so the report can compare their
//! purchases with the reached members' (uplift). Chosen among the eligible only — after consent,
//! cap and address — so the two groups differ by the message alone.

use ring::digest;

/// Whether the member belongs to the campaign's control group: the first two bytes of
/// SHA-256(campaign, customer) as a number below 65,536 fall under the share. Independent across
/// campaigns (the campaign is hashed in), the same on every run (a resumed send agrees).
pub fn held_out(campaign_id: &str, customer_id: &str, percent: i64) -> bool {
    if percent <= 0 {
        return false;
    }
    let hash = digest::digest(&digest::SHA256, format!("{campaign_id}\u{1f}{customer_id}").as_bytes());
    let draw = u32::from(u16::from_be_bytes([hash.as_ref()[0], hash.as_ref()[1]]));
    i64::from(draw) * 100 < percent * 65_536
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_out_about_the_share_and_the_same_members_every_time() {
        let ids: Vec<String> = (0..10_000).map(|i| format!("c{i:05}")).collect();
        let held = ids.iter().filter(|id| held_out("camp-1", id, 10)).count();
        assert!((900..1100).contains(&held), "10 % of 10,000, got {held}");
        assert_eq!(held, ids.iter().filter(|id| held_out("camp-1", id, 10)).count());
        assert_eq!(ids.iter().filter(|id| held_out("camp-1", id, 0)).count(), 0);
        let other = ids.iter().filter(|id| held_out("camp-1", id, 10) && held_out("camp-2", id, 10)).count();
        assert!(other < 200, "another campaign draws its own group ({other} in both)");
    }
}
