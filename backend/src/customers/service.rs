//! Customer rules: who may see which customer (unit scope or ownership; 404 otherwise), field
//! validation, encryption and blind indexes, masking per role, purposeful reveals, and an audit
//! entry and a change event with every write — all in the caller's transaction.

use std::collections::BTreeMap;

use chrono::{NaiveDate, TimeDelta};

use super::access::{readable, writable};
use super::domain::{self, ResidentId};
use super::dto::*;
use super::fields::{self, Derived};
use super::mask::{self, View};
use super::model::CustomerRow;
use super::store;
use crate::audit::{self, Event};
use crate::auth::Principal;
use crate::crypto::field::FieldCipher;
use crate::db::{now, DbConnection};
use crate::error::{ApiError, FieldError};
use crate::http::etag::IfMatch;
use crate::org::scope::Scope;
use crate::outbox::Topic;

use super::model::TABLE;
pub const REVEALS_PER_HOUR: i64 = 20;

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// Sensitive values after parsing, ready to encrypt.
#[derive(Default)]
struct Clear {
    national_id: Option<ResidentId>,
    mobile: Option<String>,
    email: Option<String>,
    address: Option<String>,
    birth_date: Option<NaiveDate>,
}

impl Clear {
    /// A parsed value in the canonical text that is sealed and blind-indexed.
    fn text(&self, field: &str) -> Option<String> {
        match field {
            "national_id" => self.national_id.as_ref().map(|n| n.as_str().to_owned()),
            "mobile" => self.mobile.clone(),
            "email" => self.email.clone(),
            "address" => self.address.clone(),
            "birth_date" => self.birth_date.map(|b| b.to_string()),
            _ => None,
        }
    }
}

