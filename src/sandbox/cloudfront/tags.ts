/** CloudFront resource tags (distributions): /2020-05-31/tagging?Resource=ARN. */
import { AwsError } from '../errors.js';
import type { Route } from '../protocols/rest-router.js';
import { readXmlBody, xmlReply } from '../protocols/rest-xml.js';
import type { SandboxRequest } from '../request.js';
import type { DistributionRecord, World } from '../world.js';
import { el, items, text } from '../xml.js';

function taggedResource(req: SandboxRequest, world: World): DistributionRecord {
  const arn = req.query.get('Resource') ?? '';
  if (!/^arn:aws:cloudfront::\d{12}:/.test(arn)) throw new AwsError('InvalidArgument', 400, `The parameter Resource is not a valid CloudFront ARN: '${arn}'.`);
  const found = world.data.cloudfront.distributions.find((d) => d.arn === arn);
  if (!found) throw new AwsError('NoSuchResource', 404, `The specified resource does not exist: ${arn}.`);
  return found;
}

export const tagRoutes: Route[] = [
  {
    operation: 'ListTagsForResource',
    method: 'GET',
    path: '/2020-05-31/tagging',
    handle(req, world) {
      const resource = taggedResource(req, world);
      const tags = Object.entries(resource.tags).map(([key, value]) => el('Tag', el('Key', key), el('Value', value)));
      return xmlReply(el('Tags', tags.length ? el('Items', ...tags) : undefined));
    },
  },
  {
    operation: 'TagResource',
    method: 'POST',
    path: '/2020-05-31/tagging?Operation=Tag',
    handle(req, world) {
      const resource = taggedResource(req, world);
      for (const tag of items(readXmlBody(req, 'Tags'))) resource.tags[text(tag, 'Key') ?? ''] = text(tag, 'Value') ?? '';
      return { status: 204 };
    },
  },
  {
    operation: 'UntagResource',
    method: 'POST',
    path: '/2020-05-31/tagging?Operation=Untag',
    handle(req, world) {
      const resource = taggedResource(req, world);
      for (const key of items(readXmlBody(req, 'TagKeys'))) delete resource.tags[key.text ?? ''];
      return { status: 204 };
    },
  },
];
