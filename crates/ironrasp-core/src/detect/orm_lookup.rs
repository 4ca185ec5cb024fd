//! ORM lookup injection (the "ORM leak"): an application that passes a client's keys to a
//! query filter (`User.objects.filter(**request.GET.dict())`, a filter set that exposes every
//! field) lets the client name any field, through any relation, with any lookup:
//! `created_by__password__startswith=pbkdf2` reads a password hash a few characters at a time,
//! and `author__department__members__user__email__regex=...` walks the schema to reach rows
//! the page never shows. Django spells the path with `__`; so do the ORMs modelled on it
//! (Tortoise, Peewee's `filter(**kw)`, ormar). No SQL is written, so the SQL readings see
//! nothing; the finding is reported as SQL injection, which OWASP's testing guide files ORM
//! injection under.
//!
//! A key counts when its segments end in a lookup that reveals a field piecemeal and either a
//! segment names a secret (a password, a token, a key) or the path crosses more relations
//! than filters exposed on purpose do (three or more before the field). `price__gte`,
//! `author__name__icontains` and `__init__` pass.

use crate::check::Check;
use crate::finding::Finding;

/// Lookups that reveal a field a few characters or a range at a time. `exact`, `iexact`, `in`
/// and `isnull` confirm a guess whole, which a filter exposes on purpose.
const LOOKUPS: [&str; 13] = [
    "contains",
    "icontains",
    "startswith",
    "istartswith",
    "endswith",
    "iendswith",
    "regex",
    "iregex",
    "gt",
    "gte",
    "lt",
    "lte",
    "range",
];

/// Field names that hold secrets (matched whole, or as the last word of a snake_case name:
/// `reset_token`, `api_key`).
const SECRETS: [&str; 12] = [
    "password", "passwd", "pwd", "secret", "token", "salt", "otp", "totp", "pin", "key", "hash",
    "ssn",
];

/// Relations crossed before the field from which a path is deeper than a filter exposes.
const DEEP: usize = 3;

/// Longest key looked at.
const MAX_LEN: usize = 256;

pub fn inspect(text: &str) -> Option<Finding> {
    let key = text.trim();
    if key.len() > MAX_LEN || !super::needle::has(key, "__") {
        return None;
    }
    if !key.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') {
        return None;
    }
    let segments: Vec<&str> = key.split("__").collect();
    // `__init__`, `a____b`: dunders and runs of underscores are no path.
    if segments.len() < 2 || segments.iter().any(|s| s.is_empty()) {
        return None;
    }
    let (lookup, path) = segments.split_last()?;
    if !LOOKUPS.iter().any(|l| lookup.eq_ignore_ascii_case(l)) {
        return None;
    }
    let relations = path.len() - 1;
    let secret = path.iter().find(|s| is_secret(s));
    let (score, why) = match secret {
        Some(field) => (
            0.8,
            format!(
                "ORM lookup '{key}' compares secret field '{field}' {}",
                through(relations)
            ),
        ),
        None if relations >= DEEP => (0.6, format!("ORM lookup '{key}' {}", through(relations))),
        None => return None,
    };
    Some(Finding::new(Check::Sqli, score, why))
}

fn through(relations: usize) -> String {
    match relations {
        0 => "on the model itself".to_string(),
        1 => "through 1 relation".to_string(),
        n => format!("through {n} relations"),
    }
}

fn is_secret(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    let last_word = lower.rsplit('_').next().unwrap_or(&lower);
    SECRETS.contains(&lower.as_str())
        || (lower.contains('_') && SECRETS.contains(&last_word))
        || lower.starts_with("password")
}

#[cfg(test)]
mod tests {
    use super::inspect;

    #[test]
    fn lookups_that_leak() {
        for key in [
            "created_by__password__startswith",
            "password__startswith",
            "user__reset_token__gte",
            "owner__profile__api_key__regex",
            "created_by__departments__employees__user__username__startswith",
            "author__groups__members__user__email__icontains",
            " user__password__startswith ",
        ] {
            assert!(inspect(key).is_some(), "{key}");
        }
    }

    #[test]
    fn filters_and_names_pass() {
        for key in [
            "price__gte",
            "author__name__icontains",
            "category__parent__slug__exact",
            "user__password__isnull",
            "created_at__date__gte",
            "__init__",
            "__class__",
            "a____b",
            "monkey__startswith",
            "keyboard__name__contains",
            "snake_case_name",
            "user__password",
            "created_by__password__startswith=x",
            "order__items__product__tags__name",
        ] {
            assert!(inspect(key).is_none(), "{key}");
        }
    }
}