fn parse_clear(
    national_id: Option<&str>,
    mobile: Option<&str>,
    email: Option<&str>,
    address: Option<&str>,
    birth_date: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Clear {
    fn take<T>(r: Result<T, FieldError>, errors: &mut Vec<FieldError>) -> Option<T> {
        r.map_err(|e| errors.push(e)).ok()
    }
    Clear {
        national_id: national_id.and_then(|v| take(ResidentId::parse(v, today()), errors)),
        mobile: mobile.and_then(|v| take(domain::parse_mobile(v), errors)),
        email: email.and_then(|v| take(domain::parse_email(v), errors)),
        address: address.map(|a| a.trim().to_owned()),
        birth_date: birth_date.and_then(|v| take(domain::parse_date("birth_date", v, today()), errors)),
    }
}

fn check_tags(tags: &[String], errors: &mut Vec<FieldError>) {
    if tags.iter().any(|t| t.trim().is_empty() || t.chars().count() > 32) {
        errors.push(FieldError::new("tags", "length"));
    }
}

/// Owners must be active staff the principal can see (a forged id is refused, never applied).
fn check_owners(conn: &mut DbConnection, p: &Principal, owners: &[String]) -> Result<(), ApiError> {
    for id in owners {
        match crate::org::store::user_with_path(conn, id)? {
            Some((u, path)) if u.active && p.sees_unit_path(&path) && u.role != "integration" => {}
            _ => return Err(ApiError::field("owner_ids", "unknown").with("value", id.clone())),
        }
    }
    Ok(())
}

/// Writes the sensitive columns of `row` from clear values (the id must be set: it is bound into
/// each ciphertext).
fn seal(cipher: &FieldCipher, row: &mut CustomerRow, clear: &Clear) {
    let id = row.id.clone();
    for f in fields::with(fields::SENSITIVE) {
        let Some(v) = clear.text(f.name) else { continue };
        (f.stored.set)(row, Some(cipher.encrypt(TABLE, f.name, &id, &v)));
        match f.derived {
            Derived::BlindIndex(s) => (s.set)(row, Some(cipher.blind_index(f.name, &v))),
            Derived::Region(s) => (s.set)(row, Some(domain::address_region(&v)).filter(|r| !r.is_empty())),
            Derived::Nothing => {}
        }
    }
}

/// The value a merge-patch member sets, if it sets one.
fn given(member: &Option<Option<String>>) -> Option<&str> {
    member.as_ref().and_then(|v| v.as_deref())
}

/// The birth date's month and day (`03-02` of `1990-03-02`) as a blind index: who has a birthday
/// on a day is found without decrypting anyone's birth date (decision 0030).
pub fn birthday_index(cipher: &FieldCipher, birth_date: &str) -> Option<String> {
    birth_date.get(5..10).map(|month_day| cipher.blind_index("birthday", month_day))
}

/// Name and birth date together identify a person well enough to flag a possible duplicate.
pub fn identity_index(cipher: &FieldCipher, name: &str, birth_date: &str) -> String {
    cipher.blind_index("identity", &format!("{}|{birth_date}", name.trim()))
}

/// The id number fixes birth date and gender: take them from it, or refuse a contradiction.
fn reconcile_id(clear: &mut Clear, gender: &mut Option<Gender>, errors: &mut Vec<FieldError>) {
    let Some(id) = &clear.national_id else { return };
    match clear.birth_date {
        Some(b) if b != id.birth_date => errors.push(FieldError::new("birth_date", "mismatch")),
        _ => clear.birth_date = Some(id.birth_date),
    }
    let from_id = match id.gender {
        domain::Gender::Male => Gender::Male,
        domain::Gender::Female => Gender::Female,
    };
    match gender {
        Some(g) if *g != from_id => errors.push(FieldError::new("gender", "mismatch")),
        _ => *gender = Some(from_id),
    }
}

fn fail_if(errors: Vec<FieldError>) -> Result<(), ApiError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

pub fn event(conn: &mut DbConnection, topic: Topic, row: &CustomerRow, fields: &[&str]) -> Result<(), ApiError> {
    let payload =
        serde_json::json!({ "customer_id": row.id, "unit_id": row.unit_id, "version": row.version, "fields": fields });
    Ok(crate::outbox::enqueue(conn, topic, &row.id, Some(&row.unit_id), &payload)?)
}

pub fn create(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    p: &Principal,
    mut input: CreateCustomer,
) -> Result<CustomerRow, ApiError> {
    let owner_ids = std::mem::take(&mut input.owner_ids);
    let (row, tags) = new_row(cipher, &p.unit_id, &p.id, input).map_err(ApiError::Validation)?;
    let owners = if owner_ids.is_empty() { vec![p.id.clone()] } else { dedup(owner_ids) };
    check_owners(conn, p, &owners)?;
    store::insert(conn, &row)?;
    store::replace_owners(conn, &row.id, &owners)?;
    store::replace_tags(conn, &row.id, &tags)?;
    let fields = filled_fields(&row);
    audit::append(conn, &p.actor(), Event::new("customer.create", "customer", Some(&row.id)).fields(&fields))?;
    event(conn, Topic::CustomerCreated, &row, &fields)?;
    Ok(row)
}

/// A new customer's sealed row and tags from the input (owners aside), or every field error at
/// once. No database access: the import job calls it for each row of a file.
pub fn new_row(
    cipher: &FieldCipher,
    unit_id: &str,
    created_by: &str,
    input: CreateCustomer,
) -> Result<(CustomerRow, Vec<String>), Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut clear = parse_clear(
        input.national_id.as_deref(),
        input.mobile.as_deref(),
        input.email.as_deref(),
        input.address.as_deref(),
        input.birth_date.as_deref(),
        &mut errors,
    );
    let mut gender = input.gender;
    reconcile_id(&mut clear, &mut gender, &mut errors);
    check_tags(&input.tags, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let t = now();
    let mut row = CustomerRow {
        id: crate::db::new_id(),
        unit_id: unit_id.to_owned(),
        name: input.name.trim().to_owned(),
        gender: gender.map(|g| g.as_str().to_owned()),
        birth_date: None,
        national_id: None,
        national_id_bidx: None,
        mobile: None,
        mobile_bidx: None,
        email: None,
        email_bidx: None,
        address: None,
        address_region: None,
        occupation: input.occupation,
        income_band: input.income_band.map(|v| v.as_str().to_owned()),
        customer_type: input.customer_type.as_str().to_owned(),
        preferred_channel: input.preferred_channel.map(|v| v.as_str().to_owned()),
        source_channel: input.source.channel.as_str().to_owned(),
        source_supplier: input.source.supplier,
        source_legal_basis: input.source.legal_basis,
        household_id: input.household_id,
        reachable: true,
        last_contact_at: None,
        last_purchase_at: None,
        created_by: Some(created_by.to_owned()),
        version: 1,
        created_at: t,
        updated_at: t,
        deleted_at: None,
        identity_bidx: None,
        birthday_bidx: None,
    };
    seal(cipher, &mut row, &clear);
    row.identity_bidx = clear.birth_date.map(|b| identity_index(cipher, &row.name, &b.to_string()));
    row.birthday_bidx = clear.birth_date.and_then(|b| birthday_index(cipher, &b.to_string()));
    Ok((row, tags(input.tags)))
}

/// Tags as stored: folded (`domain::tag`), each once, sorted.
fn tags(v: Vec<String>) -> Vec<String> {
    dedup(v.iter().map(|t| domain::tag(t)).collect())
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    v.iter_mut().for_each(|s| *s = s.trim().to_owned());
    v.sort();
    v.dedup();
    v
}

/// The fields a merge chooses between that hold a value.
pub fn filled_fields(row: &CustomerRow) -> Vec<&'static str> {
    fields::with(fields::MERGED).filter(|f| fields::is_set(row, f)).map(|f| f.name).collect()
}

