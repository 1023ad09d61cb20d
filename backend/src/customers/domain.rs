//! Parse, don't validate: the sensitive values a customer record may hold, normalised so that the
//! same person always yields the same blind index.

use chrono::{Datelike, NaiveDate};

use crate::error::FieldError;

/// The English words stay beside the code for readers of this file; users read the catalogue's.
fn err(field: &str, code: &str, _english: &str) -> FieldError {
    FieldError::new(field, code)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
}

/// A mainland resident identity number (GB 11643-1999): 18 characters, the last a check digit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidentId {
    value: String,
    pub birth_date: NaiveDate,
    pub gender: Gender,
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

impl ResidentId {
    pub fn parse(raw: &str, today: NaiveDate) -> Result<ResidentId, FieldError> {
        let field = "national_id";
        let value = raw.trim().to_ascii_uppercase();
        let bytes = value.as_bytes();
        if bytes.len() != 18
            || !bytes[..17].iter().all(u8::is_ascii_digit)
            || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
        {
            return Err(err(field, "format", "a resident id has 17 digits and a check character (digit or X)"));
        }
        let sum: u32 = bytes[..17].iter().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
        if CHECK[(sum % 11) as usize] != bytes[17] {
            return Err(err(field, "checksum", "the check character does not match (GB 11643)"));
        }
        let birth_date = NaiveDate::parse_from_str(&value[6..14], "%Y%m%d")
            .ok()
            .filter(|d| *d <= today && d.year() >= 1900)
            .ok_or_else(|| err(field, "birth_date", "the birth date inside the id is not a real past date"))?;
        let gender = if (bytes[16] - b'0') % 2 == 1 { Gender::Male } else { Gender::Female };
        Ok(ResidentId { value, birth_date, gender })
    }

    pub fn as_str(&self) -> &str {
        &self.value
    }
}

/// What `parse_mobile` accepts, as a JSON Schema pattern for the API document: 11 digits
/// starting 13–19, an optional +86 / 0086 / 86 in front, spaces, dashes and brackets anywhere.
pub const MOBILE_PATTERN: &str =
    r"^[ ()-]*((\+|0[ ()-]*0)[ ()-]*8[ ()-]*6[ ()-]*)?(8[ ()-]*6[ ()-]*)?1[ ()-]*[3-9]([ ()-]*[0-9]){9}[ ()-]*$";

/// The shape `ResidentId::parse` accepts; the check character and the birth date inside are
/// rules a pattern cannot say (the API document states them in words).
pub const NATIONAL_ID_PATTERN: &str = r"^[ \t\n\r\u3000]*[0-9]{17}[0-9Xx][ \t\n\r\u3000]*$";

/// A mainland mobile number, normalised to E.164 (+86…).
pub fn parse_mobile(raw: &str) -> Result<String, FieldError> {
    let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')')).collect();
    let national = digits.strip_prefix("+86").or_else(|| digits.strip_prefix("0086")).unwrap_or(&digits);
    let national = if national.len() == 13 && national.starts_with("86") { &national[2..] } else { national };
    let ok = national.len() == 11
        && national.starts_with('1')
        && matches!(national.as_bytes()[1], b'3'..=b'9')
        && national.bytes().all(|b| b.is_ascii_digit());
    if ok {
        Ok(format!("+86{national}"))
    } else {
        Err(err("mobile", "format", "a mainland mobile number has 11 digits starting 13–19"))
    }
}

/// A tag as stored and matched: trimmed, Latin letters in lower case (`VIP`, `Vip` and `vip` are
/// one tag), every other character as given. Only ASCII letters are folded, so that SQLite's
/// `lower()` and this agree (migration 000022 folded the tags stored before).
pub fn tag(raw: &str) -> String {
    raw.trim().to_ascii_lowercase()
}

/// An email address, trimmed and lower-cased (the form the blind index is computed over).
pub fn parse_email(raw: &str) -> Result<String, FieldError> {
    let value = raw.trim().to_lowercase();
    if value.len() <= 254 && validator::ValidateEmail::validate_email(&value) {
        Ok(value)
    } else {
        Err(err("email", "format", "not a valid email address"))
    }
}

