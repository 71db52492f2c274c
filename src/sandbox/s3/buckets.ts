/**
 * Bucket operations: CreateBucket, HeadBucket, ListBuckets, DeleteBucket, GetBucketLocation
 * (S3 API Reference, each operation's page; ErrorResponses for the codes).
 *
 * Regions (CreateBucket, CreateBucketConfiguration): a bucket is created in its
 * LocationConstraint, us-east-1 without one. The constraint must name the Region the request
 * was signed for — else 400 IllegalLocationConstraintException, "The <constraint> location
 * constraint is incompatible for the region specific endpoint this request was sent to."
 * (`unspecified` when a request to another Region has none) — and `us-east-1` itself is not a
 * valid constraint (400 InvalidLocationConstraint). `EU` is the legacy name of eu-west-1.
 *
 * Creating a bucket you already own (ErrorResponses, BucketAlreadyOwnedByYou): 409 "in all
 * AWS Regions except in the US East (N. Virginia) Region (us-east-1). For legacy
 * compatibility, if you re-create an existing bucket that you already own in us-east-1,
 * Amazon S3 returns 200 OK". The sandbox gives the 200 when the bucket is in us-east-1 and the
 * request is to us-east-1 without a constraint, and BucketAlreadyOwnedByYou otherwise.
 *
 * Not emulated: requests for a bucket signed for another Region than the bucket's are served
 * (S3 answers them with a redirect or AuthorizationHeaderMalformed); HeadBucket's
 * x-amz-bucket-region and GetBucketLocation say where the bucket is. Bucket configuration
 * (versioning, policies, encryption, lifecycle, tags, ACLs) is not emulated.
 */
import type { SandboxReply, SandboxRequest } from '../request.js';
import type { World } from '../world.js';
import { el, text } from '../xml.js';
import { checkBucketName } from './bucket-names.js';
import { invalidArgument, S3Error } from './errors.js';
import { emptyReply, isoDate, readS3Xml, s3XmlReply } from './protocol.js';
import { addBucket, canonicalUserId, findBucket, removeBucket, requireBucket } from './store.js';

/** ListBuckets' MaxBuckets: "Valid Range: Minimum value of 1. Maximum value of 10000." */
const MAX_BUCKETS = 10_000;

function locationConstraint(req: SandboxRequest): string | undefined {
  const configuration = readS3Xml(req, 'CreateBucketConfiguration');
  const constraint = text(configuration, 'LocationConstraint');
  if (constraint === undefined || constraint === '') return undefined;
  return constraint === 'EU' ? 'eu-west-1' : constraint;
}

export function createBucket(req: SandboxRequest, world: World, name: string): SandboxReply {
  checkBucketName(name);
  const constraint = locationConstraint(req);
  if (constraint === 'us-east-1') {
    throw new S3Error('InvalidLocationConstraint', 400, 'The specified location-constraint is not valid', { fields: { LocationConstraint: constraint } });
  }
  const region = constraint ?? 'us-east-1';
  if (region !== req.region) {
    throw new S3Error('IllegalLocationConstraintException', 400, `The ${constraint ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`);
  }
  const existing = findBucket(world, name);
  if (existing && !(existing.region === 'us-east-1' && region === 'us-east-1')) {
    throw new S3Error('BucketAlreadyOwnedByYou', 409, 'Your previous request to create the named bucket succeeded and you already own it.', { resource: `/${name}`, fields: { BucketName: name } });
  }
  if (!existing) addBucket(world, { name, region, created: world.now(), objects: [] });
  // Location: "/bucket" from us-east-1, the bucket's virtual-hosted URL elsewhere.
  return emptyReply(req, 200, { location: region === 'us-east-1' ? `/${name}` : `http://${name}.s3.amazonaws.com/` });
}

export function headBucket(req: SandboxRequest, world: World, name: string): SandboxReply {
  const bucket = requireBucket(world, req, name);
  return emptyReply(req, 200, { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' });
}

export function getBucketLocation(req: SandboxRequest, world: World, name: string): SandboxReply {
  const bucket = requireBucket(world, req, name);
  // "Buckets in Region us-east-1 have a LocationConstraint of null."
  return s3XmlReply(req, el('LocationConstraint', bucket.region === 'us-east-1' ? '' : bucket.region));
}

export function deleteBucket(req: SandboxRequest, world: World, name: string): SandboxReply {
  const bucket = requireBucket(world, req, name);
  if (bucket.objects.length > 0) {
    throw new S3Error('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', { resource: `/${name}`, fields: { BucketName: name } });
  }
  removeBucket(world, bucket);
  return emptyReply(req, 204);
}

/**
 * ListBuckets: every bucket of the account, by name, with its BucketRegion; `prefix` and
 * `bucket-region` filter, `max-buckets` pages with a ContinuationToken (the sandbox's is the
 * last name returned, base64).
 */
export function listBuckets(req: SandboxRequest, world: World): SandboxReply {
  const prefix = req.query.get('prefix') ?? '';
  const region = req.query.get('bucket-region');
  const maxParameter = req.query.get('max-buckets');
  const max = maxParameter === null ? MAX_BUCKETS : Number(maxParameter);
  if (!Number.isInteger(max) || max < 1 || max > MAX_BUCKETS) throw invalidArgument('Argument max-buckets must be an integer between 1 and 10000', 'max-buckets', maxParameter ?? '');
  const token = req.query.get('continuation-token');
  const after = token === null ? undefined : Buffer.from(token, 'base64').toString('utf8');
  const matching = world.s3Buckets.filter((b) => b.name.startsWith(prefix) && (region === null || b.region === region) && (after === undefined || b.name > after));
  const page = matching.slice(0, max);
  const next = matching.length > max ? Buffer.from(page.at(-1)!.name, 'utf8').toString('base64') : undefined;
  return s3XmlReply(
    req,
    el(
      'ListAllMyBucketsResult',
      el('Owner', el('ID', canonicalUserId(world.accountId))),
      el('Buckets', ...page.map((b) => el('Bucket', el('Name', b.name), el('CreationDate', isoDate(b.created)), el('BucketRegion', b.region)))),
      next === undefined ? undefined : el('ContinuationToken', next),
      prefix === '' ? undefined : el('Prefix', prefix),
    ),
  );
}