pub fn update(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    p: &Principal,
    id: &str,
    expected: &IfMatch,
    input: UpdateCustomer,
) -> Result<CustomerRow, ApiError> {
    let current = writable(conn, p, id)?;
    let version = expected.check(current.version)?;
    let mut errors = Vec::new();
    let mut clear = parse_clear(
        given(&input.national_id),
        given(&input.mobile),
        given(&input.email),
        given(&input.address),
        given(&input.birth_date),
        &mut errors,
    );
    let nulled: Vec<&'static str> = [
        ("national_id", &input.national_id),
        ("mobile", &input.mobile),
        ("email", &input.email),
        ("address", &input.address),
        ("birth_date", &input.birth_date),
    ]
    .into_iter()
    .filter(|(_, v)| matches!(v, Some(None)))
    .map(|(f, _)| f)
    .collect();
    let mut gender = match input.gender {
        Some(g) => g,
        None => current.gender.as_deref().and_then(Gender::parse),
    };
    reconcile_id(&mut clear, &mut gender, &mut errors);
    if let Some(t) = &input.tags {
        check_tags(t, &mut errors);
    }
    fail_if(errors)?;
    if let Some(o) = &input.owner_ids {
        check_owners(conn, p, o)?;
    }
    let mut changed: Vec<&str> = Vec::new();
    let mut row = current.clone();
    macro_rules! set {
        ($field:ident, $value:expr) => {
            if let Some(v) = $value {
                row.$field = v;
                changed.push(stringify!($field));
            }
        };
    }
    set!(name, input.name.map(|n| n.trim().to_owned()));
    set!(gender, input.gender.map(|g| g.map(|g| g.as_str().to_owned())));
    set!(occupation, input.occupation);
    set!(income_band, input.income_band.map(|v| v.map(|b| b.as_str().to_owned())));
    set!(customer_type, input.customer_type.map(|v| v.as_str().to_owned()));
    set!(preferred_channel, input.preferred_channel.map(|v| v.map(|c| c.as_str().to_owned())));
    set!(household_id, input.household_id);
    set!(reachable, input.reachable);
    if let Some(s) = input.source {
        row.source_channel = s.channel.as_str().to_owned();
        row.source_supplier = s.supplier;
        row.source_legal_basis = s.legal_basis;
        changed.push("source");
    }
    if gender.map(|g| g.as_str()) != current.gender.as_deref() && !changed.contains(&"gender") {
        row.gender = gender.map(|g| g.as_str().to_owned());
        changed.push("gender");
    }
    changed.extend(fields::with(fields::SENSITIVE).filter(|f| clear.text(f.name).is_some()).map(|f| f.name));
    seal(cipher, &mut row, &clear);
    for field in &nulled {
        if let Some(f) = fields::find(field) {
            fields::clear(&mut row, f);
        }
        changed.push(field);
    }
    if changed.contains(&"name") || clear.birth_date.is_some() || nulled.contains(&"birth_date") {
        let birth = match clear.birth_date {
            Some(b) => Some(b.to_string()),
            None => open(cipher, &row, "birth_date", &row.birth_date)?,
        };
        row.birthday_bidx = birth.as_deref().and_then(|b| birthday_index(cipher, b));
        row.identity_bidx = birth.map(|b| identity_index(cipher, &row.name, &b));
    }
    if let Some(tags) = input.tags {
        store::replace_tags(conn, id, &self::tags(tags))?;
        changed.push("tags");
    }
    if let Some(owners) = input.owner_ids {
        store::replace_owners(conn, id, &dedup(owners))?;
        changed.push("owner_ids");
    }
    row.version = version + 1;
    row.updated_at = now();
    if !store::update(conn, &row, version)? {
        return Err(ApiError::PreconditionFailed);
    }
    super::quality::store::unverify(conn, id, &changed)?;
    audit::append(conn, &p.actor(), Event::new("customer.update", "customer", Some(id)).fields(&changed))?;
    event(conn, Topic::CustomerUpdated, &row, &changed)?;
    Ok(row)
}