pub fn parse_date(field: &str, raw: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| *d <= today && d.year() >= 1900)
        .ok_or_else(|| err(field, "date", "a past date as YYYY-MM-DD"))
}

/// The same rules as validator checks, so a body's field errors are all reported in one answer
/// together with lengths and shapes (the service parses again to get the values).
pub mod checks {
    use super::*;
    use validator::ValidationError;

    fn as_validation(e: FieldError) -> ValidationError {
        let mut v = ValidationError::new("invalid");
        v.code = e.code.into();
        v
    }

    fn today() -> NaiveDate {
        chrono::Utc::now().date_naive()
    }

    pub fn mobile(v: &str) -> Result<(), ValidationError> {
        parse_mobile(v).map(|_| ()).map_err(as_validation)
    }

    pub fn email(v: &str) -> Result<(), ValidationError> {
        parse_email(v).map(|_| ()).map_err(as_validation)
    }

    pub fn national_id(v: &str) -> Result<(), ValidationError> {
        ResidentId::parse(v, today()).map(|_| ()).map_err(as_validation)
    }

    pub fn birth_date(v: &str) -> Result<(), ValidationError> {
        parse_date("birth_date", v, today()).map(|_| ()).map_err(as_validation)
    }
}

/// The leading administrative divisions of a mainland address — province, city, district, at
/// most three — and nothing that follows ("北京市朝阳区建国路88号" → "北京市朝阳区"): what frontline
/// staff may see. An address that does not open with a division shows none of it
/// ("建国路88号院3号楼(朝阳区)" → ""): a street, a building or a bracket is never a division.
pub fn address_region(address: &str) -> String {
    const SUFFIX: [char; 7] = ['省', '市', '区', '县', '旗', '州', '盟'];
    const LONGEST: usize = 12; // 新疆维吾尔自治区, 恩施土家族苗族自治州
    let chars: Vec<char> = address.trim().chars().collect();
    let mut end = 0;
    for _ in 0..3 {
        let rest = &chars[end..];
        // Divisions are written in Han characters only: a digit, letter or bracket ends them.
        let han = rest.iter().take(LONGEST + 1).take_while(|c| ('\u{4e00}'..='\u{9fff}').contains(*c)).count();
        // The first suffix after at least two characters, unless another suffix follows at
        // once (杭州市: 州 then 市).
        let cut = (1..han).find(|&i| SUFFIX.contains(&rest[i]) && !(i + 1 < han && SUFFIX.contains(&rest[i + 1])));
        match cut {
            Some(i) => end += i + 1,
            None => break,
        }
    }
    chars[..end].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_fold_latin_letters_only() {
        assert_eq!(tag(" VIP "), "vip");
        assert_eq!(tag("WeChat会员"), "wechat会员");
        // Not ASCII: kept as given (SQLite's lower() would not fold it either).
        assert_eq!(tag("ÉLITE"), "Élite");
        assert_eq!(tag("Ⅱ类"), "Ⅱ类");
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    /// The pattern an API document states for a field, read from the generated document.
    fn documented_pattern(schema: &str, field: &str) -> String {
        let spec = serde_json::to_value(crate::openapi::spec()).unwrap();
        let pattern = &spec["components"]["schemas"][schema]["properties"][field]["pattern"];
        pattern.as_str().unwrap_or_else(|| panic!("{schema}.{field} has no pattern")).to_owned()
    }

    #[test]
    fn documented_patterns_accept_what_the_parsers_accept() {
        for schema in ["CreateCustomer", "UpdateCustomer"] {
            assert_eq!(documented_pattern(schema, "mobile"), MOBILE_PATTERN);
            assert_eq!(documented_pattern(schema, "national_id"), NATIONAL_ID_PATTERN);
        }
        let spec = serde_json::to_value(crate::openapi::spec()).unwrap();
        let list = spec["paths"]["/api/v1/customers"]["get"]["parameters"].as_array().unwrap();
        let param = |name: &str| list.iter().find(|p| p["name"] == name).unwrap()["schema"]["pattern"].clone();
        assert_eq!(param("mobile"), MOBILE_PATTERN);
        assert_eq!(param("national_id"), NATIONAL_ID_PATTERN);
        let mobile = regex::Regex::new(MOBILE_PATTERN).unwrap();
        for raw in [
            "13800138000",
            "+8613800138000",
            "008613800138000",
            "8613800138000",
            "+86 138-0013-8000",
            "(138) 0013 8000",
            "0 0 86 13800138000",
            "+868613800138000",
            "12800138000",
            "1380013800",
            "138001380001",
            "+8713800138000",
            "1380013800x",
            "138\t00138000",
            "",
            "+86",
            "19912345678",
        ] {
            assert_eq!(mobile.is_match(raw), parse_mobile(raw).is_ok(), "mobile {raw:?}");
        }
        let national_id = regex::Regex::new(NATIONAL_ID_PATTERN).unwrap();
        for raw in [
            "11010519491231002X",
            "11010519491231002x",
            " 11010519491231002X\n",
            "1101051949123100",
            "A1010519491231002X",
        ] {
            let shape_ok = ResidentId::parse(raw, today()).map_or_else(|e| e.code != "format", |_| true);
            assert_eq!(national_id.is_match(raw), shape_ok, "national id {raw:?}");
        }
    }

    #[test]
    fn resident_ids_follow_gb_11643() {
        let id = ResidentId::parse("11010519491231002x", today()).unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(id.birth_date, NaiveDate::from_ymd_opt(1949, 12, 31).unwrap());
        assert_eq!(id.gender, Gender::Female);
        assert_eq!(ResidentId::parse("110105194912310021", today()).unwrap_err().code, "checksum");
        assert_eq!(ResidentId::parse("1101051949123100", today()).unwrap_err().code, "format");
        // Valid checksum but 2099-01-01 is in the future.
        let future = with_check("11010520990101001");
        assert_eq!(ResidentId::parse(&future, today()).unwrap_err().code, "birth_date");
        let male = ResidentId::parse(&with_check("11010519900101001"), today()).unwrap();
        assert_eq!(male.gender, Gender::Male);
    }

    fn with_check(first17: &str) -> String {
        let sum: u32 = first17.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
        format!("{first17}{}", CHECK[(sum % 11) as usize] as char)
    }

    #[test]
    fn mobiles_normalise_to_e164() {
        for raw in ["13812341234", "+86 138-1234-1234", "008613812341234", "8613812341234"] {
            assert_eq!(parse_mobile(raw).unwrap(), "+8613812341234", "{raw}");
        }
        for bad in ["12812341234", "1381234123", "+1 415 555 0100", "1381234123x"] {
            assert!(parse_mobile(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn emails_are_lower_cased() {
        assert_eq!(parse_email(" Zhang.San@Example.com ").unwrap(), "zhang.san@example.com");
        assert!(parse_email("not-an-email").is_err());
    }

    #[test]
    fn regions_stop_at_the_district() {
        assert_eq!(address_region("北京市朝阳区建国路88号"), "北京市朝阳区");
        assert_eq!(address_region("浙江省杭州市西湖区文三路1号"), "浙江省杭州市西湖区");
        assert_eq!(address_region("云南省大理市人民路"), "云南省大理市");
        assert_eq!(address_region("建国路88号院3号楼(朝阳区)"), "");
        assert_eq!(address_region("北京市朝阳区建国路88号院3号楼(朝阳区)"), "北京市朝阳区");
        assert_eq!(address_region("广东省广州市天河区体育西路"), "广东省广州市天河区");
        assert_eq!(address_region("山东省济南市市中区经七路"), "山东省济南市市中区");
        assert_eq!(address_region("湖北省恩施土家族苗族自治州恩施市舞阳大街"), "湖北省恩施土家族苗族自治州恩施市");
        assert_eq!(address_region("内蒙古自治区呼和浩特市新城区"), "内蒙古自治区呼和浩特市新城区");
        assert_eq!(address_region("上海市浦东新区世纪大道1号"), "上海市浦东新区");
        assert_eq!(address_region("朝阳区(建国路)"), "朝阳区");
        assert_eq!(address_region("Room 5, 88 Jianguo Road"), "");
        assert_eq!(address_region("人民路与解放路交叉口东北角商场三层"), "");
    }
}
