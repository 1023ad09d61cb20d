//! Synthetic customers for demos and benchmarks: Chinese names, valid resident ids (GB 11643),
//! unique mainland mobiles, addresses, tags and two years of purchases. Deterministic for a given
//! count, encrypted exactly like real records, inserted in multi-row batches.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::crypto::field::FieldCipher;
use crate::customers::domain::address_region;
use crate::customers::model::CustomerRow;
use crate::customers::records::dto::PurchaseRow;
use crate::db::schema::{customer_owners, customer_tags, customers, purchases};
use crate::db::{now, DbConnection};
use crate::error::ApiError;

/// splitmix64: a tiny, fast, reproducible generator (not for secrets).
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于",
    "蒋", "蔡", "欧阳", "司马",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞",
    "平", "刚", "桂英", "华", "建国", "晓东", "雨萱", "梓涵", "子轩", "浩然", "欣怡", "思远", "一鸣", "佳怡", "宇航",
    "婷", "博",
];
/// (region code, province/city/district, street)
const REGIONS: &[(&str, &str, &str)] = &[
    ("110105", "北京市朝阳区", "建国路"),
    ("110108", "北京市海淀区", "中关村大街"),
    ("310115", "上海市浦东新区", "世纪大道"),
    ("310104", "上海市徐汇区", "漕溪北路"),
    ("440305", "广东省深圳市南山区", "科技园路"),
    ("440106", "广东省广州市天河区", "天河路"),
    ("330106", "浙江省杭州市西湖区", "文三路"),
    ("510107", "四川省成都市武侯区", "人民南路"),
    ("420111", "湖北省武汉市洪山区", "珞喻路"),
    ("320106", "江苏省南京市鼓楼区", "中山北路"),
];
const MOBILE_PREFIXES: &[&str] =
    &["130", "131", "135", "136", "138", "139", "150", "152", "158", "159", "186", "187", "188", "189"];
const MAIL: &[&str] = &["qq.com", "163.com", "126.com", "example.com"];
const PRODUCTS: &[(&str, i64)] = &[
    ("宽带 500M 年费", 118_800),
    ("5G 畅享套餐 月费", 12_900),
    ("家庭保险 年缴", 356_000),
    ("智能手机", 459_900),
    ("路由器", 39_900),
    ("信用卡年费", 20_000),
    ("理财产品 认购手续费", 5_000),
    ("维修服务", 15_000),
];
const TAGS: &[&str] = &["vip", "新客", "老客户", "高潜力", "家庭", "企业主", "学生"];
const CHANNELS: &[&str] = &["store", "online", "phone", "agent", "app"];
const SOURCES: &[&str] = &["sales", "service", "survey", "self_web", "self_hotline", "self_app"];

fn resident_id(region: &str, birth: NaiveDate, seq: u64) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let first17 = format!("{region}{}{:03}", birth.format("%Y%m%d"), seq % 1000);
    let sum: u32 = first17.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    format!("{first17}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

/// Where demo customers are homed, and who is responsible for them.
pub struct Home {
    pub unit_id: String,
    pub owners: Vec<String>,
}

/// Inserts `count` customers spread over `homes`, in batches; returns (customers, purchases).
pub fn seed(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    homes: &[Home],
    count: u64,
    first_index: u64,
) -> Result<(u64, u64), ApiError> {
    const BATCH: u64 = 1000;
    let mut rng = Rng(0x6775_616E_7869 ^ first_index);
    let t = now();
    let (mut done, mut purchases_total) = (0, 0);
    while done < count {
        let n = BATCH.min(count - done);
        let mut rows = Vec::with_capacity(n as usize);
        let mut owners = Vec::new();
        let mut tags = Vec::new();
        let mut bought = Vec::new();
        for k in 0..n {
            let i = first_index + done + k;
            let home = &homes[(i % homes.len() as u64) as usize];
            let (code, region, street) = *rng.pick(REGIONS);
            let birth =
                NaiveDate::from_ymd_opt(1950, 1, 1).unwrap_or_default() + TimeDelta::days(rng.below(20_000) as i64);
            let national_id = resident_id(code, birth, rng.below(1000));
            let male = (national_id.as_bytes()[16] - b'0') % 2 == 1;
            // Unique by construction: the index fills the last eight digits.
            let mobile = format!("+86{}{:08}", rng.pick(MOBILE_PREFIXES), i % 100_000_000);
            let email = format!("c{i}@{}", rng.pick(MAIL));
            let address = format!("{region}{street}{}号", 1 + rng.below(300));
            let created = t - TimeDelta::days(730) + TimeDelta::seconds(rng.below(730 * 86_400) as i64);
            let mut row = CustomerRow {
                id: crate::db::new_id(),
                unit_id: home.unit_id.clone(),
                name: format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN)),
                gender: Some(if male { "male" } else { "female" }.into()),
                birth_date: None,
                national_id: None,
                national_id_bidx: Some(cipher.blind_index("national_id", &national_id)),
                mobile: None,
                mobile_bidx: Some(cipher.blind_index("mobile", &mobile)),
                email: None,
                email_bidx: Some(cipher.blind_index("email", &email)),
                address: None,
                address_region: Some(address_region(&address)).filter(|r| !r.is_empty()),
                occupation: None,
                income_band: Some((*rng.pick(&["low", "lower_middle", "middle", "upper_middle", "high"])).into()),
                customer_type: "individual".into(),
                preferred_channel: Some((*rng.pick(&["sms", "email", "phone", "wechat"])).into()),
                source_channel: (*rng.pick(SOURCES)).into(),
                source_supplier: None,
                source_legal_basis: None,
                household_id: None,
                reachable: rng.below(20) != 0,
                last_contact_at: None,
                last_purchase_at: None,
                created_by: None,
                version: 1,
                created_at: created,
                updated_at: created,
                deleted_at: None,
                identity_bidx: None,
                birthday_bidx: None,
            };
            let seal = |col: &str, v: &str| Some(cipher.encrypt("customers", col, &row.id, v));
            row.national_id = seal("national_id", &national_id);
            row.mobile = seal("mobile", &mobile);
            row.email = seal("email", &email);
            row.address = seal("address", &address);
            row.birth_date = seal("birth_date", &birth.to_string());
            row.identity_bidx = Some(crate::customers::service::identity_index(cipher, &row.name, &birth.to_string()));
            row.birthday_bidx = crate::customers::service::birthday_index(cipher, &birth.to_string());
            let mut last: Option<NaiveDateTime> = None;
            for _ in 0..3 + rng.below(8) {
                let (product, price) = *rng.pick(PRODUCTS);
                let at = t - TimeDelta::seconds(rng.below(730 * 86_400) as i64);
                last = last.max(Some(at));
                bought.push(PurchaseRow {
                    id: crate::db::new_id(),
                    customer_id: row.id.clone(),
                    unit_id: home.unit_id.clone(),
                    product: product.into(),
                    amount_fen: price,
                    currency: "CNY".into(),
                    channel: (*rng.pick(CHANNELS)).into(),
                    purchased_at: at,
                    created_by: None,
                    created_at: at,
                    // Two in three sales record their margin (10–40 %); the rest leave it to the
                    // configured default rate.
                    margin_fen: (rng.below(3) > 0).then(|| price * (10 + rng.below(31) as i64) / 100),
                    refund_of: None,
                    // Yearly fees and policies run a year (renewal reminders count back from it).
                    ends_at: product.contains("年").then(|| at + TimeDelta::days(365)),
                });
            }
            row.last_purchase_at = last;
            owners.push((row.id.clone(), rng.pick(&home.owners).clone()));
            if rng.below(3) == 0 {
                tags.push((row.id.clone(), (*rng.pick(TAGS)).to_owned()));
            }
            rows.push(row);
        }
        purchases_total += bought.len() as u64;
        crate::db::transaction(conn, |c| insert_batch(c, &rows, &owners, &tags, &bought))?;
        done += n;
    }
    Ok((done, purchases_total))
}

