/** CloudFront's wire format: XML bodies in the 2020-05-31 namespace, ETag headers. */
import { AwsError } from '../errors.js';
import type { SandboxReply, SandboxRequest } from '../request.js';
import { el, parseXml, serializeXml, XmlSyntaxError, type XmlNode } from '../xml.js';

export const CLOUDFRONT_NS = 'http://cloudfront.amazonaws.com/doc/2020-05-31/';

export function xmlReply(root: XmlNode, status = 200, headers: Record<string, string> = {}): SandboxReply {
  const body = serializeXml({ ...root, attrs: { xmlns: CLOUDFRONT_NS, ...root.attrs } });
  return { status, headers: { 'content-type': 'text/xml', ...headers }, body };
}

/** Parses the request body and checks its root element; bad XML is MalformedXML as in CloudFront. */
export function readXmlBody(req: SandboxRequest, rootName: string): XmlNode {
  let root: XmlNode;
  try {
    root = parseXml(req.body.toString('utf8'));
  } catch (error) {
    const reason = error instanceof XmlSyntaxError ? error.message : String(error);
    throw new AwsError('MalformedXML', 400, `The XML you provided was not well-formed or did not validate against our published schema: ${reason}`);
  }
  if (root.name !== rootName) {
    throw new AwsError('MalformedXML', 400, `The XML you provided was not well-formed or did not validate against our published schema: expected root element ${rootName}, found ${root.name}.`);
  }
  delete root.attrs;
  return root;
}

export function renderXmlError(error: AwsError, requestId: string): SandboxReply {
  const doc = el(
    'ErrorResponse',
    el('Error', el('Type', error.fault), el('Code', error.code), el('Message', error.message)),
    el('RequestId', requestId),
  );
  return xmlReply(doc, error.status, { 'x-amzn-requestid': requestId });
}
