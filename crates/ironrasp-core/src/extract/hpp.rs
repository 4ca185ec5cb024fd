//! HTTP parameter pollution. Repeated parameters are legitimate (multi-selects, tags) and are
//! never blocked for being repeated. Each value is inspected alone (it already is), and the
//! values are also joined the ways platforms join them, so an injection split across repeats
//! is seen whole.

use super::{Input, Inputs, Location};
use crate::limits::Limits;

/// Adds, for each repeated query or form parameter, its values comma-joined (as Azure
/// Functions and ASP.NET deliver them) and concatenated.
pub fn add_joined(limits: &Limits, inputs: &mut Inputs) {
    // (location, index) of every query and form value, grouped by sorting: no clone and no
    // quadratic search for the common case of no repeats.
    let mut keyed: Vec<(&Location, usize)> = inputs
        .items
        .iter()
        .enumerate()
        .filter(|(_, input)| {
            matches!(
                input.location,
                Location::QueryValue(_) | Location::FormValue(_)
            )
        })
        .map(|(i, input)| (&input.location, i))
        .collect();
    // Stable: values keep their order within a group.
    keyed.sort_by(|a, b| a.0.cmp(b.0));
    let mut groups: Vec<&[(&Location, usize)]> = keyed
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|g| g.len() > 1)
        .collect();
    // Joined values follow the order in which each parameter first appeared.
    groups.sort_by_key(|g| g[0].1);
    let mut joined: Vec<Input> = Vec::new();
    for group in groups {
        let values: Vec<&str> = group
            .iter()
            .map(|&(_, i)| inputs.items[i].value.as_str())
            .collect();
        let mut a = Input::new(group[0].0.clone(), values.join(","));
        a.joined = Some("hpp:comma");
        let mut b = Input::new(group[0].0.clone(), values.concat());
        b.joined = Some("hpp:concat");
        joined.push(a);
        joined.push(b);
    }
    for input in joined {
        if !inputs.push(input, limits) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::urlencoded::{extract, Source};

    #[test]
    fn repeats_are_joined_both_ways() {
        let mut ins = Inputs::default();
        extract(
            "t=a&t=b&u=1&t=c",
            Source::Query,
            &Limits::default(),
            &mut ins,
        );
        add_joined(&Limits::default(), &mut ins);
        let joined: Vec<_> = ins
            .items
            .iter()
            .filter(|i| i.joined.is_some())
            .map(|i| (i.joined.unwrap(), i.value.as_str()))
            .collect();
        assert_eq!(joined, vec![("hpp:comma", "a,b,c"), ("hpp:concat", "abc")]);
    }
}
