/**
 * S3's rest-xml conventions: replies in the 2006-03-01 namespace as `application/xml`,
 * request bodies read as XML (MalformedXML otherwise), HTTP dates for headers and ISO 8601
 * for XML, single header values, and encoding-type=url for listings.
 */
import type { SandboxReply, SandboxRequest } from '../request.js';
import { parseXml, serializeXml, type XmlNode } from '../xml.js';
import { malformedXml, requestIdHeaders } from './errors.js';

export const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export function s3XmlReply(req: SandboxRequest, root: XmlNode, headers: Record<string, string> = {}): SandboxReply {
  const body = serializeXml({ ...root, attrs: { xmlns: S3_NS, ...root.attrs } });
  return { status: 200, headers: { ...requestIdHeaders(req.requestId), 'content-type': 'application/xml', ...headers }, body };
}

/** A reply without a body (PutObject, CreateBucket, HeadBucket, DeleteObject's 204). */
export function emptyReply(req: SandboxRequest, status: number, headers: Record<string, string> = {}): SandboxReply {
  return { status, headers: { ...requestIdHeaders(req.requestId), ...headers } };
}

/** The request body as XML with this root element; undefined for an empty body when that is allowed. */
export function readS3Xml(req: SandboxRequest, rootName: string): XmlNode | undefined {
  const source = req.body.toString('utf8');
  if (source.trim() === '') return undefined;
  let root: XmlNode;
  try {
    root = parseXml(source);
  } catch {
    throw malformedXml();
  }
  if (root.name !== rootName) throw malformedXml();
  return root;
}

/** One header's value (Node joins repeated unknown headers with ", "). */
export function header(req: SandboxRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** `Wed, 12 Oct 2009 17:50:00 GMT`: Last-Modified and other date headers (RFC 7231 IMF-fixdate). */
export const httpDate = (ms: number): string => new Date(ms).toUTCString();

/** `2009-10-12T17:50:30.000Z`: LastModified and CreationDate in XML. */
export const isoDate = (ms: number): string => new Date(ms).toISOString();

/**
 * encoding-type=url (ListObjectsV2, "Encoding type used by Amazon S3 to encode object keys in
 * the response"): form-style percent-encoding, which the AWS CLI undoes with unquote_plus.
 * Slashes stay readable; a space becomes `+`, a literal `+` becomes `%2B`.
 */
export function urlEncodeKey(value: string): string {
  return encodeURIComponent(value).replace(/%2F/g, '/').replace(/%20/g, '+');
}
