//! The application's routes, collected by the adapter at startup and matched here, so that
//! request validation and decoys know what the application really serves. Templates use one
//! syntax for every framework: `/user/{id}` (one segment) and `/files/{p:path}` (the rest).

/// One segment of a route template.
#[derive(Clone, Debug, PartialEq)]
enum Segment {
    Literal(String),
    Param,
    Rest,
}

#[derive(Clone, Debug, PartialEq)]
struct Route {
    segments: Vec<Segment>,
    /// Upper-case methods; empty = any method.
    methods: Vec<String>,
}

/// How a request path fares against the routes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteMatch {
    /// No routes were collected: validation is off.
    Unknown,
    /// A route matches path and method. `literal` is false for pure catch-alls like `/{p:path}`.
    Routed {
        literal: bool,
    },
    /// A route matches the path but not the method.
    MethodNotAllowed,
    NotFound,
}

/// Compiled route table.
#[derive(Clone, Debug, Default)]
pub struct Routes {
    routes: Vec<Route>,
}

impl Routes {
    /// Compiles `(template, methods)` pairs.
    pub fn new(list: &[(String, Vec<String>)]) -> Self {
        let routes = list
            .iter()
            .map(|(t, m)| Route {
                segments: split(t)
                    .map(|s| {
                        // A parameter with text around it (`{name}.html`, `v{n}`) takes the
                        // segment whole: the route then accepts a little more than the app.
                        if s.contains(":path}") {
                            Segment::Rest
                        } else if s.contains('{') && s.contains('}') {
                            Segment::Param
                        } else {
                            Segment::Literal(s.to_string())
                        }
                    })
                    .collect(),
                methods: m.iter().map(|x| x.to_ascii_uppercase()).collect(),
            })
            .collect();
        Routes { routes }
    }

    pub fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }

    pub fn len(&self) -> usize {
        self.routes.len()
    }

    /// Matches a path (trailing slash ignored) and method.
    pub fn check(&self, path: &str, method: &str) -> RouteMatch {
        if self.routes.is_empty() {
            return RouteMatch::Unknown;
        }
        let segs: Vec<&str> = split(path).collect();
        let mut path_found = false;
        let mut best: Option<bool> = None;
        for r in &self.routes {
            if !matches(&r.segments, &segs) {
                continue;
            }
            path_found = true;
            let allowed = r.methods.is_empty()
                || r.methods.iter().any(|m| m.eq_ignore_ascii_case(method))
                || (method.eq_ignore_ascii_case("HEAD") && r.methods.iter().any(|m| m == "GET"))
                || method.eq_ignore_ascii_case("OPTIONS");
            if allowed {
                let literal = r.segments.iter().any(|s| matches!(s, Segment::Literal(_)));
                best = Some(best.unwrap_or(false) || literal);
            }
        }
        match (best, path_found) {
            (Some(literal), _) => RouteMatch::Routed { literal },
            (None, true) => RouteMatch::MethodNotAllowed,
            (None, false) => RouteMatch::NotFound,
        }
    }
}

fn split(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

fn matches(template: &[Segment], path: &[&str]) -> bool {
    let mut i = 0;
    for seg in template {
        match seg {
            Segment::Rest => return i < path.len(),
            Segment::Param => {
                if i >= path.len() {
                    return false;
                }
            }
            Segment::Literal(l) => {
                if i >= path.len() || path[i] != l {
                    return false;
                }
            }
        }
        i += 1;
    }
    i == path.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes() -> Routes {
        Routes::new(&[
            ("/".into(), vec!["GET".into()]),
            ("/user/{id}".into(), vec!["GET".into(), "POST".into()]),
            ("/static/{filename:path}".into(), vec!["GET".into()]),
            ("/login/".into(), vec!["GET".into(), "POST".into()]),
        ])
    }

    #[test]
    fn matches_params_rest_and_methods() {
        let r = routes();
        assert_eq!(r.check("/", "GET"), RouteMatch::Routed { literal: false });
        assert_eq!(
            r.check("/user/5", "POST"),
            RouteMatch::Routed { literal: true }
        );
        assert_eq!(
            r.check("/user/5", "HEAD"),
            RouteMatch::Routed { literal: true }
        );
        assert_eq!(r.check("/user/5", "DELETE"), RouteMatch::MethodNotAllowed);
        assert_eq!(r.check("/user/5/x", "GET"), RouteMatch::NotFound);
        assert_eq!(
            r.check("/static/css/a.css", "GET"),
            RouteMatch::Routed { literal: true }
        );
        assert_eq!(
            r.check("/login", "GET"),
            RouteMatch::Routed { literal: true }
        );
        assert_eq!(r.check("/.env", "GET"), RouteMatch::NotFound);
        assert_eq!(Routes::default().check("/x", "GET"), RouteMatch::Unknown);
    }

    #[test]
    fn a_parameter_inside_a_segment_takes_the_segment() {
        let r = Routes::new(&[
            ("/pages/{name}.html".into(), vec!["GET".into()]),
            ("/api/v{version}/items".into(), vec![]),
            ("/dl/file-{rest:path}".into(), vec!["GET".into()]),
        ]);
        for (path, method) in [
            ("/pages/about.html", "GET"),
            ("/api/v2/items", "POST"),
            ("/dl/file-a/b.zip", "GET"),
        ] {
            assert_eq!(
                r.check(path, method),
                RouteMatch::Routed { literal: true },
                "{path}"
            );
        }
        assert_eq!(r.check("/pages/a/b.html", "GET"), RouteMatch::NotFound);
        assert_eq!(r.check("/api/v2/other", "GET"), RouteMatch::NotFound);
    }

    #[test]
    fn catch_all_is_not_literal() {
        let r = Routes::new(&[("/{p:path}".into(), vec![])]);
        assert_eq!(
            r.check("/.git/config", "GET"),
            RouteMatch::Routed { literal: false }
        );
    }
}
