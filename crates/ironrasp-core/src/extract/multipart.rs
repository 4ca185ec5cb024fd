//! multipart/form-data bodies: field values, file names, and the first `max_file_inspect`
//! bytes of each file. Parsing is multer's; it runs to completion synchronously on an
//! in-memory body, so no runtime is involved.

use super::{Input, Location, Out};
use crate::limits::Limits;
use bytes::Bytes;

/// Adds every field of a multipart body. Returns false when the body is not valid multipart
/// (the caller then inspects it raw).
pub fn extract(content_type: &str, body: &[u8], limits: &Limits, out: &mut Out<'_>) -> bool {
    let Ok(boundary) = multer::parse_boundary(content_type) else {
        return false;
    };
    let data = Bytes::copy_from_slice(body);
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(data) });
    let mut mp = multer::Multipart::new(stream, boundary);
    let mut any = false;
    futures_executor::block_on(async {
        loop {
            let mut field = match mp.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => break,
                // A broken part ends parsing; what was taken so far is still inspected.
                Err(_) => break,
            };
            any = true;
            let name = field.name().unwrap_or("").to_string();
            let file_name = field.file_name().map(str::to_string);
            let cap = if file_name.is_some() {
                limits.max_file_inspect
            } else {
                limits.max_value_len
            };
            let mut content: Vec<u8> = Vec::new();
            let mut truncated = false;
            while let Ok(Some(chunk)) = field.chunk().await {
                let room = cap.saturating_sub(content.len());
                if chunk.len() > room {
                    truncated = true;
                }
                content.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            let text = String::from_utf8_lossy(&content).into_owned();
            let ok = match file_name {
                // Files are routinely larger than what is read of them: not an evasion signal.
                Some(fname) => {
                    out.push(Input::new(
                        Location::MultipartFilename(name.as_str().into()),
                        fname,
                    )) && out.push(Input::new(Location::File(name.into()), text))
                }
                None => {
                    if truncated {
                        out.hit("max_value_len");
                    }
                    out.push(Input::new(Location::MultipartValue(name.into()), text))
                }
            };
            if !ok {
                break;
            }
        }
    });
    any
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Inputs;

    /// The inputs of a `boundary=XX` body, which must parse.
    fn inputs_of(body: &str) -> Inputs {
        let mut ok = false;
        let ins = Inputs::collect(&Limits::default(), |out| {
            ok = extract(
                "multipart/form-data; boundary=XX",
                body.as_bytes(),
                &Limits::default(),
                out,
            )
        });
        assert!(ok);
        ins
    }

    #[test]
    fn fields_files_and_names() {
        let body = "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nhello\r\n\
--XX\r\nContent-Disposition: form-data; name=\"f\"; filename=\"../x.txt\"\r\nContent-Type: text/plain\r\n\r\nfile body\r\n--XX--\r\n";
        let ins = inputs_of(body);
        let has = |l: Location, v: &str| ins.items.iter().any(|i| i.location == l && i.value == v);
        assert!(has(Location::MultipartValue("a".into()), "hello"));
        assert!(has(Location::MultipartFilename("f".into()), "../x.txt"));
        assert!(has(Location::File("f".into()), "file body"));
    }

    #[test]
    fn file_content_is_capped() {
        let big = "A".repeat(200_000);
        let body = format!("--XX\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\n{big}\r\n--XX--\r\n");
        let ins = inputs_of(&body);
        let f = ins
            .items
            .iter()
            .find(|i| i.location == Location::File("f".into()))
            .unwrap();
        assert_eq!(f.value.len(), Limits::default().max_file_inspect);
    }

    #[test]
    fn garbage_is_not_multipart() {
        let mut ok = true;
        Inputs::collect(&Limits::default(), |out| {
            ok = extract("multipart/form-data", b"junk", &Limits::default(), out)
        });
        assert!(!ok);
    }
}