/// Tags added to, or account managers given to, many customers in one transaction: each through
/// the same rules, audit entry and event as a single change, so a bulk change is exactly the sum
/// of single ones. Bounded (200 customers) because it is what a person selected on a screen; a
/// customer out of the caller's reach stops it all with 404, as it would alone. With nothing to
/// change, nothing changes (the customers are still checked).
pub fn bulk_update(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    p: &Principal,
    input: BulkUpdate,
) -> Result<usize, ApiError> {
    let ids = dedup(input.ids);
    if input.add_tags.is_empty() && input.owner_ids.is_none() {
        for id in &ids {
            writable(conn, p, id)?;
        }
        return Ok(0);
    }
    let (_, tags) = store::owners_and_tags(conn, &ids)?;
    for id in &ids {
        let now_tags = tags.get(id).cloned().unwrap_or_default();
        let change = UpdateCustomer {
            tags: (!input.add_tags.is_empty())
                .then(|| now_tags.into_iter().chain(input.add_tags.iter().cloned()).collect()),
            owner_ids: input.owner_ids.clone(),
            ..UpdateCustomer::default()
        };
        update(conn, cipher, p, id, &IfMatch::Any, change)?;
    }
    Ok(ids.len())
}

pub fn delete(conn: &mut DbConnection, p: &Principal, id: &str, expected: &IfMatch) -> Result<(), ApiError> {
    let mut row = writable(conn, p, id)?;
    let version = expected.check(row.version)?;
    row.version = version + 1;
    row.updated_at = now();
    row.deleted_at = Some(row.updated_at);
    if !store::update(conn, &row, version)? {
        return Err(ApiError::PreconditionFailed);
    }
    audit::append(conn, &p.actor(), Event::new("customer.delete", "customer", Some(id)))?;
    event(conn, Topic::CustomerDeleted, &row, &[])
}

pub fn open(
    cipher: &FieldCipher,
    row: &CustomerRow,
    column: &str,
    stored: &Option<String>,
) -> Result<Option<String>, ApiError> {
    stored
        .as_deref()
        .map(|ct| {
            cipher
                .decrypt(TABLE, column, &row.id, ct)
                .map_err(|e| ApiError::internal(format!("customer {} {column}: {e:?}", row.id)))
        })
        .transpose()
}