/// The header of `csv_file`.
pub const CSV_HEADER: &str =
    "name,gender,national_id,mobile,email,address,income_band,preferred_channel,source_channel,tags";

/// A CSV file of `count` synthetic people as an import would receive it (benchmarks): valid ids,
/// mobiles unique per index (from `first_index`), addresses, tags.
pub fn csv_file(count: u64, first_index: u64) -> String {
    let mut rng = Rng(0x6373_7631 ^ first_index);
    let mut out = String::with_capacity(count as usize * 160);
    out.push_str(CSV_HEADER);
    out.push('\n');
    for i in first_index..first_index + count {
        let (code, region, street) = *rng.pick(REGIONS);
        let birth = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap_or_default() + TimeDelta::days(rng.below(20_000) as i64);
        let national_id = resident_id(code, birth, rng.below(1000));
        let male = (national_id.as_bytes()[16] - b'0') % 2 == 1;
        out.push_str(&format!(
            "{}{},{},{national_id},{}{:08},c{i}@{},{region}{street}{}号,{},{},{},{}\n",
            rng.pick(SURNAMES),
            rng.pick(GIVEN),
            if male { "male" } else { "female" },
            rng.pick(MOBILE_PREFIXES),
            i % 100_000_000,
            rng.pick(MAIL),
            1 + rng.below(300),
            rng.pick(&["low", "lower_middle", "middle", "upper_middle", "high"]),
            rng.pick(&["sms", "email", "phone", "wechat"]),
            rng.pick(SOURCES),
            rng.pick(TAGS),
        ));
    }
    out
}

/// Multi-row INSERTs on the concrete connection (the multi-backend one cannot batch).
fn insert_batch(
    conn: &mut DbConnection,
    rows: &[CustomerRow],
    owners: &[(String, String)],
    tags: &[(String, String)],
    bought: &[PurchaseRow],
) -> Result<(), ApiError> {
    macro_rules! batch {
        ($c:expr) => {{
            let c = $c;
            for chunk in rows.chunks(1000) {
                diesel::insert_into(customers::table).values(chunk).execute(c)?;
            }
            let owner_rows: Vec<_> = owners
                .iter()
                .map(|(cid, uid)| (customer_owners::customer_id.eq(cid), customer_owners::user_id.eq(uid)))
                .collect();
            for chunk in owner_rows.chunks(5000) {
                diesel::insert_into(customer_owners::table).values(chunk).execute(c)?;
            }
            let tag_rows: Vec<_> =
                tags.iter().map(|(cid, t)| (customer_tags::customer_id.eq(cid), customer_tags::tag.eq(t))).collect();
            for chunk in tag_rows.chunks(5000) {
                diesel::insert_into(customer_tags::table).values(chunk).execute(c)?;
            }
            for chunk in bought.chunks(3000) {
                diesel::insert_into(purchases::table).values(chunk).execute(c)?;
            }
        }};
    }
    match conn {
        DbConnection::Sqlite(c) => batch!(c),
        DbConnection::Postgres(c) => batch!(c),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::domain::ResidentId;

    #[test]
    fn generated_ids_are_valid() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut rng = Rng(7);
        for _ in 0..500 {
            let birth = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + TimeDelta::days(rng.below(20_000) as i64);
            let id = resident_id(rng.pick(REGIONS).0, birth, rng.below(1000));
            let parsed = ResidentId::parse(&id, today).unwrap();
            assert_eq!(parsed.birth_date, birth);
        }
    }
}
