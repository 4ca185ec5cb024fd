//! Where in the request a value was found.

use std::borrow::Cow;
use std::fmt;

/// Location of an input. The `kind` slug is stable (log format); `name` is the parameter,
/// header, cookie, field name or JSON path. Names borrow from the request while it is being
/// inspected (no copy per input); [`Location::into_owned`] keeps one.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Location<'a> {
    Path,
    /// One segment of the URL path (when the path has several and the segment is not plain).
    PathSegment,
    QueryName,
    QueryValue(Cow<'a, str>),
    FormName,
    FormValue(Cow<'a, str>),
    MultipartValue(Cow<'a, str>),
    /// Uploaded file name of the named field.
    MultipartFilename(Cow<'a, str>),
    /// Uploaded file content (up to `max_file_inspect`) of the named field.
    File(Cow<'a, str>),
    /// A JSON value at a path like `$.items[2].name`.
    Json(Cow<'a, str>),
    /// A JSON object key; the path names the object that holds it.
    JsonKey(Cow<'a, str>),
    Header(Cow<'a, str>),
    /// A text node or attribute value of an XML body, at a path like `/root/a/@probe`.
    Xml(Cow<'a, str>),
    CookieName,
    CookieValue(Cow<'a, str>),
    Body,
    /// The whole of an XML body, whose text nodes and attribute values are inputs of their own
    /// ([`Location::Xml`]): reported as the body, and not taken apart again by the `xml`
    /// decoder.
    XmlBody,
}

impl<'a> Location<'a> {
    /// The same location, owning its name.
    pub fn into_owned(self) -> Location<'static> {
        let own = |n: Cow<'a, str>| Cow::Owned(n.into_owned());
        match self {
            Location::Path => Location::Path,
            Location::PathSegment => Location::PathSegment,
            Location::QueryName => Location::QueryName,
            Location::QueryValue(n) => Location::QueryValue(own(n)),
            Location::FormName => Location::FormName,
            Location::FormValue(n) => Location::FormValue(own(n)),
            Location::MultipartValue(n) => Location::MultipartValue(own(n)),
            Location::MultipartFilename(n) => Location::MultipartFilename(own(n)),
            Location::File(n) => Location::File(own(n)),
            Location::Json(n) => Location::Json(own(n)),
            Location::JsonKey(n) => Location::JsonKey(own(n)),
            Location::Header(n) => Location::Header(own(n)),
            Location::Xml(n) => Location::Xml(own(n)),
            Location::CookieName => Location::CookieName,
            Location::CookieValue(n) => Location::CookieValue(own(n)),
            Location::Body => Location::Body,
            Location::XmlBody => Location::XmlBody,
        }
    }

    /// Stable slug for the log.
    pub fn kind(&self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::PathSegment => "path_segments",
            Location::QueryName => "qs_names",
            Location::QueryValue(_) => "qs_values",
            Location::FormName => "form_names",
            Location::FormValue(_) => "form_values",
            Location::MultipartValue(_) => "multipart_values",
            Location::MultipartFilename(_) => "multipart_filenames",
            Location::File(_) => "files",
            Location::Json(_) => "json_values",
            Location::JsonKey(_) => "json_keys",
            Location::Header(_) => "headers_values",
            Location::Xml(_) => "xml_values",
            Location::CookieName => "cookies_names",
            Location::CookieValue(_) => "cookies_values",
            Location::Body | Location::XmlBody => "body",
        }
    }

    /// The parameter, header, cookie or field name, or the JSON path.
    pub fn name(&self) -> Option<&str> {
        match self {
            Location::QueryValue(n)
            | Location::FormValue(n)
            | Location::MultipartValue(n)
            | Location::MultipartFilename(n)
            | Location::File(n)
            | Location::Json(n)
            | Location::JsonKey(n)
            | Location::Header(n)
            | Location::Xml(n)
            | Location::CookieValue(n) => Some(n),
            _ => None,
        }
    }
}

impl fmt::Display for Location<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => write!(f, "{} '{}'", self.kind(), n),
            None => f.write_str(self.kind()),
        }
    }
}
