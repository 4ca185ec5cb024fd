//! Where in the request a value was found.

use std::fmt;

/// Location of an input. The `kind` slug is stable (log format); `name` is the parameter,
/// header, cookie, field name or JSON path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Location {
    Path,
    /// One segment of the URL path (when the path has several and the segment is not plain).
    PathSegment,
    QueryName,
    QueryValue(String),
    FormName,
    FormValue(String),
    MultipartValue(String),
    /// Uploaded file name of the named field.
    MultipartFilename(String),
    /// Uploaded file content (up to `max_file_inspect`) of the named field.
    File(String),
    /// A JSON value at a path like `$.items[2].name`.
    Json(String),
    /// A JSON object key; the path names the object that holds it.
    JsonKey(String),
    Header(String),
    /// A text node or attribute value of an XML body, at a path like `/root/a/@probe`.
    Xml(String),
    CookieName,
    CookieValue(String),
    Body,
}

impl Location {
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
            Location::Body => "body",
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

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => write!(f, "{} '{}'", self.kind(), n),
            None => f.write_str(self.kind()),
        }
    }
}