/// A field's clear value by its API name, for disclosures the caller logs (partner shares,
/// data-subject copies).
pub fn clear_value(cipher: &FieldCipher, row: &CustomerRow, field: &str) -> Result<Option<String>, ApiError> {
    let Some(f) = fields::find(field).filter(|f| f.personal()) else { return Ok(None) };
    let stored = (f.stored.get)(row).map(str::to_owned);
    if f.sensitive() {
        open(cipher, row, f.name, &stored)
    } else {
        Ok(stored)
    }
}

/// A sensitive field as the role may see it.
fn shown(cipher: &FieldCipher, row: &CustomerRow, field: &str, v: View) -> Result<Option<String>, ApiError> {
    let f = fields::find(field).filter(|f| f.sensitive()).ok_or_else(|| ApiError::internal(field))?;
    let clear = clear_value(cipher, row, field)?;
    Ok(clear.zip(f.mask).map(|(c, mask)| mask(&c, v)))
}

/// The response for a role: decrypts, then masks every sensitive field.
pub fn view(
    cipher: &FieldCipher,
    p: &Principal,
    row: CustomerRow,
    owners: Vec<String>,
    tags: Vec<String>,
) -> Result<Customer, ApiError> {
    let v = View::for_role(p.role);
    let shown = |field| shown(cipher, &row, field, v);
    let (national_id, mobile, email) = (shown("national_id")?, shown("mobile")?, shown("email")?);
    let (address, birth_date) = (shown("address")?, shown("birth_date")?);
    Ok(Customer {
        name: mask::name(&row.name, v),
        gender: row.gender.as_deref().and_then(Gender::parse),
        birth_date,
        national_id,
        mobile,
        email,
        address,
        occupation: row.occupation,
        income_band: row.income_band.as_deref().and_then(IncomeBand::parse),
        customer_type: CustomerType::parse(&row.customer_type).unwrap_or(CustomerType::Individual),
        preferred_channel: row.preferred_channel.as_deref().and_then(ContactChannel::parse),
        source: Source {
            channel: SourceChannel::parse(&row.source_channel).unwrap_or(SourceChannel::Service),
            supplier: row.source_supplier,
            legal_basis: row.source_legal_basis,
        },
        household_id: row.household_id,
        tags,
        owner_ids: owners,
        reachable: row.reachable,
        last_contact_at: row.last_contact_at.map(|t| t.and_utc()),
        last_purchase_at: row.last_purchase_at.map(|t| t.and_utc()),
        version: row.version,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
        id: row.id,
        unit_id: row.unit_id,
    })
}

/// Masked views of a page of rows, with owners and tags loaded for the page at once.
pub fn views(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    p: &Principal,
    rows: Vec<CustomerRow>,
) -> Result<Vec<Customer>, ApiError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let (mut owners, mut tags) = store::owners_and_tags(conn, &ids)?;
    rows.into_iter()
        .map(|r| {
            let (o, t) = (owners.remove(&r.id).unwrap_or_default(), tags.remove(&r.id).unwrap_or_default());
            view(cipher, p, r, o, t)
        })
        .collect()
}

/// Full values for a stated purpose: managers and compliance only, rate-limited, audited with the
/// field names and purpose (never the values).
pub fn reveal(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    p: &Principal,
    id: &str,
    input: RevealRequest,
) -> Result<Revealed, ApiError> {
    let row = writable(conn, p, id)?;
    let mut fields: Vec<String> = input.fields.iter().map(|f| f.as_str().to_owned()).collect();
    fields.sort();
    fields.dedup();
    if store::reveals_since(conn, &p.id, now() - TimeDelta::hours(1))? >= REVEALS_PER_HOUR {
        return Err(ApiError::TooManyRequests { retry_after_secs: 600 });
    }
    let mut values = BTreeMap::new();
    for f in &fields {
        values.insert(f.clone(), clear_value(cipher, &row, f)?);
    }
    let names: Vec<&str> = fields.iter().map(String::as_str).collect();
    let mut ev = Event::new("customer.reveal", "customer", Some(id)).fields(&names);
    ev.purpose = Some(input.purpose.as_str());
    audit::append(conn, &p.actor(), ev)?;
    Ok(Revealed { customer_id: row.id, values })
}

