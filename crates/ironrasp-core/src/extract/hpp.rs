//! HTTP parameter pollution. Repeated parameters are legitimate (multi-selects, tags) and are
//! never blocked for being repeated. Each value is inspected alone (it already is), and the
//! values are also joined the ways platforms join them, so an injection split across repeats
//! is seen whole.

use super::urlencoded::Source;
use super::{Input, Out};
use std::borrow::Cow;

/// For each repeated parameter of one query string or form body (its decoded `pairs`), keeps
/// its values comma-joined (as Azure Functions and ASP.NET deliver them) and concatenated, to
/// be delivered after every other input, in the order in which each parameter first appeared.
pub fn join_repeats(pairs: &[(Cow<'_, str>, Cow<'_, str>)], source: Source, out: &mut Out<'_>) {
    if !any_repeat(pairs) {
        return;
    }
    // Grouped by sorting (name, index): values keep their order within a group, and there is
    // no quadratic search.
    let mut keyed: Vec<(&str, usize)> = pairs
        .iter()
        .enumerate()
        .map(|(i, (name, _))| (&**name, i))
        .collect();
    keyed.sort_unstable();
    let mut groups: Vec<&[(&str, usize)]> = keyed
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|g| g.len() > 1)
        .collect();
    groups.sort_by_key(|g| g[0].1);
    for group in groups {
        let values: Vec<&str> = group.iter().map(|&(_, i)| &*pairs[i].1).collect();
        let location = source.value_location(Cow::Owned(group[0].0.to_string()));
        let mut a = Input::new(location.clone(), values.join(","));
        a.joined = Some("hpp:comma");
        let mut b = Input::new(location, values.concat());
        b.joined = Some("hpp:concat");
        out.push_last(a);
        out.push_last(b);
    }
}

/// Whether some name occurs twice. Most requests repeat nothing: a few parameters are compared
/// pairwise without allocating; many are sorted.
fn any_repeat(pairs: &[(Cow<'_, str>, Cow<'_, str>)]) -> bool {
    const PAIRWISE: usize = 16;
    if pairs.len() <= PAIRWISE {
        // Length and first byte tell most names apart without a call to compare them.
        let same = |a: &str, b: &str| {
            a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
        };
        return (1..pairs.len()).any(|i| pairs[..i].iter().any(|p| same(&p.0, &pairs[i].0)));
    }
    let mut names: Vec<&str> = pairs.iter().map(|p| &*p.0).collect();
    names.sort_unstable();
    names.windows(2).any(|w| w[0] == w[1])
}

#[cfg(test)]
mod tests {
    use crate::extract::urlencoded::{extract, Source};
    use crate::extract::Inputs;
    use crate::limits::Limits;

    #[test]
    fn repeats_are_joined_both_ways() {
        let ins = Inputs::collect(&Limits::default(), |out| {
            extract("t=a&t=b&u=1&t=c&u=2", Source::Query, out)
        });
        let joined: Vec<_> = ins
            .items
            .iter()
            .filter(|i| i.joined.is_some())
            .map(|i| (i.joined.unwrap(), &*i.value))
            .collect();
        assert_eq!(
            joined,
            vec![
                ("hpp:comma", "a,b,c"),
                ("hpp:concat", "abc"),
                ("hpp:comma", "1,2"),
                ("hpp:concat", "12")
            ]
        );
        // Joined values come after every other input.
        assert!(ins.items[..5].iter().all(|i| i.joined.is_none()));
    }
}
