//! HTTP parameter pollution. Repeated parameters are legitimate (multi-selects, tags) and are
//! never blocked for being repeated. Each value is inspected alone (it already is), and the
//! values are also joined the ways platforms join them, so an injection split across repeats
//! is seen whole.

use super::{Input, Inputs, Location};
use crate::limits::Limits;

/// Adds, for each repeated query or form parameter, its values comma-joined (as Azure
/// Functions and ASP.NET deliver them) and concatenated.
pub fn add_joined(limits: &Limits, inputs: &mut Inputs) {
    let mut groups: Vec<(Location, Vec<usize>)> = Vec::new();
    for (i, input) in inputs.items.iter().enumerate() {
        if !matches!(
            input.location,
            Location::QueryValue(_) | Location::FormValue(_)
        ) {
            continue;
        }
        match groups.iter_mut().find(|(l, _)| *l == input.location) {
            Some((_, idx)) => idx.push(i),
            None => groups.push((input.location.clone(), vec![i])),
        }
    }
    for (loc, idx) in groups.into_iter().filter(|(_, idx)| idx.len() > 1) {
        let values: Vec<&str> = idx
            .iter()
            .map(|&i| inputs.items[i].value.as_str())
            .collect();
        let comma = values.join(",");
        let concat = values.concat();
        let mut a = Input::new(loc.clone(), comma);
        a.joined = Some("hpp:comma");
        let mut b = Input::new(loc, concat);
        b.joined = Some("hpp:concat");
        if !inputs.push(a, limits) || !inputs.push(b, limits) {
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