/// Possible duplicates of a customer among those the principal may see (CUS-8), with reasons.
pub fn duplicates(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    p: &Principal,
    id: &str,
) -> Result<Vec<DuplicateCandidate>, ApiError> {
    let row = readable(conn, p, id)?;
    let found = store::possible_duplicates(conn, &row, &Scope::of(p), &p.id, 50)?;
    let reasons: Vec<Vec<String>> = found
        .iter()
        .map(|c| {
            [
                ("mobile", &c.mobile_bidx, &row.mobile_bidx),
                ("email", &c.email_bidx, &row.email_bidx),
                ("national_id", &c.national_id_bidx, &row.national_id_bidx),
                ("name_birth_date", &c.identity_bidx, &row.identity_bidx),
            ]
            .into_iter()
            .filter(|(_, a, b)| a.is_some() && a == b)
            .map(|(r, _, _)| r.to_owned())
            .collect()
        })
        .collect();
    let views = views(conn, cipher, p, found)?;
    Ok(views.into_iter().zip(reasons).map(|(customer, reasons)| DuplicateCandidate { customer, reasons }).collect())
}

/// The stored-data filter for a list query: exact identifiers become their blind indexes.
pub fn filter_of(cipher: &FieldCipher, q: CustomerQuery) -> Result<store::Filter, ApiError> {
    let bidx = |col: &str, v: Result<String, FieldError>| -> Result<Vec<String>, ApiError> {
        v.map(|v| cipher.blind_indexes(col, &v)).map_err(|e| ApiError::Validation(vec![e]))
    };
    Ok(store::Filter {
        name_prefix: q.name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()),
        mobile_bidx: q.mobile.map(|m| bidx("mobile", domain::parse_mobile(&m))).transpose()?,
        email_bidx: q.email.map(|e| bidx("email", domain::parse_email(&e))).transpose()?,
        national_id_bidx: q
            .national_id
            .map(|n| bidx("national_id", ResidentId::parse(&n, today()).map(|r| r.as_str().to_owned())))
            .transpose()?,
        tag: q.tag.map(|t| domain::tag(&t)),
        owner_id: q.owner_id,
        unit_id: q.unit_id,
        household_id: q.household_id,
        channel: q.channel.map(|c| c.as_str().to_owned()),
        tier: q.tier.map(|t| t.as_str().to_owned()),
        level: q.level.map(|t| t.as_str().to_owned()),
        band: q.band.map(|t| t.as_str().to_owned()),
        lifecycle: q.lifecycle.map(|t| t.as_str().to_owned()),
        reachable: q.reachable,
        created_from: q.created_from.map(|t| t.naive_utc()),
        created_to: q.created_to.map(|t| t.naive_utc()),
        search: q.q.as_deref().map(|t| search_of(cipher, t)).transpose()?.flatten(),
        ids: None,
        rule: None,
        segment_id: q.segment_id,
    })
}

/// Tells a search term apart: a value that parses as a whole mobile, email or resident id is
/// looked up by its blind index; anything else is searched for in the name.
fn search_of(cipher: &FieldCipher, term: &str) -> Result<Option<store::Search>, ApiError> {
    let term = term.trim();
    if term.chars().count() > 100 {
        return Err(ApiError::field("q", "too_long"));
    }
    if term.is_empty() {
        return Ok(None);
    }
    let search = if let Ok(m) = domain::parse_mobile(term) {
        store::Search::Mobile(cipher.blind_indexes("mobile", &m))
    } else if let Some(e) = term.contains('@').then(|| domain::parse_email(term).ok()).flatten() {
        store::Search::Email(cipher.blind_indexes("email", &e))
    } else if let Ok(id) = ResidentId::parse(term, today()) {
        store::Search::NationalId(cipher.blind_indexes("national_id", id.as_str()))
    } else if term.chars().count() >= 3 {
        store::Search::NameContains(term.to_owned())
    } else {
        store::Search::NameStarts(term.to_owned())
    };
    Ok(Some(search))
}
