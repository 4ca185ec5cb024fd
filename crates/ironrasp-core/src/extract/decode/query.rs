//! A form nested in a value: an OAuth `state` or a form serialized into one field, or a body
//! whose `=` was encoded so that the whole of it arrived as one parameter name
//! (`f%3D1+OR+1%3D1`). Each value of the nested pairs becomes a view, form-decoded (`%XX`,
//! `+` as a space) as the application that splits it again would read it.

/// Pairs read from one value; more are left to the raw value's own inspection, and reported
/// (padding pairs in front would otherwise push a payload out of this reading unseen).
const MAX_PAIRS: usize = 64;

/// Longest name taken for a nested parameter name.
const MAX_NAME: usize = 64;

/// True when `text` starts as `name=value` with a non-empty value that is not more `=` (base64
/// padding is no pair). A URL's own query is not taken apart here: the detectors read a URL
/// with its context (a `.txt` URL inside a search engine's redirect link is no inclusion).
pub fn applies(text: &str) -> bool {
    let b = text.as_bytes();
    let name = b.iter().take_while(|&&c| is_name_byte(c)).count();
    (1..=MAX_NAME).contains(&name)
        && b.get(name) == Some(&b'=')
        && b.get(name + 1).is_some_and(|&c| c != b'=')
}

fn is_name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b'[' | b']')
}

/// The form-decoded values of the nested pairs, and whether pairs past [`MAX_PAIRS`] were
/// left out.
pub fn decode(text: &str) -> (Vec<String>, bool) {
    if !applies(text) {
        return (Vec::new(), false);
    }
    let mut pairs = form_urlencoded::parse(text.as_bytes());
    let values = pairs
        .by_ref()
        .take(MAX_PAIRS)
        .map(|(_, v)| v.into_owned())
        .filter(|v| !v.trim().is_empty())
        .collect();
    (values, pairs.next().is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_pairs_are_found() {
        for t in [
            "sort=1 AND 5=6)",
            "q=%27+OR+1%3D1--&page=2",
            "user[name]=x&b=<script>",
        ] {
            assert!(applies(t), "{t}");
        }
        for t in [
            "c2VsZWN0IDE=",
            "YWJj==",
            "a = b",
            "1+1=2",
            "price >= 10",
            "=x",
            "plain words",
            "",
            "name=",
            "https://shop.example/?a=1&b=2",
            "x&y=1",
        ] {
            assert!(!applies(t), "{t}");
        }
    }

    #[test]
    fn values_are_form_decoded() {
        let values = |t: &str| decode(t).0;
        assert_eq!(values("sort=1 AND 5=6)"), ["1 AND 5=6)"]);
        assert_eq!(values("q=%27+OR+1%3D1--&page=2"), ["' OR 1=1--", "2"]);
        assert!(values("/search?q=1").is_empty());
        assert_eq!(values("a=1&b=&c=x+y"), ["1", "x y"]);
        assert!(values("no pairs here").is_empty());
    }

    #[test]
    fn pairs_are_bounded() {
        let many = (0..500)
            .map(|i| format!("k{i}=v{i}"))
            .collect::<Vec<_>>()
            .join("&");
        let (values, cut) = decode(&many);
        assert!(values.len() == MAX_PAIRS && cut);
        let exact = many
            .split('&')
            .take(MAX_PAIRS)
            .collect::<Vec<_>>()
            .join("&");
        assert_eq!(decode(&exact), (exact_values(MAX_PAIRS), false));
    }

    fn exact_values(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("v{i}")).collect()
    }
}
